package pdfstyle

import (
	"math"

	"codeberg.org/go-pdf/fpdf"
)

// CachedMeasure measures strings in pdf's current font size from per-rune widths cached at size 1.
// Measuring is the hot path of line breaking; the cache assumes the document uses one font face,
// as the report and the district brief do. The cache is a table in pages of 256 runes, allocated
// as text reaches them (a report touches a few dozen pages).
func CachedMeasure(pdf *fpdf.Fpdf) Measurer {
	var pages [0x110000 / 256]*[256]float64 // NaN: not measured yet
	return func(s string) float64 {
		size, _ := pdf.GetFontSize()
		w := 0.0
		for _, c := range s {
			if c < 0 || c > 0x10FFFF {
				c = 0xFFFD
			}
			page := pages[c>>8]
			if page == nil {
				page = new([256]float64)
				for i := range page {
					page[i] = math.NaN()
				}
				pages[c>>8] = page
			}
			cw := page[c&0xFF]
			if math.IsNaN(cw) {
				cw = pdf.GetStringWidth(string(c)) / size
				page[c&0xFF] = cw
			}
			w += cw
		}
		return w * size
	}
}

// FitText shortens s with an ellipsis so that it fits in width w.
func FitText(s string, w float64, measure Measurer) string {
	if measure(s) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && measure(string(rs)+"…") > w {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}
