package assessment

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	q "smartdiag/questionnaires"
)

// sme-2024 2.0.0 follows the 2024 indicator system (DOMAIN.md §3 and §9); 2.1.0 changed only
// wording after the issue 12 second-reader review. These tests pin the published structure and
// values; the reconstructed ones are pinned by the data file itself.

func sme2024(t *testing.T) *q.Questionnaire {
	t.Helper()
	qn, err := q.Lookup("sme-2024", "")
	if err != nil {
		t.Fatal(err)
	}
	if qn.Version != "2.1.0" {
		t.Fatalf("newest sme-2024 is %s, want 2.1.0", qn.Version)
	}
	return qn
}

func TestSME2024EquipmentBands(t *testing.T) {
	qn := sme2024(t)
	// (10, 20, 40, 60]% → 1.5 / 3 / 4.5 / 6; 10% or less earns nothing.
	want := []struct{ rate, points float64 }{
		{0, 0}, {10, 0}, {10.1, 1.5}, {20, 1.5}, {20.1, 3}, {40, 3}, {40.5, 4.5}, {60, 4.5}, {60.1, 6}, {100, 6},
	}
	for _, id := range []string{"B-EQ-1", "B-EQ-2"} {
		it, ok := qn.Item(id)
		if !ok {
			t.Fatalf("no item %s", id)
		}
		for _, w := range want {
			if got := pointsOf(it, value{number: w.rate}); got != w.points {
				t.Errorf("%s at %v%%: %v points, want %v", id, w.rate, got, w.points)
			}
		}
	}
}

func TestSME2024Structure(t *testing.T) {
	qn := sme2024(t)
	maxima := map[string]float64{"basis": 50, "basis-equipment": 20, "basis-network": 8, "basis-eq-digital": 6,
		"basis-eq-network": 6, "basis-data": 10, "basis-systems": 10, "basis-security": 10, "management": 30,
		"management-planning": 15, "management-resources": 15, "effect": 20, "effect-green": 7,
		"effect-quality": 7, "effect-market": 6}
	r := Score(qn, docWith(t, qn, "discrete", map[string]any{}))
	seen := map[string]bool{}
	for _, s := range r.Sections {
		if w, ok := maxima[s.ID]; ok {
			seen[s.ID] = true
			if s.Max != w {
				t.Errorf("section %s max %v, want %v", s.ID, s.Max, w)
			}
		}
	}
	if len(seen) != len(maxima) {
		t.Errorf("sections found %v, want all of %v", seen, maxima)
	}
	// Information systems by business-link coverage: 2.5 / 5 / 7.5 / 10.
	sys, _ := qn.Item("B-SYS-3")
	got := map[float64]bool{}
	for _, b := range sys.Bands {
		got[b.Points] = true
	}
	for _, p := range []float64{2.5, 5, 7.5, 10} {
		if !got[p] {
			t.Errorf("B-SYS-3 has no band worth %v", p)
		}
	}
	// Data collection over the 14 business links; security as 制度, products, risk assessment and
	// records, for network and for data.
	if it, _ := qn.Item("B-DATA-3"); len(it.Options) != 15 {
		t.Errorf("B-DATA-3 has %d options, want 14 links and 以上均未实现", len(it.Options))
	}
	for _, id := range []string{"B-SEC-4", "B-SEC-5"} {
		it, _ := qn.Item(id)
		for _, k := range []string{"policy", "products", "assessment", "ledger"} {
			if _, ok := it.Option(k); !ok {
				t.Errorf("%s has no option %s", id, k)
			}
		}
	}
	subsidy := regexp.MustCompile(`补贴|政策支持|奖补`)
	autoCollect := 0
	for _, it := range qn.Items() {
		for _, o := range it.Options {
			if subsidy.MatchString(o.Label) && o.Points > 0 {
				t.Errorf("%s: option %q earns points for receiving subsidies", it.ID, o.Label)
			}
		}
		for _, o := range it.Options {
			if strings.Contains(o.Label, "设备运行状态") || strings.Contains(o.Label, "设备与环节自动采集") {
				autoCollect++
			}
		}
	}
	// Equipment auto-collection is scored once, by the networking rate B-EQ-2: 1.0.0 scored it
	// again in B-DATA-1 (main collection method) and B-DATA-2 (设备运行状态).
	for _, id := range []string{"B-DATA-1", "B-DATA-2"} {
		if _, ok := qn.Item(id); ok {
			t.Errorf("%s scores equipment auto-collection a second time", id)
		}
	}
	if autoCollect != 0 {
		t.Errorf("%d options score equipment auto-collection besides B-EQ-2", autoCollect)
	}
	if it, _ := qn.Item("M-RES-4"); !strings.Contains(it.Text, "近三年") {
		t.Errorf("digital investment is not a three-year average: %q", it.Text)
	}
	for _, id := range []string{"E-GREEN-3", "E-QUAL-3", "E-MKT-3", "E-MKT-4"} {
		it, ok := qn.Item(id)
		if !ok || !strings.Contains(it.Text, "变化") {
			t.Errorf("成效 item %s missing or not a change", id)
		}
	}
	for _, id := range []string{"E-GREEN-3:每百元营业收入综合能源消费量", "E-QUAL-3:月均产品合格率", "E-MKT-3:人均营业收入", "E-MKT-4:每百元营业收入中成本"} {
		p := strings.SplitN(id, ":", 2)
		if it, _ := qn.Item(p[0]); it == nil || !strings.Contains(it.Text, p[1]) {
			t.Errorf("%s does not measure %s", p[0], p[1])
		}
	}
}

