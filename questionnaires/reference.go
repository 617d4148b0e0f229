package questionnaires

import (
	"embed"
	"fmt"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Reference data shared by every questionnaire: the MIIT typical scenarios and the GB/T 4754
// manufacturing divisions. Benchmarks and the district profile live beside them.
//
//go:embed reference/*.yaml
var referenceFS embed.FS

// Scenario is one of the MIIT 智能制造典型场景.
type Scenario struct {
	ID            string `yaml:"id"`
	Stage         string `yaml:"stage"`
	StageEN       string `yaml:"stage_en"`
	Name          string `yaml:"name"`
	NameEN        string `yaml:"name_en"`
	Description   string `yaml:"description"`
	DescriptionEN string `yaml:"description_en"`
}

// Industry is a GB/T 4754-2017 division.
type Industry struct {
	Code   string `yaml:"code"`
	Name   string `yaml:"name"`
	NameEN string `yaml:"name_en"`
}

var (
	refOnce      sync.Once
	scenarios    map[string]Scenario
	scenarioList []Scenario
	industries   []Industry
)

func loadReference() {
	var sf struct {
		Scenarios []Scenario `yaml:"scenarios"`
	}
	mustYAML("reference/scenarios.yaml", &sf)
	scenarioList = sf.Scenarios
	scenarios = make(map[string]Scenario, len(sf.Scenarios))
	for _, s := range sf.Scenarios {
		scenarios[s.ID] = s
	}
	var inf struct {
		Industries []Industry `yaml:"industries"`
	}
	mustYAML("reference/industries.yaml", &inf)
	industries = inf.Industries
}

// mustYAML decodes an embedded reference file. These files are part of the binary and covered by
// tests, so a decoding failure is a build defect, not user input.
func mustYAML(name string, v any) {
	data, err := referenceFS.ReadFile(name)
	if err == nil {
		err = yaml.Unmarshal(data, v)
	}
	if err != nil {
		panic(fmt.Sprintf("embedded %s: %v", name, err))
	}
}

// Scenarios returns the typical scenarios by id.
func Scenarios() map[string]Scenario {
	refOnce.Do(loadReference)
	return scenarios
}

// ScenarioList returns the typical scenarios in guide order.
func ScenarioList() []Scenario {
	refOnce.Do(loadReference)
	return scenarioList
}

// Industries returns the GB/T 4754-2017 manufacturing divisions (13–43).
func Industries() []Industry {
	refOnce.Do(loadReference)
	return industries
}

// IndustryName returns the name of a division code, or "" if it is not a manufacturing division.
func IndustryName(code string) string { return IndustryNameIn(code, "zh") }

// IndustryNameIn is IndustryName in lang.
func IndustryNameIn(code, lang string) string {
	for _, in := range Industries() {
		if in.Code == code {
			return In(lang, in.Name, in.NameEN)
		}
	}
	return ""
}

// District is a district profile: streets, target categories and policy pointers. Swapping the
// file adapts the app to another district.
type District struct {
	ID        string `yaml:"id"`
	Name      string `yaml:"name"`
	Office    string `yaml:"office"`
	Programme string `yaml:"programme"`
	// NameEN, OfficeEN and ProgrammeEN are the English for the English report; a profile
	// without them shows the Chinese.
	NameEN      string   `yaml:"name_en"`
	OfficeEN    string   `yaml:"office_en"`
	ProgrammeEN string   `yaml:"programme_en"`
	Streets     []string `yaml:"streets"`
	Categories  []struct {
		Key    string `yaml:"key"`
		Target int    `yaml:"target"`
		Note   string `yaml:"note"`
		// Aliases are other spellings of the category seen on rosters and forms (规上, 新投产, …),
		// compared without spaces, in half width and without a trailing 企业.
		Aliases []string `yaml:"aliases"`
	} `yaml:"categories"`
	CoverageDeadline string `yaml:"coverage_deadline"`
	// TrackThreshold is the index (0–100) a firm must reach on a track to count as past it in
	// the tally; 0 in a profile file means the bundled profile's value (see Threshold).
	TrackThreshold float64 `yaml:"track_threshold"`
	// ForecastWindowDays is how many days back the tally measures the current pace of coverage;
	// 0 means the bundled profile's value (see ForecastDays).
	ForecastWindowDays int      `yaml:"forecast_window_days"`
	Policies           []Policy `yaml:"policies"`
}

// NameIn is the district's name in lang.
func (d *District) NameIn(lang string) string { return In(lang, d.Name, d.NameEN) }

// OfficeLine is the programme office and the programme's name in lang, as one line.
func (d *District) OfficeLine(lang string) string {
	var parts []string
	for _, s := range []string{In(lang, d.Office, d.OfficeEN), In(lang, d.Programme, d.ProgrammeEN)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

// TitleIn, TextIn, DocumentIn and SourceIn are the policy's prose in lang.
func (p Policy) TitleIn(lang string) string    { return In(lang, p.Title, p.TitleEN) }
func (p Policy) TextIn(lang string) string     { return In(lang, p.Text, p.TextEN) }
func (p Policy) DocumentIn(lang string) string { return In(lang, p.Document, p.DocumentEN) }
func (p Policy) SourceIn(lang string) string   { return In(lang, p.Source, p.SourceEN) }

// Policy is a subsidy or recognition a firm may apply for, with what it depends on. The text is our
// summary, not the policy's wording; applications follow the authority's official documents.
type Policy struct {
	ID       string `yaml:"id"`
	Title    string `yaml:"title"`
	Text     string `yaml:"text"`
	Document string `yaml:"document"` // document number, e.g. 工信厅联通装函〔2025〕251号
	Issuer   string `yaml:"issuer"`
	Source   string `yaml:"source"`
	// The English of title, text, document (its number romanised) and source, for the English
	// report; a policy without them falls back to the Chinese.
	TitleEN    string `yaml:"title_en"`
	TextEN     string `yaml:"text_en"`
	DocumentEN string `yaml:"document_en"`
	SourceEN   string `yaml:"source_en"`
	Date       string `yaml:"date"` // year or date of the policy, "" when unknown
	// ValidFrom and ValidUntil bound the application period (YYYY-MM-DD, "" = open).
	ValidFrom  string        `yaml:"valid_from"`
	ValidUntil string        `yaml:"valid_until"`
	Tag        string        `yaml:"tag"`
	Requires   []Requirement `yaml:"requires"`
	// Subsidy is the money the policy pays, when it pays any: the plan's total net of subsidies
	// counts it only where the firm's eligibility is established (已满足).
	Subsidy *Subsidy `yaml:"subsidy"`
}

// Subsidy is what a policy pays toward the firm's investment: Share of it (0–1) up to CapWan
// 万元, or, with no Share, a fixed amount of at most CapWan. Policies of one Scheme are
// alternatives (batches of one programme): only the one paying most counts, and a Bonus of the
// scheme adds to it.
type Subsidy struct {
	Share  float64 `yaml:"share"`
	CapWan float64 `yaml:"cap_wan"`
	Scheme string  `yaml:"scheme"`
	Bonus  bool    `yaml:"bonus"`
}

// Amount is the most the subsidy pays on an investment of investWan 万元.
func (s *Subsidy) Amount(investWan float64) float64 {
	if s.Share > 0 {
		return min(s.Share*investWan, s.CapWan)
	}
	return min(s.CapWan, investWan)
}

// Requirement kinds a policy can depend on.
const (
	ReqCMMMLevel       = "cmmm_level"        // 智能制造能力成熟度 level (GB/T 39116)
	ReqSMELevel        = "sme_level"         // 中小企业数字化水平 level (2024 indicators)
	ReqAILevel         = "ai_level"          // AI application level
	ReqSelfTestPoints  = "self_test_points"  // 江苏数字化转型通用能力 self-test points
	ReqAIScenarioShare = "ai_scenario_share" // share of AI scenarios in the provincial self-test, %
	ReqSMESize         = "sme_size"          // the firm is small or medium (中小企业划型标准)
)

// RequirementKinds lists the known kinds.
var RequirementKinds = []string{ReqCMMMLevel, ReqSMELevel, ReqAILevel, ReqSelfTestPoints, ReqAIScenarioShare, ReqSMESize}

// Requirement is one condition of a policy: a level, points or share of at least Min, or the firm
// size rule (no Min).
type Requirement struct {
	Kind string  `yaml:"kind"`
	Min  float64 `yaml:"min"`
	// MaxEmployees and MaxRevenueWan are the sme_size thresholds: a firm below either is small or
	// medium (industry: 1000 staff, 40000万元 under 中小企业划型标准规定).
	MaxEmployees  int     `yaml:"max_employees"`
	MaxRevenueWan float64 `yaml:"max_revenue_wan"`
	Note          string  `yaml:"note"`
}

// CMMMDistribution is a published distribution of firms over maturity levels.
type CMMMDistribution struct {
	ID     string `yaml:"id"`
	Name   string `yaml:"name"`
	Year   int    `yaml:"year"`
	Scope  string `yaml:"scope"`
	Firms  int    `yaml:"firms"`
	Source string `yaml:"source"`
	Tag    string `yaml:"tag"`
	Shares []struct {
		Label  string  `yaml:"label"`
		Levels []int   `yaml:"levels"`
		Share  float64 `yaml:"share"`
	} `yaml:"shares"`
}

// Benchmarks are reference values for comparison lines in reports.
type Benchmarks struct {
	CMMMDistributions []CMMMDistribution `yaml:"cmmm_distributions"`
	KPIs              []struct {
		Key    string `yaml:"key"`
		Name   string `yaml:"name"`
		Unit   string `yaml:"unit"`
		Values []struct {
			Year     int     `yaml:"year"`
			Date     string  `yaml:"date"`     // the date the figure describes, e.g. 2025-03-31
			Scope    string  `yaml:"scope"`    // the population, e.g. 全国工业企业（不限规模）
			Document string  `yaml:"document"` // the publication the figure comes from
			Value    float64 `yaml:"value"`
			Source   string  `yaml:"source"`
			SourceEN string  `yaml:"source_en"`
			Tag      string  `yaml:"tag"`
		} `yaml:"values"`
	} `yaml:"kpis"`
}

var (
	districtOnce sync.Once
	district     *District
	benchmarks   *Benchmarks
)

func loadDistrict() {
	district, benchmarks = &District{}, &Benchmarks{}
	mustYAML("reference/jiangning.yaml", district)
	mustYAML("reference/benchmarks.yaml", benchmarks)
}

// BundledDistrict returns the bundled district profile (Jiangning).
func BundledDistrict() *District {
	districtOnce.Do(loadDistrict)
	return district
}

// BundledBenchmarks returns the bundled benchmark reference values.
func BundledBenchmarks() *Benchmarks {
	districtOnce.Do(loadDistrict)
	return benchmarks
}
