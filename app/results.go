package app

import (
	"fmt"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
	"smartdiag/pdfstyle"
	q "smartdiag/questionnaires"
)

var (
	// The palette of the PDFs (package pdfstyle), so the app and the report agree.
	colPrimary = pdfstyle.Primary.NRGBA()
	colAccent  = pdfstyle.Accent.NRGBA()
	colGreen   = pdfstyle.Green.NRGBA()
	colGrid    = withAlpha(pdfstyle.Grid.NRGBA(), 0x80)
	trackCols  = map[string]color.Color{q.TrackRetrofit: pdfstyle.Track(q.TrackRetrofit).NRGBA(), q.TrackDigital: pdfstyle.Track(q.TrackDigital).NRGBA(), q.TrackNetworked: pdfstyle.Track(q.TrackNetworked).NRGBA()}
)

func withAlpha(c color.NRGBA, a uint8) color.NRGBA {
	c.A = a
	return c
}

// resultsScreen shows the level, the charts and what is still unanswered.
type resultsScreen struct {
	badge      *widget.Label
	score      *widget.Label
	incomplete *widget.List
	missing    []string
	// change is the summary of what moved since the firm's previous diagnosis and changes its
	// per-group lines; nil on a first visit.
	change  *widget.Label
	changes []string
	tabs    *container.AppTabs // charts, and the change since last time on a repeat visit
}

func (ui *UI) showResults(s *assessment.Session) {
	r := assessment.Score(s.Q, s.Doc)
	plan := assessment.BuildPlan(s.Q, s.Doc, r, q.BundledDistrict())
	rs := &resultsScreen{missing: r.Missing}
	ui.results = rs

	levelName := levelLabel(s.Q, r.Level)
	if r.Estimate {
		levelName += T("（估算）")
	}
	rs.badge = widget.NewLabelWithStyle(levelName, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	rs.badge.SizeName = theme.SizeNameHeadingText
	rs.score = widget.NewLabelWithStyle(Tf("得分 %.2f / %.0f", r.Score, r.MaxScore), fyne.TextAlignCenter, fyne.TextStyle{})
	if r.AI != nil {
		rs.score.SetText(aiShareLine(r.AI))
	}
	bg := canvas.NewRectangle(withAlpha(colPrimary, 0x30))
	bg.CornerRadius = 10
	badge := container.NewStack(bg, container.NewPadded(container.NewVBox(rs.badge, rs.score,
		widget.NewLabelWithStyle(Tf("目标等级：%s", levelLabel(s.Q, plan.TargetLevel)), fyne.TextAlignCenter, fyne.TextStyle{}))))

	var trackRows []fyne.CanvasObject
	for _, t := range q.Tracks {
		trackRows = append(trackRows, barRow(q.TrackName(t, language()), r.Tracks[t], 100, trackCols[t], "%.1f"))
	}
	tracks := container.NewVBox(append([]fyne.CanvasObject{bold(T("智改数转网联指数（0–100）"))}, trackRows...)...)

	var charts fyne.CanvasObject
	if r.AI != nil {
		charts = aiCharts(s.Q, r, tracks)
	} else if s.Q.Scoring == q.ScoringCMMM {
		var labels []string
		var cur []float64
		for _, d := range r.Domains {
			labels = append(labels, localName(d.Name, domainEN(s.Q, d.ID)))
			cur = append(cur, d.Score)
		}
		target := make([]float64, len(cur))
		for i, v := range cur {
			target[i] = math.Max(v, float64(plan.TargetLevel))
		}
		radar := newRadar(labels, 5, []radarLine{{cur, colPrimary, true}, {target, colAccent, false}})
		var elemRows []fyne.CanvasObject
		for _, e := range r.Elements {
			elemRows = append(elemRows, barRow(localName(e.Name, elementEN(s.Q, e.ID)), e.Score, 5, colPrimary, "%.2f"))
		}
		legend := container.NewHBox(legendItem(T("当前"), colPrimary), legendItem(T("目标"), colAccent))
		charts = container.NewGridWithColumns(2,
			container.NewBorder(bold(T("能力域得分（0–5）")), legend, nil, nil, radar),
			container.NewVBox(bold(T("能力要素得分（0–5）")), container.NewVBox(elemRows...), widget.NewSeparator(), tracks),
		)
	} else {
		var rows []fyne.CanvasObject
		for _, d := range r.Domains {
			if d.Max > 0 {
				rows = append(rows, barRow(s.Q.GroupName(d.ID, language(), d.Name), d.Score, d.Max, colPrimary, "%.1f"))
			}
		}
		charts = container.NewGridWithColumns(2, container.NewVBox(append([]fyne.CanvasObject{bold(T("各部分得分"))}, rows...)...), tracks)
	}

	rs.incomplete = widget.NewList(
		func() int { return len(rs.missing) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, nil, widget.NewButton(T("去回答"), nil), l)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			id := rs.missing[i]
			it, _ := s.Q.Item(id)
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(id + "  " + it.TextIn(language()))
			c.Objects[1].(*widget.Button).OnTapped = func() { ui.showWizard(s, id) }
		},
	)
	missingTitle := bold(Tf("未回答的必答题：%d", len(r.Missing)))
	if len(r.Missing) == 0 {
		missingTitle.SetText(T("所有必答题都已回答"))
	}
	left := container.NewBorder(container.NewVBox(badge, widget.NewSeparator(), missingTitle), nil, nil, nil, rs.incomplete)
	var right fyne.CanvasObject = container.NewPadded(charts)
	if prev := ui.ws.FindPrevious(s.Doc); prev != nil {
		rs.tabs = container.NewAppTabs(
			container.NewTabItem(T("图表"), right),
			container.NewTabItem(T("与上次相比"), rs.changeView(prev, s)))
		right = rs.tabs
	}
	split := container.NewHSplit(left, right)
	split.Offset = 0.3

	var actions []fyne.CanvasObject
	if s.Doc.Status == assessment.StatusDraft {
		actions = append(actions, widget.NewButton(T("继续答题"), func() { ui.showWizard(s, "") }))
	}
	if b := ui.syncBadge(s.Doc); b != nil {
		actions = append(actions, b)
	}
	actions = append(actions,
		widget.NewButton(T("改进计划"), func() { ui.showPlan(s) }),
		widget.NewButton(T("完成与报告"), func() { ui.showFinish(s) }))
	ui.setScreen(ui.screenWithHeader(s.Doc.Enterprise.Name+" · "+T("诊断结果"), ui.showHome, actions, split))
}

