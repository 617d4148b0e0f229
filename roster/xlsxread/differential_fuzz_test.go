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
		if len(want) != len(tab.Rows) {
			t.Fatalf("rows %d vs excelize %d\n%q\n%q", len(tab.Rows), len(want), tab.Rows, want)
		}
		for i := range want {
			if (len(want[i]) > 0 || len(tab.Rows[i]) > 0) && !reflect.DeepEqual(want[i], tab.Rows[i]) {
				t.Fatalf("row %d: %q vs excelize %q", i+1, tab.Rows[i], want[i])
			}
		}
	})
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
