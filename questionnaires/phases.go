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
	return &p, nil
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
