package tally

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"smartdiag/assessment"
	"smartdiag/questionnaires"
)

// DiagnosisAI is the AI result of a diagnosis made with an ai questionnaire (人工智能+制造).
type DiagnosisAI struct {
	Level    int      `json:"level"`
	Share    float64  `json:"share"`     // AI scenario share, 0–1
	ShareMet []string `json:"share_met"` // reference thresholds the share reaches

	levelNames []string // of the diagnosis's questionnaire, by level
}

// AITally is the AI application level distribution of the counted diagnoses made with an ai
// questionnaire, for the district and by street and category. Levels and thresholds are reference
// values (参照) of the questionnaire.
type AITally struct {
	N          int            `json:"n"`
	Levels     map[string]int `json:"levels"`      // "0" (未达一级) … the top level
	LevelNames []string       `json:"level_names"` // by level, from the questionnaire
	MeanShare  float64        `json:"mean_share"`
	ShareMet   map[string]int `json:"share_met"` // firms whose share reaches each threshold
	ByStreet   []AIGroup      `json:"by_street"`
	ByCategory []AIGroup      `json:"by_category"`
}

// AIGroup is the AI level distribution of one street or category.
type AIGroup struct {
	Name      string         `json:"name"`
	N         int            `json:"n"`
	Levels    map[string]int `json:"levels"`
	MeanShare float64        `json:"mean_share"`
}

func diagnosisAI(qn *questionnaires.Questionnaire, sc *assessment.Result) *DiagnosisAI {
	if sc.AI == nil {
		return nil
	}
	a := &DiagnosisAI{Level: sc.AI.Level, Share: sc.AI.Share, ShareMet: []string{}}
	for l := 0; l <= qn.LevelCount(); l++ {
		a.levelNames = append(a.levelNames, qn.LevelName(l))
	}
	for _, t := range sc.AI.ShareTargets {
		if t.Met {
			a.ShareMet = append(a.ShareMet, t.Name)
		}
	}
	return a
}

// ai fills Result.AI from each firm's latest AI diagnosis; nil when there are none. The AI round
// runs beside the smart-manufacturing diagnoses, so a firm's AI diagnosis counts here even when a
// later diagnosis on another questionnaire is the one counted for coverage.
func (t *tally) ai(docs []*Diagnosis) {
	latest := map[string]*Diagnosis{}
	for _, g := range docs {
		if g.AI == nil || g.Role == RoleSuperseded || g.Role == RoleCopy {
			continue
		}
		if l := latest[g.CreditCode]; l == nil || g.Finished.After(l.Finished) || g.Finished.Equal(l.Finished) && g.ID > l.ID {
			latest[g.CreditCode] = g
		}
	}
	var counted []*Diagnosis
	for _, code := range slices.Sorted(maps.Keys(latest)) {
		counted = append(counted, latest[code])
	}
	// Level names and the number of levels come from the questionnaire of the first AI diagnosis;
	// every ai questionnaire so far has the same levels.
	var names []string
	for _, g := range counted {
		if g.AI != nil && len(g.AI.levelNames) > len(names) {
			names = g.AI.levelNames
		}
	}
	top := max(len(names)-1, 0)
	var res *AITally
	streets, cats := map[string]*AIGroup{}, map[string]*AIGroup{}
	add := func(m map[string]*AIGroup, name string, g *Diagnosis) {
		if name == "" {
			name = "（未填）"
		}
		if m[name] == nil {
			m[name] = &AIGroup{Name: name, Levels: zeroLevels(top)}
		}
		a := m[name]
		a.N++
		a.Levels[strconv.Itoa(min(g.AI.Level, top))]++
		a.MeanShare += g.AI.Share
	}
	for _, g := range counted {
		if g.AI == nil {
			continue
		}
		if res == nil {
			res = &AITally{Levels: zeroLevels(top), LevelNames: names, ShareMet: map[string]int{}}
		}
		res.N++
		res.Levels[strconv.Itoa(min(g.AI.Level, top))]++
		res.MeanShare += g.AI.Share
		for _, m := range g.AI.ShareMet {
			res.ShareMet[m]++
		}
		add(streets, g.Street, g)
		for _, c := range g.Categories {
			add(cats, c, g)
		}
	}
	if res == nil {
		return
	}
	res.MeanShare = round3(res.MeanShare / float64(res.N))
	res.ByStreet = aiGroups(streets, t.res.streets)
	res.ByCategory = aiGroups(cats, t.res.categories)
	t.res.AI = res
}

func zeroLevels(top int) map[string]int {
	m := map[string]int{}
	for l := 0; l <= top; l++ {
		m[strconv.Itoa(l)] = 0
	}
	return m
}

// aiGroups lists the groups in the given order, then the others by name.
func aiGroups(m map[string]*AIGroup, order []string) []AIGroup {
	out := []AIGroup{}
	done := map[string]bool{}
	emit := func(k string) {
		if g, ok := m[k]; ok && !done[k] {
			g.MeanShare = round3(g.MeanShare / float64(g.N))
			out = append(out, *g)
			done[k] = true
		}
	}
	for _, k := range order {
		emit(k)
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		emit(k)
	}
	return out
}

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

// AIExcelRows are the AI block of the levels sheet: the district's distribution, then by street
// and category (levels with firms only), with the share of the group's firms.
func AIExcelRows(res *Result) [][]any {
	ai := res.AI
	if ai == nil {
		return nil
	}
	name := func(l int) string {
		if l < len(ai.LevelNames) {
			return ai.LevelNames[l]
		}
		return strconv.Itoa(l)
	}
	rows := [][]any{{}, {"AI应用等级（参照）", ai.N}}
	for l := range len(ai.LevelNames) {
		n := ai.Levels[strconv.Itoa(l)]
		rows = append(rows, []any{name(l), n, fraction(float64(n) / float64(ai.N))})
	}
	rows = append(rows, []any{"平均AI场景占比", nil, fraction(ai.MeanShare)})
	for _, groups := range [][]AIGroup{ai.ByStreet, ai.ByCategory} {
		rows = append(rows, []any{})
		for _, g := range groups {
			for l := range len(ai.LevelNames) {
				if n := g.Levels[strconv.Itoa(l)]; n > 0 {
					rows = append(rows, []any{g.Name + " · " + name(l), n, fraction(float64(n) / float64(g.N))})
				}
			}
		}
	}
	return rows
}

// AIBriefNote explains, under the brief's level chart, the diagnoses not on a CMMM level: points
// questionnaires, and AI diagnoses with their own level distribution.
func AIBriefNote(res *Result) string {
	ai := res.AI
	if ai == nil {
		return fmt.Sprintf("另有 %d 家使用百分制问卷，不在成熟度等级中。", res.LevelsOther)
	}
	var parts []string
	for l, name := range ai.LevelNames {
		if n := ai.Levels[strconv.Itoa(l)]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d 家", name, n))
		}
	}
	note := fmt.Sprintf("另有 %d 家的最新诊断不是成熟度问卷，不在上图中。人工智能+制造诊断 %d 家，AI应用等级（参照）：%s，平均AI场景占比 %.0f%%。",
		res.LevelsOther, ai.N, strings.Join(parts, "，"), 100*ai.MeanShare)
	return note
}

func fraction(f float64) *float64 { return &f }
