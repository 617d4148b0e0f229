package app

import (
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
	q "smartdiag/questionnaires"
	"smartdiag/service"
	"smartdiag/syncclient"
)

// docEntry is one document of the workspace as listed on the home screen.
type docEntry struct {
	path     string
	doc      *assessment.Document
	qn       *q.Questionnaire
	level    string // level name of a finished document
	levelN   *int   // its number, for sorting
	estimate bool   // the level is an estimate: shown with （估算）
	err      error
	upload   string // its status on the district server (sync.go); empty when not handed in
}

func statusText(s string) string { return T(service.StatusLabel(s)) }

// homeScreen lists enterprises and their diagnoses, newest activity first.
type homeScreen struct {
	ui       *UI
	search   *widget.Entry
	category *widget.Select
	street   *widget.Select
	status   *widget.Select
	list     *widget.List
	count    *widget.Label
	empty    *widget.Label
	progress *widget.ProgressBar

	newBtn, startBtn, continueBtn, resultsBtn, reportBtn, folderBtn, settingsBtn, districtBtn *widget.Button
	actions                                                                                   *fyne.Container // relaid out when the count's text changes, so it is not cut
	deleteBtn, binBtn                                                                         *widget.Button
	binRestore                                                                                []*widget.Button // one per deleted draft in the open recycle dialog

	sortBtns []*widget.Button // column titles that sort (nil for those that do not)
	sortCol  int
	sortDesc bool

	mu       sync.Mutex
	entries  []docEntry
	rows     []homeRow    // firms and their diagnoses, as listed
	tall     map[int]bool // rows given more than one line (sizeRows)
	selected int

	// Sync with the district server (sync.go).
	syncBtn     *widget.Button
	syncState   *syncclient.State // the workspace's sync state; nil: unreadable
	assignments *assignmentsPanel
	content     fyne.CanvasObject // the screen, to tell whether it is still shown
}

func (ui *UI) showHome() {
	ui.ws.ReleaseAll() // the user left the document: another window may open it now
	h := &homeScreen{ui: ui, selected: -1}
	ui.home = h
	all := T("全部")
	h.search = widget.NewEntry()
	h.search.SetPlaceHolder(T("搜索企业名称或统一社会信用代码"))
	h.search.OnChanged = func(string) { h.filter() }
	h.category = widget.NewSelect(append([]string{all}, ui.profile().CategoryKeys()...), func(string) { h.filter() })
	h.category.SetSelected(all)
	h.street = widget.NewSelect(append([]string{all}, ui.profile().Streets...), func(string) { h.filter() })
	h.street.SetSelected(all)
	h.status = widget.NewSelect([]string{all, T("草稿"), T("已完成"), T("已封存")}, func(string) { h.filter() })
	h.status.SetSelected(all)
	h.count = widget.NewLabel("")
	h.progress = widget.NewProgressBar()

	h.sortCol, h.sortDesc = len(h.columns())-1, true // newest activity first
	h.list = widget.NewList(
		func() int { h.mu.Lock(); defer h.mu.Unlock(); return len(h.rows) },
		h.newRow,
		func(i widget.ListItemID, o fyne.CanvasObject) {
			h.mu.Lock()
			defer h.mu.Unlock()
			if i < len(h.rows) {
				h.fillRow(h.rows[i], o)
			}
		},
	)
	h.list.OnSelected = func(i widget.ListItemID) { h.selected = i; h.updateButtons() }
	h.list.OnUnselected = func(widget.ListItemID) { h.selected = -1; h.updateButtons() }

	h.newBtn = widget.NewButton(T("新建企业"), func() { ui.showEnterpriseForm(nil) })
	h.newBtn.Importance = widget.HighImportance
	h.startBtn = widget.NewButton(T("开始诊断"), func() {
		if e := h.current(); e != nil {
			// A firm seen before starts from its last finished diagnosis: profile copied, last
			// time's answers shown beside each item.
			if p := h.lastFinished(); p != nil {
				ui.showNewDiagnosisFrom(p.doc.Enterprise, p.doc)
			} else {
				ui.showNewDiagnosis(e.doc.Enterprise)
			}
		}
	})
	h.continueBtn = widget.NewButton(T("继续"), func() {
		if e := h.current(); e != nil {
			ui.openDocument(e.doc.ID, "")
		}
	})
	h.resultsBtn = widget.NewButton(T("查看结果"), func() {
		if e := h.current(); e != nil {
			if s, err := assessment.OpenSession(ui.ws, e.doc.ID); err != nil {
				ui.showError(err)
			} else {
				ui.showResults(s)
			}
		}
	})
	h.reportBtn = widget.NewButton(T("生成报告"), func() {
		if e := h.current(); e != nil {
			if s, err := assessment.OpenSession(ui.ws, e.doc.ID); err != nil {
				ui.showError(err)
			} else {
				ui.showFinish(s)
			}
		}
	})
	h.folderBtn = widget.NewButton(T("在文件夹中显示"), func() {
		dir := ui.ws.Dir
		if e := h.current(); e != nil {
			dir = filepath.Dir(e.path)
		}
		ui.openFolder(dir)
	})
	h.deleteBtn = widget.NewButton(T("删除草稿"), func() {
		if e := h.current(); e != nil && e.doc.Status == assessment.StatusDraft {
			h.deleteDraft(e.doc)
		}
	})
	h.binBtn = widget.NewButton(T("回收站"), h.showBin)
	h.settingsBtn = widget.NewButton(T("设置"), func() { ui.showSettings() })
	h.districtBtn = widget.NewButton(T("区工信局统计"), func() { ui.showDistrict() })
	h.syncBtn = widget.NewButton(T("同步"), ui.runSync)
	if ui.syncing {
		h.syncBtn.Disable()
	}
	h.updateButtons()

	filters := container.NewHBox(widget.NewLabel(T("类别")), h.category, widget.NewLabel(T("街道")), h.street, widget.NewLabel(T("状态")), h.status)
	top := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabelWithStyle(T(Title), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			container.NewHBox(h.newBtn, h.syncBtn, h.districtBtn, h.binBtn, h.settingsBtn)),
		widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, filters, h.search),
		h.header(),
	)
	h.actions = container.NewHBox(h.startBtn, h.continueBtn, h.resultsBtn, h.reportBtn, h.folderBtn, h.deleteBtn, layout.NewSpacer(), h.count)
	h.empty = widget.NewLabelWithStyle(T("工作区里还没有诊断。点右上角「新建企业」开始第一次诊断。"), fyne.TextAlignCenter, fyne.TextStyle{})
	h.empty.Hide()
	h.content = container.NewBorder(top, container.NewVBox(h.newAssignmentsPanel(), h.progress, h.actions), nil, nil, container.NewStack(container.New(&widthWatch{onWidth: h.sizeRows}, h.list), container.NewCenter(h.empty)))
	ui.setScreen(h.content)
	background(h.load)
}

