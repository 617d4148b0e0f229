package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/seal/sealtest"
)

// `smartdiag report` compares with an earlier diagnosis of the same firm in the document's folder.
func TestReportComparesWithEarlierInFolder(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	dir := t.TempDir()
	firm := sealtest.Firm{Name: "甲", Code: sealtest.Code(7)}
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	var paths []string
	for i, d := range []*assessment.Document{
		sealtest.Variant(t, 0, firm, now.AddDate(-1, 0, 0)),
		sealtest.Variant(t, 1, firm, now),
		sealtest.Variant(t, 2, sealtest.Firm{Name: "乙", Code: sealtest.Code(8)}, now),
	} {
		data, err := d.Encode()
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, []string{"a", "b", "c"}[i]+assessment.Ext)
		os.WriteFile(p, data, 0o644)
		paths = append(paths, p)
	}
	has := func(doc string) bool {
		out := filepath.Join(t.TempDir(), "r.pdf")
		if code, _, errs := run(t, "report", doc, "--out", out); code != 0 {
			t.Fatalf("report %s: exit %d: %s", doc, code, errs)
		}
		text, err := exec.Command("pdftotext", out, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.Contains(string(text), "与上次诊断的对比")
	}
	if !has(paths[1]) {
		t.Error("the later diagnosis of 甲 has no comparison page")
	}
	if has(paths[0]) || has(paths[2]) {
		t.Error("a comparison page for the first diagnosis of 甲 or for 乙")
	}
}
