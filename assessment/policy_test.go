package assessment

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	q "smartdiag/questionnaires"
)

func policyStatus(t *testing.T, ps []PolicyResult, id string) PolicyResult {
	t.Helper()
	for _, p := range ps {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no policy %s", id)
	return PolicyResult{}
}

var smePolicies = []string{"nanjing-sme-pilot-batch1", "nanjing-sme-pilot-batch2", "nanjing-sme-pilot-level4"}

// A firm of 1,532 staff and 12.8亿元 revenue is not an SME: no SME policy is claimed for it, even
// with an excellent SME diagnosis.
func TestLargeFirmGetsNoSMEPolicy(t *testing.T) {
	qn, _ := q.Lookup("sme-2024", "")
	ans := bestPointsAnswers(qn)
	for _, it := range qn.Items() {
		if it.Type == q.TypeScenario {
			ans[it.ID] = 4
		}
	}
	d := docWith(t, qn, "discrete", ans)
	d.Enterprise.Employees, d.Enterprise.RevenueWan = 1532, 128000
	r := Score(qn, d)
	f := FactsFor(qn, d, r, 4, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)) // inside the pilot period
	ps := EvaluatePolicies(q.BundledDistrict().Policies, f)
	for _, id := range smePolicies {
		if p := policyStatus(t, ps, id); p.Status != PolicyExcluded {
			t.Errorf("%s: %s %v, want excluded", id, p.Status, p.Reasons)
		}
	}
	// The same diagnosis for a firm of 320 staff: the estimate points to 二级 but needs the
	// on-site third-party assessment.
	d.Enterprise.Employees, d.Enterprise.RevenueWan = 320, 45000
	ps = EvaluatePolicies(q.BundledDistrict().Policies, FactsFor(qn, d, r, 4, f.Date))
	if p := policyStatus(t, ps, "nanjing-sme-pilot-batch2"); p.Status != PolicyVerify {
		t.Errorf("SME firm with an estimated 四级: %s %v, want verify", p.Status, p.Reasons)
	}
}

// A quick-scan estimate never yields 已满足 for a smart-factory tier: the tier needs a formal
// (non-estimated) CMMM level.
func TestQuickScanNeverMeetsATier(t *testing.T) {
	qn, _ := q.Lookup("zgsz-quick", "")
	d := docWith(t, qn, "discrete", map[string]any{"*": "full"})
	r := Score(qn, d)
	if r.Level != 3 {
		t.Fatalf("level %d, want 3", r.Level)
	}
	ps := EvaluatePolicies(q.BundledDistrict().Policies, FactsFor(qn, d, r, 3, time.Now()))
	for _, p := range ps {
		if p.Status == PolicyMet {
			t.Errorf("%s is 已满足 on a quick-scan estimate", p.ID)
		}
	}
	if p := policyStatus(t, ps, "smart-factory-basic"); p.Status != PolicyVerify || !strings.Contains(strings.Join(p.Reasons, ""), "正式评测") {
		t.Errorf("basic tier: %s %v, want verify naming 正式评测", p.Status, p.Reasons)
	}
	// The provincial self-test result the firm reports replaces the estimate.
	d.SelfTest = &SelfTest{SmartFactoryLevel: 2}
	ps = EvaluatePolicies(q.BundledDistrict().Policies, FactsFor(qn, d, r, 3, time.Now()))
	if p := policyStatus(t, ps, "smart-factory-basic"); p.Status != PolicyMet {
		t.Errorf("basic tier with self-test 二级: %s %v, want met", p.Status, p.Reasons)
	}
}