func TestSME2024Scenarios(t *testing.T) {
	qn := sme2024(t)
	mandatory := 0
	for _, it := range qn.Items() {
		if it.Type != q.TypeScenario {
			continue
		}
		if it.Mandatory {
			mandatory++
		}
		if l4 := it.Levels[3].Text; !strings.Contains(l4, "人工智能等前沿技术") {
			t.Errorf("%s 四级 does not name 人工智能等前沿技术: %q", it.ID, l4)
		}
	}
	if d, _ := qn.Item("S-DESIGN"); !d.Mandatory {
		t.Error("产品设计 must be 约束性")
	}
	if p, _ := qn.Item("S-PLAN"); p.Mandatory {
		t.Error("计划排程 must be 指导性")
	}
	if mandatory != 10 {
		t.Errorf("%d mandatory scenarios, want 10", mandatory)
	}
	wantMin := []float64{20, 40, 60, 80}
	for i, l := range qn.Points.Levels {
		if l.MinScore != wantMin[i] {
			t.Errorf("level %d min_score %v, want %v", l.Level, l.MinScore, wantMin[i])
		}
		if l.Scenarios == nil || !l.Scenarios.MandatoryOnly || l.Scenarios.AtLevel != l.Level {
			t.Errorf("level %d does not count 约束性 scenarios at its level: %+v", l.Level, l.Scenarios)
		}
	}
}

// The level rules use the 约束性 scenarios: a firm with 90 points whose 指导性 scenarios are at 四级
// but whose 约束性 ones are at 一级 is 一级.
func TestSME2024LevelUsesMandatoryScenarios(t *testing.T) {
	qn := sme2024(t)
	ans := bestPointsAnswers(qn)
	for _, it := range qn.Items() {
		if it.Type == q.TypeScenario {
			if it.Mandatory {
				ans[it.ID] = 1
			} else {
				ans[it.ID] = 4
			}
		}
	}
	r := Score(qn, docWith(t, qn, "discrete", ans))
	if r.Score != 100 || r.Level != 1 {
		t.Errorf("score %v level %d, want 100 and 一级", r.Score, r.Level)
	}
	for _, it := range qn.Items() {
		if it.Type == q.TypeScenario {
			ans[it.ID] = 4
		}
	}
	if r := Score(qn, docWith(t, qn, "discrete", ans)); r.Level != 4 {
		t.Errorf("everything at best: level %d, want 4", r.Level)
	}
}

func bestPointsAnswers(qn *q.Questionnaire) map[string]any {
	ans := map[string]any{}
	for _, it := range qn.Items() {
		switch it.Type {
		case q.TypeSingle:
			best := it.Options[0]
			for _, o := range it.Options {
				if o.Points > best.Points {
					best = o
				}
			}
			ans[it.ID] = best.Key
		case q.TypeMulti:
			var keys []string
			for _, o := range it.Options {
				if !o.Exclusive {
					keys = append(keys, o.Key)
				}
			}
			ans[it.ID] = keys
		case q.TypeNumber:
			ans[it.ID] = *it.Max
		}
	}
	return ans
}

// A document made with sme-2024 1.0.0 still opens and is scored with 1.0.0, while a new diagnosis
// uses the newest version.
func TestSME2024OldDocumentsScoreWithTheirVersion(t *testing.T) {
	old, err := q.Lookup("sme-2024", "1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	d := docWith(t, old, "discrete", bestPointsAnswers(old))
	data, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, qn, err := Open(data)
	if err != nil {
		t.Fatalf("a 1.0.0 document does not open: %v", err)
	}
	r := Score(qn, back)
	if r.Questionnaire.Version != "1.0.0" || r.Score != 100 {
		t.Errorf("scored with %s: %v points", r.Questionnaire.Version, r.Score)
	}
	if _, ok := qn.Item("M-RES-3"); !ok {
		t.Error("the 1.0.0 items are gone")
	}
}

// 2.1.0 rewords items after the second-reader review (docs/reviews/issue12-second-reader-2026-12-01.md)
// and must score exactly as 2.0.0: same items, bands, option points, caps, 约束性 scenarios and level
// rules. Only S-FIN lost quick_win (an ERP finance rollout is an investment), which moves no points.
func TestSME2024ReviewKeepsScoring(t *testing.T) {
	old, err := q.Lookup("sme-2024", "2.0.0")
	if err != nil {
		t.Fatal(err)
	}
	cur := sme2024(t)
	if !reflect.DeepEqual(old.Points.Levels, cur.Points.Levels) {
		t.Errorf("level rules changed: %+v → %+v", old.Points.Levels, cur.Points.Levels)
	}
	type scoring struct {
		ID, Type, BandEdges string
		Cap                 float64
		Min, Max            *float64
		Bands               []q.Band
		Mandatory           bool
		Options             []string
		Levels              int
	}
	of := func(it *q.Item) scoring {
		s := scoring{ID: it.ID, Type: it.Type, BandEdges: it.BandEdges, Cap: it.Cap, Min: it.Min, Max: it.Max,
			Bands: it.Bands, Mandatory: it.Mandatory, Levels: len(it.Levels)}
		for _, o := range it.Options {
			s.Options = append(s.Options, fmt.Sprintf("%s=%g/%v", o.Key, o.Points, o.Exclusive))
		}
		return s
	}
	oi, ci := old.Items(), cur.Items()
	if len(oi) != len(ci) {
		t.Fatalf("%d items in 2.0.0, %d now", len(oi), len(ci))
	}
	for i := range oi {
		if a, b := of(oi[i]), of(ci[i]); !reflect.DeepEqual(a, b) {
			t.Errorf("scoring of %s changed: %+v → %+v", a.ID, a, b)
		}
	}
	if fin, _ := cur.Item("S-FIN"); fin.QuickWin {
		t.Error("S-FIN is a quick win again: its action is an ERP finance-module rollout")
	}
}
