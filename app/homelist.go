package app

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
)

// The home list groups diagnoses by enterprise: one row per firm (by credit code), its
// diagnoses beneath, newest first. Columns are data (homeColumns), so a feature can add one —
// a sync status, say — by appending to homeExtraColumns, without touching the list code.

// homeColumn is one column of the home list.
type homeColumn struct {
	header string  // Chinese, translated when shown
	width  float32 // share of the row; the shares are normalised
	// cell is the column's text for a diagnosis row; firm is its text for the firm row, given the
	// firm's diagnoses newest first (nil: the newest diagnosis's cell).
	cell func(e *docEntry) string
	firm func(g *firmGroup) string
	// less orders two firms by this column (nil: the column is not sortable).
	less func(a, b *firmGroup) int
}

// homeExtraColumns are columns other features add to the home list, after the status column.
var homeExtraColumns []homeColumn

// firmGroup is one enterprise and its diagnoses, newest first.
type firmGroup struct {
	key     string // normalised credit code, or the file path of an unreadable document
	entries []int  // indexes into homeScreen.entries
	all     []*docEntry
}

func (g *firmGroup) newest() *docEntry { return g.all[0] }

// homeRow is one line of the list: a firm (entry −1) or one of its diagnoses.
type homeRow struct {
	group *firmGroup
	entry int // index into homeScreen.entries; −1 for the firm row
	visit int // 1 for a firm's first diagnosis, 2 for its second…
}

func (h *homeScreen) columns() []homeColumn {
	date := func(e *docEntry) string { return e.doc.Created.Local().Format("2006-01-02") }
	cols := []homeColumn{
		{header: "企业", width: 0.21,
			cell: func(e *docEntry) string { return "" }, // filled by the row (visit number)
			firm: func(g *firmGroup) string { return g.newest().doc.Enterprise.Name },
			less: func(a, b *firmGroup) int {
				return cmp.Compare(a.newest().doc.Enterprise.Name, b.newest().doc.Enterprise.Name)
			}},
		{header: "信用代码", width: 0.15,
			cell: func(e *docEntry) string { return "" },
			firm: func(g *firmGroup) string { return g.newest().doc.Enterprise.CreditCode },
			less: func(a, b *firmGroup) int { return cmp.Compare(a.key, b.key) }},
		{header: "诊断日期", width: 0.09, cell: date,
			less: func(a, b *firmGroup) int { return a.newest().doc.Created.Compare(b.newest().doc.Created) }},
		{header: "问卷", width: 0.24,
			cell: func(e *docEntry) string { return e.qn.TitleIn(language()) },
			firm: func(g *firmGroup) string { return Tf("共 %d 份诊断", len(g.all)) },
			less: func(a, b *firmGroup) int {
				return cmp.Compare(a.newest().qn.TitleIn(language()), b.newest().qn.TitleIn(language()))
			}},
		{header: "等级", width: 0.11, cell: levelCell,
			firm: func(g *firmGroup) string { return levelCell(g.latestLevel()) },
			less: func(a, b *firmGroup) int { return cmp.Compare(levelRank(a.latestLevel()), levelRank(b.latestLevel())) }},
		{header: "状态", width: 0.07,
			cell: func(e *docEntry) string { return statusText(e.doc.Status) },
			less: func(a, b *firmGroup) int {
				return cmp.Compare(statusRank(a.newest().doc.Status), statusRank(b.newest().doc.Status))
			}},
	}
	cols = append(cols, homeExtraColumns...)
	return append(cols, homeColumn{header: "更新时间", width: 0.13,
		cell: func(e *docEntry) string { return e.doc.Updated.Local().Format("2006-01-02 15:04") },
		less: func(a, b *firmGroup) int { return a.newest().doc.Updated.Compare(b.newest().doc.Updated) }})
}

// latestLevel is the newest diagnosis with a level (finished or sealed), or nil.
func (g *firmGroup) latestLevel() *docEntry {
	for _, e := range g.all {
		if e.level != "" {
			return e
		}
	}
	return nil
}

func levelCell(e *docEntry) string {
	if e == nil || e.level == "" {
		return ""
	}
	if e.estimate {
		return e.level + T("（估算）")
	}
	return e.level
}

