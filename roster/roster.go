package roster

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"

	"smartdiag/assessment"
	"smartdiag/questionnaires"
	"smartdiag/regfile"
	"smartdiag/roster/xlsxread"
	"smartdiag/usermsg"
)

// Roster is a district's list of target firms, read from the office's own spreadsheet. Row numbers
// everywhere are the sheet's own 1-based row numbers, as the office sees them in Excel or WPS.
type Roster struct {
	File      string `json:"file"`
	Sheet     string `json:"sheet,omitempty"` // worksheet name; empty for CSV
	HeaderRow int    `json:"header_row"`
	// Rows is the number of data rows considered: Entries + Invalid + Duplicates. Blank rows, note
	// rows and repeated header rows are skipped and not counted.
	Rows       int          `json:"rows"`
	Entries    []Entry      `json:"entries"`
	Invalid    []RowProblem `json:"invalid"`
	Duplicates []Duplicate  `json:"duplicates"`
	Warnings   []RowProblem `json:"warnings"`
}

// Entry is one valid roster firm.
type Entry struct {
	Row        int    `json:"row"`
	Name       string `json:"name"`
	CreditCode string `json:"credit_code"`      // normalised and validated
	Street     string `json:"street,omitempty"` // the profile's street name when recognised, else the cleaned value
	// Categories holds canonical category names (the profile's keys); an unrecognised value is
	// kept as written and reported in Roster.Warnings.
	Categories  []string `json:"categories,omitempty"`
	Industry    string   `json:"industry,omitempty"` // GB/T 4754 division code "13".."43", or "" when not recognised
	IndustryRaw string   `json:"industry_raw,omitempty"`
	Contact     string   `json:"contact,omitempty"`
	Phone       string   `json:"phone,omitempty"`
}

// RowProblem is a row with its reason, in Chinese, ready to show to the office.
type RowProblem struct {
	Row    int    `json:"row"`
	Reason string `json:"reason"`
}

// Duplicate is a row whose credit code was already seen on FirstRow.
type Duplicate struct {
	Row        int    `json:"row"`
	CreditCode string `json:"credit_code"`
	FirstRow   int    `json:"first_row"`
}

// Valid returns the number of valid firms.
func (r *Roster) Valid() int { return len(r.Entries) }

// Index returns the entries by credit code.
func (r *Roster) Index() map[string]*Entry {
	m := make(map[string]*Entry, len(r.Entries))
	for i := range r.Entries {
		m[r.Entries[i].CreditCode] = &r.Entries[i]
	}
	return m
}

// CanonicalCategory maps a category as written on a roster or form (规上, 规模以上工业企业, 高成长,
// 新开工项目企业, 新投产, 专精特新, …) to the profile's name for it.
func (im *Importer) CanonicalCategory(s string) (string, bool) {
	s = questionnaires.CategorySpelling(foldWidth(s, true))
	for _, c := range im.Categories {
		if s == questionnaires.CategorySpelling(c) {
			return c, true
		}
	}
	// The profile's other spellings (aliases in the district profile).
	if c, ok := im.Aliases[s]; ok && slices.Contains(im.Categories, c) {
		return c, true
	}
	return "", false
}

// CanonicalCategory maps a category with the bundled profile's categories.
func CanonicalCategory(s string) (string, bool) { return defaultImporter().CanonicalCategory(s) }

// Importer reads rosters against a set of streets. The zero value matches no streets; use
// NewImporter or the package functions, which use the bundled district profile.
type Importer struct {
	Streets    []string
	Categories []string // the profile's category keys
	// Aliases maps other spellings (in questionnaires.CategorySpelling form) to category keys:
	// the profile's aliases.
	Aliases map[string]string
}

// NewImporter returns an importer that matches streets against the given district profile.
func NewImporter(d *questionnaires.District) *Importer {
	if d == nil {
		return &Importer{}
	}
	return &Importer{Streets: d.Streets, Categories: d.CategoryKeys(), Aliases: d.CategoryAliases()}
}

func defaultImporter() *Importer { return NewImporter(questionnaires.BundledDistrict()) }

// ImportRoster reads a roster file (.xlsx or .csv) with the bundled district profile.
func ImportRoster(path string) (*Roster, error) { return defaultImporter().Import(path) }

// ParseCSV reads a CSV roster; name is used in messages and Roster.File.
func ParseCSV(name string, data []byte) (*Roster, error) {
	return defaultImporter().ParseCSV(name, data)
}

// ParseXLSX reads an .xlsx roster; name is used in messages and Roster.File.
func ParseXLSX(name string, r io.Reader) (*Roster, error) {
	return defaultImporter().ParseXLSX(name, r)
}

