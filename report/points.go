package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"smartdiag/assessment"
	"smartdiag/pdfstyle"
	q "smartdiag/questionnaires"
)

// scenarioCount counts the scenario items rated at or above the rule's level.
func (r *renderer) scenarioCount(rule *q.ScenarioRule) int {
	n := 0
	for _, it := range r.qn.Items() {
		if it.Type == q.TypeScenario && r.res.Scenarios[it.ID] >= rule.AtLevel && (!rule.MandatoryOnly || it.Mandatory) {
			n++
		}
	}
	return n
}

// pointsLevelRule explains a points level: each level's rule (points and the scenario count)
// against this firm's figures, then the cheapest way to the next level.
func (r *renderer) pointsLevelRule() {
	pp := r.qn.Points
	if pp == nil || len(pp.Levels) == 0 {
		return
	}
	res := r.res
	r.subheading(r.L("points_rule"))
	yes, no := map[bool]string{false: "是", true: "yes"}[r.en], map[bool]string{false: "否", true: "no"}[r.en]
	var rows [][]string
	for _, l := range pp.Levels {
		pts := fmt.Sprintf("≥ %g / %.1f", l.MinScore, res.Score)
		sc, ok := "—", res.Score >= l.MinScore
		if l.Scenarios != nil {
			n := r.scenarioCount(l.Scenarios)
			sc = fmt.Sprintf(r.L("points_rule.sc"), l.Scenarios.MinCount, r.scenarioLevel(l.Scenarios.AtLevel), n)
			ok = ok && n >= l.Scenarios.MinCount
		}
		met := no
		if ok {
			met = yes
		}
		rows = append(rows, []string{r.levelName(l.Level), pts, sc, met})
	}
	r.newTable(column{r.L("level.points"), 22, "C"}, column{r.L("points_rule.pts"), 42, "C"}, column{r.L("points_rule.scn"), 90, "L"}, column{r.L("points_rule.met"), 20, "C"}).rows(rows)
	r.para(marginL, contentW, fmt.Sprintf(r.L("points_rule.why"), res.Score, r.levelName(res.Level)), 9, 5, pdfstyle.Text, false)
	if i := slices.IndexFunc(pp.Levels, func(l q.PointsLevel) bool { return l.Level == res.Level+1 }); i >= 0 {
		r.setY(r.y() + 1)
		r.para(marginL, contentW, r.cheapestPath(pp.Levels[i]), 9.5, 5.4, pdfstyle.Text, false)
	}
	r.para(marginL, contentW, r.L("points_rule.ref"), 8, 4.5, pdfstyle.Muted, false)
}

// cheapestPath says what the next level needs beyond what the firm has: the points short and the
// scenarios to raise, starting with those one step below the rule's level (the cheapest to lift),
// and the plan's actions that bring the most points.
func (r *renderer) cheapestPath(next q.PointsLevel) string {
	res := r.res
	var b strings.Builder
	sep := map[bool]string{false: "、", true: ", "}[r.en]
	short := math.Max(0, next.MinScore-res.Score)
	fmt.Fprintf(&b, r.L("path.head"), r.levelName(next.Level))
	if short > 0 {
		fmt.Fprintf(&b, r.L("path.points"), short)
	}
	if rule := next.Scenarios; rule != nil {
		if need := rule.MinCount - r.scenarioCount(rule); need > 0 {
			type cand struct {
				name string
				lv   int
			}
			var cs []cand
			for _, it := range r.qn.Items() {
				if it.Type == q.TypeScenario && res.Scenarios[it.ID] < rule.AtLevel && (!rule.MandatoryOnly || it.Mandatory) {
					cs = append(cs, cand{it.TextIn(r.lang), res.Scenarios[it.ID]})
				}
			}
			slices.SortStableFunc(cs, func(a, b cand) int { return b.lv - a.lv }) // closest first
			var names []string
			for i := 0; i < need && i < len(cs); i++ {
				cur := r.scenarioLevel(cs[i].lv)
				if cs[i].lv == 0 {
					cur = map[bool]string{false: "未开展", true: "not started"}[r.en]
				}
				names = append(names, cs[i].name+r.paren(cur))
			}
			fmt.Fprintf(&b, r.L("path.scen"), need, r.scenarioLevel(rule.AtLevel), strings.Join(names, sep))
		}
	}
	// The plan's actions worth the most points, which close the points gap first.
	acts := slices.Clone(r.plan.Top(math.MaxInt))
	slices.SortStableFunc(acts, func(a, b *assessment.Action) int {
		switch {
		case a.Gain > b.Gain:
			return -1
		case a.Gain < b.Gain:
			return 1
		}
		return 0
	})
	if short > 0 {
		var picks []string
		sum := 0.0
		for _, a := range acts {
			if sum >= short || len(picks) == 5 || a.Gain <= 0 {
				break
			}
			sum += a.Gain
			picks = append(picks, fmt.Sprintf("#%d %s", r.actNo[a], r.gainText(a.Gain)))
		}
		if len(picks) > 0 {
			fmt.Fprintf(&b, r.L("path.acts"), strings.Join(picks, sep))
		}
	}
	return b.String()
}
