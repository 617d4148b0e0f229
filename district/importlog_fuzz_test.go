package district

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzImportLogAppend: whatever an earlier run left in the log (a torn line, binary junk, no
// newline at the end), the next entry is appended as a whole line of its own and what was there
// is kept byte for byte.
func FuzzImportLogAppend(f *testing.F) {
	f.Add([]byte("\ufeff时间\t结果\t文件\tid\t企业\t说明\n2026-01-01 00:00:00\t已导入\ta.sdiag\tid-1\t企业\t"))
	f.Add([]byte(""))
	f.Add([]byte("\n\n\t\t\t\t\t\n"))
	f.Add([]byte("x\t已导入\t\t\x00\xff"))
	f.Fuzz(func(t *testing.T, old []byte) {
		path := filepath.Join(t.TempDir(), ImportLogName)
		if err := os.WriteFile(path, old, 0o644); err != nil {
			t.Fatal(err)
		}
		w, err := openImportLog(path)
		if err != nil {
			t.Fatal(err)
		}
		w.line("2026-01-02 00:00:00\t补记\tb.sdiag\tid-2\t\t新的一行")
		if err := w.close(); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(path)
		if !bytes.HasPrefix(got, old) {
			t.Fatal("the old content changed")
		}
		if !bytes.HasSuffix(got, []byte("\n2026-01-02 00:00:00\t补记\tb.sdiag\tid-2\t\t新的一行\n")) {
			t.Fatalf("the new line is not a whole line of its own: %q", got[len(old):])
		}
	})
}
