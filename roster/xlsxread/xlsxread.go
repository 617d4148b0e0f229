// Package xlsxread reads the cell values of an .xlsx workbook's worksheets, one worksheet at a
// time, for the roster importer. It replaces excelize's GetRows (with RawCellValue) on the import
// path: excelize decodes every cell with encoding/xml's reflection-based DecodeElement, which was
// most of the CPU of reading a city's roster; this scans the worksheet XML directly and keeps
// nothing but the cell strings. excelize stays the writer and the test oracle (the differential
// test requires equal rows on the shared samples and on generated workbooks).
//
// What it returns matches GetRows(sheet, Options{RawCellValue: true}) for well-formed workbooks:
// shared strings (rich-text runs concatenated, phonetic runs left out, _xHHHH_ escapes decoded),
// inline strings, numbers, booleans, dates and errors as stored (no number format applied), cells
// placed by their reference or, without one, after the previous cell; a cell without a value and
// without a formula is left out, so rows end at their last value; rows without values are empty
// and trailing ones are dropped. Where excelize would silently truncate or scramble a damaged
// sheet (a bad cell reference, rows or cells out of order, a broken shared-string table) this
// returns an error naming the part and row instead.
package xlsxread

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Limits of the sheet model (Excel's own).
const (
	MaxRows    = 1048576
	MaxColumns = 16384
)

// MaxCells bounds the cells a worksheet may expand to (empty cells before a value included), so
// that a small sheet with values in far columns cannot take gigabytes: a 100,000-row roster with
// 40 columns is 4 million cells.
const MaxCells = 8 << 20

// maxSharedStrings bounds the shared-string table (a string header per five bytes of "<si/>"
// would otherwise take three times the part's size): no sheet can use more than MaxCells.
var maxSharedStrings = MaxCells

// Sheet is one worksheet of the workbook, in workbook order.
type Sheet struct {
	Name   string
	Hidden bool // state="hidden" or "veryHidden"
	part   string
}

// Table is the content of one worksheet.
type Table struct {
	// Rows holds the cell values by row; Rows[i] is sheet row i+1. Rows without values are nil
	// and the last row has a value.
	Rows [][]string
	// Merges lists the merged ranges ("A1:B3") in document order.
	Merges []string
}

// Workbook is an opened .xlsx package.
type Workbook struct {
	files  map[string]*zip.File // by lower-case name
	Sheets []Sheet
	budget int64 // uncompressed bytes still allowed to be read

	sst     []string
	sstErr  error
	sstRead bool
}

// Error is a problem in one part of the package; Row is the sheet row, 0 when not known.
type Error struct {
	Part string
	Row  int
	Msg  string
}

func (e *Error) Error() string {
	if e.Row > 0 {
		return fmt.Sprintf("%s 第 %d 行：%s", e.Part, e.Row, e.Msg)
	}
	return e.Part + "：" + e.Msg
}

// ErrTooLarge is wrapped by errors about parts that unpack to more than the limit given to Open.
var ErrTooLarge = errors.New("解压后超过大小上限")

// Open reads the workbook's sheet list. limit bounds the total uncompressed bytes read from the
// package, whatever the zip headers claim.
func Open(zr *zip.Reader, limit int64) (*Workbook, error) {
	wb := &Workbook{files: map[string]*zip.File{}, budget: limit}
	for _, zf := range zr.File {
		name := strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(zf.Name, "\\", "/"), "/"))
		if _, dup := wb.files[name]; !dup {
			wb.files[name] = zf
		}
	}
	wbPath := "xl/workbook.xml"
	if rels, err := wb.part("_rels/.rels", false); err != nil {
		return nil, err
	} else if rels != nil {
		for _, r := range relationships(rels) {
			if strings.HasSuffix(r.typ, "/officeDocument") && r.target != "" {
				wbPath = strings.TrimPrefix(r.target, "/")
				break
			}
		}
	}
	wbXML, err := wb.part(wbPath, true)
	if err != nil {
		return nil, err
	}
	dir := path.Dir(wbPath)
	relsPath := path.Join(dir, "_rels", path.Base(wbPath)+".rels")
	relsXML, err := wb.part(relsPath, true)
	if err != nil {
		return nil, err
	}
	targets := map[string]string{}
	for _, r := range relationships(relsXML) {
		t := r.target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(path.Clean(t), "/")
		} else {
			t = strings.TrimPrefix(path.Clean(dir+"/"+t), "/")
		}
		if _, dup := targets[r.id]; !dup {
			targets[r.id] = t
		}
	}
	s := newScanner(wbXML)
	inSheets := false
	for {
		tok, err := s.next()
		if err != nil {
			return nil, &Error{Part: wbPath, Msg: err.Error()}
		}
		if tok.kind == tokEOF {
			break
		}
		switch {
		case tok.kind == tokStart && tok.local == "sheets":
			inSheets = !tok.empty
		case tok.kind == tokEnd && tok.local == "sheets":
			inSheets = false
		case tok.kind == tokStart && tok.local == "sheet" && inSheets:
			var sh Sheet
			var id string
			for _, a := range tok.attrs {
				switch a.local {
				case "name":
					sh.Name = a.value()
				case "state":
					st := a.value()
					sh.Hidden = st != "" && st != "visible"
				case "id":
					if a.prefixed {
						id = a.value()
					}
				}
			}
			sh.part = targets[id]
			wb.Sheets = append(wb.Sheets, sh)
		}
	}
	return wb, nil
}

