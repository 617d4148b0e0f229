package assessment

import (
	"math"
	"strconv"
	"strings"

	q "smartdiag/questionnaires"
)

// KPINote is a plausibility warning on the firm's numbers. It never changes a score: the app shows
// it at entry and the report prints it beside the figures.
type KPINote struct {
	Rule      string   `json:"rule"`
	Severity  string   `json:"severity"` // error: impossible as defined; warning: unusual, likely a unit or basis slip
	Items     []string `json:"items"`    // item ids involved; "profile.employees" / "profile.revenue_wan" for profile fields
	MessageZH string   `json:"message"`
	MessageEN string   `json:"message_en"`
}

// Message returns the note in a language.
func (n KPINote) Message(lang string) string {
	if lang == "en" {
		return n.MessageEN
	}
	return n.MessageZH
}

// CheckKPIs evaluates the bundled plausibility rules (reference/kpi_rules.yaml) on a document. A
// rule whose numbers are not all answered is skipped.
func CheckKPIs(qn *q.Questionnaire, d *Document) []KPINote {
	return checkKPIRules(q.BundledKPIRules(), qn, d)
}

// CheckProfile evaluates the rules that read only the firm's profile (staff, revenue), for the
// enterprise form, before any questionnaire is chosen.
func CheckProfile(e Enterprise) []KPINote {
	return checkKPIRules(q.BundledKPIRules(), nil, &Document{Enterprise: e})
}

type metricValue struct {
	v  float64
	id string
}

func checkKPIRules(rules *q.KPIRules, qn *q.Questionnaire, d *Document) []KPINote {
	var env *answerEnv
	if qn != nil {
		env = newEnv(qn, d, nil)
	}
	lookup := func(key string) (metricValue, bool) {
		m := rules.Metric(key)
		switch m.Profile {
		case "employees":
			return metricValue{float64(d.Enterprise.Employees), "profile.employees"}, d.Enterprise.Employees > 0
		case "revenue_wan":
			return metricValue{d.Enterprise.RevenueWan, "profile.revenue_wan"}, d.Enterprise.RevenueWan > 0
		}
		if qn == nil {
			return metricValue{}, false
		}
		for _, it := range qn.Items() {
			if it.Type != q.TypeNumber || !m.Matches(it) || !env.isRelevant(it) {
				continue
			}
			a := d.Answer(it.ID)
			if a == nil {
				continue
			}
			if v, err := parseValue(qn, it, a.Value); err == nil {
				return metricValue{v.number, it.ID}, true
			}
		}
		return metricValue{}, false
	}
	notes := []KPINote{}
	for _, r := range rules.Rules {
		a, ok := lookup(r.A)
		if !ok {
			continue
		}
		var b metricValue
		if r.B != "" {
			if b, ok = lookup(r.B); !ok {
				continue
			}
		}
		ratio := math.NaN()
		if b.v != 0 {
			ratio = a.v / b.v
		}
		var bad bool
		switch r.Kind {
		case q.RuleLE:
			bad = a.v > b.v
		case q.RuleMax:
			bad = a.v > r.Limit
		case q.RuleMin:
			bad = a.v < r.Limit
		case q.RuleRatioMax:
			bad = !math.IsNaN(ratio) && ratio > r.Limit
		case q.RuleRatioMin:
			bad = !math.IsNaN(ratio) && ratio < r.Limit
		}
		if !bad {
			continue
		}
		fill := strings.NewReplacer("{a}", num(a.v), "{b}", num(b.v), "{ratio}", num(ratio), "{limit}", num(r.Limit))
		n := KPINote{Rule: r.ID, Severity: r.Severity, Items: []string{a.id}, MessageZH: fill.Replace(r.Message), MessageEN: fill.Replace(r.MessageEN)}
		if b.id != "" {
			n.Items = append(n.Items, b.id)
		}
		notes = append(notes, n)
	}
	return notes
}

// num prints a figure as entered: no trailing zeros, at most two decimals.
func num(x float64) string {
	if math.IsNaN(x) {
		return "—"
	}
	return strconv.FormatFloat(round(x, 2), 'f', -1, 64)
}
