package cli

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDocumentArg(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "某企业 诊断.SDIAG")
	if err := os.WriteFile(doc, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if p, ok := DocumentArg([]string{doc}); !ok || p != doc {
		t.Errorf("existing document: %q %v", p, ok)
	}
	for _, args := range [][]string{
		nil,
		{"version"},
		{filepath.Join(dir, "missing.sdiag")},
		{dir},
		{doc, "--json"},
		{"score", doc},
	} {
		if p, ok := DocumentArg(args); ok {
			t.Errorf("%q: opened %q as a document", args, p)
		}
	}
}
