package assessment

import (
	"fmt"
	"slices"
	"strings"

	q "smartdiag/questionnaires"
)

// enText builds the English of a composed action; it is "" (the reader falls back to the Chinese
// whole) as soon as one part has no English, so an English plan never mixes languages in a line.
type enText struct{ missing bool }

func (e *enText) of(en string) string {
	if strings.TrimSpace(en) == "" {
		e.missing = true
	}
	return en
}

func (e *enText) result(s string) string {
	if e.missing {
		return ""
	}
	return s
}

// pointsActionText words a points action from the firm's own answer, in Chinese and English, so
// that the plan never asks for what the firm already has (a firm running ERP and MES is not told to
// introduce them).
func pointsActionText(qn *q.Questionnaire, it *q.Item, v value, answered bool, target int) (zh, en string) {
	var e enText
	switch it.Type {
	case q.TypeMulti:
		if !answered || len(v.keys) == 0 {
			break
		}
		var have, haveEN []string
		for _, k := range v.keys {
			if o, ok := it.Option(k); ok && !o.Exclusive {
				have, haveEN = append(have, o.Label), append(haveEN, e.of(o.LabelEN))
			}
		}
		if len(have) == 0 {
			break // only 以上均未… chosen: the generic advice fits
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
		var next, nextEN []string
		for _, o := range missing {
			if need <= 0 {
				break
			}
			next, nextEN = append(next, o.Label), append(nextEN, e.of(o.LabelEN))
			need -= o.Points
		}
		return fmt.Sprintf("已有：%s。下一步补充：%s。", strings.Join(have, "、"), strings.Join(next, "、")),
			e.result(fmt.Sprintf("In place: %s. Next, add: %s.", strings.Join(haveEN, "; "), strings.Join(nextEN, "; ")))
	case q.TypeSingle:
		cur, ok := it.Option(v.key)
		if !answered || !ok {
			break
		}
		lowest := true
		for _, o := range it.Options {
			lowest = lowest && o.Points >= cur.Points
		}
		for _, o := range it.Options {
			if o.Points <= cur.Points {
				continue
			}
			zh = fmt.Sprintf("由「%s」提升到「%s」。", cur.Label, o.Label)
			en = fmt.Sprintf("From “%s” to “%s”.", e.of(cur.LabelEN), e.of(o.LabelEN))
			if lowest {
				// Past the first step the generic advice (which starts from nothing, e.g. 编写制度)
				// would ask for what the firm has, so it is given only from the lowest option.
				zh = strings.TrimSuffix(zh, "。") + "：" + it.Improve
				en += " " + e.of(it.ImproveEN)
			}
			return zh, e.result(en)
		}
	case q.TypeNumber:
		if !answered {
			break
		}
		cur := pointsOf(it, v)
		for _, b := range it.Bands {
			if b.Points > cur {
				unitEN := q.In("en", it.Unit, it.UnitEN)
				return fmt.Sprintf("当前 %s%s，提高到 %s%s 以上可多得 %s 分：%s", num(v.number), it.Unit, num(b.Min), it.Unit, num(b.Points-cur), it.Improve),
					e.result(fmt.Sprintf("Now %s%s; %s%s or more earns %s more points. %s", num(v.number), unitEN, num(b.Min), unitEN, num(b.Points-cur), e.of(it.ImproveEN)))
			}
		}
	case q.TypeScenario:
		var steps, stepsEN []string
		for _, l := range it.Levels {
			if l.Level > int(v.number) && l.Level <= target {
				steps = append(steps, qn.LevelShortName(l.Level)+"："+l.Text)
				stepsEN = append(stepsEN, fmt.Sprintf("Level %d: %s", l.Level, e.of(l.TextEN)))
			}
		}
		if len(steps) > 0 {
			from := fmt.Sprintf("level %d", int(v.number))
			if v.number == 0 {
				from = "not started"
			}
			return fmt.Sprintf("由%s提升到%s。%s", levelOrNone(qn, int(v.number)), qn.LevelShortName(target), strings.Join(steps, "")),
				e.result(fmt.Sprintf("From %s to level %d. %s", from, target, strings.Join(stepsEN, " ")))
		}
	}
	return it.Improve, it.ImproveEN
}
