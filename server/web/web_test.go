package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/server"
	serverhttp "smartdiag/server/http"
	"smartdiag/server/servertest"
	"smartdiag/server/sqlite"
)

type fixture struct {
	w  *servertest.World
	ts *httptest.Server
}

var t0 = time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := servertest.NewWorld(t, st)
	srv := serverhttp.New(w.Svc, nil)
	if _, err := Mount(srv); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &fixture{w: w, ts: ts}
}

// get reads a page with a user's API token (as a script does).
func (f *fixture) get(t *testing.T, user, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", f.ts.URL+path, nil)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+f.w.Tokens[user])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (f *fixture) upload(t *testing.T, user string, data []byte) *server.UploadResult {
	t.Helper()
	res, err := f.w.Svc.Upload(context.Background(), f.w.P[user], "x.sdiag", data)
	if err != nil || res.Result != server.UploadStored {
		t.Fatalf("upload: %+v %v", res, err)
	}
	return res
}

// TestPagesCheckRoleAndDistrict opens every page as every role: the allowed roles get 200
// (or a download), the others 403, nobody signed in is sent to the login page, and 浦口区's
// officer never sees 江宁区's firm.
func TestPagesCheckRoleAndDistrict(t *testing.T) {
	f := newFixture(t)
	f.upload(t, servertest.ConsultantA, servertest.Seal(t, servertest.Doc(t, 1, t0), servertest.ConsultantA, servertest.ProviderA))
	users := map[server.Role][]string{
		server.RoleOfficer:       {servertest.Officer, servertest.Officer2},
		server.RoleCityViewer:    {servertest.CityViewer},
		server.RoleProviderAdmin: {servertest.AdminA},
		server.RoleConsultant:    {servertest.ConsultantA, servertest.ConsultantB},
	}
	code := servertest.Code(1)
	for _, pg := range Pages() {
		path := strings.NewReplacer("{code}", code, "{$}", "").Replace(pg.Path)
		t.Run(path, func(t *testing.T) {
			if st, _ := f.get(t, "", path); st != http.StatusSeeOther {
				t.Errorf("signed out: %d, want a redirect to the login page", st)
			}
			for role, names := range users {
				for _, u := range names {
					st, body := f.get(t, u, path)
					allowed := slices.Contains(pg.Roles, role)
					switch {
					case !allowed && st != http.StatusForbidden:
						t.Errorf("%s (%s): %d, want 403", u, role, st)
					case allowed && st >= 500:
						t.Errorf("%s (%s): %d\n%s", u, role, st, body)
					case allowed && pg.Path == "/firm/{code}":
						// The diagnosis is 江宁区's, by 甲服务商; 浦口区 has the same firm on its
						// own roster, so its officer sees the firm but not the diagnosis.
						sees := u != servertest.Officer2 && u != servertest.ConsultantB
						if want := u != servertest.ConsultantB; want != (st == http.StatusOK) {
							t.Errorf("%s opens the firm page: %d", u, st)
						}
						if strings.Contains(body, `class="st st-received"`) != sees {
							t.Errorf("%s sees the diagnosis: %v, want %v", u, !sees, sees) // shown against the rule
						}
					case allowed && st != http.StatusOK:
						t.Errorf("%s (%s): %d\n%s", u, role, st, body)
					}
					if u == servertest.Officer2 || u == servertest.ConsultantB {
						if strings.Contains(body, servertest.FirmName(1)) && st == http.StatusOK && path != "/roster" && pg.Path != "/firm/{code}" {
							t.Errorf("%s sees 江宁区's diagnosed firm on %s", u, path)
						}
					}
				}
			}
		})
	}
	// A city viewer may pick only its own districts.
	if st, _ := f.get(t, servertest.CityViewer, "/?district=999"); st != http.StatusNotFound {
		t.Errorf("city viewer, foreign district: %d", st)
	}
	if st, _ := f.get(t, servertest.Officer2, fmt.Sprintf("/?district=%d", f.w.P[servertest.Officer].Districts[0])); st != http.StatusNotFound {
		t.Errorf("浦口区's officer opening 江宁区's dashboard: %d", st)
	}
}

