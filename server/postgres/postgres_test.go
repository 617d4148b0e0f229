package postgres

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"smartdiag/server"
	"smartdiag/server/servertest"
	"smartdiag/server/sqlstore"
)

// adminDSN is the throwaway cluster's (or SMARTDIAG_TEST_POSTGRES's) maintenance database.
var adminDSN string

func TestMain(m *testing.M) {
	dsn, stop, err := servertest.StartPostgres()
	if err != nil {
		fmt.Fprintln(os.Stderr, "postgres tests:", err)
		if os.Getenv("CI") == "true" {
			os.Exit(1) // CI installs PostgreSQL: its absence is a failure, not a skip
		}
	}
	adminDSN = dsn
	code := m.Run()
	stop()
	os.Exit(code)
}

var (
	dbSeq  atomic.Int64
	lastDB string // the database open made last (tests here are not parallel)
)

// open makes a fresh database in the cluster for one test.
func open(t testing.TB) server.Store {
	if adminDSN == "" {
		t.Skip("PostgreSQL is not installed (apt-get install postgresql), and SMARTDIAG_TEST_POSTGRES is not set")
	}
	ctx := context.Background()
	admin, err := sql.Open("pgx", adminDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("smartdiag_test_%d_%d", os.Getpid(), dbSeq.Add(1))
	lastDB = name
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, servertest.WithDatabase(adminDSN, name))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestSuite(t *testing.T) { servertest.Run(t, open) }

func TestMigrationsRunOnce(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	servertest.NewWorld(t, st)
	name := lastDB
	st.Close()
	// Reopen the same database: the data is there and nothing is applied twice.
	again, err := Open(ctx, servertest.WithDatabase(adminDSN, name))
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	var n int
	again.DB.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
	orgs, _ := again.Orgs(ctx)
	if n != sqlstore.Versions() || len(orgs) != 5 {
		t.Errorf("%d migrations recorded, %d orgs, want %d and 5", n, len(orgs), sqlstore.Versions())
	}
}

// TestUploadsCompressWithLZ4: on a server that has lz4 (Debian's PostgreSQL 15 here), the
// columns an upload writes use it, and a document reads back byte for byte (the suite's upload
// test compares the stored bytes too).
func TestUploadsCompressWithLZ4(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	defer st.Close()
	db := st.(*sqlstore.Store).DB
	var lz4 bool
	if err := db.QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals))`).Scan(&lz4); err != nil {
		t.Fatal(err)
	}
	if !lz4 {
		t.Skip("this PostgreSQL has no lz4")
	}
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM pg_attribute WHERE attrelid = 'submissions'::regclass AND attname = ANY ($1) AND attcompression = 'l'`, LZ4Columns).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(LZ4Columns) {
		t.Errorf("%d of the %d upload columns use lz4", n, len(LZ4Columns))
	}
	w := servertest.NewWorld(t, st)
	sealed := servertest.Seal(t, servertest.Doc(t, 1, time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)), servertest.ConsultantA, servertest.ProviderA)
	r, err := w.Svc.Upload(ctx, w.P[servertest.ConsultantA], "d.sdiag", sealed)
	if err != nil || r.Result != server.UploadStored {
		t.Fatalf("%+v %v", r, err)
	}
	var method string
	if err := db.QueryRow(`SELECT COALESCE(pg_column_compression(document), 'none') FROM submissions`).Scan(&method); err != nil || method != "lz4" {
		t.Errorf("the document is stored with %q (%v), want lz4", method, err)
	}
	sub, err := st.Submission(ctx, r.Sub.Seq)
	if err != nil || !bytes.Equal(sub.Document, sealed) {
		t.Errorf("the document does not read back as uploaded (%v)", err)
	}
}
