package questionnaires

import (
	"os"
	"strings"
	"testing"
)

func TestBundledProjects(t *testing.T) {
	c := BundledProjects()
	if n := len(c.Projects); n < 5 || n > 10 {
		// A firm gets at most one project per catalogue entry; the plan promises 5–10.
		t.Errorf("%d projects in the catalogue, want 5–10", n)
	}
	all, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	// Every scored item of every bundled questionnaire lands in a project through a rule of its own,
	// not through the fallback, so the mapping is deliberate.
	for _, qn := range all {
		for _, it := range qn.Items() {
			if it.KPI {
				continue
			}
			sd, sec := "", ""
			if it.SubDomain != nil {
				sd = it.SubDomain.ID
			}
			if it.Section != nil {
				sec = it.Section.ID
			}
			p := c.ProjectFor(it.ID, sd, sec, it.Level)
			if p == nil {
				t.Fatalf("%s %s: no project", qn.ID, it.ID)
			}
			if p.ID == c.Fallback && !matchesExplicitly(p, it.ID, sd, sec) {
				t.Errorf("%s %s (%s%s) falls through to the fallback project", qn.ID, it.ID, sd, sec)
			}
		}
	}
	for _, tc := range []struct {
		staff int
		rev   float64
		want  string
	}{{1532, 128000, "large"}, {1532, 30000, "medium"}, {800, 50000, "medium"}, {120, 8000, "small"}, {15, 8000, "micro"}, {50, 200, "micro"}} {
		b, ok := c.SizeBand(tc.staff, tc.rev)
		if !ok || b.Key != tc.want {
			t.Errorf("size band of %d staff, %g 万元 = %s, want %s", tc.staff, tc.rev, b.Key, tc.want)
		}
	}
	if _, ok := c.SizeBand(0, 0); ok {
		t.Error("a firm without staff or revenue got a size band")
	}
}

func matchesExplicitly(p *Project, id, sd, sec string) bool {
	for _, m := range p.Match {
		for _, x := range m.Items {
			if x == id {
				return true
			}
		}
		for _, x := range m.SubDomains {
			if x == sd {
				return true
			}
		}
		for _, x := range m.Sections {
			if x == sec {
				return true
			}
		}
	}
	return false
}

func TestParseProjectsErrors(t *testing.T) {
	good, err := os.ReadFile("reference/projects.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ old, new, want string }{
		{"format: smartdiag.projects/1", "format: smartdiag.projects/9", "format"},
		{"prerequisites: [network-security]", "prerequisites: [nope]", "前置项目 \"nope\" 不存在"},
		{"prerequisites: []\n    scenarios: [F01]", "prerequisites: [mes]\n    scenarios: [F01]", "循环"},
		{"scenarios: [F01]", "scenarios: [Z99]", "Z99"},
		{"months: [2, 6]", "months: [6, 2]", "months"},
		{"      micro: [1, 5]", "      micro: [5, 1]", "投资区间"},
		{"      micro: [1, 5]\n", "", "缺少规模档 micro"},
		{"fallback: plan-org", "fallback: nope", "fallback"},
		{"  - id: network-security", "  - id: plan-org", "重复"},
		{"    tag: 估算\n", "", "缺少 tag"},
		{"    months: [2, 6]\n", "    months: [2, 6]\n    cost: 1\n", "cost"},
	} {
		data := strings.Replace(string(good), tc.old, tc.new, 1)
		if data == string(good) {
			t.Fatalf("replacement %q not found", tc.old)
		}
		_, err := ParseProjects([]byte(data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q → %q: error %v, want %q", tc.old, tc.new, err, tc.want)
		}
	}
}

func FuzzParseProjects(f *testing.F) {
	good, _ := os.ReadFile("reference/projects.yaml")
	f.Add(good)
	f.Add([]byte("format: smartdiag.projects/1\nprojects: []\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseProjects(data)
		if err == nil {
			// A catalogue that parses must answer every lookup without panicking.
			c.SizeBand(10, 10)
			c.ProjectFor("x", "y", "z", 1)
		}
	})
}

func TestBundledKPIRules(t *testing.T) {
	r := BundledKPIRules()
	if len(r.Rules) < 5 {
		t.Errorf("%d rules", len(r.Rules))
	}
	// Every metric must be supplied by at least one bundled item or the profile, or its rules are dead.
	all, _ := Bundled()
	for _, m := range r.Metrics {
		found := m.Profile != ""
		for _, qn := range all {
			for _, it := range qn.Items() {
				if m.Matches(it) {
					found = found || it.Type == TypeNumber
				}
			}
		}
		if !found {
			t.Errorf("metric %s is read from no numeric item", m.Key)
		}
	}
}

func TestParseKPIRulesErrors(t *testing.T) {
	good, err := os.ReadFile("reference/kpi_rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ old, new, want string }{
		{"    kind: le", "    kind: lt", "kind"},
		{"b: network", "b: nothing", "nothing"},
		{"severity: error", "severity: fatal", "severity"},
		{"（{a}%）高于", "（{x}%）高于", "{x}"},
		{"profile: employees", "profile: staff", "profile"},
	} {
		data := strings.Replace(string(good), tc.old, tc.new, 1)
		_, err := ParseKPIRules([]byte(data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q → %q: error %v, want %q", tc.old, tc.new, err, tc.want)
		}
	}
}

func FuzzParseKPIRules(f *testing.F) {
	good, _ := os.ReadFile("reference/kpi_rules.yaml")
	f.Add(good)
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseKPIRules(data)
	})
}
