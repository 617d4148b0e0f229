package xlsxread

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// openBytes opens a workbook held in memory with a generous limit.
func openBytes(tb testing.TB, data []byte) (*Workbook, error) {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	return Open(zr, 64<<20)
}

// compareWithExcelize reads every sheet of a workbook with this package and with excelize's
// GetRows(RawCellValue), which the roster importer used, and requires the same sheets, visibility,
// rows and merged ranges.
func compareWithExcelize(t *testing.T, name string, data []byte) {
	t.Helper()
	wb, err := openBytes(t, data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: excelize: %v", name, err)
	}
	defer f.Close()
	list := f.GetSheetList()
	if len(list) != len(wb.Sheets) {
		t.Fatalf("%s: sheets %v, excelize %v", name, wb.Sheets, list)
	}
	for i, sh := range wb.Sheets {
		if sh.Name != list[i] {
			t.Errorf("%s: sheet %d named %q, excelize %q", name, i, sh.Name, list[i])
		}
		visible, _ := f.GetSheetVisible(sh.Name)
		if sh.Hidden == visible {
			t.Errorf("%s: sheet %q hidden %v, excelize visible %v", name, sh.Name, sh.Hidden, visible)
		}
		want, err := f.GetRows(sh.Name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("%s %s: excelize: %v", name, sh.Name, err)
		}
		got, err := wb.Read(sh)
		if err != nil {
			t.Fatalf("%s %s: %v", name, sh.Name, err)
		}
		if len(got.Rows) != len(want) {
			t.Errorf("%s %s: %d rows, excelize %d", name, sh.Name, len(got.Rows), len(want))
		}
		for r := 0; r < min(len(got.Rows), len(want)); r++ {
			if !reflect.DeepEqual(got.Rows[r], want[r]) && (len(got.Rows[r]) > 0 || len(want[r]) > 0) {
				t.Errorf("%s %s row %d:\n got %q\nwant %q", name, sh.Name, r+1, got.Rows[r], want[r])
			}
		}
		mc, err := f.GetMergeCells(sh.Name, true)
		if err != nil {
			t.Fatal(err)
		}
		var merges []string
		for _, m := range mc {
			merges = append(merges, m.GetStartAxis()+":"+m.GetEndAxis())
		}
		if len(merges) != len(got.Merges) || (len(merges) > 0 && !reflect.DeepEqual(merges, got.Merges)) {
			t.Errorf("%s %s: merges %v, excelize %v", name, sh.Name, got.Merges, merges)
		}
	}
}

func TestSamplesMatchExcelize(t *testing.T) {
	files, _ := filepath.Glob("../testdata/*.xls*")
	files = append(files, filepath.Join("..", "..", "..", "shared", "samples", "roster-sample.xlsx"))
	n := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil || !bytes.HasPrefix(data, []byte("PK")) {
			continue
		}
		n++
		t.Run(filepath.Base(p), func(t *testing.T) { compareWithExcelize(t, p, data) })
	}
	if n < 3 {
		t.Fatalf("only %d sample workbooks found", n)
	}
}

