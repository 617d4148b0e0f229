package web

import (
	"fmt"
	"html/template"
	"slices"
	"strconv"
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
	"wan":  func(yuan int64) string { return strconv.FormatFloat(float64(yuan)/10000, 'f', -1, 64) },
	"nextStages": func(stage string) []string {
		i := slices.Index(server.Stages, stage)
		return server.Stages[i:min(i+2, len(server.Stages))]
	},
	// pick is the English text on an English page when there is one, else the Chinese.
	"pick": func(lang, zh, en string) string {
		if lang == "en" && en != "" {
			return en
		}
		return zh
	},
	// wanRange prints a [low, high] range in 万元 (or months) without trailing zeros.
	"wanRange": func(v [2]float64) string {
		lo, hi := strconv.FormatFloat(v[0], 'f', -1, 64), strconv.FormatFloat(v[1], 'f', -1, 64)
		if lo == hi {
			return lo
		}
		return lo + "–" + hi
	},
	"monthRange": func(v [2]int) string {
		if v[0] == v[1] {
			return strconv.Itoa(v[0])
		}
		return strconv.Itoa(v[0]) + "–" + strconv.Itoa(v[1])
	},
	"waiting": func(s string) bool {
		return s == server.StateReceived || s == server.StateResubmitted
	},
}

var cst = time.FixedZone("CST", 8*3600)

func init() {
	funcs["deref"] = func(b *bool) bool { return b != nil && *b }
}

func init() {
	// dict passes several values to a sub-template.
	funcs["dict"] = func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
}
