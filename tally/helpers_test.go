package tally

import (
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/report"
	"smartdiag/seal/sealtest"
	"smartdiag/tally/tallytest"
)

// The fixtures are shared with the seal package's tests (seal/sealtest).
var (
	testKey   = sealtest.Key
	trustOf   = sealtest.TrustOf
	code      = sealtest.Code
	variant   = sealtest.Variant
	writeFile = sealtest.WriteFile
)

type firm = sealtest.Firm

var sealDoc = tallytest.Seal

// reportPDF renders the report of a sealed document, which carries the document's bytes.
func reportPDF(t testing.TB, sealed []byte) []byte {
	d, q, err := assessment.Open(sealed)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := report.Render(q, d, report.Options{Created: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}
