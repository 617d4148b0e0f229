package xlsx

import (
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"smartdiag/district"
	"smartdiag/roster"
	"smartdiag/seal/sealtest"
	"smartdiag/tally"
	"smartdiag/tally/tallytest"
)

// Texts that a spreadsheet program could take for a formula or a command.
var formulaLike = []string{`=HYPERLINK("http://example.com","点我")`, "+SUM(A1:A9)", "-2+3", "@SUM(1)", "=cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"}

func TestExcelExport(t *testing.T) {
	s := writeSmallDistrict(t)
	// Documents and roster rows whose names look like formulas.
	var csv strings.Builder
	csv.WriteString("企业名称,统一社会信用代码,所属街道,企业类型,行业类别\n")
	for i, name := range formulaLike {
		f := firm{Name: name, Code: code(200 + i), Street: "东山街道", Categories: []string{tallytest.AboveScale}, Industry: "34"}
		if i%2 == 0 {
			writeFile(t, filepath.Join(s.Dir, fmt.Sprintf("formula%d.sdiag", i)), sealDoc(t, variant(t, i, f, at(7, 2)), "甲服务商"))
		}
		if !strings.HasPrefix(name, "\t") && !strings.HasPrefix(name, "\r") { // a roster cell is trimmed
			fmt.Fprintf(&csv, "\"%s\",%s,东山街道,规上工业企业,34\n", strings.ReplaceAll(name, `"`, `""`), f.Code)
		}
	}
	base := smallRoster(t)
	extra, err := roster.ParseCSV("extra.csv", []byte(csv.String()))
	if err != nil {
		t.Fatal(err)
	}
	all := *base
	all.Entries = append(slices.Clone(base.Entries), extra.Entries...)
	res, err := tally.TallyWith([]string{s.Dir}, tally.Options{Roster: &all, Trusted: smallTrust, Now: asOf})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "out", "tally.xlsx")
	if err := Write(res, path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, Sheets) {
		t.Fatalf("sheets %v", got)
	}
	for _, want := range []string{"汇总", "按类别", "按街道", "按服务商", "等级分布", "未诊断企业", "诊断明细"} {
		if !slices.Contains(f.GetSheetList(), want) {
			t.Errorf("no sheet %s", want)
		}
	}

	// Every formula-like text is a plain string cell with the text format, shown as written.
	found := map[string]int{}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if !slices.Contains(formulaLike, v) {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				typ, _ := f.GetCellType(sheet, ref)
				formula, _ := f.GetCellFormula(sheet, ref)
				styleID, _ := f.GetCellStyle(sheet, ref)
				style, _ := f.GetStyle(styleID)
				if typ != excelize.CellTypeInlineString || formula != "" || style.NumFmt != 49 {
					t.Errorf("%s!%s %q: type %v, formula %q, number format %d", sheet, ref, v, typ, formula, style.NumFmt)
				}
				found[sheet]++
			}
		}
	}
	// Documents 0, 2, 4, 6 (6 is not on the roster); roster rows 1 and 3 are not diagnosed.
	if found[SheetDetail] != 4 || found[SheetNotDiagnosed] != 2 || found[SheetOffRoster] != 1 {
		t.Fatalf("formula-like cells found: %v", found)
	}

	// Header rows are frozen; rates are percentages; the figures are the tally's.
	for _, sheet := range []string{SheetByCategory, SheetByStreet, SheetNotDiagnosed, SheetDetail} {
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: panes %+v %v", sheet, panes, err)
		}
	}
	cat, _ := f.GetRows(SheetByCategory)
	if !slices.Equal(cat[0], []string{"企业类别", "目标企业", "已诊断", "覆盖率", "未诊断"}) ||
		!slices.Equal(cat[1], []string{tallytest.AboveScale, "8", "5", "62.5%", "3"}) {
		t.Fatalf("按类别: %v", cat)
	}
	// 规上: F1 F2 F5 and five formula-named firms, of which F1 F2 and three are diagnosed. 东山:
	// F1 F3 and the five, of which F1 F3 and three.
	st, _ := f.GetRows(SheetByStreet)
	if !slices.Equal(st[1], []string{"东山街道", "7", "5", "71.4%", "2"}) {
		t.Fatalf("按街道: %v", st)
	}
	if w, _ := f.GetColWidth(SheetDetail, "B"); w < 20 {
		t.Errorf("column width %v", w)
	}
	detail, _ := f.GetRows(SheetDetail)
	if len(detail) != 1+len(res.Documents) {
		t.Fatalf("诊断明细 has %d rows for %d documents", len(detail), len(res.Documents))
	}
	d1 := slices.IndexFunc(detail, func(r []string) bool { return len(r) > 2 && r[2] == f1.Code })
	if d1 < 0 || detail[d1][0] != "计入" || detail[d1][9] != "2026-03-10" {
		t.Fatalf("F1 row: %v", detail[max(d1, 0)])
	}
	sum, _ := f.GetRows(SheetSummary)
	text := fmt.Sprint(sum)
	for _, w := range []string{"覆盖率", "预计全覆盖", "2026-11-22", "54.5%", "被改动 1", "签名者未受信任 1"} {
		if !strings.Contains(text, w) {
			t.Errorf("汇总 lacks %q: %v", w, sum)
		}
	}
}

// BenchmarkExcel10000 writes the Excel export of a 10,000-document tally.
func BenchmarkExcel10000(b *testing.B) {
	dir := tallytest.BulkFixture(b, 10000)
	res, err := tally.TallyWith([]string{dir}, tally.Options{Roster: tallytest.BenchRoster(), Trusted: sealtest.TrustOf("甲服务商", "乙服务商", "丙服务商"), Now: time.Date(2026, 12, 1, 0, 0, 0, 0, district.CST)})
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	var peak uint64
	out := filepath.Join(b.TempDir(), "t.xlsx")
	for b.Loop() {
		stop := tallytest.SampleHeap(&peak)
		if err := Write(res, out); err != nil {
			b.Fatal(err)
		}
		stop()
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// The small district and its fixtures come from tally/tallytest.
var (
	f1                 = tallytest.F1
	writeSmallDistrict = tallytest.WriteSmallDistrict
	smallRoster        = tallytest.SmallRoster
	smallTrust         = tallytest.SmallTrust
	asOf               = tallytest.AsOf
	at                 = tallytest.At
	sealDoc            = tallytest.Seal
	variant            = sealtest.Variant
	writeFile          = sealtest.WriteFile
	code               = sealtest.Code
)

type firm = sealtest.Firm
