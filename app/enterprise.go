package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
	q "smartdiag/questionnaires"
)

// enterpriseForm edits the profile fields of a document's enterprise. Errors show beside the
// field as the user types; nothing is accepted while a field is invalid.
type enterpriseForm struct {
	profile                                                 *q.District // whose streets and categories the form offers
	name, code, contact, phone, address, employees, revenue *widget.Entry
	street, industry, ptype                                 *widget.Select
	categories                                              *widget.CheckGroup
	codeHint                                                *widget.Label
	sizeHint                                                *widget.Label         // plausibility of staff and revenue together
	ws                                                      *assessment.Workspace // warns of a credit code already there; nil: no check
	form                                                    *widget.Form
	next                                                    *widget.Button
}

func industryOptions() []string {
	var out []string
	for _, in := range q.Industries() {
		out = append(out, in.Code+" "+in.Name)
	}
	return out
}

func productionTypeOptions() []string {
	var out []string
	for _, p := range q.KnownProductionTypes {
		out = append(out, T(p.Name))
	}
	return out
}

func productionTypeKey(label string) string {
	for _, p := range q.KnownProductionTypes {
		if T(p.Name) == label {
			return p.Key
		}
	}
	return ""
}

// showEnterpriseForm asks for a new enterprise (or edits a copy of e), then goes on to the new
// diagnosis screen.
func (ui *UI) showEnterpriseForm(e *assessment.Enterprise) {
	f := newEnterpriseForm(ui.profile())
	f.ws = ui.ws
	if e != nil {
		f.set(*e)
	}
	f.next = widget.NewButton(T("下一步：选择问卷"), func() {
		ent, err := f.enterprise()
		if err != nil {
			ui.showError(err)
			return
		}
		ui.showNewDiagnosis(ent)
	})
	f.next.Importance = widget.HighImportance
	f.validateAll()
	body := container.NewVScroll(container.NewPadded(container.NewVBox(f.form, container.NewHBox(f.next))))
	ui.setScreen(ui.screenWithHeader(T("新建企业"), ui.showHome, nil, body))
	ui.enterprise = f
}

func newEnterpriseForm(profile *q.District) *enterpriseForm {
	f := &enterpriseForm{
		profile: profile,
		name:    widget.NewEntry(), code: widget.NewEntry(), contact: widget.NewEntry(), phone: widget.NewEntry(),
		address: widget.NewEntry(), employees: widget.NewEntry(), revenue: widget.NewEntry(),
		street:     widget.NewSelect(profile.Streets, nil),
		industry:   widget.NewSelect(industryOptions(), nil),
		ptype:      widget.NewSelect(productionTypeOptions(), nil),
		categories: widget.NewCheckGroup(translated(profile.CategoryKeys()), nil),
		codeHint:   widget.NewLabel(""),
		sizeHint:   widget.NewLabel(""),
	}
	f.sizeHint.Wrapping = fyne.TextWrapWord
	f.employees.OnChanged = func(string) { f.checkSize() }
	f.revenue.OnChanged = func(string) { f.checkSize() }
	f.categories.Horizontal = true
	f.codeHint.Wrapping = fyne.TextWrapWord // the known-code warning is long in English
	f.name.SetPlaceHolder(T("营业执照上的全称"))
	f.code.SetPlaceHolder(T("18 位，如 91320115MA1XXXXXXX"))
	f.name.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(T("企业名称不能为空"))
		}
		return nil
	}
	f.code.Validator = func(s string) error { return assessment.ValidateCreditCode(assessment.NormalizeCreditCode(s)) }
	f.code.OnChanged = func(s string) {
		switch err := f.code.Validator(s); {
		case strings.TrimSpace(s) == "":
			f.codeHint.SetText("")
		case err != nil:
			f.codeHint.Importance = widget.DangerImportance
			f.codeHint.SetText(err.Error())
		default:
			f.codeHint.Importance = widget.SuccessImportance
			f.codeHint.SetText("✓ " + T("校验位正确"))
			if f.ws == nil {
				break
			}
			if found := f.ws.FindCreditCode(assessment.NormalizeCreditCode(s)); len(found) > 0 {
				// The same firm entered twice splits its history across two names; say so before
				// a second profile is made.
				f.codeHint.Importance = widget.WarningImportance
				f.codeHint.SetText(Tf("工作区中已有这个代码的企业「%s」（%d 份诊断）。如是同一企业，请在首页选中它的诊断后新建。",
					found[0].Enterprise, len(found)))
			}
		}
	}
	for _, s := range []*widget.Select{f.street, f.industry, f.ptype} {
		s.PlaceHolder = T("请选择")
	}
	f.employees.Validator = nonNegative(T("从业人数"), true)
	f.revenue.Validator = nonNegative(T("营业收入"), false)
	f.ptype.SetSelected(T("离散型"))
	f.form = widget.NewForm(
		widget.NewFormItem(T("企业名称"), f.name),
		widget.NewFormItem(T("统一社会信用代码"), container.NewVBox(f.code, f.codeHint)),
		widget.NewFormItem(T("企业类别"), f.categories),
		widget.NewFormItem(T("所属街道"), f.street),
		widget.NewFormItem(T("所属行业"), f.industry),
		widget.NewFormItem(T("生产类型"), f.ptype),
		widget.NewFormItem(T("从业人数"), f.employees),
		widget.NewFormItem(T("营业收入（万元）"), container.NewVBox(f.revenue, f.sizeHint)),
		widget.NewFormItem(T("联系人"), f.contact),
		widget.NewFormItem(T("联系电话"), f.phone),
		widget.NewFormItem(T("地址"), f.address),
	)
	return f
}

