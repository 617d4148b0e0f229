package pdfstyle

import (
	"bytes"
	"compress/zlib"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// samplePDF renders a few pages in the house style without page compression, as fpdf writes them.
func samplePDF(t testing.TB, pages int) []byte {
	t.Helper()
	p := New(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), 18, 22, 18, 20)
	for i := range pages {
		p.AddPage()
		SetFont(p, 11, i%2 == 0, Text)
		for j := range 30 {
			p.SetXY(18, 22+float64(j)*8)
			p.CellFormat(170, 6, strconv.Itoa(i)+"·第"+strconv.Itoa(j)+"行 智能制造能力成熟度 maturity {nb}", "", 0, "L", false, 0, "")
		}
		Line(p, 18, 280, 190, 280, Rule, 0.3)
	}
	var raw bytes.Buffer
	if err := p.Output(&raw); err != nil {
		t.Fatal(err)
	}
	return raw.Bytes()
}

var xrefLine = regexp.MustCompile(`(\d{10}) 00000 n `)

// checkXref verifies that every in-use cross-reference entry points at "N 0 obj" and that
// startxref points at the table.
func checkXref(t testing.TB, pdf []byte) {
	t.Helper()
	sx := bytes.LastIndex(pdf, []byte("startxref\n"))
	at, err := strconv.Atoi(string(bytes.Fields(pdf[sx+len("startxref\n"):])[0]))
	if err != nil || !bytes.HasPrefix(pdf[at:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the table", at)
	}
	table := pdf[at:sx]
	lines := bytes.Split(table, []byte("\n"))
	num := 0
	for _, l := range lines[2:] {
		if len(l) != 19 { // an entry without its newline; the trailer follows the last one
			break
		}
		if m := xrefLine.FindSubmatch(l); m != nil {
			off, _ := strconv.Atoi(string(m[1]))
			if want := strconv.Itoa(num) + " 0 obj\n"; !bytes.HasPrefix(pdf[off:], []byte(want)) {
				t.Errorf("object %d: offset %d points at %q", num, off, pdf[off:min(len(pdf), off+20)])
			}
		}
		num++
	}
	if num < 2 { // entry 0 and at least one object: CompressStreams refuses a table without objects
		t.Fatalf("only %d cross-reference entries read", num)
	}
}

var streamRe = regexp.MustCompile(`(?s)(\d+) 0 obj\n<<(/Filter /FlateDecode )?/Length (\d+)>>\nstream\n`)

// pageStreams returns the (decompressed) data of every page stream by object number.
func pageStreams(t testing.TB, pdf []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, m := range streamRe.FindAllSubmatchIndex(pdf, -1) {
		n := string(pdf[m[2]:m[3]])
		l, _ := strconv.Atoi(string(pdf[m[6]:m[7]]))
		data := pdf[m[1] : m[1]+l]
		if m[4] >= 0 {
			zr, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("object %s: %v", n, err)
			}
			if data, err = io.ReadAll(zr); err != nil {
				t.Fatalf("object %s: %v", n, err)
			}
		}
		out[n] = data
	}
	return out
}

func TestCompressStreamsKeepsEveryPage(t *testing.T) {
	raw := samplePDF(t, 5)
	got, err := CompressStreams(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) >= len(raw) {
		t.Errorf("compressed %d bytes, raw %d", len(got), len(raw))
	}
	checkXref(t, raw)
	checkXref(t, got)
	before, after := pageStreams(t, raw), pageStreams(t, got)
	// Five pages and the font's ToUnicode map are the unfiltered streams fpdf writes.
	if len(before) != 6 || len(after) != 6 || regexp.MustCompile(`<</Length \d+>>\nstream`).Match(got) {
		t.Fatalf("streams: %d before, %d after, want 6, all compressed", len(before), len(after))
	}
	for n, data := range before {
		if !bytes.Equal(after[n], data) {
			t.Errorf("object %s: page content changed", n)
		}
	}
	// Everything but the page streams and the table is copied as it was.
	if !bytes.Contains(got, []byte("/Type /Pages")) || !bytes.HasPrefix(got, []byte("%PDF-")) {
		t.Error("document structure lost")
	}
	again, _ := CompressStreams(raw)
	if !bytes.Equal(again, got) {
		t.Error("two runs differ")
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		dir := t.TempDir()
		a, b := filepath.Join(dir, "a.pdf"), filepath.Join(dir, "b.pdf")
		os.WriteFile(a, raw, 0o644)
		os.WriteFile(b, got, 0o644)
		ta, errA := exec.Command("pdftotext", a, "-").CombinedOutput()
		tb, errB := exec.Command("pdftotext", b, "-").CombinedOutput()
		if errA != nil || errB != nil || !bytes.Equal(ta, tb) || !bytes.Contains(tb, []byte("智能制造能力成熟度")) {
			t.Errorf("pdftotext differs or fails: %v %v\n%s", errA, errB, tb)
		}
	}
	if _, err := exec.LookPath("qpdf"); err == nil {
		f := filepath.Join(t.TempDir(), "c.pdf")
		os.WriteFile(f, got, 0o644)
		if out, err := exec.Command("qpdf", "--check", f).CombinedOutput(); err != nil {
			t.Errorf("qpdf --check: %v\n%s", err, out)
		}
	}
}

func TestCompressStreamsRefusesOtherLayouts(t *testing.T) {
	raw := samplePDF(t, 2)
	sx := bytes.LastIndex(raw, []byte("startxref"))
	xref := bytes.LastIndex(raw, []byte("xref\n0 "))
	cases := map[string][]byte{
		"empty":            {},
		"no trailer":       raw[:sx],
		"truncated":        raw[:len(raw)/2],
		"startxref moved":  append(append([]byte{}, raw[:sx]...), []byte("startxref\n12\n%%EOF\n")...),
		"startxref beyond": append(append([]byte{}, raw[:sx]...), []byte("startxref\n99999999\n%%EOF\n")...),
		"table cut":        append(append([]byte{}, raw[:xref+12]...), raw[sx:]...),
	}
	for name, in := range cases {
		if out, err := CompressStreams(in); err == nil {
			t.Errorf("%s: accepted (%d bytes out)", name, len(out))
		}
	}
	// An offset that points at the wrong object is refused rather than rewritten.
	bad := bytes.Replace(raw, []byte(" 00000 n \n"), []byte(" 00000 n \n"), 1)
	i := xref + bytes.Index(raw[xref:], []byte("00000 n \n")) + len("00000 n \n") // second entry
	copy(bad[i:], []byte("0000000020"))
	if _, err := CompressStreams(bad); err == nil {
		t.Error("wrong offset accepted")
	}
}

// FuzzCompressStreams: any input gives an error or a PDF whose table points at its objects, and
// page content survives unchanged.
func FuzzCompressStreams(f *testing.F) {
	f.Add(samplePDF(f, 1))
	f.Add([]byte("%PDF-1.3\n1 0 obj\n<</Length 3>>\nstream\nabc\nendstream\nendobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<<\n/Size 2\n>>\nstartxref\n61\n%%EOF\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := CompressStreams(in)
		if err != nil {
			return
		}
		checkXref(t, out)
		// The output is in the same layout with nothing left to compress: a second pass keeps it.
		again, err := CompressStreams(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Errorf("second pass: %v, equal %v", err, bytes.Equal(again, out))
		}
	})
}
