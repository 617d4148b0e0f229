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
	problems       []string
	importBtn      *widget.Button
	importDirBtn   *widget.Button
	importProgress *widget.ProgressBar
	importResults  *widget.List
	importLines    []string
	dashboard      *fyne.Container
	todo           *widget.List
	trustList      *widget.List
	exportInfo     *widget.Label
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
	rosterTab := container.NewBorder(container.NewVBox(container.NewHBox(rosterBtn), ds.rosterInfo), nil, nil, nil, ds.rosterProblems)

	// Import tab.
	ds.importBtn = widget.NewButton(T("导入诊断文件或报告 PDF…"), ds.pickImportFile)
	ds.importBtn.Importance = widget.HighImportance
	ds.importDirBtn = widget.NewButton(T("导入整个文件夹…"), ds.pickImportFolder)
	ds.importProgress = widget.NewProgressBar()
	ds.importProgress.Hide()
	ds.importResults = widget.NewList(func() int { return len(ds.importLines) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(ds.importLines[i]) })
	where := widget.NewLabel(Tf("区工作区：%s", ds.dir))
	importTab := container.NewBorder(container.NewVBox(container.NewHBox(ds.importBtn, ds.importDirBtn), where, ds.importProgress), nil, nil, nil, ds.importResults)

	// Dashboard, to-do and trust tabs.
	ds.dashboard = container.NewVBox(widget.NewLabel(T("正在统计…")))
	ds.todo = widget.NewList(func() int {
		if ds.result == nil {
			return 0
		}
		return len(ds.result.NotDiagnosed)
	}, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		f := ds.result.NotDiagnosed[i]
		o.(*widget.Label).SetText(joinParts(f.Name, f.CreditCode, f.Street, strings.Join(f.Categories, "、"), f.Note))
	})
	ds.trustList = widget.NewList(func() int { return len(ds.trust.Keys) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, widget.NewButton(T("移除"), nil), widget.NewLabel(""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			k := ds.trust.Keys[i]
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(joinParts(k.Name, k.Signer, k.Fingerprint, k.Added.Local().Format("2006-01-02")))
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

	ds.tabs = container.NewAppTabs(
		container.NewTabItem(T("看板"), container.NewVScroll(container.NewPadded(ds.dashboard))),
		container.NewTabItem(T("名册"), rosterTab),
		container.NewTabItem(T("导入诊断"), importTab),
		container.NewTabItem(T("待诊断企业"), ds.todo),
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
	return true
}

func (ds *districtScreen) pickImportFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		ds.importPaths([]string{path})
	}, ds.ui.win)
	d.SetConfirmText(T("导入"))
	d.SetDismissText(T("取消"))
	d.Show()
}

func (ds *districtScreen) pickImportFolder() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		ds.importPaths([]string{u.Path()})
	}, ds.ui.win)
	d.SetConfirmText(T("导入"))
	d.SetDismissText(T("取消"))
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
			ds.importLines = []string{Tf("共 %d 个文件：导入 %d，已存在 %d，冲突 %d，拒收 %d。日志：%s",
				log.Files, log.Imported, log.Skipped, log.Conflicts, log.Rejected, log.LogFile)}
			for _, e := range log.Entries {
				ds.importLines = append(ds.importLines, joinParts(importResultText(e.Result), filepath.Base(e.File), e.Name, e.Reason))
			}
			ds.importResults.Refresh()
			ds.refresh()
		})
	})
}

func importResultText(r string) string { return T(service.ImportResultLabel(r)) }

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
			ds.todo.Refresh()
		})
	})
}

func (ds *districtScreen) drawDashboard() {
	r := ds.result
	d := ds.dashboard
	d.RemoveAll()
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
		d.Add(barRow(r.LevelLabel(l), float64(n), float64(max(total, 1)), colGreen, "%.0f"))
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
