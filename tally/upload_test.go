package tally

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"smartdiag/assessment"
)

// TestTallyDiagnosesMatchesTallyWith: a server that verifies uploads one by one with CheckUpload
// and tallies the kept facts later gets the same result as the file-based tally of the same files.
func TestTallyDiagnosesMatchesTallyWith(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	var files []string
	for i := range 8 {
		f := firm{Name: "上传测试有限公司", Code: code(900 + i%5), Street: "东山街道"}
		d := variant(t, i, f, start.Add(time.Duration(i)*48*time.Hour))
		files = append(files, writeFile(t, filepath.Join(dir, d.ID+assessment.Ext), sealDoc(t, d, []string{"甲服务商", "乙服务商"}[i%2])))
	}
	// One from an unknown key and one that is not a document at all.
	other := variant(t, 3, firm{Name: "未知", Code: code(990)}, start)
	files = append(files, writeFile(t, filepath.Join(dir, "x-"+other.ID+assessment.Ext), sealDoc(t, other, "丙服务商")))
	files = append(files, writeFile(t, filepath.Join(dir, "y.pdf"), []byte("not a pdf")))
	// The report PDF of the first document: CheckUpload reads the document inside.
	first, _ := os.ReadFile(files[0])
	files = append(files, writeFile(t, filepath.Join(dir, "z.pdf"), reportPDF(t, first)))

	trust := trustOf("甲服务商", "乙服务商")
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	want, err := TallyWith(files, Options{Trusted: trust, Now: now, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	var docs []*Diagnosis
	var rejected []Rejected
	for _, f := range files {
		data, _ := os.ReadFile(f)
		doc, d, rej := CheckUpload(f, data, trust)
		if rej != nil {
			rejected = append(rejected, *rej)
			continue
		}
		if d.ID == "" || len(doc) == 0 || !json.Valid(doc) {
			t.Fatalf("%s: accepted without id or document bytes", f)
		}
		docs = append(docs, d)
	}
	if len(rejected) != 2 {
		t.Fatalf("rejected %d, want 2 (unknown key, not a PDF): %+v", len(rejected), rejected)
	}
	got := TallyDiagnoses(docs, rejected, Options{Trusted: trust, Now: now})
	// Tallying twice from the same facts gives the same result: the facts are not mutated.
	again := TallyDiagnoses(docs, rejected, Options{Trusted: trust, Now: now})
	wj, _ := json.Marshal(want)
	gj, _ := json.Marshal(got)
	aj, _ := json.Marshal(again)
	if string(wj) != string(gj) {
		t.Errorf("TallyDiagnoses differs from TallyWith:\n got %s\nwant %s", gj, wj)
	}
	if string(gj) != string(aj) {
		t.Error("a second TallyDiagnoses over the same facts differs")
	}
	if got.Diagnoses.Copies != 1 || got.Diagnoses.Counted != 5 {
		t.Errorf("copies %d counted %d, want 1 and 5", got.Diagnoses.Copies, got.Diagnoses.Counted)
	}
}
