package assessment

import (
	"encoding/json"
	"os"
	"time"
)

// Diagnosed is a diagnosis already in the workspace for some enterprise, as FindCreditCode
// reports it.
type Diagnosed struct {
	ID            string
	Enterprise    string
	Questionnaire string // questionnaire id
	Status        string
	Created       time.Time
	Path          string // the file, which need not be named <id>.sdiag outside a workspace
}

// FindCreditCode lists the workspace's diagnoses of the enterprise with this (normalised) credit
// code, so a consultant entering a "new" enterprise learns it is already there. Only the few
// fields needed are decoded, and unreadable files are skipped: this is a warning, not a check.
func (w *Workspace) FindCreditCode(code string) []Diagnosed {
	if code == "" {
		return nil
	}
	files, err := w.List()
	if err != nil {
		return nil
	}
	var out []Diagnosed
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var d struct {
			ID            string    `json:"id"`
			Status        string    `json:"status"`
			Created       time.Time `json:"created"`
			Questionnaire struct {
				ID string `json:"id"`
			} `json:"questionnaire"`
			Enterprise struct {
				Name       string `json:"name"`
				CreditCode string `json:"credit_code"`
			} `json:"enterprise"`
		}
		if json.Unmarshal(data, &d) != nil || NormalizeCreditCode(d.Enterprise.CreditCode) != code {
			continue
		}
		out = append(out, Diagnosed{ID: d.ID, Enterprise: d.Enterprise.Name, Questionnaire: d.Questionnaire.ID, Status: d.Status, Created: d.Created, Path: f})
	}
	return out
}
