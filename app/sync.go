package app

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
	"smartdiag/seal"
	"smartdiag/syncclient"
)

// Sync with the district server: the server's address and certificate pin are remembered in the
// preferences; what was handed in, and the firms assigned to the consultant's provider, are in the
// workspace's sync state file, which the CLI's `smartdiag sync` writes too (same syncclient path).

const (
	prefSyncServer = "sync.server"
	prefSyncPin    = "sync.pin" // SHA-256 of the server's self-signed certificate, as confirmed
)

// syncSettings is the server section of the settings screen.
type syncSettings struct {
	server, pin *widget.Entry
	save, sync  *widget.Button
	info        *widget.Label
}

// syncTimeout bounds one background sync (uploads are retried with backoff inside it).
var syncTimeout = 10 * time.Minute

// syncSettingsRow is the settings section for the district server.
func (ui *UI) syncSettingsRow() fyne.CanvasObject {
	p := ui.app.Preferences()
	s := &syncSettings{server: widget.NewEntry(), pin: widget.NewEntry()}
	ui.syncForm = s
	s.server.SetPlaceHolder("https://192.168.1.10:8443")
	s.server.SetText(p.String(prefSyncServer))
	s.pin.SetPlaceHolder(T("自签名证书的 SHA-256 指纹（留空则连接后显示，请核对）"))
	s.pin.SetText(syncclient.FormatPin(p.String(prefSyncPin)))
	s.save = widget.NewButton(T("保存服务器设置"), func() { ui.saveSyncServer(s.server.Text, s.pin.Text) })
	s.sync = widget.NewButton(T("立即同步"), ui.runSync)
	s.info = wrapped(ui.syncSummary())
	form := widget.NewForm(
		widget.NewFormItem(T("服务器地址"), s.server),
		widget.NewFormItem(T("证书指纹"), s.pin),
	)
	return container.NewVBox(
		widget.NewSeparator(),
		widget.NewLabelWithStyle(T("区级服务器"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		wrapped(T("封存的诊断和报告上传到区工信局的服务器，并取回审核结果和分派给本服务商的企业。离线时留在队列中，下次同步再上传。")),
		form, container.NewHBox(s.save, s.sync), s.info,
	)
}

// syncSummary is one line on the last sync of the workspace.
func (ui *UI) syncSummary() string {
	st, err := syncclient.LoadState(ui.ws.Dir)
	if err != nil {
		return err.Error()
	}
	if st.LastSync.IsZero() {
		return T("尚未同步。")
	}
	return Tf("上次同步：%s；分派给本服务商的企业 %d 家。", st.LastSync.Local().Format("2006-01-02 15:04"), len(st.Assignments))
}

// saveSyncServer checks and remembers the server address. An https address needs the pin of
// the server's certificate: one typed in is checked for form; without one the app reads the
// certificate and asks the consultant to compare its fingerprint with the one the server printed
// before trusting it.
func (ui *UI) saveSyncServer(rawURL, pin string) {
	rawURL = strings.TrimRight(strings.TrimSpace(rawURL), "/")
	p := ui.app.Preferences()
	if rawURL == "" {
		p.SetString(prefSyncServer, "")
		p.SetString(prefSyncPin, "")
		ui.info("服务器设置", T("已清除服务器地址：不再同步。"))
		return
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		ui.showError(fmt.Errorf(T("服务器地址 %q 无效：应为 https://主机:端口"), rawURL))
		return
	}
	if u.Scheme == "http" {
		p.SetString(prefSyncServer, rawURL)
		p.SetString(prefSyncPin, "")
		ui.info("服务器设置", Tf("已保存服务器地址 %s。", rawURL))
		return
	}
	if strings.TrimSpace(pin) != "" {
		if err := syncclient.CheckPin(pin); err != nil {
			ui.showError(err)
			return
		}
		ui.pinServer(rawURL, pin)
		return
	}
	background(func() {
		fp, err := syncclient.Fingerprint(context.Background(), rawURL)
		onUI(func() {
			if err != nil {
				ui.showError(err)
				return
			}
			ui.confirm("核对服务器证书", Tf("服务器 %s 出示的证书指纹是：\n\n%s\n\n请与服务器启动时显示的指纹（向区工信局索取）逐组核对。完全一致才点「信任」；不一致说明连接的不是区里的服务器。", rawURL, fp),
				"信任", func() { ui.pinServer(rawURL, fp) })
		})
	})
}

// pinServer remembers the address and the certificate fingerprint.
func (ui *UI) pinServer(rawURL, pin string) {
	p := ui.app.Preferences()
	p.SetString(prefSyncServer, rawURL)
	p.SetString(prefSyncPin, strings.ReplaceAll(syncclient.FormatPin(pin), ":", ""))
	if ui.syncForm != nil {
		ui.syncForm.server.SetText(rawURL)
		ui.syncForm.pin.SetText(syncclient.FormatPin(pin))
	}
	ui.info("服务器设置", Tf("已保存服务器地址 %s，并记住其证书指纹。", rawURL))
}

// runSync hands the workspace to the server in the background, through the same syncclient
// path as `smartdiag sync`, then shows the new states on the current screen.
func (ui *UI) runSync() {
	p := ui.app.Preferences()
	server := p.String(prefSyncServer)
	if server == "" {
		ui.showError(errors.New(T("还没有设置区级服务器：请在「设置」中填写服务器地址。")))
		return
	}
	if ui.syncing {
		return
	}
	opt := syncclient.Options{Server: server, Workspace: ui.ws.Dir, Pin: p.String(prefSyncPin)}
	if path, err := seal.ConfigPath(seal.KeyFileName); err == nil {
		opt.Key, _ = seal.LoadKey(path) // none: Sync says how to get one
	}
	ui.setSyncing(true)
	background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), syncTimeout)
		defer cancel()
		rep, err := syncclient.Sync(ctx, opt)
		onUI(func() {
			ui.setSyncing(false)
			ui.syncDone(rep, err)
		})
	})
}

