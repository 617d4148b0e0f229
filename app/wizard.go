package app

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
	q "smartdiag/questionnaires"
)

// wizardScreen walks the questionnaire one item at a time. Keys: 1–4 answer on the scale, 0 不适用,
// Enter or → next, ← previous, N next unanswered. Every change is saved at once.
type wizardScreen struct {
	ui    *UI
	s     *assessment.Session
	items []*q.Item // visible items in order
	pos   int

	tree      *widget.Tree
	overall   *widget.ProgressBar
	saveState *widget.Label
	position  *widget.Label

	code      *widget.Label
	text      *widget.Label
	guidance  *widget.Label
	guideBox  *widget.Accordion
	answerBox *fyne.Container
	note      *widget.Entry
	evidence  *widget.Label
	attach    *widget.Button
	// evidenceBox lists the item's attachments (open, remove) and those removed to the recycle
	// folder (restore); the rows are kept for tests.
	evidenceBox  *fyne.Container
	evidenceRows []evidenceRow
	thumbs       thumbCache

	scaleButtons []*widget.Button // scale options then N/A, for cmmm items
	numberEntry  *widget.Entry
	numberHint   *widget.Label
	kpiWarn      *widget.Label // plausibility notes on the number shown, as the consultant types

	prev, next, nextUnanswered *widget.Button

	// previous is the firm's last finished diagnosis on this questionnaire (nil on a first visit);
	// prevLine shows its answer to the item shown.
	previous *assessment.Previous
	prevLine *widget.Label

	itemBox   *fyne.Container
	leafOf    map[*q.Item]string   // the tree node that lists an item
	syncing   bool                 // the tree's selection is being moved to the item shown
	treeNode  string               // the node selected in the tree
	rel       map[string]bool      // relevance of every item, recomputed once per change for the tree
	nodesOf   map[*q.Item][]string // tree nodes that count an item
	lastShown int                  // number of visible items at the last tree refresh
	noteTimer *time.Timer
	loading   bool // true while fields are filled for a new item, so their change handlers do not save
}

// openDocument opens a draft from the workspace in the wizard.
func (ui *UI) openDocument(id, itemID string) {
	s, err := assessment.OpenSession(ui.ws, id)
	if err != nil {
		ui.showError(err)
		return
	}
	if s.Doc.Status != assessment.StatusDraft {
		ui.showResults(s)
		return
	}
	ui.showWizard(s, itemID)
}

