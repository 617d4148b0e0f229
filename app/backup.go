package app

import (
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"smartdiag/backup"
)

// pickBackupTarget asks where to write a backup of the workspace; the picker lists only backup
// files and opens in the folder used last.
func (ui *UI) pickBackupTarget() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		ui.backupTo(path)
	}, ui.win)
	d.SetFileName("smartdiag-备份-" + ui.now().Format("20060102") + backup.Ext)
	ui.filePicker(d, prefBackupDir, "保存", backup.Ext)
	d.Show()
}

// pickBackupSource asks for a backup file to restore.
func (ui *UI) pickBackupSource() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		ui.restorePicked(path)
	}, ui.win)
	ui.filePicker(d, prefBackupDir, "选择", backup.Ext)
	d.Show()
}

// busy shows a message without buttons while slow work runs in the background; the returned
// function closes it. The consultant sees that something is happening and cannot start a second
// backup or restore meanwhile.
func (ui *UI) busy(title, msg string) (done func()) {
	bar := widget.NewProgressBarInfinite()
	d := dialog.NewCustomWithoutButtons(T(title), container.NewVBox(widget.NewLabel(msg), bar), ui.win)
	d.Show()
	return func() {
		bar.Stop()
		d.Hide()
	}
}

// backupTo writes the workspace to path. Copying and verifying a workspace of a few hundred
// diagnoses with photos takes seconds, so it runs in the background while a busy dialog shows.
func (ui *UI) backupTo(path string) {
	if !strings.HasSuffix(strings.ToLower(path), backup.Ext) {
		path += backup.Ext
	}
	ui.pickedFrom(prefBackupDir, path)
	dir, now := ui.ws.Dir, ui.now()
	done := ui.busy("正在备份", Tf("正在把工作区备份到\n%s\n并校验…", path))
	background(func() {
		m, err := backup.Create(dir, path, now)
		onUI(func() {
			done()
			if err != nil {
				ui.showError(err)
				return
			}
			ui.info("备份完成", Tf("已把工作区的 %d 个文件备份到\n%s\n并已校验。", len(m.Files), path))
		})
	})
}

// restorePicked checks the chosen backup (in the background: it reads the whole file) and asks
// before restoring it into the workspace.
func (ui *UI) restorePicked(path string) {
	ui.pickedFrom(prefBackupDir, path)
	dir := ui.ws.Dir
	done := ui.busy("正在校验备份", Tf("正在校验 %s…", filepath.Base(path)))
	background(func() {
		m, err := backup.Verify(path)
		onUI(func() {
			done()
			if err != nil {
				ui.showError(err)
				return
			}
			msg := Tf("备份 %s（%s，%d 个文件）已校验无误。\n还原到工作区 %s？\n工作区中较新的文档会保留；被替换的旧文件移到「回收站」。",
				filepath.Base(path), m.Created.Local().Format("2006-01-02 15:04"), len(m.Files), dir)
			ui.confirm("从备份还原", msg, "还原", func() { ui.restoreFrom(path, dir) })
		})
	})
}

// restoreFrom restores the verified backup in the background, then reports what it did.
func (ui *UI) restoreFrom(path, dir string) {
	now := ui.now()
	done := ui.busy("正在还原", Tf("正在从 %s 还原…", filepath.Base(path)))
	background(func() {
		res, err := backup.Restore(path, dir, now)
		onUI(func() {
			done()
			if err != nil {
				ui.showError(err)
				return
			}
			text := Tf("新增 %d 个文件，替换较旧的 %d 个，相同未动 %d 个，工作区中较新而保留 %d 个。",
				len(res.Added), len(res.Replaced), len(res.Unchanged), len(res.KeptNewer))
			if len(res.InUse) > 0 {
				text += "\n" + Tf("正在其他窗口中打开而未还原：%s", strings.Join(res.InUse, "、"))
			}
			if res.Recycled != "" {
				text += "\n" + Tf("被替换的旧文件在 %s。", res.Recycled)
			}
			ui.info("还原完成", text)
		})
	})
}
