package report

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"smartdiag/assessment"
	"smartdiag/pdfstyle"
	q "smartdiag/questionnaires"
)

func (r *renderer) cover(title string) {
	p := r.pdf
	p.AddPage()
	r.pdf.Bookmark(title, 0, 0)
	// Band across the top.
	r.fill(pdfstyle.Primary)
	p.Rect(0, 0, pageW, 62, "F")
	r.fill(pdfstyle.Accent)
	p.Rect(0, 62, pageW, 2.2, "F")
	r.font(11, false, pdfstyle.White)
	p.SetXY(marginL, 18)
	p.CellFormat(contentW, 6, r.L("programme"), "", 1, "L", false, 0, "")
	r.font(24, true, pdfstyle.White)
	p.SetXY(marginL, 30)
	p.CellFormat(contentW, 12, title, "", 1, "L", false, 0, "")
	r.font(10, false, pdfstyle.Color{R: 0xDD, G: 0xE8, B: 0xF0})
	p.SetXY(marginL, 45)
	p.CellFormat(contentW, 6, r.qn.TitleIn(r.lang)+r.paren(r.qn.ID+" "+r.qn.Version), "", 1, "L", false, 0, "")

	// Enterprise name.
	r.setY(80)
	r.para(marginL, contentW, r.d.Enterprise.Name, 20, 10, pdfstyle.Text, true)
	r.setY(r.y() + 4)

	e := r.d.Enterprise
	date := r.d.Created
	if r.d.Finished != nil {
		date = *r.d.Finished
	}
	rows := [][2]string{
		{r.L("credit_code"), e.CreditCode},
		{r.L("street"), e.Street},
		{r.L("industry"), industryText(e.Industry, r.lang)},
		{r.L("categories"), r.categories(e.Categories)},
		{r.L("production_type"), q.ProductionTypeNameIn(e.ProductionType, r.lang)},
		{r.L("date"), date.In(cst).Format("2006-01-02")},
		{r.L("provider"), r.d.Assessor.Organisation},
		{r.L("consultant"), r.d.Assessor.Name},
		{r.L("report_id"), r.reportID()},
		{r.L("questionnaire"), r.qn.TitleIn(r.lang) + r.paren(r.qn.ID+" "+r.qn.Version)},
	}
	for _, row := range rows {
		if strings.TrimSpace(row[1]) == "" {
			continue
		}
		y := r.y()
		r.font(10, false, pdfstyle.Muted)
		p.SetXY(marginL, y)
		p.CellFormat(42, 8, row[0], "", 0, "L", false, 0, "")
		lines := r.wrap(row[1], 10.5, contentW-44)
		r.font(10.5, false, pdfstyle.Text)
		for i, ln := range lines {
			p.SetXY(marginL+44, y+float64(i)*6)
			p.CellFormat(contentW-44, 8, ln, "", 0, "L", false, 0, "")
		}
		r.setY(y + math.Max(8, float64(len(lines))*6+2))
		r.line(marginL, r.y(), marginL+contentW, r.y(), pdfstyle.Rule, 0.15)
	}

	// Level badge on the cover.
	by := r.y() + 10
	big, small := r.levelBadgeText()
	r.badge(marginL, by, 70, 28, big, small, pdfstyle.Primary)
	note := r.L("cover_note")
	if r.opt.Draft {
		note = r.L("preview_note")
	}
	lines := r.wrap(note, 9, contentW-78)
	r.font(9, false, pdfstyle.Muted)
	for i, ln := range lines {
		p.SetXY(marginL+78, by+8+float64(i)*5)
		p.CellFormat(contentW-78, 5, ln, "", 0, "L", false, 0, "")
	}
	// The programme's office at the foot of the cover.
	r.line(marginL, pageH-30, marginL+contentW, pageH-30, pdfstyle.Rule, 0.3)
	r.font(9, false, pdfstyle.Muted)
	p.SetXY(marginL, pageH-27)
	p.CellFormat(contentW, 5, r.opt.District.OfficeLine(r.lang), "", 0, "L", false, 0, "")
	if !r.res.Complete {
		r.font(11, true, pdfstyle.Warn)
		p.SetXY(marginL, 250)
		p.CellFormat(contentW, 8, r.L("draft_mark"), "", 0, "C", false, 0, "")
	}
}

func industryText(code, lang string) string {
	if code == "" {
		return ""
	}
	if n := q.IndustryNameIn(code, lang); n != "" {
		return code + " " + n
	}
	return code
}

// levelBadgeText returns the badge lines: level name and score.
func (r *renderer) levelBadgeText() (string, string) {
	res := r.res
	name := r.qn.LevelShortName(res.Level)
	if r.en {
		name = fmt.Sprintf("Level %d", res.Level)
		if res.Level == 0 {
			name = "Below level 1"
		}
	}
	var small string
	if r.qn.Scoring == q.ScoringCMMM {
		small = fmt.Sprintf("%s %.2f / %.0f", r.L("score"), res.Score, res.MaxScore)
		if !r.en && res.Level > 0 {
			small = r.qn.CMMM.Levels[res.Level-1].Title + " · " + small
		}
	} else if res.AI != nil {
		small = r.aiBadgeSmall()
	} else {
		small = fmt.Sprintf("%s %.1f / %.0f", r.L("score"), res.Score, res.MaxScore)
	}
	if res.Estimate {
		small += r.paren(r.L("estimate"))
	}
	return name, small
}

func (r *renderer) levelName(l int) string {
	if r.en {
		if l == 0 {
			return "below level 1"
		}
		return fmt.Sprintf("level %d", l)
	}
	return r.qn.LevelShortName(l)
}

// --- 1 summary ----------------------------------------------------------------------------------

func (r *renderer) summary() {
	p := r.pdf
	r.section("s.summary")
	y0 := r.y()
	big, small := r.levelBadgeText()
	lvKey := "level"
	if r.qn.Scoring == q.ScoringPoints {
		lvKey = "level.points"
	} else if r.qn.AI != nil {
		lvKey = "level.ai"
	}
	r.font(9, false, pdfstyle.Muted)
	p.SetXY(marginL, y0)
	p.CellFormat(60, 5, r.L(lvKey), "", 0, "L", false, 0, "")
	r.badge(marginL, y0+6, 60, 26, big, small, pdfstyle.Primary)
	r.font(9, false, pdfstyle.Muted)
	p.SetXY(marginL, y0+34)
	p.CellFormat(60, 5, r.L("target")+r.colon()+r.levelName(r.plan.TargetLevel), "", 0, "L", false, 0, "")

	// Track indices beside the badge.
	r.font(9, false, pdfstyle.Muted)
	p.SetXY(marginL+68, y0)
	p.CellFormat(contentW-68, 5, r.L("track_index")+r.paren("0–100"), "", 0, "L", false, 0, "")
	vals := make([]float64, len(q.Tracks))
	cols := make([]pdfstyle.Color, len(q.Tracks))
	for i, t := range q.Tracks {
		vals[i], cols[i] = r.res.Tracks[t], pdfstyle.Track(t)
	}
	tl := make([]string, len(q.Tracks))
	for i, t := range q.Tracks {
		tl[i] = q.TrackName(t, r.lang)
	}
	labW := map[bool]float64{false: 16, true: 21}[r.en]
	r.hbar(marginL+68, y0+8, labW, contentW-68-labW-18, tl, vals, 100, cols, "%.1f")
	r.setY(y0 + 44)

	r.subheading(map[bool]string{false: "诊断结论", true: "Summary"}[r.en])
	if r.en { // longer than the Chinese: a little tighter, so the projects table stays on this page
		r.para(marginL, contentW, r.summaryText(), 9.5, 5.3, pdfstyle.Text, false)
	} else {
		r.para(marginL, contentW, r.summaryText(), 10, 6, pdfstyle.Text, false)
	}
	if r.d.Confirmation != nil && r.d.Confirmation.Name != "" {
		r.setY(r.y() + 1)
		r.para(marginL, contentW, fmt.Sprintf(r.L("confirmed"), r.d.Confirmation.Name, r.d.Confirmation.Date.In(cst).Format("2006-01-02")), 9, 5, pdfstyle.Muted, false)
	}
	r.setY(r.y() + 3)
	r.projectTable()
}

