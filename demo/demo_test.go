package demo

import (
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
