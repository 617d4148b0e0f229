package questionnaires

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

func bundledByID(t *testing.T) map[string]*Questionnaire {
	t.Helper()
	all, err := Bundled()
	if err != nil {
		t.Fatalf("bundled questionnaires do not validate:\n%v", err)
	}
	m := map[string]*Questionnaire{}
	for _, q := range all {
		m[q.ID] = q
	}
	for _, id := range []string{"ai-2026", "cmmm-full", "zgsz-quick", "sme-2024"} {
		if m[id] == nil {
			t.Fatalf("questionnaire %s is not bundled", id)
		}
	}
	return m
}

// perLevel counts, for one production type, the items each sub-domain has at each level.
func perLevel(q *Questionnaire, pt string) map[string][6]int {
	out := map[string][6]int{}
	for _, sd := range q.SubDomains() {
		var n [6]int
		for _, it := range sd.Items {
			if it.AppliesToType(pt) {
				n[it.Level]++
			}
		}
		out[sd.ID] = n
	}
	return out
}

func TestCMMMFull(t *testing.T) {
	q := bundledByID(t)["cmmm-full"]
	if q.SectionCount() != 20 || q.LevelCount() != 5 || q.ScoredItemCount() < 200 || len(q.Elements) != 4 {
		t.Errorf("sections %d levels %d items %d elements %d", q.SectionCount(), q.LevelCount(), q.ScoredItemCount(), len(q.Elements))
	}
	domains := 0
	for _, e := range q.Elements {
		domains += len(e.Domains)
	}
	if domains != 12 {
		t.Errorf("%d domains, want 12", domains)
	}
	for _, pt := range []string{"discrete", "process"} {
		for sd, n := range perLevel(q, pt) {
			for l := 1; l <= 5; l++ {
				if n[l] < 2 {
					t.Errorf("%s, %s: %d requirements at level %d, want at least 2", pt, sd, n[l], l)
				}
			}
		}
	}
	if len(q.KPIs) != 8 {
		t.Errorf("%d KPI items, want 8", len(q.KPIs))
	}
}

func TestQuickScan(t *testing.T) {
	q := bundledByID(t)["zgsz-quick"]
	if n := q.ScoredItemCount(); n < 30 || n > 60 {
		t.Errorf("%d items, want 30–60", n)
	}
	// An honest duration: at least two minutes per item of evidence.
	if q.DurationMinutes < 2*q.ScoredItemCount() {
		t.Errorf("duration %d minutes for %d items of evidence", q.DurationMinutes, q.ScoredItemCount())
	}
	// The estimate rests on every sub-domain: each has an 一级 item.
	for sd, n := range perLevel(q, "discrete") {
		if n[1] == 0 {
			t.Errorf("sub-domain %s has no 一级 item", sd)
		}
	}
	// 5G, 设备上云 apart from 企业上云, 等保 filing, 数据分类分级 and carbon data are asked.
	concepts := map[string]bool{}
	for _, it := range q.Items() {
		concepts[it.Concept] = true
	}
	for _, c := range []string{"fiveg-plant", "equipment-cloud", "enterprise-cloud", "dengbao-filing", "data-classification", "carbon-accounting"} {
		if !concepts[c] {
			t.Errorf("no item on %s", c)
		}
	}
	if !q.Estimate {
		t.Error("the quick scan's level must be marked as an estimate")
	}
	tracks := map[string]int{}
	for _, it := range q.Items() {
		if it.KPI {
			continue
		}
		tracks[it.Track]++
		if it.Level > 3 {
			t.Errorf("%s: level %d in the quick scan", it.ID, it.Level)
		}
	}
	for _, tr := range Tracks {
		if tracks[tr] < 10 {
			t.Errorf("track %s has %d items", tr, tracks[tr])
		}
	}
}

func TestSME2024(t *testing.T) {
	q := bundledByID(t)["sme-2024"]
	total, scenarios, mandatory := 0.0, 0, 0
	for _, s := range q.Sections {
		total += s.Max
	}
	if total != 100 {
		t.Errorf("section maxima add to %v, want 100", total)
	}
	for _, it := range q.Items() {
		if it.Type == TypeScenario {
			scenarios++
			if it.Mandatory {
				mandatory++
			}
		}
	}
	if scenarios != 16 || mandatory < 8 || mandatory > 11 {
		t.Errorf("%d scenarios (%d mandatory), want 16 with about 9–10 mandatory", scenarios, mandatory)
	}
	// Every capped section can actually be filled: its items' best answers reach its max.
	var reach func(s *Section) float64
	reach = func(s *Section) float64 {
		sum := 0.0
		for _, it := range s.Items {
			sum += it.MaxPoints()
		}
		for _, c := range s.Sections {
			sum += reach(c)
		}
		if s.Max > 0 && sum < s.Max-1e-9 {
			t.Errorf("section %s (%s): best answers give %v of %v points", s.ID, s.Name, sum, s.Max)
		}
		if s.Max > 0 {
			return math.Min(sum, s.Max)
		}
		return sum
	}
	for _, s := range q.Sections {
		reach(s)
	}
	if q.LevelCount() != 4 {
		t.Errorf("%d levels, want 4", q.LevelCount())
	}
}

