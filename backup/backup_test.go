package backup

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/demo"
)

var now = time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)

// demoWorkspace fills a folder with n demo diagnoses, evidence files beside every tenth one, a
// recycled file and a lock folder (which a backup must leave out).
func demoWorkspace(t testing.TB, dir string, n int) {
	t.Helper()
	docs, err := demo.Generate(demo.Options{Count: n, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	ws, err := assessment.OpenWorkspace(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range docs {
		if err := ws.Save(d); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 {
			ev := filepath.Join(dir, d.ID+".files", fmt.Sprintf("1.1-%04d-车间照片.jpg", i))
			os.MkdirAll(filepath.Dir(ev), 0o755)
			data := bytes.Repeat([]byte{byte(i), 0xff, 0xd8, 0}, 1000+i)
			if err := os.WriteFile(ev, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	rec := filepath.Join(dir, assessment.RecycleDir, docs[0].ID, "20261130-101010-旧照片.png")
	os.MkdirAll(filepath.Dir(rec), 0o755)
	os.WriteFile(rec, []byte("old photo"), 0o644)
	os.MkdirAll(filepath.Join(dir, assessment.LockDir), 0o755)
	os.WriteFile(filepath.Join(dir, assessment.LockDir, "x.lock"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, ".a.sdiag.tmp-123"), []byte("half"), 0o644)
}

// tree maps every file (relative, slash-separated) to its content, leaving out locks and temp files.
func tree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			if rel == assessment.LockDir {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.Contains(d.Name(), ".tmp-") {
			return nil
		}
		b, _ := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	return out
}

func TestRoundTrip200DiagnosesByteForByte(t *testing.T) {
	src := t.TempDir()
	demoWorkspace(t, src, 200)
	out := filepath.Join(t.TempDir(), "U盘", "备份.zip")
	m, err := Create(src, out, now)
	if err != nil {
		t.Fatal(err)
	}
	want := tree(t, src)
	if len(m.Files) != len(want) {
		t.Fatalf("manifest lists %d files, workspace has %d", len(m.Files), len(want))
	}
	docs := 0
	for p := range want {
		if strings.HasSuffix(p, ".sdiag") {
			docs++
		}
	}
	if docs != 200 || len(want) < 221 {
		t.Fatalf("workspace has %d documents, %d files", docs, len(want))
	}
	dst := filepath.Join(t.TempDir(), "新工作区")
	res, err := Restore(out, dst, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Added) != len(want) || len(res.Replaced)+len(res.KeptNewer)+len(res.Unchanged) != 0 {
		t.Fatalf("restore into an empty folder: %s", res.Summary())
	}
	got := tree(t, dst)
	if len(got) != len(want) {
		t.Fatalf("restored %d files, want %d", len(got), len(want))
	}
	for p, b := range want {
		if got[p] != b {
			t.Fatalf("%s differs after the round trip", p)
		}
	}
	// Modification times come back too, so a later restore compares evidence files fairly.
	for _, f := range m.Files {
		st, _ := os.Stat(filepath.Join(dst, filepath.FromSlash(f.Path)))
		if !st.ModTime().Equal(f.Modified) {
			t.Fatalf("%s: mtime %v, want %v", f.Path, st.ModTime(), f.Modified)
		}
	}
	// Restoring again changes nothing.
	res, err = Restore(out, dst, now)
	if err != nil || len(res.Unchanged) != len(want) {
		t.Fatalf("second restore: %v %s", err, res.Summary())
	}
}

func TestRestoreKeepsNewerDocumentAndRecyclesReplaced(t *testing.T) {
	src := t.TempDir()
	demoWorkspace(t, src, 3)
	paths, _ := (&assessment.Workspace{Dir: src}).List()
	newerPath, olderPath := paths[0], paths[1]
	out := filepath.Join(t.TempDir(), "b.zip")
	if _, err := Create(src, out, now); err != nil {
		t.Fatal(err)
	}
	backedUpOlder, _ := os.ReadFile(olderPath)

	// After the backup, one document is edited on disk (newer than the backup) and another is
	// replaced by an earlier version (older than the backup).
	edit := func(path string, updated time.Time, note string) []byte {
		d, err := assessment.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		d.Updated = updated
		d.Enterprise.Contact = note
		data, err := d.Encode()
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(path, data, 0o644)
		return data
	}
	d0, _ := assessment.ReadFile(newerPath)
	newer := edit(newerPath, d0.Updated.Add(time.Hour), "后来改的")
	d1, _ := assessment.ReadFile(olderPath)
	older := edit(olderPath, d1.Updated.Add(-time.Hour), "更早的")

	res, err := Restore(out, src, now)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(newerPath); !bytes.Equal(got, newer) {
		t.Fatal("the restore overwrote a newer document")
	}
	if got, _ := os.ReadFile(olderPath); !bytes.Equal(got, backedUpOlder) {
		t.Fatal("the older document was not restored from the backup")
	}
	rel := filepath.Base(olderPath)
	if len(res.KeptNewer) != 1 || res.KeptNewer[0] != filepath.Base(newerPath) || len(res.Replaced) != 1 || res.Replaced[0] != rel {
		t.Fatalf("result %+v", res)
	}
	kept, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(res.Recycled), rel))
	if err != nil || !bytes.Equal(kept, older) {
		t.Fatalf("the replaced version is not in the recycle folder: %v", err)
	}
	if !strings.HasPrefix(res.Recycled, assessment.RecycleDir+"/"+RestoredPrefix) {
		t.Fatalf("recycled to %s", res.Recycled)
	}
}

func TestRestoreLeavesDocumentOpenInWindow(t *testing.T) {
	src := t.TempDir()
	demoWorkspace(t, src, 2)
	out := filepath.Join(t.TempDir(), "b.zip")
	Create(src, out, now)
	dst := t.TempDir()
	Restore(out, dst, now)
	paths, _ := (&assessment.Workspace{Dir: dst}).List()
	os.WriteFile(paths[0], []byte("{}"), 0o644) // unreadable: would be replaced
	open := &assessment.Workspace{Dir: dst}
	id := strings.TrimSuffix(filepath.Base(paths[0]), ".sdiag")
	if err := open.Claim(id); err != nil {
		t.Fatal(err)
	}
	defer open.ReleaseAll()
	res, err := Restore(out, dst, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.InUse) != 1 || !strings.Contains(res.Summary(), "正在窗口中打开") {
		t.Fatalf("%+v", res)
	}
	if b, _ := os.ReadFile(paths[0]); string(b) != "{}" {
		t.Fatal("a document open in a window was overwritten")
	}
}

// A damaged backup is refused before anything is written.
func TestRestoreRefusesDamagedBackup(t *testing.T) {
	src := t.TempDir()
	demoWorkspace(t, src, 2)
	out := filepath.Join(t.TempDir(), "b.zip")
	m, _ := Create(src, out, now)

	cases := map[string]func(zw *zip.Writer, f *zip.File) bool{
		"已损坏": func(zw *zip.Writer, f *zip.File) bool { // one entry's bytes changed
			if f.Name != m.Files[0].Path {
				return false
			}
			w, _ := zw.Create(f.Name)
			w.Write([]byte("tampered"))
			return true
		},
		"不在备份中": func(zw *zip.Writer, f *zip.File) bool { return f.Name == m.Files[1].Path },
		"缺少清单":  func(zw *zip.Writer, f *zip.File) bool { return f.Name == ManifestName },
		"不在清单中": func(zw *zip.Writer, f *zip.File) bool {
			if f.Name != ManifestName {
				return false
			}
			w, _ := zw.Create("../../etc/evil")
			w.Write([]byte("x"))
			return false
		},
	}
	for want, change := range cases {
		t.Run(want, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.zip")
			rewrite(t, out, bad, change)
			dst := t.TempDir()
			_, err := Restore(bad, dst, now)
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), bad) {
				t.Fatalf("error %v, want one naming the file and %q", err, want)
			}
			if len(tree(t, dst)) != 0 {
				t.Fatal("a damaged backup wrote files")
			}
		})
	}
	if _, err := Restore(src+"/none.zip", t.TempDir(), now); err == nil {
		t.Fatal("a missing file restored")
	}
}

func TestManifestPathOutsideWorkspaceRefused(t *testing.T) {
	for _, p := range []string{"../x", "/etc/passwd", ".locks/a", `a\..\..\x`, ""} {
		if localPath(p) {
			t.Errorf("%q accepted", p)
		}
	}
	for _, p := range []string{"a.sdiag", "回收站/x/y.png", "id.files/1.1-a.jpg"} {
		if !localPath(p) {
			t.Errorf("%q refused", p)
		}
	}
}

// rewrite copies a zip, letting change replace (return true) or drop entries.
func rewrite(t *testing.T, from, to string, change func(*zip.Writer, *zip.File) bool) {
	zr, err := zip.OpenReader(from)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if change(zw, f) {
			continue
		}
		zw.Copy(f)
	}
	zw.Close()
	os.WriteFile(to, buf.Bytes(), 0o644)
}

func FuzzVerify(f *testing.F) {
	dir := f.TempDir()
	os.WriteFile(filepath.Join(dir, "a.sdiag"), []byte(`{"updated":"2026-01-01T00:00:00Z"}`), 0o644)
	out := filepath.Join(f.TempDir(), "b.zip")
	if _, err := Create(dir, out, now); err != nil {
		f.Fatal(err)
	}
	seed, _ := os.ReadFile(out)
	f.Add(seed)
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// The manifest check runs in memory first: almost every mutation fails it, and a fuzz
		// execution that creates temp folders is slow enough that minimising an interesting input
		// outlasts a short -fuzztime (CI failed so). Only an archive that verifies is restored.
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		if _, err := verify("f.zip", zr); err != nil {
			return
		}
		p := filepath.Join(t.TempDir(), "f.zip")
		os.WriteFile(p, data, 0o644)
		dst := t.TempDir()
		if _, err := Restore(p, dst, now); err != nil {
			return
		}
		// Whatever restored stays inside the workspace.
		for rel := range tree(t, dst) {
			if !filepath.IsLocal(filepath.FromSlash(rel)) {
				t.Fatalf("wrote %s", rel)
			}
		}
	})
}
