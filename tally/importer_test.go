package tally

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/district"
	"smartdiag/seal"
)

func cloneDoc(t *testing.T, d *assessment.Document) *assessment.Document {
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var c assessment.Document
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

func TestImportIsIdempotentAndRejectsWithReasons(t *testing.T) {
	s := writeSmallDistrict(t)
	src := t.TempDir()
	for _, name := range []string{"D1", "D6", "D7"} {
		data, _ := os.ReadFile(s.Files[name])
		writeFile(t, filepath.Join(src, name+".sdiag"), data)
	}
	d3, _ := os.ReadFile(s.Files["D3"])
	writeFile(t, filepath.Join(src, "nested", "deeper", "D3.sdiag"), d3)
	d2, _ := os.ReadFile(s.Files["D2"])
	writeFile(t, filepath.Join(src, "reports", "D2 报告.pdf"), reportPDF(t, d2))
	unsealed, _ := variant(t, 0, f6, at(6, 3)).Encode()
	writeFile(t, filepath.Join(src, "unsealed.sdiag"), unsealed)
	writeFile(t, filepath.Join(src, "garbage.sdiag"), []byte("{\"format\": \"smartdiag.diagnosis/1\", "))
	writeFile(t, filepath.Join(src, "fake.pdf"), []byte("not a pdf"))
	writeFile(t, filepath.Join(src, ".hidden.sdiag.tmp-1"), []byte("a leftover temp file"))
	writeFile(t, filepath.Join(src, "readme.txt"), []byte("ignored"))

	dst := filepath.Join(t.TempDir(), "区工作区")
	var calls [][2]int
	log, err := district.Import(dst, []string{src}, smallTrust, func(done, total int) { calls = append(calls, [2]int{done, total}) })
	if err != nil {
		t.Fatal(err)
	}
	byFile := map[string]district.ImportEntry{}
	for _, e := range log.Entries {
		byFile[filepath.Base(e.File)] = e
	}
	want := map[string][2]string{
		"D1.sdiag":       {district.ImportImported, seal.VerifyValid},
		"D3.sdiag":       {district.ImportImported, seal.VerifyValid},
		"D2 报告.pdf":      {district.ImportImported, seal.VerifyValid},
		"D6.sdiag":       {district.ImportRejected, seal.VerifyTampered},
		"D7.sdiag":       {district.ImportRejected, seal.VerifyUnknownSigner},
		"unsealed.sdiag": {district.ImportRejected, seal.VerifyUnsealed},
		"garbage.sdiag":  {district.ImportRejected, seal.VerifyUnreadable},
		"fake.pdf":       {district.ImportRejected, seal.VerifyUnreadable},
	}
	if len(byFile) != len(want) || log.Files != len(want) {
		t.Fatalf("entries: %+v", log.Entries)
	}
	for f, w := range want {
		e := byFile[f]
		if e.Result != w[0] || e.Status != w[1] || e.Reason == "" {
			t.Errorf("%s: %+v, want %v", f, e, w)
		}
	}
	if log.Imported != 3 || log.Rejected != 5 || log.Skipped != 0 || log.Conflicts != 0 {
		t.Fatalf("counts: %+v", log)
	}
	if n := len(calls); n != len(want) || calls[n-1] != [2]int{len(want), len(want)} {
		t.Fatalf("progress: %v", calls)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i][0] != calls[i-1][0]+1 {
			t.Fatalf("progress not in order: %v", calls)
		}
	}
	// Stored byte for byte under <id>.sdiag, the PDF's document included, and still valid.
	for name, data := range map[string][]byte{"D1": nil, "D2": d2, "D3": d3} {
		if data == nil {
			data, _ = os.ReadFile(s.Files[name])
		}
		got, err := os.ReadFile(filepath.Join(dst, s.IDs[name]+".sdiag"))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%s stored differently (%v)", name, err)
		}
		if r := seal.Verify(got, smallTrust); r.Status != seal.VerifyValid {
			t.Fatalf("%s: %+v", name, r)
		}
	}
	entries, _ := os.ReadDir(dst)
	entries = slices.DeleteFunc(entries, func(e os.DirEntry) bool { return e.Name() == district.LockDir })
	if len(entries) != 4 { // three documents and the log
		t.Fatalf("workspace: %v", entries)
	}

	// Again: everything already there is skipped, nothing is written.
	log2, err := district.Import(dst, []string{src}, smallTrust, nil)
	if err != nil {
		t.Fatal(err)
	}
	if log2.Imported != 0 || log2.Skipped != 3 || log2.Rejected != 5 {
		t.Fatalf("second import: %+v", log2)
	}

	// The same document sealed again later (same id and content, another seal): skipped. The same
	// id with other content: a conflict; both versions are kept (the smaller content hash under
	// the main name) for the office to decide.
	d := variant(t, 3, f1, at(3, 10))
	first := sealDoc(t, cloneDoc(t, d), "甲服务商")
	again := cloneDoc(t, d)
	again.Assessor = assessment.Assessor{Name: "顾问", Organisation: "甲服务商"} // as seal sets it
	later, err := seal.Seal(again, testKey("乙服务商"), assessment.Signer{Name: "另一位顾问"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	changed := cloneDoc(t, d)
	changed.Enterprise.Employees++
	other := sealDoc(t, changed, "甲服务商")
	in := t.TempDir()
	p1 := writeFile(t, filepath.Join(in, "first.sdiag"), first)
	p2 := writeFile(t, filepath.Join(in, "later.sdiag"), later)
	p3 := writeFile(t, filepath.Join(in, "other.sdiag"), other)
	if _, err := district.Import(dst, []string{p1}, smallTrust, nil); err != nil {
		t.Fatal(err)
	}
	log3, err := district.Import(dst, []string{p2, p3}, smallTrust, nil)
	if err != nil {
		t.Fatal(err)
	}
	if e := log3.Entries[0]; e.Result != district.ImportSkipped || !strings.Contains(e.Reason, "内容相同") {
		t.Fatalf("resealed: %+v", e)
	}
	if e := log3.Entries[1]; e.Result != district.ImportConflict || !strings.Contains(e.Reason, "内容不同") {
		t.Fatalf("conflict: %+v", e)
	}
	small, big := first, other
	if h1, h2 := seal.Verify(first, nil).SHA256, seal.Verify(other, nil).SHA256; h2 < h1 {
		small, big = other, first
	}
	got, _ := os.ReadFile(filepath.Join(dst, d.ID+".sdiag"))
	kept, _ := os.ReadFile(filepath.Join(dst, district.ConflictName(d.ID, seal.Verify(big, nil).SHA256)))
	if !bytes.Equal(got, small) || !bytes.Equal(kept, big) {
		t.Fatal("a conflict lost a version or broke the rule")
	}

	// The log keeps every run, one line per file, readable as text.
	text, err := os.ReadFile(log.LogFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(text)), "\n")
	if !strings.HasPrefix(lines[0], "\ufeff时间\t结果") || strings.Count(string(text), "开始导入") != 4 || strings.Count(string(text), "导入完成") != 4 {
		t.Fatalf("log:\n%s", text)
	}
	for _, w := range []string{"已导入\t" + filepath.Join(src, "D1.sdiag"), "拒收\t" + filepath.Join(src, "D6.sdiag"), "跳过（已有）", "冲突\t" + p3, "签名不符"} {
		if !strings.Contains(string(text), w) {
			t.Errorf("log has no %q:\n%s", w, text)
		}
	}
	if len(lines) != 1+4*2+8+8+1+2 {
		t.Errorf("%d log lines:\n%s", len(lines), text)
	}
	// No temporary file is left behind.
	entries, _ = os.ReadDir(dst)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") && e.Name() != district.LockDir {
			t.Fatalf("left over: %s", e.Name())
		}
	}
}

func TestImportIntoItselfAndMissingPaths(t *testing.T) {
	s := writeSmallDistrict(t)
	dst := t.TempDir()
	if _, err := district.Import(dst, []string{s.Dir}, smallTrust, nil); err != nil {
		t.Fatal(err)
	}
	// Importing the workspace into itself, or a folder that contains it, finds nothing new.
	log, err := district.Import(dst, []string{dst, filepath.Join(s.Dir, "missing.sdiag")}, smallTrust, nil)
	if err != nil {
		t.Fatal(err)
	}
	if log.Files != 1 || log.Entries[0].Result != district.ImportRejected || !strings.Contains(log.Entries[0].Reason, "无法读取") {
		t.Fatalf("%+v", log.Entries)
	}
	// The tally of the workspace sees what was imported.
	res, err := TallyWith([]string{dst}, Options{Roster: smallRoster(t), Trusted: smallTrust, Now: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if res.Diagnoses.Files != 6 || res.Diagnoses.Counted != 4 || len(res.Diagnoses.Rejected) != 0 {
		t.Fatalf("%+v", res.Diagnoses)
	}
}
