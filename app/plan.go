package app

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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
	add     *widget.Button
	empty   *widget.Label // why the plan has no action, when it has none
	form    *customForm   // the add/edit dialog while it is open

	// rows maps a list position to the widgets showing it now (rows are recycled as the list
	// scrolls), so tests can type into a row the way a user would.
	rows map[widget.ListItemID]*planRow
	// pending holds the comment being typed, saved half a second after the last keystroke or
	// at once when the screen is left, like the wizard's notes: no Enter needed.
	pending   func()
	saveTimer *time.Timer
}

type planRow struct {
	include        *widget.Check
	text, meta     *widget.Label
	phase          *widget.Select
	comment        *widget.Entry
	edit, remove   *widget.Button
	customControls *fyne.Container
}

func phaseLabels() []string {
	var out []string
	for _, p := range assessment.Phases {
		out = append(out, assessment.PhaseName(p, language()))
	}
	return out
}

func (ui *UI) showPlan(s *assessment.Session) {
	ps := &planScreen{rows: map[widget.ListItemID]*planRow{}}
	ui.plan = ps
	editable := s.Doc.Status != assessment.StatusSealed
	ps.empty = widget.NewLabel("")
	ps.empty.Wrapping = fyne.TextWrapWord
	ps.empty.Importance = widget.WarningImportance
	rebuild := func() {
		r := assessment.Score(s.Q, s.Doc)
		plan := assessment.BuildPlan(s.Q, s.Doc, r, q.BundledDistrict())
		ps.actions = plan.Actions
		if why := plan.EmptyReason(); why != "" {
			ps.empty.SetText(assessment.EmptyText(why, language()))
			ps.empty.Show()
		} else {
			ps.empty.Hide()
		}
		if ps.list != nil {
			ps.sizeRows()
			ps.list.Refresh()
		}
	}
	rebuild()
	// edit applies a change to an action: generated actions through EditAction, the consultant's
	// own through UpdateCustomAction.
	edit := func(a *assessment.Action, e assessment.ActionEdit) error {
		if a.ItemID == "" {
			c, ok := customOf(s.Doc, a.CustomID)
			if !ok {
				return nil
			}
			c.Phase, c.Comment = editedPhase(a), e.Comment
			if e.Phase != "" {
				c.Phase = e.Phase
			}
			return s.UpdateCustomAction(a.CustomID, c, ui.now())
		}
		return s.EditAction(a.ItemID, e, ui.now())
	}
	save := func(a *assessment.Action, e assessment.ActionEdit) {
		ps.flush()
		if err := edit(a, e); err != nil {
			ui.showError(err)
		}
		rebuild()
	}
	// commentChanged saves a comment without rebuilding the list, so the text being typed is
	// not replaced under the cursor.
	commentChanged := func(a *assessment.Action, txt string) {
		if ps.saveTimer != nil {
			ps.saveTimer.Stop()
		}
		ps.pending = func() {
			ps.pending = nil
			if txt == a.Comment {
				return
			}
			if err := edit(a, assessment.ActionEdit{Exclude: a.Excluded, Phase: editedPhase(a), Comment: txt}); err != nil {
				ui.showError(err)
				return
			}
			a.Comment = txt
		}
		ps.saveTimer = time.AfterFunc(500*time.Millisecond, func() {
			onUI(func() {
				if ps.pending != nil {
					ps.pending()
				}
			})
		})
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
			comment.SetPlaceHolder(T("顾问说明（可选，自动保存）"))
			editBtn := widget.NewButton(T("编辑"), nil)
			removeBtn := widget.NewButton(T("删除"), nil)
			custom := container.NewGridWithColumns(2, editBtn, removeBtn)
			right := container.NewVBox(container.NewGridWrap(fyne.NewSize(190, 36), phase), custom)
			return container.NewBorder(nil, nil, include, right, container.NewVBox(text, meta, comment))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			a := ps.actions[i]
			c := o.(*fyne.Container)
			body := c.Objects[0].(*fyne.Container)
			right := c.Objects[2].(*fyne.Container)
			custom := right.Objects[1].(*fyne.Container)
			row := &planRow{
				include: c.Objects[1].(*widget.Check),
				phase:   right.Objects[0].(*fyne.Container).Objects[0].(*widget.Select),
				text:    body.Objects[0].(*widget.Label),
				meta:    body.Objects[1].(*widget.Label),
				comment: body.Objects[2].(*widget.Entry),
				edit:    custom.Objects[0].(*widget.Button), remove: custom.Objects[1].(*widget.Button),
				customControls: custom,
			}
			for k, r := range ps.rows {
				if r.comment == row.comment {
					delete(ps.rows, k)
				}
			}
			ps.rows[i] = row
			row.text.SetText(a.TextIn(language()))
			qw := ""
			if a.QuickWin {
				qw = " · " + T("速效")
			}
			row.meta.SetText(joinParts(Tf("#%d", a.Rank), a.GroupIn(language()), q.TrackName(a.Track, language()), levelShort(s.Q, a.Level), a.Reason(language())) + qw)
			row.include.OnChanged = nil
			row.include.SetChecked(!a.Excluded)
			row.include.OnChanged = func(on bool) {
				save(a, assessment.ActionEdit{Exclude: !on, Phase: editedPhase(a), Comment: a.Comment})
			}
			row.phase.OnChanged = nil
			row.phase.SetSelected(assessment.PhaseName(a.Phase, language()))
			row.phase.OnChanged = func(sel string) {
				for _, p := range assessment.Phases {
					if assessment.PhaseName(p, language()) == sel && p != a.Phase {
						save(a, assessment.ActionEdit{Exclude: a.Excluded, Phase: p, Comment: a.Comment})
					}
				}
			}
			row.comment.OnChanged = nil
			row.comment.OnSubmitted = nil
			row.comment.SetText(a.Comment)
			row.comment.OnChanged = func(txt string) { commentChanged(a, txt) }
			row.comment.OnSubmitted = func(string) { ps.flush() }
			row.edit.OnTapped = func() { ps.flush(); ui.customActionForm(s, a.CustomID, rebuild) }
			row.remove.OnTapped = func() {
				ps.flush()
				ui.confirm("删除措施", Tf("从改进计划中删除这条措施？\n%s", a.Text), "删除", func() {
					if err := s.RemoveCustomAction(a.CustomID, ui.now()); err != nil {
						ui.showError(err)
					}
					rebuild()
				})
			}
			custom.Hidden = a.ItemID != ""
			if !editable {
				row.include.Disable()
				row.phase.Disable()
				row.comment.Disable()
				custom.Hide()
			} else {
				if a.ItemID == "" {
					row.include.Disable() // a consultant's own action is removed, not excluded
				} else {
					row.include.Enable()
				}
				row.phase.Enable()
				row.comment.Enable()
			}
			custom.Refresh()
		},
	)
	ps.sizeRows()

	targets := targetOptions(s.Q)
	ps.target = widget.NewSelect(targets, func(sel string) {
		for i, t := range targets {
			if t == sel && i != s.Doc.TargetLevel {
				ps.flush()
				if err := s.SetTarget(i, ui.now()); err != nil {
					ui.showError(err)
				}
				rebuild()
			}
		}
	})
	ps.target.SetSelectedIndex(s.Doc.TargetLevel)

	ps.add = widget.NewButton(T("添加措施"), func() { ps.flush(); ui.customActionForm(s, "", rebuild) })
	if !editable {
		ps.add.Disable()
		ps.target.Disable()
	}
	hint := widget.NewLabel(T("勾选表示纳入计划；说明自动保存。"))
	top := container.NewHBox(widget.NewLabel(T("目标等级")), container.NewGridWrap(fyne.NewSize(220, 36), ps.target), ps.add, hint)
	back := func() { ps.flush(); ui.showResults(s) }
	ui.setScreen(ui.screenWithHeader(s.Doc.Enterprise.Name+" · "+T("改进计划"), back,
		[]fyne.CanvasObject{widget.NewButton(T("完成与报告"), func() { ps.flush(); ui.showFinish(s) })},
		container.NewBorder(container.NewVBox(top, ps.empty), nil, nil, nil, ps.list)))
}

