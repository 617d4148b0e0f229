package app

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	q "smartdiag/questionnaires"
)

// The consultant writes the firm on paper, the inventory, their own contacts and the self-test
// results on the profile screen; one tap saves them into the document on disk, and an invalid field
// saves nothing and says which.
func TestProfileScreenSavesTheFirmOnPaper(t *testing.T) {
	ui, dir := newTestUI(t)
	s := finishedDraft(t, ui)
	ui.showWizard(s, "")
	at := ui.wizard.current().ID
	ui.showProfile(s, func() { ui.showWizard(s, at) })
	p := ui.profileForm

	// The demo firm comes with its own products and pain points: the consultant replaces them.
	for _, e := range []*widget.Entry{p.products, p.processes, p.pains} {
		if e.Text == "" {
			t.Error("the demo firm's text is not shown on the profile screen")
		}
		e.SetText("")
	}
	test.Type(p.products, "汽车座椅骨架、精密冲压件")
	test.Type(p.processes, "冲压、焊接、总装")
	test.Type(p.pains, "换型要停线半天")
	p.pains.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	p.pains.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // a blank line is not a pain point
	test.Type(p.pains, "月底对账靠Excel，三天才能关账")
	test.Tap(p.addSystem)
	test.Type(p.inventory[0].name, "ERP")
	test.Type(p.inventory[0].model, "金蝶云星空")
	test.Type(p.inventory[0].since, "2021")
	test.Tap(p.addEquip)
	test.Type(p.inventory[1].name, "伺服压力机")
	test.Type(p.inventory[1].count, "6")
	test.Tap(p.addEquip) // left empty: dropped, not an error
	test.Type(p.phone, "025-52100000")
	test.Type(p.email, "shen@example.com")
	test.Type(p.digital, "64.5")
	p.smartLevel.SetSelectedIndex(2)
	p.sme.SetSelectedIndex(2)
	test.Type(p.date, "2026-04-20")
	test.Tap(p.save)
	if !strings.Contains(p.status.Text, "已保存") {
		t.Fatalf("status %q", p.status.Text)
	}

	d := readDoc(t, dir, s.Doc.ID)
	e := d.Enterprise
	if e.Products != "汽车座椅骨架、精密冲压件" || e.Processes != "冲压、焊接、总装" {
		t.Errorf("products %q, processes %q", e.Products, e.Processes)
	}
	if !slices.Equal(e.PainPoints, []string{"换型要停线半天", "月底对账靠Excel，三天才能关账"}) {
		t.Errorf("pain points %q", e.PainPoints)
	}
	if len(e.Inventory) != 2 || e.Inventory[0].Kind != "system" || e.Inventory[0].Name != "ERP" || e.Inventory[0].Model != "金蝶云星空" ||
		e.Inventory[0].Since != 2021 || e.Inventory[1].Kind != "equipment" || e.Inventory[1].Name != "伺服压力机" || e.Inventory[1].Count != 6 {
		t.Errorf("inventory %+v", e.Inventory)
	}
	if d.Assessor.Phone != "025-52100000" || d.Assessor.Email != "shen@example.com" || d.Assessor.Name == "" {
		t.Errorf("assessor %+v", d.Assessor)
	}
	st := d.SelfTest
	if st == nil || st.DigitalPoints == nil || *st.DigitalPoints != 64.5 || st.SmartFactoryLevel != 2 || st.SMELevel != 2 ||
		st.AIScenarioLevel != 0 || st.AIScenarioShare != nil || st.Date != "2026-04-20" {
		t.Errorf("self test %+v", st)
	}

	// Removing a row and a bad e-mail address: nothing is saved, the message names the field.
	test.Tap(p.inventory[1].remove)
	p.email.SetText("")
	test.Type(p.email, "shen.example.com")
	test.Tap(p.save)
	if !strings.Contains(p.status.Text, "未保存") || !strings.Contains(p.status.Text, "邮箱") {
		t.Errorf("status after a bad e-mail %q", p.status.Text)
	}
	if d := readDoc(t, dir, s.Doc.ID); len(d.Enterprise.Inventory) != 2 || d.Assessor.Email != "shen@example.com" {
		t.Errorf("a refused save changed the document: %+v %+v", d.Enterprise.Inventory, d.Assessor)
	}
	p.email.SetText("shen@example.com")
	p.date.SetText("20.4.2026")
	test.Tap(p.save)
	if !strings.Contains(p.status.Text, "self_test.date") {
		t.Errorf("status after a bad date %q", p.status.Text)
	}
	p.date.SetText("")
	test.Tap(p.save)
	if d := readDoc(t, dir, s.Doc.ID); len(d.Enterprise.Inventory) != 1 || d.SelfTest.Date != "" {
		t.Errorf("after removing a row: %+v, self test %+v", d.Enterprise.Inventory, d.SelfTest)
	}

	// Reopened, the screen shows what was saved.
	ui.showProfile(s, ui.showHome)
	p = ui.profileForm
	if p.products.Text != "汽车座椅骨架、精密冲压件" || p.pains.Text != "换型要停线半天\n月底对账靠Excel，三天才能关账" ||
		len(p.inventory) != 1 || p.inventory[0].model.Text != "金蝶云星空" || p.digital.Text != "64.5" || p.sme.SelectedIndex() != 2 {
		t.Errorf("reopened: products %q pains %q inventory %d digital %q sme %d", p.products.Text, p.pains.Text, len(p.inventory), p.digital.Text, p.sme.SelectedIndex())
	}
}

