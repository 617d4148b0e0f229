package http

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"smartdiag/server"
	"smartdiag/server/servertest"
	"smartdiag/server/sqlite"
	"smartdiag/tally"
)

type fixture struct {
	w   *servertest.World
	ts  *httptest.Server
	srv *Server
}

func newFixture(t *testing.T) *fixture {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := servertest.NewWorld(t, st)
	srv := New(w.Svc, nil)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &fixture{w: w, ts: ts, srv: srv}
}

func (f *fixture) do(t *testing.T, user, method, path string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, f.ts.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+f.w.Tokens[user])
	}
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

var t0 = time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)

// TestProviderCannotReadAnotherProvidersDiagnoses walks every route as provider B's consultant
// and admin-less colleague, with provider A's document id wherever a route takes one: no
// response may carry A's document id, content hash, firm name or credit code.
func TestProviderCannotReadAnotherProvidersDiagnoses(t *testing.T) {
	f := newFixture(t)
	sealedA := servertest.Seal(t, servertest.Doc(t, 1, t0), servertest.ConsultantA, servertest.ProviderA)
	st, body := f.do(t, servertest.ConsultantA, "POST", "/api/v1/uploads?name=a.sdiag", sealedA)
	if st != http.StatusCreated {
		t.Fatalf("A's upload: %d %s", st, body)
	}
	var up server.UploadResult
	json.Unmarshal(body, &up)
	// A report PDF too, so the pdf route has something to leak.
	pdf := reportPDF(t, sealedA)
	if st, body := f.do(t, servertest.ConsultantA, "POST", "/api/v1/uploads?name=a.pdf", pdf); st != http.StatusOK {
		t.Fatalf("A's PDF: %d %s", st, body)
	}
	// Accepted, so that the firm's plan projects exist to leak.
	if st, body := f.do(t, servertest.Officer, "POST", "/api/v1/submissions/"+up.ID+"/accept", nil); st != http.StatusOK {
		t.Fatalf("accept: %d %s", st, body)
	}
	secrets := []string{up.ID, up.SHA256, servertest.FirmName(1), servertest.Code(1)}

	bodies := map[string][]byte{
		"/api/v1/uploads":                   []byte("{}"),
		"/api/v1/submissions/{id}/return":   []byte(`{"reason":"x"}`),
		"/api/v1/roster":                    servertest.Roster(2),
		"/api/v1/packages":                  []byte(`{"name":"p","start":"2026-01-01","end":"2026-02-01","assignments":{"乙服务商":["` + servertest.Code(1) + `"]}}`),
		"/api/v1/login":                     []byte(`{"name":"jia-gu","password":"x"}`),
		"/api/v1/auth/challenge":            []byte(`{"name":"jia-gu"}`),
		"/api/v1/auth/key":                  []byte(`{"name":"jia-gu","nonce":"x","signature":"x"}`),
		"/api/v1/users/{name}/key":          servertest.PublicKeyFile(t, "z", servertest.ProviderB),
		"/api/v1/submissions/{id}/accept":   nil,
		"/api/v1/submissions/{id}/document": nil,
		"/api/v1/firms/{code}/projects":     []byte(`{"plan_project":"iot","applied":"2026-05-01"}`),
		"/api/v1/projects/{id}/stage":       []byte(`{"stage":"approved","date":"2026-05-01"}`),
	}
	for _, rt := range Routes() {
		if rt.Pattern == "/api/v1/logout" {
			continue // ends the caller's own session only
		}
		path := strings.NewReplacer("{id}", up.ID, "{name}", servertest.ConsultantA, "{code}", servertest.Code(1)).Replace(rt.Pattern)
		t.Run(rt.Method+" "+rt.Pattern, func(t *testing.T) {
			st, out := f.do(t, servertest.ConsultantB, rt.Method, path, bodies[rt.Pattern])
			if st >= 500 {
				t.Errorf("status %d: %s", st, out)
			}
			if (strings.Contains(rt.Pattern, "{id}") || strings.Contains(rt.Pattern, "{code}")) && st < 400 {
				t.Errorf("status %d for another provider's document", st)
			}
			for _, s := range secrets {
				if bytes.Contains(out, []byte(s)) {
					t.Errorf("the response (%d) carries A's %q:\n%s", st, s, out)
				}
			}
		})
	}
	// And A's own consultant does see it, so the test can fail.
	if st, out := f.do(t, servertest.ConsultantA, "GET", "/api/v1/submissions/"+up.ID+"/pdf", nil); st != 200 || !bytes.HasPrefix(out, []byte("%PDF")) {
		t.Errorf("A's own PDF: %d", st)
	}
	if st, out := f.do(t, servertest.ConsultantA, "GET", "/api/v1/submissions", nil); st != 200 || !bytes.Contains(out, []byte(up.ID)) {
		t.Errorf("A's own list: %d %s", st, out)
	}
	if st, out := f.do(t, servertest.ConsultantA, "GET", "/api/v1/firms/"+servertest.Code(1)+"/projects", nil); st != 200 || !bytes.Contains(out, []byte(up.ID)) {
		t.Errorf("A's own firm's plan projects: %d %.300s", st, out)
	}
}

