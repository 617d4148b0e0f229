package app

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Issue 11 item 11: a FIFO given to the app (on its command line, or picked as a key backup) is
// refused with a message instead of freezing the window forever.
func TestAppRefusesFIFO(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	ui, _ := newTestUI(t)
	p := filepath.Join(t.TempDir(), "收到的诊断.sdiag")
	if err := makeFIFO(p, 0o600); err != nil {
		t.Skip(err)
	}
	for name, open := range map[string]func(string){"openPath": ui.openPath, "keyRestorePicked": ui.keyRestorePicked} {
		done := make(chan struct{})
		go func() { open(p); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s blocked on a FIFO", name)
		}
		top := ui.win.Canvas().Overlays().Top()
		if top == nil || !strings.Contains(dialogText(top), "不是普通文件") {
			t.Fatalf("%s: no clear refusal", name)
		}
		top.Hide()
		ui.win.Canvas().Overlays().Remove(top)
	}
}