func levelRank(e *docEntry) int {
	if e == nil || e.levelN == nil {
		return -1
	}
	return *e.levelN
}

func statusRank(s string) int {
	return map[string]int{assessment.StatusDraft: 0, assessment.StatusFinished: 1, assessment.StatusSealed: 2}[s]
}

func columnWidths(cols []homeColumn) []float32 {
	var sum float32
	for _, c := range cols {
		sum += c.width
	}
	out := make([]float32, len(cols))
	for i, c := range cols {
		out[i] = c.width / sum
	}
	return out
}

// header is the row of column titles; a sortable title is a button that sorts by it (again:
// the other way round).
func (h *homeScreen) header() fyne.CanvasObject {
	cols := h.columns()
	row := container.New(&columnsLayout{widths: columnWidths(cols)})
	h.sortBtns = make([]*widget.Button, len(cols))
	for i, c := range cols {
		if c.less == nil {
			row.Add(bold(T(c.header)))
			continue
		}
		b := widget.NewButton(T(c.header), func() { h.sortBy(i) })
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		h.sortBtns[i] = b
		row.Add(b)
	}
	h.markSort()
	return row
}

// sortBy sorts the firms by column i, or reverses the order when they already are.
func (h *homeScreen) sortBy(i int) {
	if h.sortCol == i {
		h.sortDesc = !h.sortDesc
	} else {
		h.sortCol, h.sortDesc = i, i != 0 && i != 1 // names and codes A→Z, dates and levels newest/highest first
	}
	h.markSort()
	h.filter()
}

func (h *homeScreen) markSort() {
	cols := h.columns()
	for i, b := range h.sortBtns {
		if b == nil {
			continue
		}
		text := T(cols[i].header)
		if i == h.sortCol {
			text += map[bool]string{false: " ▲", true: " ▼"}[h.sortDesc]
		}
		b.SetText(text)
	}
}

