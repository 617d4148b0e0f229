package assessment

import (
	"slices"
	"strings"
	"testing"

	q "smartdiag/questionnaires"
)

func TestCheckKPIs(t *testing.T) {
	qn, err := q.Lookup("cmmm-full", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		kpis       map[string]any
		staff      int
		revenueWan float64
		want       []string
	}{
		{"consistent", map[string]any{"KPI-DIG": 80, "KPI-NETR": 60, "KPI-CLOUD": 30, "KPI-INV": 2.5}, 300, 50000, nil},
		{"cloud above network", map[string]any{"KPI-DIG": 80, "KPI-NETR": 40, "KPI-CLOUD": 55}, 300, 50000, []string{"cloud-le-network"}},
		{"network above digital", map[string]any{"KPI-DIG": 30, "KPI-NETR": 40, "KPI-CLOUD": 10}, 300, 50000, []string{"network-le-digital"}},
		{"investment 45.5%", map[string]any{"KPI-INV": 45.5}, 300, 50000, []string{"invest-high"}},
		{"investment exactly 20%", map[string]any{"KPI-INV": 20}, 300, 50000, nil},
		{"revenue in yuan", nil, 100, 128000000, []string{"revenue-per-staff-high"}},
		{"revenue in 亿元", nil, 1532, 12.8, []string{"revenue-per-staff-low"}},
		{"unknown staff", map[string]any{"KPI-ENE": 5}, 0, 5000, []string{"energy-high"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := docWith(t, qn, "discrete", tc.kpis)
			d.Enterprise.Employees, d.Enterprise.RevenueWan = tc.staff, tc.revenueWan
			notes := CheckKPIs(qn, d)
			var got []string
			for _, n := range notes {
				got = append(got, n.Rule)
				if n.MessageZH == "" || n.MessageEN == "" || strings.Contains(n.MessageZH, "{") || len(n.Items) == 0 {
					t.Errorf("note %+v", n)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("rules %v, want %v", got, tc.want)
			}
		})
	}
	d := docWith(t, qn, "discrete", map[string]any{"KPI-NETR": 40, "KPI-CLOUD": 55})
	n := CheckKPIs(qn, d)[0]
	if !strings.Contains(n.MessageZH, "（55%）") || !strings.Contains(n.MessageZH, "（40%）") || !slices.Equal(n.Items, []string{"KPI-CLOUD", "KPI-NETR"}) {
		t.Errorf("note %+v", n)
	}
	// The plan carries the notes.
	if p := BuildPlan(qn, d, Score(qn, d), nil); len(p.Notes) != 1 {
		t.Errorf("plan notes %v", p.Notes)
	}
}

func TestCheckKPIsSME(t *testing.T) {
	qn, err := q.Lookup("sme-2024", "1.0.0") // the released 1.0.0 items this test names (2.0.0 replaced them)
	if err != nil {
		t.Fatal(err)
	}
	d := docWith(t, qn, "discrete", map[string]any{"B-EQ-1": 20, "B-EQ-2": 35, "M-RES-1": 30})
	var got []string
	for _, n := range CheckKPIs(qn, d) {
		got = append(got, n.Rule)
	}
	if !slices.Equal(got, []string{"network-le-digital", "invest-high"}) {
		t.Errorf("rules %v", got)
	}
}
