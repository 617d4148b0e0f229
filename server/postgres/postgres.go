// Package postgres opens the district server's store in PostgreSQL (github.com/jackc/pgx/v5),
// for a city running many districts.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

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
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("无法连接 PostgreSQL：%w", err)
	}
	st, err := sqlstore.Open(ctx, db, Dialect)
	if err != nil {
		db.Close()
		return nil, err
	}
	return st, nil
}

var _ = stdlib.GetDefaultDriver // registers the "pgx" driver