// TestDashboardHasTheTallysNumbers: the dashboard shows the numbers of GET /api/v1/tally (the
// `smartdiag tally --json` contract).
func TestDashboardHasTheTallysNumbers(t *testing.T) {
	f := newFixture(t)
	for i := range 3 {
		f.upload(t, servertest.ConsultantA, servertest.Seal(t, servertest.Doc(t, i, t0.Add(time.Duration(i)*24*time.Hour)), servertest.ConsultantA, servertest.ProviderA))
	}
	_, js := f.get(t, servertest.Officer, "/api/v1/tally")
	var res server.TallyResult
	if err := json.Unmarshal([]byte(js), &res); err != nil {
		t.Fatal(err)
	}
	st, page := f.get(t, servertest.Officer, "/")
	if st != 200 {
		t.Fatalf("%d %s", st, page)
	}
	want := fmt.Sprintf(`id="cov-total">%d / %d<`, res.Coverage.Total.Diagnosed, *res.Coverage.Total.Target)
	if res.Coverage.Total.Diagnosed != 3 || !strings.Contains(page, want) {
		t.Errorf("coverage: want %s in the page", want)
	}
	for _, tr := range res.Tracks {
		if !strings.Contains(page, fmt.Sprintf("<td>%s</td><td class=\"n\">%.1f</td>", tr.Track, tr.Mean)) {
			t.Errorf("track %s mean %.1f missing", tr.Track, tr.Mean)
		}
	}
	if !strings.Contains(page, "<svg") || !strings.Contains(page, "#1f5f8b") {
		t.Error("no chart in the house palette")
	}
	// English on request.
	if _, en := f.get(t, servertest.Officer, "/?lang=en"); !strings.Contains(en, "Coverage") || strings.Contains(en, "按企业类别") {
		t.Error("?lang=en is not English")
	}
}

var hostile = `<script>alert("x")</script>' OR 1=1; DROP TABLE submissions;--`

// TestHostileTextShowsAsText: a firm name and a return reason full of markup and SQL show as
// text on every page that shows them, and the store is intact.
func TestHostileTextShowsAsText(t *testing.T) {
	f := newFixture(t)
	d := servertest.Doc(t, 3, t0)
	d.Enterprise.Name = hostile
	up := f.upload(t, servertest.ConsultantA, servertest.Seal(t, d, servertest.ConsultantA, servertest.ProviderA))
	if _, err := f.w.Svc.Return(context.Background(), f.w.P[servertest.Officer], up.ID, hostile); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/review", "/firm/" + servertest.Code(3), "/roster"} {
		_, page := f.get(t, servertest.Officer, path)
		if strings.Contains(page, "<script>") || strings.Contains(page, `"x")`) {
			t.Errorf("%s carries live markup", path)
		}
		if path != "/roster" && !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&#39; OR 1=1; DROP TABLE submissions;--") {
			t.Errorf("%s does not show the text escaped:\n%s", path, page)
		}
	}
	if subs, err := f.w.Svc.Submissions(context.Background(), f.w.P[servertest.Officer], ""); err != nil || len(subs) != 1 {
		t.Errorf("store after the hostile text: %d %v", len(subs), err)
	}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// browser is a cookie-keeping client that does not follow redirects.
func (f *fixture) browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func send(t *testing.T, c *http.Client, method, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, u, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (f *fixture) login(t *testing.T, c *http.Client, name, password string) *http.Response {
	t.Helper()
	_, page := send(t, c, "GET", f.ts.URL+"/login", nil)
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the login page:\n%s", page)
	}
	resp, _ := send(t, c, "POST", f.ts.URL+"/login", url.Values{"csrf": {m[1]}, "name": {name}, "password": {password}, "next": {"/review"}})
	return resp
}

