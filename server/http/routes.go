package http

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"smartdiag/server"
)

type principal = server.Principal

var routes = []Route{
	{"GET", "/api/v1/healthz", false, health},
	{"POST", "/api/v1/login", false, login},
	{"POST", "/api/v1/auth/challenge", false, authChallenge},
	{"POST", "/api/v1/auth/key", false, authKey},
	{"POST", "/api/v1/logout", true, logout},
	{"GET", "/api/v1/me", true, me},
	{"PUT", "/api/v1/users/{name}/key", true, registerKey},
	{"POST", "/api/v1/uploads", true, upload},
	{"GET", "/api/v1/submissions", true, listSubmissions},
	{"GET", "/api/v1/submissions/{id}", true, getSubmission},
	{"GET", "/api/v1/submissions/{id}/document", true, getBytes("document")},
	{"GET", "/api/v1/submissions/{id}/original", true, getBytes("original")},
	{"GET", "/api/v1/submissions/{id}/pdf", true, getBytes("pdf")},
	{"POST", "/api/v1/submissions/{id}/accept", true, accept},
	{"POST", "/api/v1/submissions/{id}/return", true, returnSub},
	{"POST", "/api/v1/roster", true, uploadRoster},
	{"GET", "/api/v1/roster", true, getRoster},
	{"GET", "/api/v1/roster/file", true, getRosterFile},
	{"POST", "/api/v1/packages", true, addPackage},
	{"GET", "/api/v1/packages", true, listPackages},
	{"GET", "/api/v1/assignments", true, assignments},
	{"GET", "/api/v1/coverage", true, coverage},
	{"GET", "/api/v1/scorecards", true, scorecards},
	{"GET", "/api/v1/tally", true, getTally},
	{"GET", "/api/v1/audit", true, audit},
	{"GET", "/api/v1/firms/{code}/projects", true, firmProjects},
	{"POST", "/api/v1/firms/{code}/projects", true, addProject},
	{"POST", "/api/v1/projects/{id}/stage", true, moveProject},
	{"GET", "/api/v1/pipeline", true, pipeline},
}

func health(s *Server, w http.ResponseWriter, r *http.Request, _ *principal) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "api": APIVersion})
	return nil
}

// session is what a login returns.
type session struct {
	Token   string    `json:"token"`
	Expires time.Time `json:"expires"`
	User    whoami    `json:"user"`
}

type whoami struct {
	Name        string         `json:"name"`
	Role        server.Role    `json:"role"`
	Org         string         `json:"org"`
	OrgKind     server.OrgKind `json:"org_kind"`
	Fingerprint string         `json:"fingerprint,omitempty"`
	Districts   []int64        `json:"districts"`
}

func who(p *principal) whoami {
	return whoami{Name: p.User.Name, Role: p.User.Role, Org: p.Org.Name, OrgKind: p.Org.Kind, Fingerprint: p.User.Fingerprint, Districts: p.Districts}
}

func (s *Server) startSession(w http.ResponseWriter, tok string, p *principal) {
	exp := time.Now().Add(server.SessionTTL).UTC().Truncate(time.Second)
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: tok, Path: "/", Expires: exp, HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode})
	writeJSON(w, http.StatusOK, session{Token: tok, Expires: exp, User: who(p)})
}

func login(s *Server, w http.ResponseWriter, r *http.Request, _ *principal) error {
	var in struct{ Name, Password string }
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.limit(r, in.Name); err != nil {
		return err
	}
	tok, p, err := s.Svc.Login(r.Context(), in.Name, in.Password)
	if err != nil {
		return err
	}
	s.startSession(w, tok, p)
	return nil
}

func authChallenge(s *Server, w http.ResponseWriter, r *http.Request, _ *principal) error {
	var in struct {
		Name      string `json:"name"`
		PublicKey []byte `json:"public_key"` // base64 Ed25519 key, instead of the name
	}
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.limit(r, in.Name+string(in.PublicKey)); err != nil {
		return err
	}
	nonce, err := s.Svc.Challenge(r.Context(), in.Name, in.PublicKey)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"nonce": nonce})
	return nil
}

