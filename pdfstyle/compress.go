package pdfstyle

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"codeberg.org/go-pdf/fpdf"
)

// fpdf compresses every page with a new zlib writer, and a flate compressor is about 1 MB that
// is allocated and zeroed each time: for a 30-page report that was a quarter of its time and most
// of its memory. So New turns fpdf's page compression off and Output compresses the page streams
// afterwards with writers taken from a pool. The font and the attached document are still
// compressed by fpdf (three streams per document).

var zlibPool = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed) // the level fpdf uses: same sizes as before
	return w
}}

// Output writes a document started with f.New to w with its page streams compressed. With a
// subset face it returns ErrMissingGlyph, and writes nothing, when a page shows a character the
// subset lacks.
func (f *Face) Output(pdf *fpdf.Fpdf, w io.Writer) error {
	var raw capture
	if err := pdf.Output(&raw); err != nil {
		return err
	}
	var pageText func([]byte) error
	if f.chars != nil {
		pageText = f.checkText
	}
	out, err := compressStreams(raw.b, pageText)
	if errors.Is(err, ErrMissingGlyph) {
		return err
	}
	if err != nil {
		return fmt.Errorf("压缩 PDF 页面失败：%w", err)
	}
	_, err = w.Write(out)
	return err
}

// capture keeps what fpdf writes: the whole file in one Write of its own buffer, which is kept
// rather than copied (fpdf does not touch it again).
type capture struct{ b []byte }

func (c *capture) Write(p []byte) (int, error) {
	if c.b == nil {
		c.b = p
	} else {
		c.b = append(slices.Clip(c.b), p...) // never into the rest of fpdf's buffer
	}
	return len(p), nil
}

var (
	errLayout   = errors.New("not a PDF in the layout fpdf writes")
	startxrefKw = []byte("\nstartxref\n")
	plainStream = []byte(" 0 obj\n<</Length ")
	streamKw    = []byte(">>\nstream\n")
	endKw       = []byte("\nendstream\nendobj\n")
	pageObj     = []byte(" 0 obj\n<</Type /Page\n")
	contentsKey = []byte("/Contents ")
)

// CompressStreams takes a PDF as fpdf writes it (a classic cross-reference table, one object per
// entry, unfiltered streams written as `N 0 obj\n<</Length L>>\nstream\n…\nendstream\nendobj\n`)
// and returns it with those streams Flate-compressed and the cross-reference table and startxref
// rewritten for the new offsets. Objects it does not recognise are copied unchanged; a file whose
// cross-reference table does not match its objects is refused, never guessed at.
func CompressStreams(pdf []byte) ([]byte, error) { return compressStreams(pdf, nil) }