// ErrOldExcel is returned for .xls files (Excel 97–2003), which are not read.
var ErrOldExcel = usermsg.Define("roster.old_excel",
	"不支持旧版 Excel 97-2003 格式（.xls）：请在 Excel 或 WPS 中打开该文件，"+
		"选择「另存为」→「Excel 工作簿（*.xlsx）」，再导入另存的 .xlsx 文件",
	"old Excel 97-2003 files (.xls) are not read: open the file in Excel or WPS, "+
		"choose Save As → Excel Workbook (*.xlsx) and import the saved .xlsx file").New()

// MaxFileSize bounds a roster file read into memory (here and by `smartdiag server roster`): a roster of 100,000 firms is far below it.
const MaxFileSize = 200 << 20

// maxUnzippedBytes bounds the unpacked size of an .xlsx (a 100,000-row roster unpacks to about 30 MB).
const maxUnzippedBytes = 512 << 20

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Extensions are the file types Import reads; the app's roster picker lists only these.
var Extensions = []string{".xlsx", ".xlsm", ".csv", ".xls", ".et"}

// Import reads a roster file, choosing the format by extension.
func (im *Importer) Import(path string) (*Roster, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if !slices.Contains(Extensions, ext) {
		return nil, fmt.Errorf("%s：不支持的名册文件类型「%s」，请使用 Excel 工作簿（.xlsx）或 CSV（.csv）", filepath.Base(path), ext)
	}
	data, err := regfile.ReadFile(path, MaxFileSize)
	if errors.Is(err, regfile.ErrTooLarge) {
		return nil, fmt.Errorf("%s：文件过大，名册文件不应超过 %d MB", filepath.Base(path), MaxFileSize>>20)
	}
	if err != nil {
		return nil, fmt.Errorf("无法读取名册文件：%w", err)
	}
	switch ext {
	case ".csv":
		return im.ParseCSV(path, data)
	case ".xls", ".et":
		// Some systems export .xlsx content under an .xls name; read it. Real .xls / WPS .et is not.
		if bytes.HasPrefix(data, zipMagic) {
			return im.ParseXLSX(path, bytes.NewReader(data))
		}
		if ext == ".et" {
			return nil, fmt.Errorf("%s：不支持 WPS 表格格式（.et）：请在 WPS 中「另存为」Excel 工作簿（*.xlsx）后再导入", filepath.Base(path))
		}
		return nil, fmt.Errorf("%s：%w", filepath.Base(path), ErrOldExcel)
	}
	return im.ParseXLSX(path, bytes.NewReader(data))
}

// ParseXLSX reads an .xlsx roster from the first worksheet that has a header row (visible sheets
// first).
func (im *Importer) ParseXLSX(name string, r io.Reader) (roster *Roster, err error) {
	base := filepath.Base(name)
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s：无法读取：%w", base, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s：文件过大，名册文件不应超过 %d MB", base, MaxFileSize>>20)
	}
	if bytes.HasPrefix(data, oleMagic) {
		return nil, fmt.Errorf("%s：文件不是 .xlsx 格式（可能是旧版 .xls，或设置了打开密码）：请在 Excel 或 WPS 中取消密码并另存为「Excel 工作簿（*.xlsx）」后再导入", base)
	}
	if !bytes.HasPrefix(data, zipMagic) {
		return nil, fmt.Errorf("%s：文件不是有效的 .xlsx 工作簿：请在 Excel 或 WPS 中另存为「Excel 工作簿（*.xlsx）」后再导入", base)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%s：无法打开 .xlsx 文件（文件可能已损坏）：%v", base, err)
	}
	var unzipped uint64
	for _, zf := range zr.File {
		unzipped += zf.UncompressedSize64
	}
	if unzipped > maxUnzippedBytes {
		return nil, fmt.Errorf("%s：工作簿解压后过大（超过 %d MB），不像是一份名册：请只保留名册所在的工作表后另存", base, maxUnzippedBytes>>20)
	}
	// A panic in the sheet reader would be a bug; it must still not take the app down.
	defer func() {
		if p := recover(); p != nil {
			roster, err = nil, fmt.Errorf("%s：无法读取 .xlsx 文件（文件可能已损坏）：%v", base, p)
		}
	}()
	wb, err := xlsxread.Open(zr, maxUnzippedBytes)
	if err != nil {
		return nil, fmt.Errorf("%s：无法打开 .xlsx 文件（文件可能已损坏）：%v", base, err)
	}
	var visible, hidden []xlsxread.Sheet
	for _, s := range wb.Sheets {
		if s.Hidden {
			hidden = append(hidden, s)
		} else {
			visible = append(visible, s)
		}
	}
	var firstErr error
	for _, s := range append(visible, hidden...) {
		t, err := wb.Read(s)
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("%s：无法读取工作表「%s」：%v", base, s.Name, err)
			}
			continue
		}
		cont := fillMerged(t.Merges, t.Rows)
		grid := make([]gridRow, len(t.Rows))
		for i, cells := range t.Rows {
			grid[i] = gridRow{num: i + 1, cells: cells, merged: cont[i]}
		}
		if ros, ok := im.parseGrid(name, s.Name, grid); ok {
			return ros, nil
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return nil, fmt.Errorf("%s：%w", base, errNoHeader)
}

