// Package sealtest makes sealed-document fixtures for tests of the packages that read them: fixed
// provider keys, a trust list of them, valid credit codes and variants of demo documents.
package sealtest

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"smartdiag/assessment"
	"smartdiag/demo"
)

// Key returns a fixed key for a name, so fixtures are reproducible.
func Key(name string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("smartdiag tally test key " + name))
	return ed25519.NewKeyFromSeed(seed[:])
}

// KeyTrust trusts keys by provider name.
type KeyTrust map[string]string // base64 public key → provider

func TrustOf(names ...string) KeyTrust {
	t := KeyTrust{}
	for _, n := range names {
		t[base64.StdEncoding.EncodeToString(Key(n).Public().(ed25519.PublicKey))] = n
	}
	return t
}

func (t KeyTrust) Trusted(pub ed25519.PublicKey) (string, bool) {
	n, ok := t[base64.StdEncoding.EncodeToString(pub)]
	return n, ok
}

// Code returns a valid credit code, different for each n.
func Code(n int) string {
	first := fmt.Sprintf("91320115TB%07d", n)
	c, err := assessment.CreditCheckChar(first)
	if err != nil {
		panic(err)
	}
	return first + string(c)
}

var (
	baseOnce sync.Once
	baseDocs []*assessment.Document
	baseErr  error
)

// Base returns finished demo documents of cmmm-full (generated once per test binary).
func Base(t testing.TB) []*assessment.Document {
	baseOnce.Do(func() {
		baseDocs, baseErr = demo.Generate(demo.Options{Count: 24, Seed: 7})
	})
	if baseErr != nil {
		t.Fatal(baseErr)
	}
	return baseDocs
}

// WithLevel returns the index of a base document scored at the given CMMM level.
func WithLevel(t testing.TB, level int) int {
	q, err := Base(t)[0].LoadQuestionnaire()
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range Base(t) {
		if assessment.Score(q, d).Level == level {
			return i
		}
	}
	t.Fatalf("no base document at level %d", level)
	return 0
}

// Firm describes the enterprise of a fixture document.
type Firm struct {
	Name, Code, Street string
	Categories         []string
	Industry           string
}

// Variant copies base document i for another firm, with a new id and finish time.
func Variant(t testing.TB, i int, f Firm, finished time.Time) *assessment.Document {
	b := Base(t)
	raw, err := json.Marshal(b[i%len(b)])
	if err != nil {
		t.Fatal(err)
	}
	var d assessment.Document
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	id, _ := uuid.NewV7()
	d.ID = id.String()
	d.Enterprise.Name, d.Enterprise.CreditCode = f.Name, f.Code
	if f.Street != "" {
		d.Enterprise.Street = f.Street
	}
	if f.Categories != nil {
		d.Enterprise.Categories = f.Categories
	}
	if f.Industry != "" {
		d.Enterprise.Industry = f.Industry
	}
	fin := finished.UTC().Truncate(time.Second)
	d.Finished, d.Updated = &fin, fin
	return &d
}

// WriteFile writes data to path, creating its folder.
func WriteFile(t testing.TB, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
