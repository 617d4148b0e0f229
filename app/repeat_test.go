package app

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
	"smartdiag/demo"
	q "smartdiag/questionnaires"
	"smartdiag/seal"
	"smartdiag/service"
)

// putDoc writes a demo diagnosis of the firm (name, code) on questionnaire qid into the
// workspace, created on day (days after 2026-03-01), finished unless draft, every scale item
// answered with key when key is not empty.
func putDoc(t *testing.T, ui *UI, qid string, seed uint64, name, code string, day int, key string, draft bool) *assessment.Document {
	t.Helper()
	qn, err := q.Lookup(qid, "")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := demo.Generate(demo.Options{Count: 1, Seed: seed, Questionnaire: qn})
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	d.Enterprise.Name, d.Enterprise.CreditCode = name, code
	created := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, day)
	d.Created, d.Updated = created, created.Add(2*time.Hour)
	if key != "" {
		for _, it := range qn.Items() {
			if it.Type == q.TypeScale && d.Answers[it.ID] != nil {
				d.Answers[it.ID].Value = []byte(`"` + key + `"`)
			}
		}
	}
	if draft {
		d.Status, d.Finished, d.Confirmation = assessment.StatusDraft, nil, nil
	} else {
		fin := created.Add(time.Hour)
		d.Status, d.Finished = assessment.StatusFinished, &fin
	}
	data, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if err := assessment.WriteFileAtomic(ui.ws.Path(d.ID), data); err != nil {
		t.Fatal(err)
	}
	return d
}

// press delivers a key as the window does: to the focused widget, else to the window's handler.
func press(ui *UI, k fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: k}
	if f := ui.win.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	ui.win.Canvas().OnTypedKey()(ev)
}

// rowTexts renders every row of the home list into a template and returns the cells' texts.
func rowTexts(h *homeScreen) [][]string {
	h.mu.Lock()
	rows := append([]homeRow{}, h.rows...)
	h.mu.Unlock()
	var out [][]string
	for _, r := range rows {
		o := h.newRow()
		h.fillRow(r, o)
		var cells []string
		for _, c := range o.(*fyne.Container).Objects {
			cells = append(cells, c.(*widget.Label).Text)
		}
		out = append(out, cells)
	}
	return out
}

const (
	codeA = "91350100M000100Y43"
	codeB = "91320506MA1W5LRQ26"
)

// The home list shows one row per firm with its diagnoses beneath (newest first, numbered by
// visit, with date, questionnaire, level with （估算） where the questionnaire estimates, status);
// the column titles sort the firms and sort back the other way.
func TestHomeGroupsDiagnosesByEnterprise(t *testing.T) {
	ui, _ := newTestUI(t)
	putDoc(t, ui, "cmmm-full", 1, "乙公司", codeA, 0, "part", false)
	putDoc(t, ui, "zgsz-quick", 2, "乙公司", codeA, 30, "", false)
	putDoc(t, ui, "cmmm-full", 3, "乙公司", codeA, 60, "", true)
	putDoc(t, ui, "cmmm-full", 4, "甲公司", codeB, 10, "full", false)
	ui.showHome()
	homeLoaded(t, ui)
	h := ui.home
	shot(t, ui, "visit-home-grouped")
	rows := rowTexts(h)
	if len(rows) != 6 {
		t.Fatalf("%d rows: %q", len(rows), rows)
	}
	// Default order: newest activity first, so 乙公司 (a draft on day 60) leads.
	if rows[0][0] != "乙公司" || rows[0][1] != codeA || !strings.Contains(rows[0][3], "3") {
		t.Fatalf("firm row %q", rows[0])
	}
	want := [][2]string{{"第 3 次诊断", "2026-04-30"}, {"第 2 次诊断", "2026-03-31"}, {"第 1 次诊断", "2026-03-01"}}
	for i, w := range want {
		r := rows[1+i]
		if !strings.Contains(r[0], w[0]) || r[2] != w[1] {
			t.Errorf("visit row %d: %q, want %v", i, r, w)
		}
	}
	if rows[1][5] != "草稿" || rows[1][4] != "" {
		t.Errorf("draft row %q", rows[1])
	}
	if !strings.Contains(rows[2][4], "（估算）") || strings.Contains(rows[3][4], "（估算）") || rows[3][4] == "" {
		t.Errorf("levels: quick %q, full %q", rows[2][4], rows[3][4])
	}
	if rows[4][0] != "甲公司" {
		t.Fatalf("second firm %q", rows[4])
	}
	// Sort by enterprise name A→Z (by code point: 乙 U+4E59 before 甲 U+7532), then Z→A.
	test.Tap(h.sortBtns[0])
	if rows = rowTexts(h); rows[0][0] != "乙公司" || !strings.HasSuffix(h.sortBtns[0].Text, "▲") {
		t.Fatalf("sorted by name: first %q, title %q", rows[0][0], h.sortBtns[0].Text)
	}
	test.Tap(h.sortBtns[0])
	if rows = rowTexts(h); rows[0][0] != "甲公司" || rows[2][0] != "乙公司" || !strings.HasSuffix(h.sortBtns[0].Text, "▼") {
		t.Fatalf("sorted by name, reversed: %q / %q", rows[0][0], rows[2][0])
	}
	// By level, highest first: 甲 (all met) leads.
	test.Tap(h.sortBtns[4])
	if rows = rowTexts(h); rows[0][0] != "甲公司" {
		t.Fatalf("sorted by level: %q", rows[0])
	}
	// The search keeps a firm's matching diagnoses under its row.
	test.Type(h.search, "甲")
	if rows = rowTexts(h); len(rows) != 2 || rows[0][0] != "甲公司" {
		t.Fatalf("search: %q", rows)
	}
}

