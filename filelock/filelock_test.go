package filelock

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The test binary doubles as the other process: with FILELOCK_HOLD set it takes that lock, says
// "locked" on stdout and holds the lock until its stdin is closed (or it is killed).
func TestMain(m *testing.M) {
	if path := os.Getenv("FILELOCK_HOLD"); path != "" {
		l, err := Acquire(path)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(3)
		}
		fmt.Println("locked")
		io.Copy(io.Discard, os.Stdin)
		if os.Getenv("FILELOCK_WRITE") != "" {
			// A critical section: append our mark after the other side has been waiting.
			f, _ := os.OpenFile(os.Getenv("FILELOCK_WRITE"), os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
			fmt.Fprintln(f, "holder")
			f.Close()
		}
		l.Unlock()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// holder starts another process that holds the lock on path; release closes its stdin, and the
// process is killed at the end of the test in any case.
type holder struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

func startHolder(t *testing.T, path string, env ...string) *holder {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "FILELOCK_HOLD="+path), env...)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "locked" {
		t.Fatalf("holder did not take the lock: %q %v", line, err)
	}
	return &holder{cmd: cmd, stdin: stdin}
}

func (h *holder) release(t *testing.T) {
	h.stdin.Close()
	if err := h.cmd.Wait(); err != nil {
		t.Fatalf("holder: %v", err)
	}
}

func TestOtherProcessHoldsTheLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "ws.lock")
	h := startHolder(t, path)

	if l, err := TryAcquire(path); !errors.Is(err, ErrLocked) {
		l.Unlock()
		t.Fatalf("TryAcquire while another process holds the lock: %v, want ErrLocked", err)
	}
	start := time.Now()
	if _, err := AcquireTimeout(path, 200*time.Millisecond); !errors.Is(err, ErrLocked) {
		t.Fatalf("AcquireTimeout: %v, want ErrLocked", err)
	}
	if d := time.Since(start); d < 200*time.Millisecond || d > 5*time.Second {
		t.Errorf("AcquireTimeout gave up after %v, want about 200ms", d)
	}

	h.release(t)
	l, err := TryAcquire(path)
	if err != nil {
		t.Fatalf("after the holder released: %v", err)
	}
	l.Unlock()
}

func TestLockIsReleasedWhenTheHolderIsKilled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ws.lock")
	h := startHolder(t, path)
	if _, err := TryAcquire(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("TryAcquire: %v, want ErrLocked", err)
	}
	h.cmd.Process.Kill()
	h.cmd.Wait()
	l, err := AcquireTimeout(path, 5*time.Second)
	if err != nil {
		t.Fatalf("a killed holder still blocks the lock: %v", err)
	}
	l.Unlock()
}

// Acquire waits for the other process and then runs after it: the holder's write comes first.
func TestAcquireWaitsForTheOtherProcess(t *testing.T) {
	dir := t.TempDir()
	path, log := filepath.Join(dir, "ws.lock"), filepath.Join(dir, "log")
	h := startHolder(t, path, "FILELOCK_WRITE="+log)
	got := make(chan error, 1)
	go func() {
		l, err := Acquire(path)
		if err == nil {
			f, _ := os.OpenFile(log, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
			fmt.Fprintln(f, "waiter")
			f.Close()
			l.Unlock()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("Acquire returned while the other process held the lock: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	h.release(t)
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Acquire still waiting after the holder released")
	}
	if b, _ := os.ReadFile(log); string(b) != "holder\nwaiter\n" {
		t.Errorf("critical sections interleaved: %q", b)
	}
}

// Two locks in one process exclude each other like two processes (two windows of one app).
func TestSameProcessLocksExclude(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ws.lock")
	a, err := TryAcquire(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := TryAcquire(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("second TryAcquire: %v, want ErrLocked", err)
	}
	if err := a.Unlock(); err != nil {
		t.Fatal(err)
	}
	a.Unlock() // twice is harmless
	b, err := TryAcquire(path)
	if err != nil {
		t.Fatalf("after Unlock: %v", err)
	}
	b.Unlock()
	if _, err := TryAcquire(filepath.Join(t.TempDir(), "file", "x.lock")); err != nil {
		t.Errorf("missing parent folder: %v", err)
	}
}
