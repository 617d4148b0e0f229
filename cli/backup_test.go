package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The CLI contracts `backup --out FILE --workspace DIR` and `restore FILE --workspace DIR`: a demo
// workspace of 200 diagnoses with evidence comes back byte for byte, and damaged input exits 1.
func TestBackupRestoreCLI(t *testing.T) {
	src := filepath.Join(t.TempDir(), "ws")
	if code, _, errs := run(t, "demo", "--out", src, "--count", "200"); code != 0 {
		t.Fatal(errs)
	}
	files, _ := filepath.Glob(filepath.Join(src, "*.sdiag"))
	if len(files) != 200 {
		t.Fatalf("%d demo documents", len(files))
	}
	ev := filepath.Join(strings.TrimSuffix(files[3], ".sdiag")+".files", "1.1-ab12-现场.jpg")
	os.MkdirAll(filepath.Dir(ev), 0o755)
	os.WriteFile(ev, []byte("\xff\xd8photo"), 0o644)

	out := filepath.Join(t.TempDir(), "备份.zip")
	code, stdout, errs := run(t, "backup", "--out", out, "--workspace", src)
	if code != 0 || !strings.Contains(stdout, "201 个文件") {
		t.Fatalf("backup: %d %q %s", code, stdout, errs)
	}
	dst := filepath.Join(t.TempDir(), "restored")
	code, stdout, errs = run(t, "restore", out, "--workspace", dst)
	if code != 0 || !strings.Contains(stdout, "新增 201 个文件") {
		t.Fatalf("restore: %d %q %s", code, stdout, errs)
	}
	for _, f := range append(files, ev) {
		rel, _ := filepath.Rel(src, f)
		a, _ := os.ReadFile(f)
		b, err := os.ReadFile(filepath.Join(dst, rel))
		if err != nil || string(a) != string(b) {
			t.Fatalf("%s differs after restore (%v)", rel, err)
		}
	}

	bad := filepath.Join(t.TempDir(), "坏.zip")
	os.WriteFile(bad, []byte("not a zip"), 0o644)
	if code, _, errs := run(t, "restore", bad, "--workspace", dst); code != ExitInput || !strings.Contains(errs, bad) {
		t.Fatalf("damaged backup: %d %s", code, errs)
	}
	for _, args := range [][]string{{"backup"}, {"backup", "--workspace", src}, {"restore"}, {"restore", "a", "b"}} {
		if code, _, _ := run(t, args...); code != ExitUsage {
			t.Errorf("%q: exit %d", args, code)
		}
	}
}
