package service

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/seal/sealtest"
)

// FindEarlier picks the latest earlier diagnosis of the same firm in the folder and passes over
// later ones, other firms, drafts and broken files.
func TestFindEarlier(t *testing.T) {
	dir := t.TempDir()
	firm := sealtest.Firm{Name: "甲", Code: sealtest.Code(1)}
	d := sealtest.Variant(t, 0, firm, fixed)
	write := func(doc *assessment.Document) string {
		if doc.Finished != nil { // FindPrevious orders by creation
			doc.Created = doc.Finished.Add(-time.Hour)
		}
		data, err := doc.Encode()
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, doc.ID+assessment.Ext)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write(d)
	if e := FindEarlier(dir, d); e != nil {
		t.Fatalf("found %s with no earlier diagnosis in the folder", e.Doc.ID)
	}
	older := sealtest.Variant(t, 1, firm, fixed.AddDate(-2, 0, 0))
	last := sealtest.Variant(t, 2, firm, fixed.AddDate(-1, 0, 0))
	later := sealtest.Variant(t, 3, firm, fixed.AddDate(0, 1, 0))
	other := sealtest.Variant(t, 4, sealtest.Firm{Name: "乙", Code: sealtest.Code(2)}, fixed.AddDate(0, -1, 0))
	draft := sealtest.Variant(t, 5, firm, fixed.AddDate(0, -2, 0))
	draft.Status, draft.Finished, draft.Created = assessment.StatusDraft, nil, fixed.AddDate(0, -2, 0)
	for _, doc := range []*assessment.Document{older, last, later, other, draft} {
		write(doc)
	}
	// A broken file that names the firm must not stop the search.
	os.WriteFile(filepath.Join(dir, "broken"+assessment.Ext), []byte(`{"enterprise":{"credit_code":"`+firm.Code+`"`), 0o644)
	e := FindEarlier(dir, d)
	if e == nil || e.Doc.ID != last.ID {
		t.Fatalf("found %v, want the diagnosis of a year before (%s)", e, last.ID)
	}
	if FindEarlier("", d) != nil || FindEarlier(filepath.Join(dir, "none"), d) != nil {
		t.Error("found something without a folder")
	}
}
