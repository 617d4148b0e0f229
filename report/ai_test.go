package report

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	q "smartdiag/questionnaires"
)

// aiDoc is a finished ai-2026 diagnosis of a firm that runs vision inspection, pilots fault
// prediction and has every other scenario digital but without AI.
func aiDoc(t *testing.T) (*q.Questionnaire, *assessment.Document) {
	t.Helper()
	qn, err := q.Lookup("ai-2026", "")
	if err != nil {
		t.Fatal(err)
	}
	e := assessment.Enterprise{Name: "南京示例精密机械有限公司", CreditCode: "91320115MA1W7N0N3U", Street: "秣陵街道",
		Categories: []string{"规上工业企业"}, ProductionType: "discrete", Industry: "34"}
	now := time.Date(2026, 5, 6, 9, 0, 0, 0, time.UTC)
	d, err := assessment.NewDocument(qn, e, assessment.Assessor{Name: "测试顾问"}, now)
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string]any{"AI-QC-01": 4, "AI-PM-03": 3, "AI-QC-E": "compare", "AI-QC-P": "owner", "AI-PM-E": "claim", "AI-PM-P": "vendor",
		"AI-RD-D": "managed", "AI-PM-D": "partial", "AI-QC-D": "labelled", "AI-OM-D": "systems", "AI-SC-D": "accurate",
		"AI-FD-01": "plan", "AI-FD-02": []string{"edge", "cloud"}, "AI-FD-03": "some", "AI-FD-04": "train", "AI-FD-05": "rules",
		"AI-FD-06": "list", "AI-FD-07": "none", "AI-FD-08": "written"}
	for _, it := range qn.Items() {
		v, ok := answers[it.ID]
		if !ok && it.Type == q.TypeScenario {
			v, ok = 1, true
		}
		if ok {
			if err := d.SetAnswer(qn, it.ID, v, now); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := d.Finish(qn, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	return qn, d
}

func TestAIPage(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	qn, d := aiDoc(t)
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"zh", []string{"人工智能+制造诊断报告", "AI应用等级（参照）", "三、人工智能应用详情", "各领域AI应用等级", "AI场景地图", "下一步AI场景",
			"基础短板", "算力、人才与治理", "研发设计", "生产制造", "质量检测", "运营管理", "供应链管理", "在线智能检测", "AI运行",
			"AI场景占比6%（1/18）", "卓越级智能工厂≥20%未达到", "AI试点→AI运行", "设备故障诊断与预测", "没有规定，员工自行使用",
			// The method page states the AI rules, not a points total; the projects exclude AI costs.
			"场景题按AI阶段评级", "至少1个场景达到「AI运行」", "定级规则是本项目的重构", "不含AI模型、算力和服务费用",
			"人工智能场景应用占比本次诊断估算为5.6%"}},
		{"en", []string{"AI in Manufacturing Diagnosis Report", "AI scenario map", "Next AI scenarios", "Online AI visual inspection",
			"AI in operation", "AI scenario share 6% (1 of 18)", "3. AI application in detail", "Quality inspection", "Foundations and governance",
			"Scenario items are rated on AI stages", "the level rules are our reconstruction", "not AI models, computing or AI services"}},
	} {
		text := pdfText(t, qn, d, tt.lang)
		// Sections are numbered by the renderer; a title carrying its own number read "三、二、…".
		if strings.Contains(text, "、二、") || strings.Contains(text, "3.2.") {
			t.Errorf("%s: a section title is numbered twice", tt.lang)
		}
		if strings.Contains(text, "合计满分100分") || strings.Contains(text, "100 points in all") {
			t.Errorf("%s: the method page describes a points total the AI diagnosis does not have", tt.lang)
		}
		for _, w := range tt.want {
			if !strings.Contains(text, strings.Join(strings.Fields(w), "")) {
				t.Errorf("%s: %q not in the report", tt.lang, w)
			}
		}
	}
}