// generated writes workbooks with excelize's two writers covering what a roster can hold.
func generated(t *testing.T) map[string][]byte {
	out := map[string][]byte{}
	save := func(name string, f *excelize.File) {
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		f.Close()
		out[name] = buf.Bytes()
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	// Shared strings, numbers, dates, booleans, formulas, rich text, gaps, merges, several sheets
	// with a hidden first one.
	f := excelize.NewFile()
	must(f.SetSheetName("Sheet1", "说明"))
	must(f.SetCellValue("说明", "A1", "这张表是说明，不是名册"))
	_, err := f.NewSheet("名册")
	must(err)
	_, err = f.NewSheet("空表")
	must(err)
	_, err = f.NewSheet("备注 & <其他>")
	must(err)
	must(f.SetSheetVisible("说明", false))
	f.SetActiveSheet(1)
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	must(err)
	s := "名册"
	must(f.SetCellValue(s, "B2", "企业名称"))
	must(f.SetCellValue(s, "C2", "统一社会信用代码"))
	must(f.SetCellValue(s, "E2", "联系电话"))
	must(f.SetCellValue(s, "B3", "南京 & 测试 <有限> 公司"))
	must(f.SetCellValue(s, "C3", "91320115MA1MXXXX1X"))
	must(f.SetCellValue(s, "E3", 13800001234))
	must(f.SetCellValue(s, "F3", 3.25))
	must(f.SetCellValue(s, "G3", true))
	must(f.SetCellValue(s, "H3", false))
	must(f.SetCellValue(s, "I3", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)))
	must(f.SetCellStyle(s, "I3", "I3", dateStyle))
	must(f.SetCellValue(s, "J3", 913201150000000000))
	must(f.SetCellStyle(s, "J3", "J3", textStyle))
	must(f.SetCellValue(s, "B5", "行间\n换行\r\n回车"))
	must(f.SetCellValue(s, "C5", "_x0041_ 与 _x005F_x0041_ 原样"))
	must(f.SetCellValue(s, "D5", "  前后空格  "))
	must(f.SetCellValue(s, "E5", "\u00a0全角　空格"))
	must(f.SetCellFormula(s, "F5", "E3*2"))
	must(f.SetCellValue(s, "Z7", "远处的单元格"))
	must(f.SetCellRichText(s, "B8", []excelize.RichTextRun{
		{Text: "富文本"}, {Text: "第二段", Font: &excelize.Font{Bold: true}}, {Text: " 第三段"},
	}))
	must(f.SetCellValue(s, "B9", "南京 & 测试 <有限> 公司")) // a repeated shared string
	must(f.SetCellValue(s, "B10", ""))
	must(f.SetCellStyle(s, "A11", "D11", dateStyle)) // styled but empty: an empty row
	must(f.SetCellValue(s, "A12", "街道"))
	must(f.MergeCell(s, "A12", "A14"))
	must(f.MergeCell(s, "B12", "D12"))
	must(f.SetCellValue(s, "B13", -0.5))
	must(f.SetCellValue(s, "C14", 1e21))
	must(f.SetCellValue(s, "B16", "末行"))
	must(f.SetCellStyle(s, "A20", "C20", dateStyle)) // trailing styled rows are no rows
	must(f.SetCellValue("备注 & <其他>", "A1", 1))
	save("excelize-shared.xlsx", f)

	// The stream writer, as the benchmark roster and many exports are written: inline strings.
	f = excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	must(err)
	must(sw.SetRow("A1", []any{"序号", "企业名称", "统一社会信用代码", "所属街道"}))
	for i := range 300 {
		cell, _ := excelize.CoordinatesToCellName(1, i+2+i/100)
		must(sw.SetRow(cell, []any{i + 1, fmt.Sprintf("南京名册%05d有限公司", i), fmt.Sprintf("91320115MA%08d", i), nil, 1.5 * float64(i), i%2 == 0}))
	}
	must(sw.SetRow("C400", []any{excelize.Cell{Formula: "A2+1"}, excelize.Cell{Value: "带公式", Formula: "B2"}}))
	must(sw.Flush())
	save("excelize-stream.xlsx", f)
	return out
}

func TestGeneratedMatchExcelize(t *testing.T) {
	for name, data := range generated(t) {
		t.Run(name, func(t *testing.T) { compareWithExcelize(t, name, data) })
	}
}

