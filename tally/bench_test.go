package tally

import (
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/district"
	"smartdiag/roster"
	"smartdiag/seal"
)

func BenchmarkCheckDocument(b *testing.B) {
	data := sealDoc(b, variant(b, 0, firm{Name: "南京基准有限公司", Code: code(1)}, time.Now()), "甲服务商")
	trust := trustOf("甲服务商")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		c := seal.Check(data, trust, true, nil)
		assessment.Score(c.Q, c.Doc)
	}
}

// BenchmarkCheckDocumentReference is the same work through seal.Verify and Open.
func BenchmarkCheckDocumentReference(b *testing.B) {
	data := sealDoc(b, variant(b, 0, firm{Name: "南京基准有限公司", Code: code(1)}, time.Now()), "甲服务商")
	trust := trustOf("甲服务商")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		seal.Verify(data, trust)
		d, q, _ := assessment.Open(data)
		assessment.Score(q, d)
	}
}

// benchRoster is a 2,000-firm roster: 1,200 firms of the bulk fixture and 800 not diagnosed.
func benchRoster() *roster.Roster {
	streets := []string{"东山街道", "秣陵街道", "汤山街道", "淳化街道", "禄口街道", "江宁街道", "谷里街道", "湖熟街道", "横溪街道", "麒麟街道"}
	r := &roster.Roster{File: "bench.xlsx", HeaderRow: 1}
	for i := range 2000 {
		n := i
		if i >= 1200 {
			n = 20000 + i
		}
		r.Entries = append(r.Entries, roster.Entry{Row: i + 2, Name: fmt.Sprintf("南京测试%05d有限公司", n), CreditCode: code(n),
			Street: streets[i%len(streets)], Categories: roster.CanonicalCategories[i%3 : i%3+1], Industry: "34"})
	}
	r.Rows = len(r.Entries)
	return r
}

// BenchmarkTally10000 tallies 10,000 sealed cmmm-full documents (about 29 KB each) against a
// 2,000-firm roster: every document verified, opened and scored. Target ≤ 3 s, ≤ 400 MB.
func BenchmarkTally10000(b *testing.B) {
	dir := bulkFixture(b, 10000)
	roster := benchRoster()
	trust := trustOf("甲服务商", "乙服务商", "丙服务商")
	var peak uint64
	for b.Loop() {
		stop := sampleHeap(&peak)
		res, err := TallyWith([]string{dir}, Options{Roster: roster, Trusted: trust, Now: time.Date(2026, 12, 1, 0, 0, 0, 0, cst)})
		stop()
		if err != nil {
			b.Fatal(err)
		}
		if res.Diagnoses.Files != 10000 || res.Diagnoses.Valid != 10000 || len(res.Diagnoses.Rejected) != 0 {
			b.Fatalf("files %d valid %d rejected %d", res.Diagnoses.Files, res.Diagnoses.Valid, len(res.Diagnoses.Rejected))
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkImport10000 imports 10,000 sealed documents into an empty district workspace (every
// document verified and written atomically with fsync), then imports them again (all skipped).
func BenchmarkImport10000(b *testing.B) {
	src := bulkFixture(b, 10000)
	trust := trustOf("甲服务商", "乙服务商", "丙服务商")
	for b.Loop() {
		b.StopTimer()
		dst := filepath.Join(b.TempDir(), "district")
		b.StartTimer()
		log, err := district.Import(dst, []string{src}, trust, nil)
		if err != nil {
			b.Fatal(err)
		}
		if log.Imported != 10000 {
			b.Fatalf("imported %d of 10000: %+v", log.Imported, log.Entries[0])
		}
		b.StopTimer()
		os.RemoveAll(dst)
		b.StartTimer()
	}
}

// sampleHeap records the peak of the Go heap (in use plus garbage not yet collected) every few
// milliseconds until stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			*peak = max(*peak, ms.HeapAlloc)
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() { close(done); <-finished }
}

// BenchmarkExcel10000 writes the Excel export of a 10,000-document tally.
func BenchmarkExcel10000(b *testing.B) {
	dir := bulkFixture(b, 10000)
	res, err := TallyWith([]string{dir}, Options{Roster: benchRoster(), Trusted: trustOf("甲服务商", "乙服务商", "丙服务商"), Now: time.Date(2026, 12, 1, 0, 0, 0, 0, cst)})
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	var peak uint64
	out := filepath.Join(b.TempDir(), "t.xlsx")
	for b.Loop() {
		stop := sampleHeap(&peak)
		if err := WriteExcel(res, out); err != nil {
			b.Fatal(err)
		}
		stop()
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// TestWriteBenchFiles writes, for timing the CLI on the benchmark fixture, the fixture's folder
// name, its providers' public key files and the 2,000-row roster as CSV into
// $SMARTDIAG_BENCH_OUT (skipped when unset):
//
//	SMARTDIAG_BENCH_OUT=/tmp/bench go test ./tally -run WriteBenchFiles
func TestWriteBenchFiles(t *testing.T) {
	out := os.Getenv("SMARTDIAG_BENCH_OUT")
	if out == "" {
		t.Skip("SMARTDIAG_BENCH_OUT not set")
	}
	dir := bulkFixture(t, 10000)
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"甲服务商", "乙服务商", "丙服务商"} {
		data, _ := seal.NewPublicKeyFile(testKey(name).Public().(ed25519.PublicKey), assessment.Signer{Name: name, Organisation: name}, time.Now()).Encode()
		writeFile(t, filepath.Join(out, fmt.Sprintf("key-%d.json", i+1)), data)
	}
	var b strings.Builder
	b.WriteString("企业名称,统一社会信用代码,所属街道,企业类型,行业类别\n")
	for _, e := range benchRoster().Entries {
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s\n", e.Name, e.CreditCode, e.Street, e.Categories[0], e.Industry)
	}
	writeFile(t, filepath.Join(out, "roster-2000.csv"), []byte(b.String()))
	writeFile(t, filepath.Join(out, "fixture.txt"), []byte(dir+"\n"))
}
