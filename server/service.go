package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Service enforces who may see and change what. Every method that acts for a user takes the
// Principal the HTTP layer authenticated; setup methods (the `smartdiag server` commands, run on
// the server machine) take none.
type Service struct {
	Store Store
	Now   func() time.Time // nil: time.Now

	// Uploads is how many uploads are verified and stored at once (0: one per CPU); the others
	// wait their turn in arrival order. See admit.
	Uploads int

	mu         sync.Mutex
	challenges map[string]challenge
	gateOnce   sync.Once
	gate       chan struct{}
	authMu     sync.Mutex
	auth       map[string]authEntry // token hash → principal, for AuthCacheTTL
	authGen    int                  // counts logouts
}

// AuthCacheTTL is how long an API token's principal is reused without reading the database
// again: a consultant's app sends one request after another, and the lookup (two queries) was
// a tenth of a retried upload. A token deleted by this server (logout) is forgotten at once; a
// change made by another process (a setup command) or a token's expiry is seen within this time.
const AuthCacheTTL = 2 * time.Second

type authEntry struct {
	p  Principal
	at time.Time
}

type challenge struct {
	user    int64
	expires time.Time
}

// SessionTTL is how long a login lasts.
const SessionTTL = 12 * time.Hour

// NewService returns a service over a store.
func NewService(st Store) *Service { return &Service{Store: st} }

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Principal is an authenticated user with the organisation it acts for.
type Principal struct {
	User User
	Org  Org
	// Districts are the districts whose data the user reads: its own for an officer, the city's
	// for a city viewer, none for a provider (providers see by assignment).
	Districts []int64
}

func (p *Principal) isProvider() bool { return p.Org.Kind == KindProvider }

func (p *Principal) audit(action, object, detail string, district int64, now time.Time) AuditEntry {
	return AuditEntry{At: now, User: p.User.ID, Actor: p.User.Name, Org: p.Org.ID, Scope: district, Action: action, Object: object, Detail: detail}
}

func setupAudit(action, object, detail string, district int64, now time.Time) AuditEntry {
	return AuditEntry{At: now, Actor: "setup", Scope: district, Action: action, Object: object, Detail: detail}
}

// principal loads a user's organisation and scope.
func (s *Service) principal(ctx context.Context, u *User) (*Principal, error) {
	o, err := s.Store.Org(ctx, u.Org)
	if err != nil {
		return nil, err
	}
	p := &Principal{User: *u, Org: *o, Districts: []int64{}}
	switch o.Kind {
	case KindDistrict:
		p.Districts = []int64{o.ID}
	case KindCity:
		orgs, err := s.Store.Orgs(ctx)
		if err != nil {
			return nil, err
		}
		for _, d := range orgs {
			if d.Kind == KindDistrict && d.City == o.ID {
				p.Districts = append(p.Districts, d.ID)
			}
		}
	}
	return p, nil
}

// ---- setup (the `smartdiag server` commands) ----

// AddOrg creates an organisation; city names a district's city (optional). profile is a
// district's profile YAML, checked as `smartdiag tally --profile` checks it.
func (s *Service) AddOrg(ctx context.Context, kind OrgKind, name, city string, profile []byte) (*Org, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, Invalidf("机构名称不能为空")
	}
	o := &Org{Kind: kind, Name: name, Profile: profile, Created: s.now()}
	if len(profile) > 0 {
		if kind != KindDistrict {
			return nil, Invalidf("只有区（district）有区县画像（--profile）")
		}
		if _, err := districtProfile(profile); err != nil {
			return nil, Invalidf("区县画像：%v", err)
		}
	}
	if city != "" {
		if kind != KindDistrict {
			return nil, Invalidf("只有区（district）属于某个市（--city）")
		}
		c, err := s.Store.OrgByName(ctx, city)
		if err != nil || c.Kind != KindCity {
			return nil, Invalidf("找不到市「%s」：请先用 smartdiag server org add --kind city 创建", city)
		}
		o.City = c.ID
	}
	if err := s.Store.AddOrg(ctx, o, setupAudit("org.add", name, string(kind), 0, o.Created)); err != nil {
		if errors.Is(err, ErrExists) {
			return nil, Invalidf("机构「%s」已存在", name)
		}
		return nil, err
	}
	return o, nil
}