func (ui *UI) showWizard(s *assessment.Session, itemID string) {
	w := &wizardScreen{ui: ui, s: s}
	ui.wizard = w
	w.items = s.Visible()
	w.overall = widget.NewProgressBar()
	w.saveState = widget.NewLabel("")
	w.position = widget.NewLabel("")
	w.code = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.text = widget.NewLabel("")
	w.text.Wrapping = fyne.TextWrapWord
	w.text.SizeName = theme.SizeNameSubHeadingText
	w.guidance = widget.NewLabel("")
	w.guidance.Wrapping = fyne.TextWrapWord
	w.guideBox = widget.NewAccordion(widget.NewAccordionItem(T("查证要点（看什么证据）"), w.guidance))
	w.guideBox.Open(0)
	w.answerBox = container.NewVBox()
	w.note = widget.NewMultiLineEntry()
	w.note.SetPlaceHolder(T("备注：现场看到的证据、企业的说明……（自动保存）"))
	w.note.SetMinRowsVisible(3)
	w.note.Wrapping = fyne.TextWrapWord
	w.note.OnChanged = func(string) { w.noteChanged() }
	w.evidence = widget.NewLabel("")
	w.evidence.Wrapping = fyne.TextWrapWord
	w.attach = widget.NewButton(T("添加证据附件"), w.pickEvidence)
	w.evidenceBox = container.NewVBox()
	w.prev = widget.NewButton("← "+T("上一题"), func() { w.move(-1) })
	w.next = widget.NewButton(T("下一题")+" →", func() { w.move(1) })
	w.next.Importance = widget.HighImportance
	w.nextUnanswered = widget.NewButton(T("下一道未答题")+" (N)", w.gotoNextUnanswered)

	w.previous = ui.ws.FindPrevious(s.Doc)
	w.prevLine = widget.NewLabel("")
	w.prevLine.Wrapping = fyne.TextWrapWord
	w.prevLine.Importance = widget.WarningImportance
	w.prevLine.Hidden = w.previous == nil
	w.tree = w.buildTree()
	results := widget.NewButton(T("查看结果"), func() { w.flushNote(); ui.showResults(s) })
	profile := widget.NewButton(T("企业概况"), func() {
		w.flushNote()
		at := w.current().ID
		ui.showProfile(s, func() { ui.showWizard(s, at) })
	})
	finish := widget.NewButton(T("完成诊断"), func() { w.flushNote(); ui.showFinish(s) })
	home := widget.NewButton("← "+T("首页"), func() { w.flushNote(); ui.forgetPosition(); ui.showHome() })

	title := widget.NewLabelWithStyle(s.Doc.Enterprise.Name+" · "+s.Q.TitleIn(language()), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	top := container.NewVBox(
		container.NewBorder(nil, nil, home, container.NewHBox(container.NewGridWrap(fyne.NewSize(150, 36), w.saveState), profile, results, finish), title),
		container.NewBorder(nil, nil, widget.NewLabel(T("总进度")), container.NewGridWrap(fyne.NewSize(230, 36), w.position), w.overall),
		widget.NewSeparator(),
	)
	w.itemBox = container.NewVBox(
		w.code, w.text, w.guideBox,
		widget.NewSeparator(),
		w.answerBox,
		w.prevLine,
		widget.NewSeparator(),
		w.note,
		container.NewBorder(nil, nil, nil, w.attach, w.evidence),
		w.evidenceBox,
	)
	nav := container.NewHBox(w.prev, layout.NewSpacer(), w.nextUnanswered, w.next)
	right := container.NewBorder(nil, nav, nil, nil, container.NewVScroll(container.NewPadded(w.itemBox)))
	split := container.NewHSplit(w.tree, right)
	split.Offset = 0.26
	ui.setScreen(container.NewBorder(top, nil, nil, nil, split))

	c := ui.win.Canvas()
	c.SetOnTypedRune(w.typedRune)
	c.SetOnTypedKey(w.typedKey)

	w.pos = 0
	for i, it := range w.items {
		if it.ID == itemID {
			w.pos = i
		}
	}
	if itemID == "" {
		if i := s.NextUnanswered(w.items, len(w.items)-1); i >= 0 {
			w.pos = i
		}
	}
	w.show()
}

// --- navigation tree ----------------------------------------------------------------------------

const kpiNode = "kpis"

func (w *wizardScreen) buildTree() *widget.Tree {
	qn := w.s.Q
	children := map[string][]string{}
	label := map[string]string{}
	itemsOf := map[string][]*q.Item{} // leaf node → its items
	if qn.Scoring == q.ScoringCMMM {
		for _, e := range qn.Elements {
			eid := "e:" + e.ID
			children[""] = append(children[""], eid)
			label[eid] = localName(e.Name, e.NameEN)
			for _, d := range e.Domains {
				did := "d:" + d.ID
				children[eid] = append(children[eid], did)
				label[did] = localName(d.Name, d.NameEN)
				parent := did
				if len(d.SubDomains) == 1 && d.SubDomains[0].Name == d.Name {
					// A domain with a single sub-domain of the same name is one node, not two.
					children[eid][len(children[eid])-1] = "s:" + d.SubDomains[0].ID
					delete(label, did)
					parent = eid
				}
				for _, sd := range d.SubDomains {
					sid := "s:" + sd.ID
					if parent == did {
						children[did] = append(children[did], sid)
					}
					label[sid] = localName(sd.Name, sd.NameEN)
					itemsOf[sid] = sd.Items
				}
			}
		}
	} else {
		var walk func(parent string, ss []*q.Section)
		walk = func(parent string, ss []*q.Section) {
			for _, s := range ss {
				id := "s:" + s.ID
				children[parent] = append(children[parent], id)
				label[id] = localName(s.Name, s.NameEN)
				itemsOf[id] = s.Items
				walk(id, s.Sections)
			}
		}
		walk("", qn.Sections)
	}
	if len(qn.KPIs) > 0 {
		children[""] = append(children[""], kpiNode)
		label[kpiNode] = T("关键指标")
		itemsOf[kpiNode] = qn.KPIs
	}
	// A node's items include its descendants'.
	var collect func(id string) []*q.Item
	collect = func(id string) []*q.Item {
		out := append([]*q.Item{}, itemsOf[id]...)
		for _, c := range children[id] {
			out = append(out, collect(c)...)
		}
		return out
	}
	all := map[string][]*q.Item{}
	w.nodesOf = map[*q.Item][]string{}
	w.leafOf = map[*q.Item]string{}
	for id, items := range itemsOf {
		for _, it := range items {
			w.leafOf[it] = id
		}
	}
	for id := range label {
		all[id] = collect(id)
		for _, it := range all[id] {
			w.nodesOf[it] = append(w.nodesOf[it], id)
		}
	}
	t := widget.NewTree(
		func(id widget.TreeNodeID) []widget.TreeNodeID { return children[id] },
		func(id widget.TreeNodeID) bool { return len(children[id]) > 0 },
		func(bool) fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
			rel := w.rel
			if rel == nil {
				rel = assessment.Relevant(w.s.Q, w.s.Doc)
			}
			var shown []*q.Item
			for _, it := range all[id] {
				if rel[it.ID] {
					shown = append(shown, it)
				}
			}
			a, n := w.s.Progress(shown)
			mark := ""
			if n > 0 && a == n {
				mark = "✓ "
			}
			o.(*widget.Label).SetText(fmt.Sprintf("%s%s  %d/%d", mark, label[id], a, n))
		},
	)
	t.OnSelected = func(id widget.TreeNodeID) {
		w.treeNode = id
		items := itemsOf[id]
		if len(items) == 0 || w.syncing {
			return
		}
		w.flushNote()
		for i, it := range w.items {
			for _, x := range items {
				if it == x {
					w.pos = i
					w.show()
					return
				}
			}
		}
	}
	t.OpenAllBranches()
	return t
}