// A KPI that breaks a plausibility rule with the figures already entered shows the rule's warning
// beside its field as the consultant types; the value is still saved, and the warning goes when
// the figure is corrected.
func TestKPIWarningAtEntry(t *testing.T) {
	ui, dir := newTestUI(t)
	s := finishedDraft(t, ui)
	for id := range s.Doc.Answers {
		if it, _ := s.Q.Item(id); it != nil && it.Type == q.TypeNumber {
			delete(s.Doc.Answers, id)
		}
	}
	ui.showWizard(s, "KPI-NETR")
	w := ui.wizard
	typeText(ui, "30")
	if w.kpiWarn == nil || w.kpiWarn.Text != "" {
		t.Fatalf("networking rate alone: warning %v", w.kpiWarn)
	}
	ui.showWizard(s, "KPI-CLOUD")
	w = ui.wizard
	typeText(ui, "55")
	if !strings.Contains(w.kpiWarn.Text, "工业设备上云率（55%）高于生产设备联网率（30%）") {
		t.Fatalf("cloud 55%% over networking 30%%: warning %q", w.kpiWarn.Text)
	}
	if v := numberOnDisk(t, dir, s.Doc.ID, "KPI-CLOUD"); v == nil || *v != 55 {
		t.Fatalf("the warned value is not saved: %v", v)
	}
	w.numberEntry.CursorColumn = len(w.numberEntry.Text)
	pressKey(ui, fyne.KeyBackspace)
	pressKey(ui, fyne.KeyBackspace)
	typeText(ui, "25")
	if w.kpiWarn.Text != "" {
		t.Errorf("corrected to 25%%: warning %q", w.kpiWarn.Text)
	}
	if v := numberOnDisk(t, dir, s.Doc.ID, "KPI-CLOUD"); v == nil || *v != 25 {
		t.Errorf("KPI-CLOUD on disk %v, want 25", v)
	}
	// Back on the networking rate, lowered below the cloud rate: the warning shows there too.
	ui.showWizard(s, "KPI-NETR")
	w = ui.wizard
	w.numberEntry.CursorColumn = len(w.numberEntry.Text)
	pressKey(ui, fyne.KeyBackspace)
	pressKey(ui, fyne.KeyBackspace)
	typeText(ui, "20")
	if !strings.Contains(w.kpiWarn.Text, "高于生产设备联网率（20%）") {
		t.Errorf("networking lowered to 20%%: warning %q", w.kpiWarn.Text)
	}
}

// Staff and revenue that give an implausible revenue per employee (revenue typed in 元) are
// flagged beside the revenue field as it is typed, and the flag goes when the unit is right.
func TestEnterpriseFormWarnsOfRevenuePerEmployee(t *testing.T) {
	ui, _ := newTestUI(t)
	ui.showEnterpriseForm(nil)
	f := ui.enterprise
	test.Type(f.employees, "120")
	test.Type(f.revenue, "36000000")
	if !strings.Contains(f.sizeHint.Text, "人均营业收入") {
		t.Fatalf("revenue in 元: hint %q", f.sizeHint.Text)
	}
	f.revenue.SetText("")
	test.Type(f.revenue, "3600")
	if f.sizeHint.Text != "" {
		t.Errorf("30万元 per employee: hint %q", f.sizeHint.Text)
	}
}
