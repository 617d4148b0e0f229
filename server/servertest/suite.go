package servertest

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"smartdiag/server"
)

// Opener opens a fresh, empty store for one test; the test closes it.
type Opener func(t testing.TB) server.Store

// Run runs the store and service suite against one engine.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open Opener)
	}{
		{"Setup", testSetup},
		{"Auth", testAuth},
		{"UploadIsVerifiedAndIdempotent", testUpload},
		{"ReviewAndAudit", testReview},
		{"Visibility", testVisibility},
		{"CoverageScorecardsTally", testCoverage},
		{"ConcurrentUploads", testConcurrent},
		{"SubmissionRaces", testSubmissionRaces},
		{"UploadCheck", testUploadCheck},
		{"UploadAdmission", testAdmission},
		{"RetrofitProjects", testProjects},
		{"PlanProjects", testPlanProjects},
		{"ProjectsUpgrade", testProjectsUpgrade},
		{"SetupPackages", testSetupPackages},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

func opened(t *testing.T, open Opener) server.Store {
	st := open(t)
	t.Cleanup(func() { st.Close() })
	return st
}

var t0 = time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)

func wantInvalid(t *testing.T, err error, contains string) {
	t.Helper()
	var inv *server.InvalidError
	if !errors.As(err, &inv) || !strings.Contains(inv.Msg, contains) {
		t.Errorf("error %v, want an invalid-input error containing %q", err, contains)
	}
}

func testSetup(t *testing.T, open Opener) {
	ctx := context.Background()
	st := opened(t, open)
	w := NewWorld(t, st)
	_, err := w.Svc.AddOrg(ctx, server.KindDistrict, District, "", nil)
	wantInvalid(t, err, "已存在")
	_, err = w.Svc.AddOrg(ctx, server.KindDistrict, "玄武区", "上海市", nil)
	wantInvalid(t, err, "找不到市")
	_, err = w.Svc.AddOrg(ctx, server.KindProvider, "丙", "", []byte("streets: []"))
	wantInvalid(t, err, "区县画像")
	_, err = w.Svc.AddUser(ctx, ProviderA, "x", "officer", nil, Password)
	wantInvalid(t, err, "只能属于 district")
	_, err = w.Svc.AddUser(ctx, ProviderA, ConsultantA, "consultant", nil, Password)
	wantInvalid(t, err, "已存在")
	_, err = w.Svc.AddUser(ctx, ProviderB, "yi-2", "consultant", PublicKeyFile(t, ConsultantA, ProviderA), "")
	wantInvalid(t, err, "已登记")
	_, err = w.Svc.AddUser(ctx, ProviderB, "yi-3", "consultant", nil, "")
	wantInvalid(t, err, "需要密码")
	_, err = w.Svc.AddUser(ctx, ProviderB, "yi-4", "consultant", nil, "short")
	wantInvalid(t, err, "至少 8")
	_, err = w.Svc.SetupRoster(ctx, District, "名册.txt", []byte("x"))
	wantInvalid(t, err, "不支持的名册文件类型")
	if _, err := w.Svc.AddToken(ctx, "nobody"); err == nil {
		t.Error("a token for an unknown user was made")
	}
	// The city sees both districts; an officer only its own.
	if got := len(w.P[CityViewer].Districts); got != 2 {
		t.Errorf("city sees %d districts, want 2", got)
	}
	if got := w.P[Officer].Districts; len(got) != 1 || got[0] != w.P[Officer].Org.ID {
		t.Errorf("officer scope %v", got)
	}
	audit, err := st.Audit(ctx, nil, 100)
	if err != nil || len(audit) < 10 {
		t.Fatalf("audit: %d entries, %v", len(audit), err)
	}
	if a := audit[0]; a.Action != "package" || a.Actor != Officer || a.At.IsZero() {
		t.Errorf("latest audit entry %+v, want the package by %s", a, Officer)
	}
}

