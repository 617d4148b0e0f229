package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

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
