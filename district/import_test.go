package district_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/district"
	"smartdiag/seal"
)

func recent(days int) time.Time { return time.Now().Add(-time.Duration(days) * 24 * time.Hour) }

// contentHash is a sealed document's content hash, as the seal records it.
func contentHash(t *testing.T, data []byte) string {
	r := seal.Verify(data, nil)
	if r.SHA256 == "" {
		t.Fatalf("no hash: %+v", r)
	}
	return r.SHA256
}

// twoVersions returns two sealed documents with the same id and different content.
func twoVersions(t *testing.T) ([]byte, []byte, string) {
	a, d := sealed(t, 0, 950, recent(5), "甲服务商")
	d2 := sealedDoc(t, 1, 950, recent(4))
	d2.ID = d.ID
	b, err := seal.Seal(d2, testKey("甲服务商"), seal.Signer{Name: "顾问", Organisation: "甲服务商"}, recent(3))
	if err != nil {
		t.Fatal(err)
	}
	return a, b, d.ID
}

// folder is the regular files in dir (names → bytes), the log and lock folder aside.
func folder(t *testing.T, dir string) map[string]string {
	out := map[string]string{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Type().IsRegular() && e.Name() != district.ImportLogName {
			b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			sum := sha256.Sum256(b)
			out[e.Name()] = hex.EncodeToString(sum[:8])
		}
	}
	return out
}

