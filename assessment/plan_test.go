package assessment

import (
	"math"
	"testing"
	"time"

	q "smartdiag/questionnaires"
)

func TestPlanRanksBlockingGapsByGain(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	// Level 1 met (T1 = .5*.8 + .3 + .2 = .9); level 2: A2 none, B2 part, B2X full, C2 none.
	d := docWith(t, qn, "discrete", map[string]any{"*": "none", "A1": "most", "B1": "full", "C1": "full",
		"A2": "none", "B2": "part", "B2X": "full", "C2": "none"})
	r := Score(qn, d)
	if r.Level != 1 {
		t.Fatalf("level %d", r.Level)
	}
	p := BuildPlan(qn, d, r, nil)
	if p.TargetLevel != 2 {
		t.Errorf("target %d, want 2", p.TargetLevel)
	}
	want := []struct {
		id       string
		gain     float64
		blocking bool
		phase    string
	}{
		{"A2", 0.5, true, PhaseMid},   // weight .5 of level 2, shortfall 1, one item
		{"C2", 0.2, true, PhaseMid},   // .2 × 1
		{"B2", 0.075, true, PhaseMid}, // .3 × .5 shortfall / 2 items (B2, B2X)
		{"A1", 0.1, false, PhaseNear}, // level 1 met: consolidation, .5 × .2
		// Two levels up (beyond the target) reaches 远期, highest gain first.
		{"A3", 0.5, true, PhaseFar},
		{"B3", 0.3, true, PhaseFar},
		{"C3", 0.2, true, PhaseFar},
	}
	if len(p.Actions) != len(want) {
		t.Fatalf("%d actions, want %d: %+v", len(p.Actions), len(want), p.Actions)
	}
	for i, w := range want {
		a := p.Actions[i]
		if a.ItemID != w.id || math.Abs(a.Gain-w.gain) > 1e-9 || a.Blocking != w.blocking || a.Phase != w.phase || a.Rank != i+1 {
			t.Errorf("action %d = %s gain %v blocking %v phase %s rank %d, want %+v", i, a.ItemID, a.Gain, a.Blocking, a.Phase, a.Rank, w)
		}
		if a.ReasonZH == "" || a.ReasonEN == "" || a.Text == "" {
			t.Errorf("%s lacks reason or action text", a.ItemID)
		}
	}
}

func TestPlanTargetAndEdits(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	d := docWith(t, qn, "discrete", map[string]any{"*": "none", "A1": "full", "B1": "full", "C1": "full"})
	d.TargetLevel = 3
	r := Score(qn, d)
	p := BuildPlan(qn, d, r, nil)
	if p.TargetLevel != 3 {
		t.Fatalf("target %d", p.TargetLevel)
	}
	for _, a := range p.Actions {
		if a.Level > 3 {
			t.Errorf("%s at level %d is above the target", a.ItemID, a.Level)
		}
		if a.Level == 3 && a.Phase != PhaseFar {
			t.Errorf("%s two levels up is in phase %s, want far", a.ItemID, a.Phase)
		}
	}
	now := time.Now()
	if err := d.EditAction("A2", ActionEdit{Exclude: true}, now); err != nil {
		t.Fatal(err)
	}
	d.EditAction("B3", ActionEdit{Phase: PhaseNear, Comment: "已立项"}, now)
	if err := d.EditAction("B3", ActionEdit{Phase: "soon"}, now); err == nil {
		t.Error("an unknown phase was accepted")
	}
	if err := d.AddCustomAction(CustomAction{Text: "组织中层干部赴标杆企业参观学习。", Track: "数转", Phase: PhaseMid}, now); err != nil {
		t.Fatal(err)
	}
	if err := d.AddCustomAction(CustomAction{Text: "为冲压线加装光栅保护。", Track: "智改", Phase: PhaseFar, Project: "energy-hse"}, now); err != nil {
		t.Fatal(err)
	}
	if err := d.AddCustomAction(CustomAction{Text: "上线MES。", Track: "数转", Project: "no-such"}, now); err == nil {
		t.Error("a custom action with an unknown project was accepted")
	}
	if err := d.AddCustomAction(CustomAction{Text: " ", Track: "数转"}, now); err == nil {
		t.Error("an empty custom action was accepted")
	}
	// Edits survive a save and reload.
	b, _ := d.Encode()
	d2, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	p = BuildPlan(qn, d2, Score(qn, d2), nil)
	var sawCustom bool
	for _, a := range p.Actions {
		switch {
		case a.ItemID == "A2" && !a.Excluded:
			t.Error("A2 not excluded")
		case a.ItemID == "B3" && (a.Phase != PhaseNear || !a.Overridden || a.Comment != "已立项"):
			t.Errorf("B3 edit not applied: %+v", a)
		case a.CustomID == "custom-1":
			sawCustom = a.Phase == PhaseMid && a.Text != "" && a.Tier == TierCustom
		}
	}
	if !sawCustom {
		t.Error("custom action missing")
	}
	// Exclusions and custom actions carry into the projects: an excluded action is in none, a custom
	// action in the project it names, or by default the fallback (it has no sub-domain).
	inProject := map[string]string{}
	for _, pp := range p.Projects {
		for _, id := range pp.Actions {
			inProject[id] = pp.ID
		}
	}
	if _, ok := inProject["A2"]; ok {
		t.Error("the excluded action A2 is in a project")
	}
	if inProject["custom-1"] != q.BundledProjects().Fallback || inProject["custom-2"] != "energy-hse" {
		t.Errorf("custom actions in projects %q and %q", inProject["custom-1"], inProject["custom-2"])
	}
	for _, a := range p.Top(50) {
		if a.Excluded {
			t.Error("Top returned an excluded action")
		}
	}
	for _, a := range p.ByPhase()[PhaseNear] {
		if a.ItemID == "A2" {
			t.Error("ByPhase returned an excluded action")
		}
	}
}