// summaryCharts puts the level scores (or part scores) and the plan's shape on the summary page.
func (r *renderer) summaryCharts() {
	res := r.res
	colW := (contentW - 8) / 2
	y0 := r.y()
	r.ensure(52)
	if r.y() != y0 {
		y0 = r.y()
	}
	r.font(10.5, true, pdfstyle.Text)
	r.pdf.SetXY(marginL, y0)
	var labs []string
	var vals []float64
	var maxV float64
	format := "%.2f"
	if r.qn.Scoring == q.ScoringCMMM {
		r.pdf.CellFormat(colW, 6, map[bool]string{false: "各级得分", true: "Level scores"}[r.en]+r.paren(fmt.Sprintf("%s %.1f", map[bool]string{false: "达标线", true: "threshold"}[r.en], r.qn.CMMM.Threshold)), "", 0, "L", false, 0, "")
		for i, t := range res.LevelScores[:r.ceiling()] {
			labs = append(labs, r.levelName(i+1))
			vals = append(vals, t)
		}
		maxV = 1
	} else if res.AI != nil {
		r.pdf.CellFormat(colW, 6, r.L("ai.readiness.title"), "", 0, "L", false, 0, "")
		for _, a := range res.AI.Areas {
			labs = append(labs, r.areaName(a.ID))
			vals = append(vals, 100*a.Readiness)
		}
		maxV, format = 100, "%.0f%%"
	} else {
		r.pdf.CellFormat(colW, 6, r.L("points_table"), "", 0, "L", false, 0, "")
		for _, g := range res.Domains {
			if g.Max > 0 {
				labs = append(labs, r.qn.GroupName(g.ID, r.lang, g.Name))
				vals = append(vals, 100*g.Score/g.Max)
			}
		}
		maxV, format = 100, "%.0f%%"
	}
	cols := make([]pdfstyle.Color, len(vals))
	for i, v := range vals {
		cols[i] = pdfstyle.Primary
		if r.qn.Scoring == q.ScoringCMMM && v < r.qn.CMMM.Threshold {
			cols[i] = pdfstyle.Bench
		}
	}
	barW := colW - 18 - 14
	end := r.hbar(marginL, y0+8, 18, barW, labs, vals, maxV, cols, format)
	if r.qn.Scoring == q.ScoringCMMM {
		x := marginL + 18 + barW*r.qn.CMMM.Threshold
		r.pdf.SetDashPattern([]float64{1, 0.8}, 0)
		r.line(x, y0+7, x, end-1.5, pdfstyle.Warn, 0.3)
		r.pdf.SetDashPattern(nil, 0)
	}
	// The plan by phase.
	x2 := marginL + colW + 8
	r.font(10.5, true, pdfstyle.Text)
	r.pdf.SetXY(x2, y0)
	r.pdf.CellFormat(colW, 6, map[bool]string{false: "改进措施分布", true: "Actions by phase"}[r.en], "", 0, "L", false, 0, "")
	byPhase := r.plan.ByPhase()
	var pl []string
	var pv []float64
	most := 1.0
	for _, ph := range assessment.Phases {
		pl = append(pl, map[bool]string{false: map[string]string{assessment.PhaseNear: "近期", assessment.PhaseMid: "中期", assessment.PhaseFar: "远期"}[ph], true: map[string]string{assessment.PhaseNear: "Near", assessment.PhaseMid: "Mid", assessment.PhaseFar: "Long"}[ph]}[r.en])
		pv = append(pv, float64(len(byPhase[ph])))
		most = math.Max(most, float64(len(byPhase[ph])))
	}
	end2 := r.hbar(x2, y0+8, 14, colW-14-14, pl, pv, most, []pdfstyle.Color{pdfstyle.Accent, pdfstyle.Primary, pdfstyle.Bench}, "%.0f")
	r.setY(math.Max(end, end2) + 2)
}

// summaryText writes the generated summary paragraph from the scores and the plan.
func (r *renderer) summaryText() string {
	res := r.res
	name := r.d.Enterprise.Name
	weakTrack, strongTrack := q.Tracks[0], q.Tracks[0]
	for _, t := range q.Tracks {
		if res.Tracks[t] < res.Tracks[weakTrack] {
			weakTrack = t
		}
		if res.Tracks[t] > res.Tracks[strongTrack] {
			strongTrack = t
		}
	}
	var b strings.Builder
	if res.AI != nil {
		r.aiSummaryText(&b)
	} else if r.qn.Scoring == q.ScoringCMMM {
		// The same facts the findings pages print: sub-domains ranked by score.
		facts := slices.Clone(r.subDomainFacts())
		sort.SliceStable(facts, func(i, j int) bool { return facts[i].score.Score > facts[j].score.Score })
		dn := func(f sdFacts) string {
			return fmt.Sprintf("%s %.2f", f.sd.NameIn(r.lang), f.score.Score)
		}
		var strong, weak, lag []string
		for i := 0; i < 2 && i < len(facts); i++ {
			strong = append(strong, dn(facts[i]))
			weak = append(weak, dn(facts[len(facts)-1-i]))
		}
		for _, f := range facts {
			if f.level < res.Level {
				lag = append(lag, f.sd.NameIn(r.lang))
			}
		}
		est := ""
		if res.Estimate {
			est = map[bool]string{false: "（估算）", true: " (estimate)"}[r.en]
		}
		ceiling := r.ceiling()
		if r.en {
			fmt.Fprintf(&b, "%s reached %s%s with a maturity score of %.2f out of 5. ", name, r.levelName(res.Level), est, res.Score)
			fmt.Fprintf(&b, "Its strongest sub-domains are %s; the weakest are %s. ", strings.Join(strong, " and "), strings.Join(weak, " and "))
			if len(lag) > 0 {
				fmt.Fprintf(&b, "%d sub-domains lag the overall level (%s); the plan fixes them first. ", len(lag), strings.Join(lag, ", "))
			}
			switch {
			case res.Level >= ceiling && ceiling < 5:
				fmt.Fprintf(&b, "This questionnaire asks up to level %d, so it cannot show more; a full diagnosis is needed for a higher level. ", ceiling)
			case res.Level < 5:
				fmt.Fprintf(&b, "The level %d score is %.2f against a threshold of %.2f. ", res.Level+1, res.LevelScores[res.Level], r.qn.CMMM.Threshold)
			}
		} else {
			fmt.Fprintf(&b, "%s本次诊断的智能制造能力成熟度为%s%s，得分 %.2f（满分 5）。", name, r.qn.LevelName(res.Level), est, res.Score)
			fmt.Fprintf(&b, "20 个能力子域中得分最高的是%s，最低的是%s。", strings.Join(strong, "、"), strings.Join(weak, "、"))
			if len(lag) > 0 {
				fmt.Fprintf(&b, "有 %d 个子域低于整体等级（%s），计划先补这些短板。", len(lag), strings.Join(lag, "、"))
			}
			switch {
			case res.Level >= ceiling && ceiling < 5:
				fmt.Fprintf(&b, "本问卷只覆盖到%s，无法评出更高等级；如需评定更高等级，请做完整诊断。", r.qn.LevelShortName(ceiling))
			case res.Level < 5:
				fmt.Fprintf(&b, "%s的分级得分为 %.2f，距达标线 %.2f 还差 %.2f。", r.qn.LevelShortName(res.Level+1),
					res.LevelScores[res.Level], r.qn.CMMM.Threshold, math.Max(0, r.qn.CMMM.Threshold-res.LevelScores[res.Level]))
			}
		}
	} else {
		if r.en {
			fmt.Fprintf(&b, "%s scored %.1f of %.0f points, %s. ", name, res.Score, res.MaxScore, r.levelName(res.Level))
		} else {
			fmt.Fprintf(&b, "%s本次评测得分 %.1f 分（满分 %.0f 分），数字化水平为%s（估算）。", name, res.Score, res.MaxScore, r.qn.LevelShortName(res.Level))
		}
	}
	quick := 0
	for _, a := range r.plan.Actions {
		if !a.Excluded && a.QuickWin {
			quick++
		}
	}
	active := len(r.plan.Top(math.MaxInt))
	if r.en {
		fmt.Fprintf(&b, "Track indices: retrofit %.1f, digital %.1f, networking %.1f; %s is the weakest track. ",
			res.Tracks[q.TrackRetrofit], res.Tracks[q.TrackDigital], res.Tracks[q.TrackNetworked], q.TrackName(weakTrack, r.lang))
		fmt.Fprintf(&b, "The plan aims at %s with %d actions, %d of them quick wins that need rules or configuration rather than investment.",
			r.levelName(r.plan.TargetLevel), active, quick)
	} else {
		fmt.Fprintf(&b, "智改、数转、网联三项指数分别为 %.1f、%.1f、%.1f，%s相对领先，%s是薄弱环节。",
			res.Tracks[q.TrackRetrofit], res.Tracks[q.TrackDigital], res.Tracks[q.TrackNetworked], strongTrack, weakTrack)
		fmt.Fprintf(&b, "改进计划以%s为目标，共 %d 项措施，其中 %d 项为只需完善制度、流程或系统配置的速效措施，建议在近期优先落实。",
			r.qn.LevelShortName(r.plan.TargetLevel), active, quick)
	}
	return b.String()
}

