// Package filelock is an advisory, cross-process lock on a file: flock on Linux, macOS and the
// BSDs, LockFileEx on Windows. Locks held by the same process through different calls exclude each
// other too, so two windows of one app behave like two apps. The operating system drops a lock when
// its process dies, so a crash never leaves a folder locked for good.
//
// A lock file is created when missing and never deleted: deleting it while another process waits
// on it would let a third process lock a new file of the same name and both would think they hold
// the lock. Keep lock files in a place the user does not tidy (a hidden ".locks" folder).
package filelock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ErrLocked is returned when another process (or another Lock in this process) holds the lock.
var ErrLocked = errors.New("locked by another process")

// Lock is a held lock. Unlock releases it; a Lock must not be copied.
type Lock struct {
	f    *os.File
	path string
}

// Path is the lock file.
func (l *Lock) Path() string { return l.path }

// TryAcquire takes the exclusive lock on path without waiting; it returns ErrLocked (wrapped with
// the path) when the lock is held elsewhere. Missing parent folders are created.
func TryAcquire(path string) (*Lock, error) { return lock(path, false) }

// Acquire takes the exclusive lock on path, waiting as long as it takes.
func Acquire(path string) (*Lock, error) { return lock(path, true) }

// AcquireTimeout takes the exclusive lock on path, trying until timeout has passed; then it returns
// ErrLocked, so a caller can tell the user who is in the way instead of hanging.
func AcquireTimeout(path string, timeout time.Duration) (*Lock, error) {
	deadline := time.Now().Add(timeout)
	wait := 5 * time.Millisecond
	for {
		l, err := TryAcquire(path)
		if err == nil || !errors.Is(err, ErrLocked) || time.Now().After(deadline) {
			return l, err
		}
		time.Sleep(min(wait, time.Until(deadline)+time.Millisecond))
		wait = min(2*wait, 100*time.Millisecond)
	}
}

func lock(path string, wait bool) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("filelock: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("filelock: %w", err)
	}
	if err := lockFile(f, wait); err != nil {
		f.Close()
		if errors.Is(err, ErrLocked) {
			return nil, fmt.Errorf("%s: %w", path, ErrLocked)
		}
		return nil, fmt.Errorf("filelock %s: %w", path, err)
	}
	return &Lock{f: f, path: path}, nil
}

// Unlock releases the lock; calling it twice, or on nil, is harmless.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlockFile(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
