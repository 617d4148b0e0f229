package regfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"smartdiag/regfile/fifotest"
)

func mkfifo(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	p := filepath.Join(t.TempDir(), "pipe.sdiag")
	if err := fifotest.Make(p, 0o644); err != nil {
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

// WithoutPath keeps the cause of a path error, also when it is wrapped, and leaves other errors.
func TestWithoutPath(t *testing.T) {
	_, err := os.Open(filepath.Join(t.TempDir(), "名册.xlsx"))
	if err == nil {
		t.Fatal("opened a file that does not exist")
	}
	other := errors.New("不是 Excel 文件")
	for _, c := range []struct {
		name string
		in   error
		want error // the error WithoutPath returns
	}{
		{"path error", err, err.(*os.PathError).Err},
		{"wrapped path error", fmt.Errorf("读取名册：%w", err), err.(*os.PathError).Err},
		{"other error", other, other},
		{"nil", nil, nil},
	} {
		got := WithoutPath(c.in)
		if got != c.want {
			t.Errorf("%s: WithoutPath(%v) = %v, want %v", c.name, c.in, got, c.want)
		}
		if got != nil && strings.Contains(got.Error(), "名册.xlsx") {
			t.Errorf("%s: %q still names the file", c.name, got)
		}
	}
}

// A size just over a limit never reads as the limit itself.
func TestMB(t *testing.T) {
	for n, want := range map[int64]string{1000: "1 KB", 16 << 20: "16 MB", 20<<20 + 1: "20.1 MB", 3 << 30: "3072 MB", 5<<20 + 1<<19: "5.5 MB"} {
		if got := MB(n); got != want {
			t.Errorf("MB(%d) = %q, want %q", n, got, want)
		}
	}
}