// ceiling is the highest level the questionnaire has items for: a quick scan that asks up to
// 三级 shows nothing above it.
func (r *renderer) ceiling() int {
	top := 0
	for _, it := range r.qn.Items() {
		top = max(top, it.Level)
	}
	return top
}

// --- 2 maturity ---------------------------------------------------------------------------------

func (r *renderer) maturity() {
	if r.qn.AI != nil {
		r.section("s.ai")
		r.aiDetail()
		return
	}
	r.section("s.maturity")
	r.summaryCharts()
	r.setY(r.y() + 3)
	if r.qn.Scoring == q.ScoringPoints {
		r.pointsDetail()
		return
	}
	res := r.res
	ceiling := r.ceiling()
	facts := r.subDomainFacts()
	cols := []column{{r.L("subdomain"), 38 + 18*float64(5-ceiling), "L"}, {r.L("weight"), 16, "R"}}
	for _, l := range r.qn.CMMM.Levels[:ceiling] {
		name := l.Name
		if r.en {
			name = fmt.Sprintf("L%d", l.Level)
		}
		cols = append(cols, column{name, 18, "C"})
	}
	cols = append(cols, column{r.L("score"), 30, "C"})
	rows := make([][]string, len(res.SubDomains))
	fills := make([]*pdfstyle.Color, len(res.SubDomains))
	sds := r.qn.SubDomains()
	for i, sd := range res.SubDomains {
		name := sds[i].NameIn(r.lang)
		row := []string{name, fmt.Sprintf("%.1f%%", 100*sd.Weight)}
		for _, v := range sd.LevelScores[:ceiling] {
			if v == nil {
				row = append(row, "—")
			} else {
				row = append(row, fmt.Sprintf("%.2f", *v))
			}
		}
		row = append(row, fmt.Sprintf("%.2f", sd.Score)+r.paren(r.levelName(facts[i].level)))
		rows[i] = row
		if i%2 == 1 {
			fills[i] = &pdfstyle.Fill
		}
	}
	// Level score row.
	total := []string{map[bool]string{false: "整体分级得分", true: "Level score T"}[r.en], "100%"}
	for _, t := range res.LevelScores[:ceiling] {
		total = append(total, fmt.Sprintf("%.2f", t))
	}
	total = append(total, fmt.Sprintf("%.2f", res.Score)+r.paren(r.levelName(res.Level)))
	rows = append(rows, total)
	fills = append(fills, &pdfstyle.Color{R: 0xDD, G: 0xE8, B: 0xF0})
	r.subheading(fmt.Sprintf(r.L("level_scores"), r.qn.CMMM.Threshold))
	t := r.newTable(cols...)
	t.rowFill = func(i int) *pdfstyle.Color {
		if i >= 0 && i < len(fills) {
			return fills[i]
		}
		return nil
	}
	t.rows(rows)
	if ceiling < len(r.qn.CMMM.Levels) {
		r.para(marginL, contentW, fmt.Sprintf(r.L("ceiling_note"), r.levelName(ceiling)), 8.5, 4.8, pdfstyle.Muted, false)
	}

	// Radar chart: domain scores now, at the target, and the Jiangsu benchmark.
	r.ensure(118)
	r.subheading(r.L("radar"))
	spokes := make([]string, len(res.Domains))
	cur := make([]float64, len(res.Domains))
	tgt := make([]float64, len(res.Domains))
	bench := make([]float64, len(res.Domains))
	bm := r.benchmarkLevel()
	for i, dm := range res.Domains {
		spokes[i], cur[i] = r.qn.GroupName(dm.ID, r.lang, dm.Name), dm.Score
		tgt[i] = math.Max(dm.Score, float64(r.plan.TargetLevel))
		bench[i] = bm
	}
	series := []radarSeries{
		{label: r.L("radar.current"), values: cur, col: pdfstyle.Primary, fill: true},
		{label: r.L("radar.target"), values: tgt, col: pdfstyle.Accent, dashed: true},
	}
	if bm > 0 {
		series = append(series, radarSeries{label: fmt.Sprintf("%s %.1f", r.L("radar.bench"), bm), values: bench, col: pdfstyle.Bench, dashed: true})
	}
	cy := r.y() + 48
	r.radar(marginL+contentW/2, cy, 40, 5, spokes, series)
	r.setY(cy + 60)

	r.ensure(50)
	r.subheading(r.L("elements"))
	labs := make([]string, len(res.Elements))
	vals := make([]float64, len(res.Elements))
	cols2 := make([]pdfstyle.Color, len(res.Elements))
	for i, e := range res.Elements {
		labs[i], vals[i], cols2[i] = r.qn.GroupName(e.ID, r.lang, e.Name), e.Score, pdfstyle.Primary
	}
	r.setY(r.hbar(marginL, r.y()+1, 28, contentW-28-20, labs, vals, 5, cols2, "%.2f"))
	r.para(marginL, contentW, r.L("reference_note"), 8, 4.5, pdfstyle.Muted, false)
}

// benchmarkLevel is the mean level of the Jiangsu distribution in the benchmarks (a 参照 value);
// shares not accounted for are taken as below 一级.
func (r *renderer) benchmarkLevel() float64 {
	for _, dist := range r.opt.Benchmarks.CMMMDistributions {
		if !strings.HasPrefix(dist.ID, "jiangsu") {
			continue
		}
		m := 0.0
		for _, s := range dist.Shares {
			lv := 0.0
			for _, l := range s.Levels {
				lv += float64(l)
			}
			m += s.Share * lv / float64(len(s.Levels))
		}
		return m
	}
	return 0
}