func TestPolicyConditions(t *testing.T) {
	pts := func(x float64) *float64 { return &x }
	day := time.Date(2026, 5, 12, 0, 0, 0, 0, time.UTC)
	cmmm := func(level, target int) map[string]*LevelFact {
		return map[string]*LevelFact{q.ReqCMMMLevel: {Level: level, Target: target, Source: "本次诊断"}}
	}
	tests := []struct {
		name, policy string
		facts        PolicyFacts
		want         string
		reason       string
	}{
		{"formal 二级 meets 基础级", "smart-factory-basic", PolicyFacts{Levels: cmmm(2, 3), Date: day}, PolicyMet, ""},
		{"一级 aiming at 二级", "smart-factory-basic", PolicyFacts{Levels: cmmm(1, 2), Date: day}, PolicyAtTarget, "目标"},
		{"一级 aiming at 一级", "smart-factory-basic", PolicyFacts{Levels: cmmm(1, 1), Date: day}, PolicyNotMet, "需达到二级"},
		{"no CMMM level measured", "smart-factory-basic", PolicyFacts{Levels: map[string]*LevelFact{}, Date: day}, PolicyVerify, "缺少智能制造能力成熟度等级"},
		{"先进级 without self-test points", "smart-factory-advanced", PolicyFacts{Levels: cmmm(2, 3), Date: day}, PolicyVerify, "自评测得分"},
		{"先进级 with 65 points", "smart-factory-advanced", PolicyFacts{Levels: cmmm(2, 3), SelfTestPoints: pts(65), Date: day}, PolicyMet, ""},
		{"先进级 with 55 points", "smart-factory-advanced", PolicyFacts{Levels: cmmm(2, 3), SelfTestPoints: pts(55), Date: day}, PolicyNotMet, "55"},
		{"卓越级 AI share 25%", "smart-factory-excellent", PolicyFacts{Levels: cmmm(3, 4), AIScenarioShare: pts(25), Date: day}, PolicyMet, ""},
		// The share an ai-2026 diagnosis measures counts only its own scenarios: never enough.
		{"卓越级 AI share estimated 25%", "smart-factory-excellent", PolicyFacts{Levels: cmmm(3, 4), AIScenarioShare: pts(25), AIShareEstimated: true, Date: day}, PolicyVerify, "本次诊断估算为 25%"},
		{"领航级 AI share estimated 25%", "smart-factory-leading", PolicyFacts{Levels: cmmm(4, 4), AIScenarioShare: pts(25), AIShareEstimated: true, Date: day}, PolicyNotMet, "需不低于 60%"},
		{"SME pilot after it ended", "nanjing-sme-pilot-batch2", PolicyFacts{Levels: map[string]*LevelFact{q.ReqSMELevel: {Level: 2}}, Employees: 200, Date: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}, PolicyExpired, "2026-10-31"},
		{"SME pilot: a CMMM level does not count", "nanjing-sme-pilot-batch2", PolicyFacts{Levels: cmmm(3, 4), Employees: 200, Date: day}, PolicyVerify, "中小企业数字化水平等级"},
		{"SME pilot: formal SME 二级, size unknown", "nanjing-sme-pilot-batch2", PolicyFacts{Levels: map[string]*LevelFact{q.ReqSMELevel: {Level: 2}}, Date: day}, PolicyVerify, "企业规模"},
		{"SME pilot: formal SME 二级, 200 staff", "nanjing-sme-pilot-batch2", PolicyFacts{Levels: map[string]*LevelFact{q.ReqSMELevel: {Level: 2}}, Employees: 200, Date: day}, PolicyMet, ""},
		{"SME pilot: big but low revenue is still an SME", "nanjing-sme-pilot-batch2", PolicyFacts{Levels: map[string]*LevelFact{q.ReqSMELevel: {Level: 2}}, Employees: 1500, RevenueWan: 30000, Date: day}, PolicyMet, ""},
		{"batch 1 closed on 2026-01-27", "nanjing-sme-pilot-batch1", PolicyFacts{Levels: map[string]*LevelFact{q.ReqSMELevel: {Level: 2}}, Employees: 200, Date: day}, PolicyExpired, "2026-01-27"},
	}
	all := q.BundledDistrict().Policies
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := policyStatus(t, EvaluatePolicies(all, tt.facts), tt.policy)
			if p.Status != tt.want || !strings.Contains(strings.Join(p.Reasons, "；"), tt.reason) {
				t.Errorf("%s %v, want %s with %q", p.Status, p.Reasons, tt.want, tt.reason)
			}
			if len(p.ReasonsEN) != len(p.Reasons) {
				t.Errorf("%d English reasons for %d Chinese ones: %v", len(p.ReasonsEN), len(p.Reasons), p.ReasonsEN)
			}
		})
	}
}

