package roster

import (
	"archive/zip"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"

	"smartdiag/assessment"
	"smartdiag/questionnaires"
)

var update = flag.Bool("update", false, "regenerate the roster fixtures in testdata")

// The bundled profile's three categories, taken from its data as the importer takes them.
var (
	bundledCategories                         = questionnaires.BundledDistrict().CategoryKeys()
	catAboveScale, catHighGrowth, catNewStart = bundledCategories[0], bundledCategories[1], bundledCategories[2]
)

// fixtureCode returns a valid credit code, different for each n.
func fixtureCode(n int) string {
	first := fmt.Sprintf("91320115MA%07d", n)
	c, err := assessment.CreditCheckChar(first)
	if err != nil {
		panic(err)
	}
	return first + string(c)
}

// badCheck returns fixtureCode(n) with a wrong check character.
func badCheck(n int) string {
	c := fixtureCode(n)
	last := byte('0')
	if c[17] == '0' {
		last = '1'
	}
	return c[:17] + string(last)
}

// spaced writes a code the way it is often pasted: lower case, in groups with spaces.
func spaced(c string) string {
	c = strings.ToLower(c)
	return c[:4] + " " + c[4:8] + " " + c[8:13] + " " + c[13:]
}

// fullWidth converts ASCII letters and digits to their full-width forms.
func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > ' ' && r < 0x7F {
			r += '！' - '!'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestMakeFixtures regenerates testdata; run `go test ./roster -run TestMakeFixtures -update`.
func TestMakeFixtures(t *testing.T) {
	if !*update {
		t.Skip("run with -update to regenerate testdata")
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll("testdata", 0o755))
	must(os.WriteFile("testdata/quirks.xlsx", quirksXLSX(t), 0o644))
	tt := twoTierXLSX(t)
	must(os.WriteFile("testdata/twotier.xlsx", tt, 0o644))
	must(os.WriteFile("testdata/xlsx-named.xls", tt, 0o644))
	must(os.WriteFile("testdata/utf8-bom.csv", append([]byte("\uFEFF"), []byte(utf8BOMCSV())...), 0o644))
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(gb18030CSV())
	must(err)
	must(os.WriteFile("testdata/gb18030.csv", []byte(gb), 0o644))
	u16, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder().String(utf16TabCSV())
	must(err)
	must(os.WriteFile("testdata/utf16-tab.csv", []byte(u16), 0o644))
	must(os.WriteFile("testdata/noheader.csv", []byte("江宁区企业名单\r\n企业名称,地址\r\n南京甲有限公司,东山\r\n"), 0o644))
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	must(os.WriteFile("testdata/old.xls", ole, 0o644))
}

func quirksXLSX(t testing.TB) []byte {
	f := excelize.NewFile()
	defer f.Close()
	set := func(sheet, cell string, v any) {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	merge := func(sheet, a, b string) {
		if err := f.MergeCell(sheet, a, b); err != nil {
			t.Fatal(err)
		}
	}
	// Sheet 1: instructions, no header row (skipped for the next sheet).
	if err := f.SetSheetName("Sheet1", "填表说明"); err != nil {
		t.Fatal(err)
	}
	set("填表说明", "A1", "填表说明")
	set("填表说明", "A2", "1. 企业名称请填写营业执照上的全称。")
	set("填表说明", "A3", "企业名称")
	if _, err := f.NewSheet("名单"); err != nil {
		t.Fatal(err)
	}
	s := "名单"
	row := func(n int, vals ...any) {
		if err := f.SetSheetRow(s, fmt.Sprintf("A%d", n), &vals); err != nil {
			t.Fatal(err)
		}
	}
	set(s, "A1", "2024年江宁区智改数转网联诊断企业名单")
	merge(s, "A1", "I1")
	set(s, "A2", "填报单位：江宁区工业和信息化局（盖章）")
	merge(s, "A2", "I2")
	// row 3 blank
	row(4, "序号", "单位名称（必填）", "统一社会\n信用代码", "\u3000镇街 ", "企业类别", "国民经济行业", "联系人", "手机", "备注")
	set(s, "A5", "一、规上工业企业")
	merge(s, "A5", "I5")
	row(6, 1, "\u3000南京甲机械有限公司\u00a0", spaced(fixtureCode(1)), nil, "规上、高成长", "C34 通用设备制造业", "王经理", 13800000001)
	row(7, 2, "南京乙电子科技有限公司", fullWidth(fixtureCode(2)), nil, "规上企业/新开工项目企业", "39", "李总", "139 0000 0002")
	row(8, 3, "南京丙（集团）有限公司", fixtureCode(3)+"  ", nil, "规模以上工业企业；新投产", "通用设备制造业", "ＡＢＣ", "025-52100003")
	// row 9 blank
	row(10, 4, "南京丁食品有限公司", badCheck(4), "汤山街道", "规上工业企业", "13", "赵主任", "")
	row(11, 5, "", fixtureCode(5), "汤山街道", "规上工业企业", "14", "钱主任", "")
	row(12, 6, "南京戊化工有限公司", "", "汤山街道", "规上工业企业", "26", "孙主任", "")
	row(13, 7, "南京己药业有限公司", fixtureCode(7)[:16], "汤山街道", "规上工业企业", "27", "周主任", "")
	row(14, 8, "南京甲机械有限公司", fixtureCode(1), "东山街道", "规上工业企业", "34", "王经理", "")
	set(s, "A15", "二、高成长性企业")
	merge(s, "A15", "I15")
	row(16, 9, "南京庚仪表有限公司", fixtureCode(9), "秣陵镇", "高成长企业，专精特新", "C4011", "吴经理", "")
	row(17, 10, "南京辛塑胶有限公司", fixtureCode(10), "浦口街道", "高成长性", "软件开发", "郑经理", "")
	row(18, 11, "南京壬汽车零部件有限公司", fixtureCode(11), "江宁区谷里街道", "新开工", "汽车制造", "冯经理", "１５１００００００１１")
	row(19, 12, "南京癸有限公司", fixtureCode(9), "秣陵街道", "高成长性企业", "40", "陈经理", "")
	set(s, "A20", 13) // a row with only its sequence number
	row(21, 14, "南京子金属制品有限公司", fixtureCode(14), "淳化街道", "规上", "33", "褚经理", "")
	set(s, "B22", "南京丑科技有限公司") // a firm whose other cells were never filled in
	row(23, 16, "南京寅电气有限公司", fixtureCode(16), "湖熟街道", nil, "38")
	set(s, "A24", "注：1. 名单按街道汇总；2. 如有变动以最新通知为准。")
	merge(s, "A24", "I24")
	set(s, "A25", "制表人：张三")
	set(s, "E25", "审核人：李四")
	// row 26 blank
	set(s, "A27", "数据截至2024年5月")
	set(s, "B28", "以上名单仅供诊断工作使用")
	set(s, "A29", 17)
	merge(s, "D6", "D8") // street merged over three firms
	set(s, "D6", "东山")
	f.SetActiveSheet(1)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func twoTierXLSX(t testing.TB) []byte {
	f := excelize.NewFile()
	defer f.Close()
	s := "Sheet1"
	row := func(n int, vals ...any) {
		if err := f.SetSheetRow(s, fmt.Sprintf("A%d", n), &vals); err != nil {
			t.Fatal(err)
		}
	}
	merge := func(a, b string) {
		if err := f.MergeCell(s, a, b); err != nil {
			t.Fatal(err)
		}
	}
	row(1, "企业名单")
	merge("A1", "F1")
	row(2, "企业名称", "信用代码", "所属街道", "联系方式", nil, "企业类型")
	row(3, nil, nil, nil, "联系人", "联系电话")
	merge("A2", "A3")
	merge("B2", "B3")
	merge("C2", "C3")
	merge("D2", "E2")
	merge("F2", "F3")
	row(4, "南京一号科技有限公司", fixtureCode(101), "麒麟街道", "刘一", "13900000101", "规上")
	row(5, "南京二号科技有限公司", fixtureCode(102), "麒麟", "刘二", "13900000102", "高成长")
	row(6, "企业名称", "信用代码", "所属街道", "联系人", "联系电话", "企业类型") // header repeated on a new page
	row(7, "南京三号科技有限公司", fixtureCode(103), "横溪街道", "刘三", "13900000103", "新开工")
	// A firm with two contacts: name, code, street and category merged over rows 8–9.
	row(8, "南京四号科技有限公司", fixtureCode(104), "横溪街道", "刘四", "13900000104", "规上")
	row(9, nil, nil, nil, "刘五", "13900000105")
	merge("A8", "A9")
	merge("B8", "B9")
	merge("C8", "C9")
	merge("F8", "F9")
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func utf8BOMCSV() string {
	lines := []string{
		"企业名称,统一社会信用代码,所属街道,企业类型,行业类别,联系人,联系电话",
		"南京甲机械有限公司," + fixtureCode(201) + ",东山街道,\"规上,高成长\",C34 通用设备制造业,王经理,13800000201",
		"\"南京多行\n科技有限公司\"," + fixtureCode(202) + ",秣陵街道,新开工企业,35,李总,13800000202",
		"",
		"南京科学计数有限公司,9.13201E+17,汤山街道,规上工业企业,34,赵总,",
		"南京小写代码有限公司," + strings.ToLower(fixtureCode(206)) + ",湖熟,规上;新投产,仪器仪表制造业,钱总,",
		",,,,,,",
		"注：本表由区工信局汇总。,,,,,,",
	}
	return strings.Join(lines, "\r\n") + "\r\n"
}

func gb18030CSV() string {
	lines := []string{
		"江宁区2024年诊断名单（第一批）,,,,,,",
		",,,,,,",
		"名称（必填）,＊信用代码,街　道,类别,行业,联系人,电话",
		"南京𠮷䶮科技有限公司," + fixtureCode(301) + ",江宁街道,规上工业企业,C39,王经理,13800000301",
		"\u3000南京丰收食品有限公司\u3000," + fixtureCode(302) + ",禄口,规上 高成长,1311,李总,13800000302",
		"南京错字有限公司," + strings.Replace(fixtureCode(303), "0", "O", 1) + ",禄口街道,新开工企业,34,赵总,",
		"南京𠮷䶮科技有限公司," + fixtureCode(301) + ",江宁街道,规上工业企业,C39,王经理,13800000301",
		",,,,,,",
		"说明：本表由各街道报送。,,,,,,",
	}
	return strings.Join(lines, "\r\n") + "\r\n"
}

func utf16TabCSV() string {
	return "企业名称\t统一社会信用代码\t所属街道\r\n" +
		"南京制表符有限公司\t" + fixtureCode(401) + "\t谷里街道\r\n"
}

type wantEntry struct {
	Row        int
	Name, Code string
	Street     string
	Categories []string
	Industry   string
	Contact    string
	Phone      string
}

func TestRosterFixtures(t *testing.T) {
	tests := []struct {
		file       string
		sheet      string
		headerRow  int
		rows       int
		entries    []wantEntry
		invalid    map[int]string // row → substring of the reason
		duplicates []Duplicate
		warnings   map[int][]string // row → substrings, one per warning
	}{
		{
			file: "quirks.xlsx", sheet: "名单", headerRow: 4, rows: 15,
			entries: []wantEntry{
				{6, "南京甲机械有限公司", fixtureCode(1), "东山街道", []string{catAboveScale, catHighGrowth}, "34", "王经理", "13800000001"},
				{7, "南京乙电子科技有限公司", fixtureCode(2), "东山街道", []string{catAboveScale, catNewStart}, "39", "李总", "139 0000 0002"},
				{8, "南京丙（集团）有限公司", fixtureCode(3), "东山街道", []string{catAboveScale, catNewStart}, "34", "ABC", "025-52100003"},
				{16, "南京庚仪表有限公司", fixtureCode(9), "秣陵街道", []string{catHighGrowth, "专精特新"}, "40", "吴经理", ""},
				{17, "南京辛塑胶有限公司", fixtureCode(10), "浦口街道", []string{catHighGrowth}, "", "郑经理", ""},
				{18, "南京壬汽车零部件有限公司", fixtureCode(11), "谷里街道", []string{catNewStart}, "36", "冯经理", "15100000011"},
				{21, "南京子金属制品有限公司", fixtureCode(14), "淳化街道", []string{catAboveScale}, "33", "褚经理", ""},
				{23, "南京寅电气有限公司", fixtureCode(16), "湖熟街道", nil, "38", "", ""},
			},
			invalid: map[int]string{
				10: "统一社会信用代码校验位错误",
				11: "缺少企业名称",
				12: "缺少统一社会信用代码",
				13: "应为 18 位，实际 16 位",
				22: "缺少统一社会信用代码",
			},
			duplicates: []Duplicate{{14, fixtureCode(1), 6}, {19, fixtureCode(9), 16}},
			warnings: map[int][]string{
				16: {"「专精特新」"},
				17: {"街道「浦口街道」", "行业「软件开发」"},
				19: {"企业名称不同"},
			},
		},
		{
			file: "twotier.xlsx", sheet: "Sheet1", headerRow: 2, rows: 4,
			entries: []wantEntry{
				{4, "南京一号科技有限公司", fixtureCode(101), "麒麟街道", []string{catAboveScale}, "", "刘一", "13900000101"},
				{5, "南京二号科技有限公司", fixtureCode(102), "麒麟街道", []string{catHighGrowth}, "", "刘二", "13900000102"},
				{7, "南京三号科技有限公司", fixtureCode(103), "横溪街道", []string{catNewStart}, "", "刘三", "13900000103"},
				{8, "南京四号科技有限公司", fixtureCode(104), "横溪街道", []string{catAboveScale}, "", "刘四", "13900000104"},
			},
			warnings: map[int][]string{6: {"重复的表头行"}},
		},
		{
			file: "xlsx-named.xls", sheet: "Sheet1", headerRow: 2, rows: 4,
			entries: []wantEntry{
				{4, "南京一号科技有限公司", fixtureCode(101), "麒麟街道", []string{catAboveScale}, "", "刘一", "13900000101"},
				{5, "南京二号科技有限公司", fixtureCode(102), "麒麟街道", []string{catHighGrowth}, "", "刘二", "13900000102"},
				{7, "南京三号科技有限公司", fixtureCode(103), "横溪街道", []string{catNewStart}, "", "刘三", "13900000103"},
				{8, "南京四号科技有限公司", fixtureCode(104), "横溪街道", []string{catAboveScale}, "", "刘四", "13900000104"},
			},
			warnings: map[int][]string{6: {"重复的表头行"}},
		},
		{
			file: "utf8-bom.csv", headerRow: 1, rows: 4,
			entries: []wantEntry{
				{2, "南京甲机械有限公司", fixtureCode(201), "东山街道", []string{catAboveScale, catHighGrowth}, "34", "王经理", "13800000201"},
				{3, "南京多行 科技有限公司", fixtureCode(202), "秣陵街道", []string{catNewStart}, "35", "李总", "13800000202"},
				{6, "南京小写代码有限公司", fixtureCode(206), "湖熟街道", []string{catAboveScale, catNewStart}, "40", "钱总", ""},
			},
			invalid: map[int]string{5: "科学计数法"},
		},
		{
			file: "gb18030.csv", headerRow: 3, rows: 4,
			entries: []wantEntry{
				{4, "南京𠮷䶮科技有限公司", fixtureCode(301), "江宁街道", []string{catAboveScale}, "39", "王经理", "13800000301"},
				{5, "南京丰收食品有限公司", fixtureCode(302), "禄口街道", []string{catAboveScale, catHighGrowth}, "13", "李总", "13800000302"},
			},
			invalid:    map[int]string{6: "不允许"},
			duplicates: []Duplicate{{7, fixtureCode(301), 4}},
		},
		{
			file: "utf16-tab.csv", headerRow: 1, rows: 1,
			entries: []wantEntry{{2, "南京制表符有限公司", fixtureCode(401), "谷里街道", nil, "", "", ""}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			r, err := ImportRoster(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if r.Sheet != tc.sheet || r.HeaderRow != tc.headerRow || r.Rows != tc.rows {
				t.Errorf("sheet %q header %d rows %d, want %q %d %d", r.Sheet, r.HeaderRow, r.Rows, tc.sheet, tc.headerRow, tc.rows)
			}
			if r.Rows != len(r.Entries)+len(r.Invalid)+len(r.Duplicates) {
				t.Errorf("rows %d != %d entries + %d invalid + %d duplicates", r.Rows, len(r.Entries), len(r.Invalid), len(r.Duplicates))
			}
			var got []wantEntry
			for _, e := range r.Entries {
				got = append(got, wantEntry{e.Row, e.Name, e.CreditCode, e.Street, e.Categories, e.Industry, e.Contact, e.Phone})
			}
			if !reflect.DeepEqual(got, tc.entries) {
				t.Errorf("entries:\n got %+v\nwant %+v", got, tc.entries)
			}
			if len(r.Invalid) != len(tc.invalid) {
				t.Errorf("invalid %+v, want rows %v", r.Invalid, tc.invalid)
			}
			for _, p := range r.Invalid {
				if want, ok := tc.invalid[p.Row]; !ok || !strings.Contains(p.Reason, want) {
					t.Errorf("invalid row %d: %q, want %q", p.Row, p.Reason, want)
				}
			}
			if !reflect.DeepEqual(r.Duplicates, tc.duplicates) {
				t.Errorf("duplicates %+v, want %+v", r.Duplicates, tc.duplicates)
			}
			gotW := map[int][]string{}
			for _, w := range r.Warnings {
				gotW[w.Row] = append(gotW[w.Row], w.Reason)
			}
			if len(gotW) != len(tc.warnings) {
				t.Errorf("warnings %+v, want %v", r.Warnings, tc.warnings)
			}
			for row, wants := range tc.warnings {
				if len(gotW[row]) != len(wants) {
					t.Errorf("row %d warnings %q, want %q", row, gotW[row], wants)
					continue
				}
				for i, w := range wants {
					if !strings.Contains(gotW[row][i], w) {
						t.Errorf("row %d warning %q, want %q", row, gotW[row][i], w)
					}
				}
			}
			for _, e := range r.Entries {
				if e.IndustryRaw == "" && e.Industry != "" {
					t.Errorf("row %d: industry %s without raw text", e.Row, e.Industry)
				}
			}
		})
	}
}

// TestSharedSamples checks the district's sample roster in both formats. Counts were verified by
// reading the samples: data rows 3–303 (301 firms) below a merged title and the header on row 2, a
// blank row 304 and a note on row 305; row 129 has a 16-character code, row 195 a wrong check
// character, row 215 no firm name; row 269 repeats row 143's code. Names carry leading full-width
// and trailing spaces, several codes a leading space.
func TestSharedSamples(t *testing.T) {
	for _, f := range []string{"roster-sample.xlsx", "roster-sample-gb18030.csv"} {
		t.Run(f, func(t *testing.T) {
			path := filepath.Join("..", "..", "shared", "samples", f)
			if _, err := os.Stat(path); err != nil {
				t.Skip("shared samples not available:", err)
			}
			r, err := ImportRoster(path)
			if err != nil {
				t.Fatal(err)
			}
			if r.HeaderRow != 2 || r.Rows != 301 || len(r.Entries) != 297 || len(r.Invalid) != 3 || len(r.Duplicates) != 1 || len(r.Warnings) != 0 {
				t.Fatalf("header %d rows %d valid %d invalid %d duplicates %d warnings %v",
					r.HeaderRow, r.Rows, len(r.Entries), len(r.Invalid), len(r.Duplicates), r.Warnings)
			}
			wantInvalid := []RowProblem{
				{129, "统一社会信用代码应为 18 位，实际 16 位（91320115Y35AEEJB）"},
				{195, "统一社会信用代码校验位错误：这不是一个有效的代码，请对照营业执照核对每一位（91320115YAGJ76HRT0）"},
				{215, "缺少企业名称"},
			}
			if !reflect.DeepEqual(r.Invalid, wantInvalid) {
				t.Errorf("invalid %+v", r.Invalid)
			}
			if d := r.Duplicates[0]; d != (Duplicate{269, "91320115M6D8ME27WX", 143}) {
				t.Errorf("duplicate %+v", d)
			}
			if f == "roster-sample.xlsx" && r.Sheet != "诊断名单" {
				t.Errorf("sheet %q", r.Sheet)
			}
			idx := r.Index()
			if e := idx["91320115GCAD6BA2PT"]; e == nil || e.Name != "南京金嘉食品科技有限公司" || e.Row != 19 {
				t.Errorf("row 19 (full-width and trailing spaces): %+v", e)
			}
			if e := idx["9132011528T24CJ1CC"]; e == nil || e.Row != 25 {
				t.Errorf("row 25 (code with a leading space): %+v", e)
			}
			for _, e := range r.Entries {
				if e.Industry == "" || len(e.Categories) != 1 || e.Street == "" || e.Phone == "" || e.Contact == "" {
					t.Errorf("row %d incomplete: %+v", e.Row, e)
				}
			}
			if e := idx["91320115TH3BJ1XG6G"]; e == nil || e.Industry != "27" || e.Street != "东山街道" || e.Categories[0] != catAboveScale {
				t.Errorf("row 3: %+v", e)
			}
		})
	}
}

func TestImportErrors(t *testing.T) {
	tests := []struct {
		path, want string
		target     error
	}{
		{"testdata/old.xls", "另存为", ErrOldExcel},
		{"testdata/noheader.csv", "未找到表头行", errNoHeader},
		{"testdata/roster.txt", "不支持的名册文件类型", nil},
		{"testdata/roster.ods", "不支持的名册文件类型", nil},
		{"testdata/missing.xlsx", "无法读取名册文件", nil},
	}
	for _, tc := range tests {
		_, err := ImportRoster(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.path, err, tc.want)
		}
		if tc.target != nil && !errors.Is(err, tc.target) {
			t.Errorf("%s: %v is not %v", tc.path, err, tc.target)
		}
	}
	ole, _ := os.ReadFile("testdata/old.xls")
	for name, data := range map[string][]byte{
		"ole": ole, "garbage": []byte("not a workbook"), "empty": nil,
		"broken zip": append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0}, 100)...),
	} {
		if _, err := ParseXLSX(name+".xlsx", bytes.NewReader(data)); err == nil || !strings.Contains(err.Error(), "xlsx") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ParseCSV("empty.csv", nil); !errors.Is(err, errNoHeader) {
		t.Errorf("empty csv: %v", err)
	}
}

func TestHeaderField(t *testing.T) {
	tests := map[string]field{
		"企业名称": fName, "单位名称": fName, "名称": fName, " 企业名称（必填） ": fName, "*企业名称": fName,
		"企 业 名 称": fName, "企业（单位）名称": fName, "名称:": fName,
		"统一社会信用代码": fCode, "信用代码": fCode, "社会信用代码": fCode, "统一社会\n信用代码": fCode,
		"统一社会信用代码(18位)": fCode, "企业统一社会信用代码": fCode, "＊统一社会信用代码【必填】": fCode,
		"所属街道": fStreet, "街道": fStreet, "镇街": fStreet, "\u3000镇街 ": fStreet,
		"企业类型": fCategory, "企业类别": fCategory, "类别": fCategory, "企业类别（可多选）": fCategory,
		"行业类别": fIndustry, "国民经济行业": fIndustry, "行业": fIndustry,
		"联系人":  fContact,
		"联系电话": fPhone, "电话": fPhone, "手机": fPhone, "联系电话（手机）": fPhone,
	}
	for cell, want := range tests {
		if got, ok := headerField(cell); !ok || got != want {
			t.Errorf("%q: %v %v, want %v", cell, got, ok, want)
		}
	}
	for _, cell := range []string{"", "序号", "备注", "地址", "企业", "江宁区智改数转网联免费诊断企业名单", "1"} {
		if f, ok := headerField(cell); ok {
			t.Errorf("%q recognised as %v", cell, f)
		}
	}
}

func TestCategories(t *testing.T) {
	tests := []struct {
		in            string
		cats, unknown []string
	}{
		{"规上工业企业", []string{catAboveScale}, nil},
		{"规上", []string{catAboveScale}, nil},
		{"规上企业", []string{catAboveScale}, nil},
		{"规模以上工业企业", []string{catAboveScale}, nil},
		{"高成长", []string{catHighGrowth}, nil},
		{"高成长企业", []string{catHighGrowth}, nil},
		{"新开工", []string{catNewStart}, nil},
		{"新开工项目企业", []string{catNewStart}, nil},
		{"新投产", []string{catNewStart}, nil},
		{"规上、高成长", []string{catAboveScale, catHighGrowth}, nil},
		{"规上，高成长；新开工", []string{catAboveScale, catHighGrowth, catNewStart}, nil},
		{"规上,高成长;新开工/规上", []string{catAboveScale, catHighGrowth, catNewStart}, nil},
		{"规上 高成长\u3000新投产", []string{catAboveScale, catHighGrowth, catNewStart}, nil},
		{"规上／专精特新", []string{catAboveScale, "专精特新"}, []string{"专精特新"}},
		{"非规上企业", []string{"非规上企业"}, []string{"非规上企业"}},
		{"", nil, nil},
	}
	for _, tc := range tests {
		cats, unknown := defaultImporter().splitCategories(tc.in)
		if !reflect.DeepEqual(cats, tc.cats) || !reflect.DeepEqual(unknown, tc.unknown) {
			t.Errorf("%q: %q %q, want %q %q", tc.in, cats, unknown, tc.cats, tc.unknown)
		}
	}
}

func TestStreets(t *testing.T) {
	m := newStreetMatcher([]string{"东山街道", "秣陵街道", "江宁街道"})
	tests := map[string]string{
		"东山街道": "东山街道", "东山": "东山街道", " 东山 ": "东山街道", "东山镇": "东山街道", "东 山 街 道": "东山街道",
		"江宁区东山街道": "东山街道", "东山街道办事处": "东山街道", "江宁": "江宁街道", "江宁街道": "江宁街道",
		"浦口街道": "", "": "", "江宁区": "",
	}
	for in, want := range tests {
		got, ok := m.match(in)
		if got != want || ok != (want != "") {
			t.Errorf("%q: %q %v, want %q", in, got, ok, want)
		}
	}
}

func TestParseIndustry(t *testing.T) {
	tests := []struct{ in, code, warn string }{
		{"C34 通用设备制造业", "34", ""},
		{"C34通用设备制造业", "34", ""},
		{"c34", "34", ""},
		{"34", "34", ""},
		{"３４", "34", ""},
		{"C3411", "34", ""},
		{"3411 金属切削机床制造", "34", ""},
		{"通用设备制造业", "34", ""},
		{"计算机、通信和其他电子设备制造业", "39", ""},
		{"金属制品业", "33", ""},
		{"金属制品、机械和设备修理业", "43", ""},
		{"汽车制造", "36", ""},
		{"医药制造业（化学药品）", "27", ""},
		{"13", "13", ""},
		{"43", "43", ""},
		{"12", "", "不是制造业"},
		{"44", "", "不是制造业"},
		{"I65 软件和信息技术服务业", "", "不是制造业"},
		{"C35 通用设备制造业", "35", "不一致"},
		{"软件开发", "", "无法识别"},
		{"", "", ""},
	}
	for _, tc := range tests {
		code, warn := ParseIndustry(tc.in)
		if code != tc.code || (tc.warn == "") != (warn == "") || !strings.Contains(warn, tc.warn) {
			t.Errorf("%q: %q %q, want %q %q", tc.in, code, warn, tc.code, tc.warn)
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := map[string]string{
		"\u3000南京甲有限公司 ":      "南京甲有限公司",
		"\u00a0南京甲有限公司\u00a0": "南京甲有限公司",
		"南京ＡＢＣ有限公司":           "南京ABC有限公司",
		"南京甲（集团）有限公司":         "南京甲（集团）有限公司",
		"南京  甲\n有限公司":         "南京 甲 有限公司",
		"\u200b南京甲有限公司":       "南京甲有限公司",
		"\t":                  "",
	}
	for in, want := range tests {
		if got := cleanText(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// TestCSVRules exercises the skip and report rules on small inline rosters.
func TestCSVRules(t *testing.T) {
	h := "企业名称,统一社会信用代码,所属街道\n"
	c1, c2 := fixtureCode(501), fixtureCode(502)
	tests := []struct {
		name, csv string
		rows      int
		valid     []int
		invalid   []int
		dups      []int
	}{
		{"plain", h + "甲有限公司," + c1 + ",东山\n", 1, []int{2}, nil, nil},
		{"blank lines count as rows", h + "\n\n甲有限公司," + c1 + "\n", 1, []int{4}, nil, nil},
		{"lone name mid-data is reported", h + "甲有限公司\n乙有限公司," + c2 + "\n", 2, []int{3}, []int{2}, nil},
		{"lone code is reported", h + "," + c1 + "\n乙有限公司," + c2 + "\n", 2, []int{3}, []int{2}, nil},
		{"section heading skipped", h + "一、东山街道\n甲有限公司," + c1 + "\n（二）秣陵街道\n乙有限公司," + c2 + "\n", 2, []int{3, 5}, nil, nil},
		{"street heading skipped", h + "东山街道\n甲有限公司," + c1 + "\n", 1, []int{3}, nil, nil},
		{"trailing lone firm name reported", h + "甲有限公司," + c1 + "\n乙有限公司\n", 2, []int{2}, []int{3}, nil},
		{"trailing note in name column skipped", h + "甲有限公司," + c1 + "\n数据截至2024年5月\n以上企业共1家\n", 1, []int{2}, nil, nil},
		{"note prefixes", h + "甲有限公司," + c1 + "\n注：略,,\n备注,见附件,\n合计,1家,\n制表：张三,,审核：李四\n", 1, []int{2}, nil, nil},
		{"note prefix but valid code is a firm", h + "注塑有限公司," + c1 + "\n", 1, []int{2}, nil, nil},
		{"both missing", h + ",,东山街道\n", 0, nil, nil, nil},
		{"both missing with two cells", h + "1,,东山街道\n", 1, nil, []int{2}, nil},
		{"placeholder code", h + "甲有限公司,无\n甲有限公司,/\n", 2, nil, []int{2, 3}, nil},
		{"duplicates", h + "甲有限公司," + c1 + "\n甲有限公司," + strings.ToLower(c1) + "\n甲有限公司, " + c1 + " \n", 3, []int{2}, nil, []int{3, 4}},
		{"invalid then valid same code", h + "," + c1 + ",东山\n甲有限公司," + c1 + "\n", 2, []int{3}, []int{2}, nil},
		{"15-digit registration number", h + "甲有限公司,320115000012345\n", 1, nil, []int{2}, nil},
		{"semicolon separated", "企业名称;统一社会信用代码\n甲有限公司;" + c1 + "\n", 1, []int{2}, nil, nil},
		{"header after 30 title rows", strings.Repeat("标题\n", 30) + h + "甲有限公司," + c1 + "\n", 1, []int{32}, nil, nil},
		// An unbalanced quote swallows the rest of the file into one cell, as in Excel: no firm row.
		{"quote chaos", h + "\"甲\"有\"限公司," + c1 + "\n\"乙有限公司," + c2, 0, nil, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseCSV("t.csv", []byte(tc.csv))
			if err != nil {
				t.Fatal(err)
			}
			var valid, invalid, dups []int
			for _, e := range r.Entries {
				valid = append(valid, e.Row)
			}
			for _, p := range r.Invalid {
				invalid = append(invalid, p.Row)
			}
			for _, d := range r.Duplicates {
				dups = append(dups, d.Row)
			}
			if r.Rows != tc.rows || !reflect.DeepEqual(valid, tc.valid) || !reflect.DeepEqual(invalid, tc.invalid) || !reflect.DeepEqual(dups, tc.dups) {
				t.Errorf("rows %d valid %v invalid %v (%+v) dups %v; want %d %v %v %v", r.Rows, valid, invalid, r.Invalid, dups, tc.rows, tc.valid, tc.invalid, tc.dups)
			}
		})
	}
}

func TestDecodeText(t *testing.T) {
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String("企业名称，𠮷")
	u16be, _ := xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM).NewEncoder().String("企业名称")
	tests := []struct {
		in   []byte
		want string
	}{
		{[]byte("企业名称"), "企业名称"},
		{[]byte("\uFEFF企业名称"), "企业名称"},
		{[]byte(gb), "企业名称，𠮷"},
		{append([]byte{0x84, 0x31, 0x95, 0x33}, gb...), "企业名称，𠮷"},
		{[]byte(u16be), "企业名称"},
	}
	for _, tc := range tests {
		got, bad, err := decodeText(tc.in)
		if err != nil || got != tc.want || len(bad) != 0 {
			t.Errorf("% x: %q %v, want %q", tc.in, got, err, tc.want)
		}
	}
}

// A UTF-8 roster with one damaged byte, or one row saved as GB18030, is still read as UTF-8: the
// header is found, every other row is read as written, and the odd row is reported by number.
func TestRosterMixedEncoding(t *testing.T) {
	gbRow, _ := simplifiedchinese.GB18030.NewEncoder().String("南京旧编码有限公司," + fixtureCode(503) + ",禄口街道")
	utf8Rows := func(third []byte) []byte {
		var b bytes.Buffer
		b.WriteString("企业名称,统一社会信用代码,所属街道\r\n")
		b.WriteString("南京甲有限公司," + fixtureCode(501) + ",谷里街道\r\n")
		b.WriteString("南京乙有限公司," + fixtureCode(502) + ",江宁街道\r\n")
		b.Write(third)
		b.WriteString("\r\n南京丁有限公司," + fixtureCode(504) + ",秣陵街道\r\n")
		return b.Bytes()
	}
	damaged := []byte("南京丙有限公司," + fixtureCode(503) + ",禄口街道")
	damaged = append(damaged[:3:3], append([]byte{0xFF}, damaged[3:]...)...)
	gbFile, _ := simplifiedchinese.GB18030.NewEncoder().Bytes(utf8Rows([]byte("南京丙有限公司," + fixtureCode(503) + ",禄口街道")))
	utf8Line := []byte("南京新编码有限公司," + fixtureCode(505) + ",禄口街道")
	gbFile = append(gbFile, append(utf8Line, "\r\n"...)...)
	for _, tc := range []struct {
		name     string
		data     []byte
		names    []string
		warnRow  int
		warnWord string
	}{
		{"utf8 with one invalid byte", utf8Rows(damaged), []string{"南京甲有限公司", "南京乙有限公司", "南\uFFFD京丙有限公司", "南京丁有限公司"}, 4, "无效的 UTF-8"},
		{"utf8 with one GB18030 row", utf8Rows([]byte(gbRow)), []string{"南京甲有限公司", "南京乙有限公司", "南京旧编码有限公司", "南京丁有限公司"}, 4, "GB18030"},
		{"utf8 BOM with one GB18030 row", append([]byte("\uFEFF"), utf8Rows([]byte(gbRow))...), []string{"南京甲有限公司", "南京乙有限公司", "南京旧编码有限公司", "南京丁有限公司"}, 4, "GB18030"},
		{"GB18030 with one UTF-8 row", gbFile, []string{"南京甲有限公司", "南京乙有限公司", "南京丙有限公司", "南京丁有限公司", "南京新编码有限公司"}, 6, "UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseCSV("mixed.csv", tc.data)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range r.Entries {
				names = append(names, e.Name)
			}
			if !reflect.DeepEqual(names, tc.names) {
				t.Errorf("names %q, want %q", names, tc.names)
			}
			found := false
			for _, w := range r.Warnings {
				if w.Row == tc.warnRow && strings.Contains(w.Reason, tc.warnWord) {
					found = true
				}
			}
			if !found {
				t.Errorf("no warning on row %d naming %s: %+v", tc.warnRow, tc.warnWord, r.Warnings)
			}
		})
	}
}

// TestImport5000 checks a large roster end to end; the timing target itself is measured by
// BenchmarkImportRoster5000.
func TestImport5000(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	path := writeLargeRoster(t, t.TempDir(), 5000)
	start := time.Now()
	r, err := ImportRoster(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("5,000 rows in %v", time.Since(start))
	if r.Rows != 5000 || len(r.Entries) != 5000 || r.HeaderRow != 2 {
		t.Fatalf("rows %d entries %d header %d; invalid %v", r.Rows, len(r.Entries), r.HeaderRow, r.Invalid[:min(3, len(r.Invalid))])
	}
}

func BenchmarkImportRoster5000(b *testing.B) {
	path := writeLargeRoster(b, b.TempDir(), 5000)
	b.ResetTimer()
	for b.Loop() {
		r, err := ImportRoster(path)
		if err != nil || len(r.Entries) != 5000 {
			b.Fatal(err, len(r.Entries))
		}
	}
}

func writeLargeRoster(tb testing.TB, dir string, n int) string {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"江宁区诊断企业名单"}); err != nil {
		tb.Fatal(err)
	}
	if err := sw.MergeCell("A1", "H1"); err != nil {
		tb.Fatal(err)
	}
	if err := sw.SetRow("A2", []any{"序号", "企业名称", "统一社会信用代码", "所属街道", "行业类别", "企业类型", "联系人", "联系电话"}); err != nil {
		tb.Fatal(err)
	}
	streets := []string{"东山街道", "秣陵", "汤山街道", "淳化街道", "禄口街道"}
	inds := []string{"C34 通用设备制造业", "医药制造业", "39", "汽车制造业"}
	cats := []string{"规上工业企业", "高成长、规上", "新开工"}
	for i := 0; i < n; i++ {
		row := []any{i + 1, fmt.Sprintf("南京测试%04d科技有限公司", i), fixtureCode(10000 + i), streets[i%len(streets)],
			inds[i%len(inds)], cats[i%len(cats)], "王经理", 13800000000 + i}
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := sw.SetRow(cell, row); err != nil {
			tb.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, "large.xlsx")
	if err := f.SaveAs(path); err != nil {
		tb.Fatal(err)
	}
	return path
}

func fuzzSeeds(f *testing.F, exts ...string) {
	for _, ext := range exts {
		files, _ := filepath.Glob(filepath.Join("testdata", "*"+ext))
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
}

func FuzzParseCSV(f *testing.F) {
	fuzzSeeds(f, ".csv")
	f.Add([]byte(utf8BOMCSV()))
	f.Add([]byte("企业名称,统一社会信用代码\n\"a\nb\"," + fixtureCode(1) + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseCSV("fuzz.csv", data)
		if err == nil && r.Rows != len(r.Entries)+len(r.Invalid)+len(r.Duplicates) {
			t.Fatalf("rows %d != %d + %d + %d", r.Rows, len(r.Entries), len(r.Invalid), len(r.Duplicates))
		}
	})
}

func FuzzParseXLSX(f *testing.F) {
	fuzzSeeds(f, ".xlsx", ".xls")
	// Uncompressed copies let mutations reach the worksheet XML instead of failing in inflate.
	for _, p := range []string{"testdata/quirks.xlsx", "testdata/twotier.xlsx"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(storedZip(f, data))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseXLSX("fuzz.xlsx", bytes.NewReader(data))
		if err != nil && !strings.HasPrefix(err.Error(), "fuzz.xlsx：") {
			t.Fatalf("error does not name the file: %v", err)
		}
		if err == nil && r.Rows != len(r.Entries)+len(r.Invalid)+len(r.Duplicates) {
			t.Fatalf("rows %d != %d + %d + %d", r.Rows, len(r.Entries), len(r.Invalid), len(r.Duplicates))
		}
	})
}

// storedZip rewrites a zip archive with every entry stored uncompressed.
func storedZip(tb testing.TB, data []byte) []byte {
	return copyZip(tb, data, zip.Store, "", nil)
}

func TestStoredZipSeedParses(t *testing.T) {
	data, err := os.ReadFile("testdata/quirks.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseXLSX("a.xlsx", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseXLSX("a.xlsx", bytes.NewReader(storedZip(t, data)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("stored copy reads differently")
	}
}

// A profile's own aliases apply to its own categories; Jiangning's spellings do not leak into a
// profile that does not list them.
func TestCategoryAliasesComeFromTheProfile(t *testing.T) {
	d, err := questionnaires.ParseDistrict([]byte("format: smartdiag.district/1\nname: 某市某区\nstreets: [甲街道]\n" +
		"categories:\n  - key: 专精特新企业\n    aliases: [专精特新, 专精特新中小企业]\n  - key: 规上工业企业\n"))
	if err != nil {
		t.Fatal(err)
	}
	im := NewImporter(d)
	for in, want := range map[string]string{"专精特新": "专精特新企业", "专精特新中小企业": "专精特新企业", "规上": "", "新投产": "", "规上工业企业": "规上工业企业"} {
		got, ok := im.CanonicalCategory(in)
		if got != want || ok != (want != "") {
			t.Errorf("%q: %q %v, want %q", in, got, ok, want)
		}
	}
}

// The fast path of cleanText (a cell already clean is returned as it is) agrees with cleaning.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"南京甲机械有限公司", " a", "a ", "a  b", "a b", "ＡＢＣ", "a\tb", "\u3000镇街 ", "\u00a0x", "x\u200b",
		"（集团）", "a\xffb", "\ufffd", "139 0000 0002", "C34 通用设备制造业", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := cleanText(s), cleanTextFull(s); got != want {
			t.Fatalf("cleanText(%q) = %q, cleaning gives %q", s, got, want)
		}
	})
}