// Another feature's column (a sync status, say) appears in the list by appending to
// homeExtraColumns, before 更新时间.
func TestHomeExtraColumnHook(t *testing.T) {
	saved := homeExtraColumns // the app's own (the upload column) come back afterwards
	homeExtraColumns = append(slices.Clip(saved), homeColumn{header: "同步", width: 0.08,
		cell: func(e *docEntry) string { return "已上传" }})
	t.Cleanup(func() { homeExtraColumns = saved })
	ui, _ := newTestUI(t)
	putDoc(t, ui, "cmmm-full", 1, "乙公司", codeA, 0, "", false)
	ui.showHome()
	homeLoaded(t, ui)
	rows := rowTexts(ui.home)
	cols := ui.home.columns()
	if cols[len(cols)-2].header != "同步" || rows[1][len(cols)-2] != "已上传" || len(rows[1]) != len(cols) {
		t.Fatalf("columns %d, row %q", len(cols), rows[1])
	}
}

// A second visit starts from the firm's row: the profile is copied, each item shows last time's
// answer, answers are saved to a new document, and the results show the change since last time.
func TestRepeatVisitFromPrevious(t *testing.T) {
	ui, dir := newTestUI(t)
	prev := putDoc(t, ui, "cmmm-full", 5, "南京恒拓精密机械有限公司", codeA, 0, "part", false)
	ui.showHome()
	homeLoaded(t, ui)
	h := ui.home
	h.list.Select(0) // the firm's row
	test.Tap(h.startBtn)
	nd := ui.newDiag
	if nd == nil || nd.repeat == nil || !strings.Contains(nd.repeat.Text, "2026-03-01") {
		t.Fatal("the new diagnosis screen does not say it repeats the last one")
	}
	if pq, _ := q.Lookup(prev.Questionnaire.ID, ""); !strings.HasPrefix(nd.questionnaire.Selected, pq.Title) {
		t.Errorf("questionnaire %q, last time %s", nd.questionnaire.Selected, pq.Title)
	}
	test.Tap(nd.start)
	w := ui.wizard
	if w == nil || w.previous == nil || w.previous.Doc.ID != prev.ID {
		t.Fatal("the wizard did not find the previous diagnosis")
	}
	shot(t, ui, "visit-wizard-last-time")
	it := w.current()
	if it.Type != q.TypeScale || w.prevLine.Hidden || !strings.Contains(w.prevLine.Text, "上次：部分满足") {
		t.Fatalf("last time line %q (hidden %v) for %s", w.prevLine.Text, w.prevLine.Hidden, it.ID)
	}
	typeRune(ui, '1') // 全部满足 now
	d := readDoc(t, dir, w.s.Doc.ID)
	if d.ID == prev.ID || d.Enterprise.Name != prev.Enterprise.Name || d.Enterprise.CreditCode != prev.Enterprise.CreditCode ||
		d.Enterprise.Street != prev.Enterprise.Street || d.Enterprise.Employees != prev.Enterprise.Employees {
		t.Fatalf("profile not copied: %+v", d.Enterprise)
	}
	if a := d.Answers[it.ID]; a == nil || string(a.Value) != `"full"` || len(d.Answers) != 1 {
		t.Fatalf("answers on disk %v", d.Answers)
	}
	test.Tap(screenButton(t, ui, "查看结果"))
	rs := ui.results
	if rs.change == nil || !strings.Contains(rs.change.Text, "与上次（2026-03-01）相比") || !strings.Contains(rs.change.Text, "1 题提高") {
		t.Fatalf("change %v", rs.change)
	}
	if len(rs.changes) == 0 || !strings.Contains(strings.Join(rs.changes, "\n"), "→") {
		t.Fatalf("sub-domain changes %q", rs.changes)
	}
	rs.tabs.SelectIndex(1)
	shot(t, ui, "visit-results-change")
	// A first visit has neither line.
	s := finishedDraft(t, ui)
	s.Doc.Enterprise.CreditCode = codeB
	ui.showWizard(s, "")
	if ui.wizard.previous != nil || !ui.wizard.prevLine.Hidden {
		t.Fatal("a first visit shows a last time")
	}
}