// barRow is a labelled horizontal bar.
func barRow(label string, v, maxV float64, c color.Color, format string) fyne.CanvasObject {
	bar := newHBar(v/maxV, c)
	l := widget.NewLabel(label)
	val := widget.NewLabel(fmt.Sprintf(format, v))
	return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(120, 36), l), container.NewGridWrap(fyne.NewSize(60, 36), val), bar)
}

func legendItem(label string, c color.Color) fyne.CanvasObject {
	r := canvas.NewRectangle(c)
	r.SetMinSize(fyne.NewSize(18, 4))
	return container.NewHBox(container.NewCenter(r), widget.NewLabel(label))
}

// hBar draws a filled proportion of its width.
type hBar struct {
	widget.BaseWidget
	frac float64
	col  color.Color
}

func newHBar(frac float64, c color.Color) *hBar {
	b := &hBar{frac: math.Max(0, math.Min(1, frac)), col: c}
	b.ExtendBaseWidget(b)
	return b
}

func (b *hBar) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(withAlpha(pdfstyle.Grid.NRGBA(), 0x33))
	fg := canvas.NewRectangle(b.col)
	return &hBarRenderer{b: b, bg: bg, fg: fg}
}

type hBarRenderer struct {
	b      *hBar
	bg, fg *canvas.Rectangle
}

func (r *hBarRenderer) Layout(s fyne.Size) {
	h := float32(14)
	y := (s.Height - h) / 2
	r.bg.Move(fyne.NewPos(0, y))
	r.bg.Resize(fyne.NewSize(s.Width, h))
	r.fg.Move(fyne.NewPos(0, y))
	r.fg.Resize(fyne.NewSize(s.Width*float32(r.b.frac), h))
}
func (r *hBarRenderer) MinSize() fyne.Size           { return fyne.NewSize(80, 20) }
func (r *hBarRenderer) Refresh()                     { r.Layout(r.b.Size()); canvas.Refresh(r.b) }
func (r *hBarRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.fg} }
func (r *hBarRenderer) Destroy()                     {}

// radar is a spider chart drawn with canvas lines.
type radarLine struct {
	values []float64
	col    color.Color
	thick  bool
}

type radar struct {
	widget.BaseWidget
	labels []string
	maxV   float64
	lines  []radarLine
}

func newRadar(labels []string, maxV float64, lines []radarLine) *radar {
	r := &radar{labels: labels, maxV: maxV, lines: lines}
	r.ExtendBaseWidget(r)
	return r
}

func (r *radar) CreateRenderer() fyne.WidgetRenderer {
	rr := &radarRenderer{r: r}
	rr.build()
	return rr
}

type radarRenderer struct {
	r       *radar
	objects []fyne.CanvasObject
	size    fyne.Size
}