// --- showing an item ----------------------------------------------------------------------------

func (w *wizardScreen) current() *q.Item {
	if w.pos < 0 || w.pos >= len(w.items) {
		return nil
	}
	return w.items[w.pos]
}

func (w *wizardScreen) show() {
	it := w.current()
	if it == nil {
		return
	}
	w.loading = true
	defer func() { w.loading = false }()
	qn := w.s.Q
	var where []string
	if it.SubDomain != nil {
		where = append(where, localName(it.Element.Name, it.Element.NameEN), localName(it.Domain.Name, it.Domain.NameEN), localName(it.SubDomain.Name, it.SubDomain.NameEN))
	} else if it.Section != nil {
		where = append(where, localName(it.Section.Name, it.Section.NameEN))
	} else if it.KPI {
		where = append(where, T("关键指标"))
	}
	head := it.ID
	if it.Level > 0 && qn.CMMM != nil {
		head += " · " + levelLabel(qn, it.Level)
	}
	head += " · " + q.TrackName(it.Track, language()) + " · " + strings.Join(where, " › ")
	if !it.IsRequired() {
		head += " · " + T("选答")
	}
	w.code.SetText(head)
	w.text.SetText(it.TextIn(language()))
	w.guidance.SetText(it.GuidanceIn(language()))
	a := w.s.Doc.Answers[it.ID]
	note := ""
	if a != nil {
		note = a.Note
	}
	w.note.SetText(note)
	w.showEvidence()
	w.buildAnswer(it)
	w.showPrevious(it)
	w.syncTree(it)
	// Focus follows the item shown: a number item gets the cursor in its field; any other item
	// takes the focus away from the previous item's field, so no keystroke lands in a hidden field
	// and the answer keys reach the screen.
	if c := w.ui.win.Canvas(); w.numberEntry != nil {
		c.Focus(w.numberEntry)
	} else {
		c.Unfocus()
	}
	w.refreshProgress()
	w.prev.Disable()
	if w.pos > 0 {
		w.prev.Enable()
	}
	w.ui.rememberPosition(w.s.Doc.ID, it.ID)
}