// The finish screen of a draft writes a preview watermarked 草稿 to the reports folder; the
// document stays a draft and is not embedded in the preview.
func TestDraftPreviewReport(t *testing.T) {
	ui, dir := newTestUI(t)
	s := finishedDraft(t, ui)
	ui.showFinish(s)
	f := ui.finish
	if f.previewBtn.Hidden || f.previewBtn.Disabled() {
		t.Fatal("no preview for a draft")
	}
	test.Tap(f.previewBtn)
	path := filepath.Join(dir, "reports", service.PreviewFileName(s.Doc))
	waitFor(t, func() bool { return f.reportPath == path })
	shot(t, ui, "visit-draft-preview")
	pdf, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("preview: %v", err)
	}
	if _, err := seal.ExtractDocument(pdf); err == nil {
		t.Error("the preview embeds the draft")
	}
	if !strings.Contains(f.status.Text, "草稿") || !f.reportBtn.Disabled() {
		t.Errorf("status %q, report button enabled %v", f.status.Text, !f.reportBtn.Disabled())
	}
	if d := readDoc(t, dir, s.Doc.ID); d.Status != assessment.StatusDraft {
		t.Fatalf("status %s after a preview", d.Status)
	}
	// A finished diagnosis has its report, no preview.
	ui.showFinish(&assessment.Session{WS: ui.ws, Doc: finishedCopy(t, s.Doc), Q: s.Q})
	if !ui.finish.previewBtn.Hidden {
		t.Error("a finished diagnosis offers a draft preview")
	}
}

func finishedCopy(t *testing.T, d *assessment.Document) *assessment.Document {
	t.Helper()
	data, _ := d.Encode()
	c, err := assessment.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	c.Status, c.Finished = assessment.StatusFinished, &now
	return c
}

