package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/peers"
	"smartdiag/seal"
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
		d.Created = d.Finished.Add(-time.Hour) // FindPrevious orders by creation
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

// tally --benchmark-out writes the anonymised peer benchmark; report --peers compares with it,
// and a broken benchmark file is refused with its name.
func TestBenchmarkOutAndReportPeers(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	t.Setenv(seal.EnvConfig, t.TempDir())
	roster := writeRosterCSV(t, 14)
	out := t.TempDir()
	if code, o, e := run(t, "demo", "--roster", roster, "--out", out, "--coverage", "1", "--seed", "4"); code != 0 {
		t.Fatalf("%s%s", o, e)
	}
	keys, _ := filepath.Glob(filepath.Join(out, "demo-key-*.json"))
	for _, k := range keys {
		run(t, "trust", "add", "--demo", k)
	}
	bench := filepath.Join(t.TempDir(), "peers.json")
	if code, o, e := run(t, "tally", "--benchmark-out", bench, out); code != 0 || !strings.Contains(e, "已导出："+bench) {
		t.Fatalf("tally --benchmark-out: %d %s%s", code, o, e)
	}
	data, err := os.ReadFile(bench)
	if err != nil {
		t.Fatal(err)
	}
	pf, err := peers.Parse(bench, data)
	if err != nil {
		t.Fatal(err)
	}
	var all *peers.Group
	for i, g := range pf.Groups {
		if g.Division == "" && g.Size == "" {
			all = &pf.Groups[i]
		}
	}
	if all == nil || all.N < 10 {
		t.Fatalf("no district-wide group of ≥ 10 in %s", data)
	}
	for _, secret := range []string{"name", "credit", "公司"} {
		if strings.Contains(string(data), secret) {
			t.Errorf("the benchmark carries %q", secret)
		}
	}
	docs, _ := filepath.Glob(filepath.Join(out, "*"+assessment.Ext))
	pdf := filepath.Join(t.TempDir(), "r.pdf")
	if code, o, e := run(t, "report", docs[0], "--peers", bench, "--out", pdf); code != 0 {
		t.Fatalf("report --peers: %s%s", o, e)
	}
	text, _ := exec.Command("pdftotext", pdf, "-").Output()
	if flat := strings.Join(strings.Fields(string(text)), ""); !strings.Contains(flat, "统计导出的同行基准") || !strings.Contains(flat, "n=") {
		t.Error("the report does not compare with the exported benchmark")
	}
	os.WriteFile(bench, []byte(`{"format":"smartdiag.peers/1","groups":[{"n":3}]}`), 0o644)
	if code, _, e := run(t, "report", docs[0], "--peers", bench, "--out", pdf); code != ExitInput || !strings.Contains(e, bench) {
		t.Errorf("a broken benchmark: exit %d, %s", code, e)
	}
}
