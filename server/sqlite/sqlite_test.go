package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"smartdiag/server"
	"smartdiag/server/servertest"
	"smartdiag/server/sqlstore"
)

func open(t testing.TB) server.Store {
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), FileName))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestSuite(t *testing.T) { servertest.Run(t, open) }

// TestReopenAndBackup: migrations run once; a reopened file keeps its data; the online backup is
// a database that opens with the same data.
func TestReopenAndBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	w := servertest.NewWorld(t, st)
	_ = w
	backup := filepath.Join(dir, "backup.db")
	if err := Backup(ctx, st, backup); err != nil {
		t.Fatal(err)
	}
	st.Close()
	for _, p := range []string{path, backup} {
		st, err := Open(ctx, p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		orgs, err := st.Orgs(ctx)
		if err != nil || len(orgs) != 5 {
			t.Errorf("%s: %d orgs after reopening, want 5 (%v)", p, len(orgs), err)
		}
		var n int
		st.DB.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
		if n != sqlstore.Versions() {
			t.Errorf("%s: %d migrations recorded, want %d", p, n, sqlstore.Versions())
		}
		st.Close()
	}
}
