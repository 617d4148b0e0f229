package app

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
	q "smartdiag/questionnaires"
)

// planScreen lists the generated improvement plan; the consultant includes or excludes actions,
// moves them between phases, comments, and adds actions of their own. Every edit is saved in the
// document and respected by the report.
type planScreen struct {
	list    *widget.List
	actions []*assessment.Action
	target  *widget.Select
}

func phaseLabels() []string {
	var out []string
	for _, p := range assessment.Phases {
		out = append(out, assessment.PhaseName(p, language()))
	}
	return out
}

func (ui *UI) showPlan(s *assessment.Session) {
	ps := &planScreen{}
	ui.plan = ps
	editable := s.Doc.Status != assessment.StatusSealed
	rebuild := func() {
		r := assessment.Score(s.Q, s.Doc)
		ps.actions = assessment.BuildPlan(s.Q, s.Doc, r, q.BundledDistrict()).Actions
		if ps.list != nil {
			ps.sizeRows()
			ps.list.Refresh()
		}
	}
	rebuild()
	save := func(a *assessment.Action, e assessment.ActionEdit) {
		if a.ItemID == "" {
			return
		}
		if err := s.EditAction(a.ItemID, e, ui.now()); err != nil {
			ui.showError(err)
		}
		rebuild()
	}
	ps.list = widget.NewList(
		func() int { return len(ps.actions) },
		func() fyne.CanvasObject {
			include := widget.NewCheck("", nil)
			text := widget.NewLabel("")
			text.Wrapping = fyne.TextWrapWord
			meta := widget.NewLabel("")
			meta.Truncation = fyne.TextTruncateEllipsis
			phase := widget.NewSelect(phaseLabels(), nil)
			comment := widget.NewEntry()
			comment.SetPlaceHolder(T("顾问说明（可选）"))
			right := container.NewGridWrap(fyne.NewSize(190, 36), phase)
			return container.NewBorder(nil, nil, include, right, container.NewVBox(text, meta, comment))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			a := ps.actions[i]
			c := o.(*fyne.Container)
			body := c.Objects[0].(*fyne.Container)
			include := c.Objects[1].(*widget.Check)
			phase := c.Objects[2].(*fyne.Container).Objects[0].(*widget.Select)
			text := body.Objects[0].(*widget.Label)
			meta := body.Objects[1].(*widget.Label)
			comment := body.Objects[2].(*widget.Entry)
			text.SetText(a.TextIn(language()))
			qw := ""
			if a.QuickWin {
				qw = " · " + T("速效")
			}
			meta.SetText(joinParts(Tf("#%d", a.Rank), a.GroupIn(language()), q.TrackName(a.Track, language()), levelShort(s.Q, a.Level), a.Reason(language())) + qw)
			include.OnChanged = nil
			include.SetChecked(!a.Excluded)
			include.OnChanged = func(on bool) {
				save(a, assessment.ActionEdit{Exclude: !on, Phase: editedPhase(a), Comment: a.Comment})
			}
			phase.OnChanged = nil
			phase.SetSelected(assessment.PhaseName(a.Phase, language()))
			phase.OnChanged = func(sel string) {
				for _, p := range assessment.Phases {
					if assessment.PhaseName(p, language()) == sel && p != a.Phase {
						save(a, assessment.ActionEdit{Exclude: a.Excluded, Phase: p, Comment: a.Comment})
					}
				}
			}
			comment.OnChanged = nil
			comment.SetText(a.Comment)
			comment.OnSubmitted = func(txt string) {
				save(a, assessment.ActionEdit{Exclude: a.Excluded, Phase: editedPhase(a), Comment: strings.TrimSpace(txt)})
			}
			if !editable || a.ItemID == "" {
				include.Disable()
				phase.Disable()
				comment.Disable()
			} else {
				include.Enable()
				phase.Enable()
				comment.Enable()
			}
		},
	)
	ps.sizeRows()

	targets := []string{T("自动（当前等级 + 1）"), "一级", "二级", "三级", "四级", "五级"}
	ps.target = widget.NewSelect(targets, func(sel string) {
		for i, t := range targets {
			if t == sel && i != s.Doc.TargetLevel {
				if err := s.SetTarget(i, ui.now()); err != nil {
					ui.showError(err)
				}
				rebuild()
			}
		}
	})
	ps.target.SetSelectedIndex(s.Doc.TargetLevel)

	add := widget.NewButton(T("添加措施"), func() { ui.addCustomAction(s, rebuild) })
	if !editable {
		add.Disable()
		ps.target.Disable()
	}
	hint := widget.NewLabel(T("勾选表示纳入计划；回车保存说明。"))
	top := container.NewHBox(widget.NewLabel(T("目标等级")), container.NewGridWrap(fyne.NewSize(220, 36), ps.target), add, hint)
	back := func() { ui.showResults(s) }
	ui.setScreen(ui.screenWithHeader(s.Doc.Enterprise.Name+" · "+T("改进计划"), back,
		[]fyne.CanvasObject{widget.NewButton(T("完成与报告"), func() { ui.showFinish(s) })},
		container.NewBorder(top, nil, nil, nil, ps.list)))
}

// sizeRows gives each row room for its wrapped action text (about 55 characters a line at the
// usual window width) plus the meta line and the comment box.
func (ps *planScreen) sizeRows() {
	for i, a := range ps.actions {
		lines := (len([]rune(a.TextIn(language()))) + 54) / 55
		ps.list.SetItemHeight(i, float32(30*max(1, lines)+92))
	}
}

func editedPhase(a *assessment.Action) string {
	if a.Overridden {
		return a.Phase
	}
	return ""
}

func joinParts(parts ...string) string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}

func (ui *UI) addCustomAction(s *assessment.Session, done func()) {
	text := widget.NewMultiLineEntry()
	text.SetMinRowsVisible(3)
	trackLabels := make([]string, len(q.Tracks))
	for i, t := range q.Tracks {
		trackLabels[i] = q.TrackName(t, language())
	}
	track := widget.NewSelect(trackLabels, nil)
	track.SetSelected(q.TrackName(q.TrackDigital, language()))
	phase := widget.NewSelect(phaseLabels(), nil)
	phase.SetSelectedIndex(0)
	comment := widget.NewEntry()
	items := []*widget.FormItem{
		widget.NewFormItem(T("措施"), text),
		widget.NewFormItem(T("类别"), track),
		widget.NewFormItem(T("阶段"), phase),
		widget.NewFormItem(T("说明"), comment),
	}
	d := dialogForm(ui, T("添加措施"), items, func() error {
		if strings.TrimSpace(text.Text) == "" {
			return errors.New(T("措施内容不能为空"))
		}
		return s.AddCustomAction(assessment.CustomAction{
			Text: strings.TrimSpace(text.Text), Track: q.Tracks[max(0, track.SelectedIndex())],
			Phase: assessment.Phases[max(0, phase.SelectedIndex())], Comment: strings.TrimSpace(comment.Text),
		}, ui.now())
	}, done)
	d.Resize(fyne.NewSize(640, 360))
	d.Show()
}