// fillMerged copies the value of a merged range that spans several rows down its first column, so
// that a street or category merged over several firms applies to each of them. Ranges across columns
// keep their single value, so a merged title or note stays one cell. It returns, by row index, the
// columns whose value was copied from a row above.
func fillMerged(refs []string, rows [][]string) map[int][]int {
	copied := map[int][]int{}
	for _, ref := range refs {
		a, b, ok := strings.Cut(ref, ":")
		if !ok {
			continue
		}
		c1, r1, ok1 := xlsxread.CellCoordinates(a)
		_, r2, ok2 := xlsxread.CellCoordinates(b)
		if !ok1 || !ok2 || r2 <= r1 || r1 > len(rows) || c1 > 1024 {
			continue
		}
		top := rows[r1-1]
		if c1 > len(top) {
			continue
		}
		v := top[c1-1]
		for r := r1 + 1; r <= r2 && r <= len(rows); r++ {
			row := rows[r-1]
			for len(row) < c1 {
				row = append(row, "")
			}
			if row[c1-1] == "" && v != "" {
				row[c1-1] = v
				copied[r-1] = append(copied[r-1], c1-1)
			}
			rows[r-1] = row
		}
	}
	return copied
}

// ParseCSV reads a CSV roster in UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030, chosen
// by what most of the file is; lines in the other encoding are read and reported as warnings. The delimiter is a comma, or a tab or semicolon
// when that is what makes the header row readable.
func (im *Importer) ParseCSV(name string, data []byte) (*Roster, error) {
	base := filepath.Base(name)
	text, encodingProblems, err := decodeText(data)
	if err != nil {
		return nil, fmt.Errorf("%s：无法识别文件编码：%v", base, err)
	}
	for _, delim := range []rune{',', '\t', ';'} {
		if delim != ',' && !strings.ContainsRune(text, delim) {
			continue
		}
		grid, err := readCSV(text, delim)
		if err != nil {
			return nil, fmt.Errorf("%s：CSV 格式错误：%v", base, err)
		}
		if roster, ok := im.parseGrid(name, "", grid); ok {
			roster.Warnings = append(roster.Warnings, encodingProblems...)
			slices.SortStableFunc(roster.Warnings, func(a, b RowProblem) int { return a.Row - b.Row })
			return roster, nil
		}
	}
	return nil, fmt.Errorf("%s：%w", base, errNoHeader)
}

var errNoHeader = errors.New("未找到表头行：名册需要有「企业名称」（或 单位名称、名称）和「统一社会信用代码」（或 信用代码、社会信用代码）两列")

var (
	utf8BOM    = []byte{0xEF, 0xBB, 0xBF}
	gb18030BOM = []byte{0x84, 0x31, 0x95, 0x33}
)

// decodeText decodes a text roster. A file is rarely pure: one row pasted from another program, or
// one damaged byte, must not make the whole file unreadable. So the encoding is chosen by what most
// of the file is (its non-ASCII bytes on lines that are valid UTF-8 against those on lines that
// are not), and each line that does not fit the majority is decoded on its own and reported with
// its line number, so the office can check that row.
func decodeText(data []byte) (string, []RowProblem, error) {
	switch {
	case bytes.HasPrefix(data, utf8BOM):
		text, bad := decodeMixed(data[3:], true)
		return text, bad, nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		b, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder().Bytes(data)
		return string(b), nil, err
	case utf8.Valid(data):
		return string(data), nil, nil
	case bytes.HasPrefix(data, gb18030BOM):
		text, bad := decodeMixed(data[len(gb18030BOM):], false)
		return text, bad, nil
	}
	var utf8Bytes, otherBytes int
	for line := range bytes.SplitSeq(data, []byte{'\n'}) {
		n := nonASCII(line)
		if utf8.Valid(line) {
			utf8Bytes += n
		} else {
			otherBytes += n
		}
	}
	text, bad := decodeMixed(data, utf8Bytes >= otherBytes)
	return text, bad, nil
}

