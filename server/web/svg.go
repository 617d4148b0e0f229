package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"smartdiag/pdfstyle"
	"smartdiag/server"
	"smartdiag/tally"
)

// Charts are SVG drawn here in the PDF brief's palette (pdfstyle), so that the web and the
// brief look alike. Every text goes through template.HTMLEscapeString: firm, street and
// provider names come from uploads and rosters.

func rgb(c pdfstyle.Color) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

var esc = template.HTMLEscapeString

// svgDoc wraps the body in an <svg> of the given size (viewBox, so it scales to the column).
func svgDoc(w, h float64, label string, body string) template.HTML {
	return template.HTML(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" class="chart" font-family="sans-serif">%s</svg>`,
		w, h, esc(label), body))
}

func pct(f float64) string { return fmt.Sprintf("%.1f%%", f*100) }

// coverageChart draws one horizontal bar per row: diagnosed against the target.
func coverageChart(rows []tally.CovRow, lang string) template.HTML {
	if len(rows) == 0 {
		return ""
	}
	const w, rowH, labelW, barW = 560.0, 26.0, 150.0, 300.0
	maxD := 1
	for _, r := range rows {
		maxD = max(maxD, r.Diagnosed)
	}
	var b strings.Builder
	for i, r := range rows {
		y := float64(i) * rowH
		rate := float64(r.Diagnosed) / float64(maxD)
		label := fmt.Sprintf("%d", r.Diagnosed)
		if r.Target != nil && *r.Target > 0 {
			rate = math.Min(1, float64(r.Diagnosed)/float64(*r.Target))
			label = fmt.Sprintf("%d / %d  %s", r.Diagnosed, *r.Target, pct(float64(r.Diagnosed)/float64(*r.Target)))
		}
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="13" text-anchor="end" fill="%s">%s</text>`, labelW-8, y+17, rgb(pdfstyle.Text), esc(clip(r.Name, 11)))
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="%.0f" height="16" fill="%s"/>`, labelW, y+5, barW, rgb(pdfstyle.Fill))
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="%.1f" height="16" fill="%s"/>`, labelW, y+5, barW*rate, rgb(pdfstyle.Primary))
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="12" fill="%s">%s</text>`, labelW+barW+8, y+17, rgb(pdfstyle.Muted), esc(label))
	}
	return svgDoc(w, float64(len(rows))*rowH+6, tr(lang, "coverage"), b.String())
}

// clip shortens a label to n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// levelChart draws the district's share per band next to each reference distribution's share.
func levelChart(t *tally.Result, lang string) template.HTML {
	if len(t.LevelReference) == 0 {
		return ""
	}
	ref := t.LevelReference[0]
	n := len(ref.Groups)
	if n == 0 {
		return ""
	}
	const w, h, top, bottom, left = 560.0, 230.0, 30.0, 40.0, 40.0
	plotH := h - top - bottom
	slot := (w - left - 10) / float64(n)
	bw := slot * 0.32
	var b strings.Builder
	for i := 0; i <= 4; i++ {
		y := top + plotH*(1-float64(i)/4)
		fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="0.5"/>`, left, w-10, y, y, rgb(pdfstyle.Rule))
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" font-size="11" text-anchor="end" fill="%s">%d%%</text>`, left-4, y+4, rgb(pdfstyle.Muted), i*25)
	}
	for i, g := range ref.Groups {
		x := left + float64(i)*slot + slot*0.15
		for j, v := range []struct {
			share float64
			c     pdfstyle.Color
		}{{g.DistrictShare, pdfstyle.Primary}, {g.Share, pdfstyle.Bench}} {
			bh := plotH * math.Min(1, v.share)
			bx := x + float64(j)*(bw+2)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, bx, top+plotH-bh, bw, bh, rgb(v.c))
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" fill="%s">%s</text>`, bx+bw/2, top+plotH-bh-3, rgb(pdfstyle.Text), pct(v.share))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle" fill="%s">%s</text>`, x+bw+1, h-bottom+16, rgb(pdfstyle.Text), esc(g.Label))
	}
	legend := fmt.Sprintf(`<rect x="%.0f" y="6" width="12" height="12" fill="%s"/><text x="%.0f" y="16" font-size="12" fill="%s">%s</text>`+
		`<rect x="%.0f" y="6" width="12" height="12" fill="%s"/><text x="%.0f" y="16" font-size="12" fill="%s">%s</text>`,
		left, rgb(pdfstyle.Primary), left+16, rgb(pdfstyle.Text), esc(tr(lang, "thisdistrict")),
		left+120, rgb(pdfstyle.Bench), left+136, rgb(pdfstyle.Text), esc(clip(tr(lang, "reference")+"："+ref.Name, 36)))
	return svgDoc(w, h, tr(lang, "levels"), legend+b.String())
}

// trackChart draws the three indices' means (0–100) with the threshold line.
func trackChart(t *tally.Result, lang string) template.HTML {
	if len(t.Tracks) == 0 {
		return ""
	}
	const w, rowH, labelW, barW = 560.0, 30.0, 110.0, 330.0
	var b strings.Builder
	for i, s := range t.Tracks {
		y := float64(i) * rowH
		c := pdfstyle.Tracks[i%len(pdfstyle.Tracks)]
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="13" text-anchor="end" fill="%s">%s</text>`, labelW-8, y+19, rgb(pdfstyle.Text), esc(s.Track))
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="%.0f" height="18" fill="%s"/>`, labelW, y+6, barW, rgb(pdfstyle.Fill))
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="%.1f" height="18" fill="%s"/>`, labelW, y+6, barW*math.Min(1, s.Mean/100), rgb(c))
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="12" fill="%s">%.1f</text>`, labelW+barW+8, y+19, rgb(pdfstyle.Text), s.Mean)
	}
	x := labelW + barW*t.TrackThreshold/100
	fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="2" y2="%.0f" stroke="%s" stroke-dasharray="4 3"/>`, x, x, float64(len(t.Tracks))*rowH+4, rgb(pdfstyle.Accent))
	return svgDoc(w, float64(len(t.Tracks))*rowH+8, tr(lang, "indices"), b.String())
}