func (rr *radarRenderer) build() {
	rr.objects = nil
	r := rr.r
	n := len(r.labels)
	if n < 3 || rr.size.Width == 0 {
		return
	}
	cx, cy := rr.size.Width/2, rr.size.Height/2
	rad := float64(min(rr.size.Width, rr.size.Height)/2) - 40
	pt := func(i int, v float64) fyne.Position {
		a := -math.Pi/2 + 2*math.Pi*float64(i)/float64(n)
		d := rad * math.Max(0, math.Min(v, r.maxV)) / r.maxV
		return fyne.NewPos(cx+float32(d*math.Cos(a)), cy+float32(d*math.Sin(a)))
	}
	line := func(a, b fyne.Position, c color.Color, w float32) {
		l := canvas.NewLine(c)
		l.Position1, l.Position2, l.StrokeWidth = a, b, w
		rr.objects = append(rr.objects, l)
	}
	for lv := 1; lv <= int(r.maxV); lv++ {
		for i := range n {
			line(pt(i, float64(lv)), pt((i+1)%n, float64(lv)), colGrid, 1)
		}
	}
	for i := range n {
		line(pt(i, 0), pt(i, r.maxV), colGrid, 1)
	}
	for _, l := range r.lines {
		w := float32(1.5)
		if l.thick {
			w = 3
		}
		for i := range n {
			line(pt(i, l.values[i]), pt((i+1)%n, l.values[(i+1)%n]), l.col, w)
		}
	}
	for i, lab := range r.labels {
		t := canvas.NewText(lab, theme.Color(theme.ColorNameForeground))
		t.TextSize = 12
		p := pt(i, r.maxV*1.12)
		sz := t.MinSize()
		t.Move(fyne.NewPos(p.X-sz.Width/2, p.Y-sz.Height/2))
		rr.objects = append(rr.objects, t)
	}
}

func (rr *radarRenderer) Layout(s fyne.Size) {
	if s != rr.size {
		rr.size = s
		rr.build()
	}
}
func (rr *radarRenderer) MinSize() fyne.Size           { return fyne.NewSize(320, 320) }
func (rr *radarRenderer) Refresh()                     { rr.build(); canvas.Refresh(rr.r) }
func (rr *radarRenderer) Objects() []fyne.CanvasObject { return rr.objects }
func (rr *radarRenderer) Destroy()                     {}

func domainEN(qn *q.Questionnaire, id string) string {
	for _, e := range qn.Elements {
		for _, d := range e.Domains {
			if d.ID == id {
				return d.NameEN
			}
		}
	}
	return ""
}

func elementEN(qn *q.Questionnaire, id string) string {
	for _, e := range qn.Elements {
		if e.ID == id {
			return e.NameEN
		}
	}
	return ""
}

// changeView shows what moved since the firm's previous diagnosis: the level, the score, the items
// answered better or worse, and each sub-domain's (or section's) score then and now.
func (rs *resultsScreen) changeView(prev *assessment.Previous, s *assessment.Session) fyne.CanvasObject {
	c := assessment.Compare(prev, s.Q, s.Doc)
	level := func(qn *q.Questionnaire, l int, est bool) string {
		if est {
			return levelShort(qn, l) + T("（估算）")
		}
		return levelShort(qn, l)
	}
	rs.change = widget.NewLabel(Tf("与上次（%s）相比：等级 %s → %s；得分 %.2f → %.2f（%+.2f）；%d 题提高，%d 题降低。",
		c.PreviousDate.Local().Format("2006-01-02"),
		level(prev.Q, c.LevelBefore, c.EstimateBefore), level(s.Q, c.LevelAfter, c.EstimateAfter),
		c.ScoreBefore, c.ScoreAfter, c.ScoreAfter-c.ScoreBefore, c.ImprovedItems, c.WorsenedItems))
	rs.change.Wrapping = fyne.TextWrapWord
	rs.change.TextStyle.Bold = true
	rows := container.NewVBox()
	rs.changes = nil
	for _, g := range c.Groups {
		name := s.Q.GroupName(g.ID, language(), g.ID)
		var line string
		switch d := g.Delta(); {
		case g.New:
			line = Tf("%s：%.2f（上次无此项）", name, g.After)
		case d > 0:
			line = Tf("%s：%.2f → %.2f（↑ %.2f）", name, g.Before, g.After, d)
		case d < 0:
			line = Tf("%s：%.2f → %.2f（↓ %.2f）", name, g.Before, g.After, -d)
		default:
			line = Tf("%s：%.2f（不变）", name, g.After)
		}
		rs.changes = append(rs.changes, line)
		l := widget.NewLabel(line)
		l.Wrapping = fyne.TextWrapWord
		rows.Add(l)
	}
	return container.NewBorder(container.NewVBox(rs.change, widget.NewSeparator()), nil, nil, nil, container.NewVScroll(rows))
}
