package district

import (
	"runtime/debug"
	"testing"
)

// Overlapping raises (an import while a tally runs) restore the original setting only when the
// last one ends, whatever the order.
func TestRaiseGCNests(t *testing.T) {
	orig := debug.SetGCPercent(100)
	defer debug.SetGCPercent(orig)
	gcPercent := func() int { p := debug.SetGCPercent(-1); debug.SetGCPercent(p); return p }

	endA := RaiseGC()
	endB := RaiseGC()
	if p := gcPercent(); p != 400 {
		t.Fatalf("during two raises GOGC = %d, want 400", p)
	}
	endA()
	endA() // ending twice counts once
	if p := gcPercent(); p != 400 {
		t.Fatalf("after the first raise ended GOGC = %d, want 400", p)
	}
	endB()
	if p := gcPercent(); p != 100 {
		t.Fatalf("after both ended GOGC = %d, want 100", p)
	}

	debug.SetGCPercent(800) // a higher setting is left alone
	end := RaiseGC()
	if p := gcPercent(); p != 800 {
		t.Fatalf("GOGC=800 was changed to %d", p)
	}
	end()
	if p := gcPercent(); p != 800 {
		t.Fatalf("GOGC=800 became %d", p)
	}
}
