package app

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"smartdiag/assessment"
)

// Evidence: a file chosen in the picker (by a double-click or the button) is attached only when
// the consultant confirms; an attachment can be opened and removed to the recycle folder, and
// restored from there.
func TestEvidenceAttachOnlyOnConfirmRemoveRestore(t *testing.T) {
	ui, dir := newTestUI(t)
	s := finishedDraft(t, ui)
	ui.showWizard(s, "")
	w := ui.wizard
	it := w.current()
	id := s.Doc.ID
	evidenceOf := func() []assessment.Evidence {
		if a := readDoc(t, dir, id).Answers[it.ID]; a != nil {
			return a.Evidence
		}
		return nil
	}
	src := filepath.Join(t.TempDir(), "设备台账.xlsx")
	os.WriteFile(src, []byte("ledger"), 0o644)

	// The picker returned a file (what a double-click does): nothing is attached yet.
	w.evidencePicked(it, src)
	if ev := evidenceOf(); len(ev) != 0 {
		t.Fatalf("attached without confirmation: %+v", ev)
	}
	test.Tap(overlayButton(t, ui, "取消"))
	if ev := evidenceOf(); len(ev) != 0 {
		t.Fatalf("attached after Cancel: %+v", ev)
	}
	w.evidencePicked(it, src)
	test.Tap(overlayButton(t, ui, "添加"))
	ev := evidenceOf()
	if len(ev) != 1 || ev[0].Name != "设备台账.xlsx" {
		t.Fatalf("after confirming: %+v", ev)
	}
	if len(w.evidenceRows) != 1 || w.evidenceRows[0].open == nil || w.evidenceRows[0].remove == nil {
		t.Fatalf("attachment rows %+v", w.evidenceRows)
	}
	file := filepath.Join(dir, filepath.FromSlash(ev[0].Path))
	test.Tap(w.evidenceRows[0].open) // opens with the system's program; the test app records nothing, but must not fail
	if top := ui.win.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("opening an attachment showed a dialog: %s", dialogText(top))
	}

	test.Tap(w.evidenceRows[0].remove)
	test.Tap(overlayButton(t, ui, "移除"))
	if ev := evidenceOf(); len(ev) != 0 {
		t.Fatalf("still attached after removal: %+v", ev)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Error("the removed file is still in the attachments folder")
	}
	recycled, _ := filepath.Glob(filepath.Join(dir, assessment.RecycleDir, id, "*设备台账.xlsx"))
	if len(recycled) != 1 {
		t.Fatalf("recycle folder holds %v", recycled)
	}
	if len(w.evidenceRows) != 1 || w.evidenceRows[0].restore == nil {
		t.Fatalf("no restore offered: %+v", w.evidenceRows)
	}
	test.Tap(w.evidenceRows[0].restore)
	if ev := evidenceOf(); len(ev) != 1 {
		t.Fatalf("not restored: %+v", ev)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "ledger" {
		t.Errorf("restored file: %q %v", b, err)
	}
}

// Finishing asks first; cancelling leaves the draft a draft.
func TestFinishAsksForConfirmation(t *testing.T) {
	ui, dir := newTestUI(t)
	s := finishedDraft(t, ui)
	ui.showFinish(s)
	test.Type(ui.finish.rep, "王建国")
	test.Tap(ui.finish.finishBtn)
	if d := readDoc(t, dir, s.Doc.ID); d.Status != assessment.StatusDraft {
		t.Fatalf("finished without confirmation: %s", d.Status)
	}
	test.Tap(overlayButton(t, ui, "取消"))
	if d := readDoc(t, dir, s.Doc.ID); d.Status != assessment.StatusDraft {
		t.Fatalf("finished after Cancel: %s", d.Status)
	}
	test.Tap(ui.finish.finishBtn)
	test.Tap(overlayButton(t, ui, "完成"))
	if d := readDoc(t, dir, s.Doc.ID); d.Status != assessment.StatusFinished {
		t.Fatalf("not finished after confirming: %s", d.Status)
	}
}
