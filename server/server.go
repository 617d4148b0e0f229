// Package server is the district server's domain: organisations and their users, API tokens,
// rosters, service packages assigning firms to providers, uploaded diagnoses with their review
// states, the audit log and provider scorecards. Service enforces who may see and change what;
// Store is implemented once over database/sql (sqlstore) for SQLite (server/sqlite) and
// PostgreSQL (server/postgres), and served over HTTP by server/http. Verification of uploads,
// roster import and the tally are the CLI's own code (seam.go).
package server

import (
	"context"
	"errors"
	"time"
)

// OrgKind is what an organisation is.
type OrgKind string

// Organisation kinds.
const (
	KindDistrict OrgKind = "district" // a district office (区工信局): owns a roster, packages and reviews
	KindProvider OrgKind = "provider" // a diagnosis service provider (服务商)
	KindCity     OrgKind = "city"     // a city bureau overseeing its districts
)

// ParseKind checks an organisation kind.
func ParseKind(s string) (OrgKind, error) {
	switch k := OrgKind(s); k {
	case KindDistrict, KindProvider, KindCity:
		return k, nil
	}
	return "", Invalidf("机构类型「%s」无效：应为 district（区工信局）、provider（服务商）或 city（市）", s)
}

// Role is what a user may do.
type Role string

// Roles, each tied to one kind of organisation.
const (
	RoleOfficer       Role = "officer"        // district officer: roster, packages, review
	RoleProviderAdmin Role = "provider_admin" // provider admin: registers consultants' keys, sees the provider's work
	RoleConsultant    Role = "consultant"     // consultant: uploads sealed diagnoses, sees own provider's assignments
	RoleCityViewer    Role = "city_viewer"    // city: reads all of its districts
)

// ParseRole checks a role for an organisation kind.
func ParseRole(s string, kind OrgKind) (Role, error) {
	r := Role(s)
	want := map[Role]OrgKind{RoleOfficer: KindDistrict, RoleProviderAdmin: KindProvider, RoleConsultant: KindProvider, RoleCityViewer: KindCity}
	k, ok := want[r]
	if !ok {
		return "", Invalidf("角色「%s」无效：应为 officer（区工信局）、provider_admin（服务商管理员）、consultant（顾问）或 city_viewer（市）", s)
	}
	if k != kind {
		return "", Invalidf("角色 %s 只能属于 %s 类机构，不能属于 %s", r, k, kind)
	}
	return r, nil
}

// Org is an organisation (tenant).
type Org struct {
	ID      int64     `json:"id"`
	Kind    OrgKind   `json:"kind"`
	Name    string    `json:"name"`
	City    int64     `json:"city,omitempty"` // a district's city, 0 when none
	Profile []byte    `json:"-"`              // a district's profile YAML; empty: the bundled one
	Created time.Time `json:"created"`
}

// User is a person who signs in.
type User struct {
	ID           int64     `json:"id"`
	Org          int64     `json:"org"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"-"`
	PublicKey    []byte    `json:"-"` // a consultant's Ed25519 sealing key, registered by the provider admin
	Fingerprint  string    `json:"fingerprint,omitempty"`
	Created      time.Time `json:"created"`
}

// Token is a bearer credential; only its hash is stored.
type Token struct {
	Hash    string    `json:"-"`
	User    int64     `json:"user"`
	Kind    string    `json:"kind"` // "api" (made by `server token add`) or "session" (a login)
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires,omitzero"` // zero: never
}

// RosterVersion is one uploaded roster of a district; the latest is in force.
type RosterVersion struct {
	ID       int64     `json:"id"`
	District int64     `json:"district"`
	FileName string    `json:"file_name"`
	SHA256   string    `json:"sha256"`
	Data     []byte    `json:"-"`
	Parsed   *Roster   `json:"-"`
	Created  time.Time `json:"created"`
	By       int64     `json:"by"`
}

// Package is a service package (诊断服务包): a period, and firms assigned to providers.
type Package struct {
	ID          int64        `json:"id"`
	District    int64        `json:"district"`
	Name        string       `json:"name"`
	Start       string       `json:"start"` // YYYY-MM-DD
	End         string       `json:"end"`   // YYYY-MM-DD
	Created     time.Time    `json:"created"`
	Assignments []Assignment `json:"assignments"`
}

// Assignment is one firm of a package handed to one provider.
type Assignment struct {
	Package    int64     `json:"package"`
	District   int64     `json:"district"`
	Provider   int64     `json:"provider"`
	CreditCode string    `json:"credit_code"`
	Assigned   time.Time `json:"assigned"`
}

// Review states of an upload.
const (
	StateReceived    = "received"    // uploaded, waiting for review
	StateResubmitted = "resubmitted" // a revision of a returned diagnosis, waiting for review
	StateAccepted    = "accepted"
	StateReturned    = "returned" // sent back with a reason; a revision (supersedes) answers it
	StateConflict    = "conflict" // same id as a stored document, other content: kept, shown, never counted
)

