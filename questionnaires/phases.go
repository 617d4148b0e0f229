package questionnaires

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// PhasesFormat is the "format" of the plan phases file (reference/phases.yaml).
const PhasesFormat = "smartdiag.phases/1"

// PlanPhase is one phase of the improvement plan and its horizon in months from the diagnosis.
type PlanPhase struct {
	Key       string `yaml:"key"`
	Name      string `yaml:"name"`
	NameEN    string `yaml:"name_en"`
	FromMonth int    `yaml:"from_month"`
	ToMonth   int    `yaml:"to_month"`
}

// PlanPhases are the plan's phases in order, with their source.
type PlanPhases struct {
	Source   string      `yaml:"source"`
	SourceEN string      `yaml:"source_en"`
	Tag      string      `yaml:"tag"`
	Phases   []PlanPhase `yaml:"phases"`
	Rules    PhaseRules  `yaml:"rules"`
}

// PhaseRules place a plan's actions in phases: one first-match rule list per kind of action, and
// the AI plan's readiness threshold and pilot limits. assessment applies them; only the ordering
// guarantees (an action never before the lower-level work it builds on) are code.
type PhaseRules struct {
	Source   string `yaml:"source"`
	SourceEN string `yaml:"source_en"`
	Date     string `yaml:"date"`
	Tag      string `yaml:"tag"`
	// CMMM questionnaires; gap = requirement level − the firm's level.
	CMMM PhaseRuleList `yaml:"cmmm"`
	// Points questionnaires: scenario items (gap = target level − the scenario's level) and others.
	PointsScenario PhaseRuleList `yaml:"points_scenario"`
	PointsItem     PhaseRuleList `yaml:"points_item"`
	// AI questionnaires: a scenario's next stage (gap = that stage − the stage AI is in use from)
	// and readiness items.
	AIStage     PhaseRuleList `yaml:"ai_stage"`
	AIReadiness PhaseRuleList `yaml:"ai_readiness"`
	// AIReadyShare is the share of an item's points from which an area's foundation counts as in
	// place; open work below it holds back the area's AI steps.
	AIReadyShare float64 `yaml:"ai_ready_share"`
	// AIPilotsPerPhase is how many new AI pilots start in a phase at most; a phase not listed
	// has no limit.
	AIPilotsPerPhase map[string]int `yaml:"ai_pilots_per_phase"`
}

// PhaseRule is one rule: when every condition given holds, the action goes to Phase.
type PhaseRule struct {
	Foundation     *bool    `yaml:"foundation"`
	MinGap         *int     `yaml:"min_gap"`
	MaxGap         *int     `yaml:"max_gap"`
	QuickWin       *bool    `yaml:"quick_win"`
	LongInvestment *bool    `yaml:"long_investment"`
	MaxScore       *float64 `yaml:"max_score"`
	Phase          string   `yaml:"phase"`
}

// PhaseRuleList is a first-match list of rules whose last rule has no condition.
type PhaseRuleList []PhaseRule

// PhaseFacts are what a rule can ask about an action.
type PhaseFacts struct {
	Foundation     bool
	Gap            int
	QuickWin       bool
	LongInvestment bool
	Score          float64 // share of the item's points the firm has (0–1)
}

func (r *PhaseRule) matches(f PhaseFacts) bool {
	return (r.Foundation == nil || *r.Foundation == f.Foundation) &&
		(r.MinGap == nil || f.Gap >= *r.MinGap) &&
		(r.MaxGap == nil || f.Gap <= *r.MaxGap) &&
		(r.QuickWin == nil || *r.QuickWin == f.QuickWin) &&
		(r.LongInvestment == nil || *r.LongInvestment == f.LongInvestment) &&
		(r.MaxScore == nil || f.Score <= *r.MaxScore)
}

func (r *PhaseRule) unconditional() bool {
	return r.Foundation == nil && r.MinGap == nil && r.MaxGap == nil && r.QuickWin == nil &&
		r.LongInvestment == nil && r.MaxScore == nil
}

// Phase is the phase of the first rule f matches (a checked list always has one).
func (l PhaseRuleList) Phase(f PhaseFacts) string {
	for i := range l {
		if l[i].matches(f) {
			return l[i].Phase
		}
	}
	return ""
}

// PilotLimits lists the AI pilot limit of each phase in order, -1 for none.
func (r *PhaseRules) PilotLimits(keys []string) []int {
	out := make([]int, len(keys))
	for i, k := range keys {
		out[i] = -1
		if n, ok := r.AIPilotsPerPhase[k]; ok {
			out[i] = n
		}
	}
	return out
}

// Keys lists the phase keys in order.
func (p *PlanPhases) Keys() []string {
	keys := make([]string, len(p.Phases))
	for i, ph := range p.Phases {
		keys[i] = ph.Key
	}
	return keys
}

// Phase returns the phase with the key, or nil.
func (p *PlanPhases) Phase(key string) *PlanPhase {
	if i := slices.IndexFunc(p.Phases, func(ph PlanPhase) bool { return ph.Key == key }); i >= 0 {
		return &p.Phases[i]
	}
	return nil
}

// Label is a phase's display name with its horizon: 近期（0–6 个月）, Near term (0–6 months).
func (ph *PlanPhase) Label(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("%s (%d–%d months)", In(lang, ph.Name, ph.NameEN), ph.FromMonth, ph.ToMonth)
	}
	return fmt.Sprintf("%s（%d–%d 个月）", ph.Name, ph.FromMonth, ph.ToMonth)
}

