package seal

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"smartdiag/regfile"
	"smartdiag/regfile/fifotest"
)

// Issue 11 items 11 and 12: a FIFO as the private key file (with safe permissions, so the old
// permission check let it through to os.ReadFile) is refused at once, and an oversized key file is
// refused from its size with the limit named.
func TestLoadKeyRefusesFIFOAndOversized(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.pem")
	f, _ := os.OpenFile(big, os.O_CREATE|os.O_WRONLY, 0o600)
	f.Truncate(MaxKeyFileSize + 1)
	f.Close()
	if _, err := LoadKey(big); err == nil || !strings.Contains(err.Error(), "上限为 1 MB") {
		t.Errorf("err = %v, want the 1 MB limit", err)
	}
	// Last: on a system without FIFOs this part skips.
	err := fifotest.Read(t, "key.pem", func(p string) error { _, err := LoadKey(p); return err })
	if !errors.Is(err, regfile.ErrNotRegular) {
		t.Errorf("err = %v, want ErrNotRegular", err)
	}
}