// Item 6 and 2: the conflict rule is deterministic whatever the order and whichever import runs
// first; both versions are kept; <id>.sdiag holds the one with the smaller content hash.
func TestImportConflictRuleIsDeterministic(t *testing.T) {
	a, b, id := twoVersions(t)
	src := t.TempDir()
	pa, pb := write(t, src, "a.sdiag", a), write(t, src, "b.sdiag", b)
	var results []map[string]string
	for _, order := range [][]string{{pa, pb}, {pb, pa}} {
		dst := t.TempDir()
		log, err := district.Import(dst, order, trusted, nil)
		if err != nil {
			t.Fatal(err)
		}
		if log.Imported != 1 || log.Conflicts != 1 {
			t.Fatalf("%+v", log)
		}
		results = append(results, folder(t, dst))
	}
	// Two imports at once, one version each.
	dst := t.TempDir()
	var wg sync.WaitGroup
	for _, p := range []string{pa, pb} {
		wg.Go(func() {
			if _, err := district.Import(dst, []string{p}, trusted, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	results = append(results, folder(t, dst))
	for _, r := range results[1:] {
		if !equalMaps(r, results[0]) {
			t.Fatalf("the outcome depends on the order: %v vs %v", r, results[0])
		}
	}
	small, big := a, b
	if contentHash(t, b) < contentHash(t, a) {
		small, big = b, a
	}
	got, _ := os.ReadFile(filepath.Join(dst, id+assessment.Ext))
	kept, _ := os.ReadFile(filepath.Join(dst, district.ConflictName(id, contentHash(t, big))))
	if !bytes.Equal(got, small) || !bytes.Equal(kept, big) {
		t.Fatal("the versions are not where the rule puts them")
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Item 6: imports into one folder run one at a time; their log blocks never interleave.
func TestConcurrentImportsDoNotInterleave(t *testing.T) {
	dst := t.TempDir()
	var srcs []string
	for i := range 3 {
		src := t.TempDir()
		for j := range 4 {
			data, _ := sealed(t, j, 960+10*i+j, recent(3), "甲服务商")
			write(t, src, "d"+string(rune('a'+j))+".sdiag", data)
		}
		srcs = append(srcs, src)
	}
	var wg sync.WaitGroup
	for _, src := range srcs {
		wg.Go(func() {
			if _, err := district.Import(dst, []string{src}, trusted, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	text, _ := os.ReadFile(filepath.Join(dst, district.ImportLogName))
	open := false
	imported := 0
	for _, line := range strings.Split(string(text), "\n") {
		switch {
		case strings.Contains(line, "开始导入"):
			if open {
				t.Fatalf("two imports interleaved:\n%s", text)
			}
			open = true
		case strings.Contains(line, "导入完成"):
			open = false
		case strings.Contains(line, "\t已导入\t"):
			imported++
		}
	}
	if imported != 12 {
		t.Fatalf("%d imported lines:\n%s", imported, text)
	}
}

// Item 7: a write that fails part-way (disk full) leaves no half line; the next run appends whole
// lines after it.
func TestImportLogWholeLinesAfterDiskFull(t *testing.T) {
	dst := t.TempDir()
	src := t.TempDir()
	for j := range 3 {
		data, _ := sealed(t, j, 970+j, recent(3), "甲服务商")
		write(t, src, "d"+string(rune('a'+j))+".sdiag", data)
	}
	calls := 0
	*district.WriteHook = func(f *os.File, b []byte) (int, error) {
		calls++
		if calls == 4 { // the second document's line: half of it reaches the disk
			st, _ := f.Stat()
			n, _ := f.WriteAt(b[:len(b)/2], st.Size())
			return n, syscall.ENOSPC
		}
		st, _ := f.Stat()
		return f.WriteAt(b, st.Size())
	}
	_, err := district.Import(dst, []string{src}, trusted, nil)
	*district.WriteHook = nil
	if err == nil {
		t.Fatal("a failed log write was not reported")
	}
	if _, err := district.Import(dst, []string{src}, trusted, nil); err != nil {
		t.Fatal(err)
	}
	text, _ := os.ReadFile(filepath.Join(dst, district.ImportLogName))
	for i, line := range strings.Split(strings.TrimSuffix(string(text), "\n"), "\n") {
		if i == 0 || strings.HasPrefix(line, "====") {
			continue
		}
		if cols := strings.Split(line, "\t"); len(cols) != 6 {
			t.Errorf("line %d is not a whole entry: %q", i+1, line)
		}
	}
	if !strings.HasSuffix(string(text), "\n") {
		t.Error("the log does not end with a whole line")
	}
}

// Item 7: documents stored but never logged (an import killed in between) are logged on the
// next run; stale temp files are removed.
func TestImportReconcilesLogAndCleansTemps(t *testing.T) {
	dst := t.TempDir()
	data, d := sealed(t, 0, 980, recent(3), "甲服务商")
	write(t, dst, d.ID+assessment.Ext, data) // stored, the process killed before logging
	write(t, dst, "."+d.ID+".sdiag.tmp-12345", []byte("half a document"))
	other, _ := sealed(t, 1, 981, recent(3), "甲服务商")
	if _, err := district.Import(dst, []string{write(t, t.TempDir(), "o.sdiag", other)}, trusted, nil); err != nil {
		t.Fatal(err)
	}
	text, _ := os.ReadFile(filepath.Join(dst, district.ImportLogName))
	if !strings.Contains(string(text), "\t补记\t") || !strings.Contains(string(text), d.ID) {
		t.Fatalf("the unlogged document was not logged:\n%s", text)
	}
	if _, err := os.Stat(filepath.Join(dst, "."+d.ID+".sdiag.tmp-12345")); err == nil {
		t.Error("a stale temp file was left")
	}
	// Logged once: the next run adds nothing for it.
	district.Import(dst, []string{write(t, t.TempDir(), "o.sdiag", other)}, trusted, nil)
	text2, _ := os.ReadFile(filepath.Join(dst, district.ImportLogName))
	if strings.Count(string(text2), "\t补记\t") != 1 {
		t.Fatalf("reconciled twice:\n%s", text2)
	}
}

// Item 7: a symlinked log is never written through.
func TestImportRefusesSymlinkedLog(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges")
	}
	dst := t.TempDir()
	outside := filepath.Join(t.TempDir(), "victim.txt")
	os.WriteFile(outside, []byte("keep me\n"), 0o644)
	if err := os.Symlink(outside, filepath.Join(dst, district.ImportLogName)); err != nil {
		t.Skip(err)
	}
	data, _ := sealed(t, 0, 990, recent(3), "甲服务商")
	_, err := district.Import(dst, []string{write(t, t.TempDir(), "a.sdiag", data)}, trusted, nil)
	if err == nil || !strings.Contains(err.Error(), "符号链接") {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(outside); string(b) != "keep me\n" {
		t.Fatalf("written through the link: %q", b)
	}
}

// Item 2 at import: a revision whose superseded document is already in the folder is checked
// against it; another provider's claim is refused and the genuine document stays.
func TestImportRefusesForeignRevision(t *testing.T) {
	dst := t.TempDir()
	genuine, g := sealed(t, 0, 1010, recent(10), "甲服务商")
	if _, err := district.Import(dst, []string{write(t, t.TempDir(), "g.sdiag", genuine)}, trusted, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, provider string
		firm           int
		ok             bool
	}{{"same firm and key", "甲服务商", 1010, true}, {"other provider", "乙服务商", 1010, false}, {"other firm", "甲服务商", 1011, false}} {
		t.Run(tc.name, func(t *testing.T) {
			d := sealedDoc(t, 1, tc.firm, recent(2))
			d.Supersedes = g.ID
			d.Assessor = assessment.Assessor{Name: "顾问", Organisation: tc.provider}
			data, err := seal.Seal(d, testKey(tc.provider), seal.Signer{Name: "顾问", Organisation: tc.provider}, recent(1))
			if err != nil {
				t.Fatal(err)
			}
			log, err := district.Import(dst, []string{write(t, t.TempDir(), "rev.sdiag", data)}, trusted, nil)
			if err != nil {
				t.Fatal(err)
			}
			e := log.Entries[0]
			if tc.ok != (e.Result == district.ImportImported) || !tc.ok && (e.Status != district.StatusBadRevision || !strings.Contains(e.Reason, "修订无效")) {
				t.Fatalf("%+v", e)
			}
		})
	}
}
