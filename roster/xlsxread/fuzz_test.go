package xlsxread

import (
	"strings"
	"testing"
)

// FuzzSheet feeds arbitrary worksheet and shared-string XML through the reader inside a valid
// package: it must return rows or an error naming the part, never panic or hang, and what it
// returns stays within the cell budget.
func FuzzSheet(f *testing.F) {
	f.Add(handSheet, handSST)
	f.Add(`<worksheet><sheetData><row><c t="s"><v>0</v></c><c t="inlineStr"><is><r><t>a</t></r></is></c></row></sheetData><mergeCells><mergeCell ref="A1:A3"/></mergeCells></worksheet>`, `<sst><si><t>x</t></si></sst>`)
	f.Add(`<?xml version="1.0" encoding="GB2312"?><worksheet><sheetData><row r="2"><c r="B2"><v>&#20013;</v></c></row></sheetData></worksheet>`, ``)
	f.Add(`<!DOCTYPE x [<!ENTITY a "b">]><worksheet><sheetData><row><c><v><![CDATA[1]]></v></c></row></sheetData></worksheet>`, `<sst/>`)
	f.Fuzz(func(t *testing.T, sheet, sst string) {
		wb, err := openBytes(t, handWritten(t, sheet, sst))
		if err != nil {
			t.Fatal(err)
		}
		tab, err := wb.Read(wb.Sheets[0])
		if err != nil {
			if !strings.Contains(err.Error(), "xl/worksheets/sheet1.xml") && !strings.Contains(err.Error(), "xl/sharedStrings.xml") {
				t.Fatalf("error without the part: %v", err)
			}
			return
		}
		n := 0
		for _, r := range tab.Rows {
			n += len(r)
		}
		if n > MaxCells || len(tab.Rows) > MaxRows || (len(tab.Rows) > 0 && len(tab.Rows[len(tab.Rows)-1]) == 0) {
			t.Fatalf("%d cells in %d rows", n, len(tab.Rows))
		}
	})
}

// FuzzOpen feeds arbitrary bytes as the package itself.
func FuzzOpen(f *testing.F) {
	f.Add(handWritten(f, handSheet, handSST))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		wb, err := openBytes(t, data)
		if err != nil {
			return
		}
		for _, sh := range wb.Sheets {
			if _, err := wb.Read(sh); err != nil && !strings.Contains(err.Error(), "：") {
				t.Fatalf("error without a part: %v", err)
			}
		}
	})
}