// flush saves a comment still being typed.
func (ps *planScreen) flush() {
	if ps.saveTimer != nil {
		ps.saveTimer.Stop()
		ps.saveTimer = nil
	}
	if ps.pending != nil {
		ps.pending()
	}
}

// customOf returns a copy of the consultant's action with that id.
func customOf(d *assessment.Document, id string) (assessment.CustomAction, bool) {
	if d.Plan != nil {
		for _, c := range d.Plan.Custom {
			if c.ID == id {
				return c, true
			}
		}
	}
	return assessment.CustomAction{}, false
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

// customForm is the dialog that adds or edits a consultant's action.
type customForm struct {
	text, comment *dialogEntry
	track, phase  *widget.Select
	dialog        *dialog.CustomDialog
	submit        func() error
}

// customActionForm adds a consultant's action (id "") or edits the one with that id.
func (ui *UI) customActionForm(s *assessment.Session, id string, done func()) {
	trackLabels := make([]string, len(q.Tracks))
	for i, t := range q.Tracks {
		trackLabels[i] = q.TrackName(t, language())
	}
	f := &customForm{text: newDialogMultiLineEntry(), comment: newDialogEntry(),
		track: widget.NewSelect(trackLabels, nil), phase: widget.NewSelect(phaseLabels(), nil)}
	f.text.SetMinRowsVisible(3)
	f.track.SetSelected(q.TrackName(q.TrackDigital, language()))
	f.phase.SetSelectedIndex(0)
	title := T("添加措施")
	if c, ok := customOf(s.Doc, id); ok {
		title = T("编辑措施")
		f.text.SetText(c.Text)
		f.track.SetSelected(q.TrackName(c.Track, language()))
		f.phase.SetSelected(assessment.PhaseName(c.Phase, language()))
		f.comment.SetText(c.Comment)
	}
	items := []*widget.FormItem{
		widget.NewFormItem(T("措施"), f.text),
		widget.NewFormItem(T("类别"), f.track),
		widget.NewFormItem(T("阶段"), f.phase),
		widget.NewFormItem(T("说明"), f.comment),
	}
	f.submit = func() error {
		if strings.TrimSpace(f.text.Text) == "" {
			return errors.New(T("措施内容不能为空"))
		}
		c := assessment.CustomAction{Text: f.text.Text, Track: q.Tracks[max(0, f.track.SelectedIndex())],
			Phase: assessment.Phases[max(0, f.phase.SelectedIndex())], Comment: f.comment.Text}
		if id != "" {
			return s.UpdateCustomAction(id, c, ui.now())
		}
		return s.AddCustomAction(c, ui.now())
	}
	f.dialog = dialogForm(ui, title, items, f.submit, done)
	f.dialog.Resize(fyne.NewSize(640, 360))
	if ui.plan != nil {
		ui.plan.form = f
	}
	f.dialog.Show()
}