// Submission is one stored upload: its original bytes, its facts and its review state. A
// document id has one submission, plus one per conflicting content; nothing is overwritten.
type Submission struct {
	Seq        int64      `json:"seq"`
	ID         string     `json:"id"` // the document's id
	SHA256     string     `json:"sha256"`
	District   int64      `json:"district"`
	Provider   int64      `json:"provider"`
	Uploader   int64      `json:"uploader"`
	FileName   string     `json:"file_name"`
	CreditCode string     `json:"credit_code"`
	Name       string     `json:"name"`
	Supersedes string     `json:"supersedes,omitempty"`
	State      string     `json:"state"`
	Reason     string     `json:"reason,omitempty"`
	Facts      *Diagnosis `json:"facts,omitempty"`
	Original   []byte     `json:"-"` // the bytes as uploaded (a .sdiag, or a report PDF)
	Document   []byte     `json:"-"` // the sealed document (extracted from a PDF)
	PDF        []byte     `json:"-"` // the report PDF when one was uploaded
	Created    time.Time  `json:"created"`
	Updated    time.Time  `json:"updated"`
	Accepted   time.Time  `json:"accepted,omitzero"`
}

// AuditEntry is one change: who, when, what.
type AuditEntry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	User   int64     `json:"user"`     // 0: a setup command on the server itself
	Actor  string    `json:"actor"`    // the user's name, or "setup"
	Org    int64     `json:"org"`      // the actor's organisation
	Scope  int64     `json:"district"` // the district concerned, 0 when none
	Action string    `json:"action"`   // e.g. upload, accept, return, roster, package, user.add
	Object string    `json:"object"`   // e.g. a document id, a user name
	Detail string    `json:"detail,omitempty"`
}

// SubmissionFilter selects submissions; zero fields match all.
type SubmissionFilter struct {
	Districts []int64 // nil: any; empty non-nil: none
	Provider  int64
	ID        string
	State     string
	SHA256    string // the document's SHA-256 (hex)
}

// Store keeps everything the server knows. Every change is written together with its audit
// entry, in one transaction.
type Store interface {
	AddOrg(ctx context.Context, o *Org, a AuditEntry) error
	Org(ctx context.Context, id int64) (*Org, error)
	OrgByName(ctx context.Context, name string) (*Org, error)
	Orgs(ctx context.Context) ([]Org, error)

	AddUser(ctx context.Context, u *User, a AuditEntry) error
	User(ctx context.Context, id int64) (*User, error)
	UserByName(ctx context.Context, name string) (*User, error)
	// UserByKey finds the user whose registered sealing key this is.
	UserByKey(ctx context.Context, pub []byte) (*User, error)
	SetUserKey(ctx context.Context, user int64, pub []byte, fp string, a AuditEntry) error

	AddToken(ctx context.Context, t Token, a *AuditEntry) error
	TokenUser(ctx context.Context, hash string, now time.Time) (*User, error)
	DeleteToken(ctx context.Context, hash string) error

	AddRoster(ctx context.Context, r *RosterVersion, a AuditEntry) error
	// LatestRoster is the district's roster in force; ErrNotFound when none was uploaded.
	LatestRoster(ctx context.Context, district int64) (*RosterVersion, error)

	AddPackage(ctx context.Context, p *Package, a AuditEntry) error
	Packages(ctx context.Context, districts []int64, provider int64) ([]Package, error)
	// Assignments lists firms assigned to a provider (0: any) in the given districts (nil: any).
	Assignments(ctx context.Context, districts []int64, provider int64, creditCode string) ([]Assignment, error)
	// UploadCheck answers an upload's two questions in one query: the organisation of the user
	// whose sealing key pub is (0: none, as UserByKey's ErrNotFound), and the district of the
	// provider's latest assignment of the firm (0: none; the district of the last of
	// Assignments(nil, provider, creditCode)).
	UploadCheck(ctx context.Context, pub []byte, provider int64, creditCode string) (keyOrg, district int64, err error)

	// AddSubmission stores an upload. It is idempotent by (id, sha256): when that pair is stored
	// already, nothing is written and the stored one is returned with stored=false.
	AddSubmission(ctx context.Context, s *Submission, a AuditEntry) (stored *Submission, created bool, err error)
	// AttachPDF keeps a report PDF for a stored submission that has none.
	AttachPDF(ctx context.Context, seq int64, pdf []byte, a AuditEntry) error
	Submissions(ctx context.Context, f SubmissionFilter) ([]Submission, error)
	// StoredDocument finds the provider's submission whose sealed document is exactly doc,
	// without its facts or bytes; ErrNotFound when there is none.
	StoredDocument(ctx context.Context, provider int64, doc []byte) (*Submission, error)
	// Submission reads one with its bytes.
	Submission(ctx context.Context, seq int64) (*Submission, error)
	// SetState moves a submission from one of the states in from to the state to; ErrConflict
	// when it is no longer in one of them (someone else reviewed it first).
	SetState(ctx context.Context, seq int64, from []string, to, reason string, now time.Time, a AuditEntry) error

	AddProject(ctx context.Context, p *Project, a AuditEntry) error
	// UpdateProject writes a project's stage, figures and dates; ErrConflict when it changed
	// since it was read (its Updated is no longer was).
	UpdateProject(ctx context.Context, p *Project, was time.Time, a AuditEntry) error
	Project(ctx context.Context, id int64) (*Project, error)
	Projects(ctx context.Context, districts []int64, creditCode string) ([]Project, error)

	Audit(ctx context.Context, districts []int64, limit int) ([]AuditEntry, error)

	Close() error
}

// Errors every Store and the Service return; the HTTP layer maps them to status codes.
var (
	ErrNotFound  = errors.New("not found")
	ErrExists    = errors.New("already exists")
	ErrConflict  = errors.New("conflict")
	ErrForbidden = errors.New("forbidden")
	ErrAuth      = errors.New("unauthenticated")
)

// InvalidError is bad input, with a message for the user (Chinese).
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

// Invalidf makes an InvalidError.
func Invalidf(format string, args ...any) error {
	return &InvalidError{Msg: sprintf(format, args...)}
}