func authKey(s *Server, w http.ResponseWriter, r *http.Request, _ *principal) error {
	var in struct{ Name, Nonce, Signature string }
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	tok, p, err := s.Svc.KeyLogin(r.Context(), in.Name, in.Nonce, in.Signature)
	if err != nil {
		return err
	}
	s.startSession(w, tok, p)
	return nil
}

func logout(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	tok := strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	if c, err := r.Cookie(SessionCookie); err == nil && tok == "" {
		tok = c.Value
	}
	if err := s.Svc.Logout(r.Context(), tok); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode})
	writeJSON(w, http.StatusOK, map[string]string{"status": "logged out"})
	return nil
}

func me(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	writeJSON(w, http.StatusOK, who(p))
	return nil
}

func registerKey(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	_, data, err := readFile(w, r, MaxJSON)
	if err != nil {
		return err
	}
	u, err := s.Svc.RegisterKey(r.Context(), p, r.PathValue("name"), data)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"user": u.Name, "fingerprint": u.Fingerprint})
	return nil
}

func upload(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	name, data, err := readFile(w, r, MaxUpload)
	if err != nil {
		return err
	}
	res, err := s.Svc.Upload(r.Context(), p, name, data)
	if err != nil {
		return err
	}
	if res.Sub != nil && res.Sub.Facts != nil {
		// The answer says what was stored, not the facts read from it (as the list without
		// ?facts=1): a retry is answered without reading them, and encoding them for every
		// upload was about 5% of its CPU.
		sub := *res.Sub
		sub.Facts = nil
		res.Sub = &sub
	}
	status := http.StatusOK
	switch res.Result {
	case server.UploadStored:
		status = http.StatusCreated
	case server.UploadConflict:
		status = http.StatusConflict
	case server.UploadRejected:
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, res)
	return nil
}

func listSubmissions(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	subs, err := s.Svc.Submissions(r.Context(), p, r.URL.Query().Get("state"))
	if err != nil {
		return err
	}
	if subs == nil {
		subs = []server.Submission{}
	}
	if r.URL.Query().Get("facts") != "1" {
		for i := range subs {
			subs[i].Facts = nil
		}
	}
	writeJSON(w, http.StatusOK, subs)
	return nil
}

