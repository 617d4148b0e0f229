// Package web is the district server's web console: server-rendered pages (html/template, no
// JavaScript) for district officers, providers and the city, mounted on the API server's mux by
// `smartdiag serve`. Every number on the dashboard comes from the same tally as `smartdiag tally
// --json` and the PDF brief (server.Service.Tally); the console only lays it out.
package web

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"smartdiag/server"
	serverhttp "smartdiag/server/http"
)

//go:embed templates/*.html
var templateFS embed.FS

// csrfCookie carries the login form's token before there is a session (double submit).
const csrfCookie = "smartdiag_csrf"

// Console serves the pages.
type Console struct {
	srv   *serverhttp.Server
	pages map[string]*template.Template
}

// Page is one GET page of the console with the roles that may open it; Pages lists them all,
// so that the permission test walks every one.
type Page struct {
	Path  string // a ServeMux pattern without the method
	Roles []server.Role
	get   func(c *Console, w http.ResponseWriter, r *http.Request, v *view) error
}

var (
	everyone  = []server.Role{server.RoleOfficer, server.RoleCityViewer, server.RoleProviderAdmin, server.RoleConsultant}
	district  = []server.Role{server.RoleOfficer, server.RoleCityViewer}
	officer   = []server.Role{server.RoleOfficer}
	cityOnly  = []server.Role{server.RoleCityViewer}
	providers = []server.Role{server.RoleOfficer, server.RoleCityViewer, server.RoleProviderAdmin}
)

var pages = []Page{
	{"/{$}", district, dashboard},
	{"/roster", district, rosterPage},
	{"/review", officer, reviewPage},
	{"/firm/{code}", everyone, firmPage},
	{"/providers", providers, providersPage},
	{"/packages", everyone, packagesPage},
	{"/exports", district, exportsPage},
	{"/exports/tally.xlsx", district, exportXLSX},
	{"/exports/brief.pdf", district, exportBrief},
	{"/pipeline", district, pipelinePage},
	{"/city", cityOnly, cityPage},
}

// Pages lists every GET page behind the login.
func Pages() []Page { return pages }

// Mount adds the console's pages to the API server's mux.
func Mount(srv *serverhttp.Server) (*Console, error) {
	c := &Console{srv: srv, pages: map[string]*template.Template{}}
	names, err := templateFS.ReadDir("templates")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if n.Name() == "layout.html" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+n.Name())
		if err != nil {
			return nil, err
		}
		c.pages[n.Name()] = t
	}
	mux := srv.Mux()
	mux.HandleFunc("GET /login", c.loginForm)
	mux.HandleFunc("POST /login", c.login)
	mux.HandleFunc("POST /logout", c.post(c.logout, everyone))
	mux.HandleFunc("POST /review/{id}/accept", c.post(accept, officer))
	mux.HandleFunc("POST /review/{id}/return", c.post(returnSub, officer))
	mux.HandleFunc("POST /firm/{code}/projects", c.post(addProject, officer))
	mux.HandleFunc("POST /packages", c.post(addPackage, officer))
	mux.HandleFunc("POST /projects/{id}/move", c.post(moveProject, officer))
	for _, pg := range pages {
		mux.HandleFunc("GET "+pg.Path, c.get(pg))
	}
	return c, nil
}

// view is what every template gets.
type view struct {
	Lang      string
	P         *server.Principal
	CSRF      string
	Title     string
	Nav       string
	Flash     string
	Error     string
	Switch    string        // this page in the other language
	Districts []districtRef // a city viewer's districts, for the district switch
	District  int64
	Data      any
}

type districtRef struct {
	ID   int64
	Name string
}

func (v *view) T(key string) string { return tr(v.Lang, key) }

// lang is the page language: ?lang= (remembered in a cookie), else the cookie, else Chinese.
func lang(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "zh" || l == "en" {
		http.SetCookie(w, &http.Cookie{Name: "smartdiag_lang", Value: l, Path: "/", MaxAge: 365 * 86400, SameSite: http.SameSiteLaxMode, HttpOnly: true})
		return l
	}
	if c, err := r.Cookie("smartdiag_lang"); err == nil && c.Value == "en" {
		return "en"
	}
	return "zh"
}

// switchURL is the current page in the other language, keeping its query (district, filters).
func switchURL(r *http.Request, cur string) string {
	q := r.URL.Query()
	if cur == "en" {
		q.Set("lang", "zh")
	} else {
		q.Set("lang", "en")
	}
	return r.URL.Path + "?" + q.Encode()
}

