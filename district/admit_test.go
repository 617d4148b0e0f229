package district_test

import (
	"cmp"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/district"
	"smartdiag/regfile/fifotest"
	"smartdiag/seal"
	"smartdiag/seal/sealtest"
)

var trusted = sealtest.TrustOf("甲服务商", "乙服务商")

// sealed returns the sealed bytes of a variant of base document i for firm n, finished at fin
// and sealed an hour later by provider's key.
func sealed(t *testing.T, i, n int, fin time.Time, provider string) ([]byte, *assessment.Document) {
	t.Helper()
	d := sealedDoc(t, i, n, fin)
	d.Assessor = assessment.Assessor{Name: "顾问", Organisation: provider}
	out, err := seal.Seal(d, sealtest.Key(provider), seal.Signer{Name: "顾问", Organisation: provider}, fin.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return out, d
}

var testKey = sealtest.Key

// sealedDoc is a finished variant of base document i for firm n.
func sealedDoc(t *testing.T, i, n int, fin time.Time) *assessment.Document {
	d := sealtest.Variant(t, i, sealtest.Firm{Name: "测试企业" + sealtest.Code(n)[12:], Code: sealtest.Code(n)}, fin)
	d.Assessor = assessment.Assessor{Name: "顾问", Organisation: "甲服务商"}
	return d
}

func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	return sealtest.WriteFile(t, filepath.Join(dir, name), data)
}

func importOne(t *testing.T, path string) district.ImportEntry {
	t.Helper()
	log, err := district.Import(filepath.Join(t.TempDir(), "区"), []string{path}, trusted, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(log.Entries) != 1 {
		t.Fatalf("%d entries", len(log.Entries))
	}
	return log.Entries[0]
}

// Item 1: a sealed document with required items unanswered (as versions before the fix sealed)
// is refused by import with the reason; Seal itself refuses it.
func TestImportRejectsIncompleteSealedDocument(t *testing.T) {
	fin := time.Now().Add(-48 * time.Hour)
	d := sealtest.Variant(t, 0, sealtest.Firm{Name: "空白企业", Code: sealtest.Code(901)}, fin)
	d.Answers = map[string]*assessment.Answer{}
	if _, err := seal.Seal(d, sealtest.Key("甲服务商"), seal.Signer{Name: "顾问"}, fin); err == nil || !strings.Contains(err.Error(), "必答题") {
		t.Fatalf("Seal of an empty finished document: %v", err)
	}
	data, err := seal.SignUnchecked(d, sealtest.Key("甲服务商"), seal.Signer{Name: "顾问"}, fin)
	if err != nil {
		t.Fatal(err)
	}
	e := importOne(t, write(t, t.TempDir(), "empty.sdiag", data))
	if e.Result != district.ImportRejected || e.Status != district.StatusIncomplete || !strings.Contains(e.Reason, "必答题未回答") {
		t.Fatalf("entry = %+v", e)
	}
}

// Item 4: dates in the future beyond a day of skew, or before 2020, are refused with a reason;
// within the skew they are accepted.
func TestImportRejectsImplausibleDates(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		name string
		fin  time.Time
		ok   bool
	}{
		{"yesterday", now.Add(-24 * time.Hour), true},
		{"within the skew", now.Add(20 * time.Hour), true}, // sealed an hour later: still inside
		{"2099", time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"three days ahead", now.Add(72 * time.Hour), false},
		{"2019", time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, _ := sealed(t, 0, 910, tc.fin, "甲服务商")
			e := importOne(t, write(t, t.TempDir(), "d.sdiag", data))
			if tc.ok {
				if e.Result != district.ImportImported {
					t.Fatalf("entry = %+v", e)
				}
				return
			}
			if e.Result != district.ImportRejected || e.Status != district.StatusBadDate || !strings.Contains(e.Reason, "日期不可信") {
				t.Fatalf("entry = %+v", e)
			}
		})
	}
}