// trendChart draws a firm's level at each of its diagnoses (oldest first).
func trendChart(subs []reviewRow, lang string) template.HTML {
	var pts []reviewRow
	for _, s := range subs {
		if s.Facts != nil && s.Facts.CMMM {
			pts = append(pts, s)
		}
	}
	if len(pts) == 0 {
		return ""
	}
	const w, h, left, top, bottom = 460.0, 160.0, 40.0, 12.0, 28.0
	plotH := h - top - bottom
	step := (w - left - 80) / float64(max(1, len(pts)-1))
	var b strings.Builder
	for l := 0; l <= 5; l++ {
		y := top + plotH*(1-float64(l)/5)
		fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="0.5"/>`, left, w-20, y, y, rgb(pdfstyle.Rule))
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" font-size="11" text-anchor="end" fill="%s">%d</text>`, left-6, y+4, rgb(pdfstyle.Muted), l)
	}
	var line []string
	for i, s := range pts {
		x := left + 10 + float64(i)*step
		if len(pts) == 1 {
			x = left + (w-left)/2
		}
		y := top + plotH*(1-float64(s.Facts.Level)/5)
		line = append(line, fmt.Sprintf("%.1f,%.1f", x, y))
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"/>`, x, y, rgb(pdfstyle.Primary))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" font-size="10" text-anchor="middle" fill="%s">%s</text>`, x, h-8, rgb(pdfstyle.Muted), s.Facts.Finished.Format("2006-01-02"))
	}
	poly := fmt.Sprintf(`<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(line, " "), rgb(pdfstyle.Primary))
	return svgDoc(w, h, tr(lang, "trend"), poly+b.String())
}

// funnelChart draws the pipeline's four steps as bars narrowing from the diagnosed firms.
func funnelChart(f server.Funnel, lang string) template.HTML {
	steps := []struct {
		key string
		n   int
		c   pdfstyle.Color
	}{{"fn.diagnosed", f.Diagnosed, pdfstyle.Primary}, {"fn.registered", f.Registered, pdfstyle.Accent},
		{"fn.underway", f.Underway, pdfstyle.Green}, {"fn.accepted", f.Accepted, pdfstyle.Good}}
	const w, rowH, labelW, barW = 560.0, 34.0, 130.0, 340.0
	top := max(1, f.Diagnosed)
	var b strings.Builder
	for i, s := range steps {
		y := float64(i) * rowH
		bw := barW * math.Min(1, float64(s.n)/float64(top))
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="13" text-anchor="end" fill="%s">%s</text>`, labelW-8, y+21, rgb(pdfstyle.Text), esc(tr(lang, s.key)))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.0f" width="%.1f" height="22" fill="%s"/>`, labelW+(barW-bw)/2, y+6, bw, rgb(s.c))
		label := fmt.Sprint(s.n)
		if i > 0 && f.Diagnosed > 0 {
			label += "  " + pct(float64(s.n)/float64(f.Diagnosed))
		}
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="12" fill="%s" class="funnel-%d">%s</text>`, labelW+barW+8, y+21, rgb(pdfstyle.Text), i, esc(label))
	}
	return svgDoc(w, 4*rowH+6, tr(lang, "nav.pipeline"), b.String())
}
