package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
	"smartdiag/district"
	"smartdiag/roster"
	"smartdiag/seal"
	"smartdiag/service"
	"smartdiag/tally"
)

// Preferences of the district mode.
const (
	prefDistrictDir = "district.workspace"
	prefRoster      = "district.roster"
)

// districtScreen is the district office's mode: roster, import, dashboard, to-do list, trust list
// and exports. Counting and checking happen in package tally; this only shows the results.
type districtScreen struct {
	ui     *UI
	dir    string
	roster *roster.Roster
	trust  *seal.TrustList
	result *tally.Result

	tabs           *container.AppTabs
	rosterInfo     *widget.Label
	rosterProblems *widget.List
	problemsHead   *widget.Label
	problems       []string
	rosterFirms    *firmList // the whole roster with each firm's status
	importBtn      *widget.Button
	importDirBtn   *widget.Button
	importProgress *widget.ProgressBar
	importSummary  *widget.Label
	importBox      *fyne.Container // one line per outcome and reason, with its count
	importGroups   []district.ImportGroup
	dashboard      *fyne.Container
	todo           *firmList
	todoTab        *container.TabItem
	trustList      *widget.List
	exportInfo     *widget.Label

	figures    map[tally.Figure]*widget.Button // the dashboard's clickable figures, for tests
	figureRows [][]string                      // the rows of the last figure opened, for tests
}

func (ui *UI) districtDir() string {
	if d := ui.app.Preferences().String(prefDistrictDir); d != "" {
		return d
	}
	return filepath.Join(filepath.Dir(ui.workspaceDir()), "smartdiag-district")
}

