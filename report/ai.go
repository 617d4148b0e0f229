package report

import (
	"fmt"
	"strconv"
	"strings"

	"smartdiag/assessment"
	"smartdiag/pdfstyle"
	q "smartdiag/questionnaires"
)

// The AI diagnosis (scoring: ai) has its own title, badge and detail page; the rest of the report
// (summary layout, roadmap, appendix) is shared with the other questionnaires.
func init() {
	for k, v := range map[string][2]string{
		"title.ai":           {"人工智能+制造诊断报告", "AI in Manufacturing Diagnosis Report"},
		"level.ai":           {"AI应用等级（参照）", "AI application level (reference)"},
		"s.ai":               {"人工智能应用详情", "AI application in detail"},
		"ai.areas":           {"各领域AI应用等级", "AI level by area"},
		"ai.area":            {"领域", "Area"},
		"ai.readiness":       {"准备度", "Readiness"},
		"ai.readiness.title": {"各领域准备度（数据、效果、人员）", "Readiness by area (data, effect, people)"},
		"ai.built":           {"已建场景", "Built"},
		"ai.using":           {"应用AI", "Using AI"},
		"ai.overall":         {"整体（基础与治理得分率）", "Overall (foundations share)"},
		"ai.share":           {"AI场景占比 %s。参照门槛：%s。", "AI scenario share %s. Reference thresholds: %s."},
		"ai.noshare":         {"无已建场景", "no scenario built"},
		"ai.met":             {"已达到", "met"},
		"ai.notmet":          {"未达到", "not met"},
		"ai.map":             {"AI场景地图", "AI scenario map"},
		"ai.stage":           {"阶段", "Stage"},
		"ai.typical":         {"对应典型场景", "Typical scenarios"},
		"ai.next":            {"下一步AI场景", "Next AI scenarios"},
		"ai.step":            {"现在 → 下一步", "Now → next"},
		"ai.nonext":          {"目前没有已建设的场景可以引入AI：先按智能制造诊断建设相应的数字化场景。", "No built scenario is ready for AI yet: first build the digital scenarios the smart-manufacturing diagnosis recommends."},
		"ai.gaps":            {"基础短板（数据、效果、人员）", "Gaps in the foundations (data, effect, people)"},
		"ai.nogaps":          {"各领域的数据、效果和人员基础均已达到「可用」水平。", "Data, effect and people are in place in every area."},
		"ai.gov":             {"算力、人才与治理", "Compute, skills and governance"},
		"ai.current":         {"现状", "Current state"},
		"ai.note": {"AI应用等级、场景阶段和门槛均为参照值：江苏省人工智能+制造诊断（苏工信信发〔2026〕63号）未公布题库和定级规则，本报告按本问卷的规则估算，正式等级以省级自评测系统结果为准。准备度为该领域数据、效果和人员题的得分率；AI场景占比为正式运行AI的场景数占已建场景数的比例，只计本问卷列出的场景。",
			"AI levels, stages and thresholds are reference values: Jiangsu has not published the item bank or level rules of its AI-in-manufacturing diagnosis (Su Gongxin Xinfa [2026] No. 63). Readiness is the points share of an area's data, effect and people items; the AI scenario share counts scenarios running AI in production among the scenarios built, over the scenarios of this questionnaire only."},
	} {
		labels[k] = v
	}
}

// reportTitle is the report's title for its questionnaire.
func (r *renderer) reportTitle() string {
	switch {
	case r.qn.AI != nil:
		return r.L("title.ai")
	case r.qn.Scoring == q.ScoringPoints:
		return r.L("title.points")
	}
	return r.L("title")
}

// aiBadgeSmall is the badge's second line: level title and AI scenario share.
func (r *renderer) aiBadgeSmall() string {
	ai := r.res.AI
	share := fmt.Sprintf("%s %.0f%%", map[bool]string{false: "AI场景占比", true: "AI share"}[r.en], 100*ai.Share)
	if r.en || ai.Level == 0 {
		return share
	}
	return r.qn.AI.Levels[ai.Level-1].Title + " · " + share
}

