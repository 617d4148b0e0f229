package assessment

import (
	"slices"
	"strings"
	"testing"

	q "smartdiag/questionnaires"
)

// A firm at 四级 overall whose sub-domain C is below 一级 gets C's fixes first, lowest level first,
// before any 五级 work.
func TestPlanFoundationsFirst(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	d := docWith(t, qn, "discrete", map[string]any{"*": "full", "A5": "none", "B5": "none",
		"C1": "none", "C2": "none", "C3": "none", "C4": "none", "C5": "none"})
	r := Score(qn, d)
	if r.Level != 4 {
		t.Fatalf("level %d, want 4", r.Level)
	}
	p := BuildPlan(qn, d, r, nil)
	var got []string
	for _, a := range p.Actions {
		got = append(got, a.ItemID+":"+a.Tier+":"+a.Phase)
	}
	want := []string{"C1:foundation:near", "C2:foundation:near", "C3:foundation:near", "C4:foundation:near",
		"A5:next:mid", "B5:next:mid", "C5:next:mid"}
	if !slices.Equal(got, want) {
		t.Errorf("plan order\n got %v\nwant %v", got, want)
	}
}

// The example on the real questionnaire: a 四级 firm with three sub-domains below 一级.
func TestPlanFoundationsFirstCMMMFull(t *testing.T) {
	qn, err := q.Lookup("cmmm-full", "")
	if err != nil {
		t.Fatal(err)
	}
	lagging := map[string]bool{"strategy": true, "security": true, "energy": true}
	answers := map[string]any{"*": "full"}
	for _, it := range qn.Items() {
		if it.KPI {
			continue
		}
		if it.Level == 5 || lagging[it.SubDomain.ID] {
			answers[it.ID] = "none"
		}
	}
	d := docWith(t, qn, "discrete", answers)
	r := Score(qn, d)
	if r.Level != 4 {
		t.Fatalf("level %d, want 4", r.Level)
	}
	p := BuildPlan(qn, d, r, nil)
	nFound := 0
	for _, a := range p.Actions {
		if a.Tier == TierFoundation {
			nFound++
		}
	}
	if nFound == 0 {
		t.Fatal("no foundation actions")
	}
	prevLevel := 0
	for i, a := range p.Actions[:nFound] {
		if a.Tier != TierFoundation || !lagging[a.GroupID] || a.Level > 4 || a.Phase != PhaseNear {
			t.Fatalf("action %d = %s (%s, level %d, %s, %s): want the lagging sub-domains' foundations first", i+1, a.ItemID, a.GroupID, a.Level, a.Tier, a.Phase)
		}
		if a.Level < prevLevel {
			t.Errorf("%s level %d after level %d", a.ItemID, a.Level, prevLevel)
		}
		prevLevel = a.Level
	}
	if p.Actions[0].Level != 1 {
		t.Errorf("first action at level %d, want 1", p.Actions[0].Level)
	}
	for _, a := range p.Actions {
		if a.Score >= 1 {
			t.Errorf("%s is already fully met but recommended", a.ItemID)
		}
	}
	checkProjects(t, p)
}

// A firm below 一级 gets a plan that reaches 远期.
func TestPlanFarTermForLowLevelFirm(t *testing.T) {
	for _, id := range []string{"cmmm-full", "zgsz-quick"} {
		qn, err := q.Lookup(id, "")
		if err != nil {
			t.Fatal(err)
		}
		d := docWith(t, qn, "discrete", map[string]any{"*": "none"})
		r := Score(qn, d)
		if r.Level != 0 {
			t.Fatalf("%s: level %d", id, r.Level)
		}
		p := BuildPlan(qn, d, r, nil)
		if len(p.ByPhase()[PhaseFar]) == 0 {
			t.Errorf("%s: 远期 is empty for a firm below 一级", id)
		}
		if len(p.ByPhase()[PhaseNear]) == 0 || len(p.ByPhase()[PhaseMid]) == 0 {
			t.Errorf("%s: near %d, mid %d", id, len(p.ByPhase()[PhaseNear]), len(p.ByPhase()[PhaseMid]))
		}
		checkProjects(t, p)
	}
}

