package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"smartdiag/assessment"
	"smartdiag/service"
)

// listEntry is one line of `list --json`.
type listEntry struct {
	File          string `json:"file"`
	ID            string `json:"id,omitempty"`
	Enterprise    string `json:"enterprise,omitempty"`
	CreditCode    string `json:"credit_code,omitempty"`
	Questionnaire string `json:"questionnaire,omitempty"`
	Status        string `json:"status,omitempty"`
	Updated       string `json:"updated,omitempty"`
	Level         *int   `json:"level,omitempty"`
	Error         string `json:"error,omitempty"`
}

// cmdList lists the diagnoses of a workspace: --workspace, else SMARTDIAG_WORKSPACE, else the
// per-user default, the same folder the desktop app uses.
func cmdList(c *ctx, args []string) int {
	fs := c.newFlags("list", "[--workspace DIR] [--json]")
	dir := fs.String("workspace", "", "工作区文件夹（默认：环境变量 SMARTDIAG_WORKSPACE，或 ~/Documents/smartdiag）")
	asJSON := fs.Bool("json", false, "以 JSON 数组输出")
	pos, ok := parse(fs, args)
	if !ok || len(pos) > 0 {
		fs.Usage()
		return ExitUsage
	}
	if *dir == "" {
		d, err := assessment.DefaultWorkspace()
		if err != nil {
			c.errorf("%v", err)
			return ExitInput
		}
		*dir = d
	}
	listed, err := c.service().ListWorkspace(*dir, nil)
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	entries := []listEntry{}
	for _, le := range listed {
		e := listEntry{File: le.Path, Level: le.Level}
		if le.Err != nil {
			e.Error = le.Err.Error()
			entries = append(entries, e)
			continue
		}
		d := le.Doc
		e.ID, e.Enterprise, e.CreditCode = d.ID, d.Enterprise.Name, d.Enterprise.CreditCode
		e.Questionnaire, e.Status, e.Updated = d.Questionnaire.ID+" "+d.Questionnaire.Version, d.Status, d.Updated.Format("2006-01-02 15:04")
		entries = append(entries, e)
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Updated > entries[j].Updated })
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		enc.Encode(entries)
		return ExitOK
	}
	fmt.Fprintf(c.stdout, "工作区 %s：%d 份诊断\n", *dir, len(entries))
	for _, e := range entries {
		if e.Error != "" {
			fmt.Fprintf(c.stdout, "  %s  无法读取：%s\n", filepath.Base(e.File), e.Error)
			continue
		}
		level := "—"
		if e.Level != nil {
			level = fmt.Sprintf("%d 级", *e.Level)
		}
		status := service.StatusLabel(e.Status)
		fmt.Fprintf(c.stdout, "  %s  %s  %s  %s  %s  %s\n", e.Updated, strings.TrimSpace(e.Enterprise), e.CreditCode, status, level, e.ID)
	}
	return ExitOK
}