// showPrevious shows last time's answer to the item (and its note) on a repeat visit.
func (w *wizardScreen) showPrevious(it *q.Item) {
	p := w.previous
	if p == nil {
		return
	}
	pit, ok := p.Q.Item(it.ID)
	if !ok {
		w.prevLine.SetText(T("上次：（上次的问卷版本没有这道题）"))
		return
	}
	a := p.Doc.Answer(it.ID)
	text := assessment.AnswerText(p.Q, pit, a, language())
	if text == "" {
		text = T("未回答")
	}
	line := Tf("上次：%s", text)
	if a != nil && strings.TrimSpace(a.Note) != "" {
		line += "\n" + Tf("上次备注：%s", a.Note)
	}
	w.prevLine.SetText(line)
}

// syncTree selects the tree node of the item shown and scrolls it into view, without moving to
// that node's first item as a click would.
func (w *wizardScreen) syncTree(it *q.Item) {
	id, ok := w.leafOf[it]
	if !ok || w.tree == nil {
		return
	}
	w.syncing = true
	w.tree.Select(id)
	w.tree.ScrollTo(id)
	w.syncing = false
}

// buildAnswer puts the answer widgets of the item's type in the answer box.
func (w *wizardScreen) buildAnswer(it *q.Item) {
	w.answerBox.RemoveAll()
	w.scaleButtons = nil
	w.numberEntry, w.numberHint, w.kpiWarn = nil, nil, nil
	qn := w.s.Q
	cur := w.currentValue(it)
	switch it.Type {
	case q.TypeScale:
		opts := append([]q.ScaleOption{}, qn.CMMM.Scale...)
		if qn.CMMM.NA != nil {
			opts = append(opts, *qn.CMMM.NA)
		}
		row := container.NewGridWithColumns(len(opts))
		for i, o := range opts {
			key := strconv.Itoa(i + 1)
			if qn.CMMM.NA != nil && o.Key == qn.CMMM.NA.Key {
				key = "0"
			}
			label := o.LabelIn(language())
			b := widget.NewButton(fmt.Sprintf("%s\n(%s)", label, key), func() { w.answer(o.Key) })
			if cur == o.Key {
				b.Importance = widget.HighImportance
			}
			w.scaleButtons = append(w.scaleButtons, b)
			row.Add(container.NewGridWrap(fyne.NewSize(150, 64), b))
		}
		w.answerBox.Add(row)
		w.answerBox.Add(widget.NewLabel(T("快捷键：1–4 选择，0 不适用，回车或 → 下一题，← 上一题，N 下一道未答题")))
	case q.TypeSingle:
		var labels []string
		for _, o := range it.Options {
			labels = append(labels, o.LabelIn(language()))
		}
		rg := widget.NewRadioGroup(labels, nil)
		for _, o := range it.Options {
			if o.Key == cur {
				rg.SetSelected(o.LabelIn(language()))
			}
		}
		rg.OnChanged = func(sel string) {
			for _, o := range it.Options {
				if o.LabelIn(language()) == sel {
					w.answer(o.Key)
				}
			}
		}
		w.answerBox.Add(rg)
	case q.TypeMulti:
		var labels []string
		for _, o := range it.Options {
			labels = append(labels, o.LabelIn(language()))
		}
		cg := widget.NewCheckGroup(labels, nil)
		var sel []string
		var curKeys []string
		if a := w.s.Doc.Answer(it.ID); a != nil {
			json.Unmarshal(a.Value, &curKeys)
		}
		for _, o := range it.Options {
			for _, k := range curKeys {
				if k == o.Key {
					sel = append(sel, o.LabelIn(language()))
				}
			}
		}
		cg.SetSelected(sel)
		prev := append([]string{}, sel...)
		cg.OnChanged = func(sel []string) {
			// An exclusive option (以上均未…) clears the others, and choosing another clears it.
			for _, o := range it.Options {
				if !o.Exclusive || !slices.Contains(sel, o.LabelIn(language())) || len(sel) < 2 {
					continue
				}
				if slices.Contains(prev, o.LabelIn(language())) {
					sel = slices.DeleteFunc(slices.Clone(sel), func(s string) bool { return s == o.LabelIn(language()) })
				} else {
					sel = []string{o.LabelIn(language())}
				}
				prev = sel
				cg.SetSelected(sel) // calls OnChanged again with a valid set
				return
			}
			prev = append([]string{}, sel...)
			keys := []string{}
			for _, o := range it.Options {
				for _, s := range sel {
					if s == o.LabelIn(language()) {
						keys = append(keys, o.Key)
					}
				}
			}
			w.answer(keys)
		}
		w.answerBox.Add(cg)
	case q.TypeNumber:
		e := widget.NewEntry()
		e.SetPlaceHolder(fmt.Sprintf("%g – %g", *it.Min, *it.Max))
		if cur != "" {
			e.SetText(cur)
		}
		hint := widget.NewLabel("")
		w.numberEntry, w.numberHint = e, hint
		e.OnChanged = func(s string) { w.numberChanged(it, e, s) }
		e.OnSubmitted = func(string) {
			if e == w.numberEntry {
				w.move(1)
			}
		}
		w.answerBox.Add(container.NewBorder(nil, nil, nil, widget.NewLabel(it.UnitIn(language())), e))
		w.answerBox.Add(hint)
		w.kpiWarn = widget.NewLabel("")
		w.kpiWarn.Wrapping = fyne.TextWrapWord
		w.answerBox.Add(w.kpiWarn)
		w.showKPINotes(it)
	case q.TypeScenario:
		labels := []string{T("未开展")}
		if qn.AI != nil {
			// Stage 0 of an AI scenario is "the scenario itself is not built", not "no AI yet"
			// (that is stage 1): say so, or consultants answer 0 for digital scenarios.
			labels[0] = T("未建设该场景（尚无信息系统或自动化支撑）")
		}
		for _, l := range it.Levels {
			labels = append(labels, localName(qn.Points.ScenarioLevels[l.Level-1].Name, fmt.Sprintf("Level %d", l.Level))+localName("：", ": ")+l.TextIn(language()))
		}
		rg := widget.NewRadioGroup(labels, nil)
		if cur != "" {
			n, _ := strconv.Atoi(cur)
			if n >= 0 && n < len(labels) {
				rg.SetSelected(labels[n])
			}
		}
		rg.OnChanged = func(sel string) {
			for i, l := range labels {
				if l == sel {
					w.answer(i)
				}
			}
		}
		w.answerBox.Add(rg)
	}
	w.answerBox.Refresh()
	if w.itemBox != nil {
		w.itemBox.Refresh() // the answer widgets differ in height between item types
	}
}

