package tally

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

var pageRe = regexp.MustCompile(`/Type /Page\b[^s]`)

func TestBriefHasTwoToFourPages(t *testing.T) {
	s := writeSmallDistrict(t)
	withRoster, err := TallyWith([]string{s.Dir}, Options{Roster: smallRoster(t), Trusted: smallTrust, Now: asOf})
	if err != nil {
		t.Fatal(err)
	}
	noRoster, _ := TallyWith([]string{s.Dir}, Options{Trusted: smallTrust, Now: asOf})
	empty, _ := TallyWith(nil, Options{Roster: smallRoster(t), Now: asOf})
	nothing, _ := TallyWith(nil, Options{Now: asOf})
	for name, res := range map[string]*Result{"roster": withRoster, "no-roster": noRoster, "empty": empty, "nothing": nothing} {
		var buf bytes.Buffer
		if err := Brief(&buf, res); err != nil {
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
	// WriteBrief writes the file, creating its folder; a folder of diagnoses with the brief in
	// it still tallies the same (a PDF without a diagnosis found in a folder is passed over).
	path := filepath.Join(s.Dir, "exports", "简报.pdf")
	if err := WriteBrief(withRoster, path); err != nil {
		t.Fatal(err)
	}
	again, err := TallyWith([]string{s.Dir}, Options{Roster: smallRoster(t), Trusted: smallTrust, Now: asOf})
	if err != nil || again.Diagnoses.Files != withRoster.Diagnoses.Files || len(again.Diagnoses.Rejected) != len(withRoster.Diagnoses.Rejected) {
		t.Fatalf("with the brief in the folder: %+v %v", again.Diagnoses, err)
	}
	// Named explicitly, the same PDF is reported.
	named, _ := TallyWith([]string{path}, Options{Trusted: smallTrust, Now: asOf})
	if len(named.Diagnoses.Rejected) != 1 {
		t.Fatalf("named brief: %+v", named.Diagnoses)
	}
}