// sessionToken is the browser's session token ("" for a bearer request).
func sessionToken(r *http.Request) string {
	if r.Header.Get("Authorization") != "" {
		return ""
	}
	if c, err := r.Cookie(serverhttp.SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// csrfFor derives a form token from the session token: it needs no server state, and only the
// holder of the (HttpOnly) session cookie's page can know it.
func csrfFor(session string) string {
	if session == "" {
		return ""
	}
	h := sha256.Sum256([]byte("smartdiag csrf\x00" + session))
	return hex.EncodeToString(h[:16])
}

func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func setHeaders(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
}

// get wraps a page: authentication (session cookie or bearer token), role check, rendering.
func (c *Console) get(pg Page) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		setHeaders(w)
		v := &view{Lang: lang(w, r)}
		v.Switch = switchURL(r, v.Lang)
		p, err := c.srv.Principal(r)
		if err != nil {
			if r.Header.Get("Authorization") != "" {
				c.status(w, v, http.StatusUnauthorized, "unauthenticated")
				return
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		v.P, v.CSRF = p, csrfFor(sessionToken(r))
		if !slices.Contains(pg.Roles, p.User.Role) {
			c.status(w, v, http.StatusForbidden, "forbidden")
			return
		}
		v.Flash = r.URL.Query().Get("ok")
		if err := c.districts(r, v); err != nil {
			c.fail(w, r, v, err)
			return
		}
		if err := pg.get(c, w, r, v); err != nil {
			c.fail(w, r, v, err)
		}
	}
}

// districts fills the district switch: an officer has one, a city viewer picks with ?district=.
func (c *Console) districts(r *http.Request, v *view) error {
	for _, id := range v.P.Districts {
		v.Districts = append(v.Districts, districtRef{id, c.orgName(r, id)})
	}
	if len(v.Districts) == 0 {
		return nil
	}
	v.District = v.Districts[0].ID
	if s := r.URL.Query().Get("district"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || !slices.Contains(v.P.Districts, id) {
			return server.ErrNotFound
		}
		v.District = id
	}
	return nil
}

func (c *Console) orgName(r *http.Request, id int64) string {
	if o, err := c.srv.Svc.Store.Org(r.Context(), id); err == nil {
		return o.Name
	}
	return strconv.FormatInt(id, 10)
}

// post wraps a form action: a browser session only (never a bearer token), its CSRF token,
// and the role; then back to the page the form came from.
func (c *Console) post(h func(c *Console, w http.ResponseWriter, r *http.Request, v *view) error, roles []server.Role) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		setHeaders(w)
		v := &view{Lang: lang(w, r)}
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		tok := sessionToken(r)
		p, err := c.srv.Principal(r)
		if err != nil || tok == "" {
			c.status(w, v, http.StatusUnauthorized, "unauthenticated")
			return
		}
		v.P, v.CSRF = p, csrfFor(tok)
		if !sameToken(r.PostFormValue("csrf"), v.CSRF) {
			c.status(w, v, http.StatusForbidden, "csrf")
			return
		}
		if !slices.Contains(roles, p.User.Role) {
			c.status(w, v, http.StatusForbidden, "forbidden")
			return
		}
		if err := h(c, w, r, v); err != nil {
			c.fail(w, r, v, err)
		}
	}
}

func (c *Console) fail(w http.ResponseWriter, r *http.Request, v *view, err error) {
	var inv *server.InvalidError
	switch {
	case errors.As(err, &inv):
		v.Error = inv.Msg
		c.status(w, v, http.StatusBadRequest, "invalid")
	case errors.Is(err, server.ErrForbidden):
		c.status(w, v, http.StatusForbidden, "forbidden")
	case errors.Is(err, server.ErrNotFound):
		c.status(w, v, http.StatusNotFound, "not_found")
	case errors.Is(err, server.ErrAuth):
		c.status(w, v, http.StatusUnauthorized, "unauthenticated")
	default:
		c.srv.Log.Error("web console", slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		c.status(w, v, http.StatusInternalServerError, "internal")
	}
}

// status renders an error page.
func (c *Console) status(w http.ResponseWriter, v *view, code int, key string) {
	v.Title = v.T("err." + key)
	if v.Error == "" {
		v.Error = v.T("err." + key + ".long")
	}
	c.render(w, code, "error.html", v)
}

func (c *Console) render(w http.ResponseWriter, code int, page string, v *view) {
	var buf bytes.Buffer
	if err := c.pages[page].Execute(&buf, v); err != nil {
		c.srv.Log.Error("web template", slog.String("page", page), slog.String("error", err.Error()))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// ---- login ----

func (c *Console) loginForm(w http.ResponseWriter, r *http.Request) {
	setHeaders(w)
	v := &view{Lang: lang(w, r), Title: tr(lang(w, r), "login.title")}
	v.Switch = switchURL(r, v.Lang)
	c.loginPage(w, r, v, http.StatusOK)
}

func (c *Console) loginPage(w http.ResponseWriter, r *http.Request, v *view, code int) {
	b := make([]byte, 16)
	rand.Read(b)
	v.CSRF = hex.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: v.CSRF, Path: "/login", HttpOnly: true,
		Secure: c.srv.SecureCookies, SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	v.Data = safeNext(r.FormValue("next"))
	c.render(w, code, "login.html", v)
}

// safeNext keeps a redirect on this site (a path, never //host or a scheme).
func safeNext(next string) string {
	if len(next) < 1 || next[0] != '/' || (len(next) > 1 && (next[1] == '/' || next[1] == '\\')) {
		return "/"
	}
	return next
}

func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	setHeaders(w)
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	v := &view{Lang: lang(w, r), Title: tr(lang(w, r), "login.title")}
	ck, err := r.Cookie(csrfCookie)
	if err != nil || !sameToken(r.PostFormValue("csrf"), ck.Value) {
		v.Error = v.T("err.csrf.long")
		c.loginPage(w, r, v, http.StatusForbidden)
		return
	}
	name := r.PostFormValue("name")
	if err := c.srv.LoginLimit(r, name); err != nil {
		v.Error = v.T("login.limited")
		c.loginPage(w, r, v, http.StatusTooManyRequests)
		return
	}
	tok, _, err := c.srv.Svc.Login(r.Context(), name, r.PostFormValue("password"))
	if err != nil {
		v.Error = v.T("login.bad")
		c.loginPage(w, r, v, http.StatusUnauthorized)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: serverhttp.SessionCookie, Value: tok, Path: "/",
		Expires: time.Now().Add(server.SessionTTL), HttpOnly: true, Secure: c.srv.SecureCookies, SameSite: http.SameSiteStrictMode})
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: "", Path: "/login", MaxAge: -1})
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func (c *Console) logout(_ *Console, w http.ResponseWriter, r *http.Request, v *view) error {
	if err := c.srv.Svc.Logout(r.Context(), sessionToken(r)); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: serverhttp.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: c.srv.SecureCookies, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
