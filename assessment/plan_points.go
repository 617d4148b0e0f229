package assessment

import (
	"fmt"
	"slices"
	"strings"

	q "smartdiag/questionnaires"
)

// pointsActionText words a points action from the firm's own answer, so that the plan never asks
// for what the firm already has (a firm running ERP and MES is not told to introduce them).
func pointsActionText(qn *q.Questionnaire, it *q.Item, v value, answered bool, target int) string {
	switch it.Type {
	case q.TypeMulti:
		if !answered || len(v.keys) == 0 {
			return it.Improve
		}
		var have []string
		for _, k := range v.keys {
			if o, ok := it.Option(k); ok && !o.Exclusive {
				have = append(have, o.Label)
			}
		}
		if len(have) == 0 {
			return it.Improve // only 以上均未… chosen: the generic advice fits
		}
		missing := slices.DeleteFunc(slices.Clone(it.Options), func(o q.Option) bool {
			return o.Points <= 0 || slices.Contains(v.keys, o.Key)
		})
		slices.SortStableFunc(missing, func(a, b q.Option) int {
			switch {
			case a.Points > b.Points:
				return -1
			case a.Points < b.Points:
				return 1
			}
			return 0
		})
		// The fewest additions that reach the item's maximum: the cheapest way to its points.
		need := it.MaxPoints() - pointsOf(it, v)
		var next []string
		for _, o := range missing {
			if need <= 0 {
				break
			}
			next = append(next, o.Label)
			need -= o.Points
		}
		return fmt.Sprintf("已有：%s。下一步补充：%s。", strings.Join(have, "、"), strings.Join(next, "、"))
	case q.TypeSingle:
		cur, ok := it.Option(v.key)
		if !answered || !ok {
			return it.Improve
		}
		lowest := true
		for _, o := range it.Options {
			lowest = lowest && o.Points >= cur.Points
		}
		for _, o := range it.Options {
			if o.Points > cur.Points {
				if !lowest {
					// The generic advice starts from nothing (e.g. 编写制度) and would ask for what
					// the firm has; past the first step the next option is the action.
					return fmt.Sprintf("由「%s」提升到「%s」。", cur.Label, o.Label)
				}
				return fmt.Sprintf("由「%s」提升到「%s」：%s", cur.Label, o.Label, it.Improve)
			}
		}
	case q.TypeNumber:
		if !answered {
			return it.Improve
		}
		cur := pointsOf(it, v)
		for _, b := range it.Bands {
			if b.Points > cur {
				return fmt.Sprintf("当前 %s%s，提高到 %s%s 以上可多得 %s 分：%s", num(v.number), it.Unit, num(b.Min), it.Unit, num(b.Points-cur), it.Improve)
			}
		}
	case q.TypeScenario:
		var steps []string
		for _, l := range it.Levels {
			if l.Level > int(v.number) && l.Level <= target {
				steps = append(steps, qn.LevelShortName(l.Level)+"："+l.Text)
			}
		}
		if len(steps) > 0 {
			return fmt.Sprintf("由%s提升到%s。%s", levelOrNone(qn, int(v.number)), qn.LevelShortName(target), strings.Join(steps, ""))
		}
	}
	return it.Improve
}
