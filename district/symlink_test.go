package district_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"smartdiag/district"
)

// Issue 11 item 13: a folder given through a symbolic link is searched; links inside it to
// documents in the same tree are read once; links out of the tree or to nowhere are reported,
// never skipped silently.
func TestCollectInputsFollowsLinksInsideTheTree(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges")
	}
	base := t.TempDir()
	real := filepath.Join(base, "real")
	a, _ := sealed(t, 0, 1001, recent(3), "甲服务商")
	b, _ := sealed(t, 1, 1002, recent(3), "甲服务商")
	c, _ := sealed(t, 2, 1003, recent(3), "甲服务商")
	write(t, real, "a.sdiag", a)
	write(t, filepath.Join(real, ".archive"), "b.sdiag", b) // a hidden folder is not searched…
	outside := write(t, t.TempDir(), "c.sdiag", c)
	link := func(target, name string) {
		if err := os.Symlink(target, filepath.Join(real, name)); err != nil {
			t.Skip(err)
		}
	}
	link(filepath.Join(real, ".archive", "b.sdiag"), "b-link.sdiag") // …but a link into it is read
	link(filepath.Join(real, "a.sdiag"), "a-again.sdiag")            // the same file: listed once
	link(outside, "outside.sdiag")
	link(filepath.Join(real, "gone.sdiag"), "broken.sdiag")
	given := filepath.Join(base, "via-link")
	if err := os.Symlink(real, given); err != nil {
		t.Skip(err)
	}
	log, err := district.Import(filepath.Join(t.TempDir(), "区"), []string{given}, trusted, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]district.ImportEntry{}
	for _, e := range log.Entries {
		if !strings.HasPrefix(e.File, given) {
			t.Errorf("%s is not shown under the folder given", e.File)
		}
		got[filepath.Base(e.File)] = e
	}
	if log.Imported != 2 || len(log.Entries) != 4 {
		t.Fatalf("%d imported, entries %+v", log.Imported, log.Entries)
	}
	if e := got["outside.sdiag"]; e.Result != district.ImportRejected || !strings.Contains(e.Reason, "之外") {
		t.Errorf("link out of the tree: %+v", e)
	}
	if e := got["broken.sdiag"]; e.Result != district.ImportRejected || !strings.Contains(e.Reason, "符号链接") {
		t.Errorf("broken link: %+v", e)
	}
}
