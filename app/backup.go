package app

import (
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

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

// backupTo writes the workspace to path. It runs on the UI goroutine: a workspace of a few hundred
// diagnoses takes about a second, and the consultant should not edit while it is copied.
func (ui *UI) backupTo(path string) {
	if !strings.HasSuffix(strings.ToLower(path), backup.Ext) {
		path += backup.Ext
	}
	ui.pickedFrom(prefBackupDir, path)
	m, err := backup.Create(ui.ws.Dir, path, ui.now())
	if err != nil {
		ui.showError(err)
		return
	}
	ui.info("备份完成", Tf("已把工作区的 %d 个文件备份到\n%s\n并已校验。", len(m.Files), path))
}

// restorePicked checks the chosen backup and asks before restoring it into the workspace.
func (ui *UI) restorePicked(path string) {
	ui.pickedFrom(prefBackupDir, path)
	m, err := backup.Verify(path)
	if err != nil {
		ui.showError(err)
		return
	}
	msg := Tf("备份 %s（%s，%d 个文件）已校验无误。\n还原到工作区 %s？\n工作区中较新的文档会保留；被替换的旧文件移到「回收站」。",
		filepath.Base(path), m.Created.Local().Format("2006-01-02 15:04"), len(m.Files), ui.ws.Dir)
	ui.confirm("从备份还原", msg, "还原", func() {
		res, err := backup.Restore(path, ui.ws.Dir, ui.now())
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
}
