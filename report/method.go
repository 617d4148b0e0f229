package report

import (
	"fmt"
	"sort"
	"strings"

	"smartdiag/pdfstyle"
	q "smartdiag/questionnaires"
)

// levelMeaning is what each CMMM level means, in brief (GB/T 39116-2020's level definitions,
// paraphrased; no numbers).
var levelMeaning = [][2]string{
	{"开始规划智能制造，部分核心业务有信息化基础。", "Plans smart manufacturing; some core business has IT support."},
	{"核心装备与业务实现数字化、网络化，单项业务规范运行。", "Core equipment and business are digital and networked; single processes run to rules."},
	{"装备、系统之间实现集成，跨业务数据共享。", "Equipment and systems are integrated; data is shared across processes."},
	{"基于数据与模型进行预测、预警和优化。", "Data and models predict, warn and optimise."},
	{"业务全面智能化，与产业链协同创新，引领行业。", "Fully intelligent operation, innovating with the value chain, leading the industry."},
}

// method is the method page: the scale, the threshold, the weights and their status, what each
// level means, who made the diagnosis and how to reach them, and the evidence seen.
func (r *renderer) method() {
	r.section("s.method")
	sep := map[bool]string{false: "；", true: "; "}[r.en]
	if c := r.qn.CMMM; c != nil {
		var scale []string
		for _, o := range c.Scale {
			scale = append(scale, fmt.Sprintf("%s = %g", o.LabelIn(r.lang), o.Value))
		}
		if c.NA != nil {
			scale = append(scale, c.NA.LabelIn(r.lang)+map[bool]string{false: " = 不计分", true: " = not scored"}[r.en])
		}
		r.para(marginL, contentW, r.L("m.scale")+r.colon()+strings.Join(scale, sep), 9.5, 5.4, pdfstyle.Text, false)
		r.para(marginL, contentW, fmt.Sprintf(r.L("m.threshold"), c.Threshold), 9.5, 5.4, pdfstyle.Text, false)
		note := c.WeightsNote
		if r.en {
			note = "reference values, derived from the domain weights of the 2024 revision draft, spread evenly over the sub-domains"
		}
		r.para(marginL, contentW, r.L("m.weights")+r.colon()+note, 9.5, 5.4, pdfstyle.Text, false)
		r.setY(r.y() + 2)
		var rows [][]string
		for i, l := range c.Levels {
			if i >= len(levelMeaning) || l.Level > r.ceiling() {
				continue
			}
			rows = append(rows, []string{r.levelName(l.Level), q.In(r.lang, l.Title, l.TitleEN), levelMeaning[i][map[bool]int{false: 0, true: 1}[r.en]]})
		}
		r.newTable(column{r.L("level"), 24, "C"}, column{map[bool]string{false: "名称", true: "Name"}[r.en], 26, "C"}, column{map[bool]string{false: "含义", true: "Meaning"}[r.en], 124, "L"}).rows(rows)
	} else if r.qn.AI != nil {
		r.aiMethod()
	} else {
		r.para(marginL, contentW, r.L("m.points"), 9.5, 5.4, pdfstyle.Text, false)
	}
	if r.res.Estimate {
		// The AI level is an estimate because its rules are ours, not because items are missing.
		key := "m.estimate"
		if r.qn.AI != nil {
			key = "m.ai_estimate"
		}
		r.para(marginL, contentW, r.L(key), 9, 5, pdfstyle.Muted, false)
	}

	r.setY(r.y() + 3)
	r.subheading(r.L("m.contacts"))
	a := r.d.Assessor
	rows := [][]string{
		{r.L("provider"), joinNonEmpty(" ", a.Organisation)},
		{r.L("consultant"), joinNonEmpty(" · ", a.Name, a.Phone, a.Email)},
		{r.L("m.office"), r.opt.District.OfficeLine(r.lang)},
	}
	t := r.newTable(column{"", 40, "L"}, column{"", contentW - 40, "L"})
	t.size = 9
	t.rows(rows)

	r.setY(r.y() + 3)
	r.subheading(r.L("m.evidence"))
	var ev [][]string
	ids := make([]string, 0, len(r.d.Answers))
	for id, ans := range r.d.Answers {
		if len(ans.Evidence) > 0 {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		for _, e := range r.d.Answers[id].Evidence {
			ev = append(ev, []string{id, e.Name, fmt.Sprintf("%.0f KB", float64(e.Size)/1024), e.Added.In(cst).Format("2006-01-02"), e.SHA256[:min(12, len(e.SHA256))]})
		}
	}
	if len(ev) == 0 {
		r.para(marginL, contentW, r.L("m.no_evidence"), 9, 5, pdfstyle.Muted, false)
		return
	}
	r.newTable(column{r.L("item"), 22, "L"}, column{map[bool]string{false: "文件", true: "File"}[r.en], 80, "L"}, column{map[bool]string{false: "大小", true: "Size"}[r.en], 20, "R"},
		column{r.L("date"), 24, "C"}, column{"SHA-256", 28, "L"}).rows(ev)
	r.para(marginL, contentW, r.L("m.evidence_note"), 8, 4.5, pdfstyle.Muted, false)
}

// aiMethod states how an ai questionnaire is scored: the stage scale, how area and overall levels
// are found, what the share counts, and the level rules as the file gives them (all 参照), so the
// method page does not describe a points total the AI diagnosis does not have.
func (r *renderer) aiMethod() {
	p := r.qn.AI
	sep := map[bool]string{false: "、", true: ", "}[r.en]
	stageName := func(n int) string {
		if n < 1 || n > len(p.Stages) {
			return fmt.Sprint(n)
		}
		return q.In(r.lang, p.Stages[n-1].Name, p.Stages[n-1].NameEN)
	}
	var names []string
	for _, s := range p.Stages {
		names = append(names, q.In(r.lang, s.Name, s.NameEN))
	}
	r.para(marginL, contentW, fmt.Sprintf(r.L("m.ai"), strings.Join(names, sep), stageName(p.UsesAIFrom), stageName(p.BuiltFrom)), 9.5, 5.4, pdfstyle.Text, false)
	r.setY(r.y() + 2)
	pct := func(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }
	var rows [][]string
	for _, l := range p.Levels {
		var conds []string
		for _, c := range l.Area.Scenarios {
			conds = append(conds, fmt.Sprintf(r.L("m.ai.count"), c.MinCount, stageName(c.AtStage)))
		}
		area := strings.Join(conds, sep) + fmt.Sprintf(r.L("m.ai.ready"), pct(l.Area.MinReadiness))
		overall := fmt.Sprintf(r.L("m.ai.overall"), l.Overall.MinAreas, pct(l.Overall.MinFoundation))
		rows = append(rows, []string{r.levelName(l.Level), q.In(r.lang, l.Title, l.TitleEN), area, overall})
	}
	r.newTable(column{r.L("level.ai"), 22, "C"}, column{map[bool]string{false: "名称", true: "Name"}[r.en], 22, "C"},
		column{r.L("m.ai.area"), 76, "L"}, column{r.L("m.ai.firm"), 54, "L"}).rows(rows)
}