// decodeMixed decodes line by line in the majority encoding. In a UTF-8 file a line that is not
// valid UTF-8 is read as GB18030 when that gives only Chinese text (a row pasted from an older
// program), else its bad bytes become U+FFFD; in a GB18030 file a line with non-ASCII text that is
// valid UTF-8 is read as UTF-8. Either way the line is reported. Line numbers are physical lines,
// which are the row numbers unless an earlier cell holds a line break.
func decodeMixed(data []byte, majorityUTF8 bool) (string, []RowProblem) {
	var b strings.Builder
	var bad []RowProblem
	gb := simplifiedchinese.GB18030.NewDecoder()
	for i, line := range bytes.Split(data, []byte{'\n'}) {
		if i > 0 {
			b.WriteByte('\n')
		}
		valid := utf8.Valid(line)
		switch {
		case majorityUTF8 && valid, !majorityUTF8 && (!valid || nonASCII(line) == 0):
			if majorityUTF8 {
				b.Write(line)
			} else {
				t, _ := gb.Bytes(line) // GB18030 maps every byte sequence; undecodable bytes become U+FFFD
				b.Write(t)
			}
		case majorityUTF8:
			if t, err := gb.Bytes(line); err == nil && plausibleChinese(string(t)) {
				b.Write(t)
				bad = append(bad, RowProblem{i + 1, "此行不是 UTF-8 编码（文件其余部分是），已按 GB18030 读取，请核对"})
			} else {
				b.WriteString(strings.ToValidUTF8(string(line), "\uFFFD"))
				bad = append(bad, RowProblem{i + 1, "此行含有无效的 UTF-8 字节，已替换为 \uFFFD，请核对"})
			}
		default:
			b.Write(line)
			bad = append(bad, RowProblem{i + 1, "此行是 UTF-8 编码（文件其余部分是 GB18030），已按 UTF-8 读取，请核对"})
		}
	}
	return b.String(), bad
}

func nonASCII(b []byte) int {
	n := 0
	for _, c := range b {
		if c >= 0x80 {
			n++
		}
	}
	return n
}

// plausibleChinese reports whether text decoded from a stray line looks like a roster row: no
// replacement characters, and every non-ASCII character a CJK ideograph or CJK/full-width
// punctuation, which random bytes read as GB18030 rarely are.
func plausibleChinese(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x80, unicode.Is(unicode.Han, r), r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFFEF:
		default:
			return false
		}
	}
	return true
}

// readCSV reads all records with the row number Excel would show for each: the physical line where
// the record starts, minus the line breaks inside quoted cells of earlier records. Empty lines, which
// encoding/csv skips, still count as rows.
func readCSV(text string, delim rune) ([]gridRow, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = delim
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var grid []gridRow
	embedded := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err // with LazyQuotes only a read error, which a string reader does not give
		}
		line, _ := r.FieldPos(0)
		row := gridRow{num: line - embedded, cells: rec}
		for _, c := range rec {
			embedded += strings.Count(c, "\n")
		}
		grid = append(grid, row)
	}
	return grid, nil
}

type gridRow struct {
	num    int
	cells  []string
	merged []int // columns whose value comes from a merged cell starting on an earlier row
}

type field int

const (
	fName field = iota
	fCode
	fStreet
	fCategory
	fIndustry
	fContact
	fPhone
	nFields
)

var headerSynonyms = map[string]field{
	"企业名称": fName, "单位名称": fName, "名称": fName, "企业全称": fName, "单位全称": fName, "公司名称": fName,
	"统一社会信用代码": fCode, "信用代码": fCode, "社会信用代码": fCode, "统一信用代码": fCode, "统一代码": fCode,
	"所属街道": fStreet, "街道": fStreet, "镇街": fStreet, "所在街道": fStreet, "所属镇街": fStreet, "街镇": fStreet, "所属街镇": fStreet,
	"企业类型": fCategory, "企业类别": fCategory, "类别": fCategory, "类型": fCategory, "企业分类": fCategory,
	"行业类别": fIndustry, "国民经济行业": fIndustry, "行业": fIndustry, "所属行业": fIndustry, "行业分类": fIndustry,
	"国民经济行业分类": fIndustry, "行业代码": fIndustry, "行业名称": fIndustry, "国民经济行业类别": fIndustry,
	"联系人": fContact, "联系人姓名": fContact, "企业联系人": fContact,
	"联系电话": fPhone, "电话": fPhone, "手机": fPhone, "手机号": fPhone, "手机号码": fPhone, "联系方式": fPhone,
	"联系人电话": fPhone, "联系人手机": fPhone, "电话号码": fPhone,
}

var (
	bracketRE      = regexp.MustCompile(`\([^)]*\)?|\[[^\]]*\]?|【[^】]*】?|〔[^〕]*〕?|<[^>]*>?|《[^》]*》?`)
	headerPrefixRE = regexp.MustCompile(`^(?:[*※★☆#]+|\d+[.、])`)
)

