package demo

import (
	"fmt"
	"slices"
	"testing"

	"smartdiag/assessment"
	q "smartdiag/questionnaires"
)

// A required item shown only after a KPI answer (KPIs are listed last) must still be answered, or
// Finish fails and demo stops with an error.
const kpiWhenYAML = `format: smartdiag.questionnaire/1
id: kpi-when
version: "0.1"
title: 依赖指标的追问
scoring: cmmm
cmmm:
  threshold: 0.8
  scale:
    - {key: full, label: 全部满足, value: 1}
    - {key: most, label: 大部分满足, value: 0.8}
    - {key: part, label: 部分满足, value: 0.5}
    - {key: none, label: 不满足, value: 0}
  na: {key: na, label: 不适用}
  levels:
    - {level: 1, name: 一级, title: 规划级}
    - {level: 2, name: 二级, title: 规范级}
    - {level: 3, name: 三级, title: 集成级}
    - {level: 4, name: 四级, title: 优化级}
    - {level: 5, name: 五级, title: 引领级}
  production_types:
    - {key: discrete, name: 离散型}
    - {key: process, name: 流程型}
  weights:
    discrete: {a: 1}
    process: {a: 1}
elements:
  - id: e
    name: 要素
    domains:
      - id: d
        name: 域
        subdomains:
          - id: a
            code: A
            name: 子域
            items:
              - {id: A1, level: 1, text: 一级要求。, guidance: 查看。, improve: 改进。, track: 智改}
              - {id: A2, level: 2, text: 有数控设备时的要求。, guidance: 查看。, improve: 改进。, track: 智改, when: "answer.KPI-NC >= 0"}
kpis:
  - {id: KPI-NC, type: number, text: 数控化率。, unit: "%", min: 0, max: 100, guidance: 查看。, improve: 改进。, track: 智改}
`

func TestGenerateAnswersItemsShownByKPIs(t *testing.T) {
	qn, ps := q.Parse("kpi-when.yaml", []byte(kpiWhenYAML))
	if ps != nil {
		t.Fatal(ps)
	}
	docs, err := Generate(Options{Count: 5, Seed: 3, Questionnaire: qn})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	for _, d := range docs {
		if d.Answers["A2"] == nil || d.Status != assessment.StatusFinished {
			t.Errorf("%s: A2 answered %v, status %s", d.ID, d.Answers["A2"] != nil, d.Status)
		}
	}
}

// Demo firms describe themselves in their industry's words: products, processes and two or three
// pain points; the same seed gives the same text, and every other field is as it was (the text is
// drawn from its own generator).
func TestDemoFirmsHaveProductsAndPainPoints(t *testing.T) {
	a, err := Generate(Options{Count: 30, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(Options{Count: 30, Seed: 9})
	kinds := map[string]bool{}
	for i, d := range a {
		e := d.Enterprise
		text, ok := firmTexts[e.Industry]
		if !ok {
			t.Fatalf("%s: industry %s has no demo text", e.Name, e.Industry)
		}
		if e.Products == "" || e.Processes == "" || len(e.PainPoints) < 2 || len(e.PainPoints) > 3 {
			t.Errorf("%s: products %q, processes %q, %d pain points", e.Name, e.Products, e.Processes, len(e.PainPoints))
		}
		for _, p := range e.PainPoints {
			if !slices.Contains(text.pains, p) {
				t.Errorf("%s (%s): pain point %q is not of its industry", e.Name, e.Industry, p)
			}
		}
		kinds[e.Products] = true
		if fmt.Sprint(b[i].Enterprise) != fmt.Sprint(e) {
			t.Errorf("seed 9 #%d differs between runs", i)
		}
		// Without the text, the firm is what the main sequence alone made.
		bare := e
		bare.Products, bare.Processes, bare.PainPoints = "", "", nil
		describe(&bare)
		if fmt.Sprint(bare) != fmt.Sprint(e) {
			t.Errorf("%s: the text is not a function of the credit code alone", e.Name)
		}
	}
	if len(kinds) < 10 {
		t.Errorf("only %d different product lines in 30 firms", len(kinds))
	}
}