func TestReferenceData(t *testing.T) {
	sc := ScenarioList()
	if len(sc) != 40 || len(Scenarios()) != 40 {
		t.Errorf("%d scenarios, want 40 unique", len(sc))
	}
	for _, s := range sc {
		if s.Name == "" || s.Stage == "" || s.Description == "" || halfWidthPunct(s.Description) != "" {
			t.Errorf("scenario %s incomplete or with half-width punctuation: %+v", s.ID, s)
		}
	}
	if len(Industries()) != 31 || IndustryName("36") != "汽车制造业" || IndustryName("12") != "" {
		t.Errorf("industries: %d", len(Industries()))
	}
	d := BundledDistrict()
	if len(d.Streets) != 10 || len(d.Categories) != 3 || len(d.Policies) == 0 {
		t.Errorf("district profile: %d streets, %d categories, %d policies", len(d.Streets), len(d.Categories), len(d.Policies))
	}
	// Every KPI's benchmark exists, in the KPI's own unit, for every version a document may pin;
	// every figure names its document, date and scope.
	units := map[string]string{}
	for _, k := range BundledBenchmarks().KPIs {
		units[k.Key] = k.Unit
		for _, v := range k.Values {
			if v.Document == "" || v.Date == "" || v.Scope == "" || v.Source == "" {
				t.Errorf("benchmark %s %d: document %q date %q scope %q source %q", k.Key, v.Year, v.Document, v.Date, v.Scope, v.Source)
			}
		}
	}
	all, _ := AllVersions()
	for _, q := range all {
		for _, it := range q.KPIs {
			unit, ok := units[it.Benchmark]
			if it.Benchmark != "" && !ok {
				t.Errorf("%s %s %s: benchmark %q not in benchmarks.yaml", q.ID, q.Version, it.ID, it.Benchmark)
			} else if it.Benchmark != "" && unit != it.Unit {
				t.Errorf("%s %s %s: unit %q, its benchmark %s is in %q", q.ID, q.Version, it.ID, it.Unit, it.Benchmark, unit)
			}
		}
	}
}

// The same practice sits at the same level in every questionnaire: items (and scenario levels)
// tagged with one concept share one maturity level.
func TestSharedConceptsSitAtOneLevel(t *testing.T) {
	all, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	type where struct {
		at    string
		level int
	}
	seen := map[string][]where{}
	for _, q := range all {
		for _, it := range q.Items() {
			if it.Concept != "" {
				seen[it.Concept] = append(seen[it.Concept], where{q.ID + " " + it.ID, it.Level})
			}
			for _, l := range it.Levels {
				if l.Concept != "" {
					seen[l.Concept] = append(seen[l.Concept], where{q.ID + " " + it.ID, l.Level})
				}
			}
		}
	}
	shared := 0
	for c, ws := range seen {
		qs := map[string]bool{}
		for _, w := range ws {
			qs[strings.Fields(w.at)[0]] = true
			if w.level != ws[0].level {
				t.Errorf("concept %s: %s at level %d but %s at level %d", c, ws[0].at, ws[0].level, w.at, w.level)
			}
		}
		if len(qs) > 1 {
			shared++
		}
	}
	// spc, identifier-resolution, enterprise-cloud, key-process-cnc, carbon-accounting at least.
	if shared < 5 {
		t.Errorf("%d concepts shared between questionnaires, want at least 5: %v", shared, seen)
	}
}

// A consultant never tests live OT networks, permit systems or production transactions (DOMAIN.md
// §9): guidance asks for records, logs, screens shown by the firm's staff and test accounts.
func TestGuidanceHasNoLiveTests(t *testing.T) {
	live := regexp.MustCompile(`尝试(访问|开票|报工|入库|登录)|(^|[^不])从办公电脑.{0,10}访问|用终端测试|演示一次(换单|拣货|MRP|APS)|现场录入|当场尝试|在线提交一次|演示一张新|演示一个新|请操作工演示换产`)
	all, _ := Bundled()
	for _, q := range all {
		for _, it := range q.Items() {
			if m := live.FindString(it.Guidance); m != "" {
				t.Errorf("%s %s: guidance asks for a live test (%q): %s", q.ID, it.ID, m, it.Guidance)
			}
		}
	}
}
