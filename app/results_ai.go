package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
	q "smartdiag/questionnaires"
)

// aiCharts shows an AI diagnosis on the results screen: the level of each area as a bar, the
// readiness of each area, and the AI scenario share.
func aiCharts(qn *q.Questionnaire, r *assessment.Result, tracks fyne.CanvasObject) fyne.CanvasObject {
	ai := r.AI
	levels := []fyne.CanvasObject{bold(T("各领域AI应用等级"))}
	ready := []fyne.CanvasObject{bold(T("各领域准备度（%）"))}
	for _, a := range ai.Areas {
		s := qn.Area(a.ID)
		name := localName(s.Name, s.NameEN)
		levels = append(levels, barRow(name, float64(a.Level), float64(qn.LevelCount()), colPrimary, "%.0f"))
		ready = append(ready, barRow(name, 100*a.Readiness, 100, colAccent, "%.0f"))
	}
	return container.NewGridWithColumns(2,
		container.NewVBox(append(levels, widget.NewSeparator(), widget.NewLabel(aiShareLine(ai)))...),
		container.NewVBox(append(ready, widget.NewSeparator(), tracks)...))
}

// aiShareLine is the AI scenario share with the scenarios it counts.
func aiShareLine(ai *assessment.AIResult) string {
	if ai.Built == 0 {
		return T("AI场景占比：无已建场景")
	}
	return Tf("AI场景占比：%s（%d / %d 个已建场景）", fmt.Sprintf("%.0f%%", 100*ai.Share), ai.UsingAI, ai.Built)
}
