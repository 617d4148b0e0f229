package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
)

// deleteDraft asks, then moves the draft and its evidence to the recycle folder.
func (h *homeScreen) deleteDraft(d *assessment.Document) {
	ui := h.ui
	ui.confirm("删除草稿", Tf("把「%s」的诊断草稿删除？草稿和附件会移到工作区的「%s」文件夹，可以从首页的「回收站」恢复。", d.Enterprise.Name, assessment.RecycleDir), "删除", func() {
		if err := ui.ws.DeleteDraft(d.ID, ui.now()); err != nil {
			ui.showError(err)
			return
		}
		ui.showHome()
	})
}

// showBin lists the deleted drafts, each with a button that puts it back.
func (h *homeScreen) showBin() {
	ui := h.ui
	list, err := ui.ws.DeletedDrafts()
	if err != nil {
		ui.showError(err)
		return
	}
	h.binRestore = nil
	rows := container.NewVBox()
	var d *dialog.CustomDialog
	for _, dd := range list {
		restore := widget.NewButton(T("恢复"), func() {
			if err := ui.ws.RestoreDraft(dd.ID); err != nil {
				ui.showError(err)
				return
			}
			d.Hide()
			ui.showHome()
		})
		h.binRestore = append(h.binRestore, restore)
		name := dd.Enterprise
		if name == "" {
			name = dd.ID
		}
		rows.Add(container.NewBorder(nil, nil, nil, restore,
			widget.NewLabel(Tf("%s　（删除于 %s）", name, dd.Deleted.Local().Format("2006-01-02 15:04")))))
	}
	if len(list) == 0 {
		rows.Add(widget.NewLabel(T("回收站里没有已删除的草稿。")))
	}
	scroll := container.NewVScroll(rows)
	scroll.SetMinSize(fyne.NewSize(640, 300))
	d = dialog.NewCustom(T("回收站：已删除的草稿"), T("关闭"), scroll, ui.win)
	d.SetOnClosed(ui.dialogKeys(d.Hide, d.Hide))
	d.Show()
}
