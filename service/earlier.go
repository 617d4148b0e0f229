package service

import (
	"bytes"
	"os"

	"smartdiag/assessment"
	"smartdiag/questionnaires"
	"smartdiag/report"
)

// FindEarlier returns the latest earlier finished diagnosis of d's firm (same credit code, same
// questionnaire) among the documents of a workspace folder, or nil when there is none. Files that
// cannot be read or opened are passed over: a broken file beside the document must not stop its
// report. Only files that contain the credit code are decoded, so a folder of hundreds of
// diagnoses costs little.
func FindEarlier(dir string, d *assessment.Document) *report.Earlier {
	if dir == "" || d.Enterprise.CreditCode == "" {
		return nil
	}
	files, err := (&assessment.Workspace{Dir: dir}).List()
	if err != nil {
		return nil
	}
	var best *report.Earlier
	code := []byte(d.Enterprise.CreditCode)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil || !bytes.Contains(data, code) {
			continue
		}
		e, qe, err := assessment.Open(data)
		if err != nil || !assessment.IsEarlierOf(e, d) {
			continue
		}
		if best == nil || assessment.DiagnosisDate(e).After(assessment.DiagnosisDate(best.Doc)) {
			best = &report.Earlier{Doc: e, Questionnaire: qe}
		}
	}
	return best
}

// WriteReportIn is WriteReport for a document of the workspace folder dir: its evidence photos
// are read from dir (as WriteReportWithEvidence), and when dir holds an earlier diagnosis of the
// same firm the report compares the two (report.Earlier).
func (s *Service) WriteReportIn(qn *questionnaires.Questionnaire, d *assessment.Document, lang, dst, dir string) error {
	return s.writeReport(qn, d, lang, dir, dst, FindEarlier(dir, d))
}
