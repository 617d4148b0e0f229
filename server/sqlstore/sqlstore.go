// Package sqlstore implements server.Store once over database/sql, for the engines in
// server/sqlite and server/postgres: the queries are the same, a Dialect says how they differ
// (placeholders, column types, how a unique violation looks).
package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"smartdiag/server"
)

// Dialect is what differs between engines.
type Dialect struct {
	Name         string
	ID           string // auto-increment primary key column type
	Blob         string // byte string column type
	Dollar       bool   // placeholders are $1, $2… rather than ?
	IsUniqueViol func(error) bool
	// OneWriter: the engine lets one transaction write at a time (SQLite). The store then
	// queues its own write transactions in Go, first come first served, instead of letting
	// them collide on the database lock and retry with sleeps.
	OneWriter bool
	// WritingWith: the engine runs INSERT inside WITH (PostgreSQL). An upload, its audit entry
	// and the look-up of what is stored under its id are then one statement, atomic on its
	// own: one round trip to the server instead of five (BEGIN, look-up, insert, audit, COMMIT).
	WritingWith bool
}

// Store is server.Store over a *sql.DB.
type Store struct {
	DB *sql.DB
	d  Dialect

	writer chan struct{} // held by the write transaction in progress (OneWriter engines)

	mu        sync.Mutex
	stmts     map[string]*sql.Stmt // prepared once per query: re-parsing SQL was a third of SQLite's time
	preparing map[string]bool
	closed    bool
}

var _ server.Store = (*Store)(nil)

// Open wraps db and applies the migrations it has not seen yet.
func Open(ctx context.Context, db *sql.DB, d Dialect) (*Store, error) {
	s := &Store{DB: db, d: d}
	if d.OneWriter {
		s.writer = make(chan struct{}, 1)
	}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Dialect is the engine's dialect (tests reopen a database with it).
func (s *Store) Dialect() Dialect { return s.d }

// Close closes the database.
func (s *Store) Close() error {
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts, s.closed = nil, true
	s.mu.Unlock()
	return s.DB.Close()
}

// stmt returns the prepared statement of a query (placeholders rewritten), or nil: the caller
// then runs the query text directly. Inside a transaction a missing statement is prepared in the
// background for next time, never waited for: preparing needs a second connection from the
// pool, and with every connection held by a transaction doing the same, all would wait forever.
func (s *Store) stmt(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	s.mu.Lock()
	st, ok := s.stmts[query]
	busy := s.preparing[query]
	closed := s.closed
	if !ok && !busy && !closed && len(s.stmts) < 512 { // IN lists vary; keep the cache bounded
		if s.preparing == nil {
			s.preparing = map[string]bool{}
		}
		s.preparing[query] = true
	} else {
		busy = true
	}
	s.mu.Unlock()
	if ok || busy {
		return st
	}
	prepare := func(ctx context.Context) *sql.Stmt {
		st, err := s.DB.PrepareContext(ctx, query)
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.preparing, query)
		if err != nil {
			return nil
		}
		if s.closed {
			st.Close()
			return nil
		}
		if s.stmts == nil {
			s.stmts = map[string]*sql.Stmt{}
		}
		s.stmts[query] = st
		return st
	}
	if tx != nil {
		go prepare(context.Background())
		return nil
	}
	return prepare(ctx)
}

// row, rows and exec run a query (with ? placeholders), prepared once, in tx when set.
func (s *Store) row(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	q := s.q(query)
	st := s.stmt(ctx, tx, q)
	switch {
	case st != nil && tx != nil:
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	case st != nil:
		return st.QueryRowContext(ctx, args...)
	case tx != nil:
		return tx.QueryRowContext(ctx, q, args...)
	}
	return s.DB.QueryRowContext(ctx, q, args...)
}

func (s *Store) rows(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	q := s.q(query)
	st := s.stmt(ctx, tx, q)
	switch {
	case st != nil && tx != nil:
		return tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	case st != nil:
		return st.QueryContext(ctx, args...)
	case tx != nil:
		return tx.QueryContext(ctx, q, args...)
	}
	return s.DB.QueryContext(ctx, q, args...)
}

