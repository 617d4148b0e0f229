package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// overlayButton finds a button by its text in the top overlay (a dialog).
func overlayButton(t *testing.T, ui *UI, text string) *widget.Button {
	t.Helper()
	top := ui.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog open (looking for %q)", text)
	}
	return findButton(t, top, text)
}

// screenButton finds a button by its text on the screen.
func screenButton(t *testing.T, ui *UI, text string) *widget.Button {
	t.Helper()
	return findButton(t, ui.win.Content(), text)
}

func findButton(t *testing.T, top fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Button:
			if w.Text == text && found == nil {
				found = w
			}
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(top)
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

// planRowOf renders the plan list and returns the row showing action i.
func planRowOf(t *testing.T, ui *UI, i int) *planRow {
	t.Helper()
	ps := ui.plan
	ps.list.ScrollTo(i)
	ui.win.Canvas().Refresh(ps.list)
	test.WidgetRenderer(ps.list)
	ps.list.Refresh()
	r := ps.rows[i]
	if r == nil {
		t.Fatalf("row %d not rendered (rows %v)", i, ps.rows)
	}
	return r
}

// The plan's 顾问说明 is saved without Enter, like the wizard's notes; a consultant's own action
// can be edited and removed.
func TestPlanCommentAutosavesAndCustomActionsEditable(t *testing.T) {
	ui, dir := newTestUI(t)
	s := finishedDraft(t, ui)
	ui.showPlan(s)
	row := planRowOf(t, ui, 0)
	first := ui.plan.actions[0]
	test.Type(row.comment, "先做设备联网试点")
	// No Enter: the consultant goes on to the report.
	ui.plan.flush() // what leaving the screen does; the timer does the same after 0.5 s
	if d := readDoc(t, dir, s.Doc.ID); d.Plan == nil || d.Plan.Actions[first.ItemID] == nil ||
		d.Plan.Actions[first.ItemID].Comment != "先做设备联网试点" {
		t.Fatalf("comment typed without Enter not on disk: %+v", d.Plan)
	}

	// Add a custom action through the dialog, then edit and remove it through its row.
	test.Tap(ui.plan.add)
	f := ui.plan.form
	test.Type(f.text, "建设车间看板")
	test.Tap(overlayButton(t, ui, "确定"))
	d := readDoc(t, dir, s.Doc.ID)
	if len(d.Plan.Custom) != 1 || d.Plan.Custom[0].Text != "建设车间看板" {
		t.Fatalf("custom action not saved: %+v", d.Plan.Custom)
	}
	idx := -1
	for i, a := range ui.plan.actions {
		if a.CustomID != "" {
			idx = i
		}
	}
	if idx < 0 {
		t.Fatal("custom action not listed")
	}
	row = planRowOf(t, ui, idx)
	if row.customControls.Hidden {
		t.Fatal("a custom action shows no edit/remove buttons")
	}
	test.Tap(row.edit)
	f = ui.plan.form
	if f.text.Text != "建设车间看板" {
		t.Fatalf("edit form shows %q", f.text.Text)
	}
	f.text.SetText("建设车间电子看板")
	test.Type(f.comment, "二季度完成")
	test.Tap(overlayButton(t, ui, "确定"))
	d = readDoc(t, dir, s.Doc.ID)
	if len(d.Plan.Custom) != 1 || d.Plan.Custom[0].Text != "建设车间电子看板" || d.Plan.Custom[0].Comment != "二季度完成" {
		t.Fatalf("custom action after edit: %+v", d.Plan.Custom)
	}
	// Its comment autosaves too.
	row = planRowOf(t, ui, idx)
	row.comment.SetText("")
	test.Type(row.comment, "三季度完成")
	ui.plan.flush()
	if d := readDoc(t, dir, s.Doc.ID); d.Plan.Custom[0].Comment != "三季度完成" {
		t.Errorf("custom comment on disk %q", d.Plan.Custom[0].Comment)
	}
	test.Tap(row.remove)
	test.Tap(overlayButton(t, ui, "删除"))
	if d := readDoc(t, dir, s.Doc.ID); len(d.Plan.Custom) != 0 {
		t.Fatalf("custom action not removed: %+v", d.Plan.Custom)
	}
	for _, a := range ui.plan.actions {
		if a.CustomID != "" {
			t.Error("removed action still listed")
		}
	}
	// Generated actions show no edit/remove buttons.
	if planRowOf(t, ui, 0).customControls.Visible() {
		t.Error("a generated action shows edit/remove buttons")
	}
}

// Leaving the plan by its back button saves a comment typed without Enter.
func TestPlanCommentSavedOnLeaving(t *testing.T) {
	ui, dir := newTestUI(t)
	s := finishedDraft(t, ui)
	ui.showPlan(s)
	row := planRowOf(t, ui, 0)
	first := ui.plan.actions[0]
	test.Type(row.comment, "由信息部负责")
	test.Tap(screenButton(t, ui, "← 返回"))
	if ui.results == nil {
		t.Fatal("back did not show the results")
	}
	if d := readDoc(t, dir, s.Doc.ID); d.Plan == nil || d.Plan.Actions[first.ItemID] == nil ||
		d.Plan.Actions[first.ItemID].Comment != "由信息部负责" {
		t.Fatalf("comment lost on leaving the plan: %+v", d.Plan)
	}
}
