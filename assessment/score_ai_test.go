package assessment

import (
	"encoding/json"
	"testing"

	q "smartdiag/questionnaires"
)

func bundledAI(t testing.TB) *q.Questionnaire {
	t.Helper()
	qn, err := q.Lookup("ai-2026", "")
	if err != nil {
		t.Fatal(err)
	}
	return qn
}

// withStages answers every scenario item with a stage, then applies the other answers.
func withStages(qn *q.Questionnaire, stage int, answers map[string]any) map[string]any {
	out := map[string]any{}
	for _, it := range qn.Items() {
		if it.Type == q.TypeScenario {
			out[it.ID] = stage
		}
	}
	for k, v := range answers {
		out[k] = v
	}
	return out
}

func TestAIAreaLevel(t *testing.T) {
	p := bundledAI(t).AI
	tests := []struct {
		name      string
		stages    []int
		readiness float64
		want      int
	}{
		{"nothing built", []int{0, 0, 0}, 1, 0},
		{"digital only", []int{1, 1, 1}, 1, 0},
		{"one planned", []int{2, 0, 1}, 0, 1},
		{"pilot without readiness", []int{3, 0, 0}, 0.29, 1},
		{"pilot at the readiness floor", []int{3, 0, 0}, 0.3, 2},
		{"in operation, readiness too low for 三级", []int{4, 1, 0}, 0.45, 2},
		{"in operation", []int{4, 1, 0}, 0.5, 3},
		{"two running but none scaled", []int{4, 4, 3}, 1, 3},
		{"two running, one scaled", []int{5, 4, 0}, 0.7, 4},
		{"scaled but readiness short", []int{5, 4, 0}, 0.69, 3},
		{"one scaled alone is not 四级", []int{5, 1, 1}, 1, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AIAreaLevel(p, tt.stages, tt.readiness); got != tt.want {
				t.Errorf("AIAreaLevel(%v, %v) = %d, want %d", tt.stages, tt.readiness, got, tt.want)
			}
		})
	}
}

func TestAIOverallLevel(t *testing.T) {
	p := bundledAI(t).AI
	tests := []struct {
		name       string
		areas      []int
		foundation float64
		want       int
	}{
		{"no area", []int{0, 0, 0, 0, 0}, 1, 0},
		{"one exploring area", []int{1, 0, 0, 0, 0}, 0, 1},
		{"one piloting area, weak foundation", []int{2, 0, 0, 0, 0}, 0.2, 1},
		{"one piloting area", []int{2, 0, 0, 0, 0}, 0.3, 2},
		{"one applied area is not 三级", []int{3, 1, 0, 0, 0}, 1, 2},
		{"two applied areas", []int{3, 3, 0, 0, 0}, 0.5, 3},
		{"two applied areas, foundation short", []int{3, 3, 0, 0, 0}, 0.49, 2},
		{"three deepening areas", []int{4, 4, 4, 0, 0}, 0.7, 4},
		{"two deepening areas", []int{4, 4, 3, 0, 0}, 1, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AIOverallLevel(p, tt.areas, tt.foundation); got != tt.want {
				t.Errorf("AIOverallLevel(%v, %v) = %d, want %d", tt.areas, tt.foundation, got, tt.want)
			}
		})
	}
}

