package questionnaires

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// KPIRulesFormat is the "format" of reference/kpi_rules.yaml.
const KPIRulesFormat = "smartdiag.kpi-rules/1"

// KPI rule kinds.
const (
	RuleLE       = "le"        // a ≤ b
	RuleMax      = "max"       // a ≤ limit
	RuleMin      = "min"       // a ≥ limit
	RuleRatioMax = "ratio_max" // a / b ≤ limit
	RuleRatioMin = "ratio_min" // a / b ≥ limit
)

// KPIMetric names a number a rule reads: the answer of any KPI item with one of the benchmark keys
// or ids, or an enterprise profile field.
type KPIMetric struct {
	Key        string   `yaml:"key"`
	Name       string   `yaml:"name"`
	NameEN     string   `yaml:"name_en"`
	Benchmarks []string `yaml:"benchmarks"`
	Items      []string `yaml:"items"`
	Profile    string   `yaml:"profile"` // employees | revenue_wan
}

// Matches reports whether an item supplies the metric.
func (m *KPIMetric) Matches(it *Item) bool {
	return slices.Contains(m.Items, it.ID) || it.Benchmark != "" && slices.Contains(m.Benchmarks, it.Benchmark)
}

// KPIRule is one plausibility check.
type KPIRule struct {
	ID        string  `yaml:"id"`
	Kind      string  `yaml:"kind"`
	A         string  `yaml:"a"`
	B         string  `yaml:"b"`
	Limit     float64 `yaml:"limit"`
	Severity  string  `yaml:"severity"` // error | warning
	Message   string  `yaml:"message"`
	MessageEN string  `yaml:"message_en"`
	Tag       string  `yaml:"tag"`
}

// KPIRules is the decoded and checked rule file.
type KPIRules struct {
	Metrics []*KPIMetric `yaml:"metrics"`
	Rules   []*KPIRule   `yaml:"rules"`
	byKey   map[string]*KPIMetric
}

// Metric looks a metric up by key.
func (r *KPIRules) Metric(key string) *KPIMetric { return r.byKey[key] }

// ParseKPIRules decodes and checks a KPI rule file; errors are in Chinese and name the rule.
func ParseKPIRules(data []byte) (*KPIRules, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("文件不是有效的 UTF-8 编码")
	}
	var file struct {
		Format   *string `yaml:"format"`
		KPIRules `yaml:",inline"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("不是有效的指标规则文件：%s", yamlErrMsg(err))
	}
	if file.Format == nil || *file.Format != KPIRulesFormat {
		return nil, fmt.Errorf("不是指标规则文件：format 应为 %s", KPIRulesFormat)
	}
	r := &file.KPIRules
	r.byKey = map[string]*KPIMetric{}
	for i, m := range r.Metrics {
		if m == nil || !projectIDPattern.MatchString(m.Key) || m.Name == "" || m.NameEN == "" {
			return nil, fmt.Errorf("第 %d 个指标：key 无效或缺少 name、name_en", i+1)
		}
		if r.byKey[m.Key] != nil {
			return nil, fmt.Errorf("指标 %s 重复", m.Key)
		}
		sources := len(m.Benchmarks) + len(m.Items)
		switch m.Profile {
		case "":
		case "employees", "revenue_wan":
			sources++
		default:
			return nil, fmt.Errorf("指标 %s：profile 应为 employees 或 revenue_wan", m.Key)
		}
		if sources == 0 {
			return nil, fmt.Errorf("指标 %s 没有取值来源（benchmarks、items 或 profile）", m.Key)
		}
		r.byKey[m.Key] = m
	}
	seen := map[string]bool{}
	for i, rule := range r.Rules {
		if rule == nil || !projectIDPattern.MatchString(rule.ID) || seen[rule.ID] {
			return nil, fmt.Errorf("第 %d 条规则：id 无效或重复", i+1)
		}
		seen[rule.ID] = true
		if r.byKey[rule.A] == nil {
			return nil, fmt.Errorf("规则 %s：指标 a=%q 未定义", rule.ID, rule.A)
		}
		switch rule.Kind {
		case RuleLE, RuleRatioMax, RuleRatioMin:
			if r.byKey[rule.B] == nil {
				return nil, fmt.Errorf("规则 %s：指标 b=%q 未定义", rule.ID, rule.B)
			}
		case RuleMax, RuleMin:
			if rule.B != "" {
				return nil, fmt.Errorf("规则 %s：%s 规则不用 b", rule.ID, rule.Kind)
			}
		default:
			return nil, fmt.Errorf("规则 %s：kind %q 无效（应为 le、max、min、ratio_max 或 ratio_min）", rule.ID, rule.Kind)
		}
		if rule.Severity != "error" && rule.Severity != "warning" {
			return nil, fmt.Errorf("规则 %s：severity 应为 error 或 warning", rule.ID)
		}
		if strings.TrimSpace(rule.Message) == "" || strings.TrimSpace(rule.MessageEN) == "" || rule.Tag == "" {
			return nil, fmt.Errorf("规则 %s 缺少 message、message_en 或 tag", rule.ID)
		}
		for _, msg := range []string{rule.Message, rule.MessageEN} {
			rest := msg
			for {
				i := strings.IndexByte(rest, '{')
				if i < 0 {
					break
				}
				j := strings.IndexByte(rest[i:], '}')
				if j < 0 {
					return nil, fmt.Errorf("规则 %s：消息中的 { 没有配对的 }", rule.ID)
				}
				if ph := rest[i+1 : i+j]; !slices.Contains([]string{"a", "b", "ratio", "limit"}, ph) {
					return nil, fmt.Errorf("规则 %s：消息中的占位符 {%s} 无效", rule.ID, ph)
				}
				rest = rest[i+j+1:]
			}
		}
	}
	return r, nil
}

var (
	kpiRulesOnce sync.Once
	kpiRules     *KPIRules
)

// BundledKPIRules returns the bundled plausibility rules (embedded, so an invalid file is a build
// defect caught by the tests).
func BundledKPIRules() *KPIRules {
	kpiRulesOnce.Do(func() {
		data, err := referenceFS.ReadFile("reference/kpi_rules.yaml")
		if err == nil {
			kpiRules, err = ParseKPIRules(data)
		}
		if err != nil {
			panic(fmt.Sprintf("embedded reference/kpi_rules.yaml: %v", err))
		}
	})
	return kpiRules
}