// An AI-level condition with no AI result is left for verification, never met.
func TestAILevelAbsentIsNotMet(t *testing.T) {
	p := q.Policy{ID: "ai", Title: "AI", Source: "test", Requires: []q.Requirement{{Kind: q.ReqAILevel, Min: 2}}}
	got := EvaluatePolicies([]q.Policy{p}, PolicyFacts{Levels: map[string]*LevelFact{}, Date: time.Now()})
	if got[0].Status != PolicyVerify {
		t.Errorf("status %s, want verify", got[0].Status)
	}
}

// Every bundled policy names its document or source, what it depends on and, for the SME pilot,
// its period; none depends on the CMMM level for an SME subsidy.
func TestBundledPoliciesAreComplete(t *testing.T) {
	for _, p := range q.BundledDistrict().Policies {
		if p.Source == "" || p.Document == "" || len(p.Requires) == 0 {
			t.Errorf("%s: source %q document %q requires %v", p.ID, p.Source, p.Document, p.Requires)
		}
		if slices.Contains(smePolicies, p.ID) {
			kinds := []string{}
			for _, r := range p.Requires {
				kinds = append(kinds, r.Kind)
			}
			if !slices.Contains(kinds, q.ReqSMELevel) || !slices.Contains(kinds, q.ReqSMESize) || slices.Contains(kinds, q.ReqCMMMLevel) || p.ValidUntil == "" {
				t.Errorf("%s depends on %v, valid until %q", p.ID, kinds, p.ValidUntil)
			}
		}
	}
}

