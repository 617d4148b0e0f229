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
	"smartdiag/seal"
)

// Issue 11 item 3: documents signed with a demo key are labelled as demo data wherever the app
// shows them, as the CLI, Excel and the brief do: the trust list row of the demo key, the import
// summary and the dashboard (with the count), in Chinese and in English.
func TestDistrictLabelsDemoData(t *testing.T) {
	t.Setenv("SMARTDIAG_CONFIG", t.TempDir())
	ui, _ := newTestUI(t)
	ui.app.Preferences().SetString(prefDistrictDir, filepath.Join(t.TempDir(), "district"))

	org := demo.Organisations()[0]
	key := seal.DemoKey(org)
	signer := assessment.Signer{Name: "演示顾问", Organisation: org}
	docs, err := demo.Generate(demo.Options{Count: 2, Seed: 8})
	if err != nil {
		t.Fatal(err)
	}
	in := t.TempDir()
	for _, d := range docs {
		data, err := seal.Seal(d, key, signer, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(in, d.ID+assessment.Ext), data, 0o644)
	}
	pub, _ := seal.NewPublicKeyFile(key.Public().(ed25519.PublicKey), signer, time.Now()).Encode()

	ui.showDistrict()
	ds := ui.district
	if _, err := ds.trust.AddKey(pub, org, time.Now(), true); err != nil {
		t.Fatal(err)
	}
	ds.importPaths([]string{in})
	if r := ds.result; r == nil || r.Diagnoses.Demo != 2 {
		t.Fatalf("tally: %+v", r)
	}
	trustRow := func() string {
		o := ds.trustList.CreateItem()
		ds.trustList.UpdateItem(0, o)
		return dialogText(o)
	}
	for _, c := range []struct{ lang, label, count string }{
		{"zh", "演示数据", "【演示数据】2 份诊断由演示密钥签名"},
		{"en", "Demo data", "[Demo data] 2 diagnoses were signed with a demo key"},
	} {
		setLanguage(c.lang)
		ds.drawDashboard()
		if txt := dialogText(ds.dashboard); !strings.Contains(txt, c.count) {
			t.Errorf("%s: the dashboard does not say how many documents are demo data: %.300s", c.lang, txt)
		}
		if txt := trustRow(); !strings.Contains(txt, c.label) {
			t.Errorf("%s: the demo key's trust row is not labelled: %q", c.lang, txt)
		}
	}
	setLanguage("zh")
	if !strings.Contains(ds.importSummary.Text, "【演示数据】其中 2 份由演示密钥签名") {
		t.Errorf("import summary %q does not label demo data", ds.importSummary.Text)
	}
	for _, g := range ds.importGroups {
		ds.showImportFiles(g)
		top := ui.win.Canvas().Overlays().Top()
		if txt := dialogText(top); strings.Count(txt, "【演示数据】") != 2 {
			t.Errorf("the imported files are not each labelled demo data: %.400s", txt)
		}
		top.Hide()
		ui.win.Canvas().Overlays().Remove(top)
	}
	ds.drawDashboard() // in Chinese again, for the picture
	ds.tabs.SelectIndex(0)
	shot(t, ui, "28-district-demo-dashboard")
}
