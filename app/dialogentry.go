package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// dialogEntry is a text field for dialogs that passes Esc on to the dialog. A focused field gets
// every key (the window's key handler that dialogKeys sets sees keys only when nothing has the
// focus), so without this Esc typed into a password field would do nothing.
type dialogEntry struct {
	widget.Entry
	onEsc func()
}

func newDialogEntry() *dialogEntry {
	e := &dialogEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func newDialogMultiLineEntry() *dialogEntry {
	e := newDialogEntry()
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	return e
}

// newDialogPasswordEntry is a password field with a show/hide button, like Fyne's own.
func newDialogPasswordEntry() *dialogEntry {
	e := newDialogEntry()
	e.Password = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	var show *widget.Button
	show = widget.NewButtonWithIcon("", theme.VisibilityOffIcon(), func() {
		e.Password = !e.Password
		if e.Password {
			show.SetIcon(theme.VisibilityOffIcon())
		} else {
			show.SetIcon(theme.VisibilityIcon())
		}
		e.Refresh()
	})
	show.Importance = widget.LowImportance
	e.ActionItem = show
	return e
}

// TypedKey runs the dialog's cancel on Esc; every other key is the field's.
func (e *dialogEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEsc != nil {
		e.onEsc()
		return
	}
	e.Entry.TypedKey(k)
}

// formKeys gives a form dialog Enter and Esc wherever the focus is: with no field focused through
// the window (dialogKeys), in a one-line field through its OnSubmitted, in any field Esc through
// dialogEntry. A multi-line field keeps Enter for new lines. Call the returned function when the
// dialog closes.
func (ui *UI) formKeys(onEnter, onEsc func(), fields ...*dialogEntry) (restore func()) {
	for _, f := range fields {
		f.onEsc = onEsc
		if !f.MultiLine {
			f.OnSubmitted = func(string) { onEnter() }
		}
	}
	return ui.dialogKeys(onEnter, onEsc)
}
