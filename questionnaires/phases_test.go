package questionnaires

import (
	"os"
	"strings"
	"testing"
)

func TestBundledPlanPhases(t *testing.T) {
	p := BundledPlanPhases()
	if got := strings.Join(p.Keys(), ","); got != "near,mid,far" {
		t.Fatalf("keys %s: the plan JSON's phase values must not change", got)
	}
	for lang, want := range map[string]string{"zh": "中期（6–18 个月）", "en": "Mid term (6–18 months)"} {
		if got := p.Phase("mid").Label(lang); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if p.Phase("later") != nil {
		t.Error("unknown phase found")
	}
}

func TestParsePlanPhasesErrors(t *testing.T) {
	good, err := os.ReadFile("reference/phases.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct{ from, to, want string }{
		"format":  {"smartdiag.phases/1", "smartdiag.phases/9", "format"},
		"gap":     {"from_month: 18", "from_month: 20", "上一阶段"},
		"order":   {"to_month: 36", "to_month: 12", "无效"},
		"dup":     {"key: far", "key: mid", "重复"},
		"no en":   {"name_en: Long term", "name_en: ''", "name_en"},
		"unknown": {"tag: 估算", "tag: 估算\nextra: 1", "extra"},
		"source":  {"tag: 估算", "tag: ''", "source"},
	} {
		if !strings.Contains(string(good), c.from) {
			t.Fatalf("%s: %q not in phases.yaml", name, c.from)
		}
		_, err := ParsePlanPhases([]byte(strings.Replace(string(good), c.from, c.to, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}

func FuzzParsePlanPhases(f *testing.F) {
	good, _ := os.ReadFile("reference/phases.yaml")
	f.Add(good)
	f.Add([]byte("format: smartdiag.phases/1\nphases: [{key: a}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePlanPhases(data)
		if err == nil && len(p.Keys()) == 0 {
			t.Fatal("accepted a file without phases")
		}
	})
}
