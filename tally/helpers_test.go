package tally

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"smartdiag/assessment"
	"smartdiag/demo"
	"smartdiag/report"
)

// testKey returns a fixed key for a name, so fixtures are reproducible.
func testKey(name string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("smartdiag tally test key " + name))
	return ed25519.NewKeyFromSeed(seed[:])
}

// keyTrust trusts keys by provider name.
type keyTrust map[string]string // base64 public key → provider

func trustOf(names ...string) keyTrust {
	t := keyTrust{}
	for _, n := range names {
		t[base64.StdEncoding.EncodeToString(testKey(n).Public().(ed25519.PublicKey))] = n
	}
	return t
}

func (t keyTrust) Trusted(pub ed25519.PublicKey) (string, bool) {
	n, ok := t[base64.StdEncoding.EncodeToString(pub)]
	return n, ok
}

// code returns a valid credit code, different for each n.
func code(n int) string {
	first := fmt.Sprintf("91320115TB%07d", n)
	c, err := assessment.CreditCheckChar(first)
	if err != nil {
		panic(err)
	}
	return first + string(c)
}

var (
	baseOnce sync.Once
	baseDocs []*assessment.Document
	baseErr  error
)

// base returns finished demo documents of cmmm-full (generated once per test binary).
func base(t testing.TB) []*assessment.Document {
	baseOnce.Do(func() {
		baseDocs, baseErr = demo.Generate(demo.Options{Count: 24, Seed: 7})
	})
	if baseErr != nil {
		t.Fatal(baseErr)
	}
	return baseDocs
}

// withLevel returns the index of a base document scored at the given CMMM level.
func withLevel(t testing.TB, level int) int {
	q, err := base(t)[0].LoadQuestionnaire()
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range base(t) {
		if assessment.Score(q, d).Level == level {
			return i
		}
	}
	t.Fatalf("no base document at level %d", level)
	return 0
}

// firm describes the enterprise of a fixture document.
type firm struct {
	Name, Code, Street string
	Categories         []string
	Industry           string
}

// variant copies base document i for another firm, with a new id and finish time.
func variant(t testing.TB, i int, f firm, finished time.Time) *assessment.Document {
	b := base(t)
	raw, err := json.Marshal(b[i%len(b)])
	if err != nil {
		t.Fatal(err)
	}
	var d assessment.Document
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	id, _ := uuid.NewV7()
	d.ID = id.String()
	d.Enterprise.Name, d.Enterprise.CreditCode = f.Name, f.Code
	if f.Street != "" {
		d.Enterprise.Street = f.Street
	}
	if f.Categories != nil {
		d.Enterprise.Categories = f.Categories
	}
	if f.Industry != "" {
		d.Enterprise.Industry = f.Industry
	}
	fin := finished.UTC().Truncate(time.Second)
	d.Finished, d.Updated = &fin, fin
	return &d
}

// seal seals d with the named provider's key, as that provider's consultant, and returns the
// file bytes.
func seal(t testing.TB, d *assessment.Document, provider string) []byte {
	d.Assessor = assessment.Assessor{Name: "顾问", Organisation: provider}
	out, err := d.SealWith(testKey(provider), assessment.Signer{Name: "顾问", Organisation: provider}, d.Updated.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeFile(t testing.TB, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

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
				data := seal(b, d, providers[i%len(providers)])
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