// ParsePlanPhases decodes and checks a phases file: known fields only, unique keys, names in
// both languages, and horizons that follow one another without gaps.
func ParsePlanPhases(data []byte) (*PlanPhases, error) {
	var file struct {
		Format     string `yaml:"format"`
		PlanPhases `yaml:",inline"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("不是有效的阶段文件：%s", yamlErrMsg(err))
	}
	if file.Format != PhasesFormat {
		return nil, fmt.Errorf("format 为 %q（应为 %s）", file.Format, PhasesFormat)
	}
	p := file.PlanPhases
	if len(p.Phases) == 0 {
		return nil, fmt.Errorf("phases 为空")
	}
	if strings.TrimSpace(p.Source) == "" || strings.TrimSpace(p.Tag) == "" {
		return nil, fmt.Errorf("缺少 source 或 tag（数据须注明来源与可信度）")
	}
	seen := map[string]bool{}
	for i, ph := range p.Phases {
		switch {
		case strings.TrimSpace(ph.Key) == "":
			return nil, fmt.Errorf("第 %d 个阶段缺少 key", i+1)
		case seen[ph.Key]:
			return nil, fmt.Errorf("阶段 %s 重复", ph.Key)
		case strings.TrimSpace(ph.Name) == "" || strings.TrimSpace(ph.NameEN) == "":
			return nil, fmt.Errorf("阶段 %s 缺少 name 或 name_en", ph.Key)
		case ph.FromMonth < 0 || ph.ToMonth <= ph.FromMonth:
			return nil, fmt.Errorf("阶段 %s 的月份 %d–%d 无效", ph.Key, ph.FromMonth, ph.ToMonth)
		case i > 0 && ph.FromMonth != p.Phases[i-1].ToMonth:
			return nil, fmt.Errorf("阶段 %s 从第 %d 个月开始，上一阶段到第 %d 个月结束", ph.Key, ph.FromMonth, p.Phases[i-1].ToMonth)
		}
		seen[ph.Key] = true
	}
	if err := p.Rules.check(seen, p.Phases[len(p.Phases)-1].Key); err != nil {
		return nil, fmt.Errorf("rules：%w", err)
	}
	return &p, nil
}

// check validates the rules against the phase keys: source, date and tag given, every list
// present and ending in a rule without conditions, known phases, sensible bounds.
func (r *PhaseRules) check(phases map[string]bool, last string) error {
	if strings.TrimSpace(r.Source) == "" || strings.TrimSpace(r.Date) == "" || strings.TrimSpace(r.Tag) == "" {
		return fmt.Errorf("缺少 source、date 或 tag（数据须注明来源、日期与可信度）")
	}
	for _, l := range []struct {
		name  string
		rules PhaseRuleList
	}{{"cmmm", r.CMMM}, {"points_scenario", r.PointsScenario}, {"points_item", r.PointsItem},
		{"ai_stage", r.AIStage}, {"ai_readiness", r.AIReadiness}} {
		if len(l.rules) == 0 {
			return fmt.Errorf("缺少 %s", l.name)
		}
		for i, rule := range l.rules {
			switch {
			case !phases[rule.Phase]:
				return fmt.Errorf("%s 第 %d 条：阶段 %q 不是 phases 中的阶段", l.name, i+1, rule.Phase)
			case rule.MinGap != nil && rule.MaxGap != nil && *rule.MinGap > *rule.MaxGap:
				return fmt.Errorf("%s 第 %d 条：min_gap %d 大于 max_gap %d", l.name, i+1, *rule.MinGap, *rule.MaxGap)
			case rule.MaxScore != nil && !(*rule.MaxScore >= 0 && *rule.MaxScore <= 1):
				return fmt.Errorf("%s 第 %d 条：max_score 应在 0 到 1 之间", l.name, i+1)
			}
		}
		if !l.rules[len(l.rules)-1].unconditional() {
			return fmt.Errorf("%s 的最后一条规则须不带条件，使每个行动项都有阶段", l.name)
		}
	}
	if !(r.AIReadyShare > 0 && r.AIReadyShare <= 1) {
		return fmt.Errorf("ai_ready_share 应大于 0、不超过 1")
	}
	for k, n := range r.AIPilotsPerPhase {
		switch {
		case !phases[k]:
			return fmt.Errorf("ai_pilots_per_phase：阶段 %q 不是 phases 中的阶段", k)
		case k == last:
			return fmt.Errorf("ai_pilots_per_phase：最后一个阶段 %s 不能限量（超出的试点无处可放）", k)
		case n < 0:
			return fmt.Errorf("ai_pilots_per_phase：%s 为负数", k)
		}
	}
	return nil
}

// BundledPlanPhases returns the bundled plan phases (reference/phases.yaml). It is embedded and
// covered by tests, so an invalid file is a build defect.
var BundledPlanPhases = sync.OnceValue(func() *PlanPhases {
	data, err := referenceFS.ReadFile("reference/phases.yaml")
	var p *PlanPhases
	if err == nil {
		p, err = ParsePlanPhases(data)
	}
	if err != nil {
		panic(fmt.Sprintf("embedded reference/phases.yaml: %v", err))
	}
	return p
})
