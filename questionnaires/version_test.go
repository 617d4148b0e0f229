package questionnaires

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"smartdiag/golden"
)

// Documents pin a questionnaire by id, version and SHA-256, so any change to a bundled file must
// come with a new version (and, once released, the old file kept so old documents still open).
// testdata/versions.golden records the hash of each released version; run
// `go test ./questionnaires -run ChangedQuestionnaire -update` after bumping a version.
func TestChangedQuestionnaireHasNewVersion(t *testing.T) {
	all, err := AllVersions()
	if err != nil {
		t.Fatal(err)
	}
	path := "testdata/versions.golden"
	if golden.Updating() {
		var b bytes.Buffer
		for _, q := range all {
			fmt.Fprintf(&b, "%s %s %s\n", q.ID, q.Version, q.SHA256)
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	known := map[string]string{} // "id version" → sha256
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if parts := strings.Fields(sc.Text()); len(parts) == 3 {
			known[parts[0]+" "+parts[1]] = parts[2]
		}
	}
	for _, q := range all {
		if sum, ok := known[q.ID+" "+q.Version]; ok && sum != q.SHA256 {
			t.Errorf("%s changed but its version is still %s: raise the version (documents made with the old file would no longer open)", q.File, q.Version)
		}
	}
}

// Every released version stays in the binary: Lookup finds it by version, "" gives the newest, and
// Bundled offers only the newest of each id for new diagnoses.
func TestReleasedVersionsStayLoadable(t *testing.T) {
	cur, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	all, _ := AllVersions()
	if len(all) <= len(cur) {
		t.Fatalf("%d versions for %d questionnaires: released versions are missing", len(all), len(cur))
	}
	newest := map[string]string{}
	for _, q := range cur {
		if _, dup := newest[q.ID]; dup {
			t.Errorf("Bundled lists %s twice", q.ID)
		}
		newest[q.ID] = q.Version
	}
	for _, q := range all {
		got, err := Lookup(q.ID, q.Version)
		if err != nil || got != q {
			t.Errorf("Lookup(%s, %s) = %v, %v", q.ID, q.Version, got, err)
		}
		if CompareVersions(q.Version, newest[q.ID]) > 0 {
			t.Errorf("%s %s is newer than the offered %s", q.ID, q.Version, newest[q.ID])
		}
	}
	if q, _ := Lookup("sme-2024", ""); q == nil || q.Version != "2.1.0" {
		t.Errorf("newest sme-2024 = %v", q)
	}
	for _, v := range []string{"1.0.0", "2.0.0"} {
		if _, err := Lookup("sme-2024", v); err != nil {
			t.Errorf("sme-2024 %s: %v", v, err)
		}
	}
	if _, err := Lookup("sme-2024", "9.9.9"); err == nil {
		t.Error("an unknown version was found")
	}
}

func TestCompareVersions(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"1.0.0", "2.0.0", -1}, {"1.10.0", "1.9.0", 1}, {"1.0", "1.0.0", 0}, {"2.0.0", "2.0.0", 0}, {"1.0.0-rc", "1.0.0", 1}} {
		if got := CompareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
