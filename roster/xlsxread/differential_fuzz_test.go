package xlsxread

import (
	"bytes"
	"encoding/xml"
	"io"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"
)

// FuzzSheetMatchesExcelize: wherever both this reader and excelize read a worksheet without an
// error, the rows are the same. (This reader refuses more: damage excelize reads around.) The
// shared strings are fixed: excelize reads no rows at all, without an error, when it cannot
// decode them (a root element without the spreadsheetml namespace, say), where this reads them.
func FuzzSheetMatchesExcelize(f *testing.F) {
	f.Add(handSheet)
	f.Add(`<worksheet><sheetData><row><c t="inlineStr"><is><t>a</t><r><t>b</t></r></is></c><c><f/></c></row><row r="4"><c r="C4" t="b"><v>0</v></c><c t="s"><v>2</v></c></row></sheetData></worksheet>`)
	f.Fuzz(func(t *testing.T, sheet string) {
		// On XML that is not well formed excelize stops silently where its decoder gives up,
		// while this reader may read on: only well-formed sheets have one right answer to compare.
		if !wellFormed(sheet) {
			return
		}
		data := handWritten(t, sheet, handSST)
		wb, err := openBytes(t, data)
		if err != nil {
			t.Fatal(err)
		}
		tab, err := wb.Read(wb.Sheets[0])
		if err != nil {
			return
		}
		x, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		defer x.Close()
		want, err := x.GetRows(wb.Sheets[0].Name, excelize.Options{RawCellValue: true})
		if err != nil {
			return
		}
		// Compared as the roster reads them: empty cells at the end of a row and empty rows at
		// the end of the sheet carry nothing, and the two readers differ on them without a
		// worksheet around the rows (excelize finds a stray <row> with an empty formula cell
		// anywhere in the file and gives [""]; this reader reads rows inside sheetData only).
		got, want := trimEmpty(tab.Rows), trimEmpty(want)
		if len(want) != len(got) {
			t.Fatalf("rows %d vs excelize %d\n%q\n%q", len(got), len(want), got, want)
		}
		for i := range want {
			if (len(want[i]) > 0 || len(got[i]) > 0) && !reflect.DeepEqual(want[i], got[i]) {
				t.Fatalf("row %d: %q vs excelize %q", i+1, got[i], want[i])
			}
		}
	})
}

// trimEmpty drops each row's trailing empty cells, then the trailing empty rows.
func trimEmpty(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	last := 0
	for i, r := range rows {
		n := len(r)
		for n > 0 && r[n-1] == "" {
			n--
		}
		out[i] = r[:n]
		if n > 0 {
			last = i + 1
		}
	}
	return out[:last]
}

func wellFormed(s string) bool {
	d := xml.NewDecoder(bytes.NewReader([]byte(s)))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
	}
}