// aiShareText is the AI scenario share with its reference thresholds.
func (r *renderer) aiShareText() string {
	ai := r.res.AI
	share := r.L("ai.noshare")
	if ai.Built > 0 {
		share = fmt.Sprintf("%.0f%%（%d / %d）", 100*ai.Share, ai.UsingAI, ai.Built)
		if r.en {
			share = fmt.Sprintf("%.0f%% (%d of %d)", 100*ai.Share, ai.UsingAI, ai.Built)
		}
	}
	var ts []string
	for i, t := range ai.ShareTargets {
		name := t.Name
		if r.en && r.qn.AI.ShareTargets[i].NameEN != "" {
			name = r.qn.AI.ShareTargets[i].NameEN
		}
		mark := r.L("ai.notmet")
		if t.Met {
			mark = r.L("ai.met")
		}
		ts = append(ts, fmt.Sprintf("%s ≥ %.0f%% %s", name, 100*t.MinShare, mark))
	}
	return fmt.Sprintf(r.L("ai.share"), share, strings.Join(ts, map[bool]string{false: "；", true: "; "}[r.en]))
}

// aiSummaryText is the first part of the summary paragraph for an AI diagnosis.
func (r *renderer) aiSummaryText(b *strings.Builder) {
	ai := r.res.AI
	var best, using []string
	for _, a := range ai.Areas {
		if a.Level > 0 && a.Level == maxAreaLevel(ai) {
			best = append(best, r.areaName(a.ID))
		}
	}
	for _, s := range ai.Scenarios {
		if s.Stage >= r.qn.AI.UsesAIFrom {
			it, _ := r.qn.Item(s.ID)
			using = append(using, r.itemShort(it))
		}
	}
	if r.en {
		fmt.Fprintf(b, "%s is at AI %s (reference estimate). ", r.d.Enterprise.Name, r.levelName(ai.Level))
		if len(using) > 0 {
			fmt.Fprintf(b, "AI runs in production in %d scenarios (%s). ", len(using), strings.Join(using, ", "))
		} else {
			b.WriteString("No scenario runs AI in production yet. ")
		}
		if len(best) > 0 {
			fmt.Fprintf(b, "The most advanced area: %s. ", strings.Join(best, ", "))
		}
		b.WriteString(r.aiShareText() + " ")
		return
	}
	fmt.Fprintf(b, "%s本次诊断的AI应用等级为%s（参照估算）。", r.d.Enterprise.Name, r.qn.LevelName(ai.Level))
	if len(using) > 0 {
		fmt.Fprintf(b, "正式运行AI的场景 %d 个：%s。", len(using), strings.Join(using, "、"))
	} else {
		b.WriteString("目前还没有在正式业务中运行的AI场景。")
	}
	if len(best) > 0 {
		fmt.Fprintf(b, "%s领域相对领先。", strings.Join(best, "、"))
	}
	b.WriteString(r.aiShareText())
}

func maxAreaLevel(ai *assessment.AIResult) int {
	m := 0
	for _, a := range ai.Areas {
		m = max(m, a.Level)
	}
	return m
}

func (r *renderer) areaName(id string) string {
	s := r.qn.Area(id)
	if s == nil {
		return id
	}
	if r.en && s.NameEN != "" {
		return s.NameEN
	}
	return s.Name
}

// itemShort is a scenario's name without its parenthesised examples.
func (r *renderer) itemShort(it *q.Item) string {
	if r.en && it.LabelEN != "" {
		return it.LabelEN
	}
	if i := strings.Index(it.Text, "（"); i > 0 {
		return it.Text[:i]
	}
	return it.Text
}

func (r *renderer) stageName(stage int) string {
	if r.en {
		if stage <= 0 {
			return "not built"
		}
		return r.qn.AI.Stages[stage-1].NameEN
	}
	return r.qn.AI.AIStageName(stage)
}

// stageCol colours a stage: grey for digital without AI, amber for planned and pilot, green for AI
// in operation and scaled.
func (r *renderer) stageCol(stage int) pdfstyle.Color {
	p := r.qn.AI
	switch {
	case stage > p.UsesAIFrom:
		return pdfstyle.Color{R: 0x1B, G: 0x5E, B: 0x35}
	case stage == p.UsesAIFrom:
		return pdfstyle.Good
	case stage == p.UsesAIFrom-1:
		return pdfstyle.Accent
	case stage > p.BuiltFrom:
		return pdfstyle.Color{R: 0xF0, G: 0xC9, B: 0x87}
	}
	return pdfstyle.Bench
}

