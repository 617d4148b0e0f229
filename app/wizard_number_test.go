package app

import (
	"encoding/json"
	"strconv"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	q "smartdiag/questionnaires"
)

// pressKey sends a key the way the driver does: to the focused widget if there is one, else to
// the screen's key handler.
func pressKey(ui *UI, k fyne.KeyName) {
	c := ui.win.Canvas()
	if f := c.Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: k})
		return
	}
	c.OnTypedKey()(&fyne.KeyEvent{Name: k})
}

// typeText types runes the way the driver does: into the focused widget, else to the screen.
func typeText(ui *UI, s string) {
	c := ui.win.Canvas()
	for _, r := range s {
		if f := c.Focused(); f != nil {
			f.TypedRune(r)
		} else {
			c.OnTypedRune()(r)
		}
	}
}

// numberOnDisk is a KPI's saved value, or nil when it has none.
func numberOnDisk(t *testing.T, dir, docID, itemID string) *float64 {
	t.Helper()
	a := readDoc(t, dir, docID).Answer(itemID)
	if a == nil {
		return nil
	}
	var v float64
	if err := json.Unmarshal(a.Value, &v); err != nil {
		t.Fatalf("%s: %s is not a number", itemID, a.Value)
	}
	return &v
}

// Number (KPI) answers in the wizard: the cursor is in the field of the item shown, keystrokes
// never reach a hidden field of another item, and emptying a field removes the answer.
func TestWizardNumberAnswersFollowTheItemShown(t *testing.T) {
	ui, dir := newTestUI(t)
	s := finishedDraft(t, ui)
	for id := range s.Doc.Answers { // the KPIs start unanswered
		if it, _ := s.Q.Item(id); it != nil && it.Type == q.TypeNumber {
			delete(s.Doc.Answers, id)
		}
	}
	ui.showWizard(s, "KPI-NC")
	w := ui.wizard
	c := ui.win.Canvas()
	id := s.Doc.ID
	if w.current().ID != "KPI-NC" || w.current().Type != q.TypeNumber {
		t.Fatalf("shown %s", w.current().ID)
	}
	if c.Focused() != w.numberEntry {
		t.Fatal("arriving at a number item does not put the cursor in its field")
	}
	typeText(ui, "45")
	if v := numberOnDisk(t, dir, id, "KPI-NC"); v == nil || *v != 45 {
		t.Fatalf("KPI-NC on disk %s, want 45 (field %q hint %q)", shown(v), w.numberEntry.Text, w.numberHint.Text)
	}

	pressKey(ui, fyne.KeyReturn) // Enter moves to the next KPI
	if w.current().ID != "KPI-DIG" {
		t.Fatalf("Enter moved to %s, want KPI-DIG", w.current().ID)
	}
	if c.Focused() != w.numberEntry {
		t.Fatal("after Enter the focus stayed in the previous item's field")
	}
	pressKey(ui, fyne.KeyBackspace) // in an empty field: nothing to delete anywhere
	if v := numberOnDisk(t, dir, id, "KPI-DIG"); v != nil {
		t.Errorf("Backspace in an empty field wrote %v into KPI-DIG", *v)
	}
	if v := numberOnDisk(t, dir, id, "KPI-NC"); v == nil || *v != 45 {
		t.Errorf("a key typed on KPI-DIG changed KPI-NC to %s", shown(v))
	}
	typeText(ui, "12")
	if v := numberOnDisk(t, dir, id, "KPI-DIG"); v == nil || *v != 12 {
		t.Fatalf("KPI-DIG on disk %s, want 12", shown(v))
	}

	// Back to the first KPI and empty its field: the answer is removed, not kept at 4.
	test.Tap(w.prev)
	if w.current().ID != "KPI-NC" || c.Focused() != w.numberEntry || w.numberEntry.Text != "45" {
		t.Fatalf("back at %s, focus %v, field %q", w.current().ID, c.Focused(), w.numberEntry.Text)
	}
	w.numberEntry.CursorColumn = len(w.numberEntry.Text)
	pressKey(ui, fyne.KeyBackspace)
	pressKey(ui, fyne.KeyBackspace)
	if v := numberOnDisk(t, dir, id, "KPI-NC"); v != nil {
		t.Errorf("emptied field left KPI-NC = %v on disk", *v)
	}
	if v := numberOnDisk(t, dir, id, "KPI-DIG"); v == nil || *v != 12 {
		t.Errorf("clearing KPI-NC changed KPI-DIG to %s", shown(v))
	}

	// Leaving for a scale item takes the focus away, so the answer keys work there.
	w.pos = 0
	w.show()
	if c.Focused() != nil {
		t.Fatalf("a scale item left the focus in %v", c.Focused())
	}
	first := w.current().ID
	typeText(ui, "2")
	if a := readDoc(t, dir, id).Answer(first); a == nil || string(a.Value) != `"most"` && string(a.Value) != `"part"` {
		t.Errorf("key 2 on %s saved %v", first, a)
	}
}

// shown prints a number answer read from disk, or that there is none.
func shown(v *float64) string {
	if v == nil {
		return "no answer"
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}
