package app

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/demo"
	"smartdiag/roster"
	"smartdiag/seal"
)

// The office imports a roster and a folder of sealed diagnoses from a trusted provider and sees
// them counted; a tampered file is rejected, not counted.
func TestDistrictImportAndDashboard(t *testing.T) {
	t.Setenv("SMARTDIAG_CONFIG", t.TempDir())
	ui, _ := newTestUI(t)
	ui.app.Preferences().SetString(prefDistrictDir, filepath.Join(t.TempDir(), "district"))
	rosterPath, _ := filepath.Abs("../roster/testdata/utf8-bom.csv")
	roster, err := roster.ImportRoster(rosterPath)
	if err != nil || len(roster.Entries) < 3 {
		t.Fatalf("fixture roster: %v (%d firms)", err, len(roster.Entries))
	}

	// A provider seals three diagnoses of roster firms, and one file is altered on the way.
	key, _, err := seal.LoadOrCreateKey()
	if err != nil {
		t.Fatal(err)
	}
	signer := assessment.Signer{Name: "沈立新", Organisation: "江苏智造诊断服务有限公司"}
	docs, err := demo.Generate(demo.Options{Count: 3, Seed: 8})
	if err != nil {
		t.Fatal(err)
	}
	in := t.TempDir()
	for i, d := range docs {
		e := roster.Entries[i]
		d.Enterprise.Name, d.Enterprise.CreditCode, d.Enterprise.Categories = e.Name, e.CreditCode, e.Categories
		data, err := seal.Seal(d, key, signer, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			data[len(data)/2] ^= 1
		}
		os.WriteFile(filepath.Join(in, d.ID+assessment.Ext), data, 0o644)
	}
	pub, _ := seal.NewPublicKeyFile(key.Public().(ed25519.PublicKey), signer, time.Now()).Encode()

	ui.showDistrict()
	ds := ui.district
	if !ds.loadRoster(rosterPath) {
		t.Fatal("roster not loaded")
	}
	if _, err := ds.trust.AddKey(pub, "江苏智造诊断服务有限公司", time.Now()); err != nil {
		t.Fatal(err)
	}
	ds.importPaths([]string{in})
	if len(ds.importGroups) != 2 { // the tampered file, the two imported
		t.Fatalf("import groups: %+v", ds.importGroups)
	}
	if want := "共 3 个文件：导入 2，已存在 0，冲突 0，拒收 1"; !strings.HasPrefix(ds.importSummary.Text, want) {
		t.Errorf("import summary %q, want %q…", ds.importSummary.Text, want)
	}
	// Only the two verified documents reach the district workspace, and both are counted.
	r := ds.result
	if r == nil || r.Diagnoses.Counted != 2 || r.Diagnoses.Files != 2 {
		t.Fatalf("tally: counted %d of %d files", r.Diagnoses.Counted, r.Diagnoses.Files)
	}
	if got, want := len(r.NotDiagnosed), len(roster.Entries)-2; got != want {
		t.Errorf("%d firms to diagnose, want %d", got, want)
	}
	if len(ds.dashboard.Objects) < 5 {
		t.Error("dashboard is empty")
	}
	for _, ext := range []string{".xlsx", ".pdf"} {
		ds.export(ext)
		files, _ := filepath.Glob(filepath.Join(ds.exportDir(), "*"+ext))
		if len(files) != 1 {
			t.Errorf("export %s: %v (%s)", ext, files, ds.exportInfo.Text)
		}
	}
	ds.tabs.SelectIndex(0)
	shot(t, ui, "10-district-dashboard")
	ds.tabs.SelectIndex(1)
	shot(t, ui, "11-district-roster")
	ds.tabs.SelectIndex(2)
	shot(t, ui, "12-district-import")
}
