package questionnaires

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestAI2026(t *testing.T) {
	q := bundledByID(t)["ai-2026"]
	if q.Scoring != ScoringAI || q.AI == nil || !q.Estimate || !q.Sectioned() {
		t.Fatalf("scoring %q, ai block %v, estimate %v", q.Scoring, q.AI != nil, q.Estimate)
	}
	// The five areas of 苏工信信发〔2026〕63号, in its order.
	var names []string
	for _, id := range q.AI.Areas {
		names = append(names, q.Area(id).Name)
	}
	if want := []string{"研发设计", "生产制造", "质量检测", "运营管理", "供应链管理"}; !slices.Equal(names, want) {
		t.Errorf("areas %v, want %v", names, want)
	}
	typical := map[string]bool{}
	for _, id := range q.AI.Areas {
		s := q.Area(id)
		kinds := map[string]int{}
		for _, it := range s.Items {
			kinds[it.Type]++
			if it.LabelEN == "" {
				t.Errorf("%s: no label_en", it.ID)
			}
			for _, sc := range it.Scenarios {
				typical[sc] = true
			}
			if it.Type == TypeScenario && len(it.Levels) != len(q.AI.Stages) {
				t.Errorf("%s: %d stage statements", it.ID, len(it.Levels))
			}
		}
		// Scenarios, plus effect, data readiness and people.
		if kinds[TypeScenario] < 3 || kinds[TypeSingle] < 3 {
			t.Errorf("area %s: %v", id, kinds)
		}
	}
	// The AI uses the 2025 guide names must each be asked about.
	for _, id := range []string{"O05", "O09", "O02", "M02", "B04", "C02", "C03", "R01", "O07"} {
		if !typical[id] {
			t.Errorf("typical scenario %s (%s) is not covered", id, Scenarios()[id].Name)
		}
	}
	// Governance and safety: data classification, model management, generative-AI rules, oversight.
	f := q.Area(q.AI.Foundation)
	var text strings.Builder
	for _, it := range f.Items {
		text.WriteString(it.Text)
	}
	for _, w := range []string{"分类分级", "模型", "生成式AI", "人工监督", "算力", "人才"} {
		if !strings.Contains(text.String(), w) {
			t.Errorf("foundation section does not ask about %s", w)
		}
	}
	shares := map[string]float64{}
	for _, s := range q.AI.ShareTargets {
		shares[s.Name] = s.MinShare
	}
	if shares["卓越级智能工厂"] != 0.2 || shares["领航级智能工厂"] != 0.6 {
		t.Errorf("share targets %v", shares)
	}
	if q.LevelCount() != len(q.AI.Levels) || q.LevelName(2) != "二级（试点级）" || q.LevelShortName(3) != "三级" {
		t.Errorf("levels %d %q %q", q.LevelCount(), q.LevelName(2), q.LevelShortName(3))
	}
}

// lineOf is the 1-based line of the first occurrence of s in src.
func lineOf(src, s string) int {
	i := strings.Index(src, s)
	if i < 0 {
		return -1
	}
	return strings.Count(src[:i], "\n") + 1
}

func TestAIProblems(t *testing.T) {
	b, err := os.ReadFile("ai-2026.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base := string(b)
	tests := []struct{ name, old, new, want, lineAt string }{
		{"no ai block", "scoring: ai\nai:\n", "scoring: ai\nx:\n", "结构错误", ""},
		{"unknown area", "areas: [rd, production,", "areas: [rnd, production,", "领域 \"rnd\" 不是顶层 section", "  areas:"},
		{"foundation is an area", "foundation: foundation", "foundation: rd", "ai.foundation \"rd\"", "  foundation:"},
		{"uses_ai below built", "uses_ai_from: 4", "uses_ai_from: 0", "uses_ai_from 必须在", "  uses_ai_from:"},
		{"stage rule out of range", "[{at_stage: 3, min_count: 1}]", "[{at_stage: 9, min_count: 1}]", "第 2 级的 area.scenarios 规则无效", "  levels:"},
		{"min areas", "{min_areas: 2, min_foundation: 0.5}", "{min_areas: 6, min_foundation: 0.5}", "overall.min_areas 必须在 1 到 5 之间", "  levels:"},
		{"readiness out of unit", "min_readiness: 0.5 ", "min_readiness: 50 ", "min_readiness 和 min_foundation 必须在 0 到 1 之间", "  levels:"},
		{"level order", "    - level: 2\n      name: 二级", "    - level: 3\n      name: 二级", "ai.levels 第 2 项应为 level: 2", "  levels:"},
		{"stage without text", "{level: 2, name: AI规划, name_en: AI planned, text: 已确定AI应用方案和负责人，正在整理数据或选型，尚未上线试用。,", "{level: 2, name: AI规划, name_en: AI planned,", "ai.stages 第 2 项应为 level: 2，且有 name 和 text", "  stages:"},
		{"stage without English", "name_en: AI pilot,", "", "ai.stages 第 3 项缺少英文", "  stages:"},
		{"share target", "min_share: 0.6}", "min_share: 60}", "ai.share_targets 第 2 项", "  share_targets:"},
		{"points block", "scoring: ai\n", "scoring: ai\npoints: {levels: []}\n", "ai 问卷不能有 points 参数块", "points:"},
		{"scenario without typical", "        scenarios: [R01]\n", "", "AI-RD-01：AI场景题必须对应至少一个典型场景", "      - id: AI-RD-01"},
		{"scenario in foundation", "      - id: AI-FD-01\n        type: single\n", "      - id: AI-FD-01\n        type: scenario\n        scenarios: [F02]\n", "AI-FD-01：场景题只能放在", "      - id: AI-FD-01"},
		{"no source", "  source: 参照：", "  source: \"\"\n  x_source: 参照：", "结构错误", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(base, tt.old, tt.new, 1)
			if src == base {
				t.Fatalf("edit %q did not apply", tt.old)
			}
			q, ps := Parse("bad.yaml", []byte(src))
			if q != nil || len(ps) == 0 {
				t.Fatal("no problem reported")
			}
			for _, p := range ps {
				if !strings.Contains(p.Msg, tt.want) {
					continue
				}
				if tt.lineAt != "" {
					if want := lineOf(src, tt.lineAt); p.Line != want {
						t.Errorf("%s: reported at line %d, want %d", p, p.Line, want)
					}
					if !strings.HasPrefix(p.String(), fmt.Sprintf("bad.yaml:%d: ", p.Line)) {
						t.Errorf("not printed as file:line: %s", p)
					}
				}
				return
			}
			t.Errorf("want a problem containing %q, got:\n%v", tt.want, ps)
		})
	}
}