// TestLoginCookieAndCSRF: the session cookie is HttpOnly and SameSite; every form needs its
// token; a review form with the right token returns the diagnosis.
func TestLoginCookieAndCSRF(t *testing.T) {
	f := newFixture(t)
	up := f.upload(t, servertest.ConsultantA, servertest.Seal(t, servertest.Doc(t, 2, t0), servertest.ConsultantA, servertest.ProviderA))
	c := f.browser(t)
	if resp := f.login(t, c, servertest.Officer, "wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong password: %d", resp.StatusCode)
	}
	// A login post without the login page's token is refused.
	if resp, _ := send(t, f.browser(t), "POST", f.ts.URL+"/login", url.Values{"name": {servertest.Officer}, "password": {servertest.Password}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("login without CSRF: %d", resp.StatusCode)
	}
	resp := f.login(t, c, servertest.Officer, servertest.Password)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/review" {
		t.Fatalf("login: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == serverhttp.SessionCookie {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode {
		t.Fatalf("session cookie: %+v", session)
	}
	_, page := send(t, c, "GET", f.ts.URL+"/review", nil)
	m := csrfRE.FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, up.ID) {
		t.Fatalf("review page:\n%s", page)
	}
	ret := f.ts.URL + "/review/" + up.ID + "/return"
	for name, form := range map[string]url.Values{
		"no token":    {"reason": {"缺少证据"}},
		"wrong token": {"reason": {"缺少证据"}, "csrf": {strings.Repeat("0", 32)}},
	} {
		if resp, _ := send(t, c, "POST", ret, form); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d", name, resp.StatusCode)
		}
	}
	// A bearer token cannot post forms (no session, so no CSRF token).
	req, _ := http.NewRequest("POST", ret, strings.NewReader("reason=x"))
	req.Header.Set("Authorization", "Bearer "+f.w.Tokens[servertest.Officer])
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("bearer form post: %v %v", resp.StatusCode, err)
	}
	if resp, body := send(t, c, "POST", ret, url.Values{"csrf": {m[1]}, "reason": {"  "}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "原因") {
		t.Errorf("return without a reason: %d %s", resp.StatusCode, body)
	}
	if resp, _ := send(t, c, "POST", ret, url.Values{"csrf": {m[1]}, "reason": {"第 3 节缺少证据"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("return: %d", resp.StatusCode)
	}
	sub, err := f.w.Svc.Submission(context.Background(), f.w.P[servertest.ConsultantA], up.ID)
	if err != nil || sub.State != server.StateReturned || sub.Reason != "第 3 节缺少证据" {
		t.Errorf("after the form: %+v %v", sub, err)
	}
	// Logging out ends the session.
	send(t, c, "POST", f.ts.URL+"/logout", url.Values{"csrf": {m[1]}})
	if resp, _ := send(t, c, "GET", f.ts.URL+"/review", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout: %d", resp.StatusCode)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{"/roster": "/roster", "//evil.example": "/", "https://evil": "/", "": "/", `/\evil`: "/", "/firm/X?district=2": "/firm/X?district=2"} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestExportsAreTheTallysFiles: the workbook and the brief download.
func TestExportsAreTheTallysFiles(t *testing.T) {
	f := newFixture(t)
	f.upload(t, servertest.ConsultantA, servertest.Seal(t, servertest.Doc(t, 1, t0), servertest.ConsultantA, servertest.ProviderA))
	if st, b := f.get(t, servertest.Officer, "/exports/tally.xlsx"); st != 200 || !strings.HasPrefix(b, "PK") {
		t.Errorf("xlsx: %d", st)
	}
	if st, b := f.get(t, servertest.Officer, "/exports/brief.pdf"); st != 200 || !bytes.HasPrefix([]byte(b), []byte("%PDF")) {
		t.Errorf("brief: %d", st)
	}
}

// TestProjectFormsMoveTheFunnel: an officer registers a project on the firm page and moves it to
// 验收; the pipeline page's funnel follows; a bad amount is refused with the field named.
func TestProjectFormsMoveTheFunnel(t *testing.T) {
	f := newFixture(t)
	f.upload(t, servertest.ConsultantA, servertest.Seal(t, servertest.Doc(t, 1, t0), servertest.ConsultantA, servertest.ProviderA))
	c := f.browser(t)
	f.login(t, c, servertest.Officer, servertest.Password)
	firm := f.ts.URL + "/firm/" + servertest.Code(1)
	_, page := send(t, c, "GET", firm, nil)
	tok := csrfRE.FindStringSubmatch(page)[1]
	funnel := func() string {
		_, p := send(t, c, "GET", f.ts.URL+"/pipeline", nil)
		return regexp.MustCompile(`id="funnel"[^>]*>`).FindString(p)
	}
	if got := funnel(); !strings.Contains(got, `data-diagnosed="1" data-registered="0"`) {
		t.Errorf("before: %s", got)
	}
	if resp, body := send(t, c, "POST", firm+"/projects", url.Values{"csrf": {tok}, "name": {"产线改造"}, "planned": {"十万"}, "date": {"2026-05-01"}}); resp.StatusCode != 400 || !strings.Contains(body, "计划投资") {
		t.Errorf("bad amount: %d", resp.StatusCode)
	}
	if resp, _ := send(t, c, "POST", firm+"/projects", url.Values{"csrf": {tok}, "name": {"产线改造"}, "planned": {"120"}, "date": {"2026-05-01"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", resp.StatusCode)
	}
	if got := funnel(); !strings.Contains(got, `data-registered="1" data-underway="0"`) {
		t.Errorf("registered: %s", got)
	}
	_, page = send(t, c, "GET", firm, nil)
	id := regexp.MustCompile(`data-project="(\d+)"`).FindStringSubmatch(page)[1]
	for _, st := range []string{"approved", "underway", "accepted"} {
		if resp, body := send(t, c, "POST", f.ts.URL+"/projects/"+id+"/move", url.Values{"csrf": {tok}, "stage": {st}, "date": {"2026-06-01"}, "actual": {"118.5"}, "subsidy": {"20"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("move to %s: %d %s", st, resp.StatusCode, body)
		}
	}
	if got := funnel(); !strings.Contains(got, `data-registered="1" data-underway="1" data-accepted="1"`) {
		t.Errorf("accepted: %s", got)
	}
	if _, page = send(t, c, "GET", firm, nil); !strings.Contains(page, "118.5") {
		t.Error("the actual investment is not shown in 万元")
	}
}

// TestPackageForm: an officer creates a package for a provider; a code off the roster is refused
// with the code named; the provider's admin then sees the firm on its packages page.
func TestPackageForm(t *testing.T) {
	f := newFixture(t)
	c := f.browser(t)
	f.login(t, c, servertest.Officer, servertest.Password)
	_, page := send(t, c, "GET", f.ts.URL+"/packages", nil)
	tok := csrfRE.FindStringSubmatch(page)[1]
	form := url.Values{"csrf": {tok}, "name": {"2026 第二批"}, "start": {"2026-07-01"}, "end": {"2026-09-30"}, "provider": {servertest.ProviderA}}
	form.Set("codes", "91320115XX0000009Z")
	if resp, body := send(t, c, "POST", f.ts.URL+"/packages", form); resp.StatusCode != 400 || !strings.Contains(body, "91320115XX0000009Z") {
		t.Errorf("code off the roster: %d", resp.StatusCode)
	}
	// The world's first package gave firms 5–9 to 乙; a second package moves nothing, it adds.
	form.Set("codes", servertest.Code(7)+"，"+strings.ToLower(servertest.Code(8))+"\n")
	if resp, body := send(t, c, "POST", f.ts.URL+"/packages", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	if _, p := f.get(t, servertest.AdminA, "/packages"); !strings.Contains(p, servertest.FirmName(7)) || !strings.Contains(p, servertest.FirmName(8)) {
		t.Error("甲's admin does not see the new firms")
	}
}

// TestHostileRosterTextShowsAsText: a roster whose firm name and contact carry markup, quotes and
// SQL shows them as text on the roster, firm and the provider's packages pages.
func TestHostileRosterTextShowsAsText(t *testing.T) {
	f := newFixture(t)
	csv := strings.Replace(string(servertest.Roster(servertest.RosterFirms)), servertest.FirmName(2)+",", `"`+strings.ReplaceAll(hostile, `"`, `""`)+`",`, 1)
	csv = strings.Replace(csv, "联系人2,", "<img src=x onerror=alert(1)>,", 1)
	if _, err := f.w.Svc.UploadRoster(context.Background(), f.w.P[servertest.Officer], "名册.csv", []byte(csv)); err != nil {
		t.Fatal(err)
	}
	escaped := "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&#39; OR 1=1; DROP TABLE submissions;--"
	for _, c := range []struct{ user, path string }{
		{servertest.Officer, "/roster"},
		{servertest.Officer, "/roster?q=" + url.QueryEscape("<script>")},
		{servertest.Officer, "/firm/" + servertest.Code(2)},
		{servertest.AdminA, "/packages"},
	} {
		st, page := f.get(t, c.user, c.path)
		if st != 200 || strings.Contains(page, "<script>") || strings.Contains(page, "<img") {
			t.Errorf("%s %s: %d, live markup", c.user, c.path, st)
		}
		if !strings.Contains(page, escaped) {
			t.Errorf("%s %s does not show the name as text", c.user, c.path)
		}
	}
	if _, page := f.get(t, servertest.Officer, "/firm/"+servertest.Code(2)); !strings.Contains(page, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("the contact is not shown as text")
	}
}

// TestPlanProjectsOnTheFirmPage: the firm page lists the projects of the plan of the firm's
// accepted diagnosis with their facts; an officer registers one from its prefilled form and the
// funnel moves; the second registration is refused with a message; hostile firm, plan and
// project text shows as text; the city and providers see the plan but cannot register.
func TestPlanProjectsOnTheFirmPage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	code := servertest.Code(4)
	d := servertest.Doc(t, 4, t0)
	d.Enterprise.Name = hostile
	customID := `c1"><script>alert(1)</script>`
	d.Plan = &assessment.PlanEdits{Custom: []assessment.CustomAction{{ID: customID, Text: hostile, Track: "智改", Phase: "near", Project: "mes", Added: t0}}}
	up := f.upload(t, servertest.ConsultantA, servertest.Seal(t, d, servertest.ConsultantA, servertest.ProviderA))
	firm := "/firm/" + code
	if _, page := f.get(t, servertest.Officer, firm); !strings.Contains(page, tr("zh", "pr.plan.pending")) || strings.Contains(page, `name="plan_project"`) {
		t.Errorf("before review the page offers a plan:\n%s", page)
	}
	if _, err := f.w.Svc.Accept(ctx, f.w.P[servertest.Officer], up.ID); err != nil {
		t.Fatal(err)
	}
	fp, err := f.w.Svc.FirmProjects(ctx, f.w.P[servertest.Officer], code)
	if err != nil || fp.Plan == nil || len(fp.Plan.Projects) < 2 {
		t.Fatalf("%+v %v", fp, err)
	}
	_, page := f.get(t, servertest.Officer, firm)
	for _, pp := range fp.Plan.Projects {
		row := regexp.MustCompile(`(?s)<tr data-plan-project="` + regexp.QuoteMeta(pp.ID) + `">.*?</tr>`).FindString(page)
		for _, want := range []string{template.HTMLEscapeString(pp.Name), template.HTMLEscapeString(pp.NameEN), template.HTMLEscapeString(pp.Benefits),
			funcs["wanRange"].(func([2]float64) string)(pp.InvestmentWan), funcs["monthRange"].(func([2]int) string)(pp.Months),
			fmt.Sprintf("%d %s", len(pp.Actions), tr("zh", "pr.actions.n")), `name="planned" value="` + funcs["wan"].(func(int64) string)(pp.Planned) + `"`} {
			if !strings.Contains(row, want) {
				t.Errorf("plan project %s: the row lacks %q:\n%s", pp.ID, want, row)
			}
		}
	}
	if strings.Contains(page, "<script>") || !strings.Contains(page, "c1&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the consultant's action id is not shown as text")
	}
	// English: the plan's English names and benefits.
	_, en := f.get(t, servertest.Officer, firm+"?lang=en")
	for _, want := range []string{tr("en", "pr.plan"), tr("en", "pr.register"), template.HTMLEscapeString(fp.Plan.Projects[0].NameEN), template.HTMLEscapeString(fp.Plan.Projects[0].BenefitsEN)} {
		if !strings.Contains(en, want) {
			t.Errorf("the English page lacks %q", want)
		}
	}
	if strings.Contains(en, template.HTMLEscapeString(fp.Plan.Projects[0].Benefits)) {
		t.Error("the English page shows the Chinese benefits")
	}

	c := f.browser(t)
	f.login(t, c, servertest.Officer, servertest.Password)
	_, page = send(t, c, "GET", f.ts.URL+firm, nil)
	tok := csrfRE.FindStringSubmatch(page)[1]
	first := fp.Plan.Projects[0]
	form := regexp.MustCompile(`(?s)<input type="hidden" name="plan_project" value="` + regexp.QuoteMeta(first.ID) + `"><input type="hidden" name="diagnosis" value="([^"]+)">\s*<input name="name" value="([^"]*)"`).FindStringSubmatch(page)
	if form == nil || form[1] != up.ID || form[2] != template.HTMLEscapeString(first.Name) {
		t.Fatalf("no prefilled form for %s: %q", first.ID, form)
	}
	register := url.Values{"csrf": {tok}, "plan_project": {first.ID}, "diagnosis": {up.ID}, "name": {first.Name}, "planned": {"88.5"}, "date": {"2026-05-01"}}
	if resp, body := send(t, c, "POST", f.ts.URL+firm+"/projects", register); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("register: %d %s", resp.StatusCode, body)
	}
	register.Set("name", "再登记一次")
	if resp, body := send(t, c, "POST", f.ts.URL+firm+"/projects", register); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "不能重复登记") {
		t.Errorf("registered twice: %d %s", resp.StatusCode, body)
	}
	if resp, _ := send(t, c, "POST", f.ts.URL+firm+"/projects", url.Values{"csrf": {tok}, "name": {hostile}, "planned": {"3"}, "date": {"2026-05-02"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a free-text project: %d", resp.StatusCode)
	}
	_, page = send(t, c, "GET", f.ts.URL+firm, nil)
	if !regexp.MustCompile(`<tr data-plan-project="`+regexp.QuoteMeta(first.ID)+`" data-registered="\d+">`).MatchString(page) ||
		strings.Count(page, `class="inline register"`) != len(fp.Plan.Projects)-1 {
		t.Errorf("after registering %s the page still offers it", first.ID)
	}
	if strings.Contains(page, "<script>") || !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&#39; OR 1=1; DROP TABLE submissions;--") {
		t.Error("the hostile project name is not shown as text")
	}
	if !strings.Contains(page, "88.5") || !strings.Contains(page, "<code>"+first.ID+"</code>") {
		t.Error("the registered project lacks its edited investment or its plan project")
	}
	_, pl := send(t, c, "GET", f.ts.URL+"/pipeline", nil)
	if got := regexp.MustCompile(`id="funnel"[^>]*>`).FindString(pl); !strings.Contains(got, `data-diagnosed="1" data-registered="1" data-underway="0"`) {
		t.Errorf("funnel: %s", got)
	}

	// The city and the firm's provider read the plan; neither gets a form; another provider
	// does not see the firm; the city cannot post one.
	for _, u := range []string{servertest.CityViewer, servertest.AdminA, servertest.ConsultantA} {
		st, page := f.get(t, u, firm)
		if st != 200 || !strings.Contains(page, `id="plan-projects"`) || strings.Contains(page, `name="plan_project"`) {
			t.Errorf("%s: %d, plan shown %v, forms %v", u, st, strings.Contains(page, `id="plan-projects"`), strings.Contains(page, `name="plan_project"`))
		}
		if provider := u != servertest.CityViewer; provider == strings.Contains(page, `id="projects"`) {
			t.Errorf("%s sees the district's projects: %v", u, !provider)
		}
	}
	if st, _ := f.get(t, servertest.ConsultantB, firm); st != http.StatusNotFound {
		t.Errorf("another provider: %d", st)
	}
	cc := f.browser(t)
	f.login(t, cc, servertest.CityViewer, servertest.Password)
	_, page = send(t, cc, "GET", f.ts.URL+firm, nil)
	register.Set("csrf", csrfRE.FindStringSubmatch(page)[1])
	register.Set("plan_project", fp.Plan.Projects[1].ID)
	if resp, _ := send(t, cc, "POST", f.ts.URL+firm+"/projects", register); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the city registering: %d", resp.StatusCode)
	}
}
