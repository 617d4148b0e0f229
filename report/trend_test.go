package report

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	q "smartdiag/questionnaires"
)

// earlierCopy is d a year before, with the given items at the scale's lowest option.
func earlierCopy(t *testing.T, qn *q.Questionnaire, d *assessment.Document, lower []string) *assessment.Document {
	t.Helper()
	data, _ := d.Encode()
	e, err := assessment.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	e.ID = "019a0000-0000-7000-8000-0000000000e1"
	fin := assessment.DiagnosisDate(d).AddDate(-1, 0, 0)
	e.Finished, e.Created = &fin, fin.Add(-2*time.Hour)
	low := qn.CMMM.Scale[0]
	for _, o := range qn.CMMM.Scale {
		if o.Value < low.Value {
			low = o
		}
	}
	v, _ := json.Marshal(low.Key)
	for _, id := range lower {
		e.Answers[id].Value = v
	}
	return e
}

// With an earlier diagnosis of the firm the report has a comparison page that names the actions
// done since; without one, or with one of another firm, it has none.
func TestTrendPage(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	qn, d := demoDoc(t, "cmmm-full", 2026)
	// Items the firm meets (credit above the lowest option) that were at the bottom a year ago.
	var lowered []string
	res := assessment.Score(qn, d)
	for _, it := range qn.Items() {
		a := d.Answers[it.ID]
		if it.Type != q.TypeScale || it.Level > res.Level+1 || a == nil || len(lowered) == 6 {
			continue
		}
		var key string
		json.Unmarshal(a.Value, &key)
		if key == "full" {
			lowered = append(lowered, it.ID)
		}
	}
	if len(lowered) == 0 {
		t.Fatal("no fully met item in the demo firm")
	}
	e := earlierCopy(t, qn, d, lowered)
	other := earlierCopy(t, qn, d, lowered)
	other.Enterprise.CreditCode = "91320115MA1Y0000XX"
	text := func(opt Options) string {
		opt.Created = fixedDate
		pdf, err := Render(qn, d, opt)
		if err != nil {
			t.Fatal(err)
		}
		in := filepath.Join(t.TempDir(), "r.pdf")
		os.WriteFile(in, pdf, 0o644)
		if dir := os.Getenv("SMARTDIAG_KEEP_REPORTS"); dir != "" && opt.Earlier != nil && opt.Earlier.Doc == e {
			os.WriteFile(filepath.Join(dir, "trend-"+opt.Lang+".pdf"), pdf, 0o644)
		}
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(string(out)), "")
	}
	for _, lang := range []string{"zh", "en"} {
		heading := map[string]string{"zh": "与上次诊断的对比", "en": "Changesincethelastdiagnosis"}[lang]
		got := text(Options{Lang: lang, Earlier: &Earlier{Doc: e, Questionnaire: qn}})
		if !strings.Contains(got, heading) {
			t.Fatalf("%s: no comparison page", lang)
		}
		page := got[strings.Index(got, heading):]
		for _, id := range lowered {
			if !strings.Contains(page, id) {
				t.Errorf("%s: action %s done since is not listed", lang, id)
			}
		}
		if lang == "zh" && !strings.Contains(page, "现已完全满足") {
			t.Error("zh: no count of the actions done")
		}
		for name, opt := range map[string]Options{
			"none":       {Lang: lang},
			"other firm": {Lang: lang, Earlier: &Earlier{Doc: other, Questionnaire: qn}},
			"later":      {Lang: lang, Earlier: &Earlier{Doc: d, Questionnaire: qn}},
		} {
			if strings.Contains(text(opt), heading) {
				t.Errorf("%s %s: comparison page without an earlier diagnosis of the firm", lang, name)
			}
		}
	}
}

// Every questionnaire renders its comparison page (points and AI questionnaires compare their
// sections; a copy a year before with the same answers changes nothing).
func TestTrendPageEveryQuestionnaire(t *testing.T) {
	for _, qid := range []string{"cmmm-full", "zgsz-quick", "sme-2024", "ai-2026"} {
		qn, d := demoDoc(t, qid, 5)
		data, _ := d.Encode()
		e, err := assessment.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		e.ID = "019a0000-0000-7000-8000-0000000000e2"
		fin := assessment.DiagnosisDate(d).AddDate(0, -6, 0)
		e.Finished, e.Created = &fin, fin.Add(-2*time.Hour)
		for _, lang := range []string{"zh", "en"} {
			r := newRenderer(qn, d, Options{Created: fixedDate, Lang: lang, Earlier: &Earlier{Doc: e, Questionnaire: qn}})
			if r.trend == nil {
				t.Fatalf("%s: no trend", qid)
			}
			if len(r.trend.Done)+len(r.trend.Improved) != 0 || r.trend.Level[0] != r.trend.Level[1] {
				t.Errorf("%s: the same answers show progress: %d done, %d improved, levels %v", qid, len(r.trend.Done), len(r.trend.Improved), r.trend.Level)
			}
			r.build(nil)
			if err := r.pdf.Error(); err != nil {
				t.Errorf("%s %s: %v", qid, lang, err)
			}
		}
	}
}
