// Package tallytest is the small hand-checked district of the tally's tests (six roster firms,
// one off the roster, eight documents), shared by the tests of tally and its exports.
package tallytest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"smartdiag/assessment"
	"smartdiag/district"
	"smartdiag/questionnaires"
	"smartdiag/roster"
	"smartdiag/seal"
	"smartdiag/seal/sealtest"
)

// Seal seals d with the named provider's fixed key, as that provider's consultant, and returns
// the file bytes.
func Seal(t testing.TB, d *assessment.Document, provider string) []byte {
	d.Assessor = assessment.Assessor{Name: "顾问", Organisation: provider}
	out, err := seal.Seal(d, sealtest.Key(provider), assessment.Signer{Name: "顾问", Organisation: provider}, d.Updated.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The bundled profile's three categories (规上工业企业, 高成长性企业, 新开工企业), taken from its data
// as a roster import takes them, so no Go code names a district's categories.
var (
	bundledCategories                = questionnaires.BundledDistrict().CategoryKeys()
	AboveScale, HighGrowth, NewStart = bundledCategories[0], bundledCategories[1], bundledCategories[2]
)

// The small district of the hand-checked tests: six firms on the roster (F1…F6), plus sealtest.Firm X
// that is not on it.
var (
	F1 = sealtest.Firm{Name: "南京一号机械有限公司", Code: sealtest.Code(1), Street: "东山街道", Categories: []string{AboveScale}, Industry: "34"}
	F2 = sealtest.Firm{Name: "南京二号汽车部件有限公司", Code: sealtest.Code(2), Street: "秣陵街道", Categories: []string{AboveScale, HighGrowth}, Industry: "36"}
	F3 = sealtest.Firm{Name: "南京三号电子有限公司", Code: sealtest.Code(3), Street: "东山街道", Categories: []string{HighGrowth}, Industry: "39"}
	F4 = sealtest.Firm{Name: "南京四号装备有限公司", Code: sealtest.Code(4), Street: "汤山街道", Categories: []string{NewStart}, Industry: "34"}
	F5 = sealtest.Firm{Name: "南京五号电气有限公司", Code: sealtest.Code(5), Street: "秣陵街道", Categories: []string{AboveScale}, Industry: "38"}
	F6 = sealtest.Firm{Name: "南京六号药业有限公司", Code: sealtest.Code(6), Street: "汤山街道", Categories: []string{NewStart}, Industry: "27"}
	FX = sealtest.Firm{Name: "南京名册外科技有限公司", Code: sealtest.Code(90), Street: "江宁街道", Categories: []string{HighGrowth}, Industry: "35"}
)

// SmallRoster is the roster CSV: the six firms, a row with a bad credit sealtest.Code (row 8) and F1
// again (row 9).
func SmallRoster(t testing.TB) *roster.Roster {
	var b strings.Builder
	b.WriteString("序号,企业名称,统一社会信用代码,所属街道,企业类型,行业类别\n")
	for i, f := range []sealtest.Firm{F1, F2, F3, F4, F5, F6} {
		fmt.Fprintf(&b, "%d,%s,%s,%s,%s,%s\n", i+1, f.Name, f.Code, f.Street, strings.Join(f.Categories, "、"), f.Industry)
	}
	bad := sealtest.Code(7)
	bad = bad[:17] + map[bool]string{true: "1", false: "0"}[bad[17] == '0']
	fmt.Fprintf(&b, "7,南京七号有限公司,%s,东山街道,规上工业企业,34\n", bad)
	fmt.Fprintf(&b, "8,%s,%s,东山街道,规上工业企业,34\n", F1.Name, F1.Code)
	r, err := roster.ParseCSV("roster.csv", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if r.Valid() != 6 || len(r.Invalid) != 1 || len(r.Duplicates) != 1 {
		t.Fatalf("fixture roster: %d valid, invalid %v, duplicates %v", r.Valid(), r.Invalid, r.Duplicates)
	}
	return r
}

func At(month time.Month, day int) time.Time {
	return time.Date(2026, month, day, 2, 0, 0, 0, time.UTC)
}

type SmallDistrict struct {
	Dir   string
	Files map[string]string // D1…D8 → path
	IDs   map[string]string
}

// WriteSmallDistrict writes the eight documents:
//
//	D1 F1, provider 甲, 2026-03-10, level 1: counted
//	D2 F2, provider 甲, 2026-04-05, level 1: earlier diagnosis of F2
//	D3 F2, provider 乙, 2026-06-20, level 2: counted (F2 diagnosed twice: a duplicate, progress 1 → 2)
//	D4 F3, provider 乙, 2026-05-15, level 3: superseded by D5
//	D5 F3, provider 乙, 2026-05-20, level 2: the revision of D4, counted
//	D6 F4, provider 甲: one byte changed after sealing: tampered
//	D7 F5, provider 丙, whose key is not trusted: unknown signer
//	D8 X (not on the roster), provider 甲, 2026-07-01, level 0: counted, off the roster
//
// F6 has no diagnosis.
func WriteSmallDistrict(t testing.TB) SmallDistrict {
	dir := t.TempDir()
	s := SmallDistrict{Dir: dir, Files: map[string]string{}, IDs: map[string]string{}}
	put := func(name string, data []byte, id string) {
		s.Files[name] = sealtest.WriteFile(t, filepath.Join(dir, name+".sdiag"), data)
		s.IDs[name] = id
	}
	mk := func(name string, level int, f sealtest.Firm, fin time.Time, provider string, edit func(*assessment.Document)) []byte {
		d := sealtest.Variant(t, sealtest.WithLevel(t, level), f, fin)
		if edit != nil {
			edit(d)
		}
		data := Seal(t, d, provider)
		put(name, data, d.ID)
		return data
	}
	mk("D1", 1, F1, At(3, 10), "甲服务商", nil)
	mk("D2", 1, F2, At(4, 5), "甲服务商", nil)
	mk("D3", 2, F2, At(6, 20), "乙服务商", nil)
	mk("D4", 3, F3, At(5, 15), "乙服务商", nil)
	mk("D5", 2, F3, At(5, 20), "乙服务商", func(d *assessment.Document) { d.Supersedes = s.IDs["D4"] })
	d6 := mk("D6", 2, F4, At(6, 1), "甲服务商", nil)
	i := bytes.Index(d6, []byte(`"value": "full"`))
	d6 = bytes.Clone(d6)
	copy(d6[i:], `"value": "none"`)
	put("D6", d6, s.IDs["D6"])
	mk("D7", 2, F5, At(6, 2), "丙服务商", nil)
	mk("D8", 0, FX, At(7, 1), "甲服务商", nil)
	return s
}

var SmallTrust = sealtest.TrustOf("甲服务商", "乙服务商")

// AsOf is the tally date of the hand-checked tests: 2026-08-01 in China.
var AsOf = time.Date(2026, 8, 1, 9, 0, 0, 0, district.CST)

// BulkFixture writes n sealed documents (cmmm-full, firms sealtest.Code(0)…) to a folder kept between
// benchmark runs, since sealing 10,000 documents takes a while.
func BulkFixture(b testing.TB, n int) string {
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
				// Firms 0…n/5-1 on a 2,000-sealtest.Firm roster get a second diagnosis later on.
				f := sealtest.Firm{Name: fmt.Sprintf("南京测试%05d有限公司", i%(n*4/5+1)), Code: sealtest.Code(i % (n*4/5 + 1)), Street: streets[i%len(streets)]}
				d := sealtest.Variant(b, i, f, start.Add(time.Duration(i)*37*time.Minute))
				data := Seal(b, d, providers[i%len(providers)])
				sealtest.WriteFile(b, filepath.Join(tmp, d.ID+assessment.Ext), data)
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

// BenchRoster is a 2,000-sealtest.Firm roster: 1,200 firms of the bulk fixture and 800 not diagnosed.
func BenchRoster() *roster.Roster {
	streets := []string{"东山街道", "秣陵街道", "汤山街道", "淳化街道", "禄口街道", "江宁街道", "谷里街道", "湖熟街道", "横溪街道", "麒麟街道"}
	r := &roster.Roster{File: "bench.xlsx", HeaderRow: 1}
	for i := range 2000 {
		n := i
		if i >= 1200 {
			n = 20000 + i
		}
		r.Entries = append(r.Entries, roster.Entry{Row: i + 2, Name: fmt.Sprintf("南京测试%05d有限公司", n), CreditCode: sealtest.Code(n),
			Street: streets[i%len(streets)], Categories: []string{AboveScale, HighGrowth, NewStart}[i%3 : i%3+1], Industry: "34"})
	}
	r.Rows = len(r.Entries)
	return r
}

// SampleHeap records the peak of the Go heap (in use plus garbage not yet collected) every few
// milliseconds until stop is called.
func SampleHeap(peak *uint64) (stop func()) {
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

// BenchRosterXLSX writes, once per n, an Excel roster of n firms as an office exports it: the
// 2,000 firms of BenchRoster first (so 1,200 of the bulk fixture's firms are on it), then firms
// never diagnosed. It returns the file's path in $TMPDIR.
func BenchRosterXLSX(tb testing.TB, n int) string {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("smartdiag-bench-roster-%d-v1.xlsx", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(sw.SetRow("A1", []any{"序号", "企业名称", "统一社会信用代码", "所属街道", "企业类型", "行业类别", "联系人", "联系电话"}))
	base := BenchRoster().Entries
	streets := []string{"东山街道", "秣陵街道", "汤山街道", "淳化街道", "禄口街道", "江宁街道", "谷里街道", "湖熟街道", "横溪街道", "麒麟街道"}
	for i := range n {
		var name, code, street, cat string
		if i < len(base) {
			e := base[i]
			name, code, street, cat = e.Name, e.CreditCode, e.Street, e.Categories[0]
		} else {
			name, code, street, cat = fmt.Sprintf("南京名册%05d有限公司", i), sealtest.Code(100000+i), streets[i%len(streets)], AboveScale
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		must(sw.SetRow(cell, []any{i + 1, name, code, street, cat, "34", "王经理", fmt.Sprintf("1380000%04d", i%10000)}))
	}
	must(sw.Flush())
	tmp := path + ".tmp.xlsx"
	must(f.SaveAs(tmp))
	must(os.Rename(tmp, path))
	return path
}