func (s *Store) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	q := s.q(query)
	st := s.stmt(ctx, tx, q)
	switch {
	case st != nil && tx != nil:
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	case st != nil:
		return st.ExecContext(ctx, args...)
	case tx != nil:
		return tx.ExecContext(ctx, q, args...)
	}
	return s.DB.ExecContext(ctx, q, args...)
}

// SchemaVersion is the latest migration this build knows.
func SchemaVersion() int { return len(migrations) - 1 }

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.DB.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("数据库迁移：%w", err)
	}
	var have int
	if err := s.DB.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return fmt.Errorf("数据库迁移：%w", err)
	}
	if have > SchemaVersion() {
		return fmt.Errorf("数据库的结构版本 %d 比本程序认识的 %d 新：请使用更新版本的 smartdiag", have, SchemaVersion())
	}
	for v := have + 1; v <= SchemaVersion(); v++ {
		ddl := strings.NewReplacer("{{id}}", s.d.ID, "{{blob}}", s.d.Blob).Replace(migrations[v])
		err := s.tx(ctx, func(tx *sql.Tx) error {
			for _, stmt := range strings.Split(ddl, ";\n") {
				if strings.TrimSpace(stmt) == "" {
					continue
				}
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%w\n%s", err, stmt)
				}
			}
			_, err := s.exec(ctx, tx, `INSERT INTO schema_migrations (version, applied) VALUES (?, ?)`, v, time.Now().UnixMicro())
			return err
		})
		if err != nil {
			return fmt.Errorf("数据库迁移到版本 %d 失败：%w", v, err)
		}
	}
	return nil
}

// q rewrites ? placeholders for the engine.
func (s *Store) q(query string) string {
	if !s.d.Dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (s *Store) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.writer != nil {
		// Waiting on a channel is in arrival order; SQLite's busy handler, which this replaces
		// between the server's own writers, sleeps and retries, so a writer could lose to
		// later ones again and again (the upload benchmark's long tail). Other processes (the
		// setup commands) still meet the busy timeout.
		select {
		case s.writer <- struct{}{}:
			defer func() { <-s.writer }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (s *Store) audit(ctx context.Context, tx *sql.Tx, a server.AuditEntry) error {
	_, err := s.exec(ctx, tx, `INSERT INTO audit (at, user_id, actor, org, district, action, object, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		micro(a.At), a.User, a.Actor, a.Org, a.Scope, a.Action, a.Object, a.Detail)
	return err
}

func micro(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicro(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

func (s *Store) notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return server.ErrNotFound
	}
	return err
}

func (s *Store) exists(err error) error {
	if err != nil && s.d.IsUniqueViol(err) {
		return server.ErrExists
	}
	return err
}

// ---- organisations ----

func (s *Store) AddOrg(ctx context.Context, o *server.Org, a server.AuditEntry) error {
	return s.exists(s.tx(ctx, func(tx *sql.Tx) error {
		err := s.row(ctx, tx, `INSERT INTO orgs (kind, name, city, profile, created) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			string(o.Kind), o.Name, o.City, nilIfEmpty(o.Profile), micro(o.Created)).Scan(&o.ID)
		if err != nil {
			return err
		}
		if o.Kind == server.KindDistrict {
			a.Scope = o.ID
		}
		return s.audit(ctx, tx, a)
	}))
}

