package app

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
	q "smartdiag/questionnaires"
	"smartdiag/report"
	"smartdiag/service"
)

// finishScreen checks completeness, records the enterprise's confirmation, finishes the diagnosis
// and writes the report without freezing the window.
type finishScreen struct {
	status     *widget.Label
	rep        *widget.Entry
	date       *widget.Entry
	finishBtn  *widget.Button
	reportBtn  *widget.Button
	previewBtn *widget.Button // a draft's preview, watermarked 草稿, for the representative to read first
	reportRow  *fyne.Container
	openBtn    *widget.Button
	sealBtn    *widget.Button
	folderBtn  *widget.Button
	progress   *widget.ProgressBarInfinite
	lang       *widget.RadioGroup
	reportPath string
}

func (ui *UI) showFinish(s *assessment.Session) {
	f := &finishScreen{}
	ui.finish = f
	missing := assessment.Missing(s.Q, s.Doc)
	f.status = widget.NewLabel("")
	f.status.Wrapping = fyne.TextWrapWord
	f.rep = widget.NewEntry()
	f.rep.SetPlaceHolder(T("企业代表姓名"))
	f.date = widget.NewEntry()
	f.date.SetText(ui.now().Format("2006-01-02"))
	if c := s.Doc.Confirmation; c != nil {
		f.rep.SetText(c.Name)
		f.date.SetText(c.Date.Local().Format("2006-01-02"))
	}
	f.progress = widget.NewProgressBarInfinite()
	f.progress.Hide()
	f.progress.Stop()
	f.lang = widget.NewRadioGroup([]string{"中文", "English"}, nil)
	f.lang.Horizontal = true
	f.lang.SetSelected("中文")
	if language() == "en" {
		f.lang.SetSelected("English")
	}

	f.finishBtn = widget.NewButton(T("确认并完成诊断"), func() {
		date, err := assessment.ParseDate(f.date.Text, time.Local)
		if err != nil {
			ui.showError(errors.New(Tf("确认日期「%s」无法识别，请写成 %s 或 %s", strings.TrimSpace(f.date.Text),
				ui.now().Format("2006-01-02"), ui.now().Format("2006/01/02"))))
			return
		}
		// Finishing cannot be undone: the answers are frozen from then on. Ask first.
		ui.confirm("完成诊断", T("完成后不能再修改答案、备注和附件，只能查看、封存和生成报告。确定完成这次诊断吗？"), "完成", func() {
			if err := s.Confirm(f.rep.Text, date, ui.now()); err != nil {
				ui.showError(err)
				return
			}
			if err := s.Finish(ui.now()); err != nil {
				ui.showError(err)
				return
			}
			ui.forgetPosition()
			ui.showFinish(s)
		})
	})
	f.finishBtn.Importance = widget.HighImportance
	f.reportBtn = widget.NewButton(T("生成 PDF 报告"), func() { ui.generateReport(s, f, false) })
	f.previewBtn = widget.NewButton(T("预览报告（草稿）"), func() { ui.generateReport(s, f, true) })
	if s.Doc.Status != assessment.StatusDraft {
		f.previewBtn.Hide()
	}
	f.openBtn = widget.NewButton(T("打开报告"), func() { ui.openFile(f.reportPath) })
	f.folderBtn = widget.NewButton(T("在文件夹中显示"), func() { ui.openFolder(filepath.Dir(f.reportPath)) })
	f.openBtn.Hide()
	f.folderBtn.Hide()
	f.sealBtn = widget.NewButton(T("封存（数字签名）"), func() {
		ui.confirm("封存诊断", T("封存后文档不能再修改，区工信局可以核验它未被改动。确定封存？"), "封存", func() { ui.seal(s) })
	})
	if s.Doc.Status != assessment.StatusFinished {
		f.sealBtn.Hide()
	}

	switch {
	case s.Doc.Status == assessment.StatusSealed:
		f.status.SetText(Tf("诊断已完成（%s）并已封存。可以生成报告，把文档交给区工信局。", s.Doc.Finished.Local().Format("2006-01-02 15:04")))
		f.finishBtn.Hide()
		f.reportBtn.Importance = widget.HighImportance
		f.rep.Disable()
		f.date.Disable()
	case s.Doc.Status != assessment.StatusDraft:
		f.sealBtn.Importance = widget.HighImportance
		f.status.SetText(Tf("诊断已完成（%s）。要交给区工信局的，请先封存再生成报告：报告里嵌入的是生成时的文档，区里只接收封存后的版本。", s.Doc.Finished.Local().Format("2006-01-02 15:04")))
		f.finishBtn.Hide()
		f.rep.Disable()
		f.date.Disable()
	case len(missing) > 0:
		f.status.SetText(Tf("还有 %d 道必答题未回答，完成前请先回答。第一道是 %s。", len(missing), missing[0]))
		f.finishBtn.Disable()
		f.reportBtn.Disable()
	default:
		f.status.SetText(T("所有必答题都已回答。请企业代表确认结果后完成诊断；完成后答案不能再修改。"))
		f.reportBtn.Disable()
	}
	var gotoMissing fyne.CanvasObject = widget.NewLabel("")
	if len(missing) > 0 && s.Doc.Status == assessment.StatusDraft {
		gotoMissing = widget.NewButton(T("去回答未答题"), func() { ui.showWizard(s, missing[0]) })
	}
	form := widget.NewForm(
		widget.NewFormItem(T("企业代表"), f.rep),
		widget.NewFormItem(T("确认日期"), f.date),
	)
	r := assessment.Score(s.Q, s.Doc)
	level := levelLabel(s.Q, r.Level)
	if r.Estimate {
		level += T("（估算）")
	}
	summary := bold(Tf("%s · 得分 %.2f · 已答 %d / %d 题", level, r.Score, r.Answered, r.Relevant))
	f.reportRow = container.NewHBox(f.reportBtn, f.previewBtn, f.openBtn, f.folderBtn)
	body := container.NewPadded(container.NewVBox(
		summary, f.status, gotoMissing, form, container.NewHBox(f.finishBtn, f.sealBtn),
		widget.NewSeparator(),
		container.NewHBox(widget.NewLabel(T("报告语言")), f.lang),
		f.reportRow,
		f.progress,
	))
	ui.setScreen(ui.screenWithHeader(s.Doc.Enterprise.Name+" · "+T("完成与报告"), func() { ui.showResults(s) }, nil, body))
}

