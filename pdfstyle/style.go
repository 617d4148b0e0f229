// Package pdfstyle is the house style of the PDFs smartdiag writes (the diagnosis report and the
// district brief): the page, the embedded CJK font, the palette, text primitives and the line
// breaker that keeps CJK characters at breaks (fpdf's own SplitText drops them). The app's charts
// take their colours from the same palette.
package pdfstyle

import (
	"image/color"
	"time"

	"codeberg.org/go-pdf/fpdf"

	q "smartdiag/questionnaires"
)

// Font is the name of the embedded font (WenQuanYi, one face: bold is drawn by stroking).
const Font = "wqy"

// A4 page geometry in millimetres.
const (
	PageW = 210.0
	PageH = 297.0
)

// Color is an RGB colour of the palette.
type Color struct{ R, G, B int }

// NRGBA is the colour for image/color users (the app's charts), opaque.
func (c Color) NRGBA() color.NRGBA {
	return color.NRGBA{R: uint8(c.R), G: uint8(c.G), B: uint8(c.B), A: 0xFF}
}

// The palette.
var (
	Primary = Color{0x1F, 0x5F, 0x8B}
	Accent  = Color{0xE0, 0x9A, 0x1B}
	Green   = Color{0x3C, 0x8D, 0x6E}
	Text    = Color{0x22, 0x22, 0x22}
	Muted   = Color{0x66, 0x6E, 0x76}
	Rule    = Color{0xC8, 0xD2, 0xDC}
	Fill    = Color{0xEE, 0xF3, 0xF7}
	Good    = Color{0x2E, 0x7D, 0x4F}
	Warn    = Color{0xB0, 0x3A, 0x2E}
	Bench   = Color{0x8A, 0x8F, 0x94} // reference values and benchmarks
	Grid    = Color{0x99, 0xA4, 0xAE}
	White   = Color{0xFF, 0xFF, 0xFF}
)

// Track is the colour of one of the three tracks (智能化改造, 数字化转型, 网络化联接), in
// questionnaire order; other keys get Primary.
func Track(track string) Color {
	switch track {
	case q.TrackDigital:
		return Green
	case q.TrackNetworked:
		return Accent
	}
	return Primary
}

// Tracks are the track colours in order, for series without a track id.
var Tracks = []Color{Primary, Green, Accent}

// New starts an A4 portrait document with the face, compression, fixed creation date (so equal
// input gives equal bytes), the given margins, no automatic page breaks and the {nb} page-count
// alias. Write it with the same face's Output.
func (f *Face) New(created time.Time, marginL, marginT, marginR, marginB float64) *fpdf.Fpdf {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(false) // Output compresses the pages (compress.go)
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.AddUTF8FontFromBytes(Font, "", f.ttf)
	pdf.SetMargins(marginL, marginT, marginR)
	pdf.SetAutoPageBreak(false, marginB)
	pdf.AliasNbPages("{nb}")
	return pdf
}

// SetFont selects the house font at size in colour c; bold fills and strokes the glyphs, since
// the face has no bold.
func SetFont(p *fpdf.Fpdf, size float64, bold bool, c Color) {
	SetSize(p, size)
	p.SetTextColor(c.R, c.G, c.B)
	if bold {
		p.SetTextRenderingMode(2)
		p.SetDrawColor(c.R, c.G, c.B)
		p.SetLineWidth(size * 0.012)
	} else {
		p.SetTextRenderingMode(0)
	}
}

// SetSize selects the house font at size. fpdf writes a font operator to the page on every
// SetFont; tables select the same font for every cell, so an unchanged font is not selected
// again (fpdf selects it again itself at the top of each page).
func SetSize(p *fpdf.Fpdf, size float64) {
	if pt, _ := p.GetFontSize(); pt != size || p.GetFontFamily() != Font {
		p.SetFont(Font, "", size)
	}
}

// SetFill sets the fill colour.
func SetFill(p *fpdf.Fpdf, c Color) { p.SetFillColor(c.R, c.G, c.B) }

// SetDraw sets the stroke colour.
func SetDraw(p *fpdf.Fpdf, c Color) { p.SetDrawColor(c.R, c.G, c.B) }

// Line draws a rule of width w in colour c.
func Line(p *fpdf.Fpdf, x1, y1, x2, y2 float64, c Color, w float64) {
	p.SetTextRenderingMode(0)
	SetDraw(p, c)
	p.SetLineWidth(w)
	p.Line(x1, y1, x2, y2)
}
