package tally

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/report"
	"smartdiag/seal/sealtest"
	"smartdiag/tally/tallytest"
)

// The fixtures are shared with the seal package's tests (seal/sealtest).
var (
	testKey   = sealtest.Key
	trustOf   = sealtest.TrustOf
	code      = sealtest.Code
	base      = sealtest.Base
	withLevel = sealtest.WithLevel
	variant   = sealtest.Variant
	writeFile = sealtest.WriteFile
)

type (
	firm     = sealtest.Firm
	keyTrust = sealtest.KeyTrust
)

var sealDoc = tallytest.Seal

// bulkFixture writes n sealed documents (cmmm-full, firms code(0)…) to a folder kept between
// benchmark runs, since sealing 10,000 documents takes a while.
func bulkFixture(b testing.TB, n int) string {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("smartdiag-tally-bench-%d-v2", n))
	if entries, err := os.ReadDir(dir); err == nil && len(entries) == n {
		return dir
	}
	os.RemoveAll(dir)
	tmp := dir + ".tmp"
	os.RemoveAll(tmp)
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		b.Fatal(err)
	}
	streets := []string{"东山街道", "秣陵街道", "汤山街道", "淳化街道", "禄口街道", "江宁街道", "谷里街道", "湖熟街道", "横溪街道", "麒麟街道"}
	providers := []string{"甲服务商", "乙服务商", "丙服务商"}
	start := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	jobs := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range jobs {
				// Firms 0…n/5-1 on a 2,000-firm roster get a second diagnosis later on.
				f := firm{Name: fmt.Sprintf("南京测试%05d有限公司", i%(n*4/5+1)), Code: code(i % (n*4/5 + 1)), Street: streets[i%len(streets)]}
				d := variant(b, i, f, start.Add(time.Duration(i)*37*time.Minute))
				data := sealDoc(b, d, providers[i%len(providers)])
				writeFile(b, filepath.Join(tmp, d.ID+assessment.Ext), data)
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := os.Rename(tmp, dir); err != nil {
		b.Fatal(err)
	}
	return dir
}

// reportPDF renders the report of a sealed document, which carries the document's bytes.
func reportPDF(t testing.TB, sealed []byte) []byte {
	d, q, err := assessment.Open(sealed)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := report.Render(q, d, report.Options{Created: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}
