package app

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
)

// profileScreen edits the firm on paper (products, processes, pain points in the firm's words,
// the systems and equipment it runs), the consultant's contacts and the provincial self-test
// results the firm reports. The report prints them in 企业概况, the method page and the policy
// section.
type profileScreen struct {
	s                          *assessment.Session
	products, processes, pains *widget.Entry
	phone, email               *widget.Entry
	digital, share, date       *widget.Entry
	smartLevel, aiLevel, sme   *widget.Select
	inventory                  []*inventoryRow
	scroll                     *container.Scroll
	invList                    *fyne.Container
	addSystem, addEquip, save  *widget.Button
	status                     *widget.Label
}

// inventoryRow is one system or kind of equipment being edited.
type inventoryRow struct {
	kind                      string
	name, model, count, since *widget.Entry
	note                      *widget.Entry
	remove                    *widget.Button
}

// showProfile opens the profile of the session's document; back returns to where it was opened.
func (ui *UI) showProfile(s *assessment.Session, back func()) {
	p := &profileScreen{s: s}
	ui.profileForm = p
	cur := s.Profile()
	multi := func(text, hint string) *widget.Entry {
		e := widget.NewMultiLineEntry()
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(3)
		e.SetPlaceHolder(hint)
		e.SetText(text)
		return e
	}
	p.products = multi(cur.Products, T("如：汽车座椅骨架、精密冲压件"))
	p.processes = multi(cur.Processes, T("如：冲压、焊接、涂装、总装"))
	p.pains = multi(strings.Join(cur.PainPoints, "\n"), T("每行一条，用企业人员的原话"))
	p.pains.SetMinRowsVisible(4)
	p.phone, p.email = widget.NewEntry(), widget.NewEntry()
	p.phone.SetText(cur.AssessorPhone)
	p.email.SetText(cur.AssessorEmail)
	p.email.Validator = func(s string) error {
		if s = strings.TrimSpace(s); s != "" && !strings.Contains(s, "@") {
			return errors.New(T("邮箱格式不对"))
		}
		return nil
	}

	st := cur.SelfTest
	if st == nil {
		st = &assessment.SelfTest{}
	}
	p.digital, p.share, p.date = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	p.digital.SetPlaceHolder("0–100")
	p.share.SetPlaceHolder("0–100")
	p.date.SetPlaceHolder("YYYY-MM-DD")
	if st.DigitalPoints != nil {
		p.digital.SetText(strconv.FormatFloat(*st.DigitalPoints, 'f', -1, 64))
	}
	if st.AIScenarioShare != nil {
		p.share.SetText(strconv.FormatFloat(*st.AIScenarioShare, 'f', -1, 64))
	}
	p.date.SetText(st.Date)
	p.digital.Validator = percent(T("自评测得分"))
	p.share.Validator = percent(T("AI场景占比"))
	p.smartLevel = levelSelect(5, st.SmartFactoryLevel)
	p.aiLevel = levelSelect(5, st.AIScenarioLevel)
	p.sme = levelSelect(4, st.SMELevel)

	p.invList = container.NewVBox()
	for _, it := range cur.Inventory {
		p.addRow(it)
	}
	p.addSystem = widget.NewButton("+ "+T("系统"), func() { p.addRow(assessment.InventoryEntry{Kind: "system"}) })
	p.addEquip = widget.NewButton("+ "+T("设备"), func() { p.addRow(assessment.InventoryEntry{Kind: "equipment"}) })

	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.save = widget.NewButton(T("保存"), func() {
		prof, err := p.profile()
		if err == nil {
			err = s.SetProfile(prof, ui.now())
		}
		if err != nil {
			p.status.Importance = widget.DangerImportance
			p.status.SetText(T("未保存：") + err.Error())
			return
		}
		p.status.Importance = widget.SuccessImportance
		p.status.SetText(Tf("已保存 %s", ui.now().Local().Format("15:04:05")))
	})
	p.save.Importance = widget.HighImportance

	firm := widget.NewForm(
		widget.NewFormItem(T("主要产品"), p.products),
		widget.NewFormItem(T("主要工艺"), p.processes),
		widget.NewFormItem(T("企业反映的问题（原话）"), p.pains),
	)
	consultant := widget.NewForm(
		widget.NewFormItem(T("顾问电话"), p.phone),
		widget.NewFormItem(T("顾问邮箱"), p.email),
	)
	selfTest := widget.NewForm(
		widget.NewFormItem(T("数字化转型通用能力自评测得分"), p.digital),
		widget.NewFormItem(T("智能工厂等级水平（自评测）"), p.smartLevel),
		widget.NewFormItem(T("AI场景应用等级（自评测）"), p.aiLevel),
		widget.NewFormItem(T("AI场景占比（%）"), p.share),
		widget.NewFormItem(T("中小企业数字化水平（第三方现场评测）"), p.sme),
		widget.NewFormItem(T("评测日期"), p.date),
	)
	body := container.NewVBox(
		widget.NewLabelWithStyle(T("企业概况"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), firm,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(T("在用系统与设备"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel(T("类别、名称、品牌/型号、数量、启用年份、备注")),
		p.invList, container.NewHBox(p.addSystem, p.addEquip),
		widget.NewSeparator(),
		widget.NewLabelWithStyle(T("诊断顾问联系方式"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), consultant,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(T("省平台自评测结果（企业报告，顾问已核对；没有的留空）"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), selfTest,
		container.NewHBox(p.save), p.status,
	)
	p.scroll = container.NewVScroll(container.NewPadded(body))
	if s.Doc.Status == assessment.StatusSealed {
		p.save.Disable()
		p.status.SetText(T("文档已封存，只能查看"))
	}
	ui.setScreen(ui.screenWithHeader(s.Doc.Enterprise.Name+" · "+T("企业概况"), back, nil, p.scroll))
}

// levelSelect offers "not reported" and levels 1…n, with cur selected.
func levelSelect(n, cur int) *widget.Select {
	opts := []string{T("未报告")}
	for l := 1; l <= n; l++ {
		opts = append(opts, levelWord(l))
	}
	sel := widget.NewSelect(opts, nil)
	sel.SetSelectedIndex(min(max(cur, 0), n))
	return sel
}

// levelWord is 一级…五级 (Level 1… in English).
func levelWord(l int) string {
	return localName("一二三四五"[3*(l-1):3*l]+"级", "Level "+strconv.Itoa(l))
}

// percent checks an optional number from 0 to 100.
func percent(field string) func(string) error {
	return func(s string) error {
		s = strings.TrimSpace(s)
		if s == "" {
			return nil
		}
		if v, err := strconv.ParseFloat(s, 64); err != nil || v < 0 || v > 100 {
			return errors.New(field + T("应为 0–100 的数"))
		}
		return nil
	}
}

func (p *profileScreen) addRow(it assessment.InventoryEntry) {
	row := &inventoryRow{kind: it.Kind, name: widget.NewEntry(), model: widget.NewEntry(), count: widget.NewEntry(), since: widget.NewEntry(), note: widget.NewEntry()}
	row.name.SetText(it.Name)
	row.name.SetPlaceHolder(map[string]string{"system": T("如：ERP、MES"), "equipment": T("如：五轴加工中心")}[it.Kind])
	row.model.SetText(it.Model)
	row.model.SetPlaceHolder(T("品牌/型号"))
	if it.Count > 0 {
		row.count.SetText(strconv.Itoa(it.Count))
	}
	row.count.SetPlaceHolder(T("数量"))
	row.count.Validator = nonNegative(T("数量"), true)
	if it.Since > 0 {
		row.since.SetText(strconv.Itoa(it.Since))
	}
	row.since.SetPlaceHolder(T("启用年份"))
	row.note.SetText(it.Note)
	row.note.SetPlaceHolder(T("备注"))
	kind := widget.NewLabel(map[string]string{"system": T("系统"), "equipment": T("设备")}[it.Kind])
	var line *fyne.Container
	row.remove = widget.NewButton("×", func() {
		for i, r := range p.inventory {
			if r == row {
				p.inventory = append(p.inventory[:i], p.inventory[i+1:]...)
			}
		}
		p.invList.Remove(line)
	})
	line = container.NewBorder(nil, nil, kind, row.remove, container.NewGridWithColumns(5, row.name, row.model, row.count, row.since, row.note))
	p.inventory = append(p.inventory, row)
	p.invList.Add(line)
}

// profile reads the form; a field in error is named.
func (p *profileScreen) profile() (assessment.Profile, error) {
	for _, e := range []*widget.Entry{p.email, p.digital, p.share} {
		if err := e.Validate(); err != nil {
			return assessment.Profile{}, err
		}
	}
	out := assessment.Profile{
		Products: p.products.Text, Processes: p.processes.Text,
		PainPoints:    strings.Split(p.pains.Text, "\n"),
		AssessorPhone: p.phone.Text, AssessorEmail: p.email.Text,
	}
	for i, r := range p.inventory {
		if strings.TrimSpace(r.name.Text+r.model.Text+r.count.Text+r.since.Text+r.note.Text) == "" {
			continue // an empty row added by mistake
		}
		it := assessment.InventoryEntry{Kind: r.kind, Name: r.name.Text, Model: r.model.Text, Note: r.note.Text}
		var err error
		if s := strings.TrimSpace(r.count.Text); s != "" {
			if it.Count, err = strconv.Atoi(s); err != nil || it.Count < 0 {
				return out, errors.New(Tf("设备与系统清单第 %d 条：数量应为非负整数", i+1))
			}
		}
		if s := strings.TrimSpace(r.since.Text); s != "" {
			if it.Since, err = strconv.Atoi(s); err != nil {
				return out, errors.New(Tf("设备与系统清单第 %d 条：启用年份应为四位年份", i+1))
			}
		}
		out.Inventory = append(out.Inventory, it)
	}
	st := &assessment.SelfTest{
		SmartFactoryLevel: max(0, p.smartLevel.SelectedIndex()), AIScenarioLevel: max(0, p.aiLevel.SelectedIndex()),
		SMELevel: max(0, p.sme.SelectedIndex()), Date: strings.TrimSpace(p.date.Text),
	}
	if s := strings.TrimSpace(p.digital.Text); s != "" {
		v, _ := strconv.ParseFloat(s, 64)
		st.DigitalPoints = &v
	}
	if s := strings.TrimSpace(p.share.Text); s != "" {
		v, _ := strconv.ParseFloat(s, 64)
		st.AIScenarioShare = &v
	}
	out.SelfTest = st
	return out, nil
}
