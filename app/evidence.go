package app

import (
	"fmt"
	"image"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
	"smartdiag/photo"
	q "smartdiag/questionnaires"
)

// thumbSide is the long side, in pixels, of an evidence photo's thumbnail in the wizard.
const thumbSide = 160

// evidenceRow is one attachment: open and remove for an attachment, restore for one in the
// recycle folder; photos also have a thumbnail, which opens the photo when tapped.
type evidenceRow struct {
	name                  string
	thumb                 *thumbnail
	open, remove, restore *widget.Button
}

// thumbnail is a photo's small picture that opens the photo when tapped.
type thumbnail struct {
	widget.BaseWidget
	img      *canvas.Image
	OnTapped func()
}

func newThumbnail(onTapped func()) *thumbnail {
	t := &thumbnail{img: canvas.NewImageFromImage(nil), OnTapped: onTapped}
	t.img.FillMode = canvas.ImageFillContain
	t.img.SetMinSize(fyne.NewSize(thumbSide, thumbSide*3/4))
	t.ExtendBaseWidget(t)
	return t
}

func (t *thumbnail) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.img) }

func (t *thumbnail) Tapped(*fyne.PointEvent) {
	if t.OnTapped != nil {
		t.OnTapped()
	}
}

func (t *thumbnail) setImage(img image.Image) {
	t.img.Image = img
	t.img.Refresh()
}

// thumbCache keeps decoded thumbnails by checksum, so moving between items does not decode the
// same photos again.
type thumbCache map[string]image.Image

// showEvidence lists the current item's attachments: photos as thumbnails in a row of tiles,
// other files as lines, and removed attachments that can be restored.
func (w *wizardScreen) showEvidence() {
	it := w.current()
	w.evidenceRows = nil
	w.evidenceBox.RemoveAll()
	var evs []assessment.Evidence
	if a := w.s.Doc.Answers[it.ID]; a != nil {
		evs = a.Evidence
	}
	if len(evs) == 0 {
		w.evidence.SetText(T("证据附件：无"))
	} else {
		w.evidence.SetText(T("证据附件："))
	}
	draft := w.s.Doc.Status == assessment.StatusDraft
	tiles := container.NewGridWrap(fyne.NewSize(thumbSide+40, thumbSide*3/4+130))
	var files []fyne.CanvasObject
	for _, ev := range evs {
		r := evidenceRow{name: ev.Name}
		openIt := func() {
			if path, err := w.s.EvidenceFile(ev); err != nil {
				w.ui.showError(err)
			} else {
				w.ui.openFile(path)
			}
		}
		r.open = widget.NewButton(T("打开"), openIt)
		r.remove = widget.NewButton(T("移除"), func() {
			w.ui.confirm("移除附件", Tf("把附件「%s」从这道题移除？文件会移到工作区的「%s」文件夹，可以恢复。", ev.Name, assessment.RecycleDir), "移除", func() {
				if _, err := w.s.RemoveEvidence(it.ID, ev.Path, w.ui.now()); err != nil {
					w.ui.showError(err)
					return
				}
				w.saved(w.ui.now())
				w.showEvidence()
			})
		})
		if !draft {
			r.remove.Disable()
		}
		size := fmt.Sprintf("%.0f KB", float64(ev.Size)/1024)
		if photo.IsImage(ev.Name) {
			r.thumb = newThumbnail(openIt)
			w.loadThumb(ev, r.thumb)
			name := widget.NewLabel(ev.Name)
			name.Truncation = fyne.TextTruncateEllipsis
			name.Alignment = fyne.TextAlignCenter
			sizeLabel := widget.NewLabel(size)
			sizeLabel.Alignment = fyne.TextAlignCenter
			tiles.Add(container.NewBorder(nil, container.NewVBox(name, sizeLabel, container.NewGridWithColumns(2, r.open, r.remove)), nil, nil, r.thumb))
		} else {
			label := widget.NewLabel(fmt.Sprintf("%s（%s）", ev.Name, size))
			label.Truncation = fyne.TextTruncateEllipsis
			files = append(files, container.NewBorder(nil, nil, nil, container.NewHBox(r.open, r.remove), label))
		}
		w.evidenceRows = append(w.evidenceRows, r)
	}
	if len(tiles.Objects) > 0 {
		w.evidenceBox.Add(tiles)
	}
	for _, f := range files {
		w.evidenceBox.Add(f)
	}
	removed, err := w.s.RemovedEvidence(it.ID)
	if err != nil {
		fyne.LogError("listing removed evidence", err)
	}
	for _, rm := range removed {
		label := widget.NewLabel(Tf("已移除：%s", rm.Evidence.Name))
		label.Truncation = fyne.TextTruncateEllipsis
		label.Importance = widget.LowImportance
		r := evidenceRow{name: rm.Evidence.Name}
		r.restore = widget.NewButton(T("恢复"), func() {
			if err := w.s.RestoreEvidence(rm, w.ui.now()); err != nil {
				w.ui.showError(err)
				return
			}
			w.saved(w.ui.now())
			w.showEvidence()
		})
		if !draft {
			r.restore.Disable()
		}
		w.evidenceRows = append(w.evidenceRows, r)
		w.evidenceBox.Add(container.NewBorder(nil, nil, nil, r.restore, label))
	}
	w.evidenceBox.Refresh()
}

// loadThumb decodes a photo's thumbnail in the background (from the cache when it was shown
// before) and puts it in place. A photo that cannot be read keeps an empty tile: the name and
// the buttons still work.
func (w *wizardScreen) loadThumb(ev assessment.Evidence, t *thumbnail) {
	if w.thumbs == nil {
		w.thumbs = thumbCache{}
	}
	if img, ok := w.thumbs[ev.SHA256]; ok {
		t.setImage(img)
		return
	}
	path, err := w.s.EvidenceFile(ev)
	if err != nil {
		return
	}
	background(func() {
		data, err := os.ReadFile(path)
		var img image.Image
		if err == nil {
			img, err = photo.Thumbnail(data, thumbSide*2) // twice the size: sharp on HiDPI screens
		}
		onUI(func() {
			if err != nil {
				fyne.LogError("evidence thumbnail "+ev.Path, err)
				return
			}
			w.thumbs[ev.SHA256] = img
			t.setImage(img)
		})
	})
}

// pickEvidence lets the consultant choose a file; nothing is attached until they confirm, so a
// double-click in the file picker (which returns the file under the pointer) cannot attach by
// accident.
func (w *wizardScreen) pickEvidence() {
	it := w.current()
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		w.ui.pickedFrom(prefEvidenceDir, path)
		w.evidencePicked(it, path)
	}, w.ui.win)
	w.ui.filePicker(d, prefEvidenceDir, "选择") // any kind of evidence: photos, scans, spreadsheets
	d.Show()
}

// evidencePicked asks to confirm attaching the chosen file to the item. Reading and downscaling
// a photo runs in the background; storing it and saving the document run on the UI goroutine,
// which owns the session.
func (w *wizardScreen) evidencePicked(it *q.Item, path string) {
	w.ui.confirm("添加证据附件", Tf("把文件「%s」添加为题目 %s 的证据附件？", filepath.Base(path), it.ID), "添加", func() {
		w.attach.Disable()
		background(func() {
			p, err := assessment.PrepareEvidence(path)
			onUI(func() {
				w.attach.Enable()
				if err == nil {
					_, err = w.s.AttachPrepared(it.ID, p, w.ui.now())
				}
				if err != nil {
					w.ui.showError(err)
					return
				}
				w.saved(w.ui.now())
				if w.current() == it {
					w.showEvidence()
				}
			})
		})
	})
}
