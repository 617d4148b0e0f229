package assessment

import (
	"time"

	q "smartdiag/questionnaires"
)

// Trend compares a diagnosis with an earlier diagnosis of the same firm (same credit code and
// questionnaire): level, score, track indices, domains and sub-domains then and now, and what
// became of the earlier plan's actions. The report prints it as a page of its own.
type Trend struct {
	EarlierID       string
	EarlierDate     time.Time
	EarlierVersion  string // questionnaire version of the earlier diagnosis
	Level           [2]int // earlier, now
	Score           [2]float64
	MaxScore        float64
	Tracks          []TrendRow
	Domains         []TrendRow
	SubDomains      []TrendRow // sorted as in the current questionnaire
	Done            []*Action  // earlier actions whose requirement is now fully met
	Improved        []*Action  // partly met now, better than then
	Open            []*Action  // no better than then
	EarlierActions  int        // the earlier plan's actions on questionnaire items (not excluded)
	NotApplicable   int        // earlier actions whose item no longer applies or no longer exists
	DifferentLevels bool       // the two questionnaire versions differ; rows match by id
}

// TrendRow is one compared score; Has* is false where that diagnosis has no such row.
type TrendRow struct {
	ID, Name, NameEN string
	Before, After    float64
	HasBefore        bool
	HasAfter         bool
}

// Delta is the change, 0 when either side is missing.
func (t TrendRow) Delta() float64 {
	if !t.HasBefore || !t.HasAfter {
		return 0
	}
	return t.After - t.Before
}

// DiagnosisDate is the day a diagnosis was finished, else its last update.
func DiagnosisDate(d *Document) time.Time {
	if d.Finished != nil {
		return *d.Finished
	}
	return d.Updated
}

// IsEarlierOf reports whether e is an earlier finished diagnosis of the same firm as d, on the
// same questionnaire (any version): what a trend can compare.
func IsEarlierOf(e, d *Document) bool {
	return e != nil && d != nil && e.ID != d.ID && e.Status != StatusDraft &&
		d.Enterprise.CreditCode != "" && e.Enterprise.CreditCode == d.Enterprise.CreditCode &&
		e.Questionnaire.ID == d.Questionnaire.ID && DiagnosisDate(e).Before(DiagnosisDate(d))
}

// CompareWithEarlier builds the trend of d (scored res, questionnaire qn) against the earlier
// diagnosis e of questionnaire qe. district may be nil.
func CompareWithEarlier(qn *q.Questionnaire, d *Document, res *Result, qe *q.Questionnaire, e *Document, district *q.District) *Trend {
	re := Score(qe, e)
	t := &Trend{
		EarlierID: e.ID, EarlierDate: DiagnosisDate(e), EarlierVersion: e.Questionnaire.Version,
		Level: [2]int{re.Level, res.Level}, Score: [2]float64{re.Score, res.Score}, MaxScore: res.MaxScore,
		DifferentLevels: qe.Version != qn.Version,
	}
	for _, tr := range q.Tracks {
		row := TrendRow{ID: tr, Name: tr}
		row.Before, row.HasBefore = re.Tracks[tr]
		row.After, row.HasAfter = res.Tracks[tr]
		if row.HasBefore || row.HasAfter {
			t.Tracks = append(t.Tracks, row)
		}
	}
	t.Domains = compareGroups(re.Domains, res.Domains, nil) // points: the top-level sections
	var before, after []GroupScore
	for _, s := range re.SubDomains {
		before = append(before, GroupScore{ID: s.ID, Name: s.Name, Score: s.Score, Level: s.Level})
	}
	for _, s := range res.SubDomains {
		after = append(after, GroupScore{ID: s.ID, Name: s.Name, Score: s.Score, Level: s.Level})
	}
	en := map[string]string{}
	for _, sd := range qn.SubDomains() {
		en[sd.ID] = sd.NameEN
	}
	t.SubDomains = compareGroups(before, after, en)

	// What became of the earlier plan: each action on a questionnaire item, judged by the
	// current answers.
	earlier := BuildPlan(qe, e, re, district)
	current := BuildPlan(qn, d, res, district)
	open := map[string]*Action{}
	for _, a := range current.Actions {
		if a.ItemID != "" {
			open[a.ItemID] = a
		}
	}
	env := newEnv(qn, d)
	for _, a := range earlier.Actions {
		if a.ItemID == "" || a.Excluded {
			continue
		}
		t.EarlierActions++
		it, ok := qn.Item(a.ItemID)
		if !ok || !env.isRelevant(it) {
			t.NotApplicable++
			continue
		}
		now, scored := itemCredit(qn, d, env, it)
		switch {
		case qn.Scoring == q.ScoringCMMM && scored && now >= 1,
			qn.Scoring != q.ScoringCMMM && open[a.ItemID] == nil:
			t.Done = append(t.Done, a)
		case qn.Scoring == q.ScoringCMMM && !scored:
			t.NotApplicable++ // answered 不适用 now
		case qn.Scoring == q.ScoringCMMM && now > a.Score:
			t.Improved = append(t.Improved, a)
		default:
			t.Open = append(t.Open, a)
		}
	}
	return t
}

// itemCredit is an item's credit 0–1 in the current answers (CMMM scale items); scored is false
// where it does not take part in the means (N/A, a KPI, not relevant).
func itemCredit(qn *q.Questionnaire, d *Document, env *answerEnv, it *q.Item) (float64, bool) {
	if !scoredValue(qn, d, env, it) {
		return 0, false
	}
	a := d.Answer(it.ID)
	if a == nil {
		return 0, true
	}
	v, err := parseValue(qn, it, a.Value)
	if err != nil {
		return 0, true
	}
	return v.score, true
}

// compareGroups pairs two lists of group scores by id, in the order of the current list, followed
// by groups only the earlier diagnosis had.
func compareGroups(before, after []GroupScore, en map[string]string) []TrendRow {
	idx := map[string]int{}
	var rows []TrendRow
	for _, g := range after {
		idx[g.ID] = len(rows)
		rows = append(rows, TrendRow{ID: g.ID, Name: g.Name, NameEN: en[g.ID], After: g.Score, HasAfter: true})
	}
	for _, g := range before {
		if i, ok := idx[g.ID]; ok {
			rows[i].Before, rows[i].HasBefore = g.Score, true
			continue
		}
		rows = append(rows, TrendRow{ID: g.ID, Name: g.Name, NameEN: en[g.ID], Before: g.Score, HasBefore: true})
	}
	return rows
}
