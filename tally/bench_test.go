package tally

import (
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/district"
	"smartdiag/seal"
	"smartdiag/tally/tallytest"
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

// BenchmarkExamineScored is a tally's work on one document (readDiagnosis without the facts):
// read with pooled buffers, seal, decoding, completeness and score (issue 16).
func BenchmarkExamineScored(b *testing.B) {
	data := sealDoc(b, variant(b, 0, firm{Name: "南京基准有限公司", Code: code(1)}, time.Now().Add(-time.Hour)), "甲服务商")
	path := filepath.Join(b.TempDir(), "d.sdiag")
	writeFile(b, path, data)
	in := district.CollectInputs([]string{path}, "")[0]
	trust := trustOf("甲服务商")
	now := time.Now()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		buf := district.GetBuffers()
		x := district.ExamineScored(in, trust, now, buf)
		if !x.Valid() || x.Score == nil {
			b.Fatal(x.Status, x.Reason)
		}
		district.PutBuffers(buf)
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

// BenchmarkTally50000 tallies 50,000 sealed documents (about 1.4 GB on disk) against the
// 2,000-firm roster; the figure that matters is the peak heap (target ≤ 400 MB). Its fixture
// takes minutes to make the first time and is kept in $TMPDIR.
func BenchmarkTally50000(b *testing.B) {
	dir := bulkFixture(b, 50000)
	roster := benchRoster()
	trust := trustOf("甲服务商", "乙服务商", "丙服务商")
	var peak uint64
	for b.Loop() {
		stop := sampleHeap(&peak)
		// The fixture's diagnoses are 37 minutes apart, until 2029.
		res, err := TallyWith([]string{dir}, Options{Roster: roster, Trusted: trust, Now: time.Date(2029, 12, 1, 0, 0, 0, 0, cst)})
		stop()
		if err != nil {
			b.Fatal(err)
		}
		if res.Diagnoses.Valid != 50000 {
			b.Fatalf("valid %d of 50000", res.Diagnoses.Valid)
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

var (
	bulkFixture = tallytest.BulkFixture
	benchRoster = tallytest.BenchRoster
	sampleHeap  = tallytest.SampleHeap
)
