package questionnaires

import (
	"math"
	"strings"
)

// ScoringAI is the scoring style of the 人工智能+制造 diagnosis: points-style sections whose
// scenario items are rated on AI stages, plus the AI level rules in the `ai:` block.
const ScoringAI = "ai"

// AIParams are the parameters of `scoring: ai`. Every number is a reference value (参照) kept in
// the file: the province has not published its item bank or level rules.
type AIParams struct {
	Source string `yaml:"source"`
	// Stages is the scale of scenario items (0 = the scenario is not built). The loader derives
	// Points.ScenarioLevels from it, so answers, the wizard and the track indices treat the stages
	// like the scenario levels of a points questionnaire.
	Stages []AIStage `yaml:"stages"`
	// A scenario at BuiltFrom or above is built (the share's denominator); at UsesAIFrom or above
	// it uses AI (the numerator).
	BuiltFrom  int `yaml:"built_from"`
	UsesAIFrom int `yaml:"uses_ai_from"`
	// Areas are the ids of the top-level sections that are diagnosis areas; Foundation is the id of
	// the firm-wide section whose points share the overall level rules read.
	Areas        []string        `yaml:"areas"`
	Foundation   string          `yaml:"foundation"`
	Levels       []AILevel       `yaml:"levels"`
	ShareTargets []AIShareTarget `yaml:"share_targets"`
}

// AIStage is one stage of an AI scenario, with the statement shown to the consultant.
type AIStage struct {
	Level  int    `yaml:"level"`
	Name   string `yaml:"name"`
	NameEN string `yaml:"name_en"`
	Text   string `yaml:"text"`
	TextEN string `yaml:"text_en"`
}

// AILevel is one AI application level with its rule for an area and for the firm.
type AILevel struct {
	Level   int           `yaml:"level"`
	Name    string        `yaml:"name"`
	Title   string        `yaml:"title"`
	TitleEN string        `yaml:"title_en"`
	Area    AIAreaRule    `yaml:"area"`
	Overall AIOverallRule `yaml:"overall"`
}

// AIAreaRule: every stage count holds among the area's scenario items, and the area's readiness
// (points share of its other items) is at least MinReadiness.
type AIAreaRule struct {
	Scenarios    []AIStageCount `yaml:"scenarios"`
	MinReadiness float64        `yaml:"min_readiness"`
}

// AIStageCount requires at least MinCount scenario items at AtStage or above.
type AIStageCount struct {
	AtStage  int `yaml:"at_stage"`
	MinCount int `yaml:"min_count"`
}

// AIOverallRule: at least MinAreas areas reach the level and the foundation section's points share
// is at least MinFoundation.
type AIOverallRule struct {
	MinAreas      int     `yaml:"min_areas"`
	MinFoundation float64 `yaml:"min_foundation"`
}

// AIShareTarget is a reference threshold for the AI scenario share, such as 卓越级 ≥ 20%.
type AIShareTarget struct {
	Name     string  `yaml:"name"`
	NameEN   string  `yaml:"name_en"`
	MinShare float64 `yaml:"min_share"`
}

// Sectioned reports whether the questionnaire is built from sections of point items (points and ai
// scoring) rather than the CMMM hierarchy.
func (q *Questionnaire) Sectioned() bool {
	return q.Scoring == ScoringPoints || q.Scoring == ScoringAI
}

// AIStageName returns the name of a scenario stage ("未建设" for 0).
func (p *AIParams) AIStageName(stage int) string {
	if stage <= 0 || stage > len(p.Stages) {
		return "未建设"
	}
	return p.Stages[stage-1].Name
}

// Area returns the top-level section of an area id.
func (q *Questionnaire) Area(id string) *Section {
	for _, s := range q.Sections {
		if s.ID == id {
			return s
		}
	}
	return nil
}

