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
	all, err := Bundled()
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
