//go:build unix

package regfile

import "syscall"

// makeFIFO makes a named pipe (the tests' stand-in for any file that blocks a reader).
func makeFIFO(path string, mode uint32) error { return syscall.Mkfifo(path, mode) }
