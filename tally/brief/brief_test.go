package brief

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/demo"
	q "smartdiag/questionnaires"
	"smartdiag/seal/sealtest"
	"smartdiag/tally"
	"smartdiag/tally/tallytest"
)

var pageRe = regexp.MustCompile(`/Type /Page\b[^s]`)

func TestBriefHasTwoToFourPages(t *testing.T) {
	s := writeSmallDistrict(t)
	withRoster, err := tally.TallyWith([]string{s.Dir}, tally.Options{Roster: smallRoster(t), Trusted: smallTrust, Now: asOf})
	if err != nil {
		t.Fatal(err)
	}
	noRoster, _ := tally.TallyWith([]string{s.Dir}, tally.Options{Trusted: smallTrust, Now: asOf})
	empty, _ := tally.TallyWith(nil, tally.Options{Roster: smallRoster(t), Now: asOf})
	nothing, _ := tally.TallyWith(nil, tally.Options{Now: asOf})
	for name, res := range map[string]*tally.Result{"roster": withRoster, "no-roster": noRoster, "empty": empty, "nothing": nothing} {
		var buf bytes.Buffer
		if err := Render(&buf, res); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		pdf := buf.Bytes()
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("%s: not a PDF", name)
		}
		if n := len(pageRe.FindAll(pdf, -1)); n < 2 || n > 4 {
			t.Errorf("%s: %d pages", name, n)
		}
		if os.Getenv("SMARTDIAG_KEEP_BRIEF") != "" {
			os.WriteFile(filepath.Join(os.Getenv("SMARTDIAG_KEEP_BRIEF"), name+".pdf"), pdf, 0o644)
		}
	}
	// Write writes the file, creating its folder; a folder of diagnoses with the brief in
	// it still tallies the same (a PDF without a diagnosis found in a folder is passed over).
	path := filepath.Join(s.Dir, "exports", "简报.pdf")
	if err := Write(withRoster, path); err != nil {
		t.Fatal(err)
	}
	again, err := tally.TallyWith([]string{s.Dir}, tally.Options{Roster: smallRoster(t), Trusted: smallTrust, Now: asOf})
	if err != nil || again.Diagnoses.Files != withRoster.Diagnoses.Files || len(again.Diagnoses.Rejected) != len(withRoster.Diagnoses.Rejected) {
		t.Fatalf("with the brief in the folder: %+v %v", again.Diagnoses, err)
	}
	// Named explicitly, the same PDF is reported.
	named, _ := tally.TallyWith([]string{path}, tally.Options{Trusted: smallTrust, Now: asOf})
	if len(named.Diagnoses.Rejected) != 1 {
		t.Fatalf("named brief: %+v", named.Diagnoses)
	}
}

// The small district comes from tally/tallytest.
var (
	writeSmallDistrict = tallytest.WriteSmallDistrict
	smallRoster        = tallytest.SmallRoster
	smallTrust         = tallytest.SmallTrust
	asOf               = tallytest.AsOf
)

// A round of AI diagnoses only: the level chart shows the AI levels, not five empty maturity bars,
// and the national and provincial maturity references are left out.
func TestBriefOfAIDiagnosesOnly(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	qn, err := q.Lookup("ai-2026", "")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := demo.Generate(demo.Options{Count: 12, Seed: 5, Questionnaire: qn})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i, d := range docs {
		d.Enterprise.CreditCode = sealtest.Code(i)
		sealtest.WriteFile(t, filepath.Join(dir, d.ID+assessment.Ext), tallytest.Seal(t, d, "甲服务商"))
	}
	res, err := tally.TallyWith([]string{dir}, tally.Options{Trusted: sealtest.TrustOf("甲服务商"), Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil || res.AI == nil || res.AI.N != 12 {
		t.Fatalf("tally: %v %+v", err, res)
	}
	path := filepath.Join(t.TempDir(), "brief.pdf")
	if err := Write(res, path); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-f", "2", "-l", "2", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), "")
	if !strings.Contains(text, "AI应用等级分布（参照，人工智能+制造诊断12家）") || !strings.Contains(text, res.AI.LevelNames[1]) {
		t.Errorf("page 2 has no AI level chart:\n%s", out)
	}
	if strings.Contains(text, "成熟度等级分布") || strings.Contains(text, "与全国、江苏") {
		t.Errorf("page 2 still shows maturity levels for AI diagnoses:\n%s", out)
	}
}
