// Package sqlite opens the district server's store in an embedded SQLite file (modernc.org/sqlite,
// pure Go, no cgo), in WAL mode so that readers never wait for a writer.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"smartdiag/server/sqlstore"
)

// FileName is the database file in the server's data folder.
const FileName = "smartdiag.db"

// Dialect is SQLite's.
var Dialect = sqlstore.Dialect{
	Name:      "sqlite",
	ID:        "INTEGER PRIMARY KEY AUTOINCREMENT",
	Blob:      "BLOB",
	Dollar:    false,
	OneWriter: true,
	IsUniqueViol: func(err error) bool {
		var e *sqlite.Error
		if errors.As(err, &e) {
			c := e.Code()
			return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
		}
		return false
	},
}

// Open opens (creating) the database file at path and applies the migrations. Transactions take
// the write lock when they begin (BEGIN IMMEDIATE), so they never fail half way; this process's
// writers queue in the store first come first served (Dialect.OneWriter), and only another
// process (a setup command run while the server is up) meets the busy timeout.
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(30000)")
	q.Add("_pragma", "foreign_keys(1)")
	// WAL with synchronous=NORMAL: a commit is in the log, in the operating system's cache, when
	// it returns, so an acknowledged upload survives the server being killed (SIGKILL; see
	// cli TestSyncSurvivesKilledServer); the log is fsynced at each checkpoint, so a power cut
	// can lose the last commits since one (the database stays consistent), not corrupt it.
	// FULL would fsync every commit.
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("%s：无法打开数据库：%w", path, err)
	}
	db.SetMaxOpenConns(8)
	// Kept open once made (database/sql keeps two idle by default): a new connection opens the
	// file, runs the pragmas and prepares every statement again.
	db.SetMaxIdleConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s：无法打开数据库：%w", path, err)
	}
	st, err := sqlstore.Open(ctx, db, Dialect)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("%s：%w", path, err)
	}
	return st, nil
}

// Backup writes a consistent copy of the live database to dst (SQLite's VACUUM INTO, which reads
// one snapshot while the server keeps running).
func Backup(ctx context.Context, st *sqlstore.Store, dst string) error {
	_, err := st.DB.ExecContext(ctx, `VACUUM INTO ?`, dst)
	return err
}