// headerField recognises a header cell: spaces, full-width characters, a leading * and notes in
// brackets such as （必填） are ignored.
func headerField(cell string) (field, bool) {
	if cell == "" || len(cell) > 200 {
		return 0, false
	}
	if f, ok := headerSynonyms[cell]; ok {
		return f, true
	}
	s := foldWidth(cell, true)
	s = strings.Join(strings.Fields(s), "")
	s = bracketRE.ReplaceAllString(s, "")
	s = headerPrefixRE.ReplaceAllString(s, "")
	s = strings.TrimRight(s, ":*")
	if s == "" || len(s) > 80 {
		return 0, false
	}
	if f, ok := headerSynonyms[s]; ok {
		return f, true
	}
	if strings.Contains(s, "信用代码") {
		return fCode, true
	}
	return 0, false
}

// columns maps each field to its columns, in order; a value is taken from the first non-empty one.
type columns [nFields][]int

// headerColumns returns the field of each recognised column of a row.
func headerColumns(cells []string) map[int]field {
	m := map[int]field{}
	for j, c := range cells {
		if f, ok := headerField(c); ok {
			m[j] = f
		}
	}
	return m
}

func isHeader(m map[int]field) bool {
	var name, code bool
	for _, f := range m {
		name = name || f == fName
		code = code || f == fCode
	}
	return name && code
}

// headerScanRows bounds the search for the header row.
const headerScanRows = 100

// parseGrid finds the header row and reads the data rows below it. ok is false when there is no
// header row.
func (im *Importer) parseGrid(file, sheet string, grid []gridRow) (*Roster, bool) {
	hi := -1
	var colField map[int]field
	for i := 0; i < len(grid) && i < headerScanRows; i++ {
		if m := headerColumns(grid[i].cells); isHeader(m) {
			hi, colField = i, m
			break
		}
	}
	if hi < 0 {
		return nil, false
	}
	start := hi + 1
	// A two-tier header (e.g. 联系方式 over 联系人 | 电话): a row right below whose non-empty cells are
	// all header names, or repeat the cell above (merged), refines the columns it names.
	if start < len(grid) {
		sub := grid[start].cells
		m := headerColumns(sub)
		isSub := len(m) > 0
		for j, c := range sub {
			if strings.TrimSpace(c) == "" {
				continue
			}
			if _, ok := m[j]; ok {
				continue
			}
			if j < len(grid[hi].cells) && grid[hi].cells[j] == c {
				continue
			}
			isSub = false
			break
		}
		if isSub {
			for j, f := range m {
				colField[j] = f
			}
			start++
		}
	}
	var cols columns
	maxCol := 0
	for j := range colField {
		maxCol = max(maxCol, j+1)
	}
	for j := 0; j < maxCol; j++ {
		if f, ok := colField[j]; ok {
			cols[f] = append(cols[f], j)
		}
	}

	r := &Roster{File: file, Sheet: sheet, HeaderRow: grid[hi].num}
	st := newStreetMatcher(im.Streets)
	seen := make(map[string]int, len(grid)-start)
	names := make(map[string]string, len(grid)-start)
	data := make([]cleanRow, 0, len(grid)-start)
	lastMulti := -1
	for _, g := range grid[start:] {
		c := cleanRow{num: g.num, cells: make([]string, len(g.cells)), lone: -1, merged: g.merged}
		for j, v := range g.cells {
			c.cells[j] = cleanText(v)
			if c.cells[j] != "" && !slices.Contains(g.merged, j) {
				if c.filled == 0 {
					c.first = c.cells[j]
				}
				c.filled++
				c.lone = j
			}
		}
		if c.filled >= 2 {
			lastMulti = len(data)
		}
		data = append(data, c)
	}
	for i, c := range data {
		im.readRow(r, c, i > lastMulti, cols, st, seen, names)
	}
	return r, true
}

// cleanRow is a data row with cleaned cells; lone is the column of the last filled cell, which is
// the only one when filled is 1.
type cleanRow struct {
	num          int
	cells        []string
	filled, lone int // cells filled on this row itself (not copied from a merged cell above)
	first        string
	merged       []int
}