// checkSize warns, as the consultant types, when staff and revenue together break a plausibility
// rule (revenue per employee, reference/kpi_rules.yaml): most often revenue in 元 or 亿元.
func (f *enterpriseForm) checkSize() {
	e := assessment.Enterprise{}
	e.Employees, _ = strconv.Atoi(strings.TrimSpace(f.employees.Text))
	e.RevenueWan, _ = strconv.ParseFloat(strings.TrimSpace(f.revenue.Text), 64)
	var msgs []string
	for _, n := range assessment.CheckProfile(e) {
		msgs = append(msgs, "⚠ "+n.Message(language()))
	}
	f.sizeHint.Importance = widget.WarningImportance
	f.sizeHint.SetText(strings.Join(msgs, "\n"))
}

func translated(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = T(s)
	}
	return out
}

func nonNegative(field string, integer bool) func(string) error {
	return func(s string) error {
		s = strings.TrimSpace(s)
		if s == "" {
			return nil
		}
		var err error
		var v float64
		if integer {
			var n int
			n, err = strconv.Atoi(s)
			v = float64(n)
		} else {
			v, err = strconv.ParseFloat(s, 64)
		}
		if err != nil || v < 0 {
			return fmt.Errorf("%s%s", field, T("应为非负数"))
		}
		return nil
	}
}

func (f *enterpriseForm) validateAll() {
	f.code.OnChanged(f.code.Text)
}

func (f *enterpriseForm) set(e assessment.Enterprise) {
	f.name.SetText(e.Name)
	f.code.SetText(e.CreditCode)
	f.street.SetSelected(e.Street)
	for _, o := range industryOptions() {
		if strings.HasPrefix(o, e.Industry+" ") {
			f.industry.SetSelected(o)
		}
	}
	f.ptype.SetSelected(T(q.ProductionTypeName(e.ProductionType)))
	f.categories.SetSelected(translated(e.Categories))
	if e.Employees > 0 {
		f.employees.SetText(strconv.Itoa(e.Employees))
	}
	if e.RevenueWan > 0 {
		f.revenue.SetText(strconv.FormatFloat(e.RevenueWan, 'f', -1, 64))
	}
	f.contact.SetText(e.Contact)
	f.phone.SetText(e.Phone)
	f.address.SetText(e.Address)
}

// enterprise returns the validated profile, or the first problem in the user's language.
func (f *enterpriseForm) enterprise() (assessment.Enterprise, error) {
	for _, e := range []*widget.Entry{f.name, f.code, f.employees, f.revenue} {
		if err := e.Validate(); err != nil {
			return assessment.Enterprise{}, err
		}
	}
	e := assessment.Enterprise{
		Name:           strings.TrimSpace(f.name.Text),
		CreditCode:     assessment.NormalizeCreditCode(f.code.Text),
		Street:         f.street.Selected,
		ProductionType: productionTypeKey(f.ptype.Selected),
		Contact:        strings.TrimSpace(f.contact.Text),
		Phone:          strings.TrimSpace(f.phone.Text),
		Address:        strings.TrimSpace(f.address.Text),
	}
	for _, c := range f.profile.CategoryKeys() {
		for _, sel := range f.categories.Selected {
			if sel == T(c) {
				e.Categories = append(e.Categories, c)
			}
		}
	}
	if code, _, ok := strings.Cut(f.industry.Selected, " "); ok {
		e.Industry = code
	}
	e.Employees, _ = strconv.Atoi(strings.TrimSpace(f.employees.Text))
	e.RevenueWan, _ = strconv.ParseFloat(strings.TrimSpace(f.revenue.Text), 64)
	if err := e.Validate(); err != nil {
		return e, err
	}
	return e, nil
}

// newDiagnosisScreen picks the questionnaire, production type and target level.
type newDiagnosisScreen struct {
	questionnaire *widget.RadioGroup
	target        *widget.Select
	assessor      *widget.Entry
	org           *widget.Entry
	start         *widget.Button
	repeat        *widget.Label // what a repeat visit carries over; nil for a first visit
}

func (ui *UI) showNewDiagnosis(e assessment.Enterprise) { ui.showNewDiagnosisFrom(e, nil) }

