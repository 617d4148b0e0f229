package web

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"time"

	"smartdiag/server"
	"smartdiag/tally"
	"smartdiag/tally/brief"
	"smartdiag/tally/xlsx"
)

// ---- dashboard ----

type dashData struct {
	T         *tally.Result
	Category  []tally.CovRow
	Street    []tally.CovRow
	Providers []provRow
	LevelSVG  any
	CovSVG    any
	StreetSVG any
	TrackSVG  any
}

type provRow struct {
	Name string
	*tally.ProviderStat
}

func providerRows(t *tally.Result) []provRow {
	var out []provRow
	for _, n := range t.ProviderRows() {
		out = append(out, provRow{n, t.Coverage.ByProvider[n]})
	}
	return out
}

func dashboard(c *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	t, err := c.srv.Svc.Tally(r.Context(), v.P, v.District)
	if err != nil {
		return err
	}
	d := dashData{T: t, Category: t.CategoryRows(), Street: t.StreetRows(), Providers: providerRows(t)}
	d.CovSVG = coverageChart(d.Category, v.Lang)
	d.StreetSVG = coverageChart(d.Street, v.Lang)
	d.LevelSVG = levelChart(t, v.Lang)
	d.TrackSVG = trackChart(t, v.Lang)
	v.Title, v.Nav, v.Data = v.T("nav.dashboard"), "dashboard", d
	c.render(w, http.StatusOK, "dashboard.html", v)
	return nil
}

// ---- roster ----

type rosterRow struct {
	server.RosterEntry
	Status string // none, received, resubmitted, returned, accepted
	Level  string
}

type rosterData struct {
	Rows                   []rosterRow
	Total                  int
	Q, Street, Cat, Status string
	Streets, Cats          []string
	Statuses               []string
}

// latestByFirm is each firm's latest upload (not a conflicting copy) among subs.
func latestByFirm(subs []server.Submission) map[string]server.Submission {
	out := map[string]server.Submission{}
	for _, s := range subs {
		if s.State == server.StateConflict {
			continue
		}
		if old, ok := out[s.CreditCode]; !ok || s.Seq > old.Seq {
			out[s.CreditCode] = s
		}
	}
	return out
}

func (c *Console) districtSubs(r *http.Request, v *view) ([]server.Submission, error) {
	subs, err := c.srv.Svc.Submissions(r.Context(), v.P, "")
	if err != nil {
		return nil, err
	}
	out := subs[:0]
	for _, s := range subs {
		if v.District == 0 || s.District == v.District {
			out = append(out, s)
		}
	}
	return out, nil
}

func rosterPage(c *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	rv, err := c.srv.Svc.Roster(r.Context(), v.P, v.District)
	if err != nil {
		return err
	}
	subs, err := c.districtSubs(r, v)
	if err != nil {
		return err
	}
	latest := latestByFirm(subs)
	q := r.URL.Query()
	d := rosterData{Q: strings.TrimSpace(q.Get("q")), Street: q.Get("street"), Cat: q.Get("category"), Status: q.Get("status"),
		Statuses: []string{"none", server.StateReceived, server.StateResubmitted, server.StateReturned, server.StateAccepted}}
	streets, cats := map[string]bool{}, map[string]bool{}
	for _, e := range rv.Parsed.Entries {
		d.Total++
		if e.Street != "" && !streets[e.Street] {
			streets[e.Street] = true
			d.Streets = append(d.Streets, e.Street)
		}
		for _, k := range e.Categories {
			if !cats[k] {
				cats[k] = true
				d.Cats = append(d.Cats, k)
			}
		}
		row := rosterRow{RosterEntry: e, Status: "none"}
		if s, ok := latest[e.CreditCode]; ok {
			row.Status = s.State
			if s.Facts != nil {
				row.Level = s.Facts.LevelName
			}
		}
		switch {
		case d.Q != "" && !strings.Contains(e.Name, d.Q) && !strings.Contains(e.CreditCode, strings.ToUpper(d.Q)):
		case d.Street != "" && e.Street != d.Street:
		case d.Cat != "" && !slices.Contains(e.Categories, d.Cat):
		case d.Status != "" && row.Status != d.Status:
		default:
			d.Rows = append(d.Rows, row)
		}
	}
	sort.Strings(d.Streets)
	sort.Strings(d.Cats)
	v.Title, v.Nav, v.Data = v.T("nav.roster"), "roster", d
	c.render(w, http.StatusOK, "roster.html", v)
	return nil
}

// ---- review queue ----

type reviewRow struct {
	server.Submission
	ProviderName string
}

