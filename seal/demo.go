package seal

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/subtle"

	"smartdiag/demo"
)

// DemoKey is the signing key of a demo service provider. It is derived from public text, so
// anyone can make it: it is for trying the district side only, and a district must never trust
// it in real work. `smartdiag demo --seal` signs with it.
func DemoKey(org string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("smartdiag demo signing key, never trust in real work: " + org))
	return ed25519.NewKeyFromSeed(seed[:])
}

// IsDemoKey reports whether pub is the demo key of one of the demo providers or of one of the
// names given (the names a key file or a trust request carries: a demo key renamed is still one).
func IsDemoKey(pub ed25519.PublicKey, names ...string) bool {
	for _, org := range append(demo.Organisations(), names...) {
		if org == "" {
			continue
		}
		if subtle.ConstantTimeCompare(DemoKey(org).Public().(ed25519.PublicKey), pub) == 1 {
			return true
		}
	}
	return false
}

// demoTrust is implemented by trust lists that know which keys are demo keys.
type demoTrust interface {
	IsDemo(pub ed25519.PublicKey) bool
}