// showNewDiagnosisFrom starts a diagnosis of a firm; with prev (its last finished diagnosis) the
// new one is a repeat visit: prev's profile and target level, prev's questionnaire preselected.
func (ui *UI) showNewDiagnosisFrom(e assessment.Enterprise, prev *assessment.Document) {
	all, err := q.Bundled()
	if err != nil {
		ui.showError(err)
		return
	}
	s := &newDiagnosisScreen{}
	var labels []string
	byLabel := map[string]*q.Questionnaire{}
	for _, qn := range all {
		l := Tf("%s（约 %d 分钟，%d 题）", qn.TitleIn(language()), qn.DurationMinutes, len(qn.Items()))
		labels = append(labels, l)
		byLabel[l] = qn
	}
	s.target = widget.NewSelect(targetOptions(nil), nil)
	s.target.SetSelectedIndex(0)
	s.questionnaire = widget.NewRadioGroup(labels, func(sel string) {
		// The target levels are the chosen questionnaire's (sme-2024 has four).
		i := s.target.SelectedIndex()
		s.target.Options = targetOptions(byLabel[sel])
		s.target.SetSelectedIndex(min(max(i, 0), len(s.target.Options)-1))
		s.target.Refresh()
	})
	want := "cmmm-full"
	if prev != nil {
		want = prev.Questionnaire.ID
	}
	for l, qn := range byLabel {
		if qn.ID == want {
			s.questionnaire.SetSelected(l)
		}
	}
	if prev != nil && prev.TargetLevel < len(s.target.Options) {
		s.target.SetSelectedIndex(prev.TargetLevel)
	}
	a := ui.assessor()
	s.assessor, s.org = widget.NewEntry(), widget.NewEntry()
	s.assessor.SetText(a.Name)
	s.org.SetText(a.Organisation)
	s.start = widget.NewButton(T("开始诊断"), func() {
		qn := byLabel[s.questionnaire.Selected]
		if qn == nil {
			ui.showError(errors.New(T("请选择问卷")))
			return
		}
		if strings.TrimSpace(s.assessor.Text) == "" {
			ui.showError(errors.New(T("请填写诊断顾问姓名")))
			return
		}
		ui.app.Preferences().SetString(prefAssessor, strings.TrimSpace(s.assessor.Text))
		ui.app.Preferences().SetString(prefOrg, strings.TrimSpace(s.org.Text))
		var d *assessment.Document
		if prev != nil {
			d, err = assessment.NewRepeat(qn, prev, ui.assessor(), ui.now())
		} else {
			d, err = assessment.NewDocument(qn, e, ui.assessor(), ui.now())
		}
		if err != nil {
			ui.showError(err)
			return
		}
		d.TargetLevel = s.target.SelectedIndex()
		sess, err := assessment.NewSession(ui.ws, d, qn)
		if err != nil {
			ui.showError(err)
			return
		}
		ui.showWizard(sess, "")
	})
	s.start.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem(T("企业"), widget.NewLabel(e.Name+"（"+e.CreditCode+"）")),
		widget.NewFormItem(T("生产类型"), widget.NewLabel(T(q.ProductionTypeName(e.ProductionType)))),
		widget.NewFormItem(T("问卷"), s.questionnaire),
		widget.NewFormItem(T("目标等级"), s.target),
		widget.NewFormItem(T("诊断顾问"), s.assessor),
		widget.NewFormItem(T("服务机构"), s.org),
	)
	box := container.NewVBox(form, container.NewHBox(s.start))
	if prev != nil {
		when := prev.Created.Local().Format("2006-01-02")
		if prev.Finished != nil {
			when = prev.Finished.Local().Format("2006-01-02")
		}
		s.repeat = widget.NewLabel(Tf("再次诊断：企业信息沿用 %s 的诊断；答题时每道题旁显示上次的答案，结果页显示与上次相比的变化。", when))
		s.repeat.Wrapping = fyne.TextWrapWord
		box.Objects = append([]fyne.CanvasObject{s.repeat}, box.Objects...)
	}
	body := container.NewVScroll(container.NewPadded(box))
	edit := widget.NewButton(T("修改企业信息"), func() { ui.showEnterpriseForm(&e) })
	ui.setScreen(ui.screenWithHeader(T("新建诊断"), ui.showHome, []fyne.CanvasObject{edit}, body))
	ui.newDiag = s
}

// targetOptions are the choices of a target level: automatic, then the questionnaire's levels by
// name (all five CMMM levels when no questionnaire is chosen yet).
func targetOptions(qn *q.Questionnaire) []string {
	out := []string{T("自动（当前等级 + 1）")}
	n := 5
	if qn != nil {
		n = qn.LevelCount()
	}
	for l := 1; l <= n; l++ {
		name := "一二三四五六七八九"[3*(l-1):3*l] + "级"
		switch {
		case language() == "en":
			name = fmt.Sprintf("Level %d", l)
		case qn != nil:
			name, _, _ = strings.Cut(qn.LevelName(l), "（")
		}
		out = append(out, name)
	}
	return out
}