func (im *Importer) readRow(r *Roster, g cleanRow, trailing bool, cols columns, st *streetMatcher, seen map[string]int, names map[string]string) {
	cells := g.cells
	if g.filled == 0 {
		return // blank row
	}
	getCol := func(f field) (string, int) {
		for _, j := range cols[f] {
			if j < len(cells) && cells[j] != "" {
				return cells[j], j
			}
		}
		return "", -1
	}
	get := func(f field) string { v, _ := getCol(f); return v }
	name := get(fName)
	codeRaw, codeCol := getCol(fCode)
	if codeCol >= 0 && slices.Contains(g.merged, codeCol) {
		// The credit code is a merged cell begun on an earlier row: this row continues that firm
		// (a second contact, say), which was read there.
		return
	}
	code := assessment.NormalizeCreditCode(codeRaw)
	codeOK := assessment.ValidateCreditCode(code) == nil

	if !codeOK && hasNotePrefix(g.first) {
		return // 注：…, 制表人：…, 合计 …
	}
	if isRepeatedHeader(name, cells) {
		r.Warnings = append(r.Warnings, RowProblem{g.num, "重复的表头行，已跳过"})
		return
	}
	if g.filled == 1 && !im.keepLoneCell(g.lone, cells[g.lone], trailing, cols, st) {
		return // a title, section heading, note or a row with only its sequence number
	}

	r.Rows++
	var reasons []string
	if !hasWordChar(name) {
		reasons = append(reasons, "缺少企业名称")
	}
	if !hasWordChar(codeRaw) {
		reasons = append(reasons, "缺少统一社会信用代码")
	} else if err := assessment.ValidateCreditCode(code); err != nil {
		reasons = append(reasons, fmt.Sprintf("%v（%s）%s", err, codeRaw, codeHint(code)))
	}
	if len(reasons) > 0 {
		r.Invalid = append(r.Invalid, RowProblem{g.num, strings.Join(reasons, "；")})
		return
	}
	if firstRow, dup := seen[code]; dup {
		r.Duplicates = append(r.Duplicates, Duplicate{Row: g.num, CreditCode: code, FirstRow: firstRow})
		if other := names[code]; nameKey(other) != nameKey(name) {
			r.Warnings = append(r.Warnings, RowProblem{g.num, fmt.Sprintf(
				"统一社会信用代码 %s 与第 %d 行相同，但企业名称不同（「%s」与「%s」），请核对代码", code, firstRow, name, other)})
		}
		return
	}
	seen[code], names[code] = g.num, name

	e := Entry{Row: g.num, Name: name, CreditCode: code, Contact: get(fContact), Phone: cleanPhone(get(fPhone))}
	if s := get(fStreet); s != "" {
		if m, ok := st.matchCached(s); ok {
			e.Street = m
		} else {
			e.Street = s
			if len(st.streets) > 0 {
				r.Warnings = append(r.Warnings, RowProblem{g.num, fmt.Sprintf("街道「%s」不在本区街道列表中", s)})
			}
		}
	}
	if c := get(fCategory); c != "" {
		cats, unknown := st.splitCategories(im, c)
		e.Categories = cats
		for _, u := range unknown {
			r.Warnings = append(r.Warnings, RowProblem{g.num, fmt.Sprintf(
				"企业类型「%s」不是 %s，已按原样保留", u, strings.Join(im.Categories, "、"))})
		}
	}
	if in := get(fIndustry); in != "" {
		e.IndustryRaw = in
		code, warn := st.parseIndustry(in)
		e.Industry = code
		if warn != "" {
			r.Warnings = append(r.Warnings, RowProblem{g.num, warn})
		}
	}
	r.Entries = append(r.Entries, e)
}

// isRepeatedHeader reports a header row repeated below the data, as printed rosters often have on
// every page.
func isRepeatedHeader(name string, cells []string) bool {
	if !strings.Contains(name, "名称") { // every firm-name header does
		return false
	}
	if f, ok := headerField(name); !ok || f != fName {
		return false
	}
	return isHeader(headerColumns(cells))
}

// keepLoneCell decides whether a row with a single filled cell is a firm row, to be imported or
// reported: only when that cell is a credit code or a firm name. Anything else (a title, a section
// heading such as 一、东山街道, a note, a row with only its sequence number) is skipped. Below the
// last row with two or more filled cells, a lone name counts only when it looks like a firm's name
// (…公司, …厂), since notes there are common and often sit in the name column.
func (im *Importer) keepLoneCell(col int, v string, trailing bool, cols columns, st *streetMatcher) bool {
	in := func(f field) bool {
		for _, j := range cols[f] {
			if j == col {
				return true
			}
		}
		return false
	}
	switch {
	case in(fCode):
		c := assessment.NormalizeCreditCode(v)
		if len(c) < 8 {
			return false
		}
		for _, ch := range c {
			if !(ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'Z' || ch == '.' || ch == '+') {
				return false
			}
		}
		return true
	case in(fName):
		if utf8.RuneCountInString(v) > 60 || strings.ContainsAny(v, "。：:；;！!？?") || sectionRE.MatchString(v) {
			return false
		}
		if _, ok := im.CanonicalCategory(v); ok {
			return false
		}
		if st.exact(v) {
			return false
		}
		return !trailing || firmNameRE.MatchString(v)
	}
	return false
}

