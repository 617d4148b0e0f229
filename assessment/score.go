package assessment

import (
	"maps"
	"math"
	"slices"

	q "smartdiag/questionnaires"
)

// Result is the score of one document. Its JSON form is the `smartdiag score --json` contract.
type Result struct {
	ID            string        `json:"id"`
	Enterprise    EnterpriseRef `json:"enterprise"`
	Questionnaire QRef          `json:"questionnaire"`
	Scoring       string        `json:"scoring"`
	Estimate      bool          `json:"estimate"`
	Status        string        `json:"status"`
	Complete      bool          `json:"complete"`
	Missing       []string      `json:"missing"`
	Level         int           `json:"level"`
	LevelName     string        `json:"level_name"`
	// Score is the maturity score 0–5 (cmmm) or the points total (points).
	Score       float64   `json:"score"`
	MaxScore    float64   `json:"max_score"`
	LevelScores []float64 `json:"level_scores,omitempty"` // cmmm: T_1..T_5
	// Domains: cmmm domains (score 0–5), or points top-level sections (score = points).
	Domains    []GroupScore       `json:"domains"`
	Elements   []GroupScore       `json:"elements,omitempty"`
	SubDomains []SubDomainScore   `json:"subdomains,omitempty"`
	Sections   []GroupScore       `json:"sections,omitempty"` // points: every section
	Scenarios  map[string]int     `json:"scenarios,omitempty"`
	Tracks     map[string]float64 `json:"tracks"`
	Answered   int                `json:"answered"`
	Relevant   int                `json:"relevant"`
	// Notes are KPI plausibility warnings (reference/kpi_rules.yaml); they never change the score.
	Notes []KPINote `json:"notes,omitempty"`
	// AI is the AI application result of an ai questionnaire (its Level is also Level).
	AI *AIResult `json:"ai,omitempty"`
}

// EnterpriseRef and QRef identify the document in a result.
type EnterpriseRef struct {
	Name       string `json:"name"`
	CreditCode string `json:"credit_code"`
}

type QRef struct {
	ID      string `json:"id"`
	Version string `json:"version"`
}

// GroupScore is the score of a domain, element or section.
type GroupScore struct {
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Score float64 `json:"score"`
	Max   float64 `json:"max,omitempty"`
	Level int     `json:"level"`
}

// SubDomainScore carries a sub-domain's mean at each level; nil where nothing was applicable.
type SubDomainScore struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Weight      float64    `json:"weight"`
	Score       float64    `json:"score"`
	Level       int        `json:"level"`
	LevelScores []*float64 `json:"level_scores"`
}

// metLevelEpsilon absorbs float rounding in means such as (1+0.8+0.6)/3 compared with 0.8.
const metLevelEpsilon = 1e-9

// Score scores a document against its questionnaire. Drafts may be scored: a required, relevant
// item without an answer counts as 0 (not met) and is listed in Missing, and Complete is false.
// N/A answers, items for other production types and hidden items are left out of every mean.
func Score(qn *q.Questionnaire, d *Document) *Result {
	r := ScoreWithoutNotes(qn, d)
	if len(qn.KPIs) > 0 || qn.Scoring == q.ScoringPoints {
		r.Notes = CheckKPIs(qn, d)
	}
	return r
}

// ScoreWithoutNotes is Score without Result.Notes, the KPI plausibility notes, which only the app
// and the report show: a tally or an import counts levels and indices of thousands of documents,
// and working out (and wording) the notes was a sixth of scoring them.
func ScoreWithoutNotes(qn *q.Questionnaire, d *Document) *Result {
	return ScoreCheckedWithoutNotes(qn, d, nil)
}