func (r *renderer) pointsDetail() {
	res := r.res
	r.subheading(r.L("points_table"))
	var rows [][]string
	var walk func(ss []*q.Section, depth int)
	byID := map[string]assessment.GroupScore{}
	for _, s := range res.Sections {
		byID[s.ID] = s
	}
	walk = func(ss []*q.Section, depth int) {
		for _, s := range ss {
			g := byID[s.ID]
			if s.Max > 0 {
				rows = append(rows, []string{strings.Repeat("　", depth) + s.NameIn(r.lang), fmt.Sprintf("%.1f", g.Score), fmt.Sprintf("%.0f", s.Max)})
			}
			walk(s.Sections, depth+1)
		}
	}
	walk(r.qn.Sections, 0)
	rows = append(rows, []string{map[bool]string{false: "合计", true: "Total"}[r.en], fmt.Sprintf("%.1f", res.Score), fmt.Sprintf("%.0f", res.MaxScore)})
	r.newTable(column{r.L("section"), 100, "L"}, column{r.L("score"), 37, "R"}, column{map[bool]string{false: "满分", true: "Max"}[r.en], 37, "R"}).rows(rows)

	r.setY(r.y() + 4)
	r.subheading(r.L("scenario_table"))
	var srows [][]string
	n := map[int]int{}
	for _, it := range r.qn.Items() {
		if it.Type != q.TypeScenario {
			continue
		}
		lv := res.Scenarios[it.ID]
		n[lv]++
		desc := "—"
		if lv > 0 {
			desc = it.Levels[lv-1].TextIn(r.lang)
		}
		mark := ""
		if it.Mandatory {
			mark = map[bool]string{false: "约束性", true: "mandatory"}[r.en]
		}
		srows = append(srows, []string{it.TextIn(r.lang), mark, r.scenarioLevel(lv), desc})
	}
	r.newTable(column{r.L("scenario"), 40, "L"}, column{"", 16, "C"}, column{r.L("level"), 18, "C"}, column{map[bool]string{false: "现状", true: "Current state"}[r.en], 100, "L"}).rows(srows)
	r.para(marginL, contentW, fmt.Sprintf(r.L("scenarios_levels"), n[1]+n[2]+n[3]+n[4], n[2]+n[3]+n[4], n[3]+n[4], n[4]), 9, 5, pdfstyle.Muted, false)
	r.setY(r.y() + 3)
	r.pointsLevelRule()
}

// scenarioLevel names a scenario level of a points questionnaire in the report's language.
func (r *renderer) scenarioLevel(lv int) string {
	if lv <= 0 {
		return "—"
	}
	if r.en {
		return fmt.Sprintf("Level %d", lv)
	}
	return r.qn.Points.ScenarioLevels[lv-1].Name
}

// --- 3 tracks -----------------------------------------------------------------------------------

func (r *renderer) tracks() {
	r.section("s.tracks")
	e := r.d.Enterprise
	dist := r.opt.District
	// One line on the programme; the rest of the section is this firm's own items.
	var intro string
	if r.en {
		intro = fmt.Sprintf("Counted as %s toward the %s coverage goal (%s).", r.categories(e.Categories), dist.NameIn(r.lang), dist.CoverageDeadline)
	} else {
		intro = fmt.Sprintf("本企业属于%s，本次诊断计入%s全覆盖进度（%s 前）。", r.categories(e.Categories), dist.Name, dist.CoverageDeadline)
	}
	r.para(marginL, contentW, intro, 10, 6, pdfstyle.Text, false)
	r.setY(r.y() + 2)
	for _, t := range q.Tracks {
		has, needs := r.trackItems(t)
		r.keep(11 + 6 + r.bulletHeight(has) + r.bulletHeight(needs))
		r.subheading(fmt.Sprintf("%s　%.1f", q.TrackName(t, r.lang), r.res.Tracks[t]))
		// Index bar.
		r.fill(pdfstyle.Fill)
		r.pdf.Rect(marginL, r.y(), contentW, 3, "F")
		r.fill(pdfstyle.Track(t))
		r.pdf.Rect(marginL, r.y(), contentW*r.res.Tracks[t]/100, 3, "F")
		r.setY(r.y() + 6)
		r.bulletList(r.L("has"), has, pdfstyle.Good)
		r.bulletList(r.L("needs"), needs, pdfstyle.Warn)
	}
}

// categories names the firm's programme categories in the report's language.
func (r *renderer) categories(cs []string) string {
	if !r.en {
		return strings.Join(cs, "、")
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c
		if l, ok := labels["cat."+c]; ok {
			out[i] = l[1]
		}
	}
	return strings.Join(out, ", ")
}

// trackItems returns up to five fully met items of the track (highest level first) and up to five
// milestones: the track's first actions in the plan.
func (r *renderer) trackItems(t string) (has, needs []string) {
	type met struct {
		level int
		text  string
	}
	var ms []met
	for _, it := range r.qn.Items() {
		if it.KPI || it.Track != t || !r.rel[it.ID] {
			continue
		}
		if a := r.d.Answer(it.ID); a != nil && strings.Trim(string(a.Value), `"`) == r.qn.CMMM.Scale[0].Key {
			ms = append(ms, met{it.Level, it.TextIn(r.lang)})
		}
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].level > ms[j].level })
	for i := 0; i < len(ms) && i < 3; i++ {
		has = append(has, fmt.Sprintf("%s　%s", r.levelName(ms[i].level), ms[i].text))
	}
	for _, a := range r.plan.Actions {
		if a.Track == t && !a.Excluded && a.ItemID != "" && len(needs) < 3 {
			needs = append(needs, fmt.Sprintf("%s　%s", r.levelName(a.Level), a.RequirementIn(r.lang)))
		}
	}
	return has, needs
}

func (r *renderer) bulletList(title string, items []string, c pdfstyle.Color) {
	r.ensure(14)
	r.font(10, true, c)
	r.pdf.SetX(marginL)
	r.pdf.CellFormat(contentW, 6, title, "", 1, "L", false, 0, "")
	if len(items) == 0 {
		items = []string{r.L("none_yet")}
	}
	for _, it := range items {
		r.ensure(6)
		y := r.y()
		r.fill(c)
		r.pdf.Circle(marginL+2, y+2.9, 0.7, "F")
		r.para(marginL+5, contentW-5, it, 9.5, 5.4, pdfstyle.Text, false)
	}
	r.setY(r.y() + 2)
}

// --- findings -----------------------------------------------------------------------------------

// itemFinding is one answered item of a sub-domain with its credit (0–1 of the scale).
type itemFinding struct {
	it     *q.Item
	credit float64
	key    string
	note   string
}

// sdFacts are the computed facts of one sub-domain that both the findings and the summary use.
type sdFacts struct {
	sd        *q.SubDomain
	score     assessment.SubDomainScore
	level     int // shown level: never above the highest level the sub-domain has items for
	top       int // the highest level the questionnaire asks in this sub-domain
	strengths []itemFinding
	gaps      []itemFinding
	notes     []itemFinding
	counts    map[string]int
}

