package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"codeberg.org/go-pdf/fpdf"

	"smartdiag/assessment"
	"smartdiag/pdfstyle"
	"smartdiag/photo"
)

// The thumbnails of the photo appendix: small enough that a report with thirty photos stays
// around a megabyte, large enough to recognise what was photographed (docs/format.md).
const (
	thumbPixels  = 240
	thumbQuality = 75
	thumbCols    = 3
	thumbGap     = 4.0
)

// evidencePhoto is one attached photo in the order of the questionnaire.
type evidencePhoto struct {
	item string
	ev   assessment.Evidence
}

// photos lists the attached photos, item by item in questionnaire order.
func (r *renderer) photos() []evidencePhoto {
	order := map[string]int{}
	for i, it := range r.qn.Items() {
		order[it.ID] = i
	}
	var out []evidencePhoto
	for id, a := range r.d.Answers {
		for _, ev := range a.Evidence {
			if photo.IsImage(ev.Name) {
				out = append(out, evidencePhoto{id, ev})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].item != out[j].item {
			return order[out[i].item] < order[out[j].item]
		}
		return out[i].ev.Added.Before(out[j].ev.Added)
	})
	return out
}

// thumb reads an attached photo from the workspace and makes its thumbnail; the message says why
// there is none (missing file, or a file that is not the one recorded).
func (r *renderer) thumb(ev assessment.Evidence) ([]byte, string) {
	rel := filepath.FromSlash(ev.Path)
	if ev.Path == "" || !filepath.IsLocal(rel) {
		return nil, r.L("ev.missing")
	}
	data, err := os.ReadFile(filepath.Join(r.opt.EvidenceDir, rel))
	if err != nil {
		return nil, r.L("ev.missing")
	}
	if sum := sha256.Sum256(data); ev.SHA256 != "" && hex.EncodeToString(sum[:]) != ev.SHA256 {
		return nil, r.L("ev.changed")
	}
	jpg, err := photo.ThumbnailJPEG(data, thumbPixels, thumbQuality)
	if err != nil {
		return nil, r.L("ev.unreadable")
	}
	return jpg, ""
}

// evidenceAppendix is appendix 3: every attached photo as a thumbnail with its item, file name,
// date and checksum, so the reader sees what the consultant saw. It is left out when the
// report is made without the workspace (Options.EvidenceDir empty) or there are no photos.
func (r *renderer) evidenceAppendix() {
	photos := r.photos()
	if r.opt.EvidenceDir == "" || len(photos) == 0 {
		return
	}
	r.titled(r.L("s.photos"))
	r.para(marginL, contentW, r.L("ev.intro"), 9, 5, pdfstyle.Muted, false)
	r.setY(r.y() + 2)
	cellW := (contentW - thumbGap*(thumbCols-1)) / thumbCols
	imgH := cellW * 3 / 4
	const capLineH = 4.0
	capH := 3 * capLineH
	rowH := imgH + capH + 5
	for i, p := range photos {
		col := i % thumbCols
		if col == 0 {
			r.ensure(rowH)
		}
		x := marginL + float64(col)*(cellW+thumbGap)
		y := r.y()
		r.fill(pdfstyle.Fill)
		r.pdf.Rect(x, y, cellW, imgH, "F")
		jpg, why := r.thumb(p.ev)
		if jpg != nil {
			name := "evidence-" + p.ev.SHA256
			info := r.pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "JPG"}, bytes.NewReader(jpg))
			if info != nil && r.pdf.Error() == nil {
				w, h := info.Width(), info.Height()
				scale := min(cellW/w, imgH/h)
				r.pdf.ImageOptions(name, x+(cellW-w*scale)/2, y+(imgH-h*scale)/2, w*scale, h*scale, false, fpdf.ImageOptions{ImageType: "JPG"}, 0, "")
			}
		} else {
			r.font(8, false, pdfstyle.Muted)
			r.pdf.SetXY(x, y+imgH/2-2)
			r.pdf.CellFormat(cellW, 4, why, "", 0, "C", false, 0, "")
		}
		title := p.item
		if it, ok := r.qn.Item(p.item); ok {
			title += " " + it.TextIn(r.lang)
		}
		r.font(8, true, pdfstyle.Text)
		r.pdf.SetXY(x, y+imgH+1)
		r.pdf.CellFormat(cellW, capLineH, pdfstyle.FitText(title, cellW, r.measure), "", 0, "L", false, 0, "")
		r.font(7.5, false, pdfstyle.Muted)
		r.pdf.SetXY(x, y+imgH+1+capLineH)
		r.pdf.CellFormat(cellW, capLineH, pdfstyle.FitText(p.ev.Name, cellW, r.measure), "", 0, "L", false, 0, "")
		r.pdf.SetXY(x, y+imgH+1+2*capLineH)
		meta := fmt.Sprintf("%s · %.0f KB · %s", p.ev.Added.In(cst).Format("2006-01-02"), float64(p.ev.Size)/1024, p.ev.SHA256[:min(12, len(p.ev.SHA256))])
		r.pdf.CellFormat(cellW, capLineH, pdfstyle.FitText(meta, cellW, r.measure), "", 0, "L", false, 0, "")
		if col == thumbCols-1 || i == len(photos)-1 {
			r.setY(y + rowH)
		} else {
			r.setY(y)
		}
	}
}
