package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// The confirmation date takes 2026/12/01 as well as 2026-12-01; a wrong date is explained with
// examples, never with Go's layout "2006-01-02".
func TestFinishDateAcceptsSlashes(t *testing.T) {
	ui, dir := newTestUI(t)
	s := finishedDraft(t, ui)
	ui.showFinish(s)
	f := ui.finish
	test.Type(f.rep, "王建国")
	f.date.SetText("")
	test.Type(f.date, "12/01/2026")
	test.Tap(f.finishBtn)
	txt := dialogText(ui.win.Canvas().Overlays().Top())
	if !strings.Contains(txt, "12/01/2026") || strings.Contains(txt, "2006") {
		t.Fatalf("bad date message %q", txt)
	}
	ui.win.Canvas().Overlays().Top().Hide()
	ui.win.Canvas().Overlays().Remove(ui.win.Canvas().Overlays().Top())

	f.date.SetText("")
	test.Type(f.date, "2026/12/01")
	test.Tap(f.finishBtn)
	test.Tap(overlayButton(t, ui, "完成"))
	d := readDoc(t, dir, s.Doc.ID)
	if d.Confirmation == nil || d.Confirmation.Date.Local().Format("2006-01-02") != "2026-12-01" {
		t.Fatalf("confirmation %+v", d.Confirmation)
	}
}