func reviewPage(c *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	subs, err := c.districtSubs(r, v)
	if err != nil {
		return err
	}
	var waiting, done []reviewRow
	for _, s := range subs {
		row := reviewRow{s, c.orgName(r, s.Provider)}
		switch s.State {
		case server.StateReceived, server.StateResubmitted:
			waiting = append(waiting, row)
		case server.StateReturned, server.StateConflict:
			done = append(done, row)
		}
	}
	v.Title, v.Nav, v.Data = v.T("nav.review"), "review", map[string][]reviewRow{"Waiting": waiting, "Done": done}
	c.render(w, http.StatusOK, "review.html", v)
	return nil
}

func accept(c *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	if _, err := c.srv.Svc.Accept(r.Context(), v.P, r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(w, r, "/review?ok=accepted", http.StatusSeeOther)
	return nil
}

func returnSub(c *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	if _, err := c.srv.Svc.Return(r.Context(), v.P, r.PathValue("id"), r.PostFormValue("reason")); err != nil {
		return err
	}
	http.Redirect(w, r, "/review?ok=returned", http.StatusSeeOther)
	return nil
}

// ---- firm ----

type firmData struct {
	Code, Name string
	Entry      *server.RosterEntry
	Subs       []reviewRow
	TrendSVG   any
	// Projects are the firm's registered projects and the projects of the plan of its latest
	// accepted diagnosis (server.FirmProjects, the same as GET /api/v1/firms/{code}/projects).
	Projects *server.FirmProjects
	Provider bool // a provider sees its plan, not the district's projects
	Officer  bool
	Today    string
}

func firmPage(c *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	code := strings.ToUpper(r.PathValue("code"))
	subs, err := c.srv.Svc.Submissions(r.Context(), v.P, "")
	if err != nil {
		return err
	}
	d := firmData{Code: code}
	for _, s := range subs {
		if s.CreditCode == code {
			d.Subs = append(d.Subs, reviewRow{s, c.orgName(r, s.Provider)})
			d.Name = s.Name
		}
	}
	if v.District != 0 {
		if rv, err := c.srv.Svc.Roster(r.Context(), v.P, v.District); err == nil {
			if e := rv.Parsed.Index()[code]; e != nil {
				d.Entry, d.Name = e, e.Name
			}
		}
	}
	if d.Entry == nil && len(d.Subs) == 0 {
		return server.ErrNotFound
	}
	d.TrendSVG = trendChart(d.Subs, v.Lang)
	if d.Projects, err = c.srv.Svc.FirmProjects(r.Context(), v.P, code); err != nil {
		return err
	}
	d.Provider = v.P.Org.Kind == server.KindProvider
	d.Officer, d.Today = v.P.User.Role == server.RoleOfficer && d.Entry != nil, time.Now().In(cst).Format(time.DateOnly)
	v.Title, v.Nav, v.Data = d.Name, "roster", d
	c.render(w, http.StatusOK, "firm.html", v)
	return nil
}

// ---- providers, packages ----

func providersPage(c *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	cards, err := c.srv.Svc.Scorecards(r.Context(), v.P)
	if err != nil {
		return err
	}
	cov, err := c.srv.Svc.Coverage(r.Context(), v.P)
	if err != nil {
		return err
	}
	v.Title, v.Nav = v.T("nav.providers"), "providers"
	v.Data = struct {
		Cards []server.Scorecard
		Cov   []server.ProviderCoverage
	}{cards, cov}
	c.render(w, http.StatusOK, "providers.html", v)
	return nil
}

func packagesPage(c *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	var d struct {
		Packages  []server.Package
		Assigned  []server.AssignedFirm
		Cov       []server.ProviderCoverage
		Providers []string // for the officer's new-package form
	}
	var err error
	if v.P.User.Role == server.RoleOfficer {
		orgs, err := c.srv.Svc.Store.Orgs(r.Context())
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if o.Kind == server.KindProvider {
				d.Providers = append(d.Providers, o.Name)
			}
		}
	}
	if v.P.Org.Kind == server.KindProvider {
		d.Assigned, err = c.srv.Svc.Assignments(r.Context(), v.P)
	} else {
		d.Packages, err = c.srv.Svc.Packages(r.Context(), v.P)
		if err == nil {
			d.Cov, err = c.srv.Svc.Coverage(r.Context(), v.P)
		}
	}
	if err != nil {
		return err
	}
	v.Title, v.Nav, v.Data = v.T("nav.packages"), "packages", d
	c.render(w, http.StatusOK, "packages.html", v)
	return nil
}

// ---- exports ----