// subDomainFacts computes, for every sub-domain, its strengths (met items, highest level first)
// and gaps (unmet items, lowest level and lowest credit first), chosen by score.
func (r *renderer) subDomainFacts() []sdFacts {
	if r.facts != nil || r.qn.CMMM == nil {
		return r.facts
	}
	value := map[string]float64{}
	for _, o := range r.qn.CMMM.Scale {
		value[o.Key] = o.Value
	}
	full := r.qn.CMMM.Scale[0].Key
	for i, sd := range r.qn.SubDomains() {
		f := sdFacts{sd: sd, score: r.res.SubDomains[i], counts: map[string]int{}}
		for _, it := range sd.Items {
			if it.KPI || !r.rel[it.ID] {
				continue
			}
			f.top = max(f.top, it.Level)
			fi := itemFinding{it: it}
			if a := r.d.Answers[it.ID]; a != nil {
				if a.HasValue() {
					fi.key = strings.Trim(string(a.Value), `"`)
				}
				fi.note = strings.TrimSpace(a.Note)
			}
			f.counts[fi.key]++
			fi.credit = value[fi.key]
			if fi.note != "" {
				f.notes = append(f.notes, fi)
			}
			switch {
			case fi.key == full:
				f.strengths = append(f.strengths, fi)
			case fi.key != naKey(r.qn):
				f.gaps = append(f.gaps, fi)
			}
		}
		f.level = min(f.score.Level, f.top)
		sort.SliceStable(f.strengths, func(i, j int) bool { return f.strengths[i].it.Level > f.strengths[j].it.Level })
		sort.SliceStable(f.gaps, func(i, j int) bool {
			a, b := f.gaps[i], f.gaps[j]
			if a.it.Level != b.it.Level {
				return a.it.Level < b.it.Level
			}
			return a.credit < b.credit
		})
		r.facts = append(r.facts, f)
	}
	return r.facts
}

// findings writes one block per sub-domain (all of them), from the firm's own answers and notes.
func (r *renderer) findings() {
	r.section("s.findings")
	scale := r.qn.CMMM.Scale
	sep := map[bool]string{false: "，", true: ", "}[r.en]
	for _, f := range r.subDomainFacts() {
		var lv []string
		for l, v := range f.score.LevelScores {
			if v != nil && l < f.top {
				lv = append(lv, fmt.Sprintf("%s %.2f", r.levelName(l+1), *v))
			}
		}
		var parts []string
		for _, o := range scale {
			if f.counts[o.Key] > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", o.LabelIn(r.lang), f.counts[o.Key]))
			}
		}
		if n := f.counts[naKey(r.qn)]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", r.qn.CMMM.NA.LabelIn(r.lang), n))
		}
		if n := f.counts[""]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", r.L("unanswered"), n))
		}
		summary := r.L("level_by") + r.colon() + strings.Join(lv, sep) + map[bool]string{false: "。", true: ". "}[r.en] +
			r.L("answers_by") + r.colon() + strings.Join(parts, sep)
		// One requirement is spelt out on each side; the others are named by their item number
		// (appendix 2 has the full text and the answers), so the page reads as this firm's record.
		var strengths, gaps, notes []string
		var ids []string
		for i, s := range f.strengths {
			if i == 0 {
				strengths = append(strengths, fmt.Sprintf("%s %s　%s", s.it.ID, r.levelName(s.it.Level), s.it.TextIn(r.lang)))
				continue
			}
			ids = append(ids, s.it.ID)
		}
		if len(ids) > 0 {
			strengths = append(strengths, fmt.Sprintf(r.L("also_met"), len(ids), strings.Join(ids, " ")))
		}
		ids = nil
		for i, g := range f.gaps {
			if i < 2 {
				gaps = append(gaps, fmt.Sprintf("%s %s　%s", g.it.ID, r.levelName(g.it.Level), g.it.TextIn(r.lang))+r.paren(r.answerText(g.it)))
				continue
			}
			ids = append(ids, fmt.Sprintf("%s（%s）", g.it.ID, r.answerText(g.it)))
			if r.en {
				ids[len(ids)-1] = fmt.Sprintf("%s (%s)", g.it.ID, r.answerText(g.it))
			}
		}
		if len(ids) > 0 {
			gaps = append(gaps, fmt.Sprintf(r.L("also_gaps"), len(ids), strings.Join(ids, " ")))
		}
		for _, n := range f.notes {
			notes = append(notes, n.it.ID+r.colon()+n.note)
		}
		// A sub-domain's block stays on one page when it fits on one.
		h := 11 + r.paraHeight(summary, 9, 5, contentW) + r.bulletHeight(strengths) + r.bulletHeight(gaps)
		if len(notes) > 0 {
			h += r.bulletHeight(notes)
		}
		r.keep(h)
		r.subheading(fmt.Sprintf("%s　%.2f", f.sd.NameIn(r.lang), f.score.Score) + r.paren(r.levelName(f.level)))
		r.para(marginL, contentW, summary, 9, 5, pdfstyle.Muted, false)
		r.bulletList(r.L("strengths"), strengths, pdfstyle.Good)
		r.bulletList(r.L("gaps"), gaps, pdfstyle.Warn)
		if len(notes) > 0 {
			r.bulletList(r.L("notes"), notes, pdfstyle.Primary)
		}
	}
}

// keep starts a new page unless a block of height h fits on this one; a block taller than half a
// page is only kept from starting in the last quarter of one.
func (r *renderer) keep(h float64) {
	r.ensure(min(h, (bottomY-marginT)/2))
}

// paraHeight is the height of a paragraph para would write.
func (r *renderer) paraHeight(text string, size, lineH, w float64) float64 {
	return float64(len(r.wrap(text, size, w))) * lineH
}

// bulletHeight is the height of a bulletList with items (an empty list prints "none yet").
func (r *renderer) bulletHeight(items []string) float64 {
	h := 6.0 + 2
	if len(items) == 0 {
		return h + 5.4
	}
	for _, it := range items {
		h += r.paraHeight(it, 9.5, 5.4, contentW-5)
	}
	return h
}

func naKey(qn *q.Questionnaire) string {
	if qn.CMMM != nil && qn.CMMM.NA != nil {
		return qn.CMMM.NA.Key
	}
	return ""
}

// answerText is the readable form of an item's answer (assessment.AnswerText, which the app's
// "last time" line shares), or why there is none.
func (r *renderer) answerText(it *q.Item) string {
	if !r.rel[it.ID] {
		return r.L("hidden")
	}
	a := r.d.Answer(it.ID)
	if a == nil {
		return r.L("unanswered")
	}
	if t := assessment.AnswerText(r.qn, it, a, r.lang); t != "" {
		return t
	}
	return string(a.Value)
}

// --- roadmap: the projects ----------------------------------------------------------------------

// gainText is a project's or action's computed gain: the rise of the level score (cmmm) or the
// points gained (points).
func (r *renderer) gainText(g float64) string {
	if r.qn.AI != nil {
		// AI gains add stage steps of scenarios to shares of foundation points: no one figure
		// means anything to the reader, so none is printed.
		return "—"
	}
	if r.qn.Scoring == q.ScoringPoints {
		return fmt.Sprintf("+%.1f%s", g, map[bool]string{false: " 分", true: " pts"}[r.en])
	}
	return fmt.Sprintf("+%.3f", g)
}

func (r *renderer) phaseShort(ph string) string {
	return map[string][2]string{assessment.PhaseNear: {"近期", "Near"}, assessment.PhaseMid: {"中期", "Mid"}, assessment.PhaseFar: {"远期", "Long"}}[ph][map[bool]int{false: 0, true: 1}[r.en]]
}