func bold(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// load reads the workspace off the UI goroutine, showing progress, then fills the list.
func (h *homeScreen) load() {
	listed, err := h.ui.service().ListWorkspace(h.ui.ws.Dir, func(done, total int) {
		v := float64(done) / float64(total)
		onUI(func() { h.progress.SetValue(v) })
	})
	if err != nil {
		onUI(func() { h.ui.showError(err) })
		return
	}
	entries := make([]docEntry, len(listed))
	for i, le := range listed {
		entries[i] = docEntry{path: le.Path, doc: le.Doc, qn: le.Q, err: le.Err, levelN: le.Level, estimate: le.Estimate}
		if le.Level != nil {
			entries[i].level = levelShort(le.Q, *le.Level)
		}
	}
	syncState, err := syncclient.LoadState(h.ui.ws.Dir)
	if err != nil {
		fyne.LogError("reading the sync state", err)
	}
	onUI(func() {
		h.mu.Lock()
		h.entries = entries
		h.setSyncState(syncState)
		h.mu.Unlock()
		h.assignments.refresh(syncState)
		h.filter()
		h.progress.Hide() // last: tests take a hidden bar to mean the list is ready
	})
}

// filter applies the search text and the three filters.
func (h *homeScreen) filter() {
	if h.list == nil || h.count == nil {
		return
	}
	text := strings.ToUpper(strings.TrimSpace(h.search.Text))
	all := T("全部")
	h.mu.Lock()
	var shown []int
	for i, e := range h.entries {
		if e.doc == nil {
			if text == "" {
				shown = append(shown, i)
			}
			continue
		}
		d := e.doc
		if text != "" && !strings.Contains(strings.ToUpper(d.Enterprise.Name), text) && !strings.Contains(d.Enterprise.CreditCode, assessment.NormalizeCreditCode(text)) {
			continue
		}
		if c := h.category.Selected; c != "" && c != all && !slices.Contains(d.Enterprise.Categories, c) {
			continue
		}
		if s := h.street.Selected; s != "" && s != all && d.Enterprise.Street != s {
			continue
		}
		if s := h.status.Selected; s != "" && s != all && statusText(d.Status) != s {
			continue
		}
		shown = append(shown, i)
	}
	h.rows = h.group(shown)
	n, total := len(shown), len(h.entries)
	h.mu.Unlock()
	h.sizeRows()
	h.count.SetText(Tf("显示 %d / %d 份诊断", n, total))
	if h.actions != nil {
		h.actions.Refresh()
	}
	if h.empty != nil {
		if total == 0 {
			h.empty.Show()
		} else {
			h.empty.Hide()
		}
	}
	h.list.UnselectAll()
	h.list.Refresh()
}

// current is the selected diagnosis; on a firm's row, its newest diagnosis.
func (h *homeScreen) current() *docEntry {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.selected < 0 || h.selected >= len(h.rows) {
		return nil
	}
	r := h.rows[h.selected]
	e := r.group.newest()
	if r.entry >= 0 {
		e = &h.entries[r.entry]
	}
	if e.doc == nil {
		return nil
	}
	c := *e
	return &c
}

// lastFinished is the newest finished or sealed diagnosis of the selected firm, or nil.
func (h *homeScreen) lastFinished() *docEntry {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.selected < 0 || h.selected >= len(h.rows) {
		return nil
	}
	for _, e := range h.rows[h.selected].group.all {
		if e.doc != nil && e.doc.Status != assessment.StatusDraft {
			c := *e
			return &c
		}
	}
	return nil
}

func (h *homeScreen) updateButtons() {
	e := h.current()
	set := func(b *widget.Button, on bool) {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	set(h.startBtn, e != nil)
	set(h.continueBtn, e != nil && e.doc.Status == assessment.StatusDraft)
	set(h.resultsBtn, e != nil)
	set(h.reportBtn, e != nil && e.doc.Status != assessment.StatusDraft)
	set(h.deleteBtn, e != nil && e.doc.Status == assessment.StatusDraft)
}

// openFolder opens a folder in the system's file manager.
func (ui *UI) openFolder(dir string) {
	u, err := url.Parse(storage.NewFileURI(dir).String())
	if err == nil {
		err = ui.app.OpenURL(u)
	}
	if err != nil {
		ui.showError(fmt.Errorf("%s：%v", T("无法打开文件夹"), err))
	}
}

// columnsLayout lays children out in one row with widths as fractions of the row.
type columnsLayout struct{ widths []float32 }

func (l *columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objs {
		w := size.Width * l.widths[i%len(l.widths)]
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (l *columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(400, h)
}
