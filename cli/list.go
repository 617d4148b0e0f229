package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"smartdiag/assessment"
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
	if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
		c.errorf("工作区 %s 不存在或不是文件夹", *dir)
		return ExitInput
	}
	files, err := (&assessment.Workspace{Dir: *dir}).List()
	if err != nil {
		c.errorf("%s：%v", *dir, err)
		return ExitInput
	}
	entries := []listEntry{}
	for _, f := range files {
		e := listEntry{File: f}
		data, err := os.ReadFile(f)
		var d *assessment.Document
		if err == nil {
			d, err = assessment.Decode(data)
		}
		if err != nil {
			e.Error = err.Error()
			entries = append(entries, e)
			continue
		}
		e.ID, e.Enterprise, e.CreditCode = d.ID, d.Enterprise.Name, d.Enterprise.CreditCode
		e.Questionnaire, e.Status, e.Updated = d.Questionnaire.ID+" "+d.Questionnaire.Version, d.Status, d.Updated.Format("2006-01-02 15:04")
		if qn, err := d.LoadQuestionnaire(); err == nil && d.Status != assessment.StatusDraft {
			l := assessment.Score(qn, d).Level
			e.Level = &l
		}
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
		status := map[string]string{assessment.StatusDraft: "草稿", assessment.StatusFinished: "已完成", assessment.StatusSealed: "已封存"}[e.Status]
		fmt.Fprintf(c.stdout, "  %s  %s  %s  %s  %s  %s\n", e.Updated, strings.TrimSpace(e.Enterprise), e.CreditCode, status, level, e.ID)
	}
	return ExitOK
}