// AddUser creates a user of an organisation. keyFile is a consultant's public key file
// (`smartdiag key --out`); password may be empty for a consultant who logs in with the key.
func (s *Service) AddUser(ctx context.Context, orgName, name string, role string, keyFile []byte, password string) (*User, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, Invalidf("用户名不能为空")
	}
	o, err := s.Store.OrgByName(ctx, orgName)
	if err != nil {
		return nil, Invalidf("找不到机构「%s」：请先用 smartdiag server org add 创建", orgName)
	}
	r, err := ParseRole(role, o.Kind)
	if err != nil {
		return nil, err
	}
	u := &User{Org: o.ID, Name: name, Role: r, Created: s.now()}
	if password != "" {
		if u.PasswordHash, err = HashPassword(password); err != nil {
			return nil, err
		}
	}
	if len(keyFile) > 0 {
		pub, err := parsePublicKeyFile(keyFile)
		if err != nil {
			return nil, Invalidf("公钥文件：%v", err)
		}
		u.PublicKey, u.Fingerprint = pub, fingerprint(pub)
		if other, err := s.Store.UserByKey(ctx, pub); err == nil {
			return nil, Invalidf("这把公钥已登记给用户「%s」", other.Name)
		}
	}
	if u.PasswordHash == "" && u.PublicKey == nil {
		return nil, Invalidf("用户需要密码（--password-stdin）或顾问的公钥文件（--key）才能登录")
	}
	if err := s.Store.AddUser(ctx, u, setupAudit("user.add", name, string(r)+" @ "+o.Name, districtOf(o), u.Created)); err != nil {
		if errors.Is(err, ErrExists) {
			return nil, Invalidf("用户「%s」已存在", name)
		}
		return nil, err
	}
	return u, nil
}

func districtOf(o *Org) int64 {
	if o.Kind == KindDistrict {
		return o.ID
	}
	return 0
}

// AddToken makes an API token for a user and returns it; only its hash is kept.
func (s *Service) AddToken(ctx context.Context, userName string) (string, error) {
	u, err := s.Store.UserByName(ctx, userName)
	if err != nil {
		return "", Invalidf("找不到用户「%s」", userName)
	}
	plain, hash, err := newToken()
	if err != nil {
		return "", err
	}
	now := s.now()
	a := setupAudit("token.add", u.Name, "", 0, now)
	return plain, s.Store.AddToken(ctx, Token{Hash: hash, User: u.ID, Kind: "api", Created: now}, &a)
}

// SetupRoster imports a district's roster from the server machine (as `smartdiag server roster`).
func (s *Service) SetupRoster(ctx context.Context, districtName, fileName string, data []byte) (*Roster, error) {
	o, err := s.Store.OrgByName(ctx, districtName)
	if err != nil || o.Kind != KindDistrict {
		return nil, Invalidf("找不到区「%s」", districtName)
	}
	return s.addRoster(ctx, o, fileName, data, setupAudit("roster", fileName, "", o.ID, s.now()), 0)
}

func (s *Service) addRoster(ctx context.Context, district *Org, fileName string, data []byte, a AuditEntry, by int64) (*Roster, error) {
	r, err := importRoster(fileName, data, district.Profile)
	if err != nil {
		return nil, &InvalidError{Msg: err.Error()}
	}
	sum := sha256.Sum256(data)
	a.Detail = fmt.Sprintf("%d 行：有效 %d，无效 %d，重复 %d", r.Rows, r.Valid(), len(r.Invalid), len(r.Duplicates))
	rv := &RosterVersion{District: district.ID, FileName: r.File, SHA256: hex.EncodeToString(sum[:]), Data: data, Parsed: r, Created: a.At, By: by}
	if err := s.Store.AddRoster(ctx, rv, a); err != nil {
		return nil, err
	}
	return r, nil
}

// ---- authentication ----

// Authenticate resolves a bearer or session token.
func (s *Service) Authenticate(ctx context.Context, token string) (*Principal, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return nil, ErrAuth
	}
	hash, now := HashToken(token), s.now()
	s.authMu.Lock()
	e, ok := s.auth[hash]
	gen := s.authGen
	s.authMu.Unlock()
	if ok && !now.Before(e.at) && now.Sub(e.at) < AuthCacheTTL {
		p := e.p
		p.Districts = slices.Clone(p.Districts)
		return &p, nil
	}
	u, err := s.Store.TokenUser(ctx, hash, now)
	if err != nil {
		return nil, ErrAuth
	}
	p, err := s.principal(ctx, u)
	if err != nil {
		return nil, err
	}
	s.authMu.Lock()
	if len(s.auth) >= 10000 {
		for k, e := range s.auth {
			if now.Before(e.at) || now.Sub(e.at) >= AuthCacheTTL {
				delete(s.auth, k)
			}
		}
	}
	if s.auth == nil || len(s.auth) >= 10000 {
		s.auth = map[string]authEntry{}
	}
	if gen == s.authGen { // no logout while the database was read
		e := authEntry{p: *p, at: now}
		e.p.Districts = slices.Clone(p.Districts)
		s.auth[hash] = e
	}
	s.authMu.Unlock()
	return p, nil
}

// Login checks a password and returns a session token.
func (s *Service) Login(ctx context.Context, name, password string) (string, *Principal, error) {
	u, err := s.Store.UserByName(ctx, name)
	if err != nil || u.PasswordHash == "" || !CheckPassword(u.PasswordHash, password) {
		return "", nil, ErrAuth
	}
	return s.session(ctx, u, "login.password")
}

func (s *Service) session(ctx context.Context, u *User, how string) (string, *Principal, error) {
	p, err := s.principal(ctx, u)
	if err != nil {
		return "", nil, err
	}
	plain, hash, err := newToken()
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	a := p.audit(how, u.Name, "", 0, now)
	if err := s.Store.AddToken(ctx, Token{Hash: hash, User: u.ID, Kind: "session", Created: now, Expires: now.Add(SessionTTL)}, &a); err != nil {
		return "", nil, err
	}
	return plain, p, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, token string) error {
	hash := HashToken(token)
	err := s.Store.DeleteToken(ctx, hash)
	s.authMu.Lock()
	delete(s.auth, hash)
	s.authGen++
	s.authMu.Unlock()
	return err
}