func (ui *UI) showDistrict() {
	ds := &districtScreen{ui: ui, dir: ui.districtDir()}
	ui.district = ds
	trust, err := seal.OpenTrustList()
	if err != nil {
		ui.showError(err)
		trust = &seal.TrustList{}
	}
	ds.trust = trust

	// Roster tab.
	ds.rosterInfo = widget.NewLabel(T("尚未导入名册。"))
	ds.rosterInfo.Wrapping = fyne.TextWrapWord
	ds.rosterProblems = widget.NewList(func() int { return len(ds.problems) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(ds.problems[i]) })
	rosterBtn := widget.NewButton(T("导入名册（.xlsx / .csv）…"), ds.pickRoster)
	rosterBtn.Importance = widget.HighImportance
	ds.rosterFirms = newFirmList(ds, false)
	ds.problemsHead = bold(T("名册中的问题行"))
	problems := container.NewBorder(ds.problemsHead, nil, nil, nil, ds.rosterProblems)
	split := container.NewVSplit(container.NewBorder(ds.rosterFirms.bar(), nil, nil, nil, ds.rosterFirms.table), problems)
	split.Offset = 0.78
	rosterTab := container.NewBorder(container.NewVBox(container.NewBorder(nil, nil, rosterBtn, nil, ds.rosterInfo)), nil, nil, nil, split)

	// Import tab.
	ds.importBtn = widget.NewButton(T("导入诊断文件或报告 PDF…"), ds.pickImportFile)
	ds.importBtn.Importance = widget.HighImportance
	ds.importDirBtn = widget.NewButton(T("导入整个文件夹…"), ds.pickImportFolder)
	ds.importProgress = widget.NewProgressBar()
	ds.importProgress.Hide()
	ds.importSummary = wrapped("")
	ds.importBox = container.NewVBox()
	where := wrapped(Tf("区工作区：%s", ds.dir))
	importTab := container.NewBorder(container.NewVBox(container.NewHBox(ds.importBtn, ds.importDirBtn), where, ds.importProgress, ds.importSummary), nil, nil, nil,
		container.NewVScroll(ds.importBox))

	// Dashboard, to-do and trust tabs.
	ds.dashboard = container.NewVBox(widget.NewLabel(T("正在统计…")))
	ds.todo = newFirmList(ds, true)
	ds.trustList = widget.NewList(func() int { return len(ds.trust.Keys) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, widget.NewButton(T("移除"), nil), widget.NewLabel(""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			k := ds.trust.Keys[i]
			c := o.(*fyne.Container)
			demo := ""
			if k.Demo { // Issue 11 item 3: a demo key's documents are demo data, said where it is listed
				demo = T("【演示数据：演示密钥，切勿用于正式工作】")
			}
			c.Objects[0].(*widget.Label).SetText(joinParts(k.Name, k.Signer, k.Fingerprint, k.Added.Local().Format("2006-01-02"), demo))
			c.Objects[1].(*widget.Button).OnTapped = func() {
				ui.confirm("移除信任", Tf("不再承认 %s（%s）的封存？", k.Name, k.Fingerprint), "移除", func() {
					if _, err := ds.trust.Remove(k.Fingerprint); err != nil {
						ui.showError(err)
					}
					ds.trustList.Refresh()
					ds.refresh()
				})
			}
		})
	addKey := widget.NewButton(T("添加服务商公钥…"), ds.pickKey)
	addKey.Importance = widget.HighImportance
	trustTab := container.NewBorder(container.NewVBox(container.NewHBox(addKey),
		widget.NewLabel(T("只有这些公钥封存的诊断才计入统计。公钥文件由服务商用 smartdiag key 生成。"))), nil, nil, nil, ds.trustList)

	ds.exportInfo = widget.NewLabel("")
	ds.exportInfo.Wrapping = fyne.TextWrapWord
	excel := widget.NewButton(T("导出 Excel 汇总表"), func() { ds.export(".xlsx") })
	brief := widget.NewButton(T("导出 PDF 简报"), func() { ds.export(".pdf") })
	folder := widget.NewButton(T("在文件夹中显示"), func() { ui.openFolder(ds.exportDir()) })
	exportTab := container.NewVBox(container.NewHBox(excel, brief, folder), ds.exportInfo)

	ds.todoTab = container.NewTabItem(T("待诊断企业"), container.NewBorder(ds.todo.bar(), nil, nil, nil, ds.todo.table))
	ds.tabs = container.NewAppTabs(
		container.NewTabItem(T("看板"), container.NewVScroll(container.NewPadded(ds.dashboard))),
		container.NewTabItem(T("名册"), rosterTab),
		container.NewTabItem(T("导入诊断"), importTab),
		ds.todoTab,
		container.NewTabItem(T("信任列表"), trustTab),
		container.NewTabItem(T("导出"), exportTab),
	)
	ui.setScreen(ui.screenWithHeader(T("区工信局：覆盖统计"), ui.showHome, nil, ds.tabs))
	if path := ui.app.Preferences().String(prefRoster); path != "" {
		ds.loadRoster(path)
	}
	ds.refresh()
}

func (ds *districtScreen) exportDir() string { return filepath.Join(ds.dir, "exports") }

func (ds *districtScreen) pickRoster() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		ds.ui.pickedFrom(prefRosterDir, path)
		if ds.loadRoster(path) {
			ds.ui.app.Preferences().SetString(prefRoster, path)
			ds.refresh()
		}
	}, ds.ui.win)
	ds.ui.filePicker(d, prefRosterDir, "导入", roster.Extensions...) // a roster picker lists no photos
	d.Show()
}

func (ds *districtScreen) loadRoster(path string) bool {
	r, err := roster.ImportRoster(path)
	if err != nil {
		ds.ui.showError(err)
		return false
	}
	ds.roster = r
	ds.rosterInfo.SetText(Tf("%s：%d 行数据，有效企业 %d 家，无效 %d 行，重复 %d 行，提示 %d 条。", filepath.Base(path), r.Rows, len(r.Entries), len(r.Invalid), len(r.Duplicates), len(r.Warnings)))
	ds.problems = nil
	for _, p := range r.Invalid {
		ds.problems = append(ds.problems, Tf("第 %d 行　无效：%s", p.Row, p.Reason))
	}
	for _, p := range r.Duplicates {
		ds.problems = append(ds.problems, Tf("第 %d 行　重复：信用代码 %s 与第 %d 行相同", p.Row, p.CreditCode, p.FirstRow))
	}
	for _, p := range r.Warnings {
		ds.problems = append(ds.problems, Tf("第 %d 行　提示：%s", p.Row, p.Reason))
	}
	ds.rosterProblems.Refresh()
	ds.problemsHead.SetText(Tf("名册中的问题行（%d）", len(ds.problems)))
	return true
}

