package app

import (
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	q "smartdiag/questionnaires"
	"smartdiag/roster"
	"smartdiag/tally"
)

// textTable is a read-only table with a header row. Column widths are chosen so the usual
// content fits at 1366×768; a longer value ends in an ellipsis rather than overlapping.
type textTable struct {
	*widget.Table
	rows [][]string
}

func newTextTable(headers []string, widths []float32) *textTable {
	tt := &textTable{}
	t := widget.NewTableWithHeaders(
		func() (int, int) { return len(tt.rows), len(headers) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(tt.rows) && id.Col < len(tt.rows[id.Row]) {
				o.(*widget.Label).SetText(tt.rows[id.Row][id.Col])
			}
		})
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 && id.Col < len(headers) {
			o.(*widget.Label).SetText(headers[id.Col])
		}
	}
	for i, w := range widths {
		t.SetColumnWidth(i, w)
	}
	tt.Table = t
	return tt
}

func (tt *textTable) setRows(rows [][]string) {
	tt.rows = rows
	tt.Refresh()
}

// tr translates a slice of Chinese labels.
func tr(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = T(s)
	}
	return out
}

// firmList is the roster tab's table of every roster firm, or the to-do list (firms without a
// counted diagnosis), with a search field and street, category, provider (and, for the roster,
// status) filters. The rows and the filtering come from package tally.
type firmList struct {
	ds                         *districtScreen
	todo                       bool
	search                     *widget.Entry
	street, category, provider *widget.Select
	status                     *widget.Select // roster only
	count                      *widget.Label
	table                      *textTable
	all, shown                 []tally.FirmRow
	streets, categories        []string
	providers                  []string
}

var firmStatuses = []string{tally.FirmCounted, tally.FirmSubmitted, tally.FirmTodo}

func newFirmList(ds *districtScreen, todo bool) *firmList {
	fl := &firmList{ds: ds, todo: todo, search: widget.NewEntry(), count: widget.NewLabel("")}
	fl.count.Wrapping = fyne.TextWrapWord
	fl.search.SetPlaceHolder(T("搜索企业名称、信用代码、联系人或电话"))
	fl.search.OnChanged = func(string) { fl.apply() }
	pick := func() *widget.Select {
		s := widget.NewSelect(nil, func(string) { fl.apply() })
		return s
	}
	fl.street, fl.category, fl.provider = pick(), pick(), pick()
	if todo {
		fl.table = newTextTable(tr([]string{"企业名称", "信用代码", "街道", "类别", "联系人", "电话", "情况"}),
			[]float32{290, 190, 110, 200, 90, 130, 300})
	} else {
		fl.status = pick()
		opts := []string{T("全部状态")}
		for _, s := range firmStatuses {
			opts = append(opts, T(tally.FirmStatusLabel(s)))
		}
		fl.status.SetOptions(opts)
		fl.status.SetSelectedIndex(0)
		fl.table = newTextTable(tr([]string{"行", "企业名称", "信用代码", "街道", "类别", "状态", "服务商", "等级或说明"}),
			[]float32{40, 250, 180, 100, 260, 120, 230, 150})
	}
	fl.setChoices(nil, nil, nil)
	return fl
}

// bar is the search field and the filters above the table.
func (fl *firmList) bar() fyne.CanvasObject {
	filters := container.NewHBox(fl.street, fl.category, fl.provider)
	if fl.status != nil {
		filters.Add(fl.status)
	}
	return container.NewVBox(fl.count, container.NewBorder(nil, nil, nil, filters, fl.search))
}

func (fl *firmList) setChoices(streets, categories, providers []string) {
	set := func(s *widget.Select, all string, values []string, translate bool) {
		keep := s.SelectedIndex()
		opts := []string{T(all)}
		for _, v := range values {
			if translate {
				v = T(v)
			}
			opts = append(opts, v)
		}
		s.SetOptions(opts)
		if keep < 0 || keep >= len(opts) {
			keep = 0
		}
		s.SetSelectedIndex(keep)
	}
	fl.streets, fl.categories, fl.providers = streets, categories, providers
	set(fl.street, "全部街道", streets, false)
	set(fl.category, "全部类别", categories, true)
	set(fl.provider, "全部服务商", providers, false)
}

// load takes the tally's rows for the current roster.
func (fl *firmList) load(res *tally.Result, ro *roster.Roster) {
	fl.all = nil
	if res != nil && ro != nil {
		fl.all = res.RosterFirms(ro)
		if fl.todo {
			fl.all = tally.ToDo(fl.all)
		}
		fl.setChoices(res.FilterChoices(fl.all))
	}
	fl.apply()
}

// filter is the filter the fields describe.
func (fl *firmList) filter() tally.FirmFilter {
	pickOf := func(s *widget.Select, values []string) string {
		if i := s.SelectedIndex(); i > 0 && i-1 < len(values) {
			return values[i-1]
		}
		return ""
	}
	f := tally.FirmFilter{Search: fl.search.Text, Street: pickOf(fl.street, fl.streets),
		Category: pickOf(fl.category, fl.categories), Provider: pickOf(fl.provider, fl.providers)}
	if fl.status != nil {
		f.Status = pickOf(fl.status, firmStatuses)
	}
	return f
}

