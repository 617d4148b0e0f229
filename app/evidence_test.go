package app

import (
	"bytes"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"smartdiag/assessment"
	"smartdiag/photo"
	"smartdiag/photo/phototest"
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

// A phone photo taken upright (1800×1350 sensor picture, EXIF orientation 6) attached through
// the wizard is stored upright and downscaled to 1200×1600, shown as a thumbnail that opens the
// photo, and removed from its tile.
func TestEvidencePhotoThumbnailDownscaledUpright(t *testing.T) {
	ui, dir := newTestUI(t)
	s := finishedDraft(t, ui)
	ui.showWizard(s, "")
	w := ui.wizard
	it := w.current()
	src := filepath.Join(t.TempDir(), "车间铭牌.jpg")
	orig := phototest.JPEG(1800, 1350, 6, false)
	if err := os.WriteFile(src, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	w.evidencePicked(it, src) // what the file picker returns
	test.Tap(overlayButton(t, ui, "添加"))
	a := readDoc(t, dir, s.Doc.ID).Answers[it.ID]
	if a == nil || len(a.Evidence) != 1 {
		t.Fatalf("evidence on disk: %+v", a)
	}
	ev := a.Evidence[0]
	stored, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(ev.Path)))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(stored))
	if err != nil || cfg.Width != 1200 || cfg.Height != photo.MaxSide {
		t.Fatalf("stored photo %d×%d (%v), want 1200×%d", cfg.Width, cfg.Height, err, photo.MaxSide)
	}
	if ev.Size != int64(len(stored)) || len(stored) >= len(orig) {
		t.Errorf("recorded %d bytes, stored %d, original %d", ev.Size, len(stored), len(orig))
	}
	img, _ := jpeg.Decode(bytes.NewReader(stored))
	if r, g, _, _ := img.At(1000, 200).RGBA(); r>>8 < 180 || g>>8 > 80 {
		t.Errorf("the photo is not upright: its top right is %v, want the red quarter", img.At(1000, 200))
	}

	if len(w.evidenceRows) != 1 || w.evidenceRows[0].thumb == nil {
		t.Fatalf("no thumbnail: %+v", w.evidenceRows)
	}
	th := w.evidenceRows[0].thumb
	if th.img.Image == nil || th.img.Image.Bounds().Dy() != 2*thumbSide || th.img.Image.Bounds().Dx() != 240 {
		t.Fatalf("thumbnail image %v", th.img.Image)
	}
	shot(t, ui, "21-evidence-thumbnails")
	test.Tap(th) // opens the photo with the system's viewer; must not show an error
	if top := ui.win.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("tapping the thumbnail showed a dialog: %s", dialogText(top))
	}
	test.Tap(w.evidenceRows[0].remove)
	test.Tap(overlayButton(t, ui, "移除"))
	if a := readDoc(t, dir, s.Doc.ID).Answers[it.ID]; a != nil && len(a.Evidence) != 0 {
		t.Fatalf("still attached: %+v", a.Evidence)
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(ev.Path))); !os.IsNotExist(err) {
		t.Error("the removed photo is still in the attachments folder")
	}
}