func (v *validator) validateAI(q *Questionnaire) {
	p := q.AI
	if p == nil {
		v.add(v.top("scoring"), "scoring: ai 需要 ai 参数块")
		return
	}
	if q.Points != nil {
		v.add(v.top("points"), "ai 问卷不能有 points 参数块：场景阶段写在 ai.stages 中")
	}
	if q.CMMM != nil || len(q.Elements) > 0 {
		v.add(v.top("cmmm"), "ai 问卷不能有 cmmm 或 elements")
	}
	if strings.TrimSpace(p.Source) == "" {
		v.add(v.top("ai.source"), "ai.source 不能为空：写明规则来源、日期和可信度（参照）")
	}
	if len(p.Stages) < 2 {
		v.add(v.top("ai.stages"), "ai.stages 至少需要两个阶段")
	}
	q.Points = &PointsParams{}
	for i, s := range p.Stages {
		if s.Level != i+1 || strings.TrimSpace(s.Name) == "" || strings.TrimSpace(s.Text) == "" {
			v.add(v.top("ai.stages"), "ai.stages 第 %d 项应为 level: %d，且有 name 和 text", i+1, i+1)
		}
		if strings.TrimSpace(s.NameEN) == "" || strings.TrimSpace(s.TextEN) == "" {
			v.add(v.top("ai.stages"), "ai.stages 第 %d 项缺少英文 name_en 或 text_en", i+1)
		}
		if bad := halfWidthPunct(s.Text); bad != "" {
			v.add(v.top("ai.stages"), "ai.stages 第 %d 项的 text 应使用全角标点，发现 %q", i+1, bad)
		}
		q.Points.ScenarioLevels = append(q.Points.ScenarioLevels, Level{Level: s.Level, Name: s.Name, TitleEN: s.NameEN})
	}
	n := len(p.Stages)
	if p.BuiltFrom < 1 || p.BuiltFrom > n {
		v.add(v.top("ai.built_from"), "ai.built_from 必须在 1 到 %d 之间", n)
	}
	if p.UsesAIFrom < max(1, p.BuiltFrom) || p.UsesAIFrom > n {
		v.add(v.top("ai.uses_ai_from"), "ai.uses_ai_from 必须在 built_from 到 %d 之间", n)
	}
	if len(p.Areas) == 0 {
		v.add(v.top("ai.areas"), "ai.areas 不能为空")
	}
	seen := map[string]bool{}
	for _, id := range p.Areas {
		s := q.Area(id)
		switch {
		case s == nil:
			v.add(v.top("ai.areas"), "ai.areas 中的领域 %q 不是顶层 section", id)
		case seen[id]:
			v.add(v.top("ai.areas"), "ai.areas 中的领域 %q 重复", id)
		case len(s.Sections) > 0:
			v.add(v.top("ai.areas"), "领域 %s 不能再分子 section", id)
		}
		seen[id] = true
	}
	if p.Foundation != "" {
		if q.Area(p.Foundation) == nil || seen[p.Foundation] {
			v.add(v.top("ai.foundation"), "ai.foundation %q 应为不在 areas 中的顶层 section", p.Foundation)
		}
	}
	if len(p.Levels) == 0 {
		v.add(v.top("ai.levels"), "ai.levels 不能为空")
	}
	for i, l := range p.Levels {
		line := v.top("ai.levels")
		if l.Level != i+1 || strings.TrimSpace(l.Name) == "" {
			v.add(line, "ai.levels 第 %d 项应为 level: %d 且有名称", i+1, i+1)
		}
		if len(l.Area.Scenarios) == 0 {
			v.add(line, "第 %d 级的 area.scenarios 不能为空", l.Level)
		}
		for _, c := range l.Area.Scenarios {
			if c.AtStage < 1 || c.AtStage > n || c.MinCount < 1 {
				v.add(line, "第 %d 级的 area.scenarios 规则无效（at_stage 须在 1 到 %d 之间，min_count 至少为 1）", l.Level, n)
			}
		}
		if !inUnit(l.Area.MinReadiness) || !inUnit(l.Overall.MinFoundation) {
			v.add(line, "第 %d 级的 min_readiness 和 min_foundation 必须在 0 到 1 之间", l.Level)
		}
		if l.Overall.MinAreas < 1 || l.Overall.MinAreas > len(p.Areas) {
			v.add(line, "第 %d 级的 overall.min_areas 必须在 1 到 %d 之间", l.Level, len(p.Areas))
		}
		if l.Overall.MinFoundation > 0 && p.Foundation == "" {
			v.add(line, "第 %d 级要求 min_foundation，但没有设 ai.foundation", l.Level)
		}
	}
	for i, t := range p.ShareTargets {
		if strings.TrimSpace(t.Name) == "" || !inUnit(t.MinShare) || t.MinShare == 0 {
			v.add(v.top("ai.share_targets"), "ai.share_targets 第 %d 项需要名称，min_share 在 (0, 1] 之间", i+1)
		}
	}
	// Scenario items without their own statements show the stage statements.
	for _, id := range p.Areas {
		if s := q.Area(id); s != nil {
			for _, it := range s.Items {
				if it.Type == TypeScenario && len(it.Levels) == 0 {
					for _, st := range p.Stages {
						it.Levels = append(it.Levels, ScenarioLevel{Level: st.Level, Text: st.Text, TextEN: st.TextEN, inlineEN: st.TextEN != ""})
					}
				}
			}
		}
	}
	v.validateSections(q)
	for _, it := range q.items {
		if it.Type == TypeScenario && (it.Section == nil || !seen[it.Section.ID]) {
			v.add(v.itemLine(it), "%s：场景题只能放在 ai.areas 列出的领域中", it.ID)
		}
		if it.Type == TypeScenario && len(it.Scenarios) == 0 {
			v.add(v.itemLine(it), "%s：AI场景题必须对应至少一个典型场景（scenarios）", it.ID)
		}
	}
}

func inUnit(x float64) bool { return x >= 0 && x <= 1 && !math.IsNaN(x) }
