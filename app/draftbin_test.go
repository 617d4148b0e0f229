package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"smartdiag/assessment"
)

// A draft is deleted from the home screen to the recycle folder and restored from 回收站.
func TestDeleteDraftAndRestoreFromBin(t *testing.T) {
	ui, dir := newTestUI(t)
	s := finishedDraft(t, ui) // still a draft
	id := s.Doc.ID
	before, _ := os.ReadFile(ui.ws.Path(id))
	ui.showHome()
	homeLoaded(t, ui)
	h := ui.home
	if !h.deleteBtn.Disabled() {
		t.Error("delete is enabled with nothing selected")
	}
	h.list.Select(0)
	test.Tap(h.deleteBtn)
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, s.Doc.Enterprise.Name) {
		t.Fatalf("delete question %q", txt)
	}
	test.Tap(overlayButton(t, ui, "删除"))
	homeLoaded(t, ui)
	if _, err := os.Stat(ui.ws.Path(id)); err == nil {
		t.Fatal("the draft is still in the workspace")
	}
	binned := filepath.Join(dir, assessment.DeletedDraftsDir, id+assessment.Ext)
	if b, err := os.ReadFile(binned); err != nil || string(b) != string(before) {
		t.Fatalf("the draft is not in the recycle folder: %v", err)
	}

	h = ui.home
	test.Tap(h.binBtn)
	shot(t, ui, "18-recycle-bin")
	if len(h.binRestore) != 1 {
		t.Fatalf("%d restore buttons", len(h.binRestore))
	}
	test.Tap(h.binRestore[0])
	homeLoaded(t, ui)
	if b, err := os.ReadFile(ui.ws.Path(id)); err != nil || string(b) != string(before) {
		t.Fatalf("the draft did not come back byte for byte: %v", err)
	}
	if _, err := os.Stat(binned); err == nil {
		t.Fatal("the restored draft is still in the recycle folder")
	}
}
