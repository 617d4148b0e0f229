package http

import "net/http"

// LoginLimit applies the API's login rate limits (per client address and per user name) to the
// web console's login form.
func (s *Server) LoginLimit(r *http.Request, user string) error { return s.limit(r, user) }

// Fail writes err as the API maps it to a status (for the console's downloads).
func (s *Server) Fail(w http.ResponseWriter, r *http.Request, err error) { s.fail(w, r, err) }
