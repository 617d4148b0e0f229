// Package postgres opens the district server's store in PostgreSQL (github.com/jackc/pgx/v5),
// for a city running many districts.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"smartdiag/server/sqlstore"
)

// Dialect is PostgreSQL's.
var Dialect = sqlstore.Dialect{
	Name:   "postgres",
	ID:     "BIGSERIAL PRIMARY KEY",
	Blob:   "BYTEA",
	Dollar: true,
	// An upload is one statement (sqlstore.Dialect.WritingWith).
	WritingWith: true,
	IsUniqueViol: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && e.Code == "23505"
	},
}

// poolSize is how many connections the server keeps to PostgreSQL.
const poolSize = 16

// Open connects to a postgres:// URL and applies the migrations.
func Open(ctx context.Context, dsn string) (*sqlstore.Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("无法连接 PostgreSQL：%w", err)
	}
	// Every connection stays open once made: database/sql keeps only two idle by default and
	// closes the others as they are handed back, so under load the pool kept opening new ones,
	// and each new connection is a new PostgreSQL backend (a fork, cold catalog caches, every
	// statement prepared again): 378 connections in one 4,000-request upload benchmark.
	db.SetMaxOpenConns(poolSize)
	db.SetMaxIdleConns(poolSize)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("无法连接 PostgreSQL：%w", err)
	}
	st, err := sqlstore.Open(ctx, db, Dialect)
	if err != nil {
		db.Close()
		return nil, err
	}
	preferLZ4(ctx, db)
	warm(ctx, db, poolSize)
	return st, nil
}

// warm opens the pool's n connections now rather than when the first burst of requests needs
// them: each is a new PostgreSQL backend (a fork, then its catalog caches filled), and made
// all at once under a burst they delayed its first requests (the upload benchmark's first tenth).
// A connection that cannot be opened is left to be opened later, as before.
func warm(ctx context.Context, db *sql.DB, n int) {
	conns := make([]*sql.Conn, 0, n)
	for range n {
		c, err := db.Conn(ctx)
		if err != nil {
			break
		}
		conns = append(conns, c)
	}
	for _, c := range conns {
		c.Close() // back to the pool, which keeps it (SetMaxIdleConns)
	}
}

// LZ4Columns are the byte columns a new upload writes: a sealed document is about 30 KB of
// JSON, always compressed by PostgreSQL (TOAST).
var LZ4Columns = []string{"original", "document", "pdf"}

// preferLZ4 has PostgreSQL compress the uploads' bytes with lz4 instead of its default pglz:
// compressing a 30 KB sealed document with pglz was a new upload's largest cost in PostgreSQL
// (inserting 2,000 of them: 2.7–2.9 s with pglz, 0.5–0.8 s with lz4, on the loaded 2-core test
// machine), for about the same size (6.5 KB with lz4, 6.1 KB with pglz). Only values written
// from now on are affected; reading is the same for both. lz4 exists from PostgreSQL 14 when the
// server is built with it (Debian's packages and the official images are); elsewhere, or if the
// change is refused, the columns keep pglz, which is only slower, so no error is returned. Note
// that a pg_dump of such a database names lz4 (restore it with --no-toast-compression onto a
// server without lz4).
func preferLZ4(ctx context.Context, db *sql.DB) {
	var lz4 bool
	err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals))`).Scan(&lz4)
	if err != nil || !lz4 {
		return
	}
	rows, err := db.QueryContext(ctx, `SELECT attname FROM pg_attribute WHERE attrelid = 'submissions'::regclass AND attname = ANY ($1) AND attcompression <> 'l' ORDER BY attnum`, LZ4Columns)
	if err != nil {
		return
	}
	var alter []string
	for rows.Next() {
		var col string
		if rows.Scan(&col) == nil {
			alter = append(alter, "ALTER COLUMN "+col+" SET COMPRESSION lz4")
		}
	}
	rows.Close()
	if len(alter) > 0 {
		db.ExecContext(ctx, `ALTER TABLE submissions `+strings.Join(alter, ", "))
	}
}

var _ = stdlib.GetDefaultDriver // registers the "pgx" driver
