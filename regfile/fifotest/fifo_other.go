//go:build !unix

// Package fifotest makes named pipes for the tests that check every path the program reads
// refuses one at once (issue 11, item 11), on the systems that have them.
package fifotest

import "errors"

// Make fails: this system has no FIFOs (the tests skip).
func Make(string, uint32) error { return errors.New("no FIFOs on this system") }