// A damaged worksheet stops the import with the file, the sheet and the row named, in Chinese,
// where the earlier reader silently read the rows before the damage as the whole roster.
func TestDamagedWorksheetNamesFileAndRow(t *testing.T) {
	data, err := os.ReadFile("testdata/twotier.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	replace := func(from, to string) func([]byte) []byte {
		return func(b []byte) []byte { return bytes.Replace(b, []byte(from), []byte(to), 1) }
	}
	for _, tc := range []struct {
		change func([]byte) []byte
		want   string
	}{
		{replace(`<c r="B4"`, `<c r="4B"`), "第 4 行：单元格引用「4B」无效"},
		{replace(`<row r="3">`, `<row r="1">`), "第 1 行：行的顺序错误"},
		{func(b []byte) []byte { return b[:len(b)/2] }, "文件不完整"},
		{replace(`<v>1</v>`, `<v>1</x>`), "第 2 行：XML 格式错误"},
	} {
		_, err := ParseXLSX("名单.xlsx", bytes.NewReader(rewriteZip(t, data, "xl/worksheets/sheet1.xml", tc.change)))
		if err == nil || !strings.HasPrefix(err.Error(), "名单.xlsx：无法读取工作表「Sheet1」：") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v, want %q", err, tc.want)
		}
	}
}

// rewriteZip returns the archive with one entry's content changed.
func rewriteZip(tb testing.TB, data []byte, name string, change func([]byte) []byte) []byte {
	return copyZip(tb, data, zip.Deflate, name, change)
}

// copyZip copies an archive entry by entry with the given method, changing the content of the
// entry called name when change is not nil.
func copyZip(tb testing.TB, data []byte, method uint16, name string, change func([]byte) []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		if change != nil && zf.Name == name {
			b = change(b)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: method})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
