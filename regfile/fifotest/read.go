package fifotest

import (
	"path/filepath"
	"testing"
	"time"
)

// Read makes a FIFO named name in a new temporary folder and gives its path to read, which must
// return (with the refusal, checked by the caller) rather than wait for a writer: after 10 s the
// test fails. On a system without FIFOs the test is skipped.
func Read(t testing.TB, name string, read func(path string) error) error {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := Make(p, 0o600); err != nil {
		t.Skip(err)
	}
	done := make(chan error, 1)
	go func() { done <- read(p) }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("reading %s blocked on a FIFO", name)
		return nil
	}
}