// aiDetail is the AI page: levels by area, the scenario map, the next scenarios, the gaps in the
// foundations, and compute, skills and governance.
func (r *renderer) aiDetail() {
	ai := r.res.AI
	r.subheading(r.L("ai.areas"))
	var rows [][]string
	for _, a := range ai.Areas {
		rows = append(rows, []string{r.areaName(a.ID), r.aiLevelName(a.Level), fmt.Sprintf("%.0f%%", 100*a.Readiness), strconv.Itoa(a.Built), strconv.Itoa(a.UsingAI)})
	}
	rows = append(rows, []string{r.L("ai.overall"), r.aiLevelName(ai.Level), fmt.Sprintf("%.0f%%", 100*ai.Foundation), strconv.Itoa(ai.Built), strconv.Itoa(ai.UsingAI)})
	t := r.newTable(column{r.L("ai.area"), 54, "L"}, column{r.L("level.ai"), 44, "C"}, column{r.L("ai.readiness"), 26, "R"},
		column{r.L("ai.built"), 25, "R"}, column{r.L("ai.using"), 25, "R"})
	t.rowFill = func(i int) *pdfstyle.Color {
		if i == len(rows)-1 {
			return &pdfstyle.Color{R: 0xDD, G: 0xE8, B: 0xF0}
		}
		return nil
	}
	t.rows(rows)
	r.setY(r.y() + 1)
	r.para(marginL, contentW, r.aiShareText(), 10, 6, pdfstyle.Text, false)
	r.para(marginL, contentW, r.L("ai.note"), 8, 4.5, pdfstyle.Muted, false)

	r.setY(r.y() + 3)
	r.aiMap()

	r.setY(r.y() + 3)
	r.subheading(r.L("ai.next"))
	scen := q.Scenarios()
	var next, gaps [][]string
	for _, a := range r.plan.Actions {
		it, ok := r.qn.Item(a.ItemID)
		if a.Excluded || !ok {
			continue
		}
		if it.Type == q.TypeScenario {
			var names []string
			for _, id := range it.Scenarios {
				names = append(names, scen[id].NameIn(r.lang))
			}
			stage := r.res.Scenarios[it.ID]
			next = append(next, []string{r.areaName(a.GroupID), r.itemShort(it), r.stageName(stage) + " → " + r.stageName(a.Level),
				assessment.PhaseName(a.Phase, r.lang), strings.Join(names, r.listSep())})
		} else if a.Score < 0.6 && a.GroupID != r.qn.AI.Foundation {
			label := it.Text
			if r.en && it.LabelEN != "" {
				label = it.LabelEN
			}
			gaps = append(gaps, []string{r.areaName(a.GroupID), label, r.answerText(it), assessment.PhaseName(a.Phase, r.lang)})
		}
	}
	if len(next) == 0 {
		r.para(marginL, contentW, r.L("ai.nonext"), 9.5, 5.4, pdfstyle.Text, false)
	} else {
		r.newTable(column{r.L("ai.area"), 22, "L"}, column{r.L("scenario"), 46, "L"}, column{r.L("ai.step"), 36, "C"},
			column{r.L("phase"), 30, "L"}, column{r.L("ai.typical"), 40, "L"}).rows(next)
	}
	r.setY(r.y() + 3)
	r.subheading(r.L("ai.gaps"))
	if len(gaps) == 0 {
		r.para(marginL, contentW, r.L("ai.nogaps"), 9.5, 5.4, pdfstyle.Text, false)
	} else {
		r.newTable(column{r.L("ai.area"), 22, "L"}, column{r.L("requirement"), 70, "L"}, column{r.L("ai.current"), 52, "L"},
			column{r.L("phase"), 30, "L"}).rows(gaps)
	}
	if f := r.qn.Area(r.qn.AI.Foundation); f != nil {
		r.setY(r.y() + 3)
		var gov [][]string
		for _, it := range f.Items {
			label := it.Text
			if r.en && it.LabelEN != "" {
				label = it.LabelEN
			}
			gov = append(gov, []string{label, r.answerText(it)})
		}
		t := r.newTable(column{r.L("requirement"), 92, "L"}, column{r.L("ai.current"), 82, "L"})
		r.keep(11 + t.height(gov))
		r.subheading(r.L("ai.gov"))
		t.rows(gov)
	}
}

func (r *renderer) aiLevelName(l int) string {
	if r.en {
		return r.levelName(l)
	}
	return r.qn.LevelName(l)
}