// currentValue is the item's answer as a string: a key, or a number's text.
func (w *wizardScreen) currentValue(it *q.Item) string {
	a := w.s.Doc.Answer(it.ID)
	if a == nil {
		return ""
	}
	var v any
	if json.Unmarshal(a.Value, &v) != nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

// --- answering and saving -----------------------------------------------------------------------

// answer records and saves an answer for the current item.
func (w *wizardScreen) answer(val any) {
	if it := w.current(); it != nil {
		w.answerItem(it, func(now time.Time) error { return w.s.Answer(it.ID, val, now) })
	}
}

// answerItem applies a change to an item's answer and saves; a change for an item that is not
// the one shown (a late event from a field of the previous item) is ignored.
func (w *wizardScreen) answerItem(it *q.Item, change func(now time.Time) error) {
	if w.loading || it != w.current() {
		return
	}
	now := w.ui.now()
	if err := change(now); err != nil {
		w.saveState.SetText("⚠ " + T("未保存"))
		w.ui.showError(err)
		return
	}
	w.saved(now)
	// A scale answer may change which items are shown (relevance): recompute, stay on this item.
	w.items = w.s.Visible()
	for i, x := range w.items {
		if x == it {
			w.pos = i
		}
	}
	if it.Type == q.TypeScale {
		w.buildAnswer(it)
	}
	w.refreshProgress()
}

func (w *wizardScreen) numberChanged(it *q.Item, e *widget.Entry, s string) {
	if w.loading || e != w.numberEntry || it != w.current() {
		return
	}
	s = strings.TrimSpace(s)
	if s == "" {
		// An emptied field means "no answer", not "keep the last number".
		w.numberHint.SetText("")
		w.answerItem(it, func(now time.Time) error { return w.s.ClearAnswer(it.ID, now) })
		w.showKPINotes(it)
		return
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		w.numberHint.SetText(T("请输入数字"))
		return
	}
	if v < *it.Min || v > *it.Max {
		w.numberHint.SetText(Tf("超出范围：应在 %g 到 %g %s 之间", *it.Min, *it.Max, it.UnitIn(language())))
		return
	}
	w.numberHint.SetText("")
	w.answerItem(it, func(now time.Time) error { return w.s.Answer(it.ID, v, now) })
	w.showKPINotes(it)
}

// showKPINotes shows, beside a number item, the plausibility rules (reference/kpi_rules.yaml) its
// saved value breaks together with the other figures: a warning to check, never a refusal.
func (w *wizardScreen) showKPINotes(it *q.Item) {
	if w.kpiWarn == nil {
		return
	}
	var msgs []string
	imp := widget.WarningImportance
	for _, n := range assessment.CheckKPIs(w.s.Q, w.s.Doc) {
		if !slices.Contains(n.Items, it.ID) {
			continue
		}
		msgs = append(msgs, "⚠ "+n.Message(language()))
		if n.Severity == "error" {
			imp = widget.DangerImportance
		}
	}
	w.kpiWarn.Importance = imp
	w.kpiWarn.SetText(strings.Join(msgs, "\n"))
}

func (w *wizardScreen) saved(t time.Time) {
	w.saveState.SetText(Tf("已保存 %s", t.Local().Format("15:04:05")))
}

// noteChanged saves the note half a second after the consultant stops typing; moving to another
// item saves at once.
func (w *wizardScreen) noteChanged() {
	if w.loading {
		return
	}
	w.saveState.SetText(T("正在输入…"))
	if w.noteTimer != nil {
		w.noteTimer.Stop()
	}
	it := w.current()
	text := w.note.Text
	w.noteTimer = time.AfterFunc(500*time.Millisecond, func() {
		onUI(func() { w.saveNote(it, text) })
	})
}

func (w *wizardScreen) saveNote(it *q.Item, text string) {
	a := w.s.Doc.Answers[it.ID]
	if (a == nil && text == "") || (a != nil && a.Note == text) {
		return
	}
	now := w.ui.now()
	if err := w.s.Note(it.ID, text, now); err != nil {
		w.ui.showError(err)
		return
	}
	w.saved(now)
}

// flushNote saves a pending note immediately.
func (w *wizardScreen) flushNote() {
	if w.noteTimer != nil {
		w.noteTimer.Stop()
		w.noteTimer = nil
	}
	if it := w.current(); it != nil {
		w.saveNote(it, w.note.Text)
	}
}

func (w *wizardScreen) move(delta int) {
	w.flushNote()
	n := w.pos + delta
	if n < 0 || n >= len(w.items) {
		if n >= len(w.items) {
			// No dialog: held-down keys would stack one per press.
			w.position.SetText(T("已是最后一题：可以查看结果，或点「完成诊断」"))
		}
		return
	}
	w.pos = n
	w.show()
}

func (w *wizardScreen) gotoNextUnanswered() {
	w.flushNote()
	i := w.s.NextUnanswered(w.items, w.pos)
	if i < 0 {
		w.ui.info("全部已答", T("所有题目都已回答。"))
		return
	}
	w.pos = i
	w.show()
}

func (w *wizardScreen) refreshProgress() {
	w.rel = assessment.Relevant(w.s.Q, w.s.Doc)
	a, n := w.s.Progress(w.items)
	w.overall.TextFormatter = func() string { return fmt.Sprintf("%d / %d", a, n) }
	if n > 0 {
		w.overall.SetValue(float64(a) / float64(n))
	}
	w.position.SetText(Tf("第 %d / %d 题，已答 %d", w.pos+1, len(w.items), a))
	// Re-render only the nodes that count the current item, unless relevance changed what is shown:
	// shaping every node's label on each answer cost more than the save itself.
	if len(w.items) != w.lastShown {
		w.lastShown = len(w.items)
		w.tree.Refresh()
	} else if it := w.current(); it != nil {
		for _, id := range w.nodesOf[it] {
			w.tree.RefreshItem(id)
		}
	}
}

// typedRune handles the answer keys when no text field has the focus.
func (w *wizardScreen) typedRune(r rune) {
	it := w.current()
	if it == nil {
		return
	}
	switch {
	case r == 'n' || r == 'N':
		w.gotoNextUnanswered()
	case it.Type == q.TypeScale && r >= '0' && r <= '9':
		qn := w.s.Q
		i := int(r - '1')
		switch {
		case r == '0' && qn.CMMM.NA != nil:
			w.answer(qn.CMMM.NA.Key)
		case i >= 0 && i < len(qn.CMMM.Scale):
			w.answer(qn.CMMM.Scale[i].Key)
		}
	}
}

func (w *wizardScreen) typedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyRight:
		w.move(1)
	case fyne.KeyLeft:
		w.move(-1)
	}
}

