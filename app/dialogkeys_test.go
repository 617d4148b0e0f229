package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"smartdiag/seal"
)

// Enter confirms and Esc cancels every confirmation; Enter or Esc closes messages and errors; the
// screen's own keys work again afterwards and do not act behind an open dialog.
func TestDialogEnterEsc(t *testing.T) {
	ui, _ := newTestUI(t)
	s := finishedDraft(t, ui)
	ui.showWizard(s, "")
	screenKeys := ui.win.Canvas().OnTypedKey()
	if screenKeys == nil {
		t.Fatal("the wizard has no key handler")
	}
	overlays := ui.win.Canvas().Overlays()

	yes := 0
	ui.confirm("删除草稿", "?", "删除", func() { yes++ })
	typeKey(ui, fyne.KeyDown) // a screen key: swallowed while the dialog is open
	typeKey(ui, fyne.KeyEscape)
	if yes != 0 || overlays.Top() != nil {
		t.Fatalf("Esc: confirmed %d, dialog open %v", yes, overlays.Top() != nil)
	}
	ui.confirm("删除草稿", "?", "删除", func() { yes++ })
	typeKey(ui, fyne.KeyReturn)
	if yes != 1 || overlays.Top() != nil {
		t.Fatalf("Enter: confirmed %d, dialog open %v", yes, overlays.Top() != nil)
	}
	ui.info("备份完成", "x")
	typeKey(ui, fyne.KeyEnter)
	if overlays.Top() != nil {
		t.Fatal("Enter did not close the message")
	}
	ui.showError(errFake("坏"))
	typeKey(ui, fyne.KeyEscape)
	if overlays.Top() != nil {
		t.Fatal("Esc did not close the error")
	}
	if ui.win.Canvas().OnTypedKey() == nil {
		t.Fatal("the wizard's keys were not put back")
	}
	// A confirmation whose action opens another dialog: that dialog gets the keys.
	ui.confirm("a", "?", "好", func() { ui.info("b", "second") })
	typeKey(ui, fyne.KeyReturn)
	if overlays.Top() == nil {
		t.Fatal("the second dialog is not open")
	}
	typeKey(ui, fyne.KeyEscape)
	if overlays.Top() != nil {
		t.Fatal("Esc did not reach the second dialog")
	}
}

type errFake string

func (e errFake) Error() string { return string(e) }

// Inside a dialog's fields, where the window's key handler sees nothing: Enter in the password
// field backs the key up (the file is on disk), Esc cancels the restore, and a wrong password's
// error still takes Enter/Esc afterwards.
func TestPasswordDialogEnterEsc(t *testing.T) {
	t.Setenv(seal.EnvConfig, t.TempDir())
	ui, _ := newTestUI(t)
	test.Tap(ui.home.settingsBtn)
	st := ui.settings
	overlays := ui.win.Canvas().Overlays()
	backup := filepath.Join(t.TempDir(), "key"+seal.KeyBackupExt)
	ui.keyBackupTo(backup)
	test.Type(st.keyPw1, "U盘上的口令2026")
	test.Type(st.keyPw2, "U盘上的口令2026")
	ui.win.Canvas().Focus(st.keyPw2)
	press(ui, fyne.KeyReturn)
	if _, err := os.Stat(backup); err != nil {
		t.Fatalf("Enter in the password field did not back up: %v", err)
	}
	press(ui, fyne.KeyReturn) // closes the "backed up" message
	if overlays.Top() != nil {
		t.Fatal("a dialog is still open")
	}

	// Esc in the field cancels: nothing restored, no dialog left.
	t.Setenv(seal.EnvConfig, t.TempDir())
	ui.keyRestorePicked(backup)
	test.Type(st.keyPw1, "U盘上的口令2026")
	ui.win.Canvas().Focus(st.keyPw1)
	press(ui, fyne.KeyEscape)
	keyPath, _ := seal.ConfigPath(seal.KeyFileName)
	if _, err := os.Stat(keyPath); err == nil || overlays.Top() != nil {
		t.Fatalf("Esc restored the key (%v) or left the dialog open (%v)", err, overlays.Top() != nil)
	}
	// A wrong password: Enter submits, the error dialog gets the keys.
	ui.keyRestorePicked(backup)
	test.Type(st.keyPw1, "wrong")
	ui.win.Canvas().Focus(st.keyPw1)
	press(ui, fyne.KeyEnter)
	if txt := dialogText(overlays.Top()); !strings.Contains(txt, "密码不对") {
		t.Fatalf("after a wrong password: %q", txt)
	}
	ui.win.Canvas().Unfocus()
	press(ui, fyne.KeyEscape)
	if overlays.Top() != nil {
		t.Fatal("Esc did not close the error")
	}
}

