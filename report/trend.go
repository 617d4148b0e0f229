package report

import (
	"fmt"
	"strings"

	"smartdiag/assessment"
	"smartdiag/pdfstyle"
	q "smartdiag/questionnaires"
)

// Earlier is an earlier diagnosis of the same firm (same credit code and questionnaire) that the
// report compares with: service.FindEarlier looks for one in the document's workspace folder.
type Earlier struct {
	Doc           *assessment.Document
	Questionnaire *q.Questionnaire
}

// tr picks the Chinese or the English of a phrase of the trend page.
func (r *renderer) tr(zh, en string) string {
	if r.en {
		return en
	}
	return zh
}

// signed prints a change with its sign to two decimals, ±0 when it rounds to nothing, or an en
// dash when there is none to show.
func signed(row assessment.TrendRow) string {
	if !row.HasBefore || !row.HasAfter {
		return "–"
	}
	s := fmt.Sprintf("%+.2f", row.Delta())
	if s == "+0.00" || s == "-0.00" {
		return "±0"
	}
	return s
}

func valueOr(v float64, has bool, format string) string {
	if !has {
		return "–"
	}
	return fmt.Sprintf(format, v)
}

// trendPage compares this diagnosis with the earlier one: level, score, track indices, domains and
// sub-domains, and what became of the earlier plan's actions.
func (r *renderer) trendPage() {
	t := r.trend
	r.nsec++
	title := r.tr("与上次诊断的对比", "Change since the last diagnosis")
	if r.en {
		r.titled(fmt.Sprintf("%d. %s", r.nsec, title))
	} else {
		r.titled(cnNumerals[min(r.nsec, len(cnNumerals))-1] + "、" + title)
	}
	before, now := t.EarlierDate.In(cst).Format("2006-01-02"), assessment.DiagnosisDate(r.d).In(cst).Format("2006-01-02")
	levelChange := r.levelName(t.Level[0]) + " → " + r.levelName(t.Level[1])
	var intro string
	if r.en {
		intro = fmt.Sprintf("The firm was last diagnosed on %s with the same questionnaire (version %s); this diagnosis is of %s. Level: %s; score %.2f → %.2f.",
			before, t.EarlierVersion, now, levelChange, t.Score[0], t.Score[1])
	} else {
		intro = fmt.Sprintf("企业上次诊断于 %s（同一问卷，版本 %s），本次诊断于 %s。等级：%s；得分 %.2f → %.2f。",
			before, t.EarlierVersion, now, levelChange, t.Score[0], t.Score[1])
	}
	if t.DifferentLevels {
		intro += r.tr("两次问卷版本不同，按条目与子域编号对应比较。", " The questionnaire versions differ; items and sub-domains are matched by id.")
	}
	r.para(marginL, contentW, intro, 10, 5.6, pdfstyle.Text, false)
	r.setY(r.y() + 2)

	cols := []column{{r.tr("指标", "Measure"), 70, "L"}, {before, 34, "C"}, {now, 34, "C"}, {r.tr("变化", "Change"), 36, "C"}}
	score := assessment.TrendRow{Before: t.Score[0], After: t.Score[1], HasBefore: true, HasAfter: true}
	rows := [][]string{
		{r.L(map[bool]string{false: "level", true: "level.points"}[r.qn.Scoring == q.ScoringPoints]), r.levelName(t.Level[0]), r.levelName(t.Level[1]), fmt.Sprintf("%+d", t.Level[1]-t.Level[0])},
		{r.L("score"), fmt.Sprintf("%.2f", t.Score[0]), fmt.Sprintf("%.2f", t.Score[1]), signed(score)},
	}
	for _, row := range t.Tracks {
		rows = append(rows, []string{q.TrackName(row.ID, r.lang) + r.tr("指数", " index"),
			valueOr(row.Before, row.HasBefore, "%.2f"), valueOr(row.After, row.HasAfter, "%.2f"), signed(row)})
	}
	r.newTable(cols...).rows(rows)

	if len(t.Groups) > 0 {
		r.setY(r.y() + 3)
		r.subheading(r.groupCol() + r.tr("得分变化", " scores"))
		var sdRows [][]string
		var fills []*pdfstyle.Color
		for _, row := range t.Groups {
			sdRows = append(sdRows, []string{r.qn.GroupName(row.ID, r.lang, q.In(r.lang, row.Name, row.NameEN)),
				valueOr(row.Before, row.HasBefore, "%.2f"), valueOr(row.After, row.HasAfter, "%.2f"), signed(row)})
			var c *pdfstyle.Color
			switch d := row.Delta(); {
			case d >= 0.005:
				c = &pdfstyle.Fill
			case d <= -0.005:
				w := pdfstyle.Color{R: 0xF8, G: 0xE6, B: 0xE3} // a pale Warn: lower than last time
				c = &w
			}
			fills = append(fills, c)
		}
		sdCols := append([]column{{r.groupCol(), cols[0].width, "L"}}, cols[1:]...)
		tb := r.newTable(sdCols...)
		tb.rowFill = func(i int) *pdfstyle.Color { return fills[i] }
		tb.rows(sdRows)
	}

	r.setY(r.y() + 3)
	r.subheading(r.tr("上次改进措施的完成情况", "The last plan's actions now"))
	var sum string
	if r.en {
		sum = fmt.Sprintf("The last plan had %d actions on questionnaire requirements: %d are now fully met, %d improved, %d not yet better, %d no longer apply.",
			t.EarlierActions, len(t.Done), len(t.Improved), len(t.Open), t.NotApplicable)
	} else {
		sum = fmt.Sprintf("上次诊断提出的改进措施中，对应问卷要求的共 %d 项：现已完全满足 %d 项，有所改善 %d 项，尚无改善 %d 项，不再适用 %d 项。",
			t.EarlierActions, len(t.Done), len(t.Improved), len(t.Open), t.NotApplicable)
	}
	r.para(marginL, contentW, sum, 10, 5.6, pdfstyle.Text, false)
	list := func(title string, acts []*assessment.Action) {
		if len(acts) == 0 {
			return
		}
		r.setY(r.y() + 1.5)
		var rows [][]string
		for _, a := range acts {
			rows = append(rows, []string{a.ItemID, q.In(r.lang, a.Group, a.GroupEN), strings.TrimSpace(a.RequirementIn(r.lang))})
		}
		r.para(marginL, contentW, title, 9.5, 5.4, pdfstyle.Primary, true)
		r.newTable(column{r.L("item"), 22, "L"}, column{r.groupCol(), 34, "L"}, column{r.tr("要求", "Requirement"), contentW - 56, "L"}).rows(rows)
	}
	list(r.tr("已完成", "Done"), t.Done)
	list(r.tr("有所改善", "Improved"), t.Improved)
}
