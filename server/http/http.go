// Package http serves the district server's JSON API (/api/v1, documented in docs/api.md) over
// net/http: authentication (API tokens, password and key login), request limits, structured logs,
// and the mapping of the domain's errors to status codes. The web console (issue 17) mounts its
// pages on the same mux.
package http

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"smartdiag/server"
)

// APIVersion is the API's version, in its path and in the X-Smartdiag-API header.
const APIVersion = "1"

// Limits on request bodies.
const (
	MaxUpload = 64 << 20 // a sealed document or a report PDF
	MaxRoster = 32 << 20
	MaxJSON   = 1 << 20
)

// SessionCookie holds a login's session token for browsers.
const SessionCookie = "smartdiag_session"

// Server is the HTTP face of a server.Service.
type Server struct {
	Svc *server.Service
	Log *slog.Logger
	// SecureCookies marks the session cookie Secure (set when serving TLS).
	SecureCookies bool
	mux           *http.ServeMux
	byIP, byUser  *limiter // login attempts
}

// Route is one API endpoint; Routes lists them all (the permission tests walk every one).
type Route struct {
	Method, Pattern string
	Auth            bool // needs a signed-in user
	handle          func(s *Server, w http.ResponseWriter, r *http.Request, p *server.Principal) error
}

// Routes lists every API endpoint.
func Routes() []Route { return routes }

// New returns a server with every route registered.
func New(svc *server.Service, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{Svc: svc, Log: log, mux: http.NewServeMux(), byIP: newLimiter(60, time.Minute), byUser: newLimiter(10, time.Minute)}
	for _, rt := range routes {
		s.mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
	}
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "没有这个接口："+r.Method+" "+r.URL.Path)
	})
	return s
}

// Mux is the server's mux, for the web console to add its pages to.
func (s *Server) Mux() *http.ServeMux { return s.mux }

// HandleAuth registers a handler for signed-in users (bearer token or session cookie), with the
// API's error mapping: the web console's pages use it, so that scripts can read any page with
// the same token as the API.
func (s *Server) HandleAuth(pattern string, h func(w http.ResponseWriter, r *http.Request, p *server.Principal) error) {
	method, path, _ := strings.Cut(pattern, " ")
	s.mux.Handle(pattern, s.wrap(Route{Method: method, Pattern: path, Auth: true,
		handle: func(_ *Server, w http.ResponseWriter, r *http.Request, p *server.Principal) error { return h(w, r, p) }}))
}

// Principal authenticates a request as the API does (for handlers mounted on Mux directly).
func (s *Server) Principal(r *http.Request) (*server.Principal, error) { return s.authenticate(r) }

// Handler is the whole server: cross-origin protection for cookie sessions, then logging.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	return s.logging(cop.Handler(s.mux))
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
	user   string
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (s *Server) logging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		s.Log.LogAttrs(r.Context(), level, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes), slog.Duration("took", time.Since(start)),
			slog.String("user", sw.user), slog.String("remote", clientIP(r)))
	})
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Smartdiag-API", APIVersion)
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		var p *server.Principal
		if rt.Auth {
			var err error
			if p, err = s.authenticate(r); err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="smartdiag"`)
				writeError(w, http.StatusUnauthorized, "unauthenticated", "请先登录（Authorization: Bearer 令牌）")
				return
			}
			if sw, ok := w.(*statusWriter); ok {
				sw.user = p.User.Name
			}
		}
		if err := rt.handle(s, w, r, p); err != nil {
			s.fail(w, r, err)
		}
	})
}

// authenticate reads the bearer token, or the session cookie of a browser.
func (s *Server) authenticate(r *http.Request) (*server.Principal, error) {
	tok := ""
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, rest, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return nil, server.ErrAuth
		}
		tok = strings.TrimSpace(rest)
	} else if c, err := r.Cookie(SessionCookie); err == nil {
		tok = c.Value
	}
	if tok == "" {
		return nil, server.ErrAuth
	}
	return s.Svc.Authenticate(r.Context(), tok)
}

// apiError is every error body: a code for programs and a message for people (Chinese).
type apiError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, apiError{Error: code, Message: msg})
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var inv *server.InvalidError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &inv):
		writeError(w, http.StatusBadRequest, "invalid", inv.Msg)
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("请求太大（上限 %d MB）", tooBig.Limit>>20))
	case errors.Is(err, server.ErrAuth):
		writeError(w, http.StatusUnauthorized, "unauthenticated", "用户名、密码或签名不对")
	case errors.Is(err, server.ErrForbidden):
		writeError(w, http.StatusForbidden, "forbidden", "没有权限")
	case errors.Is(err, server.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_found", "找不到，或没有权限查看")
	case errors.Is(err, server.ErrExists):
		writeError(w, http.StatusConflict, "exists", "已存在")
	case errors.Is(err, errRateLimited):
		w.Header().Set("Retry-After", "60")
		writeError(w, http.StatusTooManyRequests, "rate_limited", "尝试次数太多，请一分钟后再试")
	case errors.Is(err, context.Canceled):
		return
	default:
		s.Log.Error("internal error", slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		writeError(w, http.StatusInternalServerError, "internal", "服务器内部错误，请联系管理员")
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return server.Invalidf("请求正文不是有效的 JSON：%v", err)
	}
	return nil
}

// readFile reads a raw upload body; its file name comes from ?name= (or X-File-Name).
func readFile(w http.ResponseWriter, r *http.Request, limit int64) (string, []byte, error) {
	name := r.URL.Query().Get("name")
	if name == "" {
		name = r.Header.Get("X-File-Name")
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return "", nil, err
	}
	if len(data) == 0 {
		return "", nil, server.Invalidf("请求正文为空：请上传文件内容")
	}
	return name, data, nil
}

// ---- login rate limit ----

var errRateLimited = errors.New("rate limited")

// limiter allows n attempts per window per key (a client address, or a user name).
type limiter struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	hits   map[string][]time.Time
}

func newLimiter(n int, window time.Duration) *limiter {
	return &limiter{n: n, window: window, hits: map[string][]time.Time{}}
}

func (l *limiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if len(l.hits) > 100000 {
		l.hits = map[string][]time.Time{} // bounded memory under a flood; limits restart
	}
	h := l.hits[key]
	i := 0
	for i < len(h) && now.Sub(h[i]) > l.window {
		i++
	}
	h = h[i:]
	if len(h) >= l.n {
		l.hits[key] = h
		return false
	}
	l.hits[key] = append(h, now)
	return true
}

func (s *Server) limit(r *http.Request, user string) error {
	if !s.byIP.allow(clientIP(r)) || !s.byUser.allow(user) {
		return errRateLimited
	}
	return nil
}

func pathID(r *http.Request) string { return r.PathValue("id") }

func queryInt(r *http.Request, key string) (int64, error) {
	v := r.URL.Query().Get(key)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, server.Invalidf("参数 %s 应为整数", key)
	}
	return n, nil
}