func nilIfEmpty(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

const orgCols = `id, kind, name, city, profile, created`

func scanOrg(row interface{ Scan(...any) error }) (*server.Org, error) {
	var o server.Org
	var kind string
	var created int64
	if err := row.Scan(&o.ID, &kind, &o.Name, &o.City, &o.Profile, &created); err != nil {
		return nil, err
	}
	o.Kind, o.Created = server.OrgKind(kind), fromMicro(created)
	return &o, nil
}

func (s *Store) Org(ctx context.Context, id int64) (*server.Org, error) {
	o, err := scanOrg(s.row(ctx, nil, `SELECT `+orgCols+` FROM orgs WHERE id = ?`, id))
	return o, s.notFound(err)
}

func (s *Store) OrgByName(ctx context.Context, name string) (*server.Org, error) {
	o, err := scanOrg(s.row(ctx, nil, `SELECT `+orgCols+` FROM orgs WHERE name = ?`, name))
	return o, s.notFound(err)
}

func (s *Store) Orgs(ctx context.Context) ([]server.Org, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+orgCols+` FROM orgs ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []server.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *o)
	}
	return out, rows.Err()
}

// ---- users and tokens ----

const userCols = `id, org, name, role, password_hash, public_key, fingerprint, created`

func scanUser(row interface{ Scan(...any) error }) (*server.User, error) {
	var u server.User
	var role string
	var created int64
	if err := row.Scan(&u.ID, &u.Org, &u.Name, &role, &u.PasswordHash, &u.PublicKey, &u.Fingerprint, &created); err != nil {
		return nil, err
	}
	u.Role, u.Created = server.Role(role), fromMicro(created)
	return &u, nil
}

func (s *Store) AddUser(ctx context.Context, u *server.User, a server.AuditEntry) error {
	return s.exists(s.tx(ctx, func(tx *sql.Tx) error {
		err := s.row(ctx, tx, `INSERT INTO users (org, name, role, password_hash, public_key, fingerprint, created) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Org, u.Name, string(u.Role), u.PasswordHash, nilIfEmpty(u.PublicKey), u.Fingerprint, micro(u.Created)).Scan(&u.ID)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, a)
	}))
}

func (s *Store) User(ctx context.Context, id int64) (*server.User, error) {
	u, err := scanUser(s.row(ctx, nil, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	return u, s.notFound(err)
}

func (s *Store) UserByName(ctx context.Context, name string) (*server.User, error) {
	u, err := scanUser(s.row(ctx, nil, `SELECT `+userCols+` FROM users WHERE name = ?`, name))
	return u, s.notFound(err)
}

func (s *Store) UserByKey(ctx context.Context, pub []byte) (*server.User, error) {
	if len(pub) == 0 {
		return nil, server.ErrNotFound
	}
	u, err := scanUser(s.row(ctx, nil, `SELECT `+userCols+` FROM users WHERE public_key = ?`, pub))
	return u, s.notFound(err)
}

func (s *Store) SetUserKey(ctx context.Context, user int64, pub []byte, fp string, a server.AuditEntry) error {
	return s.exists(s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `UPDATE users SET public_key = ?, fingerprint = ? WHERE id = ?`, pub, fp, user); err != nil {
			return err
		}
		return s.audit(ctx, tx, a)
	}))
}

func (s *Store) AddToken(ctx context.Context, t server.Token, a *server.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		// Expired sessions are swept as new ones are made, so the table does not grow forever.
		if _, err := s.exec(ctx, tx, `DELETE FROM tokens WHERE expires <> 0 AND expires < ?`, micro(t.Created)); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO tokens (hash, user_id, kind, created, expires) VALUES (?, ?, ?, ?, ?)`,
			t.Hash, t.User, t.Kind, micro(t.Created), micro(t.Expires)); err != nil {
			return err
		}
		if a != nil {
			return s.audit(ctx, tx, *a)
		}
		return nil
	})
}

func (s *Store) TokenUser(ctx context.Context, hash string, now time.Time) (*server.User, error) {
	u, err := scanUser(s.row(ctx, nil, `SELECT u.id, u.org, u.name, u.role, u.password_hash, u.public_key, u.fingerprint, u.created
		FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ? AND (t.expires = 0 OR t.expires > ?)`, hash, micro(now)))
	return u, s.notFound(err)
}

func (s *Store) DeleteToken(ctx context.Context, hash string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `DELETE FROM tokens WHERE hash = ?`, hash)
		return err
	})
}

// ---- rosters and packages ----

func (s *Store) AddRoster(ctx context.Context, r *server.RosterVersion, a server.AuditEntry) error {
	parsed, err := json.Marshal(r.Parsed)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		err := s.row(ctx, tx, `INSERT INTO rosters (district, file_name, sha256, data, parsed, created, by_user) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.District, r.FileName, r.SHA256, r.Data, string(parsed), micro(r.Created), r.By).Scan(&r.ID)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, a)
	})
}