// Item 11: a FIFO named as input is refused at once with a clear error, never read.
func TestImportRefusesFIFO(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	p := filepath.Join(t.TempDir(), "pipe.sdiag")
	if err := fifotest.Make(p, 0o644); err != nil {
		t.Skip(err)
	}
	done := make(chan district.ImportEntry, 1)
	go func() { done <- importOne(t, p) }()
	select {
	case e := <-done:
		if e.Result != district.ImportRejected || !strings.Contains(e.Reason, "不是普通文件") {
			t.Fatalf("entry = %+v", e)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("import blocked on a FIFO")
	}
}

// Item 12: a huge file is refused from its size, before reading, naming the limit.
func TestReadInputChecksSizeFirst(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.sdiag")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(3 << 30); err != nil { // sparse: no disk used
		t.Skip(err)
	}
	f.Close()
	var ms1, ms2 runtime.MemStats
	runtime.ReadMemStats(&ms1)
	_, err = district.ReadInput(p, nil)
	runtime.ReadMemStats(&ms2)
	if err == nil || !strings.Contains(err.Error(), "上限") || !strings.Contains(err.Error(), "16 MB") {
		t.Fatalf("err = %v", err)
	}
	if n := ms2.TotalAlloc - ms1.TotalAlloc; n > 1<<20 {
		t.Errorf("allocated %d bytes refusing a huge file", n)
	}
}

// ExamineScored and ExamineDocument score a document once and take its missing items from the
// score: the verdict is AdmitWhy's (and Examine's), and the score is assessment.Score's, on
// complete, partly and not answered documents.
func TestExamineScoresOnceWithAdmitsVerdict(t *testing.T) {
	fin := time.Now().Add(-48 * time.Hour)
	now := time.Now()
	for _, keep := range []int{-1, 40, 5, 0} { // all answers, the first 40, 5, none
		d := sealtest.Variant(t, 1, sealtest.Firm{Name: "部分企业", Code: sealtest.Code(902)}, fin)
		if keep >= 0 {
			ids := make([]string, 0, len(d.Answers))
			for id := range d.Answers {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			for _, id := range ids[min(keep, len(ids)):] {
				delete(d.Answers, id)
			}
		}
		data, err := seal.SignUnchecked(d, sealtest.Key("甲服务商"), seal.Signer{Name: "顾问", Organisation: "甲服务商"}, fin)
		if err != nil {
			t.Fatal(err)
		}
		x := district.ExamineDocument(data, trusted, now)
		if x.Doc == nil || x.Score == nil {
			t.Fatalf("keep %d: not examined: %+v", keep, x.Status)
		}
		status, why := district.AdmitWhy(x.Doc, x.Q, x.Result.SealedAt, now)
		if want := cmp.Or(status, seal.VerifyValid); x.Status != want || (why != nil && x.Reason != why.Error()) {
			t.Errorf("keep %d: examined %s %q, AdmitWhy %s %v", keep, x.Status, x.Reason, status, why)
		}
		want := assessment.Score(x.Q, x.Doc)
		want.Notes = nil // not worked out for counting
		if !reflect.DeepEqual(x.Score, want) {
			t.Errorf("keep %d: score %+v, want %+v", keep, x.Score, want)
		}
		if keep == 5 && x.Status != district.StatusIncomplete {
			t.Errorf("5 answers: %s", x.Status)
		}
		// From a file: Examine (import, verify) gives the same verdict without scoring,
		// ExamineScored (the tally) with the same score.
		in := district.CollectInputs([]string{write(t, t.TempDir(), "d.sdiag", data)}, "")[0]
		plain, scored := district.Examine(in, trusted, now, nil), district.ExamineScored(in, trusted, now, nil)
		if plain.Status != x.Status || plain.Reason != x.Reason || plain.Score != nil {
			t.Errorf("keep %d: Examine %s %q (score %v), want %s %q without a score", keep, plain.Status, plain.Reason, plain.Score != nil, x.Status, x.Reason)
		}
		if scored.Status != x.Status || scored.Reason != x.Reason || !reflect.DeepEqual(scored.Score, x.Score) {
			t.Errorf("keep %d: ExamineScored %s %q, want %s %q and the same score", keep, scored.Status, scored.Reason, x.Status, x.Reason)
		}
	}
}