// zipOf builds a package from parts, as some other program might write it.
func zipOf(tb testing.TB, parts map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedKeys(parts) {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write([]byte(parts[name]))
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func sortedKeys(m map[string]string) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	for i := range k {
		for j := i + 1; j < len(k); j++ {
			if k[j] < k[i] {
				k[i], k[j] = k[j], k[i]
			}
		}
	}
	return k
}

const (
	contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`
	rootRels = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	workbookXML = `<?xml version="1.0" encoding="UTF-8"?>
<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="名单 &amp; 其他" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>`
	workbookRels = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
)

// handWritten is a package with what excelize never writes but other programs do: a namespace
// prefix on every element, rows and cells without r, rich text with phonetic runs, CDATA,
// comments, entities and character references, single-quoted attributes, CR LF in text.
func handWritten(tb testing.TB, sheet, sst string) []byte {
	return zipOf(tb, map[string]string{
		"[Content_Types].xml":        contentTypes,
		"_rels/.rels":                rootRels,
		"xl/workbook.xml":            workbookXML,
		"xl/_rels/workbook.xml.rels": workbookRels,
		"xl/worksheets/sheet1.xml":   sheet,
		"xl/sharedStrings.xml":       sst,
	})
}

const handSST = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- a comment -->
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6">
<si><t>企业名称</t></si>
<si><t xml:space="preserve"> 统一社会信用代码 </t></si>
<si><r><rPr><b/></rPr><t>南京</t></r><r><t xml:space="preserve">甲乙</t></r><rPh sb="0" eb="2"><t>ナンキン</t></rPh><phoneticPr fontId="1"/></si>
<si><t><![CDATA[A&B <C>]]></t></si>
<si><t>line1&#13;&#10;line2&#x4E2D;&amp;&lt;&gt;&quot;&apos;</t></si>
<si/>
<si><t>a_x000D__x000a_b_x005F_x0041__xD800_</t></si>
</sst>`

const handSheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<x:dimension ref="A1:E9"/>
<x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v> 1 </x:v></x:c></x:row>
<x:row><x:c t="s"><x:v>2</x:v></x:c><x:c><x:v>12.50</x:v></x:c><x:c t='inlineStr'><x:is><x:t>内联</x:t></x:is></x:c><x:c t="b"><x:v>1</x:v></x:c></x:row>
<x:row r="4" spans="1:5"><x:c r="B4" t="s"><x:v>3</x:v></x:c><!-- note --><x:c r="D4" t="s"><x:v>4</x:v></x:c><x:c t="s"><x:v>5</x:v></x:c><x:c t="s"><x:v>6</x:v></x:c></x:row>
<x:row r="5"/>
<x:row r="6"><x:c r="A6" t="str"><x:f>A1</x:f><x:v>公式结果</x:v></x:c><x:c r="C6" t="e"><x:v>#N/A</x:v></x:c><x:c r="E6"><x:f>1/0</x:f></x:c></x:row>
<x:row r="7"><x:c r="A7" t="s"><x:v>99</x:v></x:c><x:c r="B7" t="d"><x:v>2026-03-01T00:00:00</x:v></x:c><x:c r="C7" t="s"><x:v></x:v></x:c><x:c r="D7" t="n"><x:v>1.5E-3</x:v></x:c></x:row>
<x:row r="9"><x:c r="$A$9"><x:v>a&#x0D;&#x0A;b
c</x:v></x:c><x:c r="B9" t="inlineStr"><x:is><x:r><x:t>富</x:t></x:r><x:r><x:t>文本</x:t></x:r></x:is></x:c></x:row>
<x:row r="10"><x:c r="A10" s="0"/><x:c r="B10" t="s"/></x:row>
</x:sheetData>
<x:mergeCells count="2"><x:mergeCell ref="A1:A2"/><x:mergeCell ref='B4:C4'/></x:mergeCells>
</x:worksheet>`

func TestHandWrittenMatchesExcelize(t *testing.T) {
	data := handWritten(t, strings.ReplaceAll(handSheet, "\nc</x:v>", "\r\nc</x:v>"), handSST)
	compareWithExcelize(t, "hand.xlsx", data)
	wb, err := openBytes(t, data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := wb.Read(wb.Sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	// Spot checks that do not depend on excelize.
	if want := []string{"南京甲乙", "12.50", "内联", "1"}; !reflect.DeepEqual(got.Rows[1], want) {
		t.Errorf("row 2 %q, want %q", got.Rows[1], want)
	}
	// _x000D__x000a_ are CR LF, _x005F_ an underscore (so x0041_ stays), a lone surrogate is dropped.
	if want := "a\r\nb_x0041_"; got.Rows[3][5] != want {
		t.Errorf("escapes: %q, want %q", got.Rows[3][5], want)
	}
	// Character references are kept as written; a raw CR LF becomes LF.
	if got.Rows[8][0] != "a\r\nb\nc" {
		t.Errorf("row 9 newlines %q", got.Rows[8][0])
	}
	if want := []string{"公式结果", "", "#N/A", "", ""}; !reflect.DeepEqual(got.Rows[5], want) {
		t.Errorf("row 6 %q, want %q", got.Rows[5], want)
	}
}

// Damaged sheets are errors naming the part and row, where excelize silently gave fewer or
// scrambled rows.
func TestDamagedSheets(t *testing.T) {
	head := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	tail := `</sheetData></worksheet>`
	tests := []struct{ sheet, want string }{
		{head + `<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="B2"><v>2</v>`, "文件不完整"},
		{head + `<row r="1"><c r="1A"><v>1</v></c></row>` + tail, "第 1 行：单元格引用「1A」无效"},
		{head + `<row r="3"><c><v>1</v></c></row><row r="2"><c><v>1</v></c></row>` + tail, "行的顺序错误"},
		{head + `<row r="1"><c r="C1"><v>1</v></c><c r="A1"><v>2</v></c></row>` + tail, "单元格的顺序错误"},
		{head + `<row r="1"><c r="XFE1"><v>1</v></c></row>` + tail, "单元格引用「XFE1」无效"},
		{head + `<row r="1048577"><c><v>1</v></c></row>` + tail, "行号「1048577」无效"},
		{head + `<row r=""><c><v>0</v></c></row>` + tail, "第 1 行：行号「」无效"}, // found by FuzzSheetMatchesExcelize
		{head + `<row r="0"><c><v>0</v></c></row>` + tail, "行号「0」无效"},
		{head + `<row r="二"><c><v>0</v></c></row>` + tail, "行号「二」无效"},
		{head + `<row r="1"><c><v>&bogus;</v></c></row>` + tail, "不是有效的实体"},
		{head + `<row r="1"><c><v>1</x></c></row>` + tail, "被「</x>」结束"},
		{head + `<row r=1><c><v>1</v></c></row>` + tail, "没有引号"},
		{head + "<row><c><v>\xff</v></c></row>" + tail, "UTF-8"},
	}
	for _, tc := range tests {
		wb, err := openBytes(t, handWritten(t, tc.sheet, handSST))
		if err != nil {
			t.Fatal(err)
		}
		_, err = wb.Read(wb.Sheets[0])
		var e *Error
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.As(err, &e) || e.Part != "xl/worksheets/sheet1.xml" {
			t.Errorf("%.80s…: %v, want %q", tc.sheet[len(head):], err, tc.want)
		}
	}
	// A broken shared-string table is an error, not empty cells.
	wb, err := openBytes(t, handWritten(t, handSheet, `<sst><si><t>a</t></si><si><t>b</sst>`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wb.Read(wb.Sheets[0]); err == nil || !strings.Contains(err.Error(), "xl/sharedStrings.xml") {
		t.Errorf("broken sst: %v", err)
	}
}

// A sheet whose values sit far to the right on many rows would expand to more cells than any
// roster has; it is refused before it takes the memory.
func TestCellBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<worksheet><sheetData>`)
	for i := 1; i <= MaxCells/MaxColumns+2; i++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, i, i)
	}
	b.WriteString(`</sheetData></worksheet>`)
	wb, err := openBytes(t, handWritten(t, b.String(), handSST))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wb.Read(wb.Sheets[0]); err == nil || !strings.Contains(err.Error(), "单元格过多") {
		t.Errorf("far cells: %v", err)
	}
}