func (s *Store) LatestRoster(ctx context.Context, district int64) (*server.RosterVersion, error) {
	var r server.RosterVersion
	var parsed string
	var created int64
	err := s.row(ctx, nil, `SELECT id, district, file_name, sha256, data, parsed, created, by_user FROM rosters WHERE district = ? ORDER BY id DESC LIMIT 1`, district).
		Scan(&r.ID, &r.District, &r.FileName, &r.SHA256, &r.Data, &parsed, &created, &r.By)
	if err != nil {
		return nil, s.notFound(err)
	}
	r.Created = fromMicro(created)
	if err := json.Unmarshal([]byte(parsed), &r.Parsed); err != nil {
		return nil, fmt.Errorf("名册 %d 无法读取：%w", r.ID, err)
	}
	return &r, nil
}

func (s *Store) AddPackage(ctx context.Context, p *server.Package, a server.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		err := s.row(ctx, tx, `INSERT INTO packages (district, name, start_date, end_date, created) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			p.District, p.Name, p.Start, p.End, micro(p.Created)).Scan(&p.ID)
		if err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, s.q(`INSERT INTO assignments (package, district, provider, credit_code, assigned) VALUES (?, ?, ?, ?, ?)`))
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := range p.Assignments {
			as := &p.Assignments[i]
			as.Package = p.ID
			if _, err := stmt.ExecContext(ctx, p.ID, as.District, as.Provider, as.CreditCode, micro(as.Assigned)); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a)
	})
}

// in appends "AND col IN (…)" for ids; nil ids add nothing, empty ids match nothing.
func in(where *[]string, args *[]any, col string, ids []int64) {
	if ids == nil {
		return
	}
	if len(ids) == 0 {
		*where = append(*where, "1 = 0")
		return
	}
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = "?"
		*args = append(*args, id)
	}
	*where = append(*where, col+" IN ("+strings.Join(ph, ", ")+")")
}

func whereSQL(where []string) string {
	if len(where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(where, " AND ")
}

func (s *Store) Assignments(ctx context.Context, districts []int64, provider int64, creditCode string) ([]server.Assignment, error) {
	var where []string
	var args []any
	in(&where, &args, "district", districts)
	if provider != 0 {
		where, args = append(where, "provider = ?"), append(args, provider)
	}
	if creditCode != "" {
		where, args = append(where, "credit_code = ?"), append(args, creditCode)
	}
	rows, err := s.rows(ctx, nil, `SELECT package, district, provider, credit_code, assigned FROM assignments`+whereSQL(where)+` ORDER BY package, credit_code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []server.Assignment
	for rows.Next() {
		var a server.Assignment
		var at int64
		if err := rows.Scan(&a.Package, &a.District, &a.Provider, &a.CreditCode, &at); err != nil {
			return nil, err
		}
		a.Assigned = fromMicro(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

func (s *Store) UploadCheck(ctx context.Context, pub []byte, provider int64, creditCode string) (int64, int64, error) {
	// Ids start at 1 in both engines, so 0 is free to mean none. A user without a key has NULL.
	var org, district sql.NullInt64
	err := s.row(ctx, nil, `SELECT (SELECT org FROM users WHERE public_key = ?),
		(SELECT district FROM assignments WHERE provider = ? AND credit_code = ? ORDER BY package DESC LIMIT 1)`,
		nilIfEmpty(pub), provider, creditCode).Scan(&org, &district)
	return org.Int64, district.Int64, err
}

func (s *Store) Packages(ctx context.Context, districts []int64, provider int64) ([]server.Package, error) {
	var where []string
	var args []any
	in(&where, &args, "district", districts)
	rows, err := s.rows(ctx, nil, `SELECT id, district, name, start_date, end_date, created FROM packages`+whereSQL(where)+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	var out []server.Package
	for rows.Next() {
		var p server.Package
		var created int64
		if err := rows.Scan(&p.ID, &p.District, &p.Name, &p.Start, &p.End, &created); err != nil {
			rows.Close()
			return nil, err
		}
		p.Created = fromMicro(created)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	as, err := s.Assignments(ctx, districts, provider, "")
	if err != nil {
		return nil, err
	}
	byPkg := map[int64][]server.Assignment{}
	for _, a := range as {
		byPkg[a.Package] = append(byPkg[a.Package], a)
	}
	kept := out[:0]
	for _, p := range out {
		p.Assignments = byPkg[p.ID]
		if provider != 0 && len(p.Assignments) == 0 {
			continue // a provider sees only packages it has firms in
		}
		if p.Assignments == nil {
			p.Assignments = []server.Assignment{}
		}
		kept = append(kept, p)
	}
	return kept, nil
}

// ---- submissions ----

const subCols = `seq, doc_id, sha256, district, provider, uploader, file_name, credit_code, name, supersedes, state, reason, facts, created, updated, accepted, pdf IS NOT NULL`

func scanSub(row interface{ Scan(...any) error }) (*server.Submission, error) {
	var sub server.Submission
	var facts string
	var created, updated, accepted int64
	var hasPDF bool
	if err := row.Scan(&sub.Seq, &sub.ID, &sub.SHA256, &sub.District, &sub.Provider, &sub.Uploader, &sub.FileName, &sub.CreditCode, &sub.Name,
		&sub.Supersedes, &sub.State, &sub.Reason, &facts, &created, &updated, &accepted, &hasPDF); err != nil {
		return nil, err
	}
	sub.Created, sub.Updated, sub.Accepted = fromMicro(created), fromMicro(updated), fromMicro(accepted)
	if err := json.Unmarshal([]byte(facts), &sub.Facts); err != nil {
		return nil, fmt.Errorf("诊断 %s 的事实无法读取：%w", sub.ID, err)
	}
	if hasPDF {
		sub.PDF = []byte{} // present; the bytes are read by Submission
	}
	return &sub, nil
}

func (s *Store) AddSubmission(ctx context.Context, sub *server.Submission, a server.AuditEntry) (*server.Submission, bool, error) {
	facts, err := json.Marshal(sub.Facts)
	if err != nil {
		return nil, false, err
	}
	// Two uploads of other contents of one id may race; the unique index lets one win and the
	// other is retried, and then stored as a conflict.
	for attempt := 0; ; attempt++ {
		var stored *server.Submission
		var created bool
		var err error
		if s.d.WritingWith {
			stored, created, err = s.addSubmissionWith(ctx, sub, facts, a)
		} else {
			stored, created, err = s.addSubmissionTx(ctx, sub, facts, a)
		}
		if err != nil && s.d.IsUniqueViol(err) && attempt < 3 {
			continue
		}
		if err != nil {
			return nil, false, err
		}
		return stored, created, nil
	}
}

// addSubmissionTx is AddSubmission's transaction: the look-up of what is stored under the id,
// then the insert and its audit entry.
func (s *Store) addSubmissionTx(ctx context.Context, sub *server.Submission, facts []byte, a server.AuditEntry) (*server.Submission, bool, error) {
	var stored *server.Submission
	created := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// One query for what is stored under the id: this content (then nothing is
		// written), other contents (then this one is a conflict), or nothing.
		rows, err := s.rows(ctx, tx, `SELECT seq, sha256 FROM submissions WHERE doc_id = ?`, sub.ID)
		if err != nil {
			return err
		}
		var n int
		same := int64(-1)
		for rows.Next() {
			var seq int64
			var sum string
			if err := rows.Scan(&seq, &sum); err != nil {
				rows.Close()
				return err
			}
			if n++; sum == sub.SHA256 {
				same = seq
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if same >= 0 {
			stored, err = scanSub(s.row(ctx, tx, `SELECT `+subCols+` FROM submissions WHERE seq = ?`, same))
			return err
		}
		row := *sub
		if n > 0 {
			row.State = server.StateConflict
			a.Action = "upload.conflict"
		}
		// A .sdiag upload is its own document: the bytes are kept once, and an empty
		// original reads back as the document (Submission). Rows stored before keep both.
		original := row.Original
		if bytes.Equal(original, row.Document) {
			original = []byte{}
		}
		err = s.row(ctx, tx, `INSERT INTO submissions (doc_id, sha256, district, provider, uploader, file_name, credit_code, name, supersedes, state, reason, facts, original, document, document_sha256, pdf, created, updated, accepted)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) RETURNING seq`,
			row.ID, row.SHA256, row.District, row.Provider, row.Uploader, row.FileName, row.CreditCode, row.Name, row.Supersedes,
			row.State, row.Reason, string(facts), original, row.Document, documentHash(row.Document), nilIfEmpty(row.PDF), micro(row.Created), micro(row.Updated)).Scan(&row.Seq)
		if err != nil {
			return err
		}
		stored, created = &row, true
		return s.audit(ctx, tx, a)
	})
	return stored, created, err
}

// addSubmissionWith is AddSubmission's transaction as one statement (Dialect.WritingWith): what
// is stored under the id is read in the statement's snapshot; when this content is among it
// nothing is written and its seq is returned; otherwise the row is inserted (as a conflict when
// the id has other contents) with its audit entry. A concurrent upload of the same id is caught
// by the unique indexes as in the transaction, and AddSubmission tries again.
func (s *Store) addSubmissionWith(ctx context.Context, sub *server.Submission, facts []byte, a server.AuditEntry) (*server.Submission, bool, error) {
	row := *sub
	original := row.Original
	if bytes.Equal(original, row.Document) {
		original = []byte{}
	}
	var seq int64
	var state string
	var inserted bool
	err := s.row(ctx, nil, `WITH prior AS (SELECT seq, sha256 FROM submissions WHERE doc_id = ?::text),
ins AS (
	INSERT INTO submissions (doc_id, sha256, district, provider, uploader, file_name, credit_code, name, supersedes, state, reason, facts, original, document, document_sha256, pdf, created, updated, accepted)
	SELECT ?::text, ?::text, ?::bigint, ?::bigint, ?::bigint, ?::text, ?::text, ?::text, ?::text,
		CASE WHEN EXISTS (SELECT 1 FROM prior) THEN 'conflict' ELSE ?::text END,
		?::text, ?::text, ?::bytea, ?::bytea, ?::text, ?::bytea, ?::bigint, ?::bigint, 0
	WHERE NOT EXISTS (SELECT 1 FROM prior WHERE sha256 = ?::text)
	RETURNING seq, state
),
aud AS (
	INSERT INTO audit (at, user_id, actor, org, district, action, object, detail)
	SELECT ?::bigint, ?::bigint, ?::text, ?::bigint, ?::bigint,
		CASE WHEN EXISTS (SELECT 1 FROM prior) THEN 'upload.conflict' ELSE ?::text END,
		?::text, ?::text
	FROM ins
)
SELECT seq, state, TRUE FROM ins
UNION ALL
SELECT seq, '', FALSE FROM prior WHERE sha256 = ?::text`,
		row.ID,
		row.ID, row.SHA256, row.District, row.Provider, row.Uploader, row.FileName, row.CreditCode, row.Name, row.Supersedes,
		row.State,
		row.Reason, string(facts), original, row.Document, documentHash(row.Document), nilIfEmpty(row.PDF), micro(row.Created), micro(row.Updated),
		row.SHA256,
		micro(a.At), a.User, a.Actor, a.Org, a.Scope,
		a.Action,
		a.Object, a.Detail,
		row.SHA256).Scan(&seq, &state, &inserted)
	if err != nil {
		return nil, false, err
	}
	if !inserted {
		stored, err := scanSub(s.row(ctx, nil, `SELECT `+subCols+` FROM submissions WHERE seq = ?`, seq))
		return stored, false, err
	}
	row.Seq, row.State = seq, state
	return &row, true, nil
}

func (s *Store) AttachPDF(ctx context.Context, seq int64, pdf []byte, a server.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `UPDATE submissions SET pdf = ? WHERE seq = ? AND pdf IS NULL`, pdf, seq)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return s.audit(ctx, tx, a)
	})
}

func (s *Store) Submissions(ctx context.Context, f server.SubmissionFilter) ([]server.Submission, error) {
	var where []string
	var args []any
	in(&where, &args, "district", f.Districts)
	if f.Provider != 0 {
		where, args = append(where, "provider = ?"), append(args, f.Provider)
	}
	if f.ID != "" {
		where, args = append(where, "doc_id = ?"), append(args, f.ID)
	}
	if f.State != "" {
		where, args = append(where, "state = ?"), append(args, f.State)
	}
	if f.SHA256 != "" {
		where, args = append(where, "sha256 = ?"), append(args, f.SHA256)
	}
	rows, err := s.rows(ctx, nil, `SELECT `+subCols+` FROM submissions`+whereSQL(where)+` ORDER BY seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []server.Submission
	for rows.Next() {
		sub, err := scanSub(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *sub)
	}
	return out, rows.Err()
}

// documentHash is the SHA-256 of a sealed document's bytes, the key a retried upload is found by.
func documentHash(doc []byte) string {
	sum := sha256.Sum256(doc)
	return hex.EncodeToString(sum[:])
}

func (s *Store) StoredDocument(ctx context.Context, provider int64, doc []byte) (*server.Submission, error) {
	// Found by the SHA-256 of the exact bytes, which this store computed from them: equal
	// hashes are equal bytes (a collision is not a practical concern), so neither the bytes nor
	// the facts are read or sent again. At most one row matches: equal bytes are one id and one
	// content, which the (doc_id, sha256) key stores once. So no ORDER BY: with one, PostgreSQL's
	// generic plan for a young table walked the provider's rows in seq order (the provider
	// index) and filtered on the hash, a look-up that grew with every upload.
	var sub server.Submission
	var created, updated, accepted int64
	var hasPDF bool
	err := s.row(ctx, nil, `SELECT seq, doc_id, sha256, district, provider, uploader, file_name, credit_code, name, supersedes, state, reason, created, updated, accepted, pdf IS NOT NULL
		FROM submissions WHERE provider = ? AND document_sha256 = ? LIMIT 1`, provider, documentHash(doc)).Scan(
		&sub.Seq, &sub.ID, &sub.SHA256, &sub.District, &sub.Provider, &sub.Uploader, &sub.FileName, &sub.CreditCode, &sub.Name,
		&sub.Supersedes, &sub.State, &sub.Reason, &created, &updated, &accepted, &hasPDF)
	if err != nil {
		return nil, s.notFound(err)
	}
	sub.Created, sub.Updated, sub.Accepted = fromMicro(created), fromMicro(updated), fromMicro(accepted)
	if hasPDF {
		sub.PDF = []byte{}
	}
	return &sub, nil
}

func (s *Store) Submission(ctx context.Context, seq int64) (*server.Submission, error) {
	sub, err := scanSub(s.row(ctx, nil, `SELECT `+subCols+` FROM submissions WHERE seq = ?`, seq))
	if err != nil {
		return nil, s.notFound(err)
	}
	var pdf []byte
	err = s.row(ctx, nil, `SELECT original, document, pdf FROM submissions WHERE seq = ?`, seq).Scan(&sub.Original, &sub.Document, &pdf)
	if err != nil {
		return nil, s.notFound(err)
	}
	if len(sub.Original) == 0 {
		sub.Original = sub.Document // stored once (AddSubmission)
	}
	sub.PDF = pdf
	return sub, nil
}

func (s *Store) SetState(ctx context.Context, seq int64, from []string, to, reason string, now time.Time, a server.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(from)), ", ")
		args := []any{to, reason, micro(now)}
		accepted := int64(0)
		if to == server.StateAccepted {
			accepted = micro(now)
		}
		args = append(args, accepted, seq)
		for _, f := range from {
			args = append(args, f)
		}
		res, err := s.exec(ctx, tx, `UPDATE submissions SET state = ?, reason = ?, updated = ?, accepted = ? WHERE seq = ? AND state IN (`+ph+`)`, args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return server.ErrConflict
		}
		return s.audit(ctx, tx, a)
	})
}

func (s *Store) Audit(ctx context.Context, districts []int64, limit int) ([]server.AuditEntry, error) {
	var where []string
	var args []any
	in(&where, &args, "district", districts)
	args = append(args, limit)
	rows, err := s.rows(ctx, nil, `SELECT id, at, user_id, actor, org, district, action, object, detail FROM audit`+whereSQL(where)+` ORDER BY id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []server.AuditEntry
	for rows.Next() {
		var a server.AuditEntry
		var at int64
		if err := rows.Scan(&a.ID, &at, &a.User, &a.Actor, &a.Org, &a.Scope, &a.Action, &a.Object, &a.Detail); err != nil {
			return nil, err
		}
		a.At = fromMicro(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

const projectCols = `id, district, credit_code, name, stage, planned_investment, actual_investment, subsidy, applied, approved, started, accepted, created, updated, diagnosis, plan_project`

func (s *Store) AddProject(ctx context.Context, p *server.Project, a server.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		err := s.row(ctx, tx, `INSERT INTO projects (district, credit_code, name, stage, planned_investment, actual_investment, subsidy, applied, approved, started, accepted, created, updated, diagnosis, plan_project)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.District, p.CreditCode, p.Name, p.Stage, p.Planned, p.Actual, p.Subsidy, p.Applied, p.Approved, p.Started, p.Accepted, micro(p.Created), micro(p.Updated),
			p.Diagnosis, p.PlanProject).Scan(&p.ID)
		if err != nil {
			return s.exists(err) // the plan project is registered for this firm already
		}
		a.Object = fmt.Sprintf("%s/%d", a.Object, p.ID)
		return s.audit(ctx, tx, a)
	})
}

func (s *Store) UpdateProject(ctx context.Context, p *server.Project, was time.Time, a server.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `UPDATE projects SET stage = ?, actual_investment = ?, subsidy = ?, approved = ?, started = ?, accepted = ?, updated = ? WHERE id = ? AND updated = ?`,
			p.Stage, p.Actual, p.Subsidy, p.Approved, p.Started, p.Accepted, micro(p.Updated), p.ID, micro(was))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return server.ErrConflict
		}
		a.Object = fmt.Sprintf("%s/%d", a.Object, p.ID)
		return s.audit(ctx, tx, a)
	})
}

func scanProject(sc interface{ Scan(...any) error }) (*server.Project, error) {
	var p server.Project
	var created, updated int64
	if err := sc.Scan(&p.ID, &p.District, &p.CreditCode, &p.Name, &p.Stage, &p.Planned, &p.Actual, &p.Subsidy,
		&p.Applied, &p.Approved, &p.Started, &p.Accepted, &created, &updated, &p.Diagnosis, &p.PlanProject); err != nil {
		return nil, err
	}
	p.Created, p.Updated = fromMicro(created), fromMicro(updated)
	return &p, nil
}

func (s *Store) Project(ctx context.Context, id int64) (*server.Project, error) {
	p, err := scanProject(s.row(ctx, nil, `SELECT `+projectCols+` FROM projects WHERE id = ?`, id))
	if err != nil {
		return nil, s.notFound(err)
	}
	return p, nil
}

func (s *Store) Projects(ctx context.Context, districts []int64, creditCode string) ([]server.Project, error) {
	var where []string
	var args []any
	in(&where, &args, "district", districts)
	if creditCode != "" {
		where, args = append(where, "credit_code = ?"), append(args, creditCode)
	}
	rows, err := s.rows(ctx, nil, `SELECT `+projectCols+` FROM projects`+whereSQL(where)+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []server.Project
	for rows.Next() {
		p, err := scanProject(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}