func (ds *districtScreen) pickImportFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		ds.ui.pickedFrom(prefImportDir, path)
		ds.importPaths([]string{path})
	}, ds.ui.win)
	// Sealed documents and the report PDFs that carry them: nothing else can be imported.
	ds.ui.filePicker(d, prefImportDir, "导入", assessment.Ext, ".pdf")
	d.Show()
}

func (ds *districtScreen) pickImportFolder() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		// Fyne's folder picker returns the folder it is showing when nothing was selected, so a
		// stray 导入 would search whatever folder it opened in: the officer confirms the folder.
		dir := u.Path()
		ds.ui.confirm("导入文件夹", Tf("导入文件夹「%s」及其子文件夹中的所有诊断文件（.sdiag、.pdf）？", dir), "导入", func() {
			ds.ui.app.Preferences().SetString(prefImportDir, dir)
			ds.importPaths([]string{dir})
		})
	}, ds.ui.win)
	ds.ui.folderPicker(d, prefImportDir, "导入")
	d.Show()
}

// importPaths imports in the background with progress, then lists every file's outcome.
func (ds *districtScreen) importPaths(paths []string) {
	ds.importBtn.Disable()
	ds.importDirBtn.Disable()
	ds.importProgress.SetValue(0)
	ds.importProgress.Show()
	trust, dir, svc := ds.trust, ds.dir, ds.ui.service()
	background(func() {
		log, err := svc.Import(dir, paths, trust, func(done, total int) {
			if total > 0 && (done%20 == 0 || done == total) {
				v := float64(done) / float64(total)
				onUI(func() { ds.importProgress.SetValue(v) })
			}
		})
		onUI(func() {
			ds.importBtn.Enable()
			ds.importDirBtn.Enable()
			ds.importProgress.Hide()
			if err != nil {
				ds.ui.showError(err)
				return
			}
			summary := Tf("共 %d 个文件：导入 %d，已存在 %d，冲突 %d，拒收 %d。日志：%s",
				log.Files, log.Imported, log.Skipped, log.Conflicts, log.Rejected, log.LogFile)
			if log.Demo > 0 {
				summary += "\n" + Tf("【演示数据】其中 %d 份由演示密钥签名，不是正式诊断。", log.Demo)
			}
			ds.importSummary.SetText(summary)
			ds.showImportGroups(district.GroupImport(log.Entries))
			ds.refresh()
		})
	})
}

func importResultText(r string) string { return T(service.ImportResultLabel(r)) }

// showImportGroups lists an import's outcomes one line per outcome and reason, with the number of
// files; the files of a line are listed on request. The reasons come from package district in
// the UI language and wrap instead of being cut.
func (ds *districtScreen) showImportGroups(groups []district.ImportGroup) {
	ds.importGroups = groups
	ds.importBox.RemoveAll()
	for _, g := range groups {
		head := bold(Tf("%s　%d 个", importResultText(g.Result), g.Count))
		reason := wrapped(g.ReasonIn(language()))
		if g.Result == district.ImportImported {
			reason.SetText(T("封印有效、签名者受信任的诊断，已存入区工作区。"))
		}
		files := widget.NewButton(T("查看文件…"), func() { ds.showImportFiles(g) })
		ds.importBox.Add(container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(170, 36), head), files, reason))
		ds.importBox.Add(widget.NewSeparator())
	}
	ds.importBox.Refresh()
}

