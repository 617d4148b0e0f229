package report

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"smartdiag/pdfstyle"
	q "smartdiag/questionnaires"
)

// systemNames finds the names of information systems and control equipment in an item's text
// (ERP, MES, SCADA, …): an item the firm fully or mostly meets shows the system in use.
var systemNames = regexp.MustCompile(`\b(ERP|MES|APS|PLM|PDM|CAPP|CAD|CAE|WMS|TMS|SRM|CRM|QMS|EMS|SCADA|DCS|PLC|OA|BI|AGV|RFID|LIMS|HR)\b`)

// systemsInUse lists the systems the answers show in use, each with the items that show it.
func (r *renderer) systemsInUse() [][2]string {
	if r.qn.CMMM == nil {
		return nil
	}
	inUse := map[string][]string{}
	var order []string
	good := []string{r.qn.CMMM.Scale[0].Key}
	if len(r.qn.CMMM.Scale) > 1 && r.qn.CMMM.Scale[1].Value >= r.qn.CMMM.Threshold {
		good = append(good, r.qn.CMMM.Scale[1].Key)
	}
	for _, it := range r.qn.Items() {
		if it.KPI || !r.rel[it.ID] {
			continue
		}
		a := r.d.Answers[it.ID]
		if a == nil || !slices.Contains(good, strings.Trim(string(a.Value), `"`)) {
			continue
		}
		for _, m := range systemNames.FindAllString(it.Text, -1) {
			if len(inUse[m]) == 0 {
				order = append(order, m)
			}
			if !slices.Contains(inUse[m], it.ID) {
				inUse[m] = append(inUse[m], it.ID)
			}
		}
	}
	out := make([][2]string, len(order))
	for i, m := range order {
		out[i] = [2]string{m, strings.Join(inUse[m], " ")}
	}
	return out
}

// firm is the firm on paper: who it is, what it makes, what it runs, what hurts, in its words.
func (r *renderer) firm() {
	r.section("s.firm")
	e := r.d.Enterprise
	na := r.L("not_recorded")
	or := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return na
		}
		return s
	}
	staff, revenue := na, na
	if e.Employees > 0 {
		staff = strconv.Itoa(e.Employees)
	}
	if e.RevenueWan > 0 {
		revenue = fmt.Sprintf("%g", e.RevenueWan)
	}
	rows := [][]string{
		{r.L("employees"), staff, r.L("revenue"), revenue},
		{r.L("industry"), or(industryText(e.Industry, r.lang)), r.L("production_type"), or(q.ProductionTypeNameIn(e.ProductionType, r.lang))},
		{r.L("products"), or(e.Products), r.L("processes"), or(e.Processes)},
	}
	if e.Address != "" {
		rows = append(rows, []string{r.L("address"), e.Address, r.L("size_band"), or(r.sizeBand())})
	}
	t := r.newTable(column{"", 28, "L"}, column{"", 59, "L"}, column{"", 28, "L"}, column{"", 59, "L"})
	t.size = 9
	t.rows(rows)

	r.setY(r.y() + 3)
	r.subheading(r.L("inventory"))
	if len(e.Inventory) > 0 {
		var inv [][]string
		for _, it := range e.Inventory {
			kind := map[string]string{"system": r.L("inv.system"), "equipment": r.L("inv.equipment")}[it.Kind]
			count, since := "", ""
			if it.Count > 0 {
				count = strconv.Itoa(it.Count)
			}
			if it.Since > 0 {
				since = strconv.Itoa(it.Since)
			}
			inv = append(inv, []string{kind, it.Name, it.Model, count, since, it.Note})
		}
		r.newTable(column{r.L("inv.kind"), 16, "C"}, column{r.L("inv.name"), 36, "L"}, column{r.L("inv.model"), 36, "L"},
			column{r.L("inv.count"), 14, "C"}, column{r.L("inv.since"), 18, "C"}, column{r.L("note"), 54, "L"}).rows(inv)
	} else {
		r.para(marginL, contentW, r.L("inventory_none"), 9, 5, pdfstyle.Muted, false)
	}
	if sys := r.systemsInUse(); len(sys) > 0 {
		r.setY(r.y() + 2)
		var parts []string
		for _, s := range sys {
			parts = append(parts, s[0]+r.paren(s[1]))
		}
		r.para(marginL, contentW, r.L("systems_from_answers")+r.colon()+strings.Join(parts, map[bool]string{false: "；", true: "; "}[r.en]), 9, 5, pdfstyle.Text, false)
	}

	r.setY(r.y() + 3)
	r.subheading(r.L("pain_points"))
	if len(e.PainPoints) == 0 {
		r.para(marginL, contentW, r.L("pain_points_none"), 9, 5, pdfstyle.Muted, false)
	}
	for _, p := range e.PainPoints {
		r.ensure(6)
		r.fill(pdfstyle.Warn)
		r.pdf.Circle(marginL+2, r.y()+2.9, 0.7, "F")
		r.para(marginL+5, contentW-5, r.quote(p), 9.5, 5.4, pdfstyle.Text, false)
	}
	if e.Contact != "" {
		r.setY(r.y() + 2)
		r.para(marginL, contentW, r.L("contact")+r.colon()+joinNonEmpty(" ", e.Contact, e.Phone), 9, 5, pdfstyle.Muted, false)
	}
}

// sizeBand names the firm's size band of the project catalogue.
func (r *renderer) sizeBand() string {
	if r.plan.SizeBand == "" {
		return ""
	}
	if b, ok := q.BundledProjects().SizeBand(r.d.Enterprise.Employees, r.d.Enterprise.RevenueWan); ok {
		return q.In(r.lang, b.Name, b.NameEN)
	}
	return r.plan.SizeBand
}

// quote marks the firm's own words: 「」 in Chinese, curly quotes in English.
func (r *renderer) quote(s string) string {
	if r.en {
		return "\u201c" + s + "\u201d"
	}
	return "「" + s + "」"
}
