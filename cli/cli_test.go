package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"smartdiag/assessment"
	"smartdiag/golden"
	"smartdiag/questionnaires"
)

// run calls the CLI in-process and returns exit code, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"demo"},
		{"demo", "--count", "x", "--out", "d"},
		{"score"},
		{"score", "--nope", "f"},
		{"questionnaires", "extra"},
	} {
		if code, _, _ := run(t, args...); code != ExitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, ExitUsage)
		}
	}
	if code, out, _ := run(t, "help"); code != 0 || !strings.Contains(out, "validate") {
		t.Errorf("help: %d %q", code, out)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := run(t, "version")
	if code != 0 || !strings.HasPrefix(out, "smartdiag ") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestQuestionnairesJSON(t *testing.T) {
	code, out, errs := run(t, "questionnaires", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out)
	}
	byID := map[string]map[string]any{}
	for _, q := range list {
		for _, k := range []string{"id", "version", "title", "scoring", "sections", "levels", "items", "sha256"} {
			if _, ok := q[k]; !ok {
				t.Errorf("%v lacks %q", q["id"], k)
			}
		}
		byID[q["id"].(string)] = q
	}
	full := byID["cmmm-full"]
	if full == nil || full["sections"].(float64) != 20 || full["levels"].(float64) != 5 || full["items"].(float64) < 200 || full["scoring"] != "cmmm" {
		t.Errorf("cmmm-full: %v", full)
	}
	if sme := byID["sme-2024"]; sme == nil || sme["scoring"] != "points" {
		t.Errorf("sme-2024: %v", sme)
	}
	if ai := byID["ai-2026"]; ai == nil || ai["scoring"] != "ai" || ai["levels"].(float64) != 4 || ai["sections"].(float64) != 6 {
		t.Errorf("ai-2026: %v", ai)
	}
}

func TestValidate(t *testing.T) {
	code, out, errs := run(t, "validate")
	// Four current questionnaires and their released earlier versions (seven).
	if code != 0 || strings.Count(out, ": ok ") != 11 || !strings.Contains(out, "questionnaires/released/sme-2024-1.0.0.yaml: ok sme-2024 1.0.0") {
		t.Fatalf("bundled: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "英文译文：ok") {
		t.Errorf("validate does not report the English check:\n%s", out)
	}
	code, out, _ = run(t, "validate", "--i18n-hashes")
	for _, v := range []string{"", "1.0.0"} { // the current version and a released one
		q, _ := questionnaires.Lookup("zgsz-quick", v)
		it, _ := q.Item("Q-OPS-3-01")
		if want := "zgsz-quick " + q.Version + " Q-OPS-3-01 " + questionnaires.ZHHash(it) + "\n"; code != 0 || !strings.Contains(out, want) {
			t.Errorf("--i18n-hashes: exit %d, no line %q", code, want)
		}
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("format: smartdiag.questionnaire/1\nid: x\nversion: \"1\"\ntitle: t\nscoring: stars\n"), 0o644)
	code, _, errs = run(t, "validate", bad)
	if code != ExitInput || !strings.Contains(errs, bad+":5: scoring 应为 cmmm、points 或 ai") {
		t.Errorf("bad file: exit %d, stderr %q", code, errs)
	}
	code, _, errs = run(t, "validate", filepath.Join(dir, "missing.yaml"))
	if code != ExitInput || !strings.Contains(errs, "missing.yaml：无法读取") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
}

func TestDemoIsDeterministicAndScores(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if code, _, errs := run(t, "demo", "--out", dir, "--count", "6", "--seed", "42"); code != 0 {
			t.Fatalf("demo: %d %s", code, errs)
		}
	}
	files, _ := filepath.Glob(filepath.Join(a, "*.sdiag"))
	if len(files) != 6 {
		t.Fatalf("%d files, want 6", len(files))
	}
	for _, f := range files {
		x, _ := os.ReadFile(f)
		y, err := os.ReadFile(filepath.Join(b, filepath.Base(f)))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", filepath.Base(f))
		}
		// Flags after and before the file give the same result.
		c1, o1, e1 := run(t, "score", f, "--json")
		c2, o2, _ := run(t, "score", "--json", f)
		if c1 != 0 || o1 != o2 || c2 != 0 {
			t.Fatalf("score: %d %s", c1, e1)
		}
		var r struct {
			ID         string `json:"id"`
			Enterprise struct {
				Name       string `json:"name"`
				CreditCode string `json:"credit_code"`
			} `json:"enterprise"`
			Questionnaire struct{ ID, Version string } `json:"questionnaire"`
			Complete      bool                         `json:"complete"`
			Level         int                          `json:"level"`
			Score         float64                      `json:"score"`
			LevelScores   []float64                    `json:"level_scores"`
			Domains       []struct {
				ID, Name string
				Score    float64
			} `json:"domains"`
			Tracks map[string]float64 `json:"tracks"`
		}
		if err := json.Unmarshal([]byte(o1), &r); err != nil {
			t.Fatal(err)
		}
		if r.ID == "" || r.Enterprise.Name == "" || len(r.Enterprise.CreditCode) != 18 || r.Questionnaire.ID != "cmmm-full" ||
			!r.Complete || r.Level < 0 || r.Level > 5 || r.Score < 0 || r.Score > 5 || len(r.LevelScores) != 5 ||
			len(r.Domains) != 12 || len(r.Tracks) != 3 {
			t.Errorf("score --json: %+v", r)
		}
	}
	// Several files give one JSON object per line.
	code, out, _ := run(t, append([]string{"score", "--json"}, files...)...)
	if code != 0 || strings.Count(strings.TrimSpace(out), "\n") != len(files)-1 {
		t.Errorf("multi-file JSON lines: %d\n%s", code, out)
	}
}

func TestScoreBadFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	run(t, "demo", "--out", good, "--count", "1")
	files, _ := filepath.Glob(filepath.Join(good, "*.sdiag"))
	bad := filepath.Join(dir, "bad.sdiag")
	os.WriteFile(bad, []byte(`{"format":"smartdiag.diagnosis/2"}`), 0o644)
	code, out, errs := run(t, "score", bad, files[0])
	if code != ExitInput || !strings.Contains(errs, bad+"：") || !strings.Contains(errs, "需要更新软件") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, "成熟度等级") {
		t.Errorf("the good file was not scored after the bad one: %q", out)
	}
}

// The readable summary is compared with a golden file; run `go test ./cli -update` after a
// deliberate change to questionnaires or wording.
func TestScoreSummaryGolden(t *testing.T) {
	for _, qid := range []string{"cmmm-full", "zgsz-quick", "sme-2024", "ai-2026"} {
		t.Run(qid, func(t *testing.T) {
			dir := t.TempDir()
			if code, _, errs := run(t, "demo", "--out", dir, "--count", "1", "--seed", "2026", "--questionnaire", qid); code != 0 {
				t.Fatal(errs)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*.sdiag"))
			code, out, errs := run(t, "score", files[0])
			if code != 0 {
				t.Fatal(errs)
			}
			golden.Check(t, filepath.Join("testdata", "score-"+qid+".golden"), []byte(out))
		})
	}
}

func TestReport(t *testing.T) {
	dir := t.TempDir()
	docs := filepath.Join(dir, "docs")
	run(t, "demo", "--out", docs, "--count", "3", "--seed", "9")
	files, _ := filepath.Glob(filepath.Join(docs, "*.sdiag"))
	broken := filepath.Join(docs, "broken.sdiag")
	os.WriteFile(broken, []byte(`{"format":"smartdiag.diagnosis/1","id":"x"`), 0o644)

	// Many documents to a folder: the broken one fails, the others are still written.
	out := filepath.Join(dir, "pdf")
	code, stdout, errs := run(t, append([]string{"report", "--out", out, "--lang", "en"}, append(files, broken)...)...)
	if code != ExitInput || !strings.Contains(errs, "broken.sdiag：文件不完整") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	pdfs, _ := filepath.Glob(filepath.Join(out, "*.pdf"))
	if len(pdfs) != 3 || strings.Count(stdout, "→") != 3 {
		t.Errorf("%d reports written, want 3\n%s", len(pdfs), stdout)
	}
	for _, p := range pdfs {
		b, _ := os.ReadFile(p)
		if !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("%s is not a PDF", p)
		}
	}
	// One document to a named file.
	one := filepath.Join(dir, "one.pdf")
	if code, _, errs := run(t, "report", files[0], "--out", one); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if st, err := os.Stat(one); err != nil || st.Size() == 0 {
		t.Errorf("one.pdf: %v", err)
	}
	if code, _, _ := run(t, "report", files[0], "--lang", "fr"); code != ExitUsage {
		t.Errorf("--lang fr: exit %d, want 2", code)
	}
}