// sme-2024: a firm running ERP and MES is not told to introduce them.
func TestPlanPointsSkipsWhatTheFirmHas(t *testing.T) {
	qn, err := q.Lookup("sme-2024", "1.0.0") // the released 1.0.0 items this test names (2.0.0 replaced them)
	if err != nil {
		t.Fatal(err)
	}
	d := docWith(t, qn, "discrete", map[string]any{"B-SYS-1": []string{"erp", "mes", "cad"}, "B-DATA-2": []string{"equipment"}})
	p := BuildPlan(qn, d, Score(qn, d), nil)
	seen := 0
	for _, a := range p.Actions {
		switch a.ItemID {
		case "B-SYS-1":
			seen++
			_, next, ok := strings.Cut(a.Text, "下一步补充：")
			if !ok || strings.Contains(next, "ERP") || strings.Contains(next, "MES") || strings.Contains(next, "CAD") || !strings.Contains(next, "PLM") {
				t.Errorf("B-SYS-1 action %q", a.Text)
			}
		case "B-DATA-2":
			seen++
			if _, next, _ := strings.Cut(a.Text, "下一步补充："); strings.Contains(next, "设备运行状态") {
				t.Errorf("B-DATA-2 action %q recommends what is collected already", a.Text)
			}
		}
	}
	if seen != 2 {
		t.Errorf("%d of the two partly-met multi items in the plan", seen)
	}
}

func checkProjects(t *testing.T, p *Plan) {
	t.Helper()
	cat := q.BundledProjects()
	inProject := map[string]string{}
	for i, pp := range p.Projects {
		if pp.Seq != i+1 || len(pp.Actions) == 0 || pp.InvestmentWan[1] < pp.InvestmentWan[0] || pp.Months[0] <= 0 {
			t.Errorf("project %+v", pp)
		}
		for _, id := range pp.Actions {
			inProject[id] = pp.ID
		}
		// A prerequisite that starts no later is sequenced before.
		for _, pre := range pp.Prerequisites {
			pr := p.ProjectOf(pre)
			if phaseIndex(pr.Phase) <= phaseIndex(pp.Phase) && pr.Seq > pp.Seq {
				t.Errorf("%s (seq %d) before its prerequisite %s (seq %d)", pp.ID, pp.Seq, pre, pr.Seq)
			}
		}
		if i > 0 && phaseIndex(pp.Phase) < phaseIndex(p.Projects[i-1].Phase) {
			t.Errorf("%s starts %s after %s starting %s", pp.ID, pp.Phase, p.Projects[i-1].ID, p.Projects[i-1].Phase)
		}
	}
	if n := len(p.Projects); n > 10 {
		t.Errorf("%d projects, want at most 10", n)
	}
	for _, a := range p.Actions {
		if a.Excluded || a.ItemID == "" {
			continue
		}
		if inProject[a.ItemID] != a.Project || cat.Project(a.Project) == nil {
			t.Errorf("%s: project %q, listed in %q", a.ItemID, a.Project, inProject[a.ItemID])
		}
	}
}

// A firm that meets every requirement gets an empty plan, not a nil one, and no projects.
func TestPlanNothingToDo(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	d := docWith(t, qn, "discrete", map[string]any{"*": "full"})
	p := BuildPlan(qn, d, Score(qn, d), nil)
	if p.Actions == nil || len(p.Actions) != 0 || p.Projects == nil || len(p.Projects) != 0 || p.Investment != [2]float64{} {
		t.Errorf("plan %+v", p)
	}
}

// A single-choice item past its first step is worded as the next option alone: the generic advice
// (write the rules) would ask for what the firm already has.
func TestPlanPointsSingleBeyondFirstStep(t *testing.T) {
	qn := loadFixture(t, "mini-points.yaml")
	for _, tc := range []struct{ answer, want string }{
		{"none", "由「无」提升到「办公网」：建网。"},
		{"office", "由「办公网」提升到「车间全覆盖」。"},
	} {
		d := docWith(t, qn, "discrete", map[string]any{"P-NET": tc.answer})
		for _, a := range BuildPlan(qn, d, Score(qn, d), nil).Actions {
			if a.ItemID == "P-NET" && a.Text != tc.want {
				t.Errorf("P-NET=%s: %q, want %q", tc.answer, a.Text, tc.want)
			}
		}
	}
}
