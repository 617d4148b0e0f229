package web

import (
	"fmt"
	"html/template"
	"time"

	"smartdiag/server"
)

var funcs = template.FuncMap{
	"pct": pct,
	"ratep": func(p *float64) string {
		if p == nil {
			return "—"
		}
		return pct(*p)
	},
	"intp": func(p *int) string {
		if p == nil {
			return "—"
		}
		return fmt.Sprint(*p)
	},
	"f1p": func(p *float64) string {
		if p == nil {
			return "—"
		}
		return fmt.Sprintf("%.1f", *p)
	},
	"f1":   func(f float64) string { return fmt.Sprintf("%.1f", f) },
	"date": func(t time.Time) string { return t.In(cst).Format("2006-01-02 15:04") },
	"day":  func(t time.Time) string { return t.In(cst).Format("2006-01-02") },
	"waiting": func(s string) bool {
		return s == server.StateReceived || s == server.StateResubmitted
	},
}

var cst = time.FixedZone("CST", 8*3600)

func init() {
	funcs["deref"] = func(b *bool) bool { return b != nil && *b }
}
