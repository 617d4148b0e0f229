package report

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"smartdiag/assessment"
)

// rawPDFText returns the text of a PDF as pdftotext reads it, line breaks kept.
func rawPDFText(t *testing.T, pdf []byte) string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// isCJK is a Han character or CJK punctuation (、，。（）「」 and full-width forms).
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// cjkRuns returns the runs of CJK characters in s.
func cjkRuns(s string) []string {
	var runs []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			runs = append(runs, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		if isCJK(r) {
			cur = append(cur, r)
		} else {
			flush()
		}
	}
	flush()
	return runs
}

// ownWords is everything the document itself says in the firm's or the consultant's words: the
// only Chinese an English report may print.
func ownWords(d *assessment.Document) []string {
	e, a := d.Enterprise, d.Assessor
	out := []string{e.Name, e.Street, e.Address, e.Contact, e.Products, e.Processes, a.Name, a.Organisation}
	out = append(out, e.PainPoints...)
	for _, in := range e.Inventory {
		out = append(out, in.Name, in.Model, in.Note)
	}
	for _, ans := range d.Answers {
		out = append(out, ans.Note)
		for _, ev := range ans.Evidence {
			out = append(out, ev.Name)
		}
	}
	if d.Confirmation != nil {
		out = append(out, d.Confirmation.Name)
	}
	if d.Plan != nil {
		for _, e := range d.Plan.Actions {
			out = append(out, e.Comment)
		}
		for _, c := range d.Plan.Custom {
			out = append(out, c.Text, c.Comment)
		}
	}
	return out
}

// An English report is English throughout except the firm's and the consultant's own words (names,
// addresses, notes, pain points, inventory): every run of Chinese characters in its text must come
// from those fields. Firms at several levels and every bundled questionnaire are checked.
func TestEnglishReportHasNoChineseOutsideTheFirmsOwnWords(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	cases := []struct {
		qid     string
		version string // "" for the newest; released versions have their own English
		seed    uint64
	}{
		{"cmmm-full", "", 1}, {"cmmm-full", "", 3}, {"cmmm-full", "", 11}, {"cmmm-full", "", 24},
		{"zgsz-quick", "", 2}, {"sme-2024", "", 5}, {"ai-2026", "", 2},
		{"cmmm-full", "1.0.0", 3}, {"zgsz-quick", "1.0.0", 2}, {"sme-2024", "1.0.0", 5},
	}
	for _, c := range cases {
		qn, d := demoDocOf(t, c.qid, c.version, c.seed)
		d.Enterprise.Products = "汽车座椅骨架、精密冲压件"
		d.Enterprise.Processes = "冲压、焊接、涂装、总装"
		d.Enterprise.PainPoints = []string{"换型要停线半天，订单一多就排不过来。"}
		d.Enterprise.Inventory = []assessment.InventoryEntry{{Kind: "system", Name: "金蝶云星空", Model: "金蝶", Since: 2021}, {Kind: "equipment", Name: "伺服压力机", Count: 6}}
		pdf, err := Render(qn, d, Options{Created: fixedDate, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		text := rawPDFText(t, pdf)
		allowed := ownWords(d)
		bad := map[string]bool{}
		for _, run := range cjkRuns(text) {
			ok := false
			for _, w := range allowed {
				if w != "" && strings.Contains(w, run) {
					ok = true
					break
				}
			}
			if !ok {
				bad[run] = true
			}
		}
		if len(bad) > 0 {
			var list []string
			for run := range bad {
				list = append(list, run)
			}
			t.Errorf("%s %s seed %d: %d Chinese strings in the English report that are not the firm's own words, e.g. %q", c.qid, qn.Version, c.seed, len(list), list[:min(8, len(list))])
		}
		// The firm's own words are still there, in the original.
		for _, w := range []string{d.Enterprise.Products, "金蝶云星空"} {
			if !strings.Contains(strings.Join(strings.Fields(text), ""), w) {
				t.Errorf("%s seed %d: the English report lost the firm's own words %q", c.qid, c.seed, w)
			}
		}
	}
}

func TestCJKRuns(t *testing.T) {
	got := cjkRuns("Firm 南京将军（示例） scored 2.47, 执行到位。 ok")
	want := []string{"南京将军（示例）", "执行到位。"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("cjkRuns = %q, want %q", got, want)
	}
}