// Whole documents against the bundled questionnaire, through Score.
func TestScoreAI(t *testing.T) {
	qn := bundledAI(t)
	// A firm that only keeps digital records: everything at 已数字化, data basics partly there.
	low := withStages(qn, 1, map[string]any{"AI-RD-D": "central", "AI-PM-D": "partial", "AI-QC-D": "system", "AI-OM-D": "systems", "AI-SC-D": "erp",
		"AI-FD-01": "none", "AI-FD-02": []string{"none"}, "AI-FD-03": "some", "AI-FD-04": "none", "AI-FD-05": "none", "AI-FD-06": "none", "AI-FD-07": "none", "AI-FD-08": "none"})
	// Piloting vision inspection, running fault prediction and scheduling.
	pilot := map[string]any{}
	for k, v := range low {
		pilot[k] = v
	}
	for k, v := range map[string]any{
		"AI-QC-01": 3, "AI-QC-E": "compare", "AI-QC-P": "owner", "AI-QC-D": "linked",
		"AI-PM-03": 4, "AI-PM-01": 4, "AI-PM-E": "compare", "AI-PM-P": "owner", "AI-PM-D": "platform",
		"AI-FD-01": "plan", "AI-FD-02": []string{"cloud", "edge"}, "AI-FD-03": "rules", "AI-FD-05": "rules", "AI-FD-07": "written", "AI-FD-08": "practice",
	} {
		pilot[k] = v
	}
	tests := []struct {
		name                  string
		answers               map[string]any
		level                 int
		areas                 map[string]int
		built, usingAI        int
		share                 float64
		excellent, lighthouse bool
		complete              bool
	}{
		{name: "empty draft", answers: map[string]any{}, level: 0, areas: map[string]int{"production": 0}},
		{name: "digital, no AI", answers: low, level: 0, areas: map[string]int{"rd": 0, "quality": 0}, built: 18, complete: true},
		{name: "piloting firm", answers: pilot, level: 2, areas: map[string]int{"production": 3, "quality": 2, "rd": 0},
			built: 18, usingAI: 2, share: 0.1111, complete: true},
		{name: "everything scaled", answers: withStages(qn, 5, map[string]any{"AI-RD-E": "tracked", "AI-RD-D": "dataset", "AI-RD-P": "team",
			"AI-PM-E": "tracked", "AI-PM-D": "labelled", "AI-PM-P": "team", "AI-QC-E": "tracked", "AI-QC-D": "labelled", "AI-QC-P": "team",
			"AI-OM-E": "tracked", "AI-OM-D": "warehouse", "AI-OM-P": "team", "AI-SC-E": "tracked", "AI-SC-D": "shared", "AI-SC-P": "team",
			"AI-FD-01": "budget", "AI-FD-02": []string{"gpu", "cloud", "industry-llm"}, "AI-FD-03": "mature", "AI-FD-04": "team",
			"AI-FD-05": "audited", "AI-FD-06": "monitor", "AI-FD-07": "enforced", "AI-FD-08": "drilled"}),
			level: 4, areas: map[string]int{"rd": 4, "supply": 4}, built: 18, usingAI: 18, share: 1, excellent: true, lighthouse: true, complete: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := docWith(t, qn, "discrete", tt.answers)
			r := Score(qn, d)
			if r.AI == nil {
				t.Fatal("no AI result")
			}
			if r.Level != tt.level || r.AI.Level != tt.level || r.LevelName != qn.LevelName(tt.level) {
				t.Errorf("level %d (ai %d, %q), want %d", r.Level, r.AI.Level, r.LevelName, tt.level)
			}
			for _, a := range r.AI.Areas {
				if want, ok := tt.areas[a.ID]; ok && a.Level != want {
					t.Errorf("area %s: level %d (readiness %.2f), want %d", a.ID, a.Level, a.Readiness, want)
				}
			}
			if r.AI.Built != tt.built || r.AI.UsingAI != tt.usingAI || !near(r.AI.Share, tt.share) {
				t.Errorf("built %d using %d share %v, want %d %d %v", r.AI.Built, r.AI.UsingAI, r.AI.Share, tt.built, tt.usingAI, tt.share)
			}
			if len(r.AI.ShareTargets) != 2 || r.AI.ShareTargets[0].Met != tt.excellent || r.AI.ShareTargets[1].Met != tt.lighthouse {
				t.Errorf("share targets %+v", r.AI.ShareTargets)
			}
			if r.Complete != tt.complete {
				t.Errorf("complete %v, missing %v", r.Complete, r.Missing)
			}
			if len(r.AI.Scenarios) != 18 || len(r.AI.Areas) != 5 {
				t.Errorf("%d scenarios, %d areas", len(r.AI.Scenarios), len(r.AI.Areas))
			}
		})
	}
}

