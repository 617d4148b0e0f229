package assessment

import (
	"testing"

	q "smartdiag/questionnaires"
)

// These tests pin each scoring rule docs/format.md states, one rule per test, so an independent
// re-implementation of the written rules and the code cannot drift apart unnoticed.

const bandAtZeroYAML = `format: smartdiag.questionnaire/1
id: band-zero
version: "0.1"
title: 零值档位
scoring: points
points:
  levels:
    - {level: 1, name: 一级, min_score: 1}
  scenario_levels:
    - {level: 1, name: 一级}
sections:
  - id: s
    name: 成效
    max: 10
    items:
      - id: GROWTH
        type: number
        text: 营业收入增长率。
        guidance: 查看报表。
        improve: 拓展市场。
        track: 数转
        unit: "%"
        min: -100
        max: 100
        bands:
          - {min: -100, max: 0, points: 0}
          - {min: 0, max: 5, points: 1}
          - {min: 5, max: 101, points: 3}
      - id: SCN
        type: scenario
        text: 场景。
        guidance: 查看。
        improve: 提升。
        track: 数转
        levels: [{level: 1, text: 一级。}]
`

// A draft's unanswered number item earns nothing, even when the band holding 0 is worth points.
func TestMissingNumberEarnsNothing(t *testing.T) {
	qn, ps := q.Parse("band-zero.yaml", []byte(bandAtZeroYAML))
	if ps != nil {
		t.Fatal(ps)
	}
	d := docWith(t, qn, "discrete", map[string]any{})
	r := Score(qn, d)
	if r.Score != 0 || r.Level != 0 || r.Complete {
		t.Errorf("empty draft: score %v level %d complete %v, want 0, 0, false", r.Score, r.Level, r.Complete)
	}
	if r.Scenarios["SCN"] != 0 {
		t.Errorf("missing scenario level = %d, want 0", r.Scenarios["SCN"])
	}
	d = docWith(t, qn, "discrete", map[string]any{"GROWTH": 0, "SCN": 1})
	if r := Score(qn, d); r.Score != 1 || r.Level != 1 {
		t.Errorf("answered 0: score %v level %d, want 1 and level 1", r.Score, r.Level)
	}
}

// A 混合型 firm answers the discrete-only and the process-only items and is weighted with the
// mean of the 离散型 and 流程型 tables.
func TestMixedFirmSeesBothKindsAndMeanWeights(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	d := docWith(t, qn, "mixed", map[string]any{"*": "full"})
	if !Relevant(qn, d)["C1P"] {
		t.Error("the process-only item C1P is hidden from a mixed firm")
	}
	r := Score(qn, d)
	want := map[string]float64{"a": 0.35, "b": 0.3, "c": 0.35}
	for _, s := range r.SubDomains {
		if !near(s.Weight, want[s.ID]) {
			t.Errorf("weight of %s = %v, want %v", s.ID, s.Weight, want[s.ID])
		}
	}
	if d := docWith(t, qn, "discrete", map[string]any{"*": "full"}); Relevant(qn, d)["C1P"] {
		t.Error("a discrete firm sees the process-only item C1P")
	}
}

// The level cannot exceed the highest level with anything applicable: an all-不适用 document is
// 未达一级 with score 0, and a firm that meets everything up to 三级 with 四级 and 五级 不适用 is 三级
// with score 3.
func TestCapIsHighestApplicableLevel(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	r := Score(qn, docWith(t, qn, "discrete", map[string]any{"*": "na"}))
	if r.Level != 0 || r.Score != 0 || r.LevelName != "未达一级" {
		t.Errorf("all N/A: level %d score %v name %q, want 0, 0, 未达一级", r.Level, r.Score, r.LevelName)
	}
	d := docWith(t, qn, "discrete", map[string]any{"*": "full", "A4": "na", "B4": "na", "C4": "na", "A5": "na", "B5": "na", "C5": "na"})
	if r := Score(qn, d); r.Level != 3 || r.Score != 3 {
		t.Errorf("full to 三级, rest N/A: level %d score %v, want 3 and 3", r.Level, r.Score)
	}
}

// mandatory_only counts only 约束性 scenarios; without it every scenario counts.
func TestMandatoryOnlyCountsMandatoryScenarios(t *testing.T) {
	qn := loadFixture(t, "mini-points.yaml")
	base := map[string]any{"P-NET": "plant", "P-SYS": []string{"erp", "mes", "wms"}, "P-RATE": 100, "P-Q": "yes"}
	for _, tt := range []struct {
		a, b, level int
	}{{3, 3, 3}, {3, 0, 2}, {0, 3, 2}} {
		ans := map[string]any{"S-A": tt.a, "S-B": tt.b}
		for k, v := range base {
			ans[k] = v
		}
		// Level 3 needs two mandatory scenarios at 三级 but the fixture has one (S-A): never met.
		if r := Score(qn, docWith(t, qn, "discrete", ans)); r.Level != 2 {
			t.Errorf("S-A %d S-B %d: level %d, want 2", tt.a, tt.b, r.Level)
		}
	}
}

// zgsz-quick asks up to 三级, so its max_score (the ceiling) is 3 and a firm meeting everything
// scores 3.
func TestQuickScanCeiling(t *testing.T) {
	qn, err := q.Lookup("zgsz-quick", "")
	if err != nil {
		t.Fatal(err)
	}
	d := docWith(t, qn, "discrete", map[string]any{"*": "full"})
	r := Score(qn, d)
	if r.MaxScore != 3 || r.Level != 3 || r.Score != 3 {
		t.Errorf("all full: level %d score %v max %v, want 3, 3, 3", r.Level, r.Score, r.MaxScore)
	}
}