// aiMap draws every scenario by area with its stage as a row of pips, so the reader sees at a
// glance where AI runs, where it is piloted and where nothing is built.
func (r *renderer) aiMap() {
	ai := r.res.AI
	p := r.pdf
	stages := len(r.qn.AI.Stages)
	const rowH, areaW, nameW, pip = 7.0, 24.0, 62.0, 4.2
	pipsW := float64(stages)*(pip+1) + 2
	stageW := 20.0
	typW := contentW - areaW - nameW - pipsW - stageW
	r.ensure(16 + 3*rowH)
	r.subheading(r.L("ai.map"))
	// Legend: one pip per stage with its name.
	r.font(7.5, false, pdfstyle.Muted)
	x := marginL
	for i, s := range r.qn.AI.Stages {
		r.fill(r.stageCol(i + 1))
		p.Rect(x, r.y()+1.2, 3, 3, "F")
		name := s.Name
		if r.en {
			name = s.NameEN
		}
		p.SetXY(x+3.8, r.y())
		w := r.measure(name) + 6
		p.CellFormat(w, 5.4, name, "", 0, "L", false, 0, "")
		x += 3.8 + w
	}
	r.setY(r.y() + 7)
	scen := q.Scenarios()
	for _, a := range ai.Areas {
		var items []assessment.AIScenario
		for _, s := range ai.Scenarios {
			if s.Area == a.ID {
				items = append(items, s)
			}
		}
		r.ensure(rowH * float64(min(len(items), 3)))
		y0 := r.y()
		for i, s := range items {
			if r.ensure(rowH) {
				y0 = r.y()
			}
			y := r.y()
			if i%2 == 1 {
				r.fill(pdfstyle.Fill)
				p.Rect(marginL+areaW, y, contentW-areaW, rowH, "F")
			}
			it, _ := r.qn.Item(s.ID)
			r.font(8.5, false, pdfstyle.Text)
			p.SetXY(marginL+areaW+1, y)
			p.CellFormat(nameW-1, rowH, pdfstyle.FitText(r.itemShort(it), nameW-2, r.measure), "", 0, "L", false, 0, "")
			px := marginL + areaW + nameW
			for k := 1; k <= stages; k++ {
				if k <= s.Stage {
					r.fill(r.stageCol(s.Stage))
					p.Rect(px, y+(rowH-pip)/2, pip, pip, "F")
				} else {
					r.draw(pdfstyle.Rule)
					p.SetLineWidth(0.2)
					p.Rect(px, y+(rowH-pip)/2, pip, pip, "D")
				}
				px += pip + 1
			}
			r.font(8, false, r.stageCol(max(s.Stage, 1)))
			if s.Stage == 0 {
				r.font(8, false, pdfstyle.Muted)
			}
			p.SetXY(px+1, y)
			p.CellFormat(stageW, rowH, pdfstyle.FitText(r.stageName(s.Stage), stageW-1, r.measure), "", 0, "L", false, 0, "")
			var names []string
			for _, id := range s.Typical {
				names = append(names, scen[id].NameIn(r.lang))
			}
			r.font(7.5, false, pdfstyle.Muted)
			p.SetXY(px+1+stageW, y)
			p.CellFormat(typW-1, rowH, pdfstyle.FitText(strings.Join(names, r.listSep()), typW-2, r.measure), "", 0, "L", false, 0, "")
			r.setY(y + rowH)
		}
		// The area label sits in a band beside its scenarios (on the last page they span).
		y1 := r.y()
		r.fill(pdfstyle.Primary)
		p.Rect(marginL, y0, areaW-2, y1-y0-0.6, "F")
		// English area names take two lines at a smaller size.
		size, lineH := 9.0, 6.0
		if r.en {
			size, lineH = 7.5, 4.0
		}
		r.font(size, true, pdfstyle.White)
		ly := y0 + 1
		lines := r.wrap(r.areaName(a.ID), size, areaW-4)
		for _, ln := range lines[:min(len(lines), 2)] {
			p.SetXY(marginL+1, ly)
			p.CellFormat(areaW-4, lineH, pdfstyle.FitText(ln, areaW-4, r.measure), "", 0, "L", false, 0, "")
			ly += lineH
		}
		r.font(8, false, pdfstyle.White)
		p.SetXY(marginL+1, ly+0.5)
		p.CellFormat(areaW-4, 5, r.levelName(a.Level), "", 0, "L", false, 0, "")
		r.line(marginL, y1, marginL+contentW, y1, pdfstyle.Rule, 0.2)
		r.setY(y1)
		r.setY(r.y() + 0.6)
	}
}
