package questionnaires

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestBundledPlanPhases(t *testing.T) {
	p := BundledPlanPhases()
	if got := strings.Join(p.Keys(), ","); got != "near,mid,far" {
		t.Fatalf("keys %s: the plan JSON's phase values must not change", got)
	}
	for lang, want := range map[string]string{"zh": "中期（6–18 个月）", "en": "Mid term (6–18 months)"} {
		if got := p.Phase("mid").Label(lang); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if p.Phase("later") != nil {
		t.Error("unknown phase found")
	}
}

func TestParsePlanPhasesErrors(t *testing.T) {
	good, err := os.ReadFile("reference/phases.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct{ from, to, want string }{
		"format":          {"smartdiag.phases/1", "smartdiag.phases/9", "format"},
		"gap":             {"from_month: 18", "from_month: 20", "上一阶段"},
		"order":           {"to_month: 36", "to_month: 12", "无效"},
		"dup":             {"key: far", "key: mid", "重复"},
		"no en":           {"name_en: Long term", "name_en: ''", "name_en"},
		"unknown":         {"tag: 估算", "tag: 估算\nextra: 1", "extra"},
		"source":          {"tag: 估算", "tag: ''", "source"},
		"rules date":      {`date: "2026-11"`, `date: ""`, "date"},
		"rule phase":      {"- {max_gap: 0, phase: near}", "- {max_gap: 0, phase: soon}", `cmmm 第 2 条：阶段 "soon"`},
		"rule bounds":     {"{min_gap: 2, max_gap: 2, quick_win: true, phase: mid}", "{min_gap: 3, max_gap: 2, quick_win: true, phase: mid}", "min_gap 3 大于 max_gap 2"},
		"no fallback":     {"    - {quick_win: true, phase: near}\n    - {phase: mid}", "    - {quick_win: true, phase: near}", "points_item 的最后一条规则须不带条件"},
		"missing list":    {"  ai_stage:\n    - {max_gap: 0, phase: near}\n    - {phase: mid}\n", "", "缺少 ai_stage"},
		"score range":     {"max_score: 0,", "max_score: 2,", "max_score 应在 0 到 1 之间"},
		"ready share":     {"ai_ready_share: 0.6", "ai_ready_share: 0", "ai_ready_share"},
		"pilots on last":  {"{near: 2, mid: 3}", "{near: 2, far: 3}", "最后一个阶段 far 不能限量"},
		"pilots phase":    {"{near: 2, mid: 3}", "{near: 2, soon: 3}", `阶段 "soon"`},
		"unknown in rule": {"- {phase: far}", "- {phase: far, level: 2}", "level"},
	} {
		if !strings.Contains(string(good), c.from) {
			t.Fatalf("%s: %q not in phases.yaml", name, c.from)
		}
		_, err := ParsePlanPhases([]byte(strings.Replace(string(good), c.from, c.to, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}

func FuzzParsePlanPhases(f *testing.F) {
	good, _ := os.ReadFile("reference/phases.yaml")
	f.Add(good)
	f.Add([]byte("format: smartdiag.phases/1\nphases: [{key: a}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePlanPhases(data)
		if err != nil {
			return
		}
		if len(p.Keys()) == 0 {
			t.Fatal("accepted a file without phases")
		}
		// Every accepted rule list places every action in a phase of the file.
		for _, l := range []PhaseRuleList{p.Rules.CMMM, p.Rules.PointsScenario, p.Rules.PointsItem, p.Rules.AIStage, p.Rules.AIReadiness} {
			for _, f := range []PhaseFacts{{}, {Foundation: true, Gap: -3}, {Gap: 1, QuickWin: true, LongInvestment: true, Score: 1}, {Gap: 9, Score: 0.5}} {
				if p.Phase(l.Phase(f)) == nil {
					t.Fatalf("facts %+v get no phase", f)
				}
			}
		}
		if lim := p.Rules.PilotLimits(p.Keys()); lim[len(lim)-1] >= 0 {
			t.Fatal("the last phase limits pilots")
		}
	})
}

// The bundled rules place actions as the plan has since issue 5: 短板 and met levels near, the
// next level mid (near for a quick win, far for a long project), two levels up far unless a
// quick win; the first rule that matches wins.
func TestBundledPhaseRules(t *testing.T) {
	r := BundledPlanPhases().Rules
	for _, c := range []struct {
		name  string
		rules PhaseRuleList
		f     PhaseFacts
		want  string
	}{
		{"cmmm 短板 above the level", r.CMMM, PhaseFacts{Foundation: true, Gap: 2}, "near"},
		{"cmmm met level", r.CMMM, PhaseFacts{Gap: 0}, "near"},
		{"cmmm below level", r.CMMM, PhaseFacts{Gap: -2}, "near"},
		{"cmmm next level", r.CMMM, PhaseFacts{Gap: 1}, "mid"},
		{"cmmm next level quick win", r.CMMM, PhaseFacts{Gap: 1, QuickWin: true}, "near"},
		{"cmmm next level long project", r.CMMM, PhaseFacts{Gap: 1, LongInvestment: true}, "far"},
		{"cmmm next level quick win in a long project", r.CMMM, PhaseFacts{Gap: 1, QuickWin: true, LongInvestment: true}, "near"},
		{"cmmm two up", r.CMMM, PhaseFacts{Gap: 2}, "far"},
		{"cmmm two up quick win", r.CMMM, PhaseFacts{Gap: 2, QuickWin: true}, "mid"},
		{"cmmm three up quick win", r.CMMM, PhaseFacts{Gap: 3, QuickWin: true}, "far"},
		{"points scenario one up", r.PointsScenario, PhaseFacts{Gap: 1}, "mid"},
		{"points scenario two up", r.PointsScenario, PhaseFacts{Gap: 2}, "far"},
		{"points scenario 短板", r.PointsScenario, PhaseFacts{Foundation: true, Gap: 3}, "mid"},
		{"points item", r.PointsItem, PhaseFacts{}, "mid"},
		{"points item quick win", r.PointsItem, PhaseFacts{QuickWin: true}, "near"},
		{"ai stage up to AI in use", r.AIStage, PhaseFacts{Gap: 0}, "near"},
		{"ai stage scaling", r.AIStage, PhaseFacts{Gap: 1}, "mid"},
		{"ai readiness from nothing", r.AIReadiness, PhaseFacts{Score: 0}, "mid"},
		{"ai readiness from nothing, quick win", r.AIReadiness, PhaseFacts{QuickWin: true}, "near"},
		{"ai readiness partly there", r.AIReadiness, PhaseFacts{Score: 0.3}, "near"},
	} {
		if got := c.rules.Phase(c.f); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if got := r.PilotLimits([]string{"near", "mid", "far"}); !slices.Equal(got, []int{2, 3, -1}) {
		t.Errorf("pilot limits %v", got)
	}
	if r.AIReadyShare != 0.6 || r.Source == "" || r.Date == "" || r.Tag == "" {
		t.Errorf("rules: ready share %v, source %q, date %q, tag %q", r.AIReadyShare, r.Source, r.Date, r.Tag)
	}
}
