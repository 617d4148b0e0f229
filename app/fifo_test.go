package app

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/storage"

	"smartdiag/regfile/fifotest"
)

// Issue 11 item 11: a FIFO given to the app (on its command line, or picked as a key backup) is
// refused with a message instead of freezing the window forever.
func TestAppRefusesFIFO(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	ui, _ := newTestUI(t)
	p := filepath.Join(t.TempDir(), "收到的诊断.sdiag")
	if err := fifotest.Make(p, 0o600); err != nil {
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

// The file pickers never offer a FIFO: Fyne opens a picked file before our code can check it.
func TestPickersHideFIFOs(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	dir := t.TempDir()
	fifo, plain, other := filepath.Join(dir, "管道.sdiag"), filepath.Join(dir, "诊断.sdiag"), filepath.Join(dir, "照片.jpg")
	if err := fifotest.Make(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	for _, p := range []string{plain, other} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		filter regularFiles
		path   string
		want   bool
	}{
		{regularFiles{exts: []string{".sdiag"}}, plain, true},
		{regularFiles{exts: []string{".sdiag"}}, fifo, false},
		{regularFiles{exts: []string{".sdiag"}}, other, false},
		{regularFiles{}, fifo, false}, // the evidence picker takes any kind of file, but not a FIFO
		{regularFiles{}, other, true},
		{regularFiles{exts: []string{".sdiag"}}, filepath.Join(dir, "新建.sdiag"), true}, // a file to save
	}
	for _, tt := range tests {
		if got := tt.filter.Matches(storage.NewFileURI(tt.path)); got != tt.want {
			t.Errorf("%v offers %s: %v, want %v", tt.filter.exts, filepath.Base(tt.path), got, tt.want)
		}
	}
}
