//go:build !unix

package assessment

import "errors"

// makeFIFO fails where there are no named pipes; the tests skip then.
func makeFIFO(string, uint32) error { return errors.New("no FIFOs on this system") }