// part returns a package part's bytes as UTF-8; nil when it is absent and not required.
func (wb *Workbook) part(name string, required bool) ([]byte, error) {
	zf := wb.files[strings.ToLower(name)]
	if zf == nil {
		if required {
			return nil, &Error{Part: name, Msg: "缺少这一部分（文件不完整或不是 Excel 工作簿）"}
		}
		return nil, nil
	}
	if int64(zf.UncompressedSize64) > wb.budget || zf.UncompressedSize64 > 1<<62 {
		return nil, &Error{Part: name, Msg: ErrTooLarge.Error()}
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, &Error{Part: name, Msg: "无法解压：" + err.Error()}
	}
	defer rc.Close()
	// Read at most the budget plus one byte, whatever the header says: a lying header is caught by
	// archive/zip's size check or by this bound.
	// The buffer is sized from the header (bounded, as the header may lie) to read in one piece.
	buf := bytes.NewBuffer(make([]byte, 0, min(int64(zf.UncompressedSize64), wb.budget, 64<<20)+bytes.MinRead))
	_, err = buf.ReadFrom(io.LimitReader(rc, wb.budget+1))
	data := buf.Bytes()
	if err != nil {
		return nil, &Error{Part: name, Msg: "无法解压：" + err.Error()}
	}
	if int64(len(data)) > wb.budget {
		return nil, &Error{Part: name, Msg: ErrTooLarge.Error()}
	}
	wb.budget -= int64(len(data))
	data, err = toUTF8(data)
	if err != nil {
		return nil, &Error{Part: name, Msg: err.Error()}
	}
	return data, nil
}

// toUTF8 converts a part in another encoding (a UTF-16 byte-order mark, or an encoding named in
// the XML declaration) to UTF-8, drops a UTF-8 byte-order mark, and refuses invalid UTF-8.
func toUTF8(data []byte) ([]byte, error) {
	utf16 := bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF})
	if utf16 {
		out, _, err := transform.Bytes(xunicode.BOMOverride(xunicode.UTF8.NewDecoder()), data)
		if err != nil {
			return nil, fmt.Errorf("无法按 UTF-16 解码：%v", err)
		}
		data = out
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	// A UTF-16 part says so in its declaration, which no longer holds once it is converted.
	if enc := declaredEncoding(data); enc != "" && !utf16 {
		e, err := htmlindex.Get(enc)
		if err != nil {
			return nil, fmt.Errorf("不支持的字符编码「%s」", enc)
		}
		if n, _ := htmlindex.Name(e); n != "utf-8" {
			out, _, err := transform.Bytes(e.NewDecoder(), data)
			if err != nil {
				return nil, fmt.Errorf("无法按「%s」解码：%v", enc, err)
			}
			data = out
		}
	}
	if !utf8.Valid(data) {
		return nil, errors.New("含有无效的 UTF-8 字节")
	}
	return data, nil
}