// The plan's total net of subsidies appears only where eligibility is established: an SME with a
// third-party rating of 二级 inside the pilot period gets batch 2 (40%, at most 40万元) off its
// investment; the same diagnosis for a firm that is not an SME, or with only the estimate, gets no
// net figure at all.
func TestNetOfSubsidyOnlyWhereEligible(t *testing.T) {
	qn, _ := q.Lookup("sme-2024", "")
	d := docWith(t, qn, "discrete", map[string]any{})
	fin := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC) // batch 1 closed 2026-01-27, batch 2 open
	d.Finished = &fin
	d.Enterprise.Employees, d.Enterprise.RevenueWan = 320, 45000
	d.SelfTest = &SelfTest{SMELevel: 2}
	r := Score(qn, d)
	p := BuildPlan(qn, d, r, q.BundledDistrict())
	if len(p.Projects) == 0 || p.Investment[1] == 0 {
		t.Fatal("no projects to subsidise")
	}
	if p.Subsidy == nil {
		t.Fatalf("eligible SME: no subsidy; policies %+v", p.Policies)
	}
	if !slices.Equal(p.Subsidy.Policies, []string{"nanjing-sme-pilot-batch2"}) {
		t.Errorf("subsidy policies %v, want only batch 2 (batch 1 expired, level 4 bonus not met)", p.Subsidy.Policies)
	}
	for i, inv := range p.Investment {
		want := min(0.4*inv, 40)
		if got := p.Subsidy.Wan[i]; got != want {
			t.Errorf("subsidy on %g万元 = %g, want %g", inv, got, want)
		}
		if got := p.Subsidy.Net[i]; got != inv-want {
			t.Errorf("net of subsidy on %g万元 = %g, want %g", inv, got, inv-want)
		}
	}
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"net_of_subsidy_wan":[`) || !strings.Contains(string(js), `"subsidy_policies":["nanjing-sme-pilot-batch2"]`) {
		t.Errorf("plan JSON lacks the net of subsidy: %.300s…", js)
	}

	for name, change := range map[string]func(){
		"large firm":       func() { d.Enterprise.Employees, d.Enterprise.RevenueWan = 1532, 128000 },
		"estimate only":    func() { d.SelfTest = nil },
		"after the pilot":  func() { later := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC); d.Finished = &later },
		"rated 一级 on site": func() { d.SelfTest = &SelfTest{SMELevel: 1} },
	} {
		saved := *d
		change()
		p := BuildPlan(qn, d, Score(qn, d), q.BundledDistrict())
		if p.Subsidy != nil {
			t.Errorf("%s: subsidy %+v claimed without established eligibility", name, p.Subsidy)
		}
		js, _ := json.Marshal(p)
		if strings.Contains(string(js), "net_of_subsidy") {
			t.Errorf("%s: plan JSON carries a net of subsidy", name)
		}
		*d = saved
	}
}

func TestSubsidyForSchemesAndBonuses(t *testing.T) {
	pol := func(id string, status string, s *q.Subsidy) PolicyResult {
		return PolicyResult{Policy: q.Policy{ID: id, Subsidy: s}, Status: status}
	}
	b1 := &q.Subsidy{Share: 0.5, CapWan: 50, Scheme: "pilot"}
	b2 := &q.Subsidy{Share: 0.4, CapWan: 40, Scheme: "pilot"}
	bonus := &q.Subsidy{CapWan: 20, Scheme: "pilot", Bonus: true}
	for _, c := range []struct {
		name    string
		results []PolicyResult
		invest  [2]float64
		want    []string
		wan     [2]float64
	}{
		{"best batch only", []PolicyResult{pol("b1", PolicyMet, b1), pol("b2", PolicyMet, b2)}, [2]float64{40, 200}, []string{"b1"}, [2]float64{20, 50}},
		{"bonus on top", []PolicyResult{pol("b2", PolicyMet, b2), pol("l4", PolicyMet, bonus)}, [2]float64{40, 200}, []string{"b2", "l4"}, [2]float64{36, 60}},
		{"bonus alone pays nothing", []PolicyResult{pol("b2", PolicyVerify, b2), pol("l4", PolicyMet, bonus)}, [2]float64{40, 200}, nil, [2]float64{}},
		{"never more than the investment", []PolicyResult{pol("b1", PolicyMet, b1), pol("l4", PolicyMet, bonus)}, [2]float64{10, 30}, []string{"b1", "l4"}, [2]float64{10, 30}},
		{"target is not eligible", []PolicyResult{pol("b1", PolicyAtTarget, b1)}, [2]float64{40, 200}, nil, [2]float64{}},
		{"no money", []PolicyResult{pol("tier", PolicyMet, nil)}, [2]float64{40, 200}, nil, [2]float64{}},
	} {
		got := SubsidyFor(c.results, c.invest)
		if c.want == nil {
			if got != nil {
				t.Errorf("%s: %+v, want none", c.name, got)
			}
			continue
		}
		if got == nil || !slices.Equal(got.Policies, c.want) || got.Wan != c.wan || got.Net != [2]float64{c.invest[0] - c.wan[0], c.invest[1] - c.wan[1]} {
			t.Errorf("%s: %+v, want policies %v paying %v", c.name, got, c.want, c.wan)
		}
	}
}

// A finished ai-2026 diagnosis without a self-test share gives its own share as an estimate, so the
// policy section does not call the share missing beside the share the report prints; a reported
// self-test share wins.
func TestFactsForAIShare(t *testing.T) {
	qn, err := q.Lookup("ai-2026", "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 6, 9, 0, 0, 0, time.UTC)
	d, err := NewDocument(qn, Enterprise{Name: "示例", CreditCode: "91320115MA1W7N0N3U"}, Assessor{Name: "顾问"}, now)
	if err != nil {
		t.Fatal(err)
	}
	r := &Result{Complete: true, AI: &AIResult{Built: 4, UsingAI: 1, Share: 0.25}}
	f := FactsFor(qn, d, r, 0, now)
	if f.AIScenarioShare == nil || *f.AIScenarioShare != 25 || !f.AIShareEstimated {
		t.Errorf("estimated share %v, %v", f.AIScenarioShare, f.AIShareEstimated)
	}
	st := 30.0
	d.SelfTest = &SelfTest{AIScenarioShare: &st}
	if f := FactsFor(qn, d, r, 0, now); f.AIScenarioShare == nil || *f.AIScenarioShare != 30 || f.AIShareEstimated {
		t.Errorf("self-test share %v, %v", f.AIScenarioShare, f.AIShareEstimated)
	}
}