// localName picks the English name of a group when the UI is in English and one is given.
func localName(zh, en string) string { return q.In(language(), zh, en) }

// levelShort is a level's short name in the UI language, e.g. 二级 or Level 2.
func levelShort(qn *q.Questionnaire, level int) string {
	if language() != "en" {
		return qn.LevelShortName(level)
	}
	if level <= 0 {
		return "Below level 1"
	}
	return fmt.Sprintf("Level %d", level)
}

// levelLabel is a level's full name in the UI language, e.g. 二级（规范级） or Level 2 (Standardised).
func levelLabel(qn *q.Questionnaire, level int) string {
	if language() == "en" && level <= 0 {
		return levelShort(qn, level) // "Below level 1", not 未达一级
	}
	if language() == "en" && qn.CMMM != nil && level > 0 && level <= len(qn.CMMM.Levels) {
		l := qn.CMMM.Levels[level-1]
		if l.TitleEN != "" {
			return fmt.Sprintf("Level %d (%s)", level, l.TitleEN)
		}
		return fmt.Sprintf("Level %d", level)
	}
	if language() == "en" && qn.AI != nil && level > 0 && level <= len(qn.AI.Levels) {
		return fmt.Sprintf("Level %d (%s)", level, qn.AI.Levels[level-1].TitleEN)
	}
	return qn.LevelName(level)
}