// compressStreams is CompressStreams calling pageText, when not nil, with every page's content
// stream (fpdf writes a page's /Contents right after the page); its error stops it.
func compressStreams(pdf []byte, pageText func([]byte) error) ([]byte, error) {
	// Trailer: "startxref\nOFFSET\n%%EOF\n" at the end.
	sx := bytes.LastIndex(pdf, startxrefKw)
	if sx < 0 {
		return nil, errLayout
	}
	rest := pdf[sx+len(startxrefKw):]
	nl := bytes.IndexByte(rest, '\n')
	if nl < 0 || !bytes.Equal(bytes.TrimSpace(rest[nl:]), []byte("%%EOF")) {
		return nil, errLayout
	}
	xrefAt, err := strconv.Atoi(string(rest[:nl]))
	if err != nil || xrefAt < 0 || xrefAt >= sx {
		return nil, errLayout
	}
	// Cross-reference table: "xref\n0 N\n" and N entries of 20 bytes.
	xr := pdf[xrefAt:]
	if !bytes.HasPrefix(xr, []byte("xref\n0 ")) {
		return nil, errLayout
	}
	xr = xr[len("xref\n0 "):]
	nl = bytes.IndexByte(xr, '\n')
	if nl < 0 {
		return nil, errLayout
	}
	n, err := strconv.Atoi(string(xr[:nl]))
	if err != nil || n < 1 || n > (len(xr)-nl-1)/20 {
		return nil, errLayout
	}
	entries := xr[nl+1 : nl+1+20*n]
	trailer := xr[nl+1+20*n:] // "trailer\n<<…>>\nstartxref\n…"
	trailerEnd := bytes.LastIndex(trailer, startxrefKw)
	if trailerEnd < 0 {
		return nil, errLayout
	}
	trailer = trailer[:trailerEnd+1]
	if !bytes.HasPrefix(trailer, []byte("trailer\n")) { // fpdf always writes the trailer dictionary
		return nil, errLayout
	}

	type object struct{ num, off, end int }
	var objs []object
	for i := range n {
		e := entries[20*i : 20*i+20]
		if !xrefEntry(e) {
			return nil, errLayout
		}
		if i == 0 || e[17] != 'n' {
			continue
		}
		off, err := strconv.Atoi(string(e[:10]))
		if err != nil || off <= 0 || off >= xrefAt {
			return nil, errLayout
		}
		objs = append(objs, object{num: i, off: off})
	}
	if len(objs) == 0 {
		return nil, errLayout
	}
	slices.SortFunc(objs, func(a, b object) int { return a.off - b.off })
	for i := range objs {
		objs[i].end = xrefAt
		if i+1 < len(objs) {
			objs[i].end = objs[i+1].off
		}
		if objs[i].end == objs[i].off {
			return nil, errLayout // two entries at one offset
		}
	}

	// First pass: check the objects, find the plain streams (and check the pages' text).
	type stream struct {
		obj  int // index in objs
		data []byte
		z    []byte // compressed
	}
	var streams []stream
	plain := make([]int, len(objs)) // 1 + index in streams, 0 if not a plain stream
	contents := map[int]bool{}      // object numbers of page contents
	for i, o := range objs {
		body := pdf[o.off:o.end]
		head := strconv.Itoa(o.num)
		if !bytes.HasPrefix(body, []byte(head)) || !bytes.HasPrefix(body[len(head):], []byte(" 0 obj\n")) {
			return nil, errLayout
		}
		if pageText != nil {
			if c, ok := pageContents(body[len(head):]); ok {
				contents[c] = true
			}
		}
		data, ok := plainStreamData(body[len(head):])
		if !ok {
			continue
		}
		if pageText != nil && contents[o.num] {
			if err := pageText(data); err != nil {
				return nil, err
			}
		}
		streams = append(streams, stream{obj: i, data: data})
		plain[i] = len(streams)
	}

	// Compress the streams on every core: a report has dozens of pages.
	var wg sync.WaitGroup
	var next atomic.Int64
	errs := make([]error, runtime.GOMAXPROCS(0))
	for w := range errs {
		wg.Go(func() {
			zw := zlibPool.Get().(*zlib.Writer)
			defer zlibPool.Put(zw)
			var scratch bytes.Buffer
			for {
				k := int(next.Add(1)) - 1
				if k >= len(streams) {
					return
				}
				scratch.Reset()
				zw.Reset(&scratch)
				if _, err := zw.Write(streams[k].data); err != nil {
					errs[w] = err
					return
				}
				if err := zw.Close(); err != nil {
					errs[w] = err
					return
				}
				streams[k].z = bytes.Clone(scratch.Bytes())
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	out := bytes.NewBuffer(make([]byte, 0, len(pdf)/3))
	out.Write(pdf[:objs[0].off])
	offsets := make([]int, n)
	for i, o := range objs {
		offsets[o.num] = out.Len()
		if plain[i] == 0 {
			out.Write(pdf[o.off:o.end])
			continue
		}
		z := streams[plain[i]-1].z
		fmt.Fprintf(out, "%d 0 obj\n<</Filter /FlateDecode /Length %d>>\nstream\n", o.num, len(z))
		out.Write(z)
		out.Write(endKw)
	}
	newXref := out.Len()
	fmt.Fprintf(out, "xref\n0 %d\n", n)
	out.Write(entries[:20])
	for i := 1; i < n; i++ {
		e := entries[20*i : 20*i+20]
		if e[17] != 'n' {
			out.Write(e)
			continue
		}
		fmt.Fprintf(out, "%010d%s", offsets[i], e[10:])
	}
	out.Write(trailer)
	fmt.Fprintf(out, "startxref\n%d\n%%%%EOF\n", newXref)
	return out.Bytes(), nil
}

// xrefEntry reports whether e is a 20-byte cross-reference entry: "oooooooooo ggggg n \n".
func xrefEntry(e []byte) bool {
	for i, c := range e {
		switch {
		case i < 10 || (i > 10 && i < 16):
			if c < '0' || c > '9' {
				return false
			}
		case i == 10 || i == 16 || i == 18:
			if c != ' ' {
				return false
			}
		case i == 17:
			if c != 'n' && c != 'f' {
				return false
			}
		case i == 19:
			if c != '\n' {
				return false
			}
		}
	}
	return true
}

// plainStreamData returns the data of an object that is exactly one unfiltered stream, given the
// object from " 0 obj\n" on.
func plainStreamData(obj []byte) ([]byte, bool) {
	if !bytes.HasPrefix(obj, plainStream) {
		return nil, false
	}
	obj = obj[len(plainStream):]
	i := bytes.Index(obj, streamKw)
	if i < 1 || i > 10 {
		return nil, false
	}
	l, err := strconv.Atoi(string(obj[:i]))
	if err != nil || l < 0 {
		return nil, false
	}
	data := obj[i+len(streamKw):]
	if len(data) != l+len(endKw) || !bytes.Equal(data[l:], endKw) {
		return nil, false
	}
	return data[:l], true
}

// pageContents returns the object number of a page's /Contents, given the object from " 0 obj\n"
// on, when the object is a page.
func pageContents(obj []byte) (int, bool) {
	if !bytes.HasPrefix(obj, pageObj) {
		return 0, false
	}
	i := bytes.Index(obj, contentsKey)
	if i < 0 {
		return 0, false
	}
	rest := obj[i+len(contentsKey):]
	j := bytes.IndexByte(rest, ' ')
	if j < 1 {
		return 0, false
	}
	n, err := strconv.Atoi(string(rest[:j]))
	return n, err == nil
}