func TestPlanPolicyPointers(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	d := docWith(t, qn, "discrete", map[string]any{"*": "none", "A1": "full", "B1": "full", "C1": "full"})
	d.Finish(qn, time.Date(2026, 5, 12, 0, 0, 0, 0, time.UTC))
	p := BuildPlan(qn, d, Score(qn, d), q.BundledDistrict())
	if len(p.Policies) == 0 {
		t.Fatal("no policy pointers")
	}
	// Level 1 aiming at 2: the tiers needing 二级 are reached at the target, higher ones are not
	// met; the SME pilot needs an SME level this diagnosis does not measure.
	want := map[string]string{"smart-factory-basic": PolicyAtTarget, "smart-factory-advanced": PolicyVerify,
		"smart-factory-excellent": PolicyNotMet, "smart-factory-leading": PolicyNotMet,
		"nanjing-sme-pilot-batch1": PolicyExpired, "nanjing-sme-pilot-batch2": PolicyVerify}
	for _, pp := range p.Policies {
		if w, ok := want[pp.ID]; ok && pp.Status != w {
			t.Errorf("%s: status %s %v, want %s", pp.ID, pp.Status, pp.Reasons, w)
		}
	}
}

func TestPlanPoints(t *testing.T) {
	qn := loadFixture(t, "mini-points.yaml")
	d := docWith(t, qn, "discrete", map[string]any{"P-NET": "office", "P-SYS": []string{"erp", "mes"}, "P-RATE": 85, "S-A": 1, "S-B": 2, "P-Q": "no"})
	r := Score(qn, d)
	p := BuildPlan(qn, d, r, nil)
	if r.Level != 2 || p.TargetLevel != 3 {
		t.Fatalf("level %d target %d", r.Level, p.TargetLevel)
	}
	gains := map[string]float64{}
	for _, a := range p.Actions {
		gains[a.ItemID] = a.Gain
	}
	// P-Q 10 points, P-NET 4, scenarios S-A 2 levels and S-B 1 below target 3; P-SYS (5 of 5) and P-RATE (3 of 3) are full.
	want := map[string]float64{"P-Q": 10, "P-NET": 4, "S-A": 2, "S-B": 1}
	if len(gains) != len(want) {
		t.Errorf("actions %v, want %v", gains, want)
	}
	for id, g := range want {
		if gains[id] != g {
			t.Errorf("%s gain %v, want %v", id, gains[id], g)
		}
	}
	// S-A (level 1) lags the firm's level 2: a 短板, ranked first; then the rest by gain.
	if p.Actions[0].ItemID != "S-A" || p.Actions[0].Tier != TierFoundation || p.Actions[1].ItemID != "P-Q" {
		t.Errorf("first actions %s (%s), %s; want S-A (foundation), P-Q", p.Actions[0].ItemID, p.Actions[0].Tier, p.Actions[1].ItemID)
	}
	for _, a := range p.Actions {
		switch a.ItemID {
		case "S-A":
			if a.Text != "由一级提升到三级。二级：甲二。三级：甲三。" {
				t.Errorf("S-A text %q", a.Text)
			}
		case "P-NET":
			if a.Text != "由「办公网」提升到「车间全覆盖」。" {
				t.Errorf("P-NET text %q", a.Text)
			}
		}
	}
}

// A consultant's action can be edited and removed; ids are never reused after a removal, and a
// sealed plan cannot change.
func TestCustomActionEditAndRemove(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	d := docWith(t, qn, "discrete", map[string]any{"*": "part"})
	now := time.Now()
	for _, text := range []string{"甲", "乙"} {
		if err := d.AddCustomAction(CustomAction{Text: text, Track: "数转"}, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.UpdateCustomAction("custom-1", CustomAction{Text: " 甲二 ", Track: "网联", Phase: PhaseFar, Comment: "说明"}, now); err != nil {
		t.Fatal(err)
	}
	if c := d.Plan.Custom[0]; c.Text != "甲二" || c.Track != "网联" || c.Phase != PhaseFar || c.Comment != "说明" || c.ID != "custom-1" || c.Added.IsZero() {
		t.Errorf("after update: %+v", c)
	}
	if err := d.UpdateCustomAction("custom-1", CustomAction{Text: "", Track: "网联"}, now); err == nil {
		t.Error("an empty text was accepted")
	}
	if err := d.RemoveCustomAction("custom-1", now); err != nil {
		t.Fatal(err)
	}
	if err := d.AddCustomAction(CustomAction{Text: "丙", Track: "智改"}, now); err != nil {
		t.Fatal(err)
	}
	if ids := []string{d.Plan.Custom[0].ID, d.Plan.Custom[1].ID}; ids[0] != "custom-2" || ids[1] != "custom-3" {
		t.Errorf("ids after removal and add: %v", ids)
	}
	if err := d.RemoveCustomAction("custom-9", now); err == nil {
		t.Error("removing a missing action succeeded")
	}
	d.Status = StatusSealed
	if err := d.RemoveCustomAction("custom-2", now); err == nil {
		t.Error("a sealed plan was changed")
	}
}