// The plan's action dialog: Enter in its one-line field saves the action (on disk), Esc in its
// text field cancels without saving; the recycle-bin dialog closes with Esc.
func TestFormDialogEnterEsc(t *testing.T) {
	ui, dir := newTestUI(t)
	s := finishedDraft(t, ui)
	ui.showPlan(s)
	overlays := ui.win.Canvas().Overlays()
	test.Tap(ui.plan.add)
	f := ui.plan.form
	test.Type(f.text, "建设车间看板")
	ui.win.Canvas().Focus(f.text)
	press(ui, fyne.KeyEscape)
	if overlays.Top() != nil {
		t.Fatal("Esc did not close the action dialog")
	}
	if d := readDoc(t, dir, s.Doc.ID); d.Plan != nil && len(d.Plan.Custom) != 0 {
		t.Fatal("Esc saved the action")
	}
	test.Tap(ui.plan.add)
	f = ui.plan.form
	test.Type(f.text, "建设车间看板")
	test.Type(f.comment, "二季度")
	ui.win.Canvas().Focus(f.comment)
	press(ui, fyne.KeyReturn)
	if d := readDoc(t, dir, s.Doc.ID); d.Plan == nil || len(d.Plan.Custom) != 1 || d.Plan.Custom[0].Comment != "二季度" {
		t.Fatalf("Enter did not save the action: %+v", d.Plan)
	}
	if overlays.Top() != nil {
		t.Fatal("the action dialog stayed open")
	}

	ui.showHome()
	homeLoaded(t, ui)
	test.Tap(ui.home.binBtn)
	press(ui, fyne.KeyEscape)
	if overlays.Top() != nil {
		t.Fatal("Esc did not close the recycle bin")
	}
}

// Esc closes a file picker, and the screen's keys come back after.
func TestFilePickerEsc(t *testing.T) {
	ui, _ := newTestUI(t)
	s := finishedDraft(t, ui)
	ui.showWizard(s, "")
	w := ui.wizard
	overlays := ui.win.Canvas().Overlays()
	test.Tap(w.attach)
	if overlays.Top() == nil {
		t.Fatal("no file picker")
	}
	pos := w.pos
	ui.win.Canvas().Unfocus()
	press(ui, fyne.KeyRight) // swallowed while the picker is open
	press(ui, fyne.KeyEscape)
	if overlays.Top() != nil || w.pos != pos {
		t.Fatalf("picker open %v, moved from %d to %d", overlays.Top() != nil, pos, w.pos)
	}
	press(ui, fyne.KeyRight)
	if w.pos != pos+1 {
		t.Fatal("the wizard's keys did not come back")
	}
}

// The district's import pickers go through filePicker too: Esc closes them and nothing is
// imported, and they remember the folder of the last import.
func TestDistrictImportPickersEsc(t *testing.T) {
	ui, _ := newTestUI(t)
	ui.showDistrict()
	ds := ui.district
	overlays := ui.win.Canvas().Overlays()
	for name, open := range map[string]func(){"file": ds.pickImportFile, "folder": ds.pickImportFolder} {
		open()
		if overlays.Top() == nil {
			t.Fatalf("%s: no picker", name)
		}
		ui.win.Canvas().Unfocus()
		press(ui, fyne.KeyEscape)
		if overlays.Top() != nil {
			t.Fatalf("%s: Esc left the picker open", name)
		}
	}
	if got := ui.app.Preferences().String(prefImportDir); got != "" {
		t.Fatalf("a cancelled picker remembered %q", got)
	}
}