// group builds the firm groups of the shown diagnoses and the rows of the list, sorted by the
// chosen column. Called with h.mu held.
func (h *homeScreen) group(shown []int) []homeRow {
	byKey := map[string]*firmGroup{}
	var groups []*firmGroup
	for _, i := range shown {
		e := &h.entries[i]
		key := e.path
		if e.doc != nil {
			key = assessment.NormalizeCreditCode(e.doc.Enterprise.CreditCode)
		}
		g := byKey[key]
		if g == nil {
			g = &firmGroup{key: key}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.entries = append(g.entries, i)
		g.all = append(g.all, e)
	}
	// Newest diagnosis first within a firm; broken files last, by path.
	for _, g := range groups {
		idx := make([]int, len(g.entries))
		for k := range idx {
			idx[k] = k
		}
		slices.SortStableFunc(idx, func(a, b int) int { return newerFirst(g.all[a], g.all[b]) })
		es, all := make([]int, len(idx)), make([]*docEntry, len(idx))
		for k, j := range idx {
			es[k], all[k] = g.entries[j], g.all[j]
		}
		g.entries, g.all = es, all
	}
	cols := h.columns()
	less := cols[len(cols)-1].less
	if h.sortCol >= 0 && h.sortCol < len(cols) && cols[h.sortCol].less != nil {
		less = cols[h.sortCol].less
	}
	slices.SortStableFunc(groups, func(a, b *firmGroup) int {
		if (a.newest().doc == nil) != (b.newest().doc == nil) {
			return map[bool]int{true: 1, false: -1}[a.newest().doc == nil]
		}
		if a.newest().doc == nil {
			return cmp.Compare(a.key, b.key)
		}
		c := less(a, b)
		if h.sortDesc {
			c = -c
		}
		if c == 0 {
			c = cmp.Compare(a.key, b.key)
		}
		return c
	})
	var rows []homeRow
	for _, g := range groups {
		if g.newest().doc == nil { // an unreadable file: one row, no firm
			for _, i := range g.entries {
				rows = append(rows, homeRow{group: g, entry: i})
			}
			continue
		}
		rows = append(rows, homeRow{group: g, entry: -1})
		for k, i := range g.entries {
			rows = append(rows, homeRow{group: g, entry: i, visit: len(g.entries) - k})
		}
	}
	return rows
}

func newerFirst(a, b *docEntry) int {
	if (a.doc == nil) != (b.doc == nil) {
		return map[bool]int{true: 1, false: -1}[a.doc == nil]
	}
	if a.doc == nil {
		return strings.Compare(a.path, b.path)
	}
	return b.doc.Created.Compare(a.doc.Created)
}

// newRow is the template of a list row: one label per column. Labels wrap rather than cut: a
// long firm name or an English questionnaire title takes a second line (sizeRows).
func (h *homeScreen) newRow() fyne.CanvasObject {
	cols := h.columns()
	row := container.New(&columnsLayout{widths: columnWidths(cols)})
	for range cols {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		row.Add(l)
	}
	return row
}

// cellTexts are the texts of row r's cells, and whether the first is bold (a firm's name).
func (h *homeScreen) cellTexts(r homeRow) ([]string, bool) {
	cols := h.columns()
	out := make([]string, len(cols))
	if r.entry >= 0 && h.entries[r.entry].doc == nil { // unreadable file
		e := h.entries[r.entry]
		out[0] = e.path[strings.LastIndexAny(e.path, `/\`)+1:]
		out[min(1, len(cols)-1)] = T("无法打开")
		out[min(2, len(cols)-1)] = e.err.Error()
		return out, false
	}
	if r.entry < 0 {
		g := r.group
		for i, c := range cols {
			if c.firm != nil {
				out[i] = c.firm(g)
			} else {
				out[i] = c.cell(g.newest())
			}
		}
		return out, true
	}
	e := &h.entries[r.entry]
	for i, c := range cols {
		out[i] = c.cell(e)
	}
	out[0] = "　　└ " + Tf("第 %d 次诊断", r.visit)
	return out, false
}

// fillRow shows row r in the template o.
func (h *homeScreen) fillRow(r homeRow, o fyne.CanvasObject) {
	texts, firm := h.cellTexts(r)
	for i, c := range o.(*fyne.Container).Objects {
		l := c.(*widget.Label)
		l.TextStyle.Bold = firm && i == 0
		l.SetText(texts[i])
	}
}

// widthWatch lays its one child out full size and calls onWidth when the width changes, so the
// rows are sized again when the window is resized.
type widthWatch struct {
	last    float32
	onWidth func()
}

func (l *widthWatch) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
	if size.Width != l.last {
		l.last = size.Width
		l.onWidth()
	}
}

func (l *widthWatch) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// sizeRows gives a row as many lines as its widest cell needs at the list's width (an unreadable
// file's error, a long firm name, an English title), so no text is cut. On the UI goroutine,
// without h.mu: setting a height refreshes the list, which reads its length under h.mu.
func (h *homeScreen) sizeRows() {
	width := h.list.Size().Width
	if width <= 0 {
		width = h.ui.win.Canvas().Size().Width - 2*theme.Padding()
	}
	if width <= 0 {
		return
	}
	shares := columnWidths(h.columns())
	base := h.newRow().MinSize().Height
	size := theme.TextSize()
	han := fyne.MeasureText("国", size, fyne.TextStyle{Bold: true})
	lineH, wide := han.Height, han.Width
	pad := 2 * theme.InnerPadding()
	if h.tall == nil {
		h.tall = map[int]bool{}
	}
	for i, r := range h.rows {
		texts, firm := h.cellTexts(r)
		lines := 1
		for c, text := range texts {
			avail := width*shares[c] - pad
			if text == "" || avail <= 0 {
				continue
			}
			if float32(utf8.RuneCountInString(text))*wide <= avail*0.9 {
				continue // fits even if every character were as wide as 国: no need to shape it
			}
			w := fyne.MeasureText(text, size, fyne.TextStyle{Bold: firm && c == 0}).Width
			// Words wrap whole, so a line of English is rarely full: 10% slack; Chinese wraps
			// between any two characters.
			fill := float32(0.98)
			if strings.Contains(text, " ") {
				fill = 0.9
			}
			lines = max(lines, int(math.Ceil(float64(w/(avail*fill)))))
		}
		// Only rows that change height: each change refreshes the list (500 rows took a second).
		switch {
		case lines > 1:
			h.list.SetItemHeight(i, base+float32(min(lines, 4)-1)*lineH)
			h.tall[i] = true
		case h.tall[i]:
			h.list.SetItemHeight(i, base)
			delete(h.tall, i)
		}
	}
}
