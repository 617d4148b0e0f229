//go:build unix

// Package fifotest makes named pipes for the tests that check every path the program reads
// refuses one at once (issue 11, item 11), on the systems that have them.
package fifotest

import "syscall"

// Make creates a FIFO at path.
func Make(path string, mode uint32) error { return syscall.Mkfifo(path, mode) }