// ScoreCheckedWithoutNotes is ScoreWithoutNotes reading the values CheckValues decoded for qn and
// d, so that a document checked against its questionnaire is not decoded again to be scored (any
// other vals, nil included, are decoded as needed).
func ScoreCheckedWithoutNotes(qn *q.Questionnaire, d *Document, vals *Values) *Result {
	r := &Result{
		ID:            d.ID,
		Enterprise:    EnterpriseRef{Name: d.Enterprise.Name, CreditCode: d.Enterprise.CreditCode},
		Questionnaire: QRef{ID: qn.ID, Version: qn.Version},
		Scoring:       qn.Scoring,
		Estimate:      qn.Estimate,
		Status:        d.Status,
		Missing:       []string{},
		Tracks:        map[string]float64{},
	}
	vals = valuesFor(qn, d, vals) // each answer decoded once, for the conditions and the score
	env := newEnv(qn, d, vals)
	earned := map[string]float64{}
	possible := map[string]float64{}
	// scored holds the scored value of each item by index; nil for items left out of every mean.
	scored := make([]*value, len(qn.Items()))
	for _, it := range qn.Items() {
		if !env.isRelevant(it) {
			continue
		}
		r.Relevant++
		v, st := vals.get(it)
		if st == valueNone {
			if it.IsRequired() {
				r.Missing = append(r.Missing, it.ID)
				if !it.KPI {
					scored[it.Index] = &notMet
					possible[it.Track] += itemMax(qn, it)
				}
			}
			continue
		}
		r.Answered++
		if st != valueOK || v.na || it.KPI {
			continue
		}
		scored[it.Index] = v
		earned[it.Track] += itemPoints(qn, it, *v)
		possible[it.Track] += itemMax(qn, it)
	}
	r.Complete = len(r.Missing) == 0
	for _, t := range q.Tracks {
		if possible[t] > 0 {
			r.Tracks[t] = round(100*earned[t]/possible[t], 1)
		} else {
			r.Tracks[t] = 0
		}
	}
	if qn.Scoring == q.ScoringCMMM {
		scoreCMMM(qn, d, scored, r)
	} else {
		scorePoints(qn, scored, r)
	}
	if qn.AI != nil {
		scoreAI(qn, scored, r)
	}
	r.LevelName = qn.LevelName(r.Level)
	return r
}

// notMet is the value of a required item a draft has not answered (shared: scoring only reads
// values).
var notMet = value{missing: true}

// itemPoints and itemMax put every item on one footing for the track indices: a scale item earns
// its scale value out of 1, a point item its points out of its maximum, a scenario its level out
// of the top level.
func itemPoints(qn *q.Questionnaire, it *q.Item, v value) float64 {
	switch it.Type {
	case q.TypeScale:
		return v.score
	case q.TypeScenario:
		return v.number
	}
	return pointsOf(it, v)
}

func itemMax(qn *q.Questionnaire, it *q.Item) float64 {
	switch it.Type {
	case q.TypeScale:
		return 1
	case q.TypeScenario:
		return float64(len(qn.Points.ScenarioLevels))
	}
	return it.MaxPoints()
}

func pointsOf(it *q.Item, v value) float64 {
	if v.missing {
		return 0
	}
	switch it.Type {
	case q.TypeSingle:
		o, _ := it.Option(v.key)
		return o.Points
	case q.TypeMulti:
		sum := 0.0
		for _, k := range v.keys {
			o, _ := it.Option(k)
			sum += o.Points
		}
		if it.Cap > 0 {
			sum = min(sum, it.Cap)
		}
		return sum
	case q.TypeNumber:
		for _, b := range it.Bands {
			if it.InBand(b, v.number) {
				return b.Points
			}
		}
	}
	return 0
}

// Weights returns the sub-domain weights for a production type. A type the questionnaire gives no
// table for (or none at all) gets the mean of its tables, so a 混合型 firm is weighted between
// 离散型 and 流程型.
func Weights(qn *q.Questionnaire, productionType string) q.WeightMap {
	if w, ok := qn.CMMM.Weights[productionType]; ok {
		return w
	}
	// The mean over production types, summed in a fixed order: in map order the last bits differ
	// from run to run, and a gain printed to three places (0.0035) came out 0.003 or 0.004.
	out := q.WeightMap{}
	n := float64(len(qn.CMMM.Weights))
	for _, pt := range slices.Sorted(maps.Keys(qn.CMMM.Weights)) {
		for sd, x := range qn.CMMM.Weights[pt] {
			out[sd] += x / n
		}
	}
	return out
}

