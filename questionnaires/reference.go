package questionnaires

import (
	"embed"
	"fmt"
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
	ID         string   `yaml:"id"`
	Name       string   `yaml:"name"`
	Office     string   `yaml:"office"`
	Programme  string   `yaml:"programme"`
	Streets    []string `yaml:"streets"`
	Categories []struct {
		Key    string `yaml:"key"`
		Target int    `yaml:"target"`
		Note   string `yaml:"note"`
	} `yaml:"categories"`
	CoverageDeadline string `yaml:"coverage_deadline"`
	Policies         []struct {
		ID           string `yaml:"id"`
		Title        string `yaml:"title"`
		MinCMMMLevel int    `yaml:"min_cmmm_level"`
		Text         string `yaml:"text"`
		Source       string `yaml:"source"`
		Date         string `yaml:"date"`
		Tag          string `yaml:"tag"`
	} `yaml:"policies"`
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
			Scope    string  `yaml:"scope"`
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
