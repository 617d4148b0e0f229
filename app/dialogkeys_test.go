package app

import (
	"testing"

	"fyne.io/fyne/v2"
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
