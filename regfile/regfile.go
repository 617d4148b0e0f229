// Package regfile opens and reads files named by a user the one safe way: only regular files
// (a FIFO, a device or a socket would block a read forever or never end), with the size checked
// before anything is read. Every command and every domain reader that takes a path from a person
// goes through it, so the rule and its wording are the same everywhere.
package regfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular means the path names a FIFO, device, socket or folder rather than a file.
var ErrNotRegular = errors.New("不是普通文件")

// ErrTooLarge means the file is over the reader's size limit.
var ErrTooLarge = errors.New("文件太大")

// Open opens path for reading if it is a regular file (a symbolic link to one is followed). It
// never blocks on a FIFO: the type is checked before opening, and on Unix the open itself is
// non-blocking (which changes nothing for a regular file), so a FIFO swapped in between is
// caught by the check on the open file.
func Open(path string) (*os.File, fs.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if err := checkRegular(path, st); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, nil, err
	}
	st, err = f.Stat()
	if err == nil {
		err = checkRegular(path, st)
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, st, nil
}

func checkRegular(path string, st fs.FileInfo) error {
	if st.Mode().IsRegular() {
		return nil
	}
	kind := "特殊文件"
	switch m := st.Mode(); {
	case m.IsDir():
		kind = "文件夹"
	case m&fs.ModeNamedPipe != 0:
		kind = "命名管道（FIFO）"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		kind = "设备文件"
	case m&fs.ModeSocket != 0:
		kind = "套接字"
	}
	return &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w：这是%s，只能读取普通文件", ErrNotRegular, kind)}
}

// ReadFile reads a regular file of at most limit bytes (limit ≤ 0: no limit). The size is checked
// before reading, and reading stops past the limit should the file grow meanwhile. The error
// names the limit in MB so the user learns what is allowed.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, st, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if limit > 0 && st.Size() > limit {
		return nil, TooLarge(path, st.Size(), limit)
	}
	return ReadAll(f, path, st.Size(), limit, nil)
}

// ReadAll reads an open file whose size was size into buf's storage (grown when needed), failing
// once more than limit bytes (limit ≤ 0: no limit) come out.
func ReadAll(f io.Reader, path string, size, limit int64, buf []byte) ([]byte, error) {
	if int64(cap(buf)) < size+1 {
		buf = make([]byte, 0, size+512)
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if limit > 0 && int64(len(buf)) > limit {
			return buf, TooLarge(path, int64(len(buf)), limit)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, &fs.PathError{Op: "read", Path: path, Err: err}
		}
	}
}

// TooLarge is the error for a file over limit.
func TooLarge(path string, size, limit int64) error {
	return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w（%s），上限为 %s", ErrTooLarge, MB(size), MB(limit))}
}

// MB formats a byte count for people. A size that is not a whole number of MB is rounded up to
// a tenth, so a file just over a limit never reads as equal to it ("20.1 MB", not "20 MB").
func MB(n int64) string {
	switch {
	case n < 1<<20:
		return fmt.Sprintf("%d KB", (n+1023)>>10)
	case n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	}
	tenths := (n*10 + 1<<20 - 1) >> 20
	return fmt.Sprintf("%d.%d MB", tenths/10, tenths%10)
}

// WithoutPath drops the path an *fs.PathError repeats, for messages that name the file already
// ("名册.xlsx：无法读取：no such file or directory", not the path twice). Other errors are returned
// as they are.
func WithoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