func (fl *firmList) apply() {
	if fl.table == nil || fl.count == nil {
		return // still being built
	}
	f := fl.filter()
	fl.shown = f.Filter(fl.all)
	rows := make([][]string, 0, len(fl.shown))
	for _, r := range fl.shown {
		cats := strings.Join(tr(r.Categories), listSep())
		if fl.todo {
			rows = append(rows, []string{r.Name, r.CreditCode, r.Street, cats, r.Contact, r.Phone, firmSituation(r)})
		} else {
			detail := ""
			switch {
			case r.Status == tally.FirmSubmitted:
				detail = strings.Join(tr(statusLabels(r.Statuses)), listSep())
			case r.LevelNo >= 0 && language() == "en":
				detail = levelEN(r.LevelNo)
			default:
				detail = r.Level
			}
			rows = append(rows, []string{fmt.Sprint(r.Row), r.Name, r.CreditCode, r.Street, cats, T(tally.FirmStatusLabel(r.Status)),
				strings.Join(r.Providers, listSep()), detail})
		}
	}
	fl.table.setRows(rows)
	filtered := f != tally.FirmFilter{}
	switch {
	case fl.ds.roster == nil:
		fl.count.SetText(T("尚未导入名册：导入名册后这里列出名册上的企业。"))
	case fl.todo:
		text := Tf("名册上还有 %d 家企业没有计入的诊断。", len(fl.all))
		if filtered {
			text += " " + Tf("筛选后 %d 家。", len(fl.shown))
		}
		fl.count.SetText(text)
	default:
		n := map[string]int{}
		for _, r := range fl.all {
			n[r.Status]++
		}
		text := Tf("名册 %d 家：已诊断 %d，已交未计入 %d，未诊断 %d。", len(fl.all), n[tally.FirmCounted], n[tally.FirmSubmitted], n[tally.FirmTodo])
		if filtered {
			text += " " + Tf("筛选后 %d 家。", len(fl.shown))
		}
		fl.count.SetText(text)
	}
}

// listSep separates the items of a list in a table cell.
func listSep() string {
	if language() == "en" {
		return ", "
	}
	return "、"
}

// firmSituation says, in the UI language, why a roster firm has no counted diagnosis.
func firmSituation(r tally.FirmRow) string {
	if r.Status != tally.FirmSubmitted {
		return T(tally.FirmStatusLabel(r.Status))
	}
	return Tf("已交诊断，未计入（%s）", strings.Join(tr(statusLabels(r.Statuses)), listSep()))
}

func statusLabels(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = tally.StatusLabel(s)
	}
	return out
}

// figureButton is a number on the dashboard that opens the list of what it counts.
func (ds *districtScreen) figureButton(text string, fig tally.Figure, title string) *widget.Button {
	b := widget.NewButton(text, func() { ds.showFigure(fig, title) })
	if ds.figures == nil {
		ds.figures = map[tally.Figure]*widget.Button{}
	}
	ds.figures[fig] = b
	return b
}

// showFigure lists the firms or files behind a dashboard figure.
func (ds *districtScreen) showFigure(fig tally.Figure, title string) {
	lines := ds.result.FirmsOf(fig)
	rows := make([][]string, 0, len(lines))
	for _, l := range lines {
		rows = append(rows, []string{l.Name, l.CreditCode, l.Provider, figureDetail(l), filepath.Base(l.File)})
	}
	t := newTextTable(tr([]string{"企业名称", "信用代码", "服务商", "说明", "文件"}), []float32{270, 180, 200, 210, 330})
	t.setRows(rows)
	ds.figureRows = rows
	head := widget.NewLabel(Tf("%s：%d 项", title, len(rows)))
	d := dialog.NewCustom(title, T("关闭"), container.NewBorder(head, nil, nil, nil, t), ds.ui.win)
	restore := ds.ui.dialogKeys(d.Hide, d.Hide)
	d.SetOnClosed(restore)
	d.Resize(fyne.NewSize(1260, 620))
	d.Show()
}

// figureDetail is why a line is behind a figure, in the UI language: the refusal of a file not
// counted, a document's role or level; an index and a questionnaire's name are kept as they are.
func figureDetail(l tally.FigureFirm) string {
	lang := language()
	if lang != "en" {
		return l.Detail
	}
	switch d := l.Diagnosis; {
	case l.Rejected != nil:
		return T(tally.StatusLabel(l.Rejected.Status)) + ": " + l.Rejected.ReasonIn(lang)
	case d == nil:
	case l.Detail == tally.RoleLabel(d.Role):
		return T(l.Detail)
	case d.CMMM && l.Detail == d.LevelName:
		return levelEN(d.Level)
	case d.CMMM && d.Estimate && strings.HasPrefix(l.Detail, d.LevelName):
		return levelEN(d.Level) + T("（估算）")
	}
	return l.Detail
}

// trackName is a track's name in the UI language.
func trackName(t string) string { return q.TrackName(t, language()) }