// declaredEncoding returns the encoding named in a leading XML declaration, "" if none.
func declaredEncoding(data []byte) string {
	if !bytes.HasPrefix(data, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(data, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := string(data[5:end])
	i := strings.Index(decl, "encoding")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	rest = strings.TrimLeft(rest[1:], " \t\r\n")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	j := strings.IndexByte(rest[1:], q)
	if j < 0 {
		return ""
	}
	return strings.TrimSpace(rest[1 : 1+j])
}

type relationship struct{ id, typ, target string }

// relationships reads a .rels part leniently: a damaged one yields what could be read.
func relationships(data []byte) []relationship {
	var out []relationship
	s := newScanner(data)
	for {
		tok, err := s.next()
		if err != nil || tok.kind == tokEOF {
			return out
		}
		if tok.kind == tokStart && tok.local == "Relationship" {
			var r relationship
			for _, a := range tok.attrs {
				switch a.local {
				case "Id":
					r.id = a.value()
				case "Type":
					r.typ = a.value()
				case "Target":
					r.target = a.value()
				}
			}
			out = append(out, r)
		}
	}
}

// sharedStrings reads the shared-string table once.
func (wb *Workbook) sharedStrings() ([]string, error) {
	if wb.sstRead {
		return wb.sst, wb.sstErr
	}
	wb.sstRead = true
	const name = "xl/sharedStrings.xml"
	data, err := wb.part(name, false)
	if err != nil || data == nil {
		wb.sstErr = err
		return nil, err
	}
	s := newScanner(data)
	var sst []string
	for {
		tok, err := s.next()
		if err != nil {
			wb.sstErr = &Error{Part: name, Msg: err.Error()}
			return nil, wb.sstErr
		}
		if tok.kind == tokEOF {
			break
		}
		if tok.kind == tokStart && tok.local == "si" {
			if len(sst) >= maxSharedStrings {
				wb.sstErr = &Error{Part: name, Msg: fmt.Sprintf("共享字符串过多（超过 %d 个），不像是一份名册", maxSharedStrings)}
				return nil, wb.sstErr
			}
			if tok.empty {
				sst = append(sst, "")
				continue
			}
			v, err := s.richText()
			if err != nil {
				wb.sstErr = &Error{Part: name, Msg: err.Error()}
				return nil, wb.sstErr
			}
			sst = append(sst, v)
		}
	}
	wb.sst = sst
	return sst, nil
}

// Read returns the values and merged ranges of a worksheet.
func (wb *Workbook) Read(sh Sheet) (*Table, error) {
	if sh.part == "" || wb.files[strings.ToLower(sh.part)] == nil {
		return nil, &Error{Part: "xl/workbook.xml", Msg: fmt.Sprintf("工作表「%s」的数据缺失", sh.Name)}
	}
	data, err := wb.part(sh.part, true)
	if err != nil {
		return nil, err
	}
	return wb.readSheet(sh.part, data)
}

func (wb *Workbook) readSheet(part string, data []byte) (*Table, error) {
	t := &Table{}
	s := newScanner(data)
	var (
		sst      []string
		sstDone  bool
		cells    int // cells held, empty ones before a value included
		row      int // current row number
		inData   bool
		inRow    bool
		rowCells []string
		lastLen  int // the previous row's length, to size the next
	)
	fail := func(row int, format string, args ...any) error {
		return &Error{Part: part, Row: row, Msg: fmt.Sprintf(format, args...)}
	}
	endRow := func() {
		inRow = false
		if len(rowCells) == 0 {
			return
		}
		for len(t.Rows) < row-1 {
			t.Rows = append(t.Rows, nil)
		}
		t.Rows = append(t.Rows, rowCells)
		lastLen = len(rowCells)
		rowCells = nil
	}
	col := 0
	for {
		tok, err := s.next()
		if err != nil {
			return nil, fail(row, "%v", err)
		}
		if tok.kind == tokEOF {
			break
		}
		switch tok.kind {
		case tokStart:
			switch tok.local {
			case "sheetData":
				inData = !tok.empty
			case "row":
				if !inData {
					continue
				}
				if inRow {
					endRow()
				}
				n := row + 1
				for _, a := range tok.attrs {
					if a.local == "r" {
						// A row number is a positive integer wherever Excel, WPS or a library
						// writes one; anything else (empty, text, 0) is damage, which excelize
						// reads as no row at all and this reader refuses with the row.
						v, err := strconv.Atoi(a.view())
						if err != nil || v <= 0 || v > MaxRows {
							return nil, fail(row+1, "行号「%s」无效", a.value())
						}
						n = v
					}
				}
				if n <= row {
					return nil, fail(n, "行的顺序错误（第 %d 行出现在第 %d 行之后）", n, row)
				}
				if n > MaxRows {
					return nil, fail(row, "超过 %d 行", MaxRows)
				}
				row, col, inRow = n, 0, !tok.empty
			case "c":
				if !inRow {
					if err := s.skip(tok); err != nil {
						return nil, fail(row, "%v", err)
					}
					continue
				}
				var ref, typ string
				styleOK := true
				for _, a := range tok.attrs {
					switch a.local {
					case "r":
						ref = a.view() // copied only into an error message
					case "t":
						typ = a.view()
					case "s":
						if _, err := strconv.ParseInt(a.view(), 10, 64); err != nil {
							styleOK = false
						}
					}
				}
				col++
				if ref != "" {
					c, ok := columnOf(ref)
					if !ok {
						return nil, fail(row, "单元格引用「%s」无效", ref)
					}
					col = c
				} else if col > MaxColumns {
					return nil, fail(row, "超过 %d 列", MaxColumns)
				}
				var c cell
				if !tok.empty {
					if c, err = s.cell(); err != nil {
						return nil, fail(row, "%v", err)
					}
				}
				if !styleOK {
					// excelize stops reading such a cell at the bad style and keeps no value.
					c = cell{}
				}
				val := ""
				switch typ {
				case "s":
					if c.v != "" {
						if !sstDone {
							sst, err = wb.sharedStrings()
							if err != nil {
								return nil, err
							}
							sstDone = true
						}
						i, _ := strconv.Atoi(strings.TrimSpace(c.v))
						if i >= 0 && i < len(sst) {
							val = sst[i]
						}
					}
				case "inlineStr":
					if c.hasIS {
						val = c.is
					} else {
						val = c.v
					}
				default:
					val = c.v
				}
				if val == "" && !c.hasF {
					continue
				}
				if col <= len(rowCells) {
					return nil, fail(row, "单元格的顺序错误（%s 出现在同一行更靠右的单元格之后）", refOr(ref, col))
				}
				cells += col - len(rowCells)
				if cells > MaxCells {
					return nil, fail(row, "单元格过多（超过 %d 个），不像是一份名册", MaxCells)
				}
				if rowCells == nil {
					rowCells = make([]string, 0, max(col, lastLen))
				}
				for len(rowCells) < col-1 {
					rowCells = append(rowCells, "")
				}
				rowCells = append(rowCells, val)
			case "mergeCell":
				for _, a := range tok.attrs {
					if a.local == "ref" {
						t.Merges = append(t.Merges, a.value())
					}
				}
			}
		case tokEnd:
			switch tok.local {
			case "row":
				if inRow {
					endRow()
				}
			case "sheetData":
				if inRow {
					endRow()
				}
				inData = false
			}
		}
	}
	if inRow {
		endRow()
	}
	return t, nil
}

func refOr(ref string, col int) string {
	if ref != "" {
		return ref
	}
	return "第 " + strconv.Itoa(col) + " 列"
}

// columnOf returns the column of a cell reference.
func columnOf(ref string) (int, bool) {
	c, _, ok := CellCoordinates(ref)
	return c, ok
}

// CellCoordinates returns the column and row of a cell reference such as "C5" or "$c$5" (letters,
// then a row number from 1 to MaxRows), as excelize's CellNameToCoordinates accepts it.
func CellCoordinates(ref string) (col, row int, ok bool) {
	i := 0
	letters := 0
	for ; i < len(ref); i++ {
		b := ref[i]
		switch {
		case b == '$':
			continue
		case 'A' <= b && b <= 'Z':
			col = col*26 + int(b-'A'+1)
		case 'a' <= b && b <= 'z':
			col = col*26 + int(b-'a'+1)
		default:
			goto digits
		}
		letters++
		if col > MaxColumns {
			return 0, 0, false
		}
	}
digits:
	if letters == 0 || i >= len(ref) {
		return 0, 0, false
	}
	n, err := strconv.Atoi(ref[i:])
	if err != nil || n < 1 || n > MaxRows {
		return 0, 0, false
	}
	return col, n, true
}
