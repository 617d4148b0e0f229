package pdfstyle

import "codeberg.org/go-pdf/fpdf"

// CachedMeasure measures strings in pdf's current font size from per-rune widths cached at size 1.
// Measuring is the hot path of line breaking; the cache assumes the document uses one font face,
// as the report and the district brief do.
func CachedMeasure(pdf *fpdf.Fpdf) Measurer {
	widths := map[rune]float64{}
	return func(s string) float64 {
		size, _ := pdf.GetFontSize()
		w := 0.0
		for _, c := range s {
			cw, ok := widths[c]
			if !ok {
				cw = pdf.GetStringWidth(string(c)) / size
				widths[c] = cw
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