func testAuth(t *testing.T, open Opener) {
	ctx := context.Background()
	w := NewWorld(t, opened(t, open))
	svc := w.Svc
	if _, err := svc.Authenticate(ctx, w.Tokens[Officer]+"x"); !errors.Is(err, server.ErrAuth) {
		t.Errorf("a wrong token: %v", err)
	}
	if _, err := svc.Authenticate(ctx, "Bearer"); !errors.Is(err, server.ErrAuth) {
		t.Errorf("garbage: %v", err)
	}
	if _, _, err := svc.Login(ctx, Officer, "wrong password"); !errors.Is(err, server.ErrAuth) {
		t.Errorf("wrong password: %v", err)
	}
	tok, p, err := svc.Login(ctx, Officer, Password)
	if err != nil || p.User.Name != Officer {
		t.Fatalf("login: %v", err)
	}
	if p2, err := svc.Authenticate(ctx, tok); err != nil || p2.User.Name != Officer {
		t.Fatalf("session token: %v", err)
	}
	if err := svc.Logout(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authenticate(ctx, tok); err == nil {
		t.Error("a session works after logout")
	}
	// A token deleted by another process (not through this service) is honoured from the cache
	// for at most server.AuthCacheTTL, then refused.
	tok, _, _ = svc.Login(ctx, Officer, Password)
	now := time.Now()
	svc.Now = func() time.Time { return now }
	if _, err := svc.Authenticate(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if err := svc.Store.DeleteToken(ctx, server.HashToken(tok)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authenticate(ctx, tok); err != nil {
		t.Errorf("a cached token within its time: %v", err)
	}
	svc.Now = func() time.Time { return now.Add(server.AuthCacheTTL) }
	if _, err := svc.Authenticate(ctx, tok); err == nil {
		t.Error("a token deleted elsewhere still works after the cache time")
	}
	svc.Now = nil
	// Sessions expire.
	tok, _, _ = svc.Login(ctx, Officer, Password)
	svc.Now = func() time.Time { return time.Now().Add(server.SessionTTL + time.Minute) }
	if _, err := svc.Authenticate(ctx, tok); err == nil {
		t.Error("an expired session works")
	}
	svc.Now = nil

	// Key login: sign the challenge with the sealing key; a nonce works once.
	nonce, err := svc.Challenge(ctx, ConsultantA, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.KeyLogin(ctx, ConsultantA, nonce, server.SignChallenge(Key(ConsultantB), nonce)); err == nil {
		t.Error("another consultant's key logged in")
	}
	nonce, _ = svc.Challenge(ctx, ConsultantA, nil)
	sig := server.SignChallenge(Key(ConsultantA), nonce)
	tok, p, err = svc.KeyLogin(ctx, ConsultantA, nonce, sig)
	if err != nil || p.User.Name != ConsultantA {
		t.Fatalf("key login: %v", err)
	}
	if p2, err := svc.Authenticate(ctx, tok); err != nil || p2.Org.Name != ProviderA {
		t.Errorf("the key login's session: %v", err)
	}
	if _, _, err := svc.KeyLogin(ctx, ConsultantA, nonce, sig); err == nil {
		t.Error("a challenge was accepted twice")
	}
	// The app finds itself by its public key.
	nonce, _ = svc.Challenge(ctx, "", Key(ConsultantB).Public().(ed25519.PublicKey))
	if _, p, err := svc.KeyLogin(ctx, "", nonce, server.SignChallenge(Key(ConsultantB), nonce)); err != nil || p.User.Name != ConsultantB {
		t.Errorf("key login by public key: %v", err)
	}
	if _, err := svc.Challenge(ctx, Officer, nil); err == nil {
		t.Error("a challenge for a user without a key")
	}
	// The provider admin registers a new key for its consultant, not for another provider's.
	if _, err := svc.RegisterKey(ctx, w.P[AdminA], ConsultantA, PublicKeyFile(t, "jia-new", ProviderA)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RegisterKey(ctx, w.P[AdminA], ConsultantB, PublicKeyFile(t, "x", ProviderB)); !errors.Is(err, server.ErrNotFound) {
		t.Errorf("registering another provider's consultant's key: %v", err)
	}
	if _, err := svc.RegisterKey(ctx, w.P[ConsultantA], ConsultantA, PublicKeyFile(t, "y", ProviderA)); !errors.Is(err, server.ErrForbidden) {
		t.Errorf("a consultant registering a key: %v", err)
	}
}

func upload(t *testing.T, w *World, user string, data []byte) *server.UploadResult {
	t.Helper()
	res, err := w.Svc.Upload(context.Background(), w.P[user], "doc.sdiag", data)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// keyLookups counts the store's key lookups: each is a seal checked against the registered keys.
type keyLookups struct {
	server.Store
	n atomic.Int64
}

func (k *keyLookups) UserByKey(ctx context.Context, pub []byte) (*server.User, error) {
	k.n.Add(1)
	return k.Store.UserByKey(ctx, pub)
}

func (k *keyLookups) UploadCheck(ctx context.Context, pub []byte, provider int64, creditCode string) (int64, int64, error) {
	k.n.Add(1)
	return k.Store.UploadCheck(ctx, pub, provider, creditCode)
}

func testUpload(t *testing.T, open Opener) {
	ctx := context.Background()
	keys := &keyLookups{Store: opened(t, open)}
	w := NewWorld(t, keys)
	d := Doc(t, 1, t0)
	sealed := Seal(t, d, ConsultantA, ProviderA)
	if r := upload(t, w, ConsultantA, sealed); r.Result != server.UploadStored || r.State != server.StateReceived || r.ID != d.ID {
		t.Fatalf("first upload: %+v", r)
	}
	// A retry (answered from the store by the content's hash, without checking the seal again)
	// says what the first upload stored.
	checked := keys.n.Load()
	if checked == 0 {
		t.Error("a new upload was stored without its signer's key looked up")
	}
	if r := upload(t, w, ConsultantA, sealed); r.Result != server.UploadSkipped || r.ID != d.ID || r.State != server.StateReceived || r.Sub == nil || r.Sub.CreditCode != Code(1) {
		t.Fatalf("second upload: %+v", r)
	}
	if n := keys.n.Load() - checked; n != 0 {
		t.Errorf("a retry of stored bytes looked up the signer's key %d times: it was verified again", n)
	}
	// Another provider sending the same bytes is not answered from A's store: its seal is checked.
	if r := upload(t, w, ConsultantB, sealed); r.Result != server.UploadRejected || r.Status != "unknown_signer" {
		t.Fatalf("provider B re-sending A's document: %+v", r)
	}
	// Another content under the same id is kept as a conflict, and shown; sent again, it stays one.
	d2 := *d
	d2.Enterprise.Contact = "另一位联系人"
	d2.Status, d2.Seal = "finished", nil
	conflicting := Seal(t, &d2, ConsultantA, ProviderA)
	for i := range 2 {
		want := []string{server.UploadConflict, server.UploadSkipped}[i]
		if r := upload(t, w, ConsultantA, conflicting); r.Result != want || r.State != server.StateConflict {
			t.Fatalf("conflicting upload %d: %+v, want %s", i+1, r, want)
		}
	}
	subs, err := w.Svc.SubmissionsOf(ctx, w.P[Officer], d.ID)
	if err != nil || len(subs) != 2 {
		t.Fatalf("the officer sees %d submissions of the id, want the stored one and the conflict (%v)", len(subs), err)
	}
	// The original bytes are kept exactly.
	sub, err := w.Svc.Submission(ctx, w.P[Officer], d.ID)
	if err != nil || string(sub.Original) != string(sealed) || string(sub.Document) != string(sealed) {
		t.Fatalf("stored bytes differ (%v)", err)
	}
	// A report PDF carrying a new document: the PDF is the original, the document is extracted.
	d4 := Doc(t, 4, t0)
	sealed4 := Seal(t, d4, ConsultantA, ProviderA)
	pdf := ReportPDF(t, sealed4)
	if r := upload(t, w, ConsultantA, pdf); r.Result != server.UploadStored {
		t.Fatalf("a report PDF: %+v", r)
	}
	sub, err = w.Svc.Submission(ctx, w.P[Officer], d4.ID)
	if err != nil || string(sub.Original) != string(pdf) || string(sub.Document) != string(sealed4) || string(sub.PDF) != string(pdf) {
		t.Fatalf("a PDF upload's stored bytes differ (%v)", err)
	}
	cases := []struct {
		name, user string
		data       []byte
		status     string
	}{
		{"unknown key", ConsultantA, Seal(t, Doc(t, 2, t0), "stranger", ProviderA), "unknown_signer"},
		{"other provider's key", ConsultantA, Seal(t, Doc(t, 2, t0), ConsultantB, ProviderB), "unknown_signer"},
		{"firm assigned to the other provider", ConsultantA, Seal(t, Doc(t, 7, t0), ConsultantA, ProviderA), "unassigned"},
		{"firm not on any package", ConsultantA, Seal(t, Doc(t, 42, t0), ConsultantA, ProviderA), "unassigned"},
		{"not a document", ConsultantA, []byte("{}"), ""},
		{"tampered", ConsultantA, []byte(strings.Replace(string(Seal(t, Doc(t, 3, t0), ConsultantA, ProviderA)), FirmName(3), FirmName(4), 1)), "tampered"},
	}
	for _, c := range cases {
		r := upload(t, w, c.user, c.data)
		if r.Result != server.UploadRejected || r.Reason == "" || (c.status != "" && r.Status != c.status) {
			t.Errorf("%s: %+v, want rejected (%s) with a reason", c.name, r, c.status)
		}
	}
	if _, err := w.Svc.Upload(ctx, w.P[Officer], "x.sdiag", sealed); !errors.Is(err, server.ErrForbidden) {
		t.Errorf("an officer uploading: %v", err)
	}
	all, _ := w.Svc.Submissions(ctx, w.P[Officer], "")
	if len(all) != 3 {
		t.Errorf("%d submissions stored, want 3 (one, its conflict and the PDF's)", len(all))
	}
}

func testReview(t *testing.T, open Opener) {
	ctx := context.Background()
	st := opened(t, open)
	w := NewWorld(t, st)
	svc := w.Svc
	sealed := Seal(t, Doc(t, 2, t0), ConsultantA, ProviderA)
	r := upload(t, w, ConsultantA, sealed)
	if _, err := svc.Return(ctx, w.P[Officer], r.ID, "  "); err == nil {
		t.Fatal("returned without a reason")
	}
	if _, err := svc.Accept(ctx, w.P[Officer2], r.ID); !errors.Is(err, server.ErrNotFound) {
		t.Errorf("another district's officer reviewing: %v", err)
	}
	if _, err := svc.Accept(ctx, w.P[CityViewer], r.ID); !errors.Is(err, server.ErrForbidden) {
		t.Errorf("the city reviewing: %v", err)
	}
	if _, err := svc.Accept(ctx, w.P[ConsultantA], r.ID); !errors.Is(err, server.ErrForbidden) {
		t.Errorf("the consultant accepting its own: %v", err)
	}
	sub, err := svc.Return(ctx, w.P[Officer], r.ID, "第 3 节缺少证据")
	if err != nil || sub.State != server.StateReturned || sub.Reason != "第 3 节缺少证据" {
		t.Fatalf("return: %+v %v", sub, err)
	}
	if _, err := svc.Accept(ctx, w.P[Officer], r.ID); err == nil {
		t.Error("a returned diagnosis was accepted (it waits for its revision)")
	}
	rev := Revision(t, sealed, t0.Add(72*time.Hour))
	r2 := upload(t, w, ConsultantA, Seal(t, rev, ConsultantA, ProviderA))
	if r2.Result != server.UploadStored || r2.State != server.StateResubmitted {
		t.Fatalf("revision: %+v", r2)
	}
	if sub, err := svc.Accept(ctx, w.P[Officer], rev.ID); err != nil || sub.State != server.StateAccepted || sub.Accepted.IsZero() {
		t.Fatalf("accept: %+v %v", sub, err)
	}
	if _, err := svc.Accept(ctx, w.P[Officer], rev.ID); err == nil {
		t.Error("accepted twice")
	}
	// A revision of another provider's document is refused.
	other := Seal(t, Revision(t, sealed, t0.Add(96*time.Hour)), ConsultantB, ProviderB)
	if r := upload(t, w, ConsultantB, other); r.Result != server.UploadRejected {
		t.Errorf("provider B revising A's diagnosis: %+v", r)
	}
	audit, err := svc.Audit(ctx, w.P[Officer], 50)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range audit {
		if a.Object == r.ID || a.Object == rev.ID {
			actions = append(actions, a.Action+":"+a.Actor)
		}
	}
	want := "accept:jn-officer upload:jia-gu return:jn-officer upload:jia-gu"
	if got := strings.Join(actions, " "); got != want {
		t.Errorf("audit of the diagnosis: %s, want %s", got, want)
	}
	if _, err := svc.Audit(ctx, w.P[ConsultantA], 10); !errors.Is(err, server.ErrForbidden) {
		t.Errorf("a consultant reading the audit log: %v", err)
	}
	if a, _ := svc.Audit(ctx, w.P[Officer2], 100); len(a) == 0 {
		t.Error("浦口区's officer sees no audit entries of its own roster")
	} else {
		for _, e := range a {
			if e.Object == r.ID {
				t.Errorf("浦口区 sees 江宁区's audit entry %+v", e)
			}
		}
	}
}

func testVisibility(t *testing.T, open Opener) {
	ctx := context.Background()
	w := NewWorld(t, opened(t, open))
	a := upload(t, w, ConsultantA, Seal(t, Doc(t, 1, t0), ConsultantA, ProviderA))
	b := upload(t, w, ConsultantB, Seal(t, Doc(t, 6, t0), ConsultantB, ProviderB))
	if a.Result != server.UploadStored || b.Result != server.UploadStored {
		t.Fatalf("uploads: %+v %+v", a, b)
	}
	sees := func(user string) string {
		subs, err := w.Svc.Submissions(ctx, w.P[user], "")
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, s := range subs {
			switch s.ID {
			case a.ID:
				ids = append(ids, "A")
			case b.ID:
				ids = append(ids, "B")
			}
		}
		return strings.Join(ids, ",")
	}
	for user, want := range map[string]string{ConsultantA: "A", AdminA: "A", ConsultantB: "B", Officer: "A,B", Officer2: "", CityViewer: "A,B"} {
		if got := sees(user); got != want {
			t.Errorf("%s sees %q, want %q", user, got, want)
		}
	}
	if _, err := w.Svc.Submission(ctx, w.P[ConsultantB], a.ID); !errors.Is(err, server.ErrNotFound) {
		t.Errorf("B reading A's diagnosis: %v", err)
	}
	if _, err := w.Svc.Return(ctx, w.P[ConsultantB], a.ID, "x"); !errors.Is(err, server.ErrNotFound) {
		t.Errorf("B returning A's diagnosis: %v (must not reveal that it exists)", err)
	}
	fa, err := w.Svc.Assignments(ctx, w.P[ConsultantA])
	if err != nil || len(fa) != RosterFirms/2 {
		t.Fatalf("A's assignments: %d %v", len(fa), err)
	}
	for _, f := range fa {
		if f.Contact == "" || f.Phone == "" || f.Name == "" || f.Deadline != "2026-06-30" {
			t.Errorf("assignment without the roster's contact data: %+v", f)
		}
		if f.CreditCode == Code(1) && f.State != server.StateReceived {
			t.Errorf("firm 1 state %q, want received", f.State)
		}
	}
	pk, _ := w.Svc.Packages(ctx, w.P[ConsultantB])
	if len(pk) != 1 || len(pk[0].Assignments) != RosterFirms/2 || pk[0].Assignments[0].Provider != w.P[ConsultantB].Org.ID {
		t.Errorf("B's packages show other providers' firms: %+v", pk)
	}
	if _, err := w.Svc.Tally(ctx, w.P[ConsultantA], w.P[Officer].Org.ID); !errors.Is(err, server.ErrForbidden) {
		t.Errorf("a consultant's tally: %v", err)
	}
	if _, err := w.Svc.Tally(ctx, w.P[Officer2], w.P[Officer].Org.ID); !errors.Is(err, server.ErrNotFound) {
		t.Errorf("浦口区 reading 江宁区's tally: %v", err)
	}
	if _, err := w.Svc.Roster(ctx, w.P[ConsultantA], 0); !errors.Is(err, server.ErrForbidden) {
		t.Errorf("a consultant reading the whole roster: %v", err)
	}
}

func testCoverage(t *testing.T, open Opener) {
	ctx := context.Background()
	w := NewWorld(t, opened(t, open))
	svc := w.Svc
	var ids []string
	for i := range 4 {
		r := upload(t, w, ConsultantA, Seal(t, Doc(t, i, t0.Add(time.Duration(i)*time.Hour)), ConsultantA, ProviderA))
		ids = append(ids, r.ID)
	}
	rb := upload(t, w, ConsultantB, Seal(t, Doc(t, 5, t0), ConsultantB, ProviderB))
	svc.Accept(ctx, w.P[Officer], ids[0])
	svc.Accept(ctx, w.P[Officer], ids[1])
	svc.Return(ctx, w.P[Officer], ids[2], "缺少现场照片")
	cov, err := svc.Coverage(ctx, w.P[Officer])
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(cov)
	want := fmt.Sprint([]server.ProviderCoverage{
		{District: District, Provider: ProviderB, Assigned: 5, Uploaded: 1}, // sorted by name: 乙 < 甲
		{District: District, Provider: ProviderA, Assigned: 5, Uploaded: 3, Accepted: 2, Returned: 1},
	})
	if got != want {
		t.Errorf("coverage\n got %s\nwant %s", got, want)
	}
	if cb, _ := svc.Coverage(ctx, w.P[ConsultantB]); len(cb) != 1 || cb[0].Provider != ProviderB {
		t.Errorf("B's coverage shows others: %+v", cb)
	}
	cards, err := svc.Scorecards(ctx, w.P[Officer])
	if err != nil || len(cards) != 2 {
		t.Fatalf("scorecards %+v %v", cards, err)
	}
	a, b := cards[1], cards[0]
	if a.Provider != ProviderA || a.Diagnoses != 4 || a.Returned != 1 || a.ReturnedShare != 0.25 || a.Accepted != 2 || a.DaysToAccept == nil {
		t.Errorf("A's scorecard %+v", a)
	}
	if b.Provider != ProviderB || b.DaysToAccept != nil {
		t.Errorf("B has no acceptance: %+v", b)
	}
	res, err := svc.Tally(ctx, w.P[Officer], w.P[Officer].Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Returned diagnoses wait for their revision: 3 of A's and B's one are counted.
	if res.Diagnoses.Counted != 4 || res.Roster == nil || res.Roster.Valid != RosterFirms || res.District != "江宁区" && res.District == "" {
		t.Errorf("tally: counted %d, roster %+v", res.Diagnoses.Counted, res.Roster)
	}
	if c := res.Coverage.Total; c.Diagnosed != 4 {
		t.Errorf("tally coverage %+v", c)
	}
	city, err := svc.CityTally(ctx, w.P[CityViewer])
	if err != nil || len(city) != 2 || city[District].Diagnoses.Counted != 4 || city[District2].Diagnoses.Counted != 0 {
		t.Errorf("city tally: %v %v", len(city), err)
	}
	_ = rb
}

// testConcurrent: many consultants upload at once, each document twice; every one is stored once.
func testConcurrent(t *testing.T, open Opener) {
	ctx := context.Background()
	w := NewWorld(t, opened(t, open))
	var docs [][]byte
	for i := range 10 {
		docs = append(docs, Seal(t, Doc(t, i%5, t0.Add(time.Duration(i)*time.Minute)), ConsultantA, ProviderA))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for round := range 2 {
		for i, d := range docs {
			wg.Go(func() {
				r, err := w.Svc.Upload(ctx, w.P[ConsultantA], fmt.Sprintf("%d-%d.sdiag", round, i), d)
				if err != nil {
					errs <- err
				} else if r.Result != server.UploadStored && r.Result != server.UploadSkipped {
					errs <- fmt.Errorf("%+v", r)
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	subs, _ := w.Svc.Submissions(ctx, w.P[Officer], "")
	if len(subs) != len(docs) {
		t.Errorf("%d stored, want %d", len(subs), len(docs))
	}
}

// testSubmissionRaces: the store alone, with no turns in front of it: many writers store the
// same id at once, some with one content, others with another. Exactly one row per content is
// kept (the first stored, the other a conflict), every writer is told what is stored, each row
// has one audit entry with the action it was written as, and nothing is stored twice.
func testSubmissionRaces(t *testing.T, open Opener) {
	ctx := context.Background()
	st := opened(t, open)
	w := NewWorld(t, st)
	p := w.P[ConsultantA]
	district := w.P[Officer].Org.ID
	type outcome struct {
		sub     *server.Submission
		created bool
	}
	results := make([]outcome, 16)
	// A first round on another id opens the pool's connections, so that in the second the
	// writers, released at once, do meet.
	for _, id := range []string{"warm-0000", "race-0000"} {
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range results {
			wg.Go(func() {
				<-start
				sum := fmt.Sprintf("%064d", i%2) // two contents of one id
				doc := []byte(id + " " + sum)
				sub := &server.Submission{ID: id, SHA256: sum, District: district, Provider: p.Org.ID, Uploader: p.User.ID,
					FileName: fmt.Sprintf("%d.sdiag", i), CreditCode: Code(1), Name: FirmName(1), State: server.StateReceived,
					Facts: &server.Diagnosis{ID: id}, Original: doc, Document: doc, Created: t0, Updated: t0}
				a := server.AuditEntry{At: t0, User: p.User.ID, Actor: p.User.Name, Org: p.Org.ID, Scope: district, Action: "upload", Object: id, Detail: sum[62:]}
				stored, created, err := st.AddSubmission(ctx, sub, a)
				if err != nil {
					t.Errorf("writer %d: %v", i, err)
					return
				}
				if stored.SHA256 != sum || stored.ID != id || stored.Seq == 0 {
					t.Errorf("writer %d was told %+v", i, stored)
				}
				results[i] = outcome{stored, created}
			})
		}
		close(start)
		wg.Wait()
	}
	subs, err := st.Submissions(ctx, server.SubmissionFilter{ID: "race-0000"})
	if err != nil || len(subs) != 2 {
		t.Fatalf("%d rows stored for two contents (%v)", len(subs), err)
	}
	if subs[0].State != server.StateReceived || subs[1].State != server.StateConflict || subs[0].SHA256 == subs[1].SHA256 {
		t.Errorf("stored %s/%s then %s/%s, want the first received and the other content a conflict", subs[0].SHA256[62:], subs[0].State, subs[1].SHA256[62:], subs[1].State)
	}
	created := 0
	for i, r := range results {
		if r.created {
			created++
		}
		for _, s := range subs {
			if r.sub != nil && s.SHA256 == r.sub.SHA256 && (s.Seq != r.sub.Seq || s.State != r.sub.State) {
				t.Errorf("writer %d was told seq %d %s, stored is seq %d %s", i, r.sub.Seq, r.sub.State, s.Seq, s.State)
			}
		}
	}
	if created != 2 {
		t.Errorf("%d writers were told they created a row, want 2", created)
	}
	audit, err := st.Audit(ctx, []int64{district}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]string{}
	for _, a := range audit {
		if a.Object == "race-0000" {
			if prev, dup := actions[a.Detail]; dup {
				t.Errorf("content %s audited twice (%s, %s)", a.Detail, prev, a.Action)
			}
			actions[a.Detail] = a.Action
		}
	}
	want := map[string]string{subs[0].SHA256[62:]: "upload", subs[1].SHA256[62:]: "upload.conflict"}
	if fmt.Sprint(actions) != fmt.Sprint(want) {
		t.Errorf("audit actions by content %v, want %v", actions, want)
	}
}

// testUploadCheck: the one query an upload asks (the signer key's organisation and the firm's
// latest assignment to the provider) answers what UserByKey and Assignments answer one after the
// other, for registered, foreign, unknown and missing keys, assigned and unassigned firms, and a
// firm in two packages (the later one's district counts); and an upload of that firm is stored
// under the later package's district.
func testUploadCheck(t *testing.T, open Opener) {
	ctx := context.Background()
	st := opened(t, open)
	w := NewWorld(t, st)
	// 浦口区 hands firm 1, already 甲's in 江宁区, to 甲 again: its latest assignment.
	if _, err := w.Svc.AddPackage(ctx, w.P[Officer2], server.PackageInput{Name: "浦口 第一批", Start: "2026-07-01", End: "2026-09-30",
		Assignments: map[string][]string{ProviderA: {Code(1)}}}); err != nil {
		t.Fatal(err)
	}
	var keys [][]byte
	for _, name := range []string{ConsultantA, ConsultantB, Officer} { // the officer has no key
		u, err := st.UserByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, u.PublicKey)
	}
	unknown, _, _ := ed25519.GenerateKey(nil)
	keys = append(keys, unknown)
	for _, key := range keys {
		for _, provider := range []int64{w.P[ConsultantA].Org.ID, w.P[ConsultantB].Org.ID} {
			for _, code := range []string{Code(1), Code(7), Code(42)} {
				var wantOrg, wantDistrict int64
				if u, err := st.UserByKey(ctx, key); err == nil {
					wantOrg = u.Org
				} else if !errors.Is(err, server.ErrNotFound) {
					t.Fatal(err)
				}
				as, err := st.Assignments(ctx, nil, provider, code)
				if err != nil {
					t.Fatal(err)
				}
				if len(as) > 0 {
					wantDistrict = as[len(as)-1].District
				}
				org, district, err := st.UploadCheck(ctx, key, provider, code)
				if err != nil || org != wantOrg || district != wantDistrict {
					t.Errorf("UploadCheck(key %x…, provider %d, %s) = %d, %d, %v; want %d, %d", key[:min(4, len(key))], provider, code, org, district, err, wantOrg, wantDistrict)
				}
			}
		}
	}
	r := upload(t, w, ConsultantA, Seal(t, Doc(t, 1, t0), ConsultantA, ProviderA))
	if r.Result != server.UploadStored || r.Sub == nil || r.Sub.District != w.P[Officer2].Org.ID {
		t.Errorf("firm 1 of two packages: %+v, want stored under 浦口区 (the later package)", r)
	}
}

// slowLookups makes the retry lookup (the first store call inside an upload's turn) slow and
// records how many run at once.
type slowLookups struct {
	server.Store
	in, most atomic.Int64
}

func (s *slowLookups) StoredDocument(ctx context.Context, provider int64, doc []byte) (*server.Submission, error) {
	n := s.in.Add(1)
	defer s.in.Add(-1)
	for {
		m := s.most.Load()
		if n <= m || s.most.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(5 * time.Millisecond)
	return s.Store.StoredDocument(ctx, provider, doc)
}

// testAdmission: uploads are verified and stored at most Service.Uploads at a time, the others
// wait (and are all stored); an upload whose client gave up while waiting leaves the queue.
func testAdmission(t *testing.T, open Opener) {
	ctx := context.Background()
	slow := &slowLookups{Store: opened(t, open)}
	w := NewWorld(t, slow)
	w.Svc.Uploads = 2
	var docs [][]byte
	for i := range 12 {
		docs = append(docs, Seal(t, Doc(t, i%5, t0.Add(time.Duration(i)*time.Minute)), ConsultantA, ProviderA))
	}
	var wg sync.WaitGroup
	for i, d := range docs {
		wg.Go(func() {
			if r, err := w.Svc.Upload(ctx, w.P[ConsultantA], fmt.Sprintf("%d.sdiag", i), d); err != nil || r.Result != server.UploadStored {
				t.Errorf("upload %d: %+v, %v", i, r, err)
			}
		})
	}
	wg.Wait()
	if m := slow.most.Load(); m > 2 {
		t.Errorf("%d uploads were inside at once, want at most Service.Uploads = 2", m)
	}
	// With both turns taken, a request whose context ends gets its error instead of waiting.
	hold, release := make(chan struct{}), make(chan struct{})
	blocked := &blockingLookups{Store: opened(t, open), hold: hold, release: release}
	w2 := NewWorld(t, blocked)
	w2.Svc.Uploads = 2
	for i := range 2 {
		wg.Go(func() { w2.Svc.Upload(ctx, w2.P[ConsultantA], "x.sdiag", docs[i]) })
		<-hold
	}
	gone, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := w2.Svc.Upload(gone, w2.P[ConsultantA], "y.sdiag", docs[2]); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("an upload waiting for a turn after its client gave up: %v, want the context's error", err)
	}
	close(release)
	wg.Wait()
}

// blockingLookups holds each upload inside its turn until release is closed.
type blockingLookups struct {
	server.Store
	hold, release chan struct{}
}

func (b *blockingLookups) StoredDocument(ctx context.Context, provider int64, doc []byte) (*server.Submission, error) {
	select {
	case b.hold <- struct{}{}:
	case <-ctx.Done(): // a third upload got in: the turns do not hold it back
		return nil, errors.New("an upload got past the turns that were both taken")
	}
	<-b.release
	return b.Store.StoredDocument(ctx, provider, doc)
}

// testSetupPackages: the server's command line creates and lists packages through the same
// checks as the API, and the audit log names the setup user.
func testSetupPackages(t *testing.T, open Opener) {
	ctx := context.Background()
	st := opened(t, open)
	w := NewWorld(t, st)
	pk, err := w.Svc.SetupPackage(ctx, District2, server.PackageInput{Name: "浦口 第一批", Start: "2026-07-01", End: "2026-09-30",
		Assignments: map[string][]string{ProviderB: {Code(1), " " + strings.ToLower(Code(2))}}})
	if err != nil || len(pk.Assignments) != 2 {
		t.Fatalf("SetupPackage: %v %+v", err, pk)
	}
	_, err = w.Svc.SetupPackage(ctx, ProviderA, server.PackageInput{Name: "x", Start: "2026-07-01", End: "2026-09-30", Assignments: map[string][]string{ProviderB: {Code(1)}}})
	wantInvalid(t, err, "找不到区")
	_, err = w.Svc.SetupPackage(ctx, District2, server.PackageInput{Name: "x", Start: "2026-07-01", End: "2026-09-30", Assignments: map[string][]string{ProviderB: {Code(99)}}})
	wantInvalid(t, err, "不在本区名册上")
	_, err = w.Svc.SetupPackage(ctx, District2, server.PackageInput{Name: "x", Start: "2026-09-01", End: "2026-07-30", Assignments: map[string][]string{ProviderB: {Code(1)}}})
	wantInvalid(t, err, "期间无效")

	for _, c := range []struct {
		district string
		want     int
	}{{"", 2}, {District, 1}, {District2, 1}} {
		pks, err := w.Svc.SetupPackages(ctx, c.district)
		if err != nil || len(pks) != c.want {
			t.Errorf("SetupPackages(%q): %d packages, %v; want %d", c.district, len(pks), err, c.want)
		}
	}
	_, err = w.Svc.SetupPackages(ctx, "没有的区")
	wantInvalid(t, err, "找不到区")

	// Provider B's consultant now sees the 浦口区 firms too, with the roster's contacts.
	as, err := w.Svc.Assignments(ctx, w.P[ConsultantB])
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range as {
		if a.District == District2 {
			n++
			if a.Contact == "" {
				t.Errorf("assignment without contact: %+v", a)
			}
		}
	}
	if n != 2 {
		t.Errorf("consultant B sees %d 浦口区 firms, want 2", n)
	}
	audit, err := st.Audit(ctx, []int64{pk.District}, 50)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range audit {
		if a.Action == "package" && a.Object == "浦口 第一批" && a.Actor == "setup" {
			found = true
		}
	}
	if !found {
		t.Errorf("no audit entry by setup for the package: %+v", audit)
	}
}