// projectTable is the plan at a glance: the projects in sequence with duration, investment range,
// computed gain and benefits, and their total. It leads the report.
func (r *renderer) projectTable() {
	if len(r.plan.Projects) == 0 {
		return
	}
	r.subheading(r.L("projects"))
	rows := make([][]string, len(r.plan.Projects))
	for i, pp := range r.plan.Projects {
		name, benefits := pp.Name, pp.Benefits
		if r.en {
			name, benefits = pp.NameEN, pp.BenefitsEN
		}
		rows[i] = []string{strconv.Itoa(pp.Seq), name, r.phaseShort(pp.Phase),
			fmt.Sprintf("%d–%d", pp.Months[0], pp.Months[1]), fmt.Sprintf("%g–%g", pp.InvestmentWan[0], pp.InvestmentWan[1]),
			r.gainText(pp.Gain), strconv.Itoa(len(r.projectActions(pp))), benefits}
	}
	// 序号 and 投资起步 each fit on one line of the header.
	t := r.newTable(column{r.L("rank"), 9, "C"}, column{r.L("project"), 35, "L"}, column{r.L("start"), 15, "C"},
		column{r.L("months"), 13, "C"}, column{r.L("invest"), 20, "C"}, column{r.L("gain"), 14, "C"},
		column{r.L("actions_n"), 11, "C"}, column{r.L("benefits"), 57, "L"})
	t.size, t.lineH = 8, 3.9 // the whole table fits on the summary page
	if r.en {
		// English runs about 1.6 times as wide as Chinese: the start phase and the duration share
		// a column, the action count is left to the roadmap section and the font is smaller, so
		// ten projects stay on the summary page.
		for i, row := range rows {
			rows[i] = []string{row[0], row[1], row[2] + ", " + row[3] + " mo", row[4], row[5], row[7]}
		}
		t = r.newTable(column{"#", 6, "C"}, column{r.L("project"), 38, "L"}, column{"Invests from", 21, "C"},
			column{"10k yuan", 17, "C"}, column{r.L("gain"), 13, "C"}, column{r.L("benefits"), 79, "L"})
		t.size, t.lineH = 7.5, 3.4
	}
	total := fmt.Sprintf(r.L("projects_total"), len(r.plan.Projects), fmt.Sprintf("%g", r.plan.Investment[0]), fmt.Sprintf("%g", r.plan.Investment[1]))
	// A project starts its investment in its phase; its quick wins (rules, configuration) come
	// earlier, which the table would otherwise seem to contradict.
	early := 0
	for _, pp := range r.plan.Projects {
		for _, ph := range assessment.Phases {
			if ph == pp.Phase {
				break
			}
			early += pp.PhaseActions[ph]
		}
	}
	parts := []string{total}
	if r.qn.AI != nil {
		// The catalogue prices the systems and data an AI scenario runs on, not the AI itself
		// (projects.yaml): say so, or the total reads as the cost of the AI plan.
		parts = append(parts, r.L("projects_ai_excl"))
	}
	if early > 0 {
		parts = append(parts, fmt.Sprintf(r.L("projects_early"), early))
	}
	if sub := r.plan.Subsidy; sub != nil {
		var names []string
		for _, id := range sub.Policies {
			for _, pr := range r.plan.Policies {
				if pr.ID == id {
					names = append(names, pr.TitleIn(r.lang))
				}
			}
		}
		parts = append(parts, fmt.Sprintf(r.L("projects_net"), strings.Join(names, r.listSep()),
			wanRange(sub.Wan), wan(sub.Net[0]), wan(sub.Net[1])))
	} else {
		parts = append(parts, r.L("projects_no_net"))
	}
	note := strings.Join(parts, map[bool]string{false: "；", true: "; "}[r.en]) + map[bool]string{false: "。", true: "."}[r.en]
	// The note belongs under the table on the summary page: a last line of it carried alone onto
	// a page of its own read badly. When table and note do not fit, both are set a little smaller
	// first; if they still do not fit, the note goes whole to the next page with the table's tail.
	noteSize, noteLineH := 8.0, 4.5
	if avail := bottomY - r.y(); t.height(rows)+r.paraHeight(note, noteSize, noteLineH, contentW) > avail {
		t.size, t.lineH = t.size-0.5, t.lineH-0.3
		noteSize, noteLineH = 7.5, 3.9
	}
	t.rows(rows)
	r.keep(r.paraHeight(note, noteSize, noteLineH, contentW))
	r.para(marginL, contentW, note, noteSize, noteLineH, pdfstyle.Muted, false)
}

// projectActions are the project's active actions in plan order.
func (r *renderer) projectActions(pp *assessment.ProjectPlan) []*assessment.Action {
	var out []*assessment.Action
	for _, a := range r.plan.Top(math.MaxInt) {
		if a.Project == pp.ID {
			out = append(out, a)
		}
	}
	return out
}

// roadmap describes each project: why (its actions' sub-domains and levels), scope, cost, time,
// who builds it, what must come first; the actions themselves are listed in appendix 1.
func (r *renderer) roadmap() {
	r.section("s.plan")
	active := r.plan.Top(math.MaxInt)
	quick := 0
	for _, a := range active {
		if a.QuickWin {
			quick++
		}
	}
	byPhase := r.plan.ByPhase()
	r.para(marginL, contentW, fmt.Sprintf(r.L("plan_target"), r.levelName(r.plan.TargetLevel), len(r.plan.Projects), len(active), quick,
		len(byPhase[assessment.PhaseNear]), len(byPhase[assessment.PhaseMid]), len(byPhase[assessment.PhaseFar])), 10, 6, pdfstyle.Text, false)
	if why := r.plan.EmptyReason(); why != "" {
		r.para(marginL, contentW, assessment.EmptyText(why, r.lang), 10, 6, pdfstyle.Text, false)
	}
	byID := map[string]*assessment.ProjectPlan{}
	for _, pp := range r.plan.Projects {
		byID[pp.ID] = pp
	}
	sep := map[bool]string{false: "、", true: ", "}[r.en]
	for _, pp := range r.plan.Projects {
		name := q.In(r.lang, pp.Name, pp.NameEN)
		acts := r.projectActions(pp)
		groups := map[string]int{}
		var order []string
		var nums []string
		slices.SortFunc(acts, func(a, b *assessment.Action) int { return r.actNo[a] - r.actNo[b] })
		for _, a := range acts {
			g := r.groupName(a)
			if groups[g] == 0 {
				order = append(order, g)
			}
			groups[g]++
			nums = append(nums, "#"+strconv.Itoa(r.actNo[a]))
		}
		var where []string
		for _, g := range order {
			where = append(where, fmt.Sprintf("%s %d", g, groups[g]))
		}
		lv := r.levelName(pp.Levels[0])
		if pp.Levels[1] != pp.Levels[0] {
			lv += "–" + r.levelName(pp.Levels[1])
		}
		if r.qn.Scoring == q.ScoringPoints || r.qn.AI != nil {
			lv = "" // points and AI stages are not CMMM levels
		}
		var b strings.Builder
		if r.en {
			fmt.Fprintf(&b, "Investment starts %s-term; %d–%d months, %g–%g (10k yuan)", strings.ToLower(r.phaseShort(pp.Phase)), pp.Months[0], pp.Months[1], pp.InvestmentWan[0], pp.InvestmentWan[1])
			if r.qn.AI == nil {
				fmt.Fprintf(&b, ", gain %s", r.gainText(pp.Gain))
			}
			b.WriteString(". ")
			fmt.Fprintf(&b, "It closes %d gaps of this firm (%s)", len(acts), strings.Join(where, sep))
			if lv != "" {
				fmt.Fprintf(&b, " at %s", lv)
			}
			b.WriteString(". ")
		} else {
			fmt.Fprintf(&b, "投资%s起步，工期 %d–%d 个月，投资 %g–%g 万元", r.phaseShort(pp.Phase), pp.Months[0], pp.Months[1], pp.InvestmentWan[0], pp.InvestmentWan[1])
			if r.qn.AI == nil {
				fmt.Fprintf(&b, "，预计提升 %s", r.gainText(pp.Gain))
			}
			b.WriteString("。")
			fmt.Fprintf(&b, "本项目解决本企业 %d 项差距（%s）", len(acts), strings.Join(where, "，"))
			if lv != "" {
				fmt.Fprintf(&b, "，涉及%s要求", lv)
			}
			b.WriteString("。")
		}
		if len(pp.Prerequisites) > 0 {
			var pre []string
			for _, id := range pp.Prerequisites {
				if p := byID[id]; p != nil {
					pre = append(pre, fmt.Sprintf("%d %s", p.Seq, q.In(r.lang, p.Name, p.NameEN)))
				}
			}
			fmt.Fprintf(&b, map[bool]string{false: "前置项目：%s。", true: "Comes after: %s. "}[r.en], strings.Join(pre, sep))
		}
		see := r.L("see_actions") + r.colon() + strings.Join(nums, " ")
		// A project's heading, text and action numbers stay on one page.
		r.keep(11 + r.paraHeight(b.String(), 9.5, 5.4, contentW) + r.paraHeight(see, 9, 5, contentW))
		r.subheading(fmt.Sprintf("%d　%s", pp.Seq, name))
		r.para(marginL, contentW, b.String(), 9.5, 5.4, pdfstyle.Text, false)
		if len(nums) > 0 {
			r.para(marginL, contentW, see, 9, 5, pdfstyle.Muted, false)
		}
		r.setY(r.y() + 2)
	}
}

