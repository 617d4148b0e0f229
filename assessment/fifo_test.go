package assessment

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"smartdiag/regfile"
	"smartdiag/regfile/fifotest"
)

// Issue 11 items 11 and 12: attaching a FIFO as evidence is refused at once (os.Open waited for a
// writer forever), and a file over the limit is refused naming the limit.
func TestPrepareEvidenceRefusesFIFOAndOversized(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "录像.mp4")
	f, _ := os.Create(big)
	f.Truncate(MaxEvidenceSize + 1)
	f.Close()
	if _, err := PrepareEvidence(big); err == nil || !strings.Contains(err.Error(), "上限为 20 MB") {
		t.Errorf("err = %v, want the 20 MB limit", err)
	}
	// Last: on a system without FIFOs this part skips.
	err := fifotest.Read(t, "照片.jpg", func(p string) error { _, err := PrepareEvidence(p); return err })
	if !errors.Is(err, regfile.ErrNotRegular) || !strings.Contains(err.Error(), "不是普通文件") {
		t.Errorf("err = %v, want a refusal", err)
	}
}