// showImportFiles lists the files of one import line.
func (ds *districtScreen) showImportFiles(g district.ImportGroup) {
	rows := make([][]string, 0, len(g.Entries))
	for _, e := range g.Entries {
		detail := e.Name
		if g.Result == district.ImportImported {
			detail = joinParts(e.Name, e.ReasonIn(language()))
		}
		if e.Demo {
			detail = joinParts(detail, T("【演示数据】"))
		}
		rows = append(rows, []string{filepath.Base(e.File), filepath.Dir(e.File), detail})
	}
	t := newTextTable(tr([]string{"文件", "文件夹", "企业或说明"}), []float32{300, 380, 500})
	t.setRows(rows)
	title := Tf("%s　%d 个", importResultText(g.Result), g.Count)
	d := dialog.NewCustom(title, T("关闭"), container.NewBorder(wrapped(g.ReasonIn(language())), nil, nil, nil, t), ds.ui.win)
	restore := ds.ui.dialogKeys(d.Hide, d.Hide)
	d.SetOnClosed(restore)
	d.Resize(fyne.NewSize(1260, 620))
	d.Show()
}

func (ds *districtScreen) pickKey() {
	name := newDialogEntry()
	name.SetPlaceHolder(T("服务商名称，如 江苏智造诊断服务有限公司"))
	path := newDialogEntry()
	browse := widget.NewButton(T("选择…"), func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err == nil && r != nil {
				path.SetText(r.URI().Path())
				ds.ui.pickedFrom(prefKeyDir, r.URI().Path())
				r.Close()
			}
		}, ds.ui.win)
		ds.ui.filePicker(d, prefKeyDir, "选择", ".json") // public-key files only, no .sdiag
		d.Show()
	})
	items := []*widget.FormItem{
		widget.NewFormItem(T("公钥文件"), container.NewBorder(nil, nil, nil, browse, path)),
		widget.NewFormItem(T("服务商"), name),
	}
	d := dialogForm(ds.ui, T("添加服务商公钥"), items, func() error {
		if strings.TrimSpace(path.Text) == "" {
			return errors.New(T("请选择公钥文件"))
		}
		_, err := ds.trust.Add(strings.TrimSpace(path.Text), strings.TrimSpace(name.Text))
		return err
	}, func() {
		ds.trustList.Refresh()
		ds.refresh()
	})
	d.Resize(fyne.NewSize(640, 260))
	d.Show()
}

// refresh re-tallies the district workspace in the background and redraws the dashboard.
func (ds *districtScreen) refresh() {
	roster, trust, dir, profile, svc := ds.roster, ds.trust, ds.dir, ds.ui.profile(), ds.ui.service()
	background(func() {
		req := service.TallyRequest{Roster: roster, District: profile, Trust: trust}
		if _, statErr := os.Stat(dir); statErr == nil {
			req.Paths = []string{dir} // before the first import there is no folder: an empty tally
		}
		res, err := svc.Tally(req)
		onUI(func() {
			if err != nil {
				ds.ui.showError(err)
				return
			}
			ds.result = res
			ds.drawDashboard()
			ds.todo.load(res, ds.roster)
			ds.todoTab.Text = T("待诊断企业")
			if ds.roster != nil {
				ds.todoTab.Text = Tf("待诊断企业（%d）", len(ds.todo.all))
			}
			ds.tabs.Refresh()
			ds.rosterFirms.load(res, ds.roster)
		})
	})
}

