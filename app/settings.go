package app

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
)

// settingsScreen edits the assessor, the workspace folder, the language and the theme.
type settingsScreen struct {
	name, org, workspace *widget.Entry
	profile              *widget.Entry // the district profile file
	lang, theme          *widget.Select
	save                 *widget.Button
	backup, restore      *widget.Button
	keyInfo              *widget.Label
	exportKey, backupKey *widget.Button
	restoreKey           *widget.Button
	keyPw1, keyPw2       *dialogEntry // password entries of the open key dialog, for tests
}

var themeKeys = []string{"system", "light", "dark"}

func (ui *UI) showSettings() {
	p := ui.app.Preferences()
	st := &settingsScreen{name: widget.NewEntry(), org: widget.NewEntry(), workspace: widget.NewEntry(), profile: widget.NewEntry()}
	ui.settings = st
	st.name.SetText(p.String(prefAssessor))
	st.org.SetText(p.String(prefOrg))
	st.workspace.SetText(ui.ws.Dir)
	st.lang = widget.NewSelect([]string{"中文", "English"}, nil)
	if language() == "en" {
		st.lang.SetSelected("English")
	} else {
		st.lang.SetSelected("中文")
	}
	themes := []string{T("跟随系统"), T("浅色"), T("深色")}
	st.theme = widget.NewSelect(themes, nil)
	for i, k := range themeKeys {
		if k == p.StringWithFallback(prefTheme, "light") {
			st.theme.SetSelected(themes[i])
		}
	}
	browse := widget.NewButton(T("选择…"), func() {
		d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				st.workspace.SetText(u.Path())
				ui.app.Preferences().SetString(prefFolderDir, u.Path())
			}
		}, ui.win)
		ui.filePicker(d, prefFolderDir, "选择")
		d.Show()
	})
	st.save = widget.NewButton(T("保存"), func() {
		dir := strings.TrimSpace(st.workspace.Text)
		if dir == "" {
			ui.showError(errors.New(T("工作区文件夹不能为空")))
			return
		}
		if _, err := assessment.OpenWorkspace(dir); err != nil {
			ui.showError(err)
			return
		}
		if err := ui.saveProfile(st.profile.Text); err != nil {
			ui.showError(err)
			return
		}
		p.SetString(prefAssessor, strings.TrimSpace(st.name.Text))
		p.SetString(prefOrg, strings.TrimSpace(st.org.Text))
		p.SetString(prefWorkspace, dir)
		lang := "zh"
		if st.lang.Selected == "English" {
			lang = "en"
		}
		p.SetString(prefLang, lang) // T reads it from here
		mode := themeKeys[max(0, st.theme.SelectedIndex())]
		p.SetString(prefTheme, mode)
		ui.app.Settings().SetTheme(newTheme(mode))
		ui.win.SetTitle(T(Title))
		if err := ui.openWorkspace(); err != nil {
			ui.showError(err)
			return
		}
		ui.showHome()
	})
	st.save.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem(T("诊断顾问"), st.name),
		widget.NewFormItem(T("服务机构"), st.org),
		widget.NewFormItem(T("工作区文件夹"), container.NewBorder(nil, nil, nil, browse, st.workspace)),
		widget.NewFormItem(T("界面语言"), st.lang),
		widget.NewFormItem(T("主题"), st.theme),
		widget.NewFormItem(T("区县画像"), ui.profileField(st.profile)),
	)
	st.backup = widget.NewButton(T("备份工作区…"), ui.pickBackupTarget)
	st.restore = widget.NewButton(T("从备份还原…"), ui.pickBackupSource)
	backupRow := container.NewVBox(
		widget.NewSeparator(),
		widget.NewLabelWithStyle(T("工作区备份"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		wrapped(T("把全部诊断和附件存成一个文件（例如存到U盘），可在本机或另一台电脑还原。还原前先校验，不会覆盖较新的文档。")),
		container.NewHBox(st.backup, st.restore),
	)
	st.keyInfo = wrapped(keyStatus())
	st.exportKey = widget.NewButton(T("导出公钥文件…"), ui.pickPublicKeyTarget)
	st.backupKey = widget.NewButton(T("备份私钥…"), ui.pickKeyBackupTarget)
	st.restoreKey = widget.NewButton(T("从备份恢复私钥…"), ui.pickKeyBackupSource)
	keyRow := container.NewVBox(
		widget.NewSeparator(),
		widget.NewLabelWithStyle(T("签名密钥"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		st.keyInfo,
		container.NewHBox(st.exportKey, st.backupKey, st.restoreKey),
	)
	body := container.NewVScroll(container.NewPadded(container.NewVBox(form, container.NewHBox(st.save), ui.syncSettingsRow(), backupRow, keyRow)))
	ui.setScreen(ui.screenWithHeader(T("设置"), ui.showHome, nil, body))
}

// wrapped is a label that wraps at word (or CJK character) boundaries instead of being cut.
func wrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}