// actionList is appendix 1: every active action, numbered in plan order by phase; excluding an
// action renumbers the list.
func (r *renderer) actionList() {
	r.titled(r.L("s.actions") + r.L("s.actions.title"))
	scen := q.Scenarios()
	byPhase := r.plan.ByPhase()
	groupCol := r.groupCol()
	for _, ph := range assessment.Phases {
		acts := byPhase[ph]
		if len(acts) == 0 {
			continue
		}
		r.setY(r.y() + 2)
		r.subheading(assessment.PhaseName(ph, r.lang) + r.paren(strconv.Itoa(len(acts))))
		rows := make([][]string, len(acts))
		for i, a := range acts {
			text := a.TextIn(r.lang)
			if a.QuickWin {
				text += r.paren(r.L("quickwin"))
			}
			if a.Comment != "" {
				text += "\n" + r.L("comment") + r.colon() + a.Comment
			}
			var names []string
			for _, id := range a.Scenarios {
				if s, ok := scen[id]; ok {
					names = append(names, s.NameIn(r.lang))
				}
			}
			group := r.groupName(a)
			if a.CustomID != "" {
				group = r.L("custom")
			}
			no := strconv.Itoa(r.actNo[a])
			if a.Overridden && a.CustomID == "" {
				no += "*"
			}
			gain := ""
			if a.Gain > 0 {
				gain = r.gainText(a.Gain)
			}
			rows[i] = []string{no, text, group, q.TrackName(a.Track, r.lang), strings.Join(names, map[bool]string{false: "、", true: "; "}[r.en]), gain}
		}
		actW, trackW, groupW := 86.0, 12.0, 22.0
		if r.en { // English track and sub-domain names are longer than 智改, 数转, 网联 and 组织战略
			actW, trackW, groupW = 72, 20, 28
		}
		r.newTable(column{r.L("rank"), 10, "C"}, column{r.L("action"), actW, "L"}, column{groupCol, groupW, "L"},
			column{r.L("track"), trackW, "C"}, column{r.L("scenario"), 30, "L"}, column{r.L("gain"), 14, "C"}).rows(rows)
	}
	r.para(marginL, contentW, "* "+r.L("excluded_note"), 8, 4.5, pdfstyle.Muted, false)

	// What each project covers and who builds it: catalogue text, the same for every firm.
	if len(r.plan.Projects) > 0 {
		r.setY(r.y() + 3)
		var rows [][]string
		for _, pp := range r.plan.Projects {
			rows = append(rows, []string{strconv.Itoa(pp.Seq), q.In(r.lang, pp.Name, pp.NameEN), q.In(r.lang, pp.Scope, pp.ScopeEN), q.In(r.lang, pp.Provider, pp.ProviderEN)})
		}
		t := r.newTable(column{r.L("rank"), 10, "C"}, column{r.L("project"), 36, "L"}, column{r.L("scope"), 84, "L"}, column{r.L("provider_kind"), 44, "L"})
		r.keep(11 + t.height(rows))
		r.subheading(r.L("project_scope"))
		t.rows(rows)
	}

	if len(r.plan.Scenarios) > 0 {
		r.setY(r.y() + 3)
		var rows [][]string
		for i, s := range r.plan.Scenarios {
			if i == 8 {
				break
			}
			rows = append(rows, []string{s.ID, q.In(r.lang, s.Stage, s.StageEN), s.NameIn(r.lang), q.In(r.lang, s.Description, s.DescriptionEN)})
		}
		t := r.newTable(column{"ID", 12, "C"}, column{map[bool]string{false: "环节", true: "Stage"}[r.en], 20, "L"},
			column{r.L("scenario"), 34, "L"}, column{map[bool]string{false: "说明", true: "Description"}[r.en], 108, "L"})
		r.keep(11 + t.height(rows))
		r.subheading(r.L("rec_scenarios"))
		t.rows(rows)
	}
}

// --- 6 KPIs -------------------------------------------------------------------------------------

func (r *renderer) kpis() {
	if len(r.qn.KPIs) == 0 && len(r.plan.Notes) == 0 {
		return
	}
	r.section("s.kpi")
	refs := map[string]string{}
	srcOf := map[string]string{}
	for _, k := range r.opt.Benchmarks.KPIs {
		if len(k.Values) == 0 {
			continue
		}
		v := k.Values[len(k.Values)-1]
		refs[k.Key] = fmt.Sprintf("%g（%s，%s，%s）", v.Value, v.Scope, v.Date, v.Tag)
		srcOf[k.Key] = v.Source
		if r.en {
			scope := "national"
			if !strings.HasPrefix(v.Scope, "全国") {
				scope = v.Scope
			}
			refs[k.Key] = fmt.Sprintf("%g (%s, %s, reference)", v.Value, scope, v.Date)
			srcOf[k.Key] = q.In(r.lang, v.Source, v.SourceEN)
		}
	}
	// Sources are named only for the reference values the table prints.
	var rows [][]string
	var sources []string
	for _, it := range r.qn.KPIs {
		val := r.L("kpi.none")
		if r.d.Answer(it.ID) != nil {
			val = r.answerText(it)
		}
		ref := refs[it.Benchmark]
		if ref == "" {
			ref = r.L("kpi.noref")
		} else if src := srcOf[it.Benchmark]; !slices.Contains(sources, src) {
			sources = append(sources, src)
		}
		rows = append(rows, []string{kpiName(it.TextIn(r.lang)), val, ref})
	}
	if len(rows) > 0 {
		r.newTable(column{r.L("kpi"), 96, "L"}, column{r.L("kpi.value"), 30, "R"}, column{r.L("kpi.ref"), 48, "L"}).rows(rows)
	} else {
		r.para(marginL, contentW, r.L("kpi.in_items"), 9.5, 5.4, pdfstyle.Text, false)
	}
	if len(sources) > 0 {
		r.setY(r.y() + 2)
		r.para(marginL, contentW, fmt.Sprintf(r.L("kpi_note"), strings.Join(sources, map[bool]string{false: "；", true: "; "}[r.en])), 8, 4.5, pdfstyle.Muted, false)
	}
	if len(r.plan.Notes) > 0 {
		r.setY(r.y() + 2)
		r.subheading(r.L("kpi_checks"))
		for _, n := range r.plan.Notes {
			r.para(marginL, contentW, "• "+n.Message(r.lang), 9, 5, pdfstyle.Text, false)
		}
	}
}

