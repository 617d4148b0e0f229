package report

import (
	"fmt"
	"math"

	"codeberg.org/go-pdf/fpdf"

	"smartdiag/pdfstyle"
)

// radarSeries is one polygon of the radar chart.
type radarSeries struct {
	label  string
	values []float64
	col    pdfstyle.Color
	fill   bool
	dashed bool
}

// radar draws a radar (spider) chart of values on 0..maxV with one spoke per label, centred at
// (cx, cy) with radius rad, and a legend below it.
func (r *renderer) radar(cx, cy, rad, maxV float64, spokes []string, series []radarSeries) {
	p := r.pdf
	n := len(spokes)
	if n < 3 {
		return
	}
	pt := func(i int, v float64) fpdf.PointType {
		a := -math.Pi/2 + 2*math.Pi*float64(i)/float64(n)
		rr := rad * math.Max(0, math.Min(v, maxV)) / maxV
		return fpdf.PointType{X: cx + rr*math.Cos(a), Y: cy + rr*math.Sin(a)}
	}
	// Grid rings at each whole level, and spokes.
	p.SetTextRenderingMode(0)
	for l := 1; l <= int(maxV); l++ {
		ring := make([]fpdf.PointType, n)
		for i := range n {
			ring[i] = pt(i, float64(l))
		}
		r.draw(pdfstyle.Rule)
		p.SetLineWidth(0.15)
		p.Polygon(ring, "D")
		r.font(6.5, false, pdfstyle.Muted)
		p.Text(cx+0.8, cy-rad*float64(l)/maxV+2.4, fmt.Sprintf("%d", l))
	}
	for i := range n {
		e := pt(i, maxV)
		r.line(cx, cy, e.X, e.Y, pdfstyle.Rule, 0.15)
	}
	for _, s := range series {
		poly := make([]fpdf.PointType, n)
		for i := range n {
			poly[i] = pt(i, s.values[i])
		}
		p.SetTextRenderingMode(0)
		r.draw(s.col)
		p.SetLineWidth(0.5)
		if s.dashed {
			p.SetDashPattern([]float64{1.5, 1}, 0)
		}
		if s.fill {
			r.fill(s.col)
			p.SetAlpha(0.18, "Normal")
			p.Polygon(poly, "F")
			p.SetAlpha(1, "Normal")
		}
		p.Polygon(poly, "D")
		p.SetDashPattern(nil, 0)
	}
	// Spoke labels outside the outer ring.
	r.font(7.5, false, pdfstyle.Text)
	for i, lab := range spokes {
		a := -math.Pi/2 + 2*math.Pi*float64(i)/float64(n)
		x := cx + (rad+4)*math.Cos(a)
		y := cy + (rad+4)*math.Sin(a)
		w := r.measure(lab)
		switch {
		case math.Cos(a) > 0.3:
		case math.Cos(a) < -0.3:
			x -= w
		default:
			x -= w / 2
		}
		p.Text(x, y+1.2, lab)
	}
	// Legend.
	lx := cx - rad
	ly := cy + rad + 13
	for _, s := range series {
		r.line(lx, ly-1, lx+6, ly-1, s.col, 0.6)
		r.font(7.5, false, pdfstyle.Text)
		p.Text(lx+7.5, ly, s.label)
		lx += 12 + r.measure(s.label)
	}
}

// hbar draws labelled horizontal bars, value/maxV of width w, starting at y. It returns the y
// below the chart.
func (r *renderer) hbar(x, y, labelW, w float64, labels []string, values []float64, maxV float64, cols []pdfstyle.Color, format string) float64 {
	p := r.pdf
	const barH, gap = 5.2, 2.6
	for i, lab := range labels {
		r.font(8.5, false, pdfstyle.Text)
		p.SetXY(x, y)
		p.CellFormat(labelW-2, barH, pdfstyle.FitText(lab, labelW-2, r.measure), "", 0, "R", false, 0, "")
		r.fill(pdfstyle.Fill)
		p.Rect(x+labelW, y, w, barH, "F")
		v := math.Max(0, math.Min(values[i], maxV))
		r.fill(cols[i%len(cols)])
		if v > 0 {
			p.Rect(x+labelW, y, w*v/maxV, barH, "F")
		}
		r.font(8, false, pdfstyle.Text)
		p.SetXY(x+labelW+w+1.5, y)
		p.CellFormat(16, barH, fmt.Sprintf(format, values[i]), "", 0, "L", false, 0, "")
		y += barH + gap
	}
	return y
}

// badge draws the level badge: a filled rounded box with the level name and score.
func (r *renderer) badge(x, y, w, h float64, big, small string, c pdfstyle.Color) {
	p := r.pdf
	r.fill(c)
	p.SetTextRenderingMode(0)
	p.RoundedRect(x, y, w, h, 2.5, "1234", "F")
	r.font(20, true, pdfstyle.White)
	p.SetXY(x, y+h*0.18)
	p.CellFormat(w, h*0.4, big, "", 0, "C", false, 0, "")
	r.font(9, false, pdfstyle.White)
	p.SetXY(x, y+h*0.62)
	p.CellFormat(w, h*0.25, small, "", 0, "C", false, 0, "")
}