// The follow-ups on effect and people only count once an area pilots something, so a firm with
// no AI is not marked down for effects it cannot have.
func TestScoreAIHidesEffectWithoutPilot(t *testing.T) {
	qn := bundledAI(t)
	d := docWith(t, qn, "discrete", withStages(qn, 1, map[string]any{"AI-RD-D": "dataset", "AI-RD-E": "none"}))
	r := Score(qn, d)
	if got := r.AI.Areas[0].Readiness; got != 1 {
		t.Errorf("rd readiness %v, want 1 (only the data item is relevant)", got)
	}
}

func TestScoreAIJSON(t *testing.T) {
	qn := bundledAI(t)
	r := Score(qn, docWith(t, qn, "process", map[string]any{"AI-QC-01": 4}))
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Scoring string `json:"scoring"`
		AI      struct {
			Level int     `json:"level"`
			Share float64 `json:"share"`
			Areas []struct {
				ID    string
				Level int
			} `json:"areas"`
			Scenarios []struct {
				ID        string `json:"id"`
				Stage     int    `json:"stage"`
				StageName string `json:"stage_name"`
			} `json:"scenarios"`
		} `json:"ai"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Scoring != "ai" || len(back.AI.Areas) != 5 || back.AI.Share != 1 {
		t.Errorf("json: %s", b)
	}
	for _, s := range back.AI.Scenarios {
		if s.ID == "AI-QC-01" && (s.Stage != 4 || s.StageName != "AI运行") {
			t.Errorf("AI-QC-01 in json: %+v", s)
		}
	}
	// A cmmm result carries no ai key at all.
	cm := loadFixture(t, "mini-cmmm.yaml")
	b, _ = json.Marshal(Score(cm, docWith(t, cm, "discrete", map[string]any{"*": "full"})))
	var m map[string]any
	json.Unmarshal(b, &m)
	if _, ok := m["ai"]; ok {
		t.Error("cmmm result has an ai key")
	}
}

// The plan puts an area's data foundations before the AI steps that need them.
func TestPlanAISequencesAfterData(t *testing.T) {
	qn := bundledAI(t)
	tests := []struct {
		name    string
		answers map[string]any
		item    string
		phase   string
		level   int
		after   string // an action that must come in an earlier phase, or ""
	}{
		{"planned vision, no labelled samples", map[string]any{"AI-QC-01": 2, "AI-QC-D": "none"}, "AI-QC-01", PhaseFar, 3, "AI-QC-D"},
		{"planned vision, samples partly there", map[string]any{"AI-QC-01": 2, "AI-QC-D": "system"}, "AI-QC-01", PhaseMid, 3, "AI-QC-D"},
		{"planned vision, samples labelled", map[string]any{"AI-QC-01": 2, "AI-QC-D": "labelled"}, "AI-QC-01", PhaseNear, 3, ""},
		{"pilot with linked data goes to operation", map[string]any{"AI-QC-01": 3, "AI-QC-D": "linked"}, "AI-QC-01", PhaseNear, 4, ""},
		{"running, next is scaling", map[string]any{"AI-PM-03": 4, "AI-PM-D": "platform"}, "AI-PM-03", PhaseMid, 5, ""},
		{"digital only: the first AI step is a pilot", map[string]any{"AI-SC-01": 1, "AI-SC-D": "accurate"}, "AI-SC-01", PhaseNear, 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := docWith(t, qn, "discrete", withStages(qn, 0, tt.answers))
			r := Score(qn, d)
			p := BuildPlan(qn, d, r, nil)
			var got, dep *Action
			for _, a := range p.Actions {
				switch a.ItemID {
				case tt.item:
					got = a
				case tt.after:
					dep = a
				}
			}
			if got == nil {
				t.Fatalf("no action for %s", tt.item)
			}
			if got.Phase != tt.phase || got.Level != tt.level {
				t.Errorf("%s: phase %s level %d (%s), want %s %d", tt.item, got.Phase, got.Level, got.ReasonZH, tt.phase, tt.level)
			}
			if tt.after != "" && (dep == nil || phaseIndex(dep.Phase) >= phaseIndex(got.Phase)) {
				t.Errorf("%s should come before %s: %+v", tt.after, tt.item, dep)
			}
		})
	}
	// Not-built scenarios get no AI action, and the recommended typical scenarios come from the
	// scenarios the plan raises.
	d := docWith(t, qn, "discrete", withStages(qn, 0, map[string]any{"AI-QC-01": 2}))
	p := BuildPlan(qn, d, Score(qn, d), nil)
	for _, a := range p.Actions {
		if it, _ := qn.Item(a.ItemID); it != nil && it.Type == q.TypeScenario && a.ItemID != "AI-QC-01" {
			t.Errorf("action for the unbuilt scenario %s", a.ItemID)
		}
	}
	if len(p.Scenarios) != 1 || p.Scenarios[0].ID != "O05" {
		t.Errorf("recommended scenarios %+v, want O05 only", p.Scenarios)
	}
	if p.CurrentLevel != 1 || p.TargetLevel != 2 {
		t.Errorf("levels %d → %d", p.CurrentLevel, p.TargetLevel)
	}
}

// A firm with every scenario digital and every area's data ready still starts only a few pilots at
// a time; the planned ones go first.
func TestPlanAIPacesPilots(t *testing.T) {
	qn := bundledAI(t)
	d := docWith(t, qn, "discrete", withStages(qn, 1, map[string]any{"AI-SC-02": 2,
		"AI-RD-D": "dataset", "AI-PM-D": "labelled", "AI-QC-D": "labelled", "AI-OM-D": "warehouse", "AI-SC-D": "shared"}))
	p := BuildPlan(qn, d, Score(qn, d), nil)
	n := map[string]int{}
	planned := ""
	for _, a := range p.Actions {
		if it, _ := qn.Item(a.ItemID); it != nil && it.Type == q.TypeScenario {
			n[a.Phase]++
			if a.ItemID == "AI-SC-02" {
				planned = a.Phase
			}
		}
	}
	if n[PhaseNear] != 2 || n[PhaseMid] != 3 || n[PhaseFar] != 13 {
		t.Errorf("pilots by phase %v, want 2 near, 3 mid, 13 far", n)
	}
	if planned != PhaseNear {
		t.Errorf("the planned AI-SC-02 is in phase %q, want near", planned)
	}
}

// The ai questionnaire's readiness sections give no maximum: max_score is what their items can
// earn (scenario stages are not points), and every domain says its own maximum. It was 0.
func TestScoreAIMaxScore(t *testing.T) {
	qn := bundledAI(t)
	want := 0.0
	for _, it := range qn.Items() {
		if it.Type != q.TypeScenario {
			want += it.MaxPoints()
		}
	}
	r := Score(qn, docWith(t, qn, "process", map[string]any{}))
	if want == 0 || r.MaxScore != round(want, 2) || r.Score > r.MaxScore {
		t.Fatalf("score %v / max %v, want max %v", r.Score, r.MaxScore, want)
	}
	sum := 0.0
	for _, d := range r.Domains {
		if d.Max <= 0 || d.Score > d.Max {
			t.Errorf("domain %s: %v / %v", d.ID, d.Score, d.Max)
		}
		sum += d.Max
	}
	if round(sum, 2) != r.MaxScore {
		t.Errorf("domains' maxima add up to %v, max_score %v", sum, r.MaxScore)
	}
}
