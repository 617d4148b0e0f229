package seal_test

import (
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"smartdiag/seal"
)

// attachment is one embedded file in fpdf's layout, with a recorded size that may lie.
func attachment(compressed []byte, sum [16]byte, size int) []byte {
	return fmt.Appendf(nil, "1 0 obj\n<< /Type /EmbeddedFile /Length %d /Filter /FlateDecode /Params << /CheckSum <%x> /Size %d >> >>\nstream\n%s\nendstream\nendobj\n",
		len(compressed), sum, size, compressed)
}

func deflate(t testing.TB, r io.Reader) []byte {
	var buf bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&buf, zlib.BestSpeed)
	if _, err := io.Copy(zw, r); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}

type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), z.n)
	clear(p[:k])
	z.n -= k
	return int(k), nil
}

// allocated is the bytes allocated while f runs.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestExtractDocumentBombStopsAtCap: a 256 MiB stream of zeros (about 1 MB compressed) is never
// inflated past the cap, whether its recorded size is honest (over the cap: not inflated at all)
// or a lie (inflation stops one byte past the recorded size).
func TestExtractDocumentBombStopsAtCap(t *testing.T) {
	bomb := deflate(t, &zeros{256 << 20})
	for _, tc := range []struct {
		name string
		size int
	}{{"honest size over the cap", 256 << 20}, {"64 MiB as in the attack", 64 << 20}, {"lying small size", 1000}, {"lying size at the cap", seal.MaxDocumentSize}} {
		t.Run(tc.name, func(t *testing.T) {
			pdf := append([]byte("%PDF-1.4\n"), attachment(bomb, md5.Sum(nil), tc.size)...)
			var err error
			n := allocated(func() { _, err = seal.ExtractDocument(pdf) })
			if err == nil {
				t.Fatal("a bomb was accepted")
			}
			if n > seal.MaxDocumentSize+4<<20 {
				t.Errorf("allocated %d MB while reading a bomb; the cap is %d MB", n>>20, seal.MaxDocumentSize>>20)
			}
			if tc.size > seal.MaxDocumentSize && !strings.Contains(err.Error(), fmt.Sprintf("%d MB", seal.MaxDocumentSize>>20)) {
				t.Errorf("the error does not name the limit: %v", err)
			}
		})
	}
}

// TestExtractDocumentManyBombsStop: many attachments each under the cap stop at MaxInflated.
func TestExtractDocumentManyBombsStop(t *testing.T) {
	const each = 8 << 20
	bomb := deflate(t, &zeros{each})
	sum := md5.Sum(make([]byte, each))
	pdf := []byte("%PDF-1.4\n")
	for range 40 {
		pdf = append(pdf, attachment(bomb, sum, each)...)
	}
	var err error
	n := allocated(func() { _, err = seal.ExtractDocument(pdf) })
	if err == nil || !strings.Contains(err.Error(), "上限") {
		t.Fatalf("err = %v", err)
	}
	if n > seal.MaxInflated+8<<20 {
		t.Errorf("allocated %d MB; the cap on one PDF is %d MB", n>>20, seal.MaxInflated>>20)
	}
}

// TestExtractDocumentSeveralDiagnoses: a PDF with two different diagnoses is reported, not
// half-read; the same diagnosis twice is fine.
func TestExtractDocumentSeveralDiagnoses(t *testing.T) {
	one := []byte(`{"format":"smartdiag.diagnosis/1","id":"a"}`)
	two := []byte(`{"format":"smartdiag.diagnosis/1","id":"b"}`)
	att := func(b []byte) []byte { return attachment(deflate(t, bytes.NewReader(b)), md5.Sum(b), len(b)) }
	pdf := append(append([]byte("%PDF-1.4\n"), att(one)...), att(two)...)
	if _, err := seal.ExtractDocument(pdf); !errors.Is(err, seal.ErrSeveralDocuments) {
		t.Fatalf("two diagnoses: err = %v", err)
	}
	pdf = append(append([]byte("%PDF-1.4\n"), att(one)...), att(one)...)
	if got, err := seal.ExtractDocument(pdf); err != nil || !bytes.Equal(got, one) {
		t.Fatalf("the same diagnosis twice: %q %v", got, err)
	}
}
