package brief

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"smartdiag/assessment"
	"smartdiag/pdfstyle"
	"smartdiag/regfile"
	"smartdiag/seal"
	"smartdiag/tally"
)

// The brief is a short PDF for the district's leaders: coverage, forecast, levels against the
// reference distributions, the three indices, key indicators, providers and what needs attention.

// Write writes the PDF brief of a tally to path (atomically).
func Write(res *tally.Result, path string) error {
	var buf bytes.Buffer
	if err := Render(&buf, res); err != nil {
		return err
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("无法创建文件夹 %s：%v", dir, regfile.WithoutPath(err))
		}
	}
	return assessment.WriteFileAtomic(path, buf.Bytes())
}

// Render renders the PDF brief to w.
func Render(w io.Writer, res *tally.Result) error {
	b := newBrief(res)
	b.build()
	if err := b.pdf.Error(); err != nil {
		return fmt.Errorf("生成 PDF 简报失败：%w", err)
	}
	return pdfstyle.Output(b.pdf, w)
}

const (
	bMargin   = 18.0
	bContentW = pdfstyle.PageW - 2*bMargin
	bBottom   = pdfstyle.PageH - 18
	bPageW    = pdfstyle.PageW
	bPageH    = pdfstyle.PageH
)

type color = pdfstyle.Color

type brief struct {
	pdf     *fpdf.Fpdf
	res     *tally.Result
	measure pdfstyle.Measurer // cached per-rune widths
}

func newBrief(res *tally.Result) *brief {
	created := res.Generated
	if created.IsZero() {
		created = time.Now()
	}
	pdf := pdfstyle.New(created, bMargin, bMargin, bMargin, bMargin)
	pdf.SetTitle(res.District+"智改数转网联诊断全覆盖进度简报", true)
	pdf.SetAuthor(res.Office, true)
	pdf.SetCreator("smartdiag", true)
	b := &brief{pdf: pdf, res: res, measure: pdfstyle.CachedMeasure(pdf)}
	pdf.SetFooterFunc(b.footer)
	return b
}

func (b *brief) font(size float64, bold bool, c color) { pdfstyle.SetFont(b.pdf, size, bold, c) }
func (b *brief) fill(c color)                          { pdfstyle.SetFill(b.pdf, c) }
func (b *brief) line(x1, y1, x2, y2 float64, c color, w float64) {
	pdfstyle.Line(b.pdf, x1, y1, x2, y2, c, w)
}

// fit shortens s with an ellipsis to fit w at the current font.
func (b *brief) fit(s string, w float64) string { return pdfstyle.FitText(s, w, b.measure) }

// text writes one line in a box; it never wraps (see para for that).
func (b *brief) text(x, y, w, h float64, s, align string) {
	b.pdf.SetXY(x, y)
	b.pdf.CellFormat(w, h, b.fit(s, w), "", 0, align, false, 0, "")
}

// para writes wrapped text and returns the y below it.
func (b *brief) para(x, y, w float64, s string, size, lineH float64, c color, bold bool) float64 {
	b.font(size, bold, c)
	for _, ln := range pdfstyle.BreakLines(s, w, b.measure) {
		b.pdf.SetXY(x, y)
		b.pdf.CellFormat(w, lineH, ln, "", 0, "L", false, 0, "")
		y += lineH
	}
	return y
}

// section writes a section title at y and returns the y below it; it starts a new page when
// need millimetres do not fit below the title.
func (b *brief) section(y float64, title string, need float64) float64 {
	if y+9+need > bBottom {
		b.pdf.AddPage()
		y = bMargin + 4
	}
	b.fill(pdfstyle.Primary)
	b.pdf.Rect(bMargin, y+1.2, 1.4, 5, "F")
	b.font(12.5, true, pdfstyle.Text)
	b.text(bMargin+3.5, y, bContentW-3.5, 7.5, title, "L")
	return y + 10
}

func (b *brief) footer() {
	b.line(bMargin, bPageH-13, bPageW-bMargin, bPageH-13, pdfstyle.Rule, 0.2)
	b.font(7.5, false, pdfstyle.Muted)
	left := fmt.Sprintf("%s · 智改数转网联诊断全覆盖进度简报 · 数据截至 %s", b.res.District, b.res.AsOf)
	b.text(bMargin, bPageH-12, bContentW*0.75, 5, left, "L")
	b.text(bMargin+bContentW*0.75, bPageH-12, bContentW*0.25, 5, fmt.Sprintf("第 %d 页 / 共 {nb} 页", b.pdf.PageNo()), "R")
}