func (ds *districtScreen) drawDashboard() {
	r := ds.result
	d := ds.dashboard
	d.RemoveAll()
	ds.figures = nil
	covText := func(c tally.Cov) string {
		if c.Target != nil && c.Rate != nil {
			return Tf("%d / %d（%.1f%%）", c.Diagnosed, *c.Target, 100**c.Rate)
		}
		return Tf("已诊断 %d 家", c.Diagnosed)
	}
	covBar := func(name string, c tally.Cov) fyne.CanvasObject {
		frac := 0.0
		if c.Rate != nil {
			frac = *c.Rate
		}
		return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(130, 36), widget.NewLabel(name)),
			container.NewGridWrap(fyne.NewSize(170, 36), widget.NewLabel(covText(c))), newHBar(frac, colPrimary))
	}
	if r.Diagnoses.Demo > 0 {
		// First on the dashboard, as in the brief: these figures are not a real tally.
		demo := widget.NewLabel(Tf("【演示数据】%d 份诊断由演示密钥签名，不是正式诊断；正式统计前请在「信任列表」中移除演示密钥。", r.Diagnoses.Demo))
		demo.Importance = widget.DangerImportance
		demo.Wrapping = fyne.TextWrapWord
		demo.TextStyle.Bold = true
		d.Add(demo)
	}
	d.Add(bold(Tf("全覆盖进度（截至 %s）", r.AsOf)))
	d.Add(covBar(T("全部目标企业"), r.Coverage.Total))
	for _, c := range r.CategoryRows() {
		d.Add(covBar(T(c.Name), c.Cov))
	}
	if f := r.Forecast; f != nil {
		var line string
		switch {
		case f.Remaining == 0:
			line = T("已实现全覆盖。")
		case f.Date == "":
			line = Tf("近期没有新增诊断，按目前进度无法预计完成日期；截止日期 %s。", f.Deadline)
		default:
			line = Tf("按近 %d 天的进度（每月约 %.1f 家），预计 %s 完成全覆盖；截止日期 %s。", f.WindowDays, f.PacePerMonth, f.Date, f.Deadline)
		}
		d.Add(widget.NewLabel(line))
	}
	// The brief's key figures next: the three indices and the providers' work.
	d.Add(widget.NewSeparator())
	ds.drawTracks(d)
	d.Add(widget.NewSeparator())
	ds.drawProviders(d)
	d.Add(widget.NewSeparator())
	d.Add(bold(T("按街道")))
	// The profile's order first, then any other street names the roster used.
	var streets []string
	for _, st := range ds.ui.profile().Streets {
		if _, ok := r.Coverage.ByStreet[st]; ok {
			streets = append(streets, st)
		}
	}
	var other []string
	for k := range r.Coverage.ByStreet {
		if !slices.Contains(streets, k) {
			other = append(other, k)
		}
	}
	sort.Strings(other)
	streets = append(streets, other...)
	grid := container.NewGridWithColumns(2)
	for _, s := range streets {
		grid.Add(covBar(s, r.Coverage.ByStreet[s]))
	}
	d.Add(grid)
	d.Add(widget.NewSeparator())
	d.Add(bold(T("成熟度等级分布（已计入的诊断）")))
	total := 0
	for _, n := range r.Levels {
		total += n
	}
	for l := range r.LevelNames {
		n := r.Levels[fmt.Sprint(l)]
		label := levelLabelUI(r, l)
		btn := ds.figureButton(Tf("%d 家", n), tally.Figure{Kind: tally.FigLevel, Key: fmt.Sprint(l)}, label)
		d.Add(container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(200, 36), widget.NewLabel(label)),
			container.NewGridWrap(fyne.NewSize(90, 36), btn), newHBar(float64(n)/float64(max(total, 1)), colGreen)))
	}
	for _, ref := range r.LevelReference {
		var parts []string
		for _, g := range ref.Groups {
			parts = append(parts, fmt.Sprintf("%s %.0f%%（本区 %.0f%%）", g.Label, 100*g.Share, 100*g.DistrictShare))
		}
		d.Add(widget.NewLabel(Tf("对照 %s：%s", ref.Name, strings.Join(parts, "，"))))
	}
	d.Add(widget.NewSeparator())
	d.Add(bold(T("每月完成")))
	most := 1
	for _, m := range r.Monthly {
		most = max(most, m.Covered)
	}
	for _, m := range r.Monthly {
		d.Add(barRow(m.Month, float64(m.Covered), float64(most), colAccent, "%.0f"))
	}
	d.Add(widget.NewLabel(Tf("统计了 %d 个文件：计入 %d 家企业，拒收 %d 个（原因见导入记录）；名册外企业 %d 家。",
		r.Diagnoses.Files, r.Diagnoses.Counted, len(r.Diagnoses.Rejected), len(r.OffRoster))))
	d.Refresh()
}

