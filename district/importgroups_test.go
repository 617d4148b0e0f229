package district_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"smartdiag/district"
)

// A folder of 193 copies of one unsealed export, two good documents and one of them twice: the
// import log groups into one line per outcome and reason, problems first, with counts that add
// up to the files read.
func TestGroupImportCountsIdenticalReasons(t *testing.T) {
	src := t.TempDir()
	for i := range 193 {
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("未封存-%03d.sdiag", i)), []byte(`{"format":"smartdiag"}`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := sealed(t, 0, 950, recent(5), "甲服务商")
	b, _ := sealed(t, 1, 950, recent(4), "甲服务商")
	os.WriteFile(filepath.Join(src, "a.sdiag"), a, 0o644)
	os.WriteFile(filepath.Join(src, "b.sdiag"), b, 0o644)
	sub := filepath.Join(src, "再交一次")
	os.MkdirAll(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "a.sdiag"), a, 0o644)

	log, err := district.Import(t.TempDir(), []string{src}, trusted, nil)
	if err != nil {
		t.Fatal(err)
	}
	groups := district.GroupImport(log.Entries)
	total := 0
	for _, g := range groups {
		total += g.Count
		if len(g.Entries) != g.Count {
			t.Errorf("group %+v lists %d files", g.Reason, len(g.Entries))
		}
	}
	if total != log.Files || log.Files != 196 {
		t.Fatalf("groups add up to %d, the import read %d", total, log.Files)
	}
	if len(groups) != 3 {
		for _, g := range groups {
			t.Logf("%s %s ×%d %s", g.Result, g.Status, g.Count, g.Reason)
		}
		t.Fatalf("%d groups, want 3 (rejected, skipped, imported)", len(groups))
	}
	if g := groups[0]; g.Result != district.ImportRejected || g.Count != 193 || g.Reason == "" {
		t.Errorf("first group %s ×%d %q", g.Result, g.Count, g.Reason)
	}
	if g := groups[1]; g.Result != district.ImportSkipped || g.Count != 1 {
		t.Errorf("second group %s ×%d", g.Result, g.Count)
	}
	if g := groups[2]; g.Result != district.ImportImported || g.Count != 2 || g.Reason != "" {
		t.Errorf("third group %s ×%d", g.Result, g.Count)
	}
	if district.GroupImport(nil) != nil {
		t.Error("groups of nothing")
	}
}
