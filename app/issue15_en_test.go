package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"smartdiag/backup"
)

// The new screens of issue 15 in English: settings with the backup section, the restore question,
// the recycle bin and the known-credit-code warning all read English.
func TestBackupBinAndKnownCodeInEnglish(t *testing.T) {
	ui, dir := newTestUI(t)
	setLanguage("en")
	s := finishedDraft(t, ui)
	ui.ws.ReleaseAll()
	if err := ui.ws.DeleteDraft(s.Doc.ID, ui.now()); err != nil {
		t.Fatal(err)
	}
	ui.showHome()
	homeLoaded(t, ui)

	test.Tap(ui.home.binBtn)
	shot(t, ui, "en-18-recycle-bin")
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "deleted") {
		t.Errorf("recycle bin %q", txt)
	}
	test.Tap(ui.home.binRestore[0])
	homeLoaded(t, ui)
	if _, err := os.Stat(ui.ws.Path(s.Doc.ID)); err != nil {
		t.Fatal(err)
	}

	test.Tap(ui.home.settingsBtn)
	shot(t, ui, "en-09-settings")
	if ui.settings.backup.Text != "Back up workspace…" {
		t.Errorf("backup button %q", ui.settings.backup.Text)
	}
	out := filepath.Join(t.TempDir(), "b"+backup.Ext)
	if _, err := backup.Create(dir, out, ui.now()); err != nil {
		t.Fatal(err)
	}
	ui.restorePicked(out)
	shot(t, ui, "en-16-restore-confirm")
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "verified") {
		t.Errorf("restore question %q", txt)
	}
	test.Tap(overlayButton(t, ui, "Restore"))
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "identical left alone") {
		t.Errorf("restore result %q", txt)
	}
	test.Tap(overlayButton(t, ui, "OK"))

	ui.showHome()
	homeLoaded(t, ui)
	test.Tap(ui.home.newBtn)
	test.Type(ui.enterprise.code, s.Doc.Enterprise.CreditCode)
	shot(t, ui, "en-17-enterprise-known-code")
	if !strings.Contains(ui.enterprise.codeHint.Text, "already has an enterprise") {
		t.Errorf("hint %q", ui.enterprise.codeHint.Text)
	}
}
