package brief

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

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