// The uncompressed-size limit holds whatever the zip headers claim.
func TestZipBomb(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range map[string]string{
		"_rels/.rels": rootRels, "xl/workbook.xml": workbookXML, "xl/_rels/workbook.xml.rels": workbookRels, "xl/sharedStrings.xml": handSST,
	} {
		w, _ := zw.Create(name)
		w.Write([]byte(content))
	}
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	w.Write([]byte(`<worksheet><sheetData>`))
	w.Write(bytes.Repeat([]byte("<!-- -->"), 4<<20)) // 32 MB of comments, deflated to a few KB
	w.Write([]byte(`</sheetData></worksheet>`))
	zw.Close()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	wb, err := Open(zr, 16<<20)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wb.Read(wb.Sheets[0]); !errors.Is(err, ErrTooLarge) && (err == nil || !strings.Contains(err.Error(), ErrTooLarge.Error())) {
		t.Errorf("bomb: %v", err)
	}
	if buf.Len() > 1<<20 {
		t.Fatalf("the bomb is %d bytes", buf.Len())
	}
}

func TestSharedStringLimit(t *testing.T) {
	defer func(n int) { maxSharedStrings = n }(maxSharedStrings)
	maxSharedStrings = 6
	wb, err := openBytes(t, handWritten(t, handSheet, handSST)) // 7 strings
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wb.Read(wb.Sheets[0]); err == nil || !strings.Contains(err.Error(), "共享字符串过多") {
		t.Errorf("7 strings over a limit of 6: %v", err)
	}
	maxSharedStrings = 7
	wb, _ = openBytes(t, handWritten(t, handSheet, handSST))
	if _, err := wb.Read(wb.Sheets[0]); err != nil {
		t.Errorf("7 strings within 7: %v", err)
	}
}

// Parts in other encodings: UTF-16 with a byte-order mark, GB18030 named in the declaration.
func TestEncodings(t *testing.T) {
	sheet := `<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>企业名称</t></is></c><c t="s"><v>0</v></c></row></sheetData></worksheet>`
	want := [][]string{{"企业名称", "企业名称"}}
	utf16, _, err := transform.String(xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder(), `<?xml version="1.0" encoding="UTF-16"?>`+sheet)
	if err != nil {
		t.Fatal(err)
	}
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(`<?xml version="1.0" encoding="GB18030"?>` + sheet)
	if err != nil {
		t.Fatal(err)
	}
	for name, part := range map[string]string{"utf-16": utf16, "gb18030": gb, "utf-8 bom": "\xEF\xBB\xBF" + sheet} {
		wb, err := openBytes(t, handWritten(t, part, handSST))
		if err != nil {
			t.Fatal(err)
		}
		got, err := wb.Read(wb.Sheets[0])
		if err != nil || !reflect.DeepEqual(got.Rows, want) {
			t.Errorf("%s: %q %v", name, got, err)
		}
	}
}
