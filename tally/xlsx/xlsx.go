package xlsx

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"smartdiag/assessment"
	"smartdiag/district"
	"smartdiag/questionnaires"
	"smartdiag/regfile"
	"smartdiag/seal"
	"smartdiag/tally"
)

// Sheet names of the Excel export, in order.
const (
	SheetSummary      = "汇总"
	SheetByCategory   = "按类别"
	SheetByStreet     = "按街道"
	SheetByProvider   = "按服务商"
	SheetByIndustry   = "按行业"
	SheetLevels       = "等级分布"
	SheetIndices      = "指数与指标"
	SheetMonthly      = "每月进度"
	SheetNotDiagnosed = "未诊断企业"
	SheetOffRoster    = "名册外企业"
	SheetDetail       = "诊断明细"
	SheetRejected     = "未计入文件"
	SheetRosterIssues = "名册问题"
)

// Sheets lists the sheets WriteExcel writes.
var Sheets = []string{SheetSummary, SheetByCategory, SheetByStreet, SheetByProvider, SheetByIndustry, SheetLevels,
	SheetIndices, SheetMonthly, SheetNotDiagnosed, SheetOffRoster, SheetDetail, SheetRejected, SheetRosterIssues}

// Write writes the tally as an .xlsx workbook to path (atomically).
func Write(res *tally.Result, path string) error {
	f, err := Workbook(res)
	if err != nil {
		return err
	}
	defer f.Close()
	buf, err := f.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("无法生成 Excel 文件：%v", err)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("无法创建文件夹 %s：%v", dir, regfile.WithoutPath(err))
		}
	}
	return assessment.WriteFileAtomic(path, buf.Bytes())
}

// Workbook builds the workbook. Every text that comes from a roster or a document is written as an
// inline string cell with the text number format (@), so Excel shows "=…", "+…", "-…", "@…"
// as typed and does not turn them into formulas even when the cell is edited.
func Workbook(res *tally.Result) (*excelize.File, error) {
	x, err := newExcelWriter()
	if err != nil {
		return nil, err
	}
	for _, step := range []func(*tally.Result) error{x.summary, x.byCategory, x.byStreet, x.byProvider, x.byIndustry, x.levels,
		x.indices, x.monthly, x.notDiagnosed, x.offRoster, x.detail, x.rejected, x.rosterIssues} {
		if err := step(res); err != nil {
			x.f.Close()
			return nil, fmt.Errorf("无法生成 Excel 文件：%v", err)
		}
	}
	x.f.SetDocProps(&excelize.DocProperties{
		Title:   res.District + "智改数转网联诊断统计",
		Subject: "截至 " + res.AsOf,
		Creator: "smartdiag",
		Created: res.Generated.Format(time.RFC3339),
	})
	return x.f, nil
}

type excelWriter struct {
	f                                              *excelize.File
	tables                                         int
	header, text, wrap, integer, dec1, dec2, pct   int
	date, title, note, bold, boldInt, boldPct, key int
}

