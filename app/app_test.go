package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestMainWindowTitle(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newTheme())
	w := NewMainWindow(a)
	defer w.Close()
	if w.Title() != Title {
		t.Errorf("title %q, want %q", w.Title(), Title)
	}
	if newTheme().Font(fyneTextStyle()) != fontResource {
		t.Error("the theme does not use the bundled CJK font")
	}
}

func fyneTextStyle() fyne.TextStyle { return fyne.TextStyle{Bold: true} }