func getSubmission(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	subs, err := s.Svc.SubmissionsOf(r.Context(), p, pathID(r))
	if err != nil {
		return err
	}
	out := struct {
		Submission *server.Submission  `json:"submission"`
		Conflicts  []server.Submission `json:"conflicts"`
	}{Conflicts: []server.Submission{}}
	for i := range subs {
		if subs[i].State == server.StateConflict {
			out.Conflicts = append(out.Conflicts, subs[i])
		} else {
			out.Submission = &subs[i]
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func getBytes(which string) func(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	return func(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
		sub, err := s.Svc.Submission(r.Context(), p, pathID(r))
		if err != nil {
			return err
		}
		data, ctype, name := sub.Document, "application/json", sub.ID+".sdiag"
		switch which {
		case "original":
			data, ctype, name = sub.Original, "application/octet-stream", sub.FileName
		case "pdf":
			if len(sub.PDF) == 0 {
				return server.ErrNotFound
			}
			data, ctype, name = sub.PDF, "application/pdf", sub.ID+".pdf"
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", `attachment; filename*=UTF-8''`+urlPathEscape(name))
		w.Write(data)
		return nil
	}
}

func accept(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	sub, err := s.Svc.Accept(r.Context(), p, pathID(r))
	if err != nil {
		return err
	}
	sub.Facts = nil
	writeJSON(w, http.StatusOK, sub)
	return nil
}

func returnSub(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	var in struct{ Reason string }
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	sub, err := s.Svc.Return(r.Context(), p, pathID(r), in.Reason)
	if err != nil {
		return err
	}
	sub.Facts = nil
	writeJSON(w, http.StatusOK, sub)
	return nil
}

func uploadRoster(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	name, data, err := readFile(w, r, MaxRoster)
	if err != nil {
		return err
	}
	roster, err := s.Svc.UploadRoster(r.Context(), p, name, data)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, roster)
	return nil
}

func rosterOf(r *http.Request, s *Server, p *principal) (*server.RosterVersion, error) {
	d, err := queryInt(r, "district")
	if err != nil {
		return nil, err
	}
	return s.Svc.Roster(r.Context(), p, d)
}

func getRoster(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	rv, err := rosterOf(r, s, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rv.Parsed)
	return nil
}

func getRosterFile(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	rv, err := rosterOf(r, s, p)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename*=UTF-8''`+urlPathEscape(rv.FileName))
	w.Write(rv.Data)
	return nil
}

func addPackage(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	var in server.PackageInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	pk, err := s.Svc.AddPackage(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, pk)
	return nil
}

func listPackages(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	pk, err := s.Svc.Packages(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, nonNil(pk))
	return nil
}

func assignments(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	a, err := s.Svc.Assignments(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, nonNil(a))
	return nil
}

func coverage(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	c, err := s.Svc.Coverage(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, nonNil(c))
	return nil
}

func scorecards(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	c, err := s.Svc.Scorecards(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, nonNil(c))
	return nil
}

// getTally is `smartdiag tally --json` for an officer's district; a city gets an object of its
// districts' tallies by name, or one district's with ?district=ID.
func getTally(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	d, err := queryInt(r, "district")
	if err != nil {
		return err
	}
	if p.Org.Kind == server.KindCity && d == 0 {
		res, err := s.Svc.CityTally(r.Context(), p)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, res)
		return nil
	}
	if d == 0 && len(p.Districts) == 1 {
		d = p.Districts[0]
	}
	res, err := s.Svc.Tally(r.Context(), p, d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func audit(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	n, err := queryInt(r, "limit")
	if err != nil {
		return err
	}
	a, err := s.Svc.Audit(r.Context(), p, int(n))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, nonNil(a))
	return nil
}

// firmProjects is a firm's registered retrofit projects and the projects of the plan of its
// latest accepted diagnosis (server.FirmProjects).
func firmProjects(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	fp, err := s.Svc.FirmProjects(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fp)
	return nil
}

// addProject registers a plan project ({"plan_project"}) or a free-text one ({"name"}).
func addProject(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	var in server.ProjectInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	in.CreditCode = r.PathValue("code")
	pr, err := s.Svc.AddProject(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, pr)
	return nil
}

// moveProject moves a project to the same stage (to correct its figures) or the next one.
func moveProject(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	var in struct {
		Stage   string `json:"stage"`
		Date    string `json:"date"`
		Actual  int64  `json:"actual_investment"`
		Subsidy int64  `json:"subsidy"`
	}
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	id, err := strconv.ParseInt(pathID(r), 10, 64)
	if err != nil {
		return server.ErrNotFound
	}
	pr, err := s.Svc.MoveProject(r.Context(), p, id, server.ProjectMove{Stage: in.Stage, Date: in.Date, Actual: in.Actual, Subsidy: in.Subsidy})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pr)
	return nil
}

// pipeline is the retrofit pipeline of the officer's district, or of ?district=ID.
func pipeline(s *Server, w http.ResponseWriter, r *http.Request, p *principal) error {
	d, err := queryInt(r, "district")
	if err != nil {
		return err
	}
	if d == 0 && len(p.Districts) == 1 {
		d = p.Districts[0]
	}
	pl, err := s.Svc.PipelineOf(r.Context(), p, d)
	if err != nil {
		return err
	}
	pl.Projects = nonNil(pl.Projects)
	writeJSON(w, http.StatusOK, pl)
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func urlPathEscape(s string) string { return url.PathEscape(s) }