func newExcelWriter() (*excelWriter, error) {
	f := excelize.NewFile()
	x := &excelWriter{f: f}
	font := func(bold bool, size float64, color string) *excelize.Font {
		return &excelize.Font{Family: "等线", Size: size, Bold: bold, Color: color}
	}
	border := []excelize.Border{{Type: "bottom", Color: "C8D2DC", Style: 1}}
	pctFmt, dateFmt, dec1Fmt, dec2Fmt := "0.0%", "yyyy-mm-dd", "0.0", "0.00"
	styles := []struct {
		id *int
		s  excelize.Style
	}{
		{&x.header, excelize.Style{Font: font(true, 11, "FFFFFF"), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F5F8B"}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}, NumFmt: 49}},
		{&x.text, excelize.Style{Font: font(false, 11, ""), NumFmt: 49, Border: border}},
		{&x.wrap, excelize.Style{Font: font(false, 11, ""), NumFmt: 49, Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&x.integer, excelize.Style{Font: font(false, 11, ""), NumFmt: 1, Border: border}},
		{&x.dec1, excelize.Style{Font: font(false, 11, ""), CustomNumFmt: &dec1Fmt, Border: border}},
		{&x.dec2, excelize.Style{Font: font(false, 11, ""), CustomNumFmt: &dec2Fmt, Border: border}},
		{&x.pct, excelize.Style{Font: font(false, 11, ""), CustomNumFmt: &pctFmt, Border: border}},
		{&x.date, excelize.Style{Font: font(false, 11, ""), CustomNumFmt: &dateFmt, Border: border}},
		{&x.title, excelize.Style{Font: font(true, 14, "1F5F8B"), NumFmt: 49}},
		{&x.note, excelize.Style{Font: font(false, 10, "666E76"), NumFmt: 49}},
		{&x.bold, excelize.Style{Font: font(true, 11, ""), NumFmt: 49, Border: border}},
		{&x.boldInt, excelize.Style{Font: font(true, 11, ""), NumFmt: 1, Border: border}},
		{&x.boldPct, excelize.Style{Font: font(true, 11, ""), CustomNumFmt: &pctFmt, Border: border}},
		{&x.key, excelize.Style{Font: font(false, 11, "444444"), NumFmt: 49, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF3F7"}}}},
	}
	for _, s := range styles {
		id, err := f.NewStyle(&s.s)
		if err != nil {
			f.Close()
			return nil, err
		}
		*s.id = id
	}
	return x, nil
}

// col is a column of a list sheet: its title, width (characters) and the style of its cells.
type col struct {
	title string
	width float64
	style int
}

// sheet writes a list: header row frozen, then rows; as a table (with filter buttons) when
// table is set and there are rows. A value may be a string (written as text), an int, a float64,
// a *float64 or *int (nil: blank), a time.Time (a date in China time; zero: blank) or an
// excelize.Cell. (A table rather than an autofilter: adding an autofilter after streaming makes
// excelize read the whole sheet back, seconds and hundreds of MB for 10,000 rows.)
func (x *excelWriter) sheet(name string, cols []col, rows [][]any, table bool) error {
	if err := x.newSheet(name); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: x.header, Value: c.title}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	for r, row := range rows {
		cells := make([]any, len(cols))
		for i := range cols {
			var v any
			if i < len(row) {
				v = row[i]
			}
			cells[i] = x.cell(v, cols[i].style)
		}
		ref, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(ref, cells); err != nil {
			return err
		}
	}
	if table && len(rows) > 0 {
		x.tables++
		last, _ := excelize.CoordinatesToCellName(len(cols), len(rows)+1)
		stripes := false
		if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: fmt.Sprintf("表%d", x.tables),
			StyleName: "TableStyleLight1", ShowRowStripes: &stripes}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func (x *excelWriter) newSheet(name string) error {
	if len(x.f.GetSheetList()) == 1 && x.f.GetSheetList()[0] == "Sheet1" {
		return x.f.SetSheetName("Sheet1", name)
	}
	_, err := x.f.NewSheet(name)
	return err
}

// cell wraps a value with the style for it.
func (x *excelWriter) cell(v any, style int) any {
	switch v := v.(type) {
	case nil:
		return nil
	case excelize.Cell:
		return v
	case string:
		if style == 0 || style == x.integer || style == x.pct || style == x.dec1 || style == x.dec2 || style == x.date {
			style = x.text
		}
		return excelize.Cell{StyleID: style, Value: v}
	case *float64:
		if v == nil {
			return excelize.Cell{StyleID: style}
		}
		return excelize.Cell{StyleID: style, Value: *v}
	case *int:
		if v == nil {
			return excelize.Cell{StyleID: style}
		}
		return excelize.Cell{StyleID: style, Value: *v}
	case time.Time:
		if v.IsZero() {
			return excelize.Cell{StyleID: x.date}
		}
		y, m, d := v.In(district.CST).Date()
		return excelize.Cell{StyleID: x.date, Value: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	}
	return excelize.Cell{StyleID: style, Value: v}
}

func (x *excelWriter) summary(res *tally.Result) error {
	name := SheetSummary
	if err := x.newSheet(name); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	sw.SetColWidth(1, 1, 30)
	sw.SetColWidth(2, 2, 18)
	sw.SetColWidth(3, 3, 70)
	sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
	row := 1
	put := func(cells ...any) error {
		ref, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(ref, cells)
	}
	kv := func(k string, v any, style int, note string) error {
		return put(excelize.Cell{StyleID: x.key, Value: k}, x.cell(v, style), excelize.Cell{StyleID: x.text, Value: note})
	}
	section := func(t string) error {
		row++
		return put(excelize.Cell{StyleID: x.bold, Value: t})
	}
	var errs []error
	add := func(err error) { errs = append(errs, err) }
	add(put(excelize.Cell{StyleID: x.title, Value: res.District + "智改数转网联诊断统计"}))
	add(put(excelize.Cell{StyleID: x.note, Value: fmt.Sprintf("截至 %s；只计入封印有效、来自信任列表中服务商的诊断，每家企业计最新一份。", res.AsOf)}))

	add(section("全覆盖进度"))
	tot := res.Coverage.Total
	if tot.Target != nil {
		add(kv("目标企业（名册有效企业）", *tot.Target, x.integer, ""))
		add(kv("已诊断企业", tot.Diagnosed, x.integer, "名册上的企业中有计入诊断的"))
		add(kv("覆盖率", tot.Rate, x.boldPct, ""))
	} else {
		add(kv("已诊断企业", tot.Diagnosed, x.integer, "未导入名册：只有已诊断数，没有目标和覆盖率"))
	}
	for _, c := range res.CategoryRows() {
		note := ""
		if c.Target != nil {
			note = fmt.Sprintf("目标 %d 家，已诊断 %d 家", *c.Target, c.Diagnosed)
		}
		if c.Rate != nil {
			add(kv("覆盖率："+c.Name, c.Rate, x.pct, note))
		} else {
			add(kv("已诊断："+c.Name, c.Diagnosed, x.integer, note))
		}
	}
	if f := res.Forecast; f != nil {
		add(section("进度预测"))
		add(kv("统计日期", f.AsOf, x.text, ""))
		add(kv("全覆盖截止日期", f.Deadline, x.text, "区县画像中的 coverage_deadline"))
		add(kv("尚未诊断", f.Remaining, x.integer, ""))
		add(kv("当前进度（家/月）", f.PacePerMonth, x.dec1, fmt.Sprintf("近 %d 天新覆盖 %d 家", f.WindowDays, f.CoveredInWindow)))
		switch {
		case f.Remaining <= 0:
			add(kv("已实现全覆盖", f.CompleteOn, x.text, "最后一家的完成日期"))
		case f.Date == "":
			add(kv("预计全覆盖日期", "无法预计", x.text, "近期没有新增诊断"))
		default:
			note := ""
			if f.DaysLateOrEarly != nil {
				if *f.DaysLateOrEarly > 0 {
					note = fmt.Sprintf("比截止日期晚 %d 天", *f.DaysLateOrEarly)
				} else {
					note = fmt.Sprintf("比截止日期早 %d 天", -*f.DaysLateOrEarly)
				}
			}
			add(kv("按当前进度预计全覆盖", f.Date, x.bold, note))
		}
		if f.RequiredPerMonth != nil {
			add(kv("按期完成每月需诊断（家）", f.RequiredPerMonth, x.dec1, ""))
		}
	}
	add(section("诊断文件"))
	d := res.Diagnoses
	add(kv("读取的文件", d.Files, x.integer, ""))
	add(kv("有效诊断", d.Valid, x.integer, "封印有效、签名者在信任列表中、可以读取"))
	add(kv("计入的企业", d.Counted, x.boldInt, "每家企业计最新一份诊断（含名册外企业）"))
	add(kv("较早的诊断", d.Earlier, x.integer, "同一企业更早的诊断：只用于看进步，不计入"))
	add(kv("被修订替代", d.Superseded, x.integer, "已有修订版本（supersedes）的诊断"))
	add(kv("重复文件", d.Copies, x.integer, "同一份诊断的副本（如诊断文件和它的 PDF 报告）"))
	if d.Demo > 0 {
		add(kv(seal.DemoLabel, d.Demo, x.boldInt, "演示密钥签名的诊断（只用于试用，不是正式诊断）；正式统计前请从信任列表中移除演示密钥"))
	}
	add(kv("未计入文件", len(d.Rejected), x.integer, tally.RejectedSummary(d.ByStatus)))
	add(kv("诊断了不止一次的企业", len(d.Duplicates), x.integer, "见「诊断明细」"))
	add(kv("名册外企业", len(res.OffRoster), x.integer, ""))
	if r := res.Roster; r != nil {
		add(section("名册"))
		add(kv("名册文件", filepath.Base(r.File), x.text, r.Sheet))
		add(kv("数据行", r.Rows, x.integer, ""))
		add(kv("有效企业", r.Valid, x.integer, ""))
		add(kv("无效行", len(r.Invalid), x.integer, "缺少企业名称或信用代码无效，见「名册问题」"))
		add(kv("重复行", len(r.Duplicates), x.integer, "信用代码与前面的行重复，见「名册问题」"))
	}
	add(put())
	add(put(excelize.Cell{StyleID: x.note, Value: "生成：smartdiag，" + res.Generated.In(district.CST).Format("2006-01-02 15:04")}))
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return sw.Flush()
}

func (x *excelWriter) covSheet(name, what string, rows []tally.CovRow) error {
	cols := []col{{what, 24, x.text}, {"目标企业", 12, x.integer}, {"已诊断", 12, x.integer}, {"覆盖率", 12, x.pct}, {"未诊断", 12, x.integer}}
	var data [][]any
	for _, r := range rows {
		var left *int
		if r.Target != nil {
			left = new(*r.Target - r.Diagnosed)
		}
		data = append(data, []any{r.Name, r.Target, r.Diagnosed, r.Rate, left})
	}
	return x.sheet(name, cols, data, true)
}

func (x *excelWriter) byCategory(res *tally.Result) error {
	return x.covSheet(SheetByCategory, "企业类别", res.CategoryRows())
}

func (x *excelWriter) byStreet(res *tally.Result) error {
	return x.covSheet(SheetByStreet, "街道", res.StreetRows())
}

func (x *excelWriter) byIndustry(res *tally.Result) error {
	return x.covSheet(SheetByIndustry, "行业（GB/T 4754 大类）", res.IndustryRows())
}

func (x *excelWriter) byProvider(res *tally.Result) error {
	cols := []col{{"服务商", 36, x.text}, {"计入企业", 11, x.integer}, {"有效诊断", 11, x.integer}, {"较早或被替代", 13, x.integer},
		{"未计入文件", 12, x.integer}, {"其中名册外", 12, x.integer}, {"平均等级", 11, x.dec2}}
	var data [][]any
	for _, name := range res.ProviderRows() {
		p := res.Coverage.ByProvider[name]
		data = append(data, []any{name, p.Counted, p.Documents, p.Earlier, p.Rejected, p.OffRoster, p.MeanLevel})
	}
	return x.sheet(SheetByProvider, cols, data, true)
}

func (x *excelWriter) levels(res *tally.Result) error {
	total := 0
	for _, n := range res.Levels {
		total += n
	}
	cols := []col{{"等级", 30, x.text}, {"本区企业数", 12, x.integer}, {"本区占比", 12, x.pct}, {"参照占比", 12, x.pct}, {"参照", 46, x.text}}
	var data [][]any
	for l := range res.LevelNames {
		n := res.Levels[fmt.Sprint(l)]
		var share *float64
		if total > 0 {
			share = ptrf(float64(n) / float64(total))
		}
		data = append(data, []any{res.LevelLabel(l), n, share})
	}
	data = append(data, []any{"合计（成熟度问卷）", total})
	if res.LevelsEstimated > 0 {
		data = append(data, []any{"其中快速诊断估算", res.LevelsEstimated})
	}
	for _, ref := range res.LevelReference {
		data = append(data, []any{})
		src := fmt.Sprintf("%s（%s）", ref.Name, ref.Source)
		for _, g := range ref.Groups {
			data = append(data, []any{"参照档：" + g.Label, g.District, g.DistrictShare, g.Share, src})
		}
	}
	data = append(data, tally.AIExcelRows(res)...)
	return x.sheet(SheetLevels, cols, data, false)
}

func ptrf(f float64) *float64 { return &f }

func (x *excelWriter) indices(res *tally.Result) error {
	cols := []col{{"指数或指标", 36, x.text}, {"单位", 8, x.text}, {"企业数", 9, x.integer}, {"平均", 10, x.dec1},
		{"中位数", 10, x.dec1}, {fmt.Sprintf("≥%.0f 的企业", res.TrackThreshold), 12, x.integer}, {fmt.Sprintf("≥%.0f 占比", res.TrackThreshold), 12, x.pct},
		{"全国参照", 10, x.dec1}, {"参照年份", 10, x.integer}}
	var data [][]any
	for _, t := range res.Tracks {
		data = append(data, []any{t.Track + "指数", "0–100", t.N, t.Mean, t.Median, t.Past, t.Share})
	}
	for _, k := range res.KPIs {
		var year *int
		if k.ReferenceYear > 0 {
			year = new(k.ReferenceYear)
		}
		data = append(data, []any{k.Name, k.Unit, k.N, k.Mean, k.Median, nil, nil, k.Reference, year})
	}
	return x.sheet(SheetIndices, cols, data, true)
}

func (x *excelWriter) monthly(res *tally.Result) error {
	cols := []col{{"月份", 10, x.text}, {"新覆盖企业", 12, x.integer}, {"完成的诊断", 12, x.integer}, {"累计覆盖", 12, x.integer}}
	var data [][]any
	for _, m := range res.Monthly {
		data = append(data, []any{m.Month, m.Covered, m.Diagnoses, m.Cumulative})
	}
	return x.sheet(SheetMonthly, cols, data, true)
}

func (x *excelWriter) notDiagnosed(res *tally.Result) error {
	cols := []col{{"名册行", 8, x.integer}, {"企业名称", 34, x.text}, {"统一社会信用代码", 22, x.text}, {"街道", 12, x.text},
		{"企业类别", 24, x.text}, {"行业", 26, x.text}, {"联系人", 10, x.text}, {"联系电话", 15, x.text}, {"备注", 40, x.text}}
	var data [][]any
	for _, e := range res.NotDiagnosed {
		data = append(data, []any{e.Row, e.Name, e.CreditCode, e.Street, strings.Join(e.Categories, "、"),
			industryText(e.Industry, e.IndustryRaw), e.Contact, e.Phone, e.Note})
	}
	return x.sheet(SheetNotDiagnosed, cols, data, true)
}

func industryText(code, raw string) string {
	if code != "" {
		return tally.IndustryLabel(code)
	}
	return raw
}

func (x *excelWriter) diagnosisRow(d *tally.Diagnosis, kpis []tally.KPIStat) []any {
	var first any
	if d.FirstLevel != nil {
		first = *d.FirstLevel
	}
	var level any = d.Level
	if !d.CMMM {
		level = d.LevelName
	}
	var rosterRow any
	if d.RosterRow > 0 {
		rosterRow = d.RosterRow
	}
	row := []any{tally.RoleLabelOf(d), d.Name, d.CreditCode, rosterRow, d.Street, strings.Join(d.Categories, "、"), industryText(d.Industry, ""),
		d.Provider, d.Assessor, d.Finished, d.SealedAt, d.Questionnaire, level, d.Score, first,
		d.Tracks[questionnaires.TrackRetrofit], d.Tracks[questionnaires.TrackDigital], d.Tracks[questionnaires.TrackNetworked]}
	for _, k := range kpis {
		if v, ok := d.KPIs[k.Key]; ok {
			row = append(row, v)
		} else {
			row = append(row, nil)
		}
	}
	return append(row, d.ID, d.SupersededBy, d.File, d.Fingerprint)
}

func (x *excelWriter) diagnosisCols(kpis []tally.KPIStat) []col {
	cols := []col{{"状态", 16, x.text}, {"企业名称", 34, x.text}, {"统一社会信用代码", 22, x.text}, {"名册行", 8, x.integer},
		{"街道", 12, x.text}, {"企业类别", 22, x.text}, {"行业", 24, x.text}, {"服务商", 30, x.text}, {"诊断顾问", 10, x.text},
		{"完成日期", 12, x.date}, {"封存日期", 12, x.date}, {"问卷", 16, x.text}, {"等级", 7, x.integer}, {"得分", 8, x.dec2},
		{"首次诊断等级", 9, x.integer}, {"智改指数", 9, x.dec1}, {"数转指数", 9, x.dec1}, {"网联指数", 9, x.dec1}}
	for _, k := range kpis {
		title := k.Name
		if k.Unit != "" {
			title += "（" + k.Unit + "）"
		}
		cols = append(cols, col{title, 14, x.dec1})
	}
	return append(cols, col{"文档 id", 38, x.text}, col{"被修订为", 38, x.text}, col{"文件", 50, x.text}, col{"签名指纹", 42, x.text})
}

func (x *excelWriter) offRoster(res *tally.Result) error {
	var data [][]any
	for _, d := range res.OffRoster {
		data = append(data, x.diagnosisRow(d, res.KPIs))
	}
	return x.sheet(SheetOffRoster, x.diagnosisCols(res.KPIs), data, true)
}

func (x *excelWriter) detail(res *tally.Result) error {
	var data [][]any
	for _, d := range res.Documents {
		data = append(data, x.diagnosisRow(d, res.KPIs))
	}
	return x.sheet(SheetDetail, x.diagnosisCols(res.KPIs), data, true)
}

func (x *excelWriter) rejected(res *tally.Result) error {
	cols := []col{{"文件", 50, x.text}, {"结果", 14, x.text}, {"原因", 70, x.wrap}, {"企业名称（文件所写）", 30, x.text},
		{"信用代码（文件所写）", 22, x.text}, {"服务商", 30, x.text}, {"文档 id", 38, x.text}}
	var data [][]any
	for _, r := range res.Diagnoses.Rejected {
		data = append(data, []any{r.File, tally.StatusLabel(r.Status), r.Reason, r.Name, r.CreditCode, r.Provider, r.ID})
	}
	return x.sheet(SheetRejected, cols, data, true)
}

func (x *excelWriter) rosterIssues(res *tally.Result) error {
	cols := []col{{"名册行", 8, x.integer}, {"问题", 12, x.text}, {"说明", 80, x.wrap}}
	var data [][]any
	if r := res.Roster; r != nil {
		for _, p := range r.Invalid {
			data = append(data, []any{p.Row, "无效（未计入）", p.Reason})
		}
		for _, p := range r.Duplicates {
			data = append(data, []any{p.Row, "重复（未计入）", fmt.Sprintf("信用代码 %s 与第 %d 行重复", p.CreditCode, p.FirstRow)})
		}
		for _, p := range r.Warnings {
			data = append(data, []any{p.Row, "提示", p.Reason})
		}
	}
	return x.sheet(SheetRosterIssues, cols, data, true)
}
