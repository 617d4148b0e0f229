package report

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"smartdiag/assessment"
	"smartdiag/peers"
	q "smartdiag/questionnaires"
)

// The peer section names the group and its n; a group too small falls back to a wider one, and
// without a benchmark file the bundled reference is used, with its number of firms.
func TestPeerSection(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	qn, d := demoDoc(t, "cmmm-full", 2026)
	res := assessment.Score(qn, d)
	band, _ := q.BundledProjects().SizeBand(d.Enterprise.Employees, d.Enterprise.RevenueWan)
	if d.Enterprise.Industry == "" {
		d.Enterprise.Industry = "26"
	}
	var es []peers.Entry
	for i := range 14 { // the firm's own division and band
		es = append(es, peers.Entry{Division: d.Enterprise.Industry, Size: band.Key, Level: i % 4, Score: float64(i%4) + 0.5})
	}
	for i := range 9 { // another division: too few alone
		es = append(es, peers.Entry{Division: "13", Size: band.Key, Level: i % 3, Score: 1})
	}
	text := func(opt Options) string {
		opt.Created = fixedDate
		pdf, err := Render(qn, d, opt)
		if err != nil {
			t.Fatal(err)
		}
		in := filepath.Join(t.TempDir(), "r.pdf")
		os.WriteFile(in, pdf, 0o644)
		if dir := os.Getenv("SMARTDIAG_KEEP_REPORTS"); dir != "" && opt.Peers != nil {
			os.WriteFile(filepath.Join(dir, "peers-"+opt.Lang+".pdf"), pdf, 0o644)
		}
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(string(out)), "")
	}
	f := peers.Build("江宁区", fixedDate, es)
	got := text(Options{Peers: f})
	want := q.IndustryName(d.Enterprise.Industry) + "、" + band.Name + "企业（n=14）"
	if !strings.Contains(got, want) {
		t.Errorf("peer section lacks %q", want)
	}
	if !strings.Contains(got, "本企业为"+newRenderer(qn, d, Options{}).levelName(res.Level)) {
		t.Errorf("peer section does not place the firm's level %d", res.Level)
	}
	if en := text(Options{Peers: f, Lang: "en"}); !strings.Contains(en, "(n=14)") || !strings.Contains(en, "Peercomparison") {
		t.Error("English peer section lacks its n")
	}
	// The firm in division 13: its 9 firms are too few, so the size band (23) is used.
	d.Enterprise.Industry = "13"
	if got := text(Options{Peers: f}); !strings.Contains(got, band.Name+"企业（n=23）") || strings.Contains(got, "n=9") {
		t.Error("a group under 10 is shown, or no fallback to the size band")
	}
	if got := text(Options{}); !strings.Contains(got, "尚无区里的同行基准") || !strings.Contains(got, "n≈") {
		t.Error("without a benchmark file the reference comparison is missing its n")
	}
}