// Challenge starts a key login for a consultant, named or found by its public key (the app knows
// its key, not always the user name): the nonce to sign, valid for two minutes.
func (s *Service) Challenge(ctx context.Context, name string, pub []byte) (string, error) {
	var u *User
	var err error
	if len(pub) > 0 {
		u, err = s.Store.UserByKey(ctx, pub)
	} else {
		u, err = s.Store.UserByName(ctx, name)
	}
	if err != nil || len(u.PublicKey) != ed25519.PublicKeySize {
		return "", ErrAuth
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	nonce := base64.RawURLEncoding.EncodeToString(b)
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.challenges == nil {
		s.challenges = map[string]challenge{}
	}
	for k, c := range s.challenges {
		if now.After(c.expires) {
			delete(s.challenges, k)
		}
	}
	if len(s.challenges) > 10000 {
		return "", ErrAuth // flooded: refuse rather than grow without bound
	}
	s.challenges[nonce] = challenge{user: u.ID, expires: now.Add(2 * time.Minute)}
	return nonce, nil
}

// KeyLogin checks a signed challenge (each nonce works once) and returns a session token; name,
// when given, must be the challenged user's.
func (s *Service) KeyLogin(ctx context.Context, name, nonce, signature string) (string, *Principal, error) {
	s.mu.Lock()
	c, ok := s.challenges[nonce]
	delete(s.challenges, nonce)
	s.mu.Unlock()
	if !ok || s.now().After(c.expires) {
		return "", nil, ErrAuth
	}
	u, err := s.Store.User(ctx, c.user)
	if err != nil || (name != "" && u.Name != name) || len(u.PublicKey) != ed25519.PublicKeySize {
		return "", nil, ErrAuth
	}
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil || !ed25519.Verify(ed25519.PublicKey(u.PublicKey), ChallengeMessage(nonce), sig) {
		return "", nil, ErrAuth
	}
	return s.session(ctx, u, "login.key")
}

// RegisterKey lets a provider admin register (or replace) a consultant's sealing key.
func (s *Service) RegisterKey(ctx context.Context, p *Principal, userName string, keyFile []byte) (*User, error) {
	if p.User.Role != RoleProviderAdmin {
		return nil, ErrForbidden
	}
	u, err := s.Store.UserByName(ctx, userName)
	if err != nil || u.Org != p.Org.ID {
		return nil, ErrNotFound
	}
	if u.Role != RoleConsultant {
		return nil, Invalidf("只能为顾问（consultant）登记公钥")
	}
	pub, err := parsePublicKeyFile(keyFile)
	if err != nil {
		return nil, Invalidf("公钥文件：%v", err)
	}
	if other, err := s.Store.UserByKey(ctx, pub); err == nil && other.ID != u.ID {
		return nil, Invalidf("这把公钥已登记给另一个用户")
	}
	fp := fingerprint(pub)
	if err := s.Store.SetUserKey(ctx, u.ID, pub, fp, p.audit("user.key", u.Name, fp, 0, s.now())); err != nil {
		return nil, err
	}
	u.PublicKey, u.Fingerprint = pub, fp
	return u, nil
}

// ---- uploads and review ----

// UploadResult is what an upload did.
type UploadResult struct {
	Result string      `json:"result"` // stored, skipped (already there), conflict, rejected
	ID     string      `json:"id,omitempty"`
	SHA256 string      `json:"sha256,omitempty"`
	State  string      `json:"state,omitempty"`
	Reason string      `json:"reason,omitempty"`
	Status string      `json:"status,omitempty"` // the verification status when rejected
	Sub    *Submission `json:"submission,omitempty"`
}

// Upload results.
const (
	UploadStored   = "stored"
	UploadSkipped  = "skipped"
	UploadConflict = "conflict"
	UploadRejected = "rejected"
)

// providerTrust trusts the keys registered to one provider's users, under the provider's name:
// a consultant cannot hand in another provider's work.
type providerTrust struct {
	ctx      context.Context
	store    Store
	provider *Org
}

func (t providerTrust) Trusted(pub ed25519.PublicKey) (string, bool) {
	u, err := t.store.UserByKey(t.ctx, pub)
	if err != nil || u.Org != t.provider.ID {
		return "", false
	}
	return t.provider.Name, true
}

// pendingKey answers the seal check's question about the signer's key with yes, as the
// provider, and remembers the key: Service.verifyUpload asks the store about the key together
// with the firm's assignment afterwards, in one query instead of two.
type pendingKey struct {
	provider string
	pub      ed25519.PublicKey
	asked    int
}

func (k *pendingKey) Trusted(pub ed25519.PublicKey) (string, bool) {
	k.pub, k.asked = pub, k.asked+1
	return k.provider, true
}

// verifyUpload checks an upload's seal, that its signer's key is registered to p's provider,
// and which district assigned its firm to the provider (0: none). The answer is the one the seal
// check against the registered keys (providerTrust) and then the assignment look-up gave, one
// after the other; they are now asked of the store in one query (Store.UploadCheck) once the
// seal is known to be intact. When that query finds the key is not the provider's, or the check
// was not clean, the upload is checked again against the registered keys, so that a rejection
// reads exactly as before; only such uploads are verified twice.
func (s *Service) verifyUpload(ctx context.Context, p *Principal, fileName string, data []byte) (doc []byte, facts *Diagnosis, district int64, rej *Rejected, err error) {
	key := &pendingKey{provider: p.Org.Name}
	doc, facts, rej = checkUpload(fileName, data, key)
	switch {
	case rej != nil && key.asked == 0:
		return nil, nil, 0, rej, nil // rejected before the key was asked about: the key played no part
	case rej == nil && key.asked == 1:
		org, district, err := s.Store.UploadCheck(ctx, key.pub, p.Org.ID, facts.CreditCode)
		if err != nil {
			return nil, nil, 0, nil, err
		}
		if org == p.Org.ID {
			return doc, facts, district, nil, nil
		}
	}
	doc, facts, rej = checkUpload(fileName, data, providerTrust{ctx, s.Store, &p.Org})
	if rej != nil {
		return nil, nil, 0, rej, nil
	}
	as, err := s.Store.Assignments(ctx, nil, p.Org.ID, facts.CreditCode)
	if err != nil || len(as) == 0 {
		return doc, facts, 0, nil, err
	}
	return doc, facts, as[len(as)-1].District, nil, nil
}

// Upload verifies a sealed diagnosis (or a report PDF carrying one) exactly as the district
// import does and stores it with its original bytes. The firm must be assigned to the uploader's
// provider. Uploading the same document again is harmless.
func (s *Service) Upload(ctx context.Context, p *Principal, fileName string, data []byte) (*UploadResult, error) {
	if p.User.Role != RoleConsultant && p.User.Role != RoleProviderAdmin {
		return nil, ErrForbidden
	}
	release, err := s.admit(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if res, err := s.retriedUpload(ctx, p, data); res != nil || err != nil {
		return res, err
	}
	doc, facts, district, rej, err := s.verifyUpload(ctx, p, fileName, data)
	if err != nil {
		return nil, err
	}
	if rej != nil {
		return &UploadResult{Result: UploadRejected, ID: rej.ID, Status: rej.Status, Reason: rej.Reason}, nil
	}
	if district == 0 {
		return &UploadResult{Result: UploadRejected, ID: facts.ID, SHA256: facts.SHA256, Status: "unassigned",
			Reason: fmt.Sprintf("企业「%s」（%s）不在分派给「%s」的服务包中，不能上传；请联系区工信局", facts.Name, facts.CreditCode, p.Org.Name)}, nil
	}
	now := s.now()
	sub := &Submission{ID: facts.ID, SHA256: facts.SHA256, District: district, Provider: p.Org.ID, Uploader: p.User.ID,
		FileName: fileName, CreditCode: facts.CreditCode, Name: facts.Name, Supersedes: facts.Supersedes,
		State: StateReceived, Facts: facts, Original: data, Document: doc, Created: now, Updated: now}
	if !bytes.Equal(doc, data) {
		sub.PDF = data
	}
	if facts.Supersedes != "" {
		olds, err := s.Store.Submissions(ctx, SubmissionFilter{ID: facts.Supersedes})
		if err != nil {
			return nil, err
		}
		for _, o := range olds {
			if o.State == StateConflict {
				continue
			}
			if o.Provider != p.Org.ID || o.CreditCode != facts.CreditCode {
				return &UploadResult{Result: UploadRejected, ID: facts.ID, SHA256: facts.SHA256, Status: "supersedes",
					Reason: "修订所替代的诊断不是本服务商对同一企业的诊断，不能上传"}, nil
			}
			if o.State == StateReturned {
				sub.State = StateResubmitted
			}
		}
	}
	a := p.audit("upload", facts.ID, fmt.Sprintf("%s %s sha256:%s", facts.Name, facts.CreditCode, facts.SHA256[:12]), district, now)
	stored, created, err := s.Store.AddSubmission(ctx, sub, a)
	if err != nil {
		return nil, err
	}
	res := &UploadResult{ID: stored.ID, SHA256: stored.SHA256, State: stored.State, Sub: stored}
	switch {
	case !created:
		res.Result, res.Reason = UploadSkipped, "已上传过（内容相同）"
		if sub.PDF != nil && stored.PDF == nil {
			if err := s.Store.AttachPDF(ctx, stored.Seq, sub.PDF, p.audit("upload.pdf", stored.ID, fileName, district, now)); err != nil {
				return nil, err
			}
		}
	case stored.State == StateConflict:
		res.Result = UploadConflict
		res.Reason = "冲突：服务器上已有同 id 但内容不同的诊断；同一份诊断不能有两个版本，修改应另建修订。两份都已保留，等待区工信局核查"
	default:
		res.Result = UploadStored
	}
	return res, nil
}

// admit waits for an upload's turn. An upload is almost all CPU (the seal check, scoring, the
// database write), so running more of them at once than there are CPUs finishes none sooner; it
// only lets the scheduler, the connection pool (which hands a freed connection to a random
// waiter) and SQLite's lock retries (which sleep) pick winners, and 100 uploaders then see a
// long tail. Waiting on a channel is first come, first served, so each upload waits for those
// ahead of it and no longer: latency stays near the mean. The body is read before (a slow
// client holds no turn), and a request whose client gave up leaves the queue.
func (s *Service) admit(ctx context.Context) (release func(), err error) {
	s.gateOnce.Do(func() {
		n := s.Uploads
		if n <= 0 {
			n = runtime.GOMAXPROCS(0)
		}
		s.gate = make(chan struct{}, n)
	})
	select {
	case s.gate <- struct{}{}:
		return func() { <-s.gate }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// retriedUpload answers an upload of exactly the bytes of a document this provider has stored
// (a client's retry after a lost answer, or a second sync) from the store, without verifying the
// seal again (most of an upload's CPU): it was verified when it was stored, and the answer is what
// the full path gives, "skipped" with the stored state. A report PDF takes the full path (its
// hash is not the document's, and it may add the PDF to a stored document).
func (s *Service) retriedUpload(ctx context.Context, p *Principal, data []byte) (*UploadResult, error) {
	if bytes.HasPrefix(data, []byte("%PDF")) {
		return nil, nil
	}
	stored, err := s.Store.StoredDocument(ctx, p.Org.ID, data)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &UploadResult{Result: UploadSkipped, Reason: "已上传过（内容相同）", ID: stored.ID, SHA256: stored.SHA256, State: stored.State, Sub: stored}, nil
}

// canSee reports whether p may read a submission.
func (p *Principal) canSee(sub *Submission) bool {
	if p.isProvider() {
		return sub.Provider == p.Org.ID
	}
	return slices.Contains(p.Districts, sub.District)
}

func (p *Principal) filter(f SubmissionFilter) SubmissionFilter {
	if p.isProvider() {
		f.Provider = p.Org.ID
	} else {
		f.Districts = p.Districts
	}
	return f
}

// Submissions lists what p may see.
func (s *Service) Submissions(ctx context.Context, p *Principal, state string) ([]Submission, error) {
	return s.Store.Submissions(ctx, p.filter(SubmissionFilter{State: state}))
}

// SubmissionsOf returns the submissions of one document id that p may see (the stored one and
// any conflicting contents); ErrNotFound when there are none.
func (s *Service) SubmissionsOf(ctx context.Context, p *Principal, id string) ([]Submission, error) {
	subs, err := s.Store.Submissions(ctx, p.filter(SubmissionFilter{ID: id}))
	if err != nil {
		return nil, err
	}
	if len(subs) == 0 {
		return nil, ErrNotFound
	}
	return subs, nil
}

// Submission reads one document's stored submission (not a conflicting copy) with its bytes.
func (s *Service) Submission(ctx context.Context, p *Principal, id string) (*Submission, error) {
	subs, err := s.SubmissionsOf(ctx, p, id)
	if err != nil {
		return nil, err
	}
	for _, sub := range subs {
		if sub.State != StateConflict {
			full, err := s.Store.Submission(ctx, sub.Seq)
			if err != nil {
				return nil, err
			}
			if !p.canSee(full) {
				return nil, ErrNotFound
			}
			return full, nil
		}
	}
	return nil, ErrNotFound
}

// Accept accepts a received or resubmitted diagnosis.
func (s *Service) Accept(ctx context.Context, p *Principal, id string) (*Submission, error) {
	return s.review(ctx, p, id, StateAccepted, "")
}

// Return sends a diagnosis back with a reason (required).
func (s *Service) Return(ctx context.Context, p *Principal, id, reason string) (*Submission, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, Invalidf("退回必须写明原因")
	}
	if len([]rune(reason)) > 2000 {
		return nil, Invalidf("退回原因太长（最多 2000 字）")
	}
	return s.review(ctx, p, id, StateReturned, reason)
}

func (s *Service) review(ctx context.Context, p *Principal, id, to, reason string) (*Submission, error) {
	if p.User.Role != RoleOfficer {
		if p.isProvider() {
			// A provider must not learn whether another provider's document exists.
			if _, err := s.Submission(ctx, p, id); err != nil {
				return nil, err
			}
		}
		return nil, ErrForbidden
	}
	sub, err := s.Submission(ctx, p, id)
	if err != nil {
		return nil, err
	}
	now := s.now()
	a := p.audit(to, sub.ID, reason, sub.District, now)
	a.Action = map[string]string{StateAccepted: "accept", StateReturned: "return"}[to]
	if err := s.Store.SetState(ctx, sub.Seq, []string{StateReceived, StateResubmitted}, to, reason, now, a); err != nil {
		if errors.Is(err, ErrConflict) {
			return nil, Invalidf("这份诊断当前状态为 %s，不能再%s", sub.State, map[string]string{StateAccepted: "通过", StateReturned: "退回"}[to])
		}
		return nil, err
	}
	return s.Store.Submission(ctx, sub.Seq)
}

// ---- roster, packages, assignments ----

func (s *Service) officerDistrict(ctx context.Context, p *Principal) (*Org, error) {
	if p.User.Role != RoleOfficer {
		return nil, ErrForbidden
	}
	return &p.Org, nil
}

// UploadRoster imports the district's roster (the same importer and report as the CLI).
func (s *Service) UploadRoster(ctx context.Context, p *Principal, fileName string, data []byte) (*Roster, error) {
	d, err := s.officerDistrict(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.addRoster(ctx, d, fileName, data, p.audit("roster", fileName, "", d.ID, s.now()), p.User.ID)
}

// Roster returns a district's roster in force (an officer's own, or one of a city's districts).
func (s *Service) Roster(ctx context.Context, p *Principal, district int64) (*RosterVersion, error) {
	if p.isProvider() {
		return nil, ErrForbidden
	}
	if district == 0 && len(p.Districts) == 1 {
		district = p.Districts[0]
	}
	if !slices.Contains(p.Districts, district) {
		return nil, ErrNotFound
	}
	return s.Store.LatestRoster(ctx, district)
}

// PackageInput is a package to create: its firms by provider name.
type PackageInput struct {
	Name        string              `json:"name"`
	Start       string              `json:"start"`
	End         string              `json:"end"`
	Assignments map[string][]string `json:"assignments"` // provider name → credit codes
}

// AddPackage creates a service package; every firm must be on the district's roster.
func (s *Service) AddPackage(ctx context.Context, p *Principal, in PackageInput) (*Package, error) {
	d, err := s.officerDistrict(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.addPackage(ctx, d, in, p.audit)
}

// SetupPackage is AddPackage from the server's command line (`smartdiag server package add`):
// the district is named, the audit log records the setup user.
func (s *Service) SetupPackage(ctx context.Context, districtName string, in PackageInput) (*Package, error) {
	d, err := s.Store.OrgByName(ctx, districtName)
	if err != nil || d.Kind != KindDistrict {
		return nil, Invalidf("找不到区「%s」", districtName)
	}
	return s.addPackage(ctx, d, in, setupAudit)
}

// SetupPackages lists the packages of one district (by name), or of all when the name is empty,
// for `smartdiag server package list`.
func (s *Service) SetupPackages(ctx context.Context, districtName string) ([]Package, error) {
	var districts []int64
	orgs, err := s.Store.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		if o.Kind == KindDistrict && (districtName == "" || o.Name == districtName) {
			districts = append(districts, o.ID)
		}
	}
	if len(districts) == 0 {
		if districtName != "" {
			return nil, Invalidf("找不到区「%s」", districtName)
		}
		return []Package{}, nil
	}
	return s.Store.Packages(ctx, districts, 0)
}

func (s *Service) addPackage(ctx context.Context, d *Org, in PackageInput, audit func(action, object, detail string, district int64, now time.Time) AuditEntry) (*Package, error) {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return nil, Invalidf("服务包名称不能为空")
	}
	start, err1 := time.Parse(time.DateOnly, in.Start)
	end, err2 := time.Parse(time.DateOnly, in.End)
	if err1 != nil || err2 != nil || end.Before(start) {
		return nil, Invalidf("服务包的期间无效：start 和 end 应为 YYYY-MM-DD，且 end 不早于 start")
	}
	rv, err := s.Store.LatestRoster(ctx, d.ID)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, Invalidf("请先上传名册，再创建服务包")
		}
		return nil, err
	}
	index := rv.Parsed.Index()
	now := s.now()
	pk := &Package{District: d.ID, Name: in.Name, Start: in.Start, End: in.End, Created: now}
	providers := make([]string, 0, len(in.Assignments))
	for name := range in.Assignments {
		providers = append(providers, name)
	}
	sort.Strings(providers)
	seen := map[string]string{}
	for _, name := range providers {
		o, err := s.Store.OrgByName(ctx, name)
		if err != nil || o.Kind != KindProvider {
			return nil, Invalidf("找不到服务商「%s」", name)
		}
		for _, code := range in.Assignments[name] {
			code = strings.ToUpper(strings.TrimSpace(code))
			if _, ok := index[code]; !ok {
				return nil, Invalidf("信用代码 %s 不在本区名册上", code)
			}
			if prev, dup := seen[code]; dup {
				return nil, Invalidf("信用代码 %s 同时分派给了「%s」和「%s」", code, prev, name)
			}
			seen[code] = name
			pk.Assignments = append(pk.Assignments, Assignment{District: d.ID, Provider: o.ID, CreditCode: code, Assigned: now})
		}
	}
	if len(pk.Assignments) == 0 {
		return nil, Invalidf("服务包里没有分派任何企业")
	}
	a := audit("package", in.Name, fmt.Sprintf("%s～%s，%d 家企业，%d 个服务商", in.Start, in.End, len(pk.Assignments), len(providers)), d.ID, now)
	if err := s.Store.AddPackage(ctx, pk, a); err != nil {
		return nil, err
	}
	return pk, nil
}

// Packages lists the packages p may see (a provider: only its own assignments in them).
func (s *Service) Packages(ctx context.Context, p *Principal) ([]Package, error) {
	if p.isProvider() {
		return s.Store.Packages(ctx, nil, p.Org.ID)
	}
	return s.Store.Packages(ctx, p.Districts, 0)
}

// AssignedFirm is one firm assigned to a provider, with the roster's contact data and the state
// of the provider's latest upload for it.
type AssignedFirm struct {
	Package    int64  `json:"package"`
	District   string `json:"district"`
	CreditCode string `json:"credit_code"`
	Name       string `json:"name"`
	Street     string `json:"street,omitempty"`
	Contact    string `json:"contact,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Assigned   string `json:"assigned"`
	Deadline   string `json:"deadline"`
	State      string `json:"state,omitempty"` // the latest upload's review state; empty: none yet
}

// Assignments lists the firms assigned to p's provider, with contact data from the roster.
func (s *Service) Assignments(ctx context.Context, p *Principal) ([]AssignedFirm, error) {
	if !p.isProvider() {
		return nil, ErrForbidden
	}
	pkgs, err := s.Store.Packages(ctx, nil, p.Org.ID)
	if err != nil {
		return nil, err
	}
	subs, err := s.Store.Submissions(ctx, SubmissionFilter{Provider: p.Org.ID})
	if err != nil {
		return nil, err
	}
	latest := map[string]Submission{}
	for _, sub := range subs {
		if sub.State != StateConflict {
			latest[sub.CreditCode] = sub // ordered by upload
		}
	}
	rosters := map[int64]map[string]*RosterEntry{}
	names := map[int64]string{}
	var out []AssignedFirm
	for _, pk := range pkgs {
		if _, ok := rosters[pk.District]; !ok {
			rv, err := s.Store.LatestRoster(ctx, pk.District)
			if err == nil {
				rosters[pk.District] = rv.Parsed.Index()
			} else {
				rosters[pk.District] = nil
			}
			if o, err := s.Store.Org(ctx, pk.District); err == nil {
				names[pk.District] = o.Name
			}
		}
		for _, a := range pk.Assignments {
			f := AssignedFirm{Package: pk.ID, District: names[pk.District], CreditCode: a.CreditCode,
				Assigned: a.Assigned.Format(time.DateOnly), Deadline: pk.End, State: latest[a.CreditCode].State}
			if e := rosters[pk.District][a.CreditCode]; e != nil {
				f.Name, f.Street, f.Contact, f.Phone = e.Name, e.Street, e.Contact, e.Phone
			}
			out = append(out, f)
		}
	}
	return out, nil
}

// ProviderCoverage is a provider's assigned firms against those done, in one district.
type ProviderCoverage struct {
	District string `json:"district"`
	Provider string `json:"provider"`
	Assigned int    `json:"assigned"`
	Uploaded int    `json:"uploaded"` // firms with an upload waiting or accepted
	Accepted int    `json:"accepted"` // firms with an accepted diagnosis
	Returned int    `json:"returned"` // firms whose latest upload was returned
}

// Scorecard is a provider's record: diagnoses, share returned, days from assignment to acceptance.
type Scorecard struct {
	Provider      string   `json:"provider"`
	Diagnoses     int      `json:"diagnoses"`
	Accepted      int      `json:"accepted"`
	Returned      int      `json:"returned"`
	ReturnedShare float64  `json:"returned_share"`
	DaysToAccept  *float64 `json:"days_to_accept"` // mean over accepted diagnoses; null when none
}

// Coverage shows assigned vs done per provider (a provider sees only its own rows).
func (s *Service) Coverage(ctx context.Context, p *Principal) ([]ProviderCoverage, error) {
	var as []Assignment
	var subs []Submission
	var err error
	if p.isProvider() {
		as, err = s.Store.Assignments(ctx, nil, p.Org.ID, "")
	} else {
		as, err = s.Store.Assignments(ctx, p.Districts, 0, "")
	}
	if err != nil {
		return nil, err
	}
	if subs, err = s.Store.Submissions(ctx, p.filter(SubmissionFilter{})); err != nil {
		return nil, err
	}
	type key struct{ d, p int64 }
	latest := map[key]map[string]string{}
	for _, sub := range subs {
		if sub.State == StateConflict {
			continue
		}
		k := key{sub.District, sub.Provider}
		if latest[k] == nil {
			latest[k] = map[string]string{}
		}
		if latest[k][sub.CreditCode] != StateAccepted {
			latest[k][sub.CreditCode] = sub.State
		}
	}
	rows := map[key]*ProviderCoverage{}
	var keys []key
	for _, a := range as {
		k := key{a.District, a.Provider}
		r := rows[k]
		if r == nil {
			r = &ProviderCoverage{District: s.orgName(ctx, a.District), Provider: s.orgName(ctx, a.Provider)}
			rows[k] = r
			keys = append(keys, k)
		}
		r.Assigned++
		switch latest[k][a.CreditCode] {
		case StateAccepted:
			r.Accepted++
			r.Uploaded++
		case StateReceived, StateResubmitted:
			r.Uploaded++
		case StateReturned:
			r.Returned++
		}
	}
	out := make([]ProviderCoverage, 0, len(keys))
	for _, k := range keys {
		out = append(out, *rows[k])
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].District+"\x00"+out[i].Provider < out[j].District+"\x00"+out[j].Provider
	})
	return out, nil
}

func (s *Service) orgName(ctx context.Context, id int64) string {
	if o, err := s.Store.Org(ctx, id); err == nil {
		return o.Name
	}
	return fmt.Sprint(id)
}

// Scorecards rates the providers working in p's districts (a provider: itself).
func (s *Service) Scorecards(ctx context.Context, p *Principal) ([]Scorecard, error) {
	subs, err := s.Store.Submissions(ctx, p.filter(SubmissionFilter{}))
	if err != nil {
		return nil, err
	}
	var as []Assignment
	if p.isProvider() {
		as, err = s.Store.Assignments(ctx, nil, p.Org.ID, "")
	} else {
		as, err = s.Store.Assignments(ctx, p.Districts, 0, "")
	}
	if err != nil {
		return nil, err
	}
	assigned := map[string]time.Time{}
	for _, a := range as {
		k := fmt.Sprint(a.District, a.Provider, a.CreditCode)
		if t, ok := assigned[k]; !ok || a.Assigned.Before(t) {
			assigned[k] = a.Assigned
		}
	}
	cards := map[int64]*Scorecard{}
	days := map[int64][]float64{}
	for _, sub := range subs {
		if sub.State == StateConflict {
			continue
		}
		c := cards[sub.Provider]
		if c == nil {
			c = &Scorecard{Provider: s.orgName(ctx, sub.Provider)}
			cards[sub.Provider] = c
		}
		c.Diagnoses++
		switch sub.State {
		case StateReturned:
			c.Returned++
		case StateAccepted:
			c.Accepted++
			if t, ok := assigned[fmt.Sprint(sub.District, sub.Provider, sub.CreditCode)]; ok && !sub.Accepted.IsZero() {
				days[sub.Provider] = append(days[sub.Provider], sub.Accepted.Sub(t).Hours()/24)
			}
		}
	}
	out := make([]Scorecard, 0, len(cards))
	for id, c := range cards {
		c.ReturnedShare = float64(c.Returned) / float64(c.Diagnoses)
		if d := days[id]; len(d) > 0 {
			sum := 0.0
			for _, v := range d {
				sum += v
			}
			m := float64(int(sum/float64(len(d))*10+0.5)) / 10
			c.DaysToAccept = &m
		}
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Provider < out[j].Provider })
	return out, nil
}

// Tally is `smartdiag tally --json` for one district: the roster in force, and every stored
// diagnosis except returned ones (a returned diagnosis waits for its revision); conflicting
// copies are listed as not counted, as the file tally lists them.
func (s *Service) Tally(ctx context.Context, p *Principal, district int64) (*TallyResult, error) {
	if p.isProvider() {
		return nil, ErrForbidden
	}
	if !slices.Contains(p.Districts, district) {
		return nil, ErrNotFound
	}
	o, err := s.Store.Org(ctx, district)
	if err != nil {
		return nil, err
	}
	var roster *Roster
	if rv, err := s.Store.LatestRoster(ctx, district); err == nil {
		roster = rv.Parsed
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	subs, err := s.Store.Submissions(ctx, SubmissionFilter{Districts: []int64{district}})
	if err != nil {
		return nil, err
	}
	var docs []*Diagnosis
	var rejected []Rejected
	for _, sub := range subs {
		switch sub.State {
		case StateReturned:
		case StateConflict:
			rejected = append(rejected, Rejected{File: sub.FileName, Status: StatusConflict, ID: sub.ID, Name: sub.Name, CreditCode: sub.CreditCode,
				Provider: s.orgName(ctx, sub.Provider), Reason: "与服务器上已有的同 id 诊断内容不同（冲突）：同一份诊断不能有两个版本；此文件不计入"})
		default:
			if sub.Facts != nil {
				docs = append(docs, sub.Facts)
			}
		}
	}
	return tallyOf(docs, rejected, roster, o.Profile)
}

// CityTally is the tally of each of a city viewer's districts, by district name.
func (s *Service) CityTally(ctx context.Context, p *Principal) (map[string]*TallyResult, error) {
	if p.Org.Kind != KindCity {
		return nil, ErrForbidden
	}
	out := map[string]*TallyResult{}
	for _, d := range p.Districts {
		r, err := s.Tally(ctx, p, d)
		if err != nil {
			return nil, err
		}
		out[s.orgName(ctx, d)] = r
	}
	return out, nil
}

// Audit lists the latest changes in p's districts (officers and city viewers).
func (s *Service) Audit(ctx context.Context, p *Principal, limit int) ([]AuditEntry, error) {
	if p.isProvider() {
		return nil, ErrForbidden
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	return s.Store.Audit(ctx, p.Districts, limit)
}