// generateReport renders the PDF off the UI goroutine and writes it to the workspace's reports
// folder; the window stays responsive and shows progress. A preview is a draft's report
// watermarked 草稿 on every page, for the representative to read before confirming.
func (ui *UI) generateReport(s *assessment.Session, f *finishScreen, preview bool) {
	lang := "zh"
	if f.lang.Selected == "English" {
		lang = "en"
	}
	doc, qn := s.Doc, s.Q
	dst := filepath.Join(ui.ws.Dir, "reports", report.FileName(doc))
	svc := ui.service()
	write := func(qn *q.Questionnaire, d *assessment.Document, lang, dst string) error {
		// The workspace holds the evidence files and any earlier diagnosis of the firm.
		return svc.WriteReportIn(qn, d, lang, dst, ui.ws.Dir)
	}
	if preview {
		dst = filepath.Join(ui.ws.Dir, "reports", service.PreviewFileName(doc))
		write = svc.WritePreview
		// A copy: the draft may change (back in the wizard) while the preview renders.
		data, err := doc.Encode()
		if err == nil {
			doc, err = assessment.Decode(data)
		}
		if err != nil {
			ui.showError(err)
			return
		}
	}
	reportReady := !f.reportBtn.Disabled() // a draft's report button stays off
	f.reportBtn.Disable()
	f.previewBtn.Disable()
	f.progress.Show()
	f.progress.Start()
	background(func() {
		err := write(qn, doc, lang, dst)
		onUI(func() {
			f.progress.Stop()
			f.progress.Hide()
			if reportReady {
				f.reportBtn.Enable()
			}
			f.previewBtn.Enable()
			if err != nil {
				ui.showError(err)
				return
			}
			f.reportPath = dst
			if preview {
				f.status.SetText(Tf("草稿预览已生成：%s\n每页印有「草稿」字样。请企业代表阅读后再确认并完成诊断。", dst))
			} else {
				f.status.SetText(Tf("报告已生成：%s", dst))
			}
			f.openBtn.Show()
			f.folderBtn.Show()
			f.reportRow.Refresh() // lays the row out again with the buttons just shown
		})
	})
}

func (ui *UI) openFile(path string) {
	u, err := url.Parse(storage.NewFileURI(path).String())
	if err == nil {
		err = ui.app.OpenURL(u)
	}
	if err != nil {
		ui.showError(fmt.Errorf("%s：%v", T("无法打开文件"), err))
	}
}

// dialogForm shows a form dialog whose confirm button runs submit; an error keeps it open.
func dialogForm(ui *UI, title string, items []*widget.FormItem, submit func() error, done func()) *dialog.CustomDialog {
	var d *dialog.CustomDialog
	errLabel := widget.NewLabel("")
	errLabel.Wrapping = fyne.TextWrapWord
	ok := widget.NewButton(T("确定"), func() {
		if err := submit(); err != nil {
			errLabel.SetText(err.Error())
			return
		}
		d.Hide()
		if done != nil {
			done()
		}
	})
	ok.Importance = widget.HighImportance
	cancel := widget.NewButton(T("取消"), func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons(title, container.NewVBox(widget.NewForm(items...), errLabel), ui.win)
	d.SetButtons([]fyne.CanvasObject{cancel, ok})
	// Enter confirms, Esc cancels, also from inside the form's fields.
	var fields []*dialogEntry
	for _, it := range items {
		fields = append(fields, dialogEntries(it.Widget)...)
	}
	d.SetOnClosed(ui.formKeys(ok.OnTapped, d.Hide, fields...))
	return d
}

// dialogEntries finds the dialogEntry fields in a form item's widget.
func dialogEntries(o fyne.CanvasObject) []*dialogEntry {
	switch w := o.(type) {
	case *dialogEntry:
		return []*dialogEntry{w}
	case *fyne.Container:
		var out []*dialogEntry
		for _, c := range w.Objects {
			out = append(out, dialogEntries(c)...)
		}
		return out
	}
	return nil
}

// seal signs the finished document with the consultant's key (created on first use, which the
// consultant is told) and saves the sealed file in place.
func (ui *UI) seal(s *assessment.Session) {
	res, err := ui.service().SealDocument(s.Doc, ui.ws.Path(s.Doc.ID))
	if err != nil {
		ui.showError(err)
		return
	}
	ui.showFinish(s)
	if res.KeyCreated {
		// The first seal made the key pair: say so, with what to do next, instead of silently.
		ui.info("已创建签名密钥", Tf("这是本机第一次封存，已创建签名密钥，指纹：%s\n请在「设置」→「签名密钥」中导出公钥文件交给区工信局，并备份私钥（设密码）。", res.Fingerprint))
	}
}