// TestProjectsOverHTTP: an officer lists a firm's plan projects, registers one (prefilled),
// is refused the second time with a message, moves it and sees the pipeline follow; the city
// reads but cannot register; cookies from another site do not register anything.
func TestProjectsOverHTTP(t *testing.T) {
	f := newFixture(t)
	sealed := servertest.Seal(t, servertest.Doc(t, 3, t0), servertest.ConsultantA, servertest.ProviderA)
	_, body := f.do(t, servertest.ConsultantA, "POST", "/api/v1/uploads?name=x.sdiag", sealed)
	var up server.UploadResult
	json.Unmarshal(body, &up)
	firm := "/api/v1/firms/" + strings.ToLower(servertest.Code(3)) + "/projects"
	get := func(user string) (int, server.FirmProjects) {
		t.Helper()
		st, out := f.do(t, user, "GET", firm, nil)
		var fp server.FirmProjects
		if st == 200 {
			if err := json.Unmarshal(out, &fp); err != nil {
				t.Fatalf("%s: %v", out, err)
			}
		}
		return st, fp
	}
	if st, fp := get(servertest.Officer); st != 200 || fp.Plan != nil || !fp.Pending {
		t.Fatalf("before review: %d %+v", st, fp)
	}
	f.do(t, servertest.Officer, "POST", "/api/v1/submissions/"+up.ID+"/accept", nil)
	st, fp := get(servertest.Officer)
	if st != 200 || fp.Plan == nil || fp.Plan.Diagnosis != up.ID || len(fp.Plan.Projects) == 0 {
		t.Fatalf("after acceptance: %d %+v", st, fp)
	}
	pp := fp.Plan.Projects[0]
	if pp.Name == "" || pp.NameEN == "" || len(pp.Actions) == 0 || pp.InvestmentWan[1] <= 0 || pp.Months[1] <= 0 || pp.Benefits == "" {
		t.Errorf("plan project without its facts: %+v", *pp.PlanProjectOf)
	}
	reg := []byte(`{"plan_project":"` + pp.ID + `","diagnosis":"` + up.ID + `","applied":"2026-05-01"}`)
	if st, out := f.do(t, servertest.CityViewer, "POST", firm, reg); st != 403 {
		t.Errorf("the city registering: %d %s", st, out)
	}
	if st, out := f.do(t, servertest.Officer, "POST", firm, []byte(`{"plan_project":"`+pp.ID+`","district":2}`)); st != 400 {
		t.Errorf("an unknown field: %d %s", st, out)
	}
	st, out := f.do(t, servertest.Officer, "POST", firm, reg)
	var pr server.Project
	if st != 201 || json.Unmarshal(out, &pr) != nil || pr.Name != pp.Name || pr.Planned != pp.Planned || pr.PlanProject != pp.ID || pr.Diagnosis != up.ID {
		t.Fatalf("register: %d %s", st, out)
	}
	if st, out := f.do(t, servertest.Officer, "POST", firm, reg); st != 400 || !strings.Contains(string(out), "不能重复登记") {
		t.Errorf("registered twice: %d %s", st, out)
	}
	if st, out := f.do(t, servertest.Officer, "POST", firm, []byte(`{"name":"其他：污水处理","planned_investment":250000,"applied":"2026-05-02"}`)); st != 201 {
		t.Errorf("a free-text project: %d %s", st, out)
	}
	if _, fp := get(servertest.CityViewer); len(fp.Projects) != 2 || fp.Plan.Projects[0].Registered != pr.ID {
		t.Errorf("the city reads %+v", fp)
	}
	if st, fp := get(servertest.Officer2); st != 200 || fp.Plan != nil || len(fp.Projects) != 0 {
		t.Errorf("浦口区 reads %d %+v", st, fp)
	}
	stage := "/api/v1/projects/" + strconv.FormatInt(pr.ID, 10) + "/stage"
	for _, m := range []string{`{"stage":"approved","date":"2026-05-20"}`, `{"stage":"underway","date":"2026-06-01","actual_investment":300000}`} {
		if st, out := f.do(t, servertest.Officer, "POST", stage, []byte(m)); st != 200 {
			t.Fatalf("%s: %d %s", m, st, out)
		}
	}
	if st, out := f.do(t, servertest.Officer, "POST", stage, []byte(`{"stage":"accepted","date":"2026-07-01","subsidy":-5}`)); st != 400 {
		t.Errorf("a negative subsidy: %d %s", st, out)
	}
	if st, out := f.do(t, servertest.Officer2, "POST", stage, []byte(`{"stage":"accepted","date":"2026-07-01"}`)); st != 404 {
		t.Errorf("another district moving it: %d %s", st, out)
	}
	st, out = f.do(t, servertest.Officer, "GET", "/api/v1/pipeline", nil)
	var pl server.Pipeline
	if st != 200 || json.Unmarshal(out, &pl) != nil || pl.Funnel != (server.Funnel{Diagnosed: 1, Registered: 1, Underway: 1}) || len(pl.Projects) != 2 {
		t.Errorf("pipeline: %d %.400s", st, out)
	}
	if st, _ := f.do(t, servertest.ConsultantA, "GET", "/api/v1/pipeline", nil); st != 403 {
		t.Errorf("a consultant's pipeline: %d", st)
	}
	// A browser session cookie sent from another site registers nothing.
	tok, _, err := f.w.Svc.Login(context.Background(), servertest.Officer, servertest.Password)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", f.ts.URL+firm, bytes.NewReader([]byte(`{"name":"跨站","applied":"2026-05-03"}`)))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.AddCookie(&http.Cookie{Name: SessionCookie, Value: tok})
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, fp := get(servertest.Officer); resp.StatusCode != http.StatusForbidden || len(fp.Projects) != 2 {
		t.Errorf("cross-site registration: %d, %d projects", resp.StatusCode, len(fp.Projects))
	}
}