func TestListWorkspace(t *testing.T) {
	dir := t.TempDir()
	run(t, "demo", "--out", dir, "--count", "2", "--seed", "4")
	os.WriteFile(filepath.Join(dir, "broken.sdiag"), []byte("{"), 0o644)
	code, out, errs := run(t, "list", "--workspace", dir, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var entries []listEntry
	if err := json.Unmarshal([]byte(out), &entries); err != nil || len(entries) != 3 {
		t.Fatalf("entries %v: %v", entries, err)
	}
	bad := 0
	for _, e := range entries {
		if e.Error != "" {
			bad++
		} else if e.Level == nil || e.Status != "finished" {
			t.Errorf("entry %+v", e)
		}
	}
	if bad != 1 {
		t.Errorf("%d unreadable entries, want 1", bad)
	}
	t.Setenv("SMARTDIAG_WORKSPACE", dir)
	if code, out, _ := run(t, "list"); code != 0 || !strings.Contains(out, "3 份诊断") {
		t.Errorf("list with SMARTDIAG_WORKSPACE: %d %q", code, out)
	}
	if code, _, _ := run(t, "list", "--workspace", filepath.Join(dir, "nope")); code != ExitInput {
		t.Errorf("missing workspace: exit %d", code)
	}
}

// Report names come from the firm name: a very long name and a name starting with a dot must
// still give a file that exists, is visible to import and carries the document id.
func TestReportFileNamesFromHostileFirmNames(t *testing.T) {
	dir := t.TempDir()
	docs := filepath.Join(dir, "docs")
	run(t, "demo", "--out", docs, "--count", "1", "--seed", "3")
	files, _ := filepath.Glob(filepath.Join(docs, "*.sdiag"))
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	d, err := assessment.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{strings.Repeat("宁波市海曙区智能装备制造有限公司", 6), ".隐藏公司", "CON", "公司/分厂:一车间"} {
		d.Enterprise.Name = name
		b, err := d.Encode()
		if err != nil {
			t.Fatal(err)
		}
		in := filepath.Join(dir, "in", strings.Repeat("x", i+1)+".sdiag")
		os.MkdirAll(filepath.Dir(in), 0o755)
		os.WriteFile(in, b, 0o644)
		out := filepath.Join(dir, "out"+strings.Repeat("x", i))
		if code, stdout, errs := run(t, "report", in, "--out", out); code != 0 {
			t.Errorf("%q: exit %d: %s %s", name, code, stdout, errs)
			continue
		}
		entries, _ := os.ReadDir(out)
		if len(entries) != 1 {
			t.Errorf("%q: %d files in --out", name, len(entries))
			continue
		}
		got := entries[0].Name()
		if strings.HasPrefix(got, ".") || !strings.HasSuffix(got, d.ID[len(d.ID)-8:]+".pdf") || len(got) > 200 {
			t.Errorf("%q: report file %q is hidden, too long or lacks the id", name, got)
		}
	}
}

// The plan, readable and as JSON, is compared with golden files for one firm of each questionnaire;
// run `go test ./cli -update` after a deliberate change to the plan, the catalogue or wording.
func TestPlanGolden(t *testing.T) {
	for _, tc := range []struct{ qid, lang string }{{"cmmm-full", "zh"}, {"cmmm-full", "en"}, {"sme-2024", "zh"}, {"zgsz-quick", "zh"}} {
		t.Run(tc.qid+"-"+tc.lang, func(t *testing.T) {
			dir := t.TempDir()
			if code, _, errs := run(t, "demo", "--out", dir, "--count", "1", "--seed", "2026", "--questionnaire", tc.qid); code != 0 {
				t.Fatal(errs)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*.sdiag"))
			for _, asJSON := range []bool{false, true} {
				args := []string{"plan", files[0], "--lang", tc.lang}
				name := "plan-" + tc.qid + "-" + tc.lang + ".golden"
				if asJSON {
					if tc.lang != "zh" {
						continue // JSON does not depend on the language
					}
					args = append(args, "--json")
					name = "plan-" + tc.qid + ".json.golden"
				}
				code, out, errs := run(t, args...)
				if code != 0 {
					t.Fatal(errs)
				}
				golden.Check(t, filepath.Join("testdata", name), []byte(out))
			}
		})
	}
}

// The JSON contract: actions in recommended order with item, subdomain, level, gain, phase and
// project; projects with id, name, actions, investment range, months and benefits; every action
// in exactly one project.
func TestPlanJSONContract(t *testing.T) {
	dir := t.TempDir()
	run(t, "demo", "--out", dir, "--count", "3", "--seed", "14")
	files, _ := filepath.Glob(filepath.Join(dir, "*.sdiag"))
	for _, f := range files {
		code, out, errs := run(t, "plan", "--json", f)
		if code != 0 {
			t.Fatal(errs)
		}
		var p struct {
			Actions []struct {
				Item, Subdomain, Phase, Project, Tier string
				Level                                 int
				Gain                                  *float64
				Excluded                              bool
			}
			Projects []struct {
				ID, Name, Benefits string
				Actions            []string
				InvestmentWan      []float64 `json:"investment_wan"`
				Months             []int
			}
		}
		if err := json.Unmarshal([]byte(out), &p); err != nil {
			t.Fatal(err)
		}
		if len(p.Actions) == 0 || len(p.Projects) < 5 || len(p.Projects) > 10 {
			t.Fatalf("%s: %d actions, %d projects", f, len(p.Actions), len(p.Projects))
		}
		inProject := map[string]string{}
		for _, pr := range p.Projects {
			if pr.ID == "" || pr.Name == "" || pr.Benefits == "" || len(pr.Actions) == 0 || len(pr.InvestmentWan) != 2 || pr.InvestmentWan[0] > pr.InvestmentWan[1] || len(pr.Months) != 2 {
				t.Errorf("project %+v", pr)
			}
			for _, id := range pr.Actions {
				inProject[id] = pr.ID
			}
		}
		order := map[string]int{"foundation": 0, "next": 1, "consolidate": 2, "beyond": 3}
		prev := 0
		for _, a := range p.Actions {
			if a.Item == "" || a.Subdomain == "" || a.Level == 0 || a.Gain == nil || inProject[a.Item] != a.Project {
				t.Errorf("action %+v (in project %q)", a, inProject[a.Item])
			}
			if a.Phase != "near" && a.Phase != "mid" && a.Phase != "far" {
				t.Errorf("%s phase %q", a.Item, a.Phase)
			}
			if order[a.Tier] < prev {
				t.Errorf("%s (%s) after a later tier: not in recommended order", a.Item, a.Tier)
			}
			prev = order[a.Tier]
		}
	}
}

func TestPlanBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.sdiag")
	os.WriteFile(bad, []byte("{not json"), 0o644)
	for _, f := range []string{bad, filepath.Join(dir, "missing.sdiag")} {
		code, out, errs := run(t, "plan", f)
		if code != ExitInput || !strings.Contains(errs, f+"：") || out != "" {
			t.Errorf("%s: exit %d, stderr %q", f, code, errs)
		}
	}
	for _, args := range [][]string{{"plan"}, {"plan", "a", "b"}, {"plan", bad, "--lang", "fr"}} {
		if code, _, _ := run(t, args...); code != ExitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, ExitUsage)
		}
	}
}