func scoreCMMM(qn *q.Questionnaire, d *Document, vals []*value, r *Result) {
	p := qn.CMMM
	nLevels := len(p.Levels)
	weights := Weights(qn, d.Enterprise.ProductionType)
	all := qn.SubDomains()
	// Per sub-domain: its weight and the mean of its applicable requirements at each level.
	type sdAcc struct {
		w     float64
		mean  []float64
		has   []bool
		index int
	}
	accs := make(map[*q.SubDomain]*sdAcc, len(all))
	for i, sd := range all {
		a := &sdAcc{w: weights[sd.ID], mean: make([]float64, nLevels), has: make([]bool, nLevels), index: i}
		n := make([]float64, nLevels)
		for _, it := range sd.Items {
			if v := vals[it.Index]; v != nil {
				a.mean[it.Level-1] += v.score
				n[it.Level-1]++
			}
		}
		for k := range nLevels {
			if n[k] > 0 {
				a.mean[k] /= n[k]
				a.has[k] = true
			}
		}
		accs[sd] = a
	}
	// maturity applies GB/T 39117-style rules to a set of sub-domains: T_k is the weighted mean of
	// the sub-domain means at level k over the sub-domains with anything applicable there; levels
	// are met bottom-up; S = n + T_(n+1). A level with nothing applicable in the group is passed
	// over like an N/A answer, except above the highest level that has anything applicable: a
	// questionnaire (or a group) that asks nothing at 四级 cannot award 四级.
	maturity := func(sds []*q.SubDomain) (levelScores []float64, level int, score float64) {
		levelScores = make([]float64, nLevels)
		group := make([]*sdAcc, len(sds))
		wsum := 0.0
		for i, sd := range sds {
			group[i] = accs[sd]
			wsum += group[i].w
		}
		assessed := make([]bool, nLevels)
		top := -1
		for k := range nLevels {
			num, den := 0.0, 0.0
			for _, a := range group {
				w := a.w
				if wsum == 0 {
					w = 1 // a group whose weights are all zero is scored unweighted
				}
				if a.has[k] && w > 0 {
					num += w * a.mean[k]
					den += w
				}
			}
			if den > 0 {
				levelScores[k], assessed[k], top = num/den, true, k
			}
		}
		for level <= top && (!assessed[level] || levelScores[level] >= p.Threshold-metLevelEpsilon) {
			level++
		}
		switch {
		case level == nLevels:
			return levelScores, level, float64(nLevels)
		case level > top:
			return levelScores, level, float64(level)
		}
		return levelScores, level, float64(level) + levelScores[level]
	}
	ls, level, score := maturity(all)
	r.Level, r.Score, r.MaxScore = level, round(score, 4), float64(ceilingLevel(qn))
	// Sized once (a tally scores thousands of documents); left nil when there is nothing to add,
	// as the JSON tells null from [].
	if nLevels > 0 {
		r.LevelScores = make([]float64, 0, nLevels)
	}
	if n := len(qn.Elements); n > 0 {
		r.Elements = make([]GroupScore, 0, n)
		nd := 0
		for _, e := range qn.Elements {
			nd += len(e.Domains)
		}
		if nd > 0 {
			r.Domains = make([]GroupScore, 0, nd)
		}
	}
	if len(all) > 0 {
		r.SubDomains = make([]SubDomainScore, 0, len(all))
	}
	for _, x := range ls {
		r.LevelScores = append(r.LevelScores, round(x, 4))
	}
	for _, e := range qn.Elements {
		var eSDs []*q.SubDomain
		for _, dm := range e.Domains {
			_, lv, s := maturity(dm.SubDomains)
			r.Domains = append(r.Domains, GroupScore{ID: dm.ID, Name: dm.Name, Score: round(s, 4), Max: float64(nLevels), Level: lv})
			eSDs = append(eSDs, dm.SubDomains...)
		}
		_, lv, s := maturity(eSDs)
		r.Elements = append(r.Elements, GroupScore{ID: e.ID, Name: e.Name, Score: round(s, 4), Max: float64(nLevels), Level: lv})
	}
	for _, sd := range all {
		a := accs[sd]
		_, lv, s := maturity([]*q.SubDomain{sd})
		sc := SubDomainScore{ID: sd.ID, Name: sd.Name, Weight: round(a.w, 6), Score: round(s, 4), Level: lv}
		sc.LevelScores = make([]*float64, nLevels)
		for k := range nLevels {
			if a.has[k] {
				m := round(a.mean[k], 4)
				sc.LevelScores[k] = &m
			}
		}
		r.SubDomains = append(r.SubDomains, sc)
	}
}