var firmNameRE = regexp.MustCompile(`(?:公司|厂|集团|企业|合作社|研究院|研究所|中心|商行|工作室|事务所|店|部)(?:[(（].*[)）])?$`)

var sectionRE = regexp.MustCompile(`^(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、]|第.+[类批部分])|[共计]\s*\d+\s*家[)）]?$`)

var notePrefixes = []string{"注：", "注:", "注意", "备注", "说明", "附注", "制表", "填表", "填报", "审核", "合计", "小计",
	"总计", "数据来源", "来源：", "单位负责人"}

var noteNumberedRE = regexp.MustCompile(`^注\s*\d`)

func hasNotePrefix(s string) bool {
	if s == "注" || noteNumberedRE.MatchString(s) {
		return true
	}
	for _, p := range notePrefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// codeHint explains common ways a code gets mangled.
func codeHint(code string) string {
	switch {
	case strings.Contains(code, "E+"):
		return "，疑似被 Excel 存成了数字（科学计数法）：请把该列设为「文本」后重新填写"
	case len(code) == 15 && strings.Trim(code, "0123456789") == "":
		return "，疑似旧的 15 位工商注册号，请改填 18 位统一社会信用代码"
	}
	return ""
}

func hasWordChar(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

func nameKey(s string) string {
	return strings.Join(strings.Fields(foldWidth(s, true)), "")
}

// foldWidth converts full-width ASCII to half-width (only letters and digits unless all), maps
// ideographic, no-break and other odd spaces to a plain space and removes zero-width characters.
func foldWidth(s string, all bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '！' && r <= '～':
			h := r - ('！' - '!')
			if all || h >= '0' && h <= '9' || h >= 'A' && h <= 'Z' || h >= 'a' && h <= 'z' {
				r = h
			}
		case r == '\u3000' || r == '\u00A0' || r == '\u2007' || r == '\u202F' || r == '\t' || r == '\r' || r == '\n':
			r = ' '
		case r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\uFEFF' || r == '\u2060':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cleanText trims a cell (including full-width spaces and NBSP), converts full-width letters and
// digits to half-width and collapses runs of spaces. Chinese punctuation such as （） in firm names
// is kept as written.
func cleanText(s string) string {
	if s == "" || clean(s) {
		return s
	}
	return cleanTextFull(s)
}

func cleanTextFull(s string) string {
	return strings.Join(strings.FieldsFunc(foldWidth(s, false), func(r rune) bool { return r == ' ' || unicode.IsSpace(r) }), " ")
}

// clean reports whether cleanText would return s unchanged: no character foldWidth changes, no
// space but single plain spaces between words. Most cells are; checking is cheaper than cleaning.
func clean(s string) bool {
	prevSpace := true // a leading space is not clean
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		case r < 0x80:
			if r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r' {
				return false
			}
		case r >= '！' && r <= '～', unicode.IsSpace(r), r == utf8.RuneError,
			r == '\u200B', r == '\u200C', r == '\u200D', r == '\uFEFF', r == '\u2060':
			return false
		}
		prevSpace = false
	}
	return !prevSpace
}

func cleanPhone(s string) string { return cleanText(foldWidth(s, true)) }

// splitCategories splits a category cell on 、，,；;/ and spaces and maps each part to its canonical
// name; unknown parts are kept as written and also returned in unknown.
func (im *Importer) splitCategories(s string) (cats, unknown []string) {
	parts := strings.FieldsFunc(foldWidth(s, true), func(r rune) bool {
		return strings.ContainsRune("、,;/|\\ ", r) || unicode.IsSpace(r)
	})
	have := map[string]bool{}
	for _, p := range parts {
		c, ok := im.CanonicalCategory(p)
		if !ok {
			c = p
			unknown = append(unknown, p)
		}
		if !have[c] {
			have[c] = true
			cats = append(cats, c)
		}
	}
	return cats, unknown
}

// streetMatcher matches streets and remembers, for one roster, what each distinct street,
// category and industry value came to: a city's roster repeats a handful of them on every row.
type streetMatcher struct {
	streets []string
	byBase  map[string]string

	streetMemo   map[string]streetMatch
	categoryMemo map[string]categorySplit
	industryMemo map[string][2]string
}

type streetMatch struct {
	street string
	ok     bool
}

type categorySplit struct{ cats, unknown []string }

// memoLimit bounds each memo: values beyond it are worked out again, as before.
const memoLimit = 4096