func pct(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

func (b *brief) build() {
	p := b.pdf
	p.AddPage()
	// Title band.
	b.fill(pdfstyle.Primary)
	p.Rect(0, 0, bPageW, 38, "F")
	b.fill(pdfstyle.Accent)
	p.Rect(0, 38, bPageW, 1.6, "F")
	b.font(10, false, color{R: 0xDD, G: 0xE8, B: 0xF0})
	b.text(bMargin, 9, bContentW, 6, strings.TrimSpace(b.res.District+" "+b.res.Office), "L")
	b.font(20, true, pdfstyle.White)
	b.text(bMargin, 16, bContentW, 10, "智改数转网联诊断 全覆盖进度简报", "L")
	b.font(10, false, color{R: 0xDD, G: 0xE8, B: 0xF0})
	sub := "数据截至 " + b.res.AsOf + "；只计入封印有效、来自受信任服务商的诊断，每家企业计最新一份"
	if n := b.res.Diagnoses.Demo; n > 0 {
		sub = fmt.Sprintf("【%s】含 %d 份演示密钥签名的诊断，不是正式统计；", seal.DemoLabel, n) + sub
	}
	b.text(bMargin, 28, bContentW, 6, b.fit(sub, bContentW), "L")

	y := b.section(46, "覆盖进度", 36)
	y = b.cards(y)
	y = b.forecast(y + 5)
	y = b.streets(y + 5)
	b.monthly(y + 5)

	p.AddPage()
	y = b.section(bMargin+2, b.levelTitle(), 60)
	y = b.levels(y)
	if !b.aiOnly() { // the national and provincial references are maturity levels
		y = b.references(y + 4)
	}
	y = b.tracks(y + 5)
	b.kpis(y + 5)

	p.AddPage()
	y = b.providers(bMargin + 2)
	y = b.categoriesAndIndustries(y + 5)
	y = b.attention(y + 5)
	b.notes(y + 5)
}

// categoriesAndIndustries shows coverage by category and by industry (the ten largest).
func (b *brief) categoriesAndIndustries(y float64) float64 {
	var cats []tally.CovRow
	for _, c := range b.res.CategoryRows() {
		if c.Diagnosed > 0 || c.Target != nil && *c.Target > 0 {
			cats = append(cats, c)
		}
	}
	if len(cats) > 0 {
		title := "各类企业进度"
		if b.res.Coverage.Total.Target == nil {
			title = "各类企业已诊断数"
		}
		y = b.section(y, title, 6.4*float64(len(cats)))
		y = b.progressRows(y, cats) + 4
	}
	inds := b.res.IndustryRows()
	slices.SortStableFunc(inds, func(a, c tally.CovRow) int {
		return cmp.Or(cmp.Compare(targetOf(c), targetOf(a)), cmp.Compare(c.Diagnosed, a.Diagnosed))
	})
	more := 0
	if len(inds) > 10 {
		more = len(inds) - 10
		inds = inds[:10]
	}
	if len(inds) == 0 {
		return y
	}
	title := "主要行业进度"
	if b.res.Coverage.Total.Target == nil {
		title = "主要行业已诊断数"
	}
	y = b.section(y, title, 6.4*float64(len(inds)))
	y = b.progressRowsWide(y, inds, 52)
	if more > 0 {
		b.font(8, false, pdfstyle.Muted)
		b.text(bMargin, y, bContentW, 4.5, fmt.Sprintf("另有 %d 个行业，见 Excel「按行业」。", more), "L")
		y += 5
	}
	return y
}

// card draws a coverage card.
func (b *brief) card(x, y, w, h float64, label string, c tally.Cov) {
	p := b.pdf
	b.fill(pdfstyle.Fill)
	p.RoundedRect(x, y, w, h, 2, "1234", "F")
	b.font(9, false, pdfstyle.Muted)
	b.text(x+3, y+2.5, w-6, 5, label, "L")
	if c.Target != nil {
		rate := 0.0
		if *c.Target > 0 {
			rate = float64(c.Diagnosed) / float64(*c.Target)
		}
		b.font(19, true, pdfstyle.Primary)
		if *c.Target > 0 {
			b.text(x+3, y+9, w-6, 10, pct(rate), "L")
		} else {
			b.text(x+3, y+9, w-6, 10, "—", "L")
		}
		b.font(8, false, pdfstyle.Text)
		b.text(x+3, y+20.5, w-6, 5, fmt.Sprintf("已诊断 %d / 目标 %d 家", c.Diagnosed, *c.Target), "L")
		b.bar(x+3, y+h-5.5, w-6, 2.4, rate, pdfstyle.Primary)
	} else {
		b.font(19, true, pdfstyle.Primary)
		b.text(x+3, y+9, w-6, 10, fmt.Sprintf("%d 家", c.Diagnosed), "L")
		b.font(8.5, false, pdfstyle.Muted)
		b.text(x+3, y+20.5, w-6, 5, "已诊断（无目标数）", "L")
	}
}

func (b *brief) bar(x, y, w, h, frac float64, c color) {
	b.fill(color{R: 0xDD, G: 0xE4, B: 0xEA})
	b.pdf.Rect(x, y, w, h, "F")
	frac = math.Max(0, math.Min(1, frac))
	if frac > 0 {
		b.fill(c)
		b.pdf.Rect(x, y, w*frac, h, "F")
	}
}

func (b *brief) cards(y float64) float64 {
	const gap, h = 4.0, 31.0
	cats := b.res.CategoryRows()
	var shown []tally.CovRow
	for _, c := range cats {
		if len(shown) < 3 {
			shown = append(shown, c)
		}
	}
	n := max(4, 1+len(shown))
	w := (bContentW - gap*float64(n-1)) / float64(n)
	total := "全部目标企业"
	if b.res.Coverage.Total.Target == nil {
		total = "已诊断企业"
	}
	b.card(bMargin, y, w, h, total, b.res.Coverage.Total)
	for i, c := range shown {
		b.card(bMargin+float64(i+1)*(w+gap), y, w, h, c.Name, c.Cov)
	}
	return y + h
}

func (b *brief) forecast(y float64) float64 {
	f := b.res.Forecast
	var head, body string
	c := pdfstyle.Primary
	switch {
	case f == nil:
		head = "未导入名册：无法计算覆盖率和完成日期"
		body = "请在生成统计时给出区里的重点企业名册（--roster），简报将显示覆盖率、未诊断企业和按当前进度的完成日期。"
		c = pdfstyle.Muted
	case f.Remaining <= 0:
		head = "名册上的企业已全部完成诊断"
		body = fmt.Sprintf("最后一家于 %s 完成；截止日期 %s。", f.CompleteOn, orDash(f.Deadline))
		c = pdfstyle.Good
	case f.Date == "":
		head = "近期没有新增诊断，按目前进度无法实现全覆盖"
		body = fmt.Sprintf("尚有 %d 家未诊断；截止日期 %s", f.Remaining, orDash(f.Deadline))
		if f.RequiredPerMonth != nil {
			body += fmt.Sprintf("，按期完成每月需诊断约 %.1f 家", *f.RequiredPerMonth)
		}
		body += "。"
		c = pdfstyle.Warn
	default:
		head = fmt.Sprintf("按当前进度，预计 %s 实现全覆盖", f.Date)
		if f.DaysLateOrEarly != nil {
			if *f.DaysLateOrEarly > 0 {
				head += fmt.Sprintf("，比截止日期晚 %d 天", *f.DaysLateOrEarly)
				c = pdfstyle.Warn
			} else {
				head += fmt.Sprintf("，比截止日期早 %d 天", -*f.DaysLateOrEarly)
				c = pdfstyle.Good
			}
		}
		body = fmt.Sprintf("近 %d 天新覆盖 %d 家，约每月 %.1f 家；尚有 %d 家未诊断，截止日期 %s", f.WindowDays, f.CoveredInWindow, f.PacePerMonth, f.Remaining, orDash(f.Deadline))
		if f.RequiredPerMonth != nil {
			body += fmt.Sprintf("，按期完成每月需诊断约 %.1f 家", *f.RequiredPerMonth)
		}
		body += "。"
	}
	p := b.pdf
	top := y
	b.font(11, true, c)
	lines := pdfstyle.BreakLines(head, bContentW-10, b.measure)
	b.font(9, false, pdfstyle.Text)
	bodyLines := pdfstyle.BreakLines(body, bContentW-10, b.measure)
	h := 4 + float64(len(lines))*6 + float64(len(bodyLines))*4.8 + 3
	b.fill(pdfstyle.Fill)
	p.Rect(bMargin, top, bContentW, h, "F")
	b.fill(c)
	p.Rect(bMargin, top, 1.6, h, "F")
	y = b.para(bMargin+5, top+3, bContentW-10, head, 11, 6, c, true)
	b.para(bMargin+5, y, bContentW-10, body, 9, 4.8, pdfstyle.Text, false)
	return top + h
}

// progressRows draws labelled progress bars, one per coverage row.
func (b *brief) progressRows(y float64, rows []tally.CovRow) float64 {
	return b.progressRowsWide(y, rows, 26)
}

// progressRowsWide is progressRows with a label column labelW wide. Without targets the bars
// compare the rows with the largest.
func (b *brief) progressRowsWide(y float64, rows []tally.CovRow, labelW float64) float64 {
	const rowH, valueW = 6.4, 40.0
	most := 1
	for _, r := range rows {
		most = max(most, r.Diagnosed)
	}
	barW := bContentW - labelW - valueW - 4
	for _, r := range rows {
		b.font(9, false, pdfstyle.Text)
		b.text(bMargin, y, labelW-2, rowH-1.4, r.Name, "R")
		rate := float64(r.Diagnosed) / float64(most)
		if r.Target != nil {
			rate = 0
			if *r.Target > 0 {
				rate = float64(r.Diagnosed) / float64(*r.Target)
			}
		}
		col := pdfstyle.Primary
		if r.Target != nil && rate < 0.5 {
			col = pdfstyle.Accent
		}
		b.bar(bMargin+labelW, y+1.2, barW, rowH-3.4, rate, col)
		b.font(8.5, false, pdfstyle.Text)
		value := fmt.Sprintf("%d 家", r.Diagnosed)
		if r.Target != nil {
			value = fmt.Sprintf("%d / %d  %s", r.Diagnosed, *r.Target, pct(rate))
		}
		b.text(bMargin+labelW+barW+3, y, valueW, rowH-1.4, value, "L")
		y += rowH
	}
	return y
}

func (b *brief) streets(y float64) float64 {
	rows := b.res.StreetRows()
	title := "各街道进度"
	if b.res.Coverage.Total.Target == nil {
		title = "各街道已诊断企业"
	}
	y = b.section(y, title, math.Min(float64(len(rows)), 4)*6.4)
	if len(rows) == 0 {
		b.font(9, false, pdfstyle.Muted)
		b.text(bMargin, y, bContentW, 5, "暂无数据", "L")
		return y + 6
	}
	return b.progressRows(y, rows)
}

func (b *brief) monthly(y float64) float64 {
	ms := b.res.Monthly
	if len(ms) > 14 {
		ms = ms[len(ms)-14:]
	}
	y = b.section(y, "每月新完成诊断的企业", 48)
	if len(ms) == 0 {
		b.font(9, false, pdfstyle.Muted)
		b.text(bMargin, y, bContentW, 5, "暂无已计入的诊断", "L")
		return y + 6
	}
	chartH := math.Min(48, bBottom-y-12)
	most := 1.0
	for _, m := range ms {
		most = math.Max(most, float64(m.Covered))
	}
	var req *float64
	if f := b.res.Forecast; f != nil && f.RequiredPerMonth != nil && f.Remaining > 0 {
		req = f.RequiredPerMonth
		most = math.Max(most, *req)
	}
	most = niceCeil(most)
	x0, w := bMargin+10, bContentW-12
	base := y + chartH
	// Grid and axis labels.
	for i := 0; i <= 4; i++ {
		v := most * float64(i) / 4
		gy := base - chartH*float64(i)/4
		b.line(x0, gy, x0+w, gy, pdfstyle.Rule, 0.15)
		b.font(7, false, pdfstyle.Muted)
		b.text(bMargin-2, gy-2, 11, 4, fmt.Sprintf("%.0f", v), "R")
	}
	slot := w / float64(len(ms))
	barW := math.Min(9, slot*0.6)
	for i, m := range ms {
		cx := x0 + slot*(float64(i)+0.5)
		h := chartH * float64(m.Covered) / most
		b.fill(pdfstyle.Primary)
		if h > 0 {
			b.pdf.Rect(cx-barW/2, base-h, barW, h, "F")
		}
		b.font(7.5, false, pdfstyle.Text)
		b.text(cx-slot/2, base-h-4.5, slot, 4, fmt.Sprint(m.Covered), "C")
		b.font(7, false, pdfstyle.Muted)
		label := m.Month[5:] + "月"
		if i == 0 || m.Month[5:] == "01" {
			label = m.Month[:4] + "." + m.Month[5:]
		}
		b.text(cx-slot/2, base+0.8, slot, 4, label, "C")
	}
	if req != nil {
		ry := base - chartH*(*req)/most
		b.pdf.SetDashPattern([]float64{1.2, 1}, 0)
		b.line(x0, ry, x0+w, ry, pdfstyle.Warn, 0.45)
		b.pdf.SetDashPattern(nil, 0)
		b.font(7.5, false, pdfstyle.Warn)
		b.text(x0+w-70, ry-4.5, 70, 4, fmt.Sprintf("按期完成需每月 %.1f 家", *req), "R")
	}
	return base + 6
}

// niceCeil rounds up to 1, 2 or 5 times a power of ten, at least 4 so the grid has whole steps.
func niceCeil(v float64) float64 {
	if v <= 4 {
		return 4
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 4, 5, 8, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// aiOnly: no diagnosis counted is on a maturity questionnaire but some are on the AI one. The
// level chart then shows the AI level distribution instead of five empty maturity bars.
func (b *brief) aiOnly() bool {
	return b.maturityCounted() == 0 && b.res.AI != nil && b.res.AI.N > 0
}

func (b *brief) maturityCounted() int {
	n := 0
	for _, c := range b.res.Levels {
		n += c
	}
	return n
}

func (b *brief) levelTitle() string {
	if b.aiOnly() {
		return fmt.Sprintf("AI应用等级分布（参照，人工智能+制造诊断 %d 家）", b.res.AI.N)
	}
	return fmt.Sprintf("智能制造能力成熟度等级分布（已计入的 %d 家）", b.maturityCounted())
}

func (b *brief) levels(y float64) float64 {
	if b.aiOnly() {
		ai := b.res.AI
		counts := make([]float64, len(ai.LevelNames))
		for l := range counts {
			counts[l] = float64(ai.Levels[fmt.Sprint(l)])
		}
		y = b.levelChart(y, counts, ai.LevelNames, ai.N)
		return b.para(bMargin, y, bContentW, fmt.Sprintf("本期计入的诊断都使用人工智能+制造问卷，没有智能制造能力成熟度等级。平均AI场景占比 %.0f%%。", 100*ai.MeanShare), 8, 4.2, pdfstyle.Muted, false)
	}
	n := b.maturityCounted()
	levels := len(b.res.LevelNames)
	counts := make([]float64, levels)
	labels := make([]string, levels)
	for l := range levels {
		counts[l] = float64(b.res.Levels[fmt.Sprint(l)])
		labels[l] = b.res.LevelLabel(l)
	}
	y = b.levelChart(y, counts, labels, n)
	note := ""
	if b.res.LevelsEstimated > 0 {
		note = fmt.Sprintf("其中 %d 家为快速诊断的估算等级。", b.res.LevelsEstimated)
	}
	if b.res.LevelsOther > 0 {
		note += tally.AIBriefNote(b.res)
	}
	if note != "" {
		y = b.para(bMargin, y, bContentW, note, 8, 4.2, pdfstyle.Muted, false)
	}
	return y
}

// levelChart draws one bar per level with its count and share of n, and returns the y below it.
func (b *brief) levelChart(y float64, counts []float64, labels []string, n int) float64 {
	chartH := 42.0
	x0, w := bMargin+10, bContentW-12
	base := y + chartH
	most := 1.0
	for _, c := range counts {
		most = math.Max(most, c)
	}
	most = niceCeil(most)
	for i := 0; i <= 4; i++ {
		gy := base - chartH*float64(i)/4
		b.line(x0, gy, x0+w, gy, pdfstyle.Rule, 0.15)
		b.font(7, false, pdfstyle.Muted)
		b.text(bMargin-2, gy-2, 11, 4, fmt.Sprintf("%.0f", most*float64(i)/4), "R")
	}
	slot := w / float64(max(len(counts), 1))
	for l, c := range counts {
		cx := x0 + slot*(float64(l)+0.5)
		h := chartH * c / most
		b.fill(pdfstyle.Primary)
		if h > 0 {
			b.pdf.Rect(cx-9, base-h, 18, h, "F")
		}
		b.font(8, false, pdfstyle.Text)
		label := fmt.Sprintf("%.0f 家", c)
		if n > 0 {
			label += "（" + pct(c/float64(n)) + "）"
		}
		b.text(cx-slot/2, base-h-4.5, slot, 4, label, "C")
		b.font(8.5, false, pdfstyle.Text)
		b.text(cx-slot/2, base+1, slot, 4.5, b.fit(labels[l], slot), "C")
	}
	return base + 7
}

func (b *brief) references(y float64) float64 {
	refs := b.res.LevelReference
	if len(refs) == 0 {
		return y
	}
	y = b.section(y, "与全国、江苏的等级分布对照", 50)
	colW := (bContentW - 8) / float64(len(refs))
	bottom := y
	// The bars of all columns start below the tallest title.
	barsTop := y
	for _, ref := range refs {
		b.font(9, true, pdfstyle.Text)
		n := len(pdfstyle.BreakLines(fmt.Sprintf("%s（参照）", ref.Name), colW, b.measure))
		barsTop = math.Max(barsTop, y+float64(n)*4.6+1.5)
	}
	for i, ref := range refs {
		x := bMargin + float64(i)*(colW+8)
		b.para(x, y, colW, fmt.Sprintf("%s（参照）", ref.Name), 9, 4.6, pdfstyle.Text, true)
		yy := barsTop
		const labelW = 20.0
		barW := colW - labelW - 16
		most := 0.0
		for _, g := range ref.Groups {
			most = math.Max(most, math.Max(g.Share, g.DistrictShare))
		}
		most = math.Max(most, 0.01)
		for _, g := range ref.Groups {
			b.font(8.5, false, pdfstyle.Text)
			b.text(x, yy+0.6, labelW-2, 4.6, g.Label, "R")
			b.fill(pdfstyle.Primary)
			b.pdf.Rect(x+labelW, yy, barW*g.DistrictShare/most, 3.2, "F")
			b.fill(pdfstyle.Bench)
			b.pdf.Rect(x+labelW, yy+3.6, barW*g.Share/most, 3.2, "F")
			b.font(7.5, false, pdfstyle.Primary)
			b.text(x+labelW+barW*g.DistrictShare/most+1, yy-0.6, 16, 4, pct(g.DistrictShare), "L")
			b.font(7.5, false, pdfstyle.Muted)
			b.text(x+labelW+barW*g.Share/most+1, yy+3, 16, 4, pct(g.Share), "L")
			yy += 9.5
		}
		sum := 0.0
		for _, g := range ref.Groups {
			sum += g.Share
		}
		if math.Abs(sum-1) > 0.005 {
			yy = b.para(x, yy, colW, fmt.Sprintf("公开数字各档合计 %s，其余未说明，按原值显示。", pct(sum)), 7.5, 4, pdfstyle.Muted, false)
		}
		bottom = math.Max(bottom, yy)
	}
	// Legend.
	b.fill(pdfstyle.Primary)
	b.pdf.Rect(bMargin, bottom+1.5, 3, 3, "F")
	b.font(8, false, pdfstyle.Text)
	b.text(bMargin+4.5, bottom+0.8, 30, 4.5, "本区", "L")
	b.fill(pdfstyle.Bench)
	b.pdf.Rect(bMargin+20, bottom+1.5, 3, 3, "F")
	b.text(bMargin+24.5, bottom+0.8, 60, 4.5, "参照（第三方转引的公开数据）", "L")
	return bottom + 6
}

func (b *brief) tracks(y float64) float64 {
	y = b.section(y, fmt.Sprintf("智改、数转、网联三项指数（0–100，≥%.0f 为达到）", b.res.TrackThreshold), 28)
	const gap, h = 4.0, 26.0
	n := len(b.res.Tracks)
	if n == 0 {
		return y
	}
	w := (bContentW - gap*float64(n-1)) / float64(n)
	for i, t := range b.res.Tracks {
		x := bMargin + float64(i)*(w+gap)
		c := pdfstyle.Tracks[i%len(pdfstyle.Tracks)]
		b.fill(pdfstyle.Fill)
		b.pdf.RoundedRect(x, y, w, h, 2, "1234", "F")
		b.fill(c)
		b.pdf.Rect(x, y, 1.6, h, "F")
		b.font(9, false, pdfstyle.Muted)
		b.text(x+4, y+2.5, w-7, 5, t.Track+"指数 平均", "L")
		b.font(18, true, c)
		b.text(x+4, y+8, w-7, 9, fmt.Sprintf("%.1f", t.Mean), "L")
		b.font(8.5, false, pdfstyle.Text)
		b.text(x+4, y+18.5, w-7, 5, fmt.Sprintf("中位数 %.1f · ≥%.0f 的企业 %s", t.Median, b.res.TrackThreshold, pct(t.Share)), "L")
	}
	return y + h
}

// tableRows draws a simple table and returns the y below it.
func (b *brief) table(y float64, titles []string, widths []float64, aligns string, rows [][]string) float64 {
	p := b.pdf
	const rowH = 6.2
	x := bMargin
	total := 0.0
	for _, w := range widths {
		total += w
	}
	b.fill(pdfstyle.Primary)
	p.Rect(x, y, total, rowH+0.6, "F")
	b.font(8.5, true, pdfstyle.White)
	for i, t := range titles {
		b.text(x+1.2, y+0.3, widths[i]-2.4, rowH, t, string(aligns[i]))
		x += widths[i]
	}
	y += rowH + 0.6
	for r, row := range rows {
		if y+rowH > bBottom {
			p.AddPage()
			y = bMargin + 2
		}
		if r%2 == 1 {
			b.fill(pdfstyle.Fill)
			p.Rect(bMargin, y, total, rowH, "F")
		}
		x = bMargin
		b.font(8.5, false, pdfstyle.Text)
		for i, cell := range row {
			b.text(x+1.2, y+0.2, widths[i]-2.4, rowH, cell, string(aligns[i]))
			x += widths[i]
		}
		y += rowH
	}
	b.line(bMargin, y, bMargin+total, y, pdfstyle.Rule, 0.3)
	return y
}

func (b *brief) kpis(y float64) float64 {
	if len(b.res.KPIs) == 0 {
		return y
	}
	y = b.section(y, "关键指标（已计入诊断中填写了该项的企业）", 20)
	var rows [][]string
	for _, k := range b.res.KPIs {
		ref := "—"
		if k.Reference != nil {
			ref = fmt.Sprintf("%.1f（%d）", *k.Reference, k.ReferenceYear)
		}
		name := k.Name
		if k.Unit != "" {
			name += "（" + k.Unit + "）"
		}
		rows = append(rows, []string{name, fmt.Sprint(k.N), fmt.Sprintf("%.1f", k.Mean), fmt.Sprintf("%.1f", k.Median), ref})
	}
	return b.table(y, []string{"指标", "企业数", "平均", "中位数", "全国参照（年份）"}, []float64{84, 18, 20, 20, 32}, "LRRRR", rows)
}

func (b *brief) providers(y float64) float64 {
	y = b.section(y, "各服务商的诊断", 20)
	var rows [][]string
	for _, name := range b.res.ProviderRows() {
		p := b.res.Coverage.ByProvider[name]
		level := "—"
		if p.MeanLevel != nil {
			level = fmt.Sprintf("%.2f", *p.MeanLevel)
		}
		off := "—"
		if b.res.Roster != nil {
			off = fmt.Sprint(p.OffRoster)
		}
		rows = append(rows, []string{name, fmt.Sprint(p.Counted), fmt.Sprint(p.Rejected), fmt.Sprint(p.Earlier), off, level})
	}
	if len(rows) == 0 {
		b.font(9, false, pdfstyle.Muted)
		b.text(bMargin, y, bContentW, 5, "暂无诊断", "L")
		return y + 6
	}
	y = b.table(y, []string{"服务商", "计入企业", "未计入文件", "较早或被替代", "名册外", "平均等级"}, []float64{70, 20, 22, 24, 18, 20}, "LRRRRR", rows)
	return b.para(bMargin, y+1.5, bContentW, "计入企业：该服务商的诊断是企业最新的一份；未计入文件：封印无效、未封存、签名者不在信任列表或无法读取，不能作为付费依据。", 8, 4.2, pdfstyle.Muted, false)
}

func (b *brief) attention(y float64) float64 {
	res := b.res
	var items []string
	d := res.Diagnoses
	if d.Demo > 0 {
		items = append(items, fmt.Sprintf("%d 份诊断由演示密钥签名（%s），不是正式诊断；正式统计前请从信任列表中移除演示密钥。", d.Demo, seal.DemoLabel))
	}
	if len(d.Rejected) > 0 {
		items = append(items, fmt.Sprintf("%d 个诊断文件未计入：%s。明细见 Excel「未计入文件」。", len(d.Rejected), tally.RejectedSummary(d.ByStatus)))
	}
	if n := len(d.Duplicates); n > 0 {
		items = append(items, fmt.Sprintf("%d 家企业诊断了不止一次，只计最新一份（共 %d 份较早的诊断）；请核对是否重复付费。", n, d.Earlier))
	}
	if d.Superseded > 0 {
		items = append(items, fmt.Sprintf("%d 份诊断已被修订版本替代。", d.Superseded))
	}
	if res.Roster != nil {
		if n := len(res.NotDiagnosed); n > 0 {
			items = append(items, fmt.Sprintf("名册上还有 %d 家企业未诊断（服务商的待办清单见 Excel「未诊断企业」）。", n))
		}
		if n := len(res.OffRoster); n > 0 {
			items = append(items, fmt.Sprintf("%d 家已诊断企业不在名册上（见 Excel「名册外企业」），请核实是否应列入名册。", n))
		}
		if r := res.Roster; len(r.Invalid)+len(r.Duplicates) > 0 {
			items = append(items, fmt.Sprintf("名册有 %d 行无效、%d 行重复，未计入目标（见 Excel「名册问题」）。", len(r.Invalid), len(r.Duplicates)))
		}
	}
	if pr := res.Progress; pr.Firms > 0 {
		items = append(items, fmt.Sprintf("%d 家企业有前后两次以上诊断：等级提高 %d 家，持平 %d 家，下降 %d 家。", pr.Firms, pr.Improved, pr.Unchanged, pr.Declined))
	}
	if len(items) == 0 {
		items = append(items, "没有需要特别关注的问题。")
	}
	y = b.section(y, "需要关注", 12)
	for _, it := range items {
		if y+5 > bBottom {
			b.pdf.AddPage()
			y = bMargin + 2
		}
		b.fill(pdfstyle.Accent)
		b.pdf.Rect(bMargin+1, y+1.8, 1.6, 1.6, "F")
		y = b.para(bMargin+5, y, bContentW-5, it, 9.5, 5.2, pdfstyle.Text, false) + 1
	}
	return y
}

func (b *brief) notes(y float64) {
	var srcs []string
	for _, ref := range b.res.LevelReference {
		srcs = append(srcs, ref.Name+"："+ref.Source)
	}
	text := "说明：覆盖率 = 名册上已有计入诊断的企业数 ÷ 名册有效企业数；一家企业属于两个类别时两个类别都计。" +
		fmt.Sprintf("预测按最近 %d 天的新覆盖速度外推。", b.res.ForecastWindowDays) +
		"等级分布中的参照数据为第三方转引的公开数据，只作参照，不是官方统计口径。"
	if len(srcs) > 0 {
		text += "来源：" + strings.Join(srcs, "；") + "。"
	}
	if y+20 > bBottom {
		b.pdf.AddPage()
		y = bMargin + 2
	}
	b.line(bMargin, y, bMargin+bContentW, y, pdfstyle.Rule, 0.2)
	b.para(bMargin, y+2, bContentW, text, 8, 4.2, pdfstyle.Muted, false)
}

func orDash(s string) string {
	if s == "" {
		return "未定"
	}
	return s
}

// targetOf is a row's target, 0 without one.
func targetOf(c tally.CovRow) int {
	if c.Target == nil {
		return 0
	}
	return *c.Target
}
