package seal

import (
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/seal/sealtest"
)

var (
	testKey = sealtest.Key
	trustOf = sealtest.TrustOf
	code    = sealtest.Code
	variant = sealtest.Variant
)

type firm = sealtest.Firm

// sealDoc seals d with the named provider's key, as that provider's consultant, and returns the
// file bytes.
func sealDoc(t testing.TB, d *assessment.Document, provider string) []byte {
	d.Assessor = assessment.Assessor{Name: "顾问", Organisation: provider}
	out, err := Seal(d, testKey(provider), Signer{Name: "顾问", Organisation: provider}, d.Updated.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return out
}