// ceilingLevel is the highest level a cmmm questionnaire asks about: no document can score above
// it (zgsz-quick asks up to 三级, so its ceiling is 3, not 5).
func ceilingLevel(qn *q.Questionnaire) int {
	top := 0
	for _, it := range qn.Items() {
		if !it.KPI {
			top = max(top, it.Level)
		}
	}
	return top
}

func scorePoints(qn *q.Questionnaire, vals []*value, r *Result) {
	p := qn.Points
	// walk returns a section's points and its maximum: the maximum the questionnaire gives it, or
	// where it gives none (the ai questionnaire's readiness sections), what its items can earn.
	var walk func(s *q.Section) (float64, float64)
	walk = func(s *q.Section) (float64, float64) {
		sum, most := 0.0, 0.0
		for _, it := range s.Items {
			if it.Type == q.TypeScenario {
				continue
			}
			most += it.MaxPoints()
			if v := vals[it.Index]; v != nil {
				sum += pointsOf(it, *v)
			}
		}
		for _, c := range s.Sections {
			cs, cm := walk(c)
			sum += cs
			most += cm
		}
		if s.Max > 0 {
			sum, most = min(sum, s.Max), s.Max
		}
		r.Sections = append(r.Sections, GroupScore{ID: s.ID, Name: s.Name, Score: round(sum, 2), Max: round(most, 2)})
		return sum, most
	}
	total, maxTotal := 0.0, 0.0
	for _, s := range qn.Sections {
		pts, most := walk(s)
		total += pts
		maxTotal += most
		r.Domains = append(r.Domains, GroupScore{ID: s.ID, Name: s.Name, Score: round(pts, 2), Max: round(most, 2)})
	}
	r.Scenarios = map[string]int{}
	for _, it := range qn.Items() {
		if it.Type == q.TypeScenario {
			if v := vals[it.Index]; v != nil {
				r.Scenarios[it.ID] = int(v.number)
			}
		}
	}
	r.Score, r.MaxScore = round(total, 2), round(maxTotal, 2)
	for _, l := range p.Levels {
		if total < l.MinScore-metLevelEpsilon {
			break
		}
		if rule := l.Scenarios; rule != nil && rule.MinCount > 0 {
			n := 0
			for id, lv := range r.Scenarios {
				it, _ := qn.Item(id)
				if lv >= rule.AtLevel && (!rule.MandatoryOnly || it.Mandatory) {
					n++
				}
			}
			if n < rule.MinCount {
				break
			}
		}
		r.Level = l.Level
	}
}

func round(x float64, places int) float64 {
	p := 0.0
	if places >= 0 && places < len(powersOf10) {
		p = powersOf10[places] // a tally rounds a few hundred figures per document
	} else {
		p = math.Pow(10, float64(places))
	}
	return math.Round(x*p) / p
}

// powersOf10 are math.Pow(10, i), which is exact for these (TestPowersOf10).
var powersOf10 = [...]float64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8}
