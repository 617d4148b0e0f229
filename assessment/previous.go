package assessment

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	q "smartdiag/questionnaires"
)

// A repeat visit: the firm's previous diagnosis on the same questionnaire is found by credit code,
// its profile starts the new one, its answers are shown beside each item, and the results show
// what changed. Only finished or sealed diagnoses count as "last time": a draft was never confirmed
// by the firm.

// Previous is the diagnosis a repeat visit is compared with.
type Previous struct {
	Doc *Document
	Q   *q.Questionnaire // the questionnaire version it was answered against
}

// FindPrevious returns the most recent finished or sealed diagnosis of d's enterprise (same credit
// code) on d's questionnaire (any version) created before d, or nil when there is none. A previous
// document that no longer opens is skipped: the comparison is a help, not a check.
func (w *Workspace) FindPrevious(d *Document) *Previous {
	code := NormalizeCreditCode(d.Enterprise.CreditCode)
	var best *Diagnosed
	for _, c := range w.FindCreditCode(code) {
		// The same rule as IsEarlierOf, on the few fields FindCreditCode decodes.
		if c.ID == d.ID || c.Status == StatusDraft || c.Questionnaire != d.Questionnaire.ID || c.Created.After(d.Created) {
			continue
		}
		if best == nil || c.Created.After(best.Created) {
			best = &c
		}
	}
	if best == nil {
		return nil
	}
	data, err := os.ReadFile(best.Path)
	if err != nil {
		return nil
	}
	pd, pq, err := Open(data)
	if err != nil {
		return nil
	}
	return &Previous{Doc: pd, Q: pq}
}

// NewRepeat starts a draft of the same firm on qn from its previous diagnosis: the profile (with
// its lists copied, so editing one never changes the other) and the target level carry over; the
// answers do not: the consultant answers afresh and sees last time's answer beside each item.
func NewRepeat(qn *q.Questionnaire, prev *Document, a Assessor, now time.Time) (*Document, error) {
	e := prev.Enterprise
	e.Categories = slices.Clone(e.Categories)
	e.PainPoints = slices.Clone(e.PainPoints)
	e.Inventory = slices.Clone(e.Inventory)
	d, err := NewDocument(qn, e, a, now)
	if err != nil {
		return nil, err
	}
	if prev.Questionnaire.ID == qn.ID {
		d.TargetLevel = min(prev.TargetLevel, qn.LevelCount())
	}
	return d, nil
}

// AnswerText is the readable form of an answer to it in lang ("zh" or "en"): the option's label,
// the labels of a multiple choice, a number with its unit, a scenario's level. "" when a is nil or
// holds no value.
func AnswerText(qn *q.Questionnaire, it *q.Item, a *Answer, lang string) string {
	if a == nil || !a.HasValue() {
		return ""
	}
	en := lang == "en"
	var v any
	if json.Unmarshal(a.Value, &v) != nil {
		return string(a.Value)
	}
	label := func(key string) string {
		if qn.CMMM != nil {
			opts := slices.Clone(qn.CMMM.Scale)
			if qn.CMMM.NA != nil {
				opts = append(opts, *qn.CMMM.NA)
			}
			for _, o := range opts {
				if o.Key == key {
					return o.LabelIn(lang)
				}
			}
		}
		if o, ok := it.Option(key); ok {
			return o.LabelIn(lang)
		}
		return key
	}
	switch x := v.(type) {
	case string:
		return label(x)
	case []any:
		var ls []string
		for _, k := range x {
			ls = append(ls, label(fmt.Sprint(k)))
		}
		if len(ls) == 0 {
			return q.In(lang, "（未选择）", "(none)")
		}
		return strings.Join(ls, q.In(lang, "、", "; "))
	case float64:
		if it.Type == q.TypeScenario {
			n := int(x)
			if n == 0 {
				return q.In(lang, "未开展", "not started")
			}
			if qn.Points != nil && n <= len(qn.Points.ScenarioLevels) {
				name := qn.Points.ScenarioLevels[n-1].Name
				if en {
					return "Level " + strconv.Itoa(n)
				}
				return name
			}
			return strconv.Itoa(n)
		}
		return it.ValueIn(lang, x)
	}
	return string(a.Value)
}

// Change is what moved between a firm's previous diagnosis and this one.
type Change struct {
	PreviousID                    string
	PreviousDate                  time.Time // finished, else created
	LevelBefore, LevelAfter       int
	ScoreBefore, ScoreAfter       float64
	EstimateBefore, EstimateAfter bool
	Groups                        []GroupChange // sub-domains (cmmm) or top-level sections (points, ai)
	ImprovedItems, WorsenedItems  int           // items answered both times whose value rose or fell
}

// GroupChange is one sub-domain's or section's score then and now. New is true when the group
// had no score last time (not in that questionnaire version, or nothing applicable).
type GroupChange struct {
	ID            string
	Before, After float64
	New           bool
}

// Delta is After − Before, rounded to two places so that 0.1+0.2 prints as 0.3.
func (g GroupChange) Delta() float64 { return round(g.After-g.Before, 2) }

// Compare scores both documents, each against its own questionnaire version, and lists the level,
// the score and every group present now with its score then. Items are compared by id.
func Compare(prev *Previous, qn *q.Questionnaire, d *Document) *Change {
	before, after := Score(prev.Q, prev.Doc), Score(qn, d)
	c := &Change{
		PreviousID: prev.Doc.ID, PreviousDate: prev.Doc.Created,
		LevelBefore: before.Level, LevelAfter: after.Level,
		ScoreBefore: before.Score, ScoreAfter: after.Score,
		EstimateBefore: before.Estimate, EstimateAfter: after.Estimate,
	}
	if prev.Doc.Finished != nil {
		c.PreviousDate = *prev.Doc.Finished
	}
	groups := func(r *Result) []GroupScore {
		if len(r.SubDomains) > 0 {
			out := make([]GroupScore, len(r.SubDomains))
			for i, s := range r.SubDomains {
				out[i] = GroupScore{ID: s.ID, Name: s.Name, Score: s.Score, Level: s.Level}
			}
			return out
		}
		return r.Domains
	}
	then := map[string]float64{}
	for _, g := range groups(before) {
		then[g.ID] = g.Score
	}
	for _, g := range groups(after) {
		b, ok := then[g.ID]
		c.Groups = append(c.Groups, GroupChange{ID: g.ID, Before: b, After: g.Score, New: !ok})
	}
	for _, it := range qn.Items() {
		pit, ok := prev.Q.Item(it.ID)
		if !ok {
			continue
		}
		a, b := itemValue(qn, it, d.Answer(it.ID)), itemValue(prev.Q, pit, prev.Doc.Answer(it.ID))
		switch {
		case a == nil || b == nil:
		case *a > *b:
			c.ImprovedItems++
		case *a < *b:
			c.WorsenedItems++
		}
	}
	return c
}

// itemValue is an answer's value as scored, for comparing the same item across two visits: the
// scale value, the points earned, or a number; nil when unanswered or not applicable.
func itemValue(qn *q.Questionnaire, it *q.Item, a *Answer) *float64 {
	if a == nil || !a.HasValue() {
		return nil
	}
	v, err := parseValue(qn, it, a.Value)
	if err != nil || v.na {
		return nil
	}
	var x float64
	switch {
	case it.Type == q.TypeScale:
		x = v.score
	case it.Type == q.TypeNumber:
		x = v.number
	default:
		x = pointsOf(it, v)
	}
	return &x
}