func (m *streetMatcher) matchCached(v string) (string, bool) {
	if r, ok := m.streetMemo[v]; ok {
		return r.street, r.ok
	}
	s, ok := m.match(v)
	if len(m.streetMemo) < memoLimit {
		m.streetMemo[v] = streetMatch{s, ok}
	}
	return s, ok
}

// splitCategories is Importer.splitCategories, remembered; the slices returned are the caller's.
func (m *streetMatcher) splitCategories(im *Importer, v string) (cats, unknown []string) {
	r, ok := m.categoryMemo[v]
	if !ok {
		r.cats, r.unknown = im.splitCategories(v)
		if len(m.categoryMemo) < memoLimit {
			m.categoryMemo[v] = r
		}
	}
	return slices.Clone(r.cats), r.unknown
}

func (m *streetMatcher) parseIndustry(v string) (code, warning string) {
	if r, ok := m.industryMemo[v]; ok {
		return r[0], r[1]
	}
	code, warning = ParseIndustry(v)
	if len(m.industryMemo) < memoLimit {
		m.industryMemo[v] = [2]string{code, warning}
	}
	return code, warning
}

var streetSuffixes = []string{"街道办事处", "街道办", "街道", "办事处", "镇", "街", "乡"}

func streetBase(s string) string {
	for _, suf := range streetSuffixes {
		if t := strings.TrimSuffix(s, suf); t != s && t != "" {
			return t
		}
	}
	return s
}

func newStreetMatcher(streets []string) *streetMatcher {
	m := &streetMatcher{streets: streets, byBase: map[string]string{},
		streetMemo: map[string]streetMatch{}, categoryMemo: map[string]categorySplit{}, industryMemo: map[string][2]string{}}
	for _, s := range streets {
		m.byBase[streetBase(s)] = s
	}
	return m
}

// exact reports whether v is a street name on its own (东山街道, 东山, 东山镇).
func (m *streetMatcher) exact(v string) bool {
	_, ok := m.byBase[streetBase(strings.Join(strings.Fields(foldWidth(v, true)), ""))]
	return ok
}

// match finds the profile street for a value written as 东山街道, 东山, 东山镇 or 江宁区东山街道.
func (m *streetMatcher) match(v string) (string, bool) {
	v = strings.Join(strings.Fields(foldWidth(v, true)), "")
	if v == "" {
		return "", false
	}
	if s, ok := m.byBase[streetBase(v)]; ok {
		return s, true
	}
	best := ""
	for _, s := range m.streets {
		if strings.Contains(v, s) && len(s) > len(best) {
			best = s
		}
	}
	return best, best != ""
}

var industryCodeRE = regexp.MustCompile(`^([A-Za-z]?)\s*(\d+)`)

// ParseIndustry extracts a GB/T 4754-2017 manufacturing division (13–43) from a roster value such as
// "C34 通用设备制造业", "34", "C3411" or "通用设备制造业". It returns "" and a warning (in Chinese)
// when the value names no manufacturing division, and a warning when code and name disagree (the
// code wins).
func ParseIndustry(raw string) (code, warning string) {
	s := strings.TrimSpace(foldWidth(raw, true))
	if s == "" {
		return "", ""
	}
	fromCode, rest := "", s
	if m := industryCodeRE.FindStringSubmatch(s); m != nil && len(m[2]) >= 2 && len(m[2]) <= 4 {
		letter := strings.ToUpper(m[1])
		div := m[2][:2]
		if letter != "" && letter != "C" || questionnaires.IndustryName(div) == "" {
			return "", fmt.Sprintf("行业「%s」不是制造业大类（GB/T 4754 C13–C43），行业留空", raw)
		}
		fromCode, rest = div, s[len(m[0]):]
	}
	fromName := industryByName(rest)
	switch {
	case fromCode != "" && fromName != "" && fromCode != fromName:
		return fromCode, fmt.Sprintf("行业「%s」的代码与名称不一致，按代码计为 %s %s", raw, fromCode, questionnaires.IndustryName(fromCode))
	case fromCode != "":
		return fromCode, ""
	case fromName != "":
		return fromName, ""
	}
	return "", fmt.Sprintf("无法识别行业「%s」的国民经济行业大类（GB/T 4754 C13–C43），行业留空", raw)
}

func industryByName(s string) string {
	s = strings.Join(strings.Fields(s), "")
	s = strings.Trim(s, "-_:：()（）")
	if s == "" {
		return ""
	}
	best, bestLen := "", 0
	for _, in := range questionnaires.Industries() {
		switch {
		case s == in.Name || s+"业" == in.Name || s+"制造业" == in.Name:
			return in.Code
		case strings.Contains(s, in.Name) && len(in.Name) > bestLen:
			best, bestLen = in.Code, len(in.Name)
		}
	}
	return best
}