// levelLabelUI names a CMMM level in the UI language.
func levelLabelUI(r *tally.Result, l int) string {
	if language() == "en" {
		return levelEN(l)
	}
	return r.LevelLabel(l)
}

// levelEN is a CMMM level's short English name.
func levelEN(l int) string {
	if l <= 0 {
		return "Below level 1"
	}
	return fmt.Sprintf("Level %d", l)
}

// drawTracks shows the three track indices as the PDF brief does (mean, median, share at or
// above the threshold); the counts open the firms behind them.
func (ds *districtScreen) drawTracks(d *fyne.Container) {
	r := ds.result
	d.Add(bold(Tf("智改、数转、网联三项指数（0–100，≥%.0f 为达到）", r.TrackThreshold)))
	cards := container.NewGridWithColumns(max(1, len(r.Tracks)))
	for _, t := range r.Tracks {
		name := trackName(t.Track)
		mean := widget.NewLabelWithStyle(fmt.Sprintf("%.1f", t.Mean), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		mean.SizeName = "headingText"
		past := ds.figureButton(Tf("≥%.0f 的企业 %d 家（%.1f%%）", r.TrackThreshold, t.Past, 100*t.Share),
			tally.Figure{Kind: tally.FigTrackPast, Key: t.Track}, Tf("%s指数 ≥%.0f 的企业", name, r.TrackThreshold))
		all := ds.figureButton(Tf("有此指数的企业 %d 家", t.N), tally.Figure{Kind: tally.FigTrackAll, Key: t.Track}, Tf("%s指数", name))
		cards.Add(container.NewVBox(
			widget.NewLabel(Tf("%s指数 平均", name)),
			mean,
			widget.NewLabel(Tf("中位数 %.1f", t.Median)),
			container.NewHBox(past),
			container.NewHBox(all),
		))
	}
	d.Add(cards)
}

// drawProviders is the per-provider table of the PDF brief; every number opens its firms.
func (ds *districtScreen) drawProviders(d *fyne.Container) {
	r := ds.result
	d.Add(bold(T("各服务商的诊断")))
	names := r.ProviderRows()
	if len(names) == 0 {
		d.Add(widget.NewLabel(T("暂无诊断")))
		return
	}
	widths := []float32{380, 130, 130, 150, 110, 110}
	cell := func(i int, o fyne.CanvasObject) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(widths[i], 36), o)
	}
	head := container.NewHBox()
	for i, h := range []string{"服务商", "计入企业", "未计入文件", "较早或被替代", "名册外", "平均等级"} {
		head.Add(cell(i, bold(T(h))))
	}
	d.Add(head)
	for _, name := range names {
		p := r.Coverage.ByProvider[name]
		row := container.NewHBox()
		label := widget.NewLabel(name)
		label.Truncation = fyne.TextTruncateEllipsis
		row.Add(cell(0, label))
		figs := []struct {
			kind, title string
			n           int
		}{
			{tally.FigProviderCounted, "计入企业", p.Counted},
			{tally.FigProviderRejected, "未计入文件", p.Rejected},
			{tally.FigProviderEarlier, "较早或被替代", p.Earlier},
			{tally.FigProviderOffRoster, "名册外", p.OffRoster},
		}
		for i, f := range figs {
			if f.kind == tally.FigProviderOffRoster && r.Roster == nil {
				row.Add(cell(i+1, widget.NewLabel("—")))
				continue
			}
			row.Add(cell(i+1, ds.figureButton(fmt.Sprint(f.n), tally.Figure{Kind: f.kind, Key: name}, name+" · "+T(f.title))))
		}
		level := "—"
		if p.MeanLevel != nil {
			level = fmt.Sprintf("%.2f", *p.MeanLevel)
		}
		row.Add(cell(5, widget.NewLabel(level)))
		d.Add(row)
	}
	d.Add(wrapped(T("计入企业：该服务商的诊断是企业最新的一份；未计入文件：封印无效、未封存、签名者不在信任列表或无法读取，不能作为付费依据。点击数字查看对应的企业。")))
}
