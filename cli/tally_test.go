package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"smartdiag/assessment"
	"smartdiag/seal"
	"smartdiag/tally/xlsx"
)

// writeRosterCSV writes a roster of n firms and returns its path.
func writeRosterCSV(t *testing.T, n int) string {
	t.Helper()
	streets := []string{"东山街道", "秣陵", "汤山街道", "淳化街道"}
	cats := []string{"规上工业企业", "高成长性企业、规上", "新开工企业"}
	var b strings.Builder
	b.WriteString("江宁区智改数转网联诊断名单\n序号,企业名称,统一社会信用代码,所属街道,企业类型,行业类别,联系人,联系电话\n")
	for i := range n {
		first := fmt.Sprintf("91320115MA%07d", 500+i)
		c, err := assessment.CreditCheckChar(first)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d,南京名册%02d科技有限公司,%s,%s,%s,%s,张经理,1380000%04d\n", i+1, i, first+string(c), streets[i%len(streets)], cats[i%len(cats)], []string{"C34", "汽车制造业", "39"}[i%3], i)
	}
	path := filepath.Join(t.TempDir(), "名册.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var trustAddRE = regexp.MustCompile(`smartdiag trust add --demo (\S+) --name (\S+)`)

func TestDistrictFlow(t *testing.T) {
	t.Setenv(seal.EnvConfig, t.TempDir())
	roster := writeRosterCSV(t, 20)
	out := t.TempDir()
	code, stdout, errs := run(t, "demo", "--roster", roster, "--out", out, "--coverage", "0.5", "--seed", "5")
	if code != 0 {
		t.Fatalf("demo --roster: %s%s", stdout, errs)
	}
	if !strings.Contains(stdout, "诊断了 10 家（50%）") {
		t.Fatalf("demo output: %s", stdout)
	}
	demoOut := stdout
	files, _ := filepath.Glob(filepath.Join(out, "*.sdiag"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if r := seal.Verify(data, nil); r.Status != seal.VerifyUnknownSigner {
			t.Fatalf("%s: %+v", f, r)
		}
		d, err := assessment.ReadFile(f)
		if err != nil || !strings.HasPrefix(d.Enterprise.Name, "南京名册") {
			t.Fatalf("%s: %v %+v", f, err, d)
		}
	}
	// The same seed gives the same files.
	out2 := t.TempDir()
	run(t, "demo", "--roster", roster, "--out", out2, "--coverage", "0.5", "--seed", "5")
	for _, f := range files {
		a, _ := os.ReadFile(f)
		b, _ := os.ReadFile(filepath.Join(out2, filepath.Base(f)))
		if !bytes.Equal(a, b) {
			t.Fatalf("demo --roster is not deterministic: %s", filepath.Base(f))
		}
	}

	// Before the keys are trusted nothing counts.
	code, stdout, _ = run(t, "tally", "--roster", roster, "--json", out)
	var before map[string]any
	if code != 0 || json.Unmarshal([]byte(stdout), &before) != nil {
		t.Fatalf("tally: %d %s", code, stdout)
	}
	if d := before["diagnoses"].(map[string]any); d["counted"] != 0.0 || len(d["rejected"].([]any)) != len(files) {
		t.Fatalf("untrusted: %v", d)
	}
	adds := trustAddRE.FindAllStringSubmatch(demoOut, -1)
	if len(adds) == 0 {
		t.Fatalf("no trust instructions: %s", demoOut)
	}
	for _, m := range adds {
		// Issue 11 item 3: a demo key is refused without --demo, under any name.
		for _, name := range []string{m[2], "正规服务商"} {
			if code, o, e := run(t, "trust", "add", m[1], "--name", name); code != ExitInput || !strings.Contains(e, "演示密钥") {
				t.Fatalf("a demo key was trusted without --demo: %d %s%s", code, o, e)
			}
		}
		if code, o, e := run(t, "trust", "add", "--demo", m[1], "--name", m[2]); code != 0 || !strings.Contains(o, "演示数据") {
			t.Fatalf("trust add: %s%s", o, e)
		}
	}

	// Import into the district workspace, twice.
	ws := filepath.Join(t.TempDir(), "district")
	code, stdout, errs = run(t, "import", "--into", ws, out)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("导入 %d，已有（跳过）0", len(files))) || !strings.Contains(stdout, "演示数据") {
		t.Fatalf("import: %d %s%s", code, stdout, errs)
	}
	if logText, _ := os.ReadFile(filepath.Join(ws, "导入日志.txt")); !strings.Contains(string(logText), "已导入（演示数据）") {
		t.Fatalf("the import log does not label demo data:\n%s", logText)
	}
	code, stdout, _ = run(t, "tally", "--json", ws)
	var demoRes struct {
		Diagnoses struct {
			Demo int `json:"demo"`
		} `json:"diagnoses"`
	}
	if json.Unmarshal([]byte(stdout), &demoRes); code != 0 || demoRes.Diagnoses.Demo != len(files) {
		t.Fatalf("tally --json does not label demo data: %d of %d", demoRes.Diagnoses.Demo, len(files))
	}
	// Issue 11 item 3: demo data is labelled wherever it is shown: verify, the trust list, the
	// tally text and the PDF brief as well.
	if code, o, e := run(t, append([]string{"verify"}, files...)...); code != 0 || strings.Count(o, seal.DemoLabel) != len(files) {
		t.Errorf("verify does not label each demo document: %d\n%s%s", code, o, e)
	}
	if code, o, e := run(t, "trust", "list"); code != 0 || strings.Count(o, seal.DemoLabel) != len(adds) {
		t.Errorf("trust list does not label the demo keys: %d\n%s%s", code, o, e)
	}
	if code, o, e := run(t, "tally", ws); code != 0 || !strings.Contains(o, seal.DemoLabel) {
		t.Errorf("tally does not label demo data: %d\n%s%s", code, o, e)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		pdf := filepath.Join(t.TempDir(), "简报.pdf")
		if code, o, e := run(t, "tally", "--out", pdf, ws); code != 0 {
			t.Fatalf("%s%s", o, e)
		}
		if text, err := exec.Command("pdftotext", pdf, "-").Output(); err != nil || !strings.Contains(string(text), seal.DemoLabel) {
			t.Errorf("the PDF brief does not label demo data (%v):\n%.600s", err, text)
		}
	}
	xlsxPath := filepath.Join(t.TempDir(), "t.xlsx")
	if code, o, e := run(t, "tally", "--out", xlsxPath, ws); code != 0 {
		t.Fatalf("%s%s", o, e)
	}
	if xf, err := excelize.OpenFile(xlsxPath); err != nil {
		t.Fatal(err)
	} else if v, _ := xf.GetCellValue(xlsx.SheetDetail, "A2"); !strings.Contains(v, "演示数据") {
		t.Fatalf("Excel detail does not label demo data: %q", v)
	}
	code, stdout, _ = run(t, "import", "--into", ws, "--json", out)
	var log struct {
		Files    int `json:"files"`
		Imported int `json:"imported"`
		Skipped  int `json:"skipped"`
		Entries  []struct {
			File, Result, Reason string
		} `json:"entries"`
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &log) != nil || log.Skipped != len(files) || log.Imported != 0 {
		t.Fatalf("second import: %d %s", code, stdout)
	}
	if _, err := os.Stat(filepath.Join(ws, "导入日志.txt")); err != nil {
		t.Fatal(err)
	}

	// Tally the workspace with the roster: JSON, Excel and the brief.
	xlsx, pdf := filepath.Join(t.TempDir(), "统计.xlsx"), filepath.Join(t.TempDir(), "简报.pdf")
	code, stdout, errs = run(t, "tally", "--roster", roster, "--json", "--out", xlsx, "--out", pdf, ws)
	if code != 0 {
		t.Fatalf("tally: %s%s", stdout, errs)
	}
	var res struct {
		Roster struct {
			Rows, Valid int
			Invalid     []struct {
				Row    int    `json:"row"`
				Reason string `json:"reason"`
			} `json:"invalid"`
			Duplicates []struct {
				Row        int    `json:"row"`
				CreditCode string `json:"credit_code"`
			} `json:"duplicates"`
		} `json:"roster"`
		Diagnoses struct {
			Files, Counted int
			Rejected       []struct{ File, Reason string } `json:"rejected"`
			Duplicates     []any                           `json:"duplicates"`
		} `json:"diagnoses"`
		Coverage struct {
			Total struct {
				Target, Diagnosed int
				Rate              float64
			} `json:"total"`
			ByCategory map[string]struct {
				Target, Diagnosed int
				Rate              *float64
			} `json:"by_category"`
			ByStreet map[string]struct {
				Target, Diagnosed int
				Rate              float64
			} `json:"by_street"`
		} `json:"coverage"`
		Levels map[string]int `json:"levels"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if res.Roster.Valid != 20 || res.Diagnoses.Files != len(files) || res.Diagnoses.Counted != 10 || len(res.Diagnoses.Rejected) != 0 {
		t.Fatalf("tally: %+v", res)
	}
	if res.Coverage.Total.Target != 20 || res.Coverage.Total.Diagnosed != 10 || res.Coverage.Total.Rate != 0.5 {
		t.Fatalf("total: %+v", res.Coverage.Total)
	}
	// 秣陵 on the roster is matched to the profile's 秣陵街道.
	if st := res.Coverage.ByStreet["秣陵街道"]; st.Target != 5 {
		t.Fatalf("by street: %+v", res.Coverage.ByStreet)
	}
	// "高成长性企业、规上" counts in both categories: 规上 7 + 7, 高成长 7, 新开工 6.
	if c := res.Coverage.ByCategory; c["规上工业企业"].Target != 14 || c["高成长性企业"].Target != 7 || c["新开工企业"].Target != 6 {
		t.Fatalf("by category: %+v", c)
	}
	levels := 0
	for l := range 6 {
		levels += res.Levels[fmt.Sprint(l)]
	}
	if levels != 10 {
		t.Fatalf("levels: %v", res.Levels)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("未诊断企业")
	f.Close()
	if len(rows) != 1+10 {
		t.Fatalf("未诊断企业 has %d rows", len(rows))
	}
	if data, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("brief: %v", err)
	}

	// The text summary.
	code, stdout, _ = run(t, "tally", "--roster", roster, ws)
	for _, w := range []string{"覆盖：10 / 20 家（50.0%）", "秣陵街道：", "成熟度等级：", "未诊断企业 10 家"} {
		if code != 0 || !strings.Contains(stdout, w) {
			t.Errorf("summary lacks %q:\n%s", w, stdout)
		}
	}
}

func TestTallyWithoutRosterAndWithProfile(t *testing.T) {
	t.Setenv(seal.EnvConfig, t.TempDir())
	roster := writeRosterCSV(t, 9)
	out := t.TempDir()
	if code, o, e := run(t, "demo", "--roster", roster, "--out", out, "--coverage", "1", "--seed", "2"); code != 0 {
		t.Fatalf("%s%s", o, e)
	}
	keys, _ := filepath.Glob(filepath.Join(out, "demo-key-*.json"))
	for _, k := range keys {
		run(t, "trust", "add", "--demo", k)
	}
	good, err := os.ReadFile("../questionnaires/reference/jiangning.yaml")
	if err != nil {
		t.Fatal(err)
	}
	profile := filepath.Join(t.TempDir(), "district.yaml")
	os.WriteFile(profile, bytes.Replace(good, []byte("target: 0    # 待区工信局填写\n    note: 规模以上"), []byte("target: 12\n    note: 规模以上"), 1), 0o644)
	code, stdout, errs := run(t, "tally", "--profile", profile, "--json", out)
	if code != 0 {
		t.Fatalf("%s%s", stdout, errs)
	}
	var res struct {
		Roster   any `json:"roster"`
		Coverage struct {
			Total      map[string]any            `json:"total"`
			ByCategory map[string]map[string]any `json:"by_category"`
		} `json:"coverage"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	if res.Roster != nil || res.Coverage.Total["diagnosed"] != 9.0 || res.Coverage.Total["target"] != nil {
		t.Fatalf("%s", stdout)
	}
	// 规上: firms 0, 1, 3, 4, 6, 7 (every "规上" and "高成长性企业、规上" row) of a target of 12.
	if c := res.Coverage.ByCategory["规上工业企业"]; c["target"] != 12.0 || c["diagnosed"] != 6.0 || c["rate"] != 0.5 {
		t.Fatalf("by category with profile targets: %v", res.Coverage.ByCategory)
	}
	if _, ok := res.Coverage.ByCategory["新开工企业"]["target"]; ok {
		t.Fatalf("a category without a target has none: %v", res.Coverage.ByCategory)
	}

	// Errors: a missing path or profile is an input error, a wrong export type a usage error.
	if code, _, _ := run(t, "tally", filepath.Join(out, "missing")); code != ExitInput {
		t.Errorf("missing path: exit %d", code)
	}
	if code, _, _ := run(t, "tally", "--profile", filepath.Join(out, "none.yaml"), out); code != ExitInput {
		t.Errorf("missing profile: exit %d", code)
	}
	if code, _, _ := run(t, "tally", "--out", "x.docx", out); code != ExitUsage {
		t.Errorf("--out x.docx: exit %d", code)
	}
	if code, _, _ := run(t, "tally"); code != ExitUsage {
		t.Errorf("no path: exit %d", code)
	}
	if code, _, _ := run(t, "import", out); code != ExitUsage {
		t.Errorf("import without --into: exit %d", code)
	}
	// An import with a rejected file exits 1 and says why.
	bad := filepath.Join(t.TempDir(), "bad.sdiag")
	os.WriteFile(bad, []byte("{}"), 0o644)
	code, stdout, _ = run(t, "import", "--into", t.TempDir(), bad)
	if code != ExitInput || !strings.Contains(stdout, "拒收 "+bad) {
		t.Errorf("import of a bad file: %d %s", code, stdout)
	}
}
