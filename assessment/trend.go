package assessment

import (
	"time"

	q "smartdiag/questionnaires"
)

// Trend is what the report's comparison page prints about an earlier diagnosis of the same firm:
// Compare's level, score and groups, with the track indices, and what became of the earlier plan's
// actions.
type Trend struct {
	EarlierID       string
	EarlierDate     time.Time
	EarlierVersion  string // questionnaire version of the earlier diagnosis
	Level           [2]int // earlier, now
	Score           [2]float64
	MaxScore        float64
	Tracks          []TrendRow
	Groups          []TrendRow // sub-domains (cmmm) or top-level sections (points, ai), as Compare gives them
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

// IsEarlierOf reports whether e is an earlier finished or sealed diagnosis of the same firm as d
// (same credit code) on the same questionnaire (any version), created no later than d: the rule of
// Workspace.FindPrevious, which finds it.
func IsEarlierOf(e, d *Document) bool {
	code := NormalizeCreditCode(d.Enterprise.CreditCode)
	return e != nil && e.ID != d.ID && e.Status != StatusDraft && code != "" &&
		NormalizeCreditCode(e.Enterprise.CreditCode) == code &&
		e.Questionnaire.ID == d.Questionnaire.ID && !e.Created.After(d.Created)
}

// CompareWithEarlier builds the trend of d (scored res, questionnaire qn) against the earlier
// diagnosis e of questionnaire qe. district may be nil.
func CompareWithEarlier(qn *q.Questionnaire, d *Document, res *Result, qe *q.Questionnaire, e *Document, district *q.District) *Trend {
	re := Score(qe, e)
	ch := Compare(&Previous{Doc: e, Q: qe}, qn, d)
	t := &Trend{
		EarlierID: e.ID, EarlierDate: ch.PreviousDate, EarlierVersion: e.Questionnaire.Version,
		Level: [2]int{ch.LevelBefore, ch.LevelAfter}, Score: [2]float64{ch.ScoreBefore, ch.ScoreAfter}, MaxScore: res.MaxScore,
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
	// Compare's groups: the sub-domains (cmmm) or the top-level sections (points, ai).
	names := map[string][2]string{}
	for _, sd := range qn.SubDomains() {
		names[sd.ID] = [2]string{sd.Name, sd.NameEN}
	}
	for _, g := range res.Domains {
		if _, ok := names[g.ID]; !ok {
			names[g.ID] = [2]string{g.Name, ""}
		}
	}
	for _, g := range ch.Groups {
		n := names[g.ID]
		t.Groups = append(t.Groups, TrendRow{ID: g.ID, Name: n[0], NameEN: n[1], Before: g.Before, After: g.After, HasBefore: !g.New, HasAfter: true})
	}

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
	env := newEnv(qn, d, nil)
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