func (ui *UI) setSyncing(on bool) {
	ui.syncing = on
	for _, b := range []*widget.Button{ui.syncButton(), ui.formSyncButton()} {
		if b == nil {
			continue
		}
		if on {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

func (ui *UI) syncButton() *widget.Button {
	if ui.home == nil {
		return nil
	}
	return ui.home.syncBtn
}

func (ui *UI) formSyncButton() *widget.Button {
	if ui.syncForm == nil {
		return nil
	}
	return ui.syncForm.sync
}

// syncDone shows what a sync did and refreshes the screens that show sync states.
func (ui *UI) syncDone(rep *syncclient.Report, err error) {
	if ui.syncForm != nil {
		ui.syncForm.info.SetText(ui.syncSummary())
	}
	if ui.home != nil && ui.win.Content() == ui.home.content {
		ui.home.loadSync()
	}
	if err != nil {
		ui.showError(err)
		return
	}
	ui.info("同步完成", Tf("本次上传 %d 份，排队未上传 %d 份，被拒收 %d 份；分派给本服务商的企业 %d 家。", rep.Uploaded, rep.Pending, rep.Rejected, len(rep.Assignments)))
}

// syncLabel is a document's sync status in the UI's language; empty for documents that are not
// handed in (drafts and unsealed ones).
func syncLabel(st *syncclient.State, path string, status string) string {
	if status != assessment.StatusSealed {
		return ""
	}
	if st == nil {
		return T("未上传")
	}
	d, ok := st.Docs[filepath.Base(path)]
	if !ok {
		return T("未上传")
	}
	switch d.Status {
	case syncclient.StatusUploaded:
		return T("已上传")
	case syncclient.StatusReturned:
		return Tf("已退回（%s）", d.Reason)
	case syncclient.StatusAccepted:
		return T("已通过")
	case syncclient.StatusConflict:
		return Tf("冲突（%s）", d.Reason)
	case syncclient.StatusRejected:
		return Tf("服务器拒收（%s）", d.Reason)
	}
	return T("未上传")
}

// docSyncLabel reads the state file for one document (the results screen).
func (ui *UI) docSyncLabel(d *assessment.Document) string {
	st, err := syncclient.LoadState(ui.ws.Dir)
	if err != nil {
		return err.Error()
	}
	return syncLabel(st, ui.ws.Path(d.ID), d.Status)
}

// syncBadge shows a sealed document's sync status in a screen header; nil for other documents.
func (ui *UI) syncBadge(d *assessment.Document) fyne.CanvasObject {
	l := ui.docSyncLabel(d)
	if l == "" {
		return nil
	}
	return widget.NewLabelWithStyle(T("上传状态：")+l, fyne.TextAlignTrailing, fyne.TextStyle{Italic: true})
}

// loadSync reads the workspace's sync state for the list and the assignments panel.
func (h *homeScreen) loadSync() {
	st, err := syncclient.LoadState(h.ui.ws.Dir)
	if err != nil {
		fyne.LogError("reading the sync state", err)
		st = nil
	}
	h.mu.Lock()
	h.setSyncState(st)
	h.mu.Unlock()
	if h.assignments != nil {
		h.assignments.refresh(st)
	}
	h.list.Refresh()
}

// setSyncState takes a new sync state and labels the entries with it; h.mu is held.
func (h *homeScreen) setSyncState(st *syncclient.State) {
	h.syncState = st
	for i := range h.entries {
		if e := &h.entries[i]; e.doc != nil {
			e.upload = syncLabel(st, e.path, e.doc.Status)
		}
	}
}

// The home list's upload column (the list's hook for other features' columns).
func init() {
	homeExtraColumns = append(homeExtraColumns, homeColumn{header: "上传状态", width: 0.12,
		cell: func(e *docEntry) string { return e.upload },
		less: func(a, b *firmGroup) int { return strings.Compare(a.newest().upload, b.newest().upload) }})
}

// assignmentsPanel lists the firms the district assigned to the consultant's provider, with the
// roster's contact data; a row starts a diagnosis of that firm with the form filled in.
type assignmentsPanel struct {
	ui    *UI
	rows  []syncclient.Assignment
	title *widget.AccordionItem
	acc   *widget.Accordion
	list  *widget.List
}

var assignmentCols = []float32{0.26, 0.17, 0.1, 0.09, 0.12, 0.1, 0.06, 0.1}

func (h *homeScreen) newAssignmentsPanel() fyne.CanvasObject {
	ap := &assignmentsPanel{ui: h.ui}
	h.assignments = ap
	ap.list = widget.NewList(
		func() int { return len(ap.rows) },
		func() fyne.CanvasObject {
			cells := []fyne.CanvasObject{}
			for range len(assignmentCols) - 1 {
				l := widget.NewLabel("")
				l.Truncation = fyne.TextTruncateEllipsis
				cells = append(cells, l)
			}
			cells = append(cells, widget.NewButton(T("开始诊断"), nil))
			return container.New(&columnsLayout{widths: assignmentCols}, cells...)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(ap.rows) {
				return
			}
			a := ap.rows[i]
			c := o.(*fyne.Container).Objects
			for j, s := range []string{a.Name, a.CreditCode, a.Street, a.Contact, a.Phone, a.Deadline, assignmentState(a.State)} {
				c[j].(*widget.Label).SetText(s)
			}
			c[len(c)-1].(*widget.Button).OnTapped = func() { ap.startDiagnosis(a) }
		},
	)
	min := canvas.NewRectangle(color.Transparent)
	min.SetMinSize(fyne.NewSize(0, 180))
	header := container.New(&columnsLayout{widths: assignmentCols}, bold(T("企业")), bold(T("统一社会信用代码")), bold(T("街道")),
		bold(T("联系人")), bold(T("联系电话")), bold(T("截止日期")), bold(T("进度")), widget.NewLabel(""))
	ap.title = widget.NewAccordionItem("", container.NewBorder(header, nil, nil, nil, container.NewStack(min, ap.list)))
	ap.acc = widget.NewAccordion(ap.title)
	ap.refresh(nil)
	return ap.acc
}

// assignmentState is the review state of the firm's latest upload, as the server reports it.
func assignmentState(s string) string {
	switch s {
	case "":
		return T("未上传")
	case "accepted":
		return T("已通过")
	case "returned":
		return T("已退回")
	}
	return T("已上传") // received, resubmitted
}

func (ap *assignmentsPanel) refresh(st *syncclient.State) {
	ap.rows = nil
	if st != nil {
		ap.rows = st.Assignments
	}
	ap.title.Title = Tf("分派给本服务商的企业（%d 家）", len(ap.rows))
	if len(ap.rows) == 0 {
		ap.acc.Hide()
	} else {
		ap.acc.Show()
	}
	ap.acc.Refresh()
	ap.list.Refresh()
}

// startDiagnosis opens the enterprise form filled with the roster's data for the firm.
func (ap *assignmentsPanel) startDiagnosis(a syncclient.Assignment) {
	ap.ui.showEnterpriseForm(&assessment.Enterprise{Name: a.Name, CreditCode: a.CreditCode, Street: a.Street, Contact: a.Contact, Phone: a.Phone})
}
