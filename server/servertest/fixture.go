// Package servertest holds the district server's test suite, run against every Store engine, and
// fixtures (keys, sealed diagnoses, rosters) shared by the server's HTTP, sync and CLI tests.
package servertest

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"smartdiag/assessment"
	"smartdiag/demo"
	"smartdiag/report"
	"smartdiag/seal"
)

// Key returns a fixed key for a name, so fixtures are reproducible.
func Key(name string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("smartdiag server test key " + name))
	return ed25519.NewKeyFromSeed(seed[:])
}

// PublicKeyFile is the file `smartdiag key --out` writes for Key(name).
func PublicKeyFile(t testing.TB, name, org string) []byte {
	f := seal.NewPublicKeyFile(Key(name).Public().(ed25519.PublicKey), seal.Signer{Name: name, Organisation: org}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	b, err := f.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Code returns a valid unified social credit code, different for each n.
func Code(n int) string {
	first := fmt.Sprintf("91320115DK%07d", n)
	c, err := assessment.CreditCheckChar(first)
	if err != nil {
		panic(err)
	}
	return first + string(c)
}

// FirmName is the name of firm n on Roster.
func FirmName(n int) string { return fmt.Sprintf("南京服务器测试%03d有限公司", n) }

// Roster is a CSV roster of firms 0…n-1 with contacts, as an office exports it.
func Roster(n int) []byte {
	var b strings.Builder
	b.WriteString("企业名称,统一社会信用代码,所属街道,企业类型,联系人,联系电话\n")
	streets := []string{"东山街道", "秣陵街道", "汤山街道"}
	for i := range n {
		fmt.Fprintf(&b, "%s,%s,%s,规上,联系人%d,1380000%04d\n", FirmName(i), Code(i), streets[i%len(streets)], i, i)
	}
	return []byte(b.String())
}

var (
	baseOnce sync.Once
	baseDocs []*assessment.Document
	baseErr  error
)

func base(t testing.TB) []*assessment.Document {
	baseOnce.Do(func() { baseDocs, baseErr = demo.Generate(demo.Options{Count: 6, Seed: 16}) })
	if baseErr != nil {
		t.Fatal(baseErr)
	}
	return baseDocs
}

// Doc returns a finished diagnosis of roster firm n with a fresh id, finished at the given time.
func Doc(t testing.TB, n int, finished time.Time) *assessment.Document {
	b := base(t)
	raw, err := json.Marshal(b[n%len(b)])
	if err != nil {
		t.Fatal(err)
	}
	var d assessment.Document
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	id, _ := uuid.NewV7()
	d.ID = id.String()
	d.Enterprise.Name, d.Enterprise.CreditCode, d.Enterprise.Street = FirmName(n), Code(n), "东山街道"
	fin := finished.UTC().Truncate(time.Second)
	d.Finished, d.Updated = &fin, fin
	return &d
}

// Seal seals d as consultant (whose Key it uses) of provider, and returns the file's bytes.
func Seal(t testing.TB, d *assessment.Document, consultant, provider string) []byte {
	d.Assessor = assessment.Assessor{Name: consultant, Organisation: provider}
	out, err := seal.Seal(d, Key(consultant), seal.Signer{Name: consultant, Organisation: provider}, d.Updated.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Revision returns a finished revision of a sealed document (Supersedes naming it).
func Revision(t testing.TB, sealed []byte, at time.Time) *assessment.Document {
	d, err := assessment.Decode(sealed)
	if err != nil {
		t.Fatal(err)
	}
	n, err := d.Revise(at)
	if err != nil {
		t.Fatal(err)
	}
	n.Status = assessment.StatusFinished
	fin := at.UTC().Truncate(time.Second)
	n.Finished, n.Updated = &fin, fin
	return n
}

// ReportPDF renders the report of a sealed document; the PDF carries the document's bytes.
func ReportPDF(t testing.TB, sealed []byte) []byte {
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