func exportsPage(c *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	v.Title, v.Nav = v.T("nav.exports"), "exports"
	c.render(w, http.StatusOK, "exports.html", v)
	return nil
}

func (c *Console) download(w http.ResponseWriter, name, ctype string, data []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename*=UTF-8''`+url.PathEscape(name))
	w.Write(data)
}

func exportXLSX(c *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	t, err := c.srv.Svc.Tally(r.Context(), v.P, v.District)
	if err != nil {
		return err
	}
	f, err := xlsx.Workbook(t)
	if err != nil {
		return err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return err
	}
	c.download(w, t.District+"-统计-"+t.AsOf+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
	return nil
}

func exportBrief(c *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	t, err := c.srv.Svc.Tally(r.Context(), v.P, v.District)
	if err != nil {
		return err
	}
	var buf strings.Builder
	if err := brief.Render(&buf, t); err != nil {
		return err
	}
	c.download(w, t.District+"-简报-"+t.AsOf+".pdf", "application/pdf", []byte(buf.String()))
	return nil
}

// ---- city ----

type cityRow struct {
	ID   int64
	Name string
	T    *tally.Result
	P    *server.Pipeline
}

func cityPage(c *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	var rows []cityRow
	for _, d := range v.Districts {
		t, err := c.srv.Svc.Tally(r.Context(), v.P, d.ID)
		if err != nil {
			return err
		}
		pl, err := c.srv.Svc.PipelineOf(r.Context(), v.P, d.ID)
		if err != nil {
			return err
		}
		rows = append(rows, cityRow{d.ID, d.Name, t, pl})
	}
	v.Title, v.Nav, v.Data = v.T("nav.city"), "city", rows
	c.render(w, http.StatusOK, "city.html", v)
	return nil
}

// ---- retrofit pipeline ----

func pipelinePage(c *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	pl, err := c.srv.Svc.PipelineOf(r.Context(), v.P, v.District)
	if err != nil {
		return err
	}
	names := map[string]string{}
	if rv, err := c.srv.Svc.Roster(r.Context(), v.P, v.District); err == nil {
		for _, e := range rv.Parsed.Entries {
			names[e.CreditCode] = e.Name
		}
	}
	v.Title, v.Nav = v.T("nav.pipeline"), "pipeline"
	v.Data = struct {
		*server.Pipeline
		FunnelSVG any
		Names     map[string]string
	}{pl, funnelChart(pl.Funnel, v.Lang), names}
	c.render(w, http.StatusOK, "pipeline.html", v)
	return nil
}

func addProject(c *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	planned, err := server.ParseYuan("计划投资", r.PostFormValue("planned"))
	if err != nil {
		return err
	}
	code := strings.ToUpper(r.PathValue("code"))
	if _, err := c.srv.Svc.AddProject(r.Context(), v.P, server.ProjectInput{CreditCode: code,
		Name: r.PostFormValue("name"), Planned: planned, Applied: r.PostFormValue("date"),
		PlanProject: r.PostFormValue("plan_project"), Diagnosis: r.PostFormValue("diagnosis")}); err != nil {
		return err
	}
	http.Redirect(w, r, "/firm/"+url.PathEscape(code)+"?ok=project", http.StatusSeeOther)
	return nil
}

func moveProject(c *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return server.ErrNotFound
	}
	actual, err := server.ParseYuan("实际投资", r.PostFormValue("actual"))
	if err != nil {
		return err
	}
	subsidy, err := server.ParseYuan("补贴", r.PostFormValue("subsidy"))
	if err != nil {
		return err
	}
	pr, err := c.srv.Svc.MoveProject(r.Context(), v.P, id, server.ProjectMove{Stage: r.PostFormValue("stage"),
		Date: r.PostFormValue("date"), Actual: actual, Subsidy: subsidy})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/firm/"+url.PathEscape(pr.CreditCode)+"?ok=project", http.StatusSeeOther)
	return nil
}

// addPackage creates a service package for one provider from the form: the firms' credit codes
// separated by spaces, commas or new lines.
func addPackage(c *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	codes := strings.FieldsFunc(r.PostFormValue("codes"), func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})
	in := server.PackageInput{Name: r.PostFormValue("name"), Start: r.PostFormValue("start"), End: r.PostFormValue("end"),
		Assignments: map[string][]string{r.PostFormValue("provider"): codes}}
	if _, err := c.srv.Svc.AddPackage(r.Context(), v.P, in); err != nil {
		return err
	}
	http.Redirect(w, r, "/packages?ok=package", http.StatusSeeOther)
	return nil
}
