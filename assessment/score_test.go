package assessment

import (
	"math"
	"os"
	"slices"
	"testing"
	"time"

	q "smartdiag/questionnaires"
)

func loadFixture(t testing.TB, name string) *q.Questionnaire {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	qn, problems := q.Parse(name, data)
	if problems != nil {
		t.Fatalf("fixture %s: %v", name, problems)
	}
	return qn
}

var testEnterprise = Enterprise{
	Name:           "南京测试机械有限公司",
	CreditCode:     "91350100M000100Y43",
	Categories:     []string{"规上工业企业"},
	ProductionType: "discrete",
}

// docWith builds a document answering each item with the given scale key; items not listed stay
// unanswered. "*" sets every scored item not otherwise listed.
func docWith(t testing.TB, qn *q.Questionnaire, pt string, answers map[string]any) *Document {
	t.Helper()
	e := testEnterprise
	e.ProductionType = pt
	d, err := NewDocument(qn, e, Assessor{Name: "测试"}, time.Unix(1_780_000_000, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range qn.Items() {
		v, ok := answers[it.ID]
		if !ok && !it.KPI {
			v, ok = answers["*"]
		}
		if ok {
			if err := d.SetAnswer(qn, it.ID, v, time.Unix(1_780_000_100, 0)); err != nil {
				t.Fatalf("answer %s=%v: %v", it.ID, v, err)
			}
		}
	}
	return d
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScoreCMMM(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	// Weights: discrete a .5 b .3 c .2; process a .2 b .3 c .5. B2X shows only when B1 >= 0.8.
	tests := []struct {
		name        string
		pt          string
		answers     map[string]any
		level       int
		score       float64
		levelScores []float64
		complete    bool
	}{
		{
			name:        "all met gives 5.0",
			pt:          "discrete",
			answers:     map[string]any{"*": "full"},
			level:       5,
			score:       5,
			levelScores: []float64{1, 1, 1, 1, 1},
			complete:    true,
		},
		{
			name: "nothing met gives T1",
			pt:   "discrete",
			// T1 = .5*.5 + .3*1 + .2*0 = .55; B1 full makes B2X relevant (answered none).
			answers:     map[string]any{"*": "none", "A1": "part", "B1": "full"},
			level:       0,
			score:       0.55,
			levelScores: []float64{0.55, 0, 0, 0, 0},
			complete:    true,
		},
		{
			name: "a met level above an unmet one does not count",
			pt:   "discrete",
			answers: map[string]any{"*": "none", "A1": "full", "B1": "full", "C1": "full",
				"A3": "full", "B3": "full", "C3": "full"},
			level:       1,
			score:       1,
			levelScores: []float64{1, 0, 1, 0, 0},
			complete:    true,
		},
		{
			name: "most (0.8) exactly meets the threshold",
			pt:   "discrete",
			// Level 2: a .8, b mean(B2 .8, B2X .8), c .8 → T2 = .8, met; level 3 none.
			answers:     map[string]any{"*": "none", "A1": "full", "B1": "full", "C1": "full", "A2": "most", "B2": "most", "B2X": "most", "C2": "most"},
			level:       2,
			score:       2,
			levelScores: []float64{1, 0.8, 0, 0, 0},
			complete:    true,
		},
		{
			name: "N/A leaves the sub-domain out of that level's mean",
			pt:   "discrete",
			// Level 2: a N/A; b: B2 full, B2X none → .5; c none. T2 = (.3*.5 + .2*0)/.5 = .3.
			answers: map[string]any{"*": "none", "A1": "full", "B1": "full", "C1": "full",
				"A2": "na", "B2": "full", "B2X": "none"},
			level:       1,
			score:       1.3,
			levelScores: []float64{1, 0.3, 0, 0, 0},
			complete:    true,
		},
		{
			name: "weights for discrete",
			pt:   "discrete",
			// C1P is process-only and left out. T1 = .5*1 + .3*.5 + .2*0 = .65.
			answers:     map[string]any{"*": "none", "A1": "full", "B1": "part", "C1": "none"},
			level:       0,
			score:       0.65,
			levelScores: []float64{0.65, 0, 0, 0, 0},
			complete:    true,
		},
		{
			name: "weights for process, with the process-only item",
			pt:   "process",
			// c at level 1 = mean(C1 0, C1P 1) = .5. T1 = .2*1 + .3*.5 + .5*.5 = .6.
			answers:     map[string]any{"*": "none", "A1": "full", "B1": "part", "C1": "none", "C1P": "full"},
			level:       0,
			score:       0.6,
			levelScores: []float64{0.6, 0, 0, 0, 0},
			complete:    true,
		},
		{
			name: "a type without a weight table gets the mean table",
			pt:   "mixed",
			// Mean weights a .35 b .3 c .35; a mixed firm also sees the process-only C1P (none).
			// T1 = .35*1 + .3*0 + .35*mean(1, 0) = .525.
			answers:     map[string]any{"*": "none", "A1": "full", "B1": "none", "C1": "full"},
			level:       0,
			score:       0.525,
			levelScores: []float64{0.525, 0, 0, 0, 0},
			complete:    true,
		},
		{
			name: "a sub-domain with nothing applicable drops out and weights renormalise",
			pt:   "discrete",
			// c all N/A: weights a .5/.8, b .3/.8. T1 = .625*1 + .375*.5 = .8125 → met.
			// T2 = .625*1 + .375*mean(B2 none) = .625 (B2X hidden: B1 is .5).
			answers: map[string]any{"*": "none", "A1": "full", "B1": "part", "A2": "full",
				"C1": "na", "C2": "na", "C3": "na", "C4": "na", "C5": "na"},
			level:       1,
			score:       1.625,
			levelScores: []float64{0.8125, 0.625, 0, 0, 0},
			complete:    true,
		},
		{
			name: "a level with nothing applicable is passed over",
			pt:   "discrete",
			// Level 2 all N/A (B1 is full, so B2X is shown and answered N/A too).
			answers: map[string]any{"*": "full", "A2": "na", "B2": "na", "B2X": "na", "C2": "na",
				"A4": "none", "B4": "none", "C4": "none"},
			level:       3,
			score:       3,
			levelScores: []float64{1, 0, 1, 0, 1},
			complete:    true,
		},
		{
			name: "levels above the highest assessed one cannot be met",
			pt:   "discrete",
			answers: map[string]any{"*": "full", "A4": "na", "B4": "na", "C4": "na",
				"A5": "na", "B5": "na", "C5": "na"},
			level:       3,
			score:       3,
			levelScores: []float64{1, 1, 1, 0, 0},
			complete:    true,
		},
		{
			name: "a draft counts unanswered required items as not met",
			pt:   "discrete",
			// Only A1 and B1 answered: T1 = .5 + .3 + .2*0 = .8 → met; T2 = 0 with B2X missing too.
			answers:     map[string]any{"A1": "full", "B1": "full"},
			level:       1,
			score:       1,
			levelScores: []float64{0.8, 0, 0, 0, 0},
			complete:    false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := docWith(t, qn, tt.pt, tt.answers)
			r := Score(qn, d)
			if r.Level != tt.level || !near(r.Score, tt.score) {
				t.Errorf("level %d score %v, want level %d score %v", r.Level, r.Score, tt.level, tt.score)
			}
			for i, want := range tt.levelScores {
				if !near(r.LevelScores[i], want) {
					t.Errorf("T%d = %v, want %v (all %v)", i+1, r.LevelScores[i], want, r.LevelScores)
				}
			}
			if r.Complete != tt.complete {
				t.Errorf("complete = %v, want %v (missing %v)", r.Complete, tt.complete, r.Missing)
			}
		})
	}
}

func TestScoreDraftListsMissing(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	d := docWith(t, qn, "discrete", map[string]any{"A1": "full", "B1": "part"})
	r := Score(qn, d)
	// B2X is hidden (B1 = .5), C1P is process-only, K1 is optional: none of them is missing.
	want := []string{"A2", "A3", "A4", "A5", "B2", "B3", "B4", "B5", "C1", "C2", "C3", "C4", "C5"}
	if !slices.Equal(r.Missing, want) {
		t.Errorf("missing = %v, want %v", r.Missing, want)
	}
	if err := d.Finish(qn, time.Now()); err == nil {
		t.Error("Finish succeeded on an incomplete draft")
	}
	for _, id := range want {
		d.SetAnswer(qn, id, "none", time.Now())
	}
	if err := d.Finish(qn, time.Now()); err != nil {
		t.Errorf("Finish on a complete draft: %v", err)
	}
	if err := d.SetAnswer(qn, "A1", "none", time.Now()); err == nil {
		t.Error("a finished document accepted a changed answer")
	}
}

func TestScoreGroupsAndTracks(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	// a (智改) all full; b (数转) levels 1–2 full; c (网联) nothing.
	d := docWith(t, qn, "discrete", map[string]any{"*": "none",
		"A1": "full", "A2": "full", "A3": "full", "A4": "full", "A5": "full",
		"B1": "full", "B2": "full", "B2X": "full"})
	r := Score(qn, d)
	// Domain d1 = {a .5, b .3}: T = 1, 1, .625, .625 → level 2, score 2.625. d2 = {c}: 0.
	wantDomains := map[string]float64{"d1": 2.625, "d2": 0}
	for _, g := range r.Domains {
		if !near(g.Score, wantDomains[g.ID]) {
			t.Errorf("domain %s = %v, want %v", g.ID, g.Score, wantDomains[g.ID])
		}
	}
	wantSub := map[string]float64{"a": 5, "b": 2, "c": 0}
	for _, s := range r.SubDomains {
		if !near(s.Score, wantSub[s.ID]) {
			t.Errorf("sub-domain %s = %v, want %v", s.ID, s.Score, wantSub[s.ID])
		}
	}
	if len(r.Elements) != 2 || !near(r.Elements[0].Score, 2.625) {
		t.Errorf("elements = %+v", r.Elements)
	}
	// Tracks: 智改 5/5; 数转 3 of 6 (B1, B2, B2X of B1..B5 + B2X); 网联 0 of 5 (C1P not shown).
	want := map[string]float64{"智改": 100, "数转": 50, "网联": 0}
	for k, v := range want {
		if !near(r.Tracks[k], v) {
			t.Errorf("track %s = %v, want %v", k, r.Tracks[k], v)
		}
	}
}

func TestScorePoints(t *testing.T) {
	qn := loadFixture(t, "mini-points.yaml")
	tests := []struct {
		name    string
		answers map[string]any
		score   float64
		level   int
	}{
		{"nothing", map[string]any{"P-NET": "none", "P-SYS": []string{}, "P-RATE": 10, "S-A": 0, "S-B": 0, "P-Q": "no"}, 0, 0},
		// net 2; sys: erp+mes 6 capped 5, rate 85 → 3, section sys 8 (max 8); base 10 (cap 12).
		{"base only, no scenario at level 2", map[string]any{"P-NET": "office", "P-SYS": []string{"erp", "mes"}, "P-RATE": 85, "S-A": 1, "S-B": 1, "P-Q": "no"}, 10, 1},
		{"level 2 with one scenario at 2", map[string]any{"P-NET": "office", "P-SYS": []string{"erp", "mes"}, "P-RATE": 85, "S-A": 1, "S-B": 2, "P-Q": "no"}, 10, 2},
		// base: net 6 + sys 8 = 14 capped 12; bonus 10 → 22. Level 3 needs two mandatory scenarios at 3:
		// only S-A is mandatory, so level 2.
		{"section caps and mandatory-only rule", map[string]any{"P-NET": "plant", "P-SYS": []string{"erp", "mes", "wms"}, "P-RATE": 100, "S-A": 3, "S-B": 3, "P-Q": "yes"}, 22, 2},
		{"band edges", map[string]any{"P-NET": "none", "P-SYS": []string{"wms"}, "P-RATE": 50, "S-A": 0, "S-B": 0, "P-Q": "no"}, 4, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := docWith(t, qn, "discrete", tt.answers)
			r := Score(qn, d)
			if !near(r.Score, tt.score) || r.Level != tt.level {
				t.Errorf("score %v level %d, want %v level %d (sections %+v)", r.Score, r.Level, tt.score, tt.level, r.Sections)
			}
			if r.MaxScore != 22 {
				t.Errorf("max score %v, want 22", r.MaxScore)
			}
		})
	}
}

func TestSetAnswerRejectsBadValues(t *testing.T) {
	qn := loadFixture(t, "mini-points.yaml")
	d := docWith(t, qn, "discrete", nil)
	bad := []struct {
		id  string
		val any
	}{
		{"P-NET", "wifi"},
		{"P-NET", 3},
		{"P-SYS", "erp"},
		{"P-SYS", []string{"erp", "erp"}},
		{"P-RATE", 120},
		{"P-RATE", "八十"},
		{"S-A", 4},
		{"S-A", 1.5},
		{"P-SYS", []string{"erp", "nothing"}},
		{"NOPE", "x"},
	}
	for _, b := range bad {
		if err := d.SetAnswer(qn, b.id, b.val, time.Now()); err == nil {
			t.Errorf("SetAnswer(%s, %v) accepted", b.id, b.val)
		}
	}
	if len(d.Answers) != 0 {
		t.Errorf("rejected answers were stored: %v", d.Answers)
	}
}

func TestRelevanceHidesStaleFollowUps(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	d := docWith(t, qn, "discrete", map[string]any{"B1": "full", "B2X": "none"})
	if !Relevant(qn, d)["B2X"] {
		t.Fatal("B2X hidden although B1 is full")
	}
	d.SetAnswer(qn, "B1", "part", time.Now())
	if Relevant(qn, d)["B2X"] {
		t.Error("B2X still shown after B1 dropped to part")
	}
	if d.Answers["B2X"] == nil {
		t.Error("the hidden item's answer was deleted; it must be kept in case B1 changes back")
	}
}

// The weights of a firm whose production type the model has no column for are the mean over the
// types, the same to the last bit on every call: summed in map order they were not, and a plan's
// gain printed to three places changed between two runs on one file.
func TestWeightsOfUnknownProductionTypeAreStable(t *testing.T) {
	qn, err := q.Lookup("cmmm-full", "")
	if err != nil {
		t.Fatal(err)
	}
	first := Weights(qn, "")
	for range 200 {
		w := Weights(qn, "")
		for sd, x := range first {
			if w[sd] != x {
				t.Fatalf("%s: %v, then %v", sd, x, w[sd])
			}
		}
	}
}