// The wizard's tree selects the node of the item shown and keeps it so as the consultant moves
// with the keys; a click on another node still goes to its first item.
func TestWizardTreeFollowsItem(t *testing.T) {
	ui, _ := newTestUI(t)
	s := finishedDraft(t, ui)
	ui.showWizard(s, "")
	w := ui.wizard
	check := func() {
		t.Helper()
		it := w.current()
		if sel := w.treeNode; sel != w.leafOf[it] {
			t.Fatalf("item %s in %s, tree selects %v", it.ID, w.leafOf[it], sel)
		}
	}
	w.pos = 0
	w.show()
	check()
	first := w.leafOf[w.current()]
	for w.leafOf[w.current()] == first {
		press(ui, fyne.KeyReturn)
	}
	check()
	press(ui, fyne.KeyLeft)
	check()
	// A click on the last node goes to its first item.
	var last *q.Item
	for _, it := range w.items {
		if w.leafOf[it] != w.leafOf[w.items[0]] {
			last = it
		}
	}
	node := w.leafOf[last]
	w.tree.Select(node)
	if w.leafOf[w.current()] != node {
		t.Fatalf("a click on %s went to %s", node, w.current().ID)
	}
	check()
}

// An empty plan says why: a firm meeting every requirement has reached its target.
func TestEmptyPlanSaysWhy(t *testing.T) {
	ui, _ := newTestUI(t)
	s := finishedDraft(t, ui)
	for _, it := range s.Q.Items() {
		if it.Type == q.TypeScale {
			if err := s.Answer(it.ID, "full", time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	ui.showPlan(s)
	ps := ui.plan
	if ps.empty.Hidden || !strings.Contains(ps.empty.Text, "已达到目标等级") {
		t.Fatalf("empty plan message %q (hidden %v)", ps.empty.Text, ps.empty.Hidden)
	}
	shot(t, ui, "visit-empty-plan")
}

// The repeat visit in English: the screens it passes through say it in English (questionnaire
// titles, last time's answer, the change, levels below level 1).
func TestRepeatVisitInEnglish(t *testing.T) {
	ui, _ := newTestUI(t)
	setLanguage("en")
	putDoc(t, ui, "cmmm-full", 5, "南京恒拓精密机械有限公司", codeA, 0, "part", false)
	ui.showHome()
	homeLoaded(t, ui)
	ui.home.list.Select(0)
	test.Tap(ui.home.startBtn)
	nd := ui.newDiag
	if !strings.HasPrefix(nd.repeat.Text, "Repeat visit") || !strings.HasPrefix(nd.questionnaire.Selected, "Smart-manufacturing capability maturity") ||
		!strings.HasPrefix(nd.target.Options[1], "Level 1") {
		t.Fatalf("new diagnosis: %q / %q / %v", nd.repeat.Text, nd.questionnaire.Selected, nd.target.Options)
	}
	shot(t, ui, "en-visit-new")
	test.Tap(nd.start)
	if txt := ui.wizard.prevLine.Text; !strings.HasPrefix(txt, "Last time: Partly met\nLast time's note: ") {
		t.Fatalf("last time %q", txt)
	}
	typeRune(ui, '1')
	test.Tap(screenButton(t, ui, "Results"))
	rs := ui.results
	if !strings.HasPrefix(rs.change.Text, "Since last time (2026-03-01): level Below level 1") || hasHan(rs.badge.Text) {
		t.Fatalf("change %q, badge %q", rs.change.Text, rs.badge.Text)
	}
	rs.tabs.SelectIndex(1)
	shot(t, ui, "en-visit-results-change")
	ui.showFinish(ui.wizard.s)
	if txt := dialogText(ui.win.Content()); strings.Contains(txt, "未达") {
		t.Errorf("finish screen in English: %q", txt)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// A firm name too long for its column takes a second line instead of being cut; a short one
// keeps one line.
func TestHomeLongNameWraps(t *testing.T) {
	ui, _ := newTestUI(t)
	putDoc(t, ui, "cmmm-full", 1, "南京江宁经济技术开发区高端智能装备与精密零部件制造股份有限公司", codeA, 0, "", false)
	putDoc(t, ui, "cmmm-full", 2, "甲公司", codeB, 10, "", false)
	ui.showHome()
	homeLoaded(t, ui)
	h := ui.home
	h.sortBy(0) // by name: 南… then 甲…
	rows := rowTexts(h)
	if !strings.HasPrefix(rows[0][0], "南京") || !h.tall[0] || h.tall[1] || h.tall[2] {
		t.Fatalf("rows %q, tall %v", rows[0][0], h.tall)
	}
	shot(t, ui, "visit-home-long-name")
}