// kpiName is the name of a KPI without its definition (the definition is in appendix 2).
func kpiName(text string) string {
	for _, sep := range []string{"：", ": "} {
		if k := strings.Index(text, sep); k > 0 {
			return text[:k]
		}
	}
	return text
}

// --- 7 policies ---------------------------------------------------------------------------------

func (r *renderer) policies() {
	r.section("s.policy")
	r.para(marginL, contentW, r.L("policy.note"), 9, 5, pdfstyle.Muted, true)
	r.setY(r.y() + 2)
	for _, pp := range r.plan.Policies {
		r.ensure(28)
		status := r.L("policy." + pp.Status)
		c := map[string]pdfstyle.Color{"met": pdfstyle.Good, "target": pdfstyle.Accent}[pp.Status]
		if c == (pdfstyle.Color{}) {
			c = pdfstyle.Muted
		}
		r.font(10.5, true, pdfstyle.Text)
		r.pdf.SetX(marginL)
		r.pdf.CellFormat(contentW-40, 6.5, pdfstyle.FitText(pp.TitleIn(r.lang), contentW-40, r.measure), "", 0, "L", false, 0, "")
		r.font(9, true, c)
		r.pdf.CellFormat(40, 6.5, status, "", 1, "R", false, 0, "")
		r.para(marginL, contentW, pp.TextIn(r.lang), 9.5, 5.4, pdfstyle.Text, false)
		reasons := pp.Reasons
		if r.en {
			reasons = pp.ReasonsEN
		}
		for _, why := range reasons {
			r.para(marginL+4, contentW-4, "· "+why, 9, 5, pdfstyle.Text, false)
		}
		valid := ""
		if pp.ValidFrom != "" || pp.ValidUntil != "" {
			valid = r.L("policy.valid") + " " + pp.ValidFrom + "–" + pp.ValidUntil
		}
		tag := pp.Tag
		if r.en && tag == "参照" {
			tag = "reference"
		}
		r.para(marginL, contentW, joinNonEmpty(map[bool]string{false: "，", true: "; "}[r.en], pp.DocumentIn(r.lang), pp.SourceIn(r.lang), pp.Date, valid, tag), 8, 4.5, pdfstyle.Muted, false)
		r.setY(r.y() + 3)
	}
}

// --- appendix and signatures --------------------------------------------------------------------

func (r *renderer) appendix() {
	r.titled(r.L("s.appendix"))
	var rows [][]string
	for _, it := range r.qn.Items() {
		lv := ""
		if it.Level > 0 {
			lv = r.levelName(it.Level)
		}
		note := ""
		if a := r.d.Answers[it.ID]; a != nil {
			note = a.Note
		}
		rows = append(rows, []string{it.ID, it.TextIn(r.lang), lv, r.answerText(it), note})
	}
	cols := []column{{r.L("item"), 20, "L"}, {r.L("requirement"), 70, "L"}, {r.L("level"), 13, "C"},
		{r.L("answer"), 21, "C"}, {r.L("note"), 50, "L"}}
	if r.qn.Sectioned() {
		// Option labels are longer than scale answers and there are no levels.
		cols = []column{{r.L("item"), 20, "L"}, {r.L("requirement"), 58, "L"}, {r.L("answer"), 50, "L"}, {r.L("note"), 46, "L"}}
		for i := range rows {
			rows[i] = []string{rows[i][0], rows[i][1], rows[i][3], rows[i][4]}
		}
	}
	t := r.newTable(cols...)
	t.size, t.lineH = 8, 4.1
	t.rows(rows)
}

func (r *renderer) signatures() {
	r.ensure(70)
	r.setY(r.y() + 8)
	r.pdf.Bookmark(r.L("s.sign"), 0, -1)
	r.font(13, true, pdfstyle.Primary)
	r.pdf.SetX(marginL)
	r.pdf.CellFormat(contentW, 8, r.L("s.sign"), "", 1, "L", false, 0, "")
	r.para(marginL, contentW, r.L("sign.text"), 9.5, 5.4, pdfstyle.Text, false)
	y := r.y() + 6
	boxW := (contentW - 10) / 2
	rep := ""
	if r.d.Confirmation != nil {
		rep = r.d.Confirmation.Name
	}
	for i, who := range []struct{ title, name, org string }{
		{r.L("sign.consultant"), r.d.Assessor.Name, r.d.Assessor.Organisation},
		{r.L("sign.enterprise"), rep, r.d.Enterprise.Name},
	} {
		x := marginL + float64(i)*(boxW+10)
		r.draw(pdfstyle.Rule)
		r.pdf.SetLineWidth(0.3)
		r.pdf.SetTextRenderingMode(0)
		r.pdf.Rect(x, y, boxW, 42, "D")
		r.font(9.5, true, pdfstyle.Text)
		r.pdf.SetXY(x+3, y+3)
		r.pdf.CellFormat(boxW-6, 6, who.title, "", 0, "L", false, 0, "")
		r.font(9, false, pdfstyle.Muted)
		r.pdf.SetXY(x+3, y+10)
		r.pdf.CellFormat(boxW-6, 5, pdfstyle.FitText(joinNonEmpty(" · ", who.name, who.org), boxW-6, r.measure), "", 0, "L", false, 0, "")
		// Where the seal goes: a dashed circle right of the signature line.
		r.draw(pdfstyle.Rule)
		r.pdf.SetLineWidth(0.25)
		r.pdf.SetDashPattern([]float64{1, 0.8}, 0)
		r.pdf.Circle(x+boxW-15, y+25, 11, "D")
		r.pdf.SetDashPattern(nil, 0)
		r.font(8, false, pdfstyle.Muted)
		r.pdf.SetXY(x+boxW-26, y+23)
		r.pdf.CellFormat(22, 4, map[bool]string{false: "盖章处", true: "Seal"}[r.en], "", 0, "C", false, 0, "")
		r.line(x+3, y+30, x+boxW-30, y+30, pdfstyle.Text, 0.2)
		r.font(8.5, false, pdfstyle.Muted)
		r.pdf.SetXY(x+3, y+32)
		r.pdf.CellFormat(boxW-6, 5, r.L("sign.date")+r.colon(), "", 0, "L", false, 0, "")
	}
	r.setY(y + 46)
}

// paren and colon punctuate labels: full-width in Chinese, ASCII in English.
func (r *renderer) paren(s string) string {
	if r.en {
		return " (" + s + ")"
	}
	return "（" + s + "）"
}

func (r *renderer) colon() string {
	if r.en {
		return ": "
	}
	return "："
}

// groupName is an action's sub-domain or section name in the report's language.
// groupCol is the heading of the column that names an action's group.
func (r *renderer) groupCol() string {
	switch {
	case r.qn.AI != nil:
		return r.L("ai.area")
	case r.qn.Sectioned():
		return r.L("section")
	}
	return r.L("subdomain")
}

func (r *renderer) groupName(a *assessment.Action) string {
	return r.qn.GroupName(a.GroupID, r.lang, a.GroupIn(r.lang))
}

// listSep separates the items of an inline list: 、 in Chinese, a comma in English.
func (r *renderer) listSep() string {
	if r.en {
		return ", "
	}
	return "、"
}

// wanRange prints a range of amounts, one figure when both ends are equal (a capped subsidy).
func wanRange(v [2]float64) string {
	if wan(v[0]) == wan(v[1]) {
		return wan(v[0])
	}
	return wan(v[0]) + "–" + wan(v[1])
}

// wan prints an amount in 万元 with at most one decimal.
func wan(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
