package regfile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"
)

func mkfifo(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	p := filepath.Join(t.TempDir(), "pipe.sdiag")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip(err)
	}
	return p
}

func TestReadFileRefusesFIFOWithoutBlocking(t *testing.T) {
	p := mkfifo(t)
	done := make(chan error, 1)
	go func() { _, err := ReadFile(p, 0); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNotRegular) {
			t.Fatalf("err = %v, want ErrNotRegular", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ReadFile blocked on a FIFO")
	}
}

func TestReadFileRefusesFolder(t *testing.T) {
	if _, err := ReadFile(t.TempDir(), 0); !errors.Is(err, ErrNotRegular) {
		t.Fatalf("err = %v", err)
	}
}

func TestReadFileLimit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a")
	os.WriteFile(p, make([]byte, 3000), 0o644)
	if _, err := ReadFile(p, 2999); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
	b, err := ReadFile(p, 3000)
	if err != nil || len(b) != 3000 {
		t.Fatalf("%d %v", len(b), err)
	}
}