func reportPDF(t *testing.T, sealed []byte) []byte {
	t.Helper()
	return servertest.ReportPDF(t, sealed)
}

// TestReviewOverHTTP: return needs a reason; the consultant sees the state and the reason.
func TestReviewOverHTTP(t *testing.T) {
	f := newFixture(t)
	sealed := servertest.Seal(t, servertest.Doc(t, 2, t0), servertest.ConsultantA, servertest.ProviderA)
	_, body := f.do(t, servertest.ConsultantA, "POST", "/api/v1/uploads?name=x.sdiag", sealed)
	var up server.UploadResult
	json.Unmarshal(body, &up)
	if st, out := f.do(t, servertest.Officer, "POST", "/api/v1/submissions/"+up.ID+"/return", []byte(`{"reason":""}`)); st != 400 || !strings.Contains(string(out), "原因") {
		t.Errorf("return without reason: %d %s", st, out)
	}
	if st, out := f.do(t, servertest.Officer, "POST", "/api/v1/submissions/"+up.ID+"/return", []byte(`{"reason":"缺少证据"}`)); st != 200 {
		t.Fatalf("return: %d %s", st, out)
	}
	_, out := f.do(t, servertest.ConsultantA, "GET", "/api/v1/submissions", nil)
	var subs []server.Submission
	json.Unmarshal(out, &subs)
	if len(subs) != 1 || subs[0].State != server.StateReturned || subs[0].Reason != "缺少证据" {
		t.Errorf("consultant sees %s", out)
	}
	if st, _ := f.do(t, servertest.ConsultantA, "GET", "/api/v1/tally", nil); st != 403 {
		t.Errorf("consultant tally: %d", st)
	}
}

// TestTallyEndpointIsTheCLIJSON: GET /api/v1/tally has the shape of `smartdiag tally --json`.
func TestTallyEndpointIsTheCLIJSON(t *testing.T) {
	f := newFixture(t)
	for i := range 3 {
		f.do(t, servertest.ConsultantA, "POST", "/api/v1/uploads?name=x.sdiag", servertest.Seal(t, servertest.Doc(t, i, t0), servertest.ConsultantA, servertest.ProviderA))
	}
	st, out := f.do(t, servertest.Officer, "GET", "/api/v1/tally", nil)
	if st != 200 {
		t.Fatalf("%d %s", st, out)
	}
	var res tally.Result
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("not the tally JSON: %v", err)
	}
	if res.Diagnoses.Counted != 3 || res.Roster == nil || res.Roster.Valid != servertest.RosterFirms {
		t.Errorf("tally: counted %d, roster %+v", res.Diagnoses.Counted, res.Roster)
	}
	st, out = f.do(t, servertest.CityViewer, "GET", "/api/v1/tally", nil)
	var city map[string]tally.Result
	if st != 200 || json.Unmarshal(out, &city) != nil || city[servertest.District].Diagnoses.Counted != 3 || len(city) != 2 {
		t.Errorf("city tally %d: %.300s", st, out)
	}
}

