package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
	q "smartdiag/questionnaires"
)

// The AI questionnaire through the wizard's own widgets: scenario stages by radio, follow-ups that
// appear once a pilot is chosen, options, the exclusive 以上均没有, then results, plan and report.
func TestAIQuestionnaireWizard(t *testing.T) {
	ui, dir := newTestUI(t)
	qn, _ := q.Lookup("ai-2026", "")
	d, _ := assessment.NewDocument(qn, assessment.Enterprise{Name: "南京测试精密机械有限公司", CreditCode: "91350100M000100Y43",
		Categories: []string{"规上工业企业"}, ProductionType: "discrete"}, ui.assessor(), time.Now())
	s, err := assessment.NewSession(ui.ws, d, qn)
	if err != nil {
		t.Fatal(err)
	}
	ui.showWizard(s, "")
	w := ui.wizard
	before := len(w.items)
	// Walk the visible items in order, answering through the widgets. Vision inspection runs
	// (stage 4), fault prediction is piloted (3), everything else is digital without AI (1).
	stages := map[string]int{"AI-QC-01": 4, "AI-PM-03": 3}
	for i := 0; i < len(w.items); i++ {
		it := w.items[i]
		w.pos = i
		w.show()
		box := w.answerBox.Objects
		switch it.Type {
		case q.TypeScenario:
			rg := box[0].(*widget.RadioGroup)
			if len(rg.Options) != len(qn.AI.Stages)+1 || !strings.HasPrefix(rg.Options[0], "未建设该场景") || !strings.HasPrefix(rg.Options[3], "AI试点：") {
				t.Fatalf("%s: stage options %q", it.ID, rg.Options)
			}
			st, ok := stages[it.ID]
			if !ok {
				st = 1
			}
			rg.SetSelected(rg.Options[st])
		case q.TypeSingle:
			rg := box[0].(*widget.RadioGroup)
			rg.SetSelected(it.Options[2].Label)
		case q.TypeMulti:
			cg := box[0].(*widget.CheckGroup)
			last := it.Options[len(it.Options)-1]
			cg.SetSelected([]string{it.Options[0].Label, last.Label})
			if len(cg.Selected) != 1 || cg.Selected[0] != last.Label {
				t.Errorf("%s: choosing %s left %v", it.ID, last.Label, cg.Selected)
			}
			cg.SetSelected([]string{it.Options[0].Label, it.Options[2].Label})
		case q.TypeNumber:
			test.Type(w.numberEntry, "12")
		}
	}
	// The effect and people follow-ups of production and quality appeared; R&D's did not.
	vis := map[string]bool{}
	for _, it := range w.items {
		vis[it.ID] = true
	}
	for id, want := range map[string]bool{"AI-QC-E": true, "AI-QC-P": true, "AI-PM-E": true, "AI-PM-P": true, "AI-RD-E": false, "AI-SC-P": false} {
		if vis[id] != want {
			t.Errorf("%s visible %v, want %v (%d items before answering, %d after)", id, vis[id], want, before, len(w.items))
		}
	}
	shot(t, ui, "20-ai-wizard")
	got := readDoc(t, dir, d.ID)
	r := assessment.Score(qn, got)
	if !r.Complete || r.AI == nil {
		t.Fatalf("complete %v, missing %v", r.Complete, r.Missing)
	}
	if r.AI.UsingAI != 1 || r.AI.Built != 18 || r.Level != 2 {
		t.Errorf("AI result from the saved file: level %d, %d of %d using AI", r.Level, r.AI.UsingAI, r.AI.Built)
	}
	ui.showResults(s)
	if !strings.Contains(ui.results.score.Text, "AI场景占比") || !strings.Contains(ui.results.badge.Text, "二级（试点级）") {
		t.Errorf("results: %q / %q", ui.results.badge.Text, ui.results.score.Text)
	}
	shot(t, ui, "21-ai-results")
	ui.showPlan(s)
	if len(ui.plan.actions) == 0 {
		t.Error("no plan actions")
	}
	ui.showFinish(s)
	test.Type(ui.finish.rep, "王建国")
	test.Tap(ui.finish.finishBtn)
	test.Tap(overlayButton(t, ui, "完成")) // finishing is confirmed in a dialog
	if s.Doc.Status != assessment.StatusFinished {
		t.Fatalf("status %s after finishing", s.Doc.Status)
	}
	// Seal with a fresh key first, as a provider does before the report goes to the district.
	t.Setenv("SMARTDIAG_CONFIG", t.TempDir())
	ui.seal(s)
	f := ui.finish
	test.Tap(f.reportBtn)
	waitFor(t, func() bool { return f.reportPath != "" })
	shot(t, ui, "22-ai-finish")
}
