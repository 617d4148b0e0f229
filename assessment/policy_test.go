package assessment

import (
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