// TestLimits: bodies over the limit are refused; login attempts are rate limited; unknown
// routes and missing tokens get JSON errors.
func TestLimits(t *testing.T) {
	f := newFixture(t)
	if st, out := f.do(t, servertest.Officer, "POST", "/api/v1/packages", bytes.Repeat([]byte(" "), MaxJSON+10)); st != http.StatusRequestEntityTooLarge {
		t.Errorf("big JSON: %d %s", st, out)
	}
	if st, _ := f.do(t, "", "GET", "/api/v1/me", nil); st != 401 {
		t.Errorf("no token: %d", st)
	}
	if st, out := f.do(t, "", "GET", "/api/v1/nothing", nil); st != 404 || !json.Valid(out) {
		t.Errorf("unknown route: %d %s", st, out)
	}
	var last int
	for range 12 {
		last, _ = f.do(t, "", "POST", "/api/v1/login", []byte(`{"name":"jn-officer","password":"wrong password"}`))
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("12th login attempt in a minute: %d, want 429", last)
	}
	// Password login sets an HttpOnly, SameSite=Strict cookie, Secure when serving TLS.
	f.srv.SecureCookies = true
	resp, err := f.ts.Client().Post(f.ts.URL+"/api/v1/login", "application/json", strings.NewReader(`{"name":"nj-city","password":"`+servertest.Password+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	c := resp.Cookies()
	if len(c) != 1 || !c[0].HttpOnly || !c[0].Secure || c[0].SameSite != http.SameSiteStrictMode {
		t.Errorf("session cookie %+v", c)
	}
	// A cross-site form post with the cookie is refused.
	req, _ := http.NewRequest("POST", f.ts.URL+"/api/v1/logout", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.AddCookie(c[0])
	resp, err = f.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site post: %d", resp.StatusCode)
	}
}

func TestKeyLoginOverHTTP(t *testing.T) {
	f := newFixture(t)
	_, out := f.do(t, "", "POST", "/api/v1/auth/challenge", []byte(`{"name":"jia-gu"}`))
	var c struct{ Nonce string }
	json.Unmarshal(out, &c)
	sig := server.SignChallenge(servertest.Key(servertest.ConsultantA), c.Nonce)
	in, _ := json.Marshal(map[string]string{"name": servertest.ConsultantA, "nonce": c.Nonce, "signature": sig})
	st, out := f.do(t, "", "POST", "/api/v1/auth/key", in)
	var s struct{ Token string }
	if st != 200 || json.Unmarshal(out, &s) != nil || !strings.HasPrefix(s.Token, server.TokenPrefix) {
		t.Fatalf("key login: %d %s", st, out)
	}
	f.w.Tokens["session"] = s.Token
	if st, out := f.do(t, "session", "GET", "/api/v1/me", nil); st != 200 || !strings.Contains(string(out), "甲服务商") {
		t.Errorf("me: %d %s", st, out)
	}
}

// TestHandleAuth: a page mounted by the web console authenticates like the API.
func TestHandleAuth(t *testing.T) {
	f := newFixture(t)
	f.srv.HandleAuth("GET /console-test", func(w http.ResponseWriter, r *http.Request, p *server.Principal) error {
		if p.Org.Kind != server.KindDistrict {
			return server.ErrForbidden
		}
		io.WriteString(w, "hello "+p.User.Name)
		return nil
	})
	if st, out := f.do(t, servertest.Officer, "GET", "/console-test", nil); st != 200 || string(out) != "hello "+servertest.Officer {
		t.Errorf("officer: %d %s", st, out)
	}
	if st, _ := f.do(t, servertest.ConsultantB, "GET", "/console-test", nil); st != 403 {
		t.Errorf("consultant: %d", st)
	}
	if st, _ := f.do(t, "", "GET", "/console-test", nil); st != 401 {
		t.Errorf("anonymous: %d", st)
	}
}
