package seal_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/questionnaires"
	"smartdiag/report"
	"smartdiag/seal"
)

var fixedDate = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// renderDoc returns a finished demo document and its questionnaire, for rendering a report.
func renderDoc(t testing.TB, qid string, seed uint64) (*questionnaires.Questionnaire, *assessment.Document) {
	t.Helper()
	qn, err := questionnaires.Lookup(qid, "")
	if err != nil {
		t.Fatal(err)
	}
	return qn, demoDoc(t, qid, seed)
}

func TestExtractDocumentErrors(t *testing.T) {
	qn, d := renderDoc(t, "zgsz-quick", 3)
	pdf, err := report.Render(qn, d, report.Options{Created: fixedDate})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seal.ExtractDocument([]byte("hello")); err == nil || !strings.Contains(err.Error(), "不是 PDF") {
		t.Errorf("non-PDF: %v", err)
	}
	if _, err := seal.ExtractDocument([]byte("%PDF-1.4\n%%EOF")); err != seal.ErrNoDocument {
		t.Errorf("PDF without attachment: %v", err)
	}
	// Flip a byte inside the compressed attachment: a checksum or inflate error, never a document.
	m := seal.EmbeddedRe.FindIndex(pdf)
	bad := bytes.Clone(pdf)
	bad[m[1]+40] ^= 0xFF
	if doc, err := seal.ExtractDocument(bad); err == nil {
		t.Errorf("a damaged attachment was accepted (%d bytes)", len(doc))
	}
	if _, err := seal.ExtractDocument(pdf[:m[1]+20]); err == nil {
		t.Error("a truncated PDF was accepted")
	}
}

func FuzzExtractDocument(f *testing.F) {
	qn, d := renderDoc(f, "zgsz-quick", 1)
	pdf, err := report.Render(qn, d, report.Options{Created: fixedDate})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(pdf)
	m := seal.EmbeddedRe.FindIndex(pdf)
	f.Add(pdf[m[0] : m[1]+200]) // the attachment alone, truncated
	f.Add([]byte("%PDF-1.4\n<< /Type /EmbeddedFile /Length 99999999 /Filter /FlateDecode /Params << /CheckSum <00000000000000000000000000000000> /Size 5 >> >>\nstream\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := seal.ExtractDocument(data)
		if err == nil && !bytes.Contains(doc, []byte("smartdiag.diagnosis/")) {
			t.Fatal("extracted something that is not a diagnosis document")
		}
	})
}

// A sealed document's report carries the sealed bytes, and they come back out unchanged.
func TestExtractSealedDocument(t *testing.T) {
	t.Setenv("SMARTDIAG_CONFIG", t.TempDir())
	qn, d := renderDoc(t, "cmmm-full", 12)
	key, _, err := seal.LoadOrCreateKey()
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := seal.Seal(d, key, assessment.Signer{Name: "测试"}, fixedDate)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := report.Render(qn, d, report.Options{Created: fixedDate})
	if err != nil {
		t.Fatal(err)
	}
	got, err := seal.ExtractDocument(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, sealed) {
		t.Error("the report does not carry the sealed bytes")
	}
	if v := seal.Verify(got, nil); v.Status != seal.VerifyUnknownSigner {
		t.Errorf("extracted document verifies as %s: %s", v.Status, v.Reason)
	}
}
