// Package questionnaires holds the bundled questionnaire definitions (YAML data files embedded in
// the binary), their loader and their validator. The types here are the in-memory form that scoring
// and the UI read; they carry no scoring logic of their own.
package questionnaires

// FormatV1 is the value of the top-level `format` key of every questionnaire file.
const FormatV1 = "smartdiag.questionnaire/1"

// Scoring styles.
const (
	ScoringCMMM   = "cmmm"
	ScoringPoints = "points"
)

// Item types. Items of a cmmm questionnaire are all TypeScale.
const (
	TypeScale    = "scale"
	TypeSingle   = "single"
	TypeMulti    = "multi"
	TypeNumber   = "number"
	TypeScenario = "scenario"
)

// Tracks of the 智改数转网联 programme; every item belongs to exactly one.
const (
	TrackRetrofit  = "智改"
	TrackDigital   = "数转"
	TrackNetworked = "网联"
)

// Tracks lists the three tracks in their conventional order.
var Tracks = []string{TrackRetrofit, TrackDigital, TrackNetworked}

// Questionnaire is one loaded and validated questionnaire file.
type Questionnaire struct {
	Format          string `yaml:"format"`
	ID              string `yaml:"id"`
	Version         string `yaml:"version"`
	Title           string `yaml:"title"`
	TitleEN         string `yaml:"title_en"`
	Description     string `yaml:"description"`
	DurationMinutes int    `yaml:"duration_minutes"`
	Estimate        bool   `yaml:"estimate"`
	// LevelKind names the level the questionnaire measures, as policy requirements name it:
	// cmmm_level (the default for scoring: cmmm), sme_level, ai_level.
	LevelKind string        `yaml:"level_kind"`
	Scoring   string        `yaml:"scoring"`
	CMMM      *CMMMParams   `yaml:"cmmm"`
	Points    *PointsParams `yaml:"points"`
	AI        *AIParams     `yaml:"ai"`
	Elements  []*Element    `yaml:"elements"`
	Sections  []*Section    `yaml:"sections"`
	KPIs      []*Item       `yaml:"kpis"`

	// Filled by the loader.
	File   string `yaml:"-"` // name the file was loaded from
	SHA256 string `yaml:"-"` // hex digest of the file's bytes
	items  []*Item
	byID   map[string]*Item
}

// CMMMParams are the parameters of GB/T 39117-style scoring.
type CMMMParams struct {
	Threshold       float64              `yaml:"threshold"`
	Scale           []ScaleOption        `yaml:"scale"`
	NA              *ScaleOption         `yaml:"na"`
	Levels          []Level              `yaml:"levels"`
	ProductionTypes []ProductionType     `yaml:"production_types"`
	Weights         map[string]WeightMap `yaml:"weights"`
	WeightsNote     string               `yaml:"weights_note"`
}

// WeightMap maps sub-domain id to weight for one production type.
type WeightMap map[string]float64

// ScaleOption is one answer on the satisfaction scale.
type ScaleOption struct {
	Key     string  `yaml:"key"`
	Label   string  `yaml:"label"`
	LabelEN string  `yaml:"label_en"`
	Value   float64 `yaml:"value"`
}

// Level names one maturity level.
type Level struct {
	Level   int    `yaml:"level"`
	Name    string `yaml:"name"`
	Title   string `yaml:"title"`
	TitleEN string `yaml:"title_en"`
}

// ProductionType is a key such as discrete with its Chinese name.
type ProductionType struct {
	Key  string `yaml:"key"`
	Name string `yaml:"name"`
}

// Element, Domain and SubDomain form the CMMM hierarchy.
type Element struct {
	ID      string    `yaml:"id"`
	Name    string    `yaml:"name"`
	NameEN  string    `yaml:"name_en"`
	Domains []*Domain `yaml:"domains"`
}

type Domain struct {
	ID         string       `yaml:"id"`
	Name       string       `yaml:"name"`
	NameEN     string       `yaml:"name_en"`
	SubDomains []*SubDomain `yaml:"subdomains"`
}

type SubDomain struct {
	ID     string  `yaml:"id"`
	Code   string  `yaml:"code"`
	Name   string  `yaml:"name"`
	NameEN string  `yaml:"name_en"`
	Items  []*Item `yaml:"items"`
}

// PointsParams are the parameters of points scoring.
type PointsParams struct {
	Levels         []PointsLevel `yaml:"levels"`
	ScenarioLevels []Level       `yaml:"scenario_levels"`
}

// PointsLevel is the rule for one level of a points questionnaire.
type PointsLevel struct {
	Level     int           `yaml:"level"`
	Name      string        `yaml:"name"`
	NameEN    string        `yaml:"name_en"`
	MinScore  float64       `yaml:"min_score"`
	Scenarios *ScenarioRule `yaml:"scenarios"`
}

// ScenarioRule requires at least MinCount scenario items rated AtLevel or higher.
type ScenarioRule struct {
	AtLevel       int  `yaml:"at_level"`
	MinCount      int  `yaml:"min_count"`
	MandatoryOnly bool `yaml:"mandatory_only"`
}

// Section groups point items; sections may nest.
type Section struct {
	ID       string     `yaml:"id"`
	Name     string     `yaml:"name"`
	NameEN   string     `yaml:"name_en"`
	Max      float64    `yaml:"max"`
	Sections []*Section `yaml:"sections"`
	Items    []*Item    `yaml:"items"`
}

// Item is one answerable question.
type Item struct {
	ID        string   `yaml:"id"`
	Type      string   `yaml:"type"`
	Level     int      `yaml:"level"`
	Text      string   `yaml:"text"`
	LabelEN   string   `yaml:"label_en"`
	Guidance  string   `yaml:"guidance"`
	Improve   string   `yaml:"improve"`
	Track     string   `yaml:"track"`
	Scenarios []string `yaml:"scenarios"`
	AppliesTo []string `yaml:"applies_to"`
	Required  *bool    `yaml:"required"`
	When      string   `yaml:"when"`
	Options   []Option `yaml:"options"`
	Cap       float64  `yaml:"cap"`
	Unit      string   `yaml:"unit"`
	Min       *float64 `yaml:"min"`
	Max       *float64 `yaml:"max"`
	Bands     []Band   `yaml:"bands"`
	// BandEdges is "upper" when a band holds min < v ≤ max (as in the MIIT SME indicators' (10, 20]%
	// bands); "" or "lower" for the default min ≤ v < max.
	BandEdges string `yaml:"band_edges"`
	// Concept names a practice shared between questionnaires (e.g. spc): every item or scenario
	// level carrying the same concept sits at the same maturity level everywhere.
	Concept   string          `yaml:"concept"`
	Mandatory bool            `yaml:"mandatory"`
	Levels    []ScenarioLevel `yaml:"levels"`
	Benchmark string          `yaml:"benchmark"`
	// QuickWin marks an action that needs documents, rules or configuration rather than investment.
	QuickWin bool `yaml:"quick_win"`

	// Filled by the loader.
	Line      int        `yaml:"-"` // line of the item in its file
	Index     int        `yaml:"-"` // position in Questionnaire.Items()
	KPI       bool       `yaml:"-"` // listed under kpis: recorded, never scored
	SubDomain *SubDomain `yaml:"-"` // cmmm items
	Domain    *Domain    `yaml:"-"`
	Element   *Element   `yaml:"-"`
	Section   *Section   `yaml:"-"` // innermost section of a points item
	Cond      *Expr      `yaml:"-"` // parsed When
	// English from the translation overlays (questionnaires/i18n); read through TextIn and friends.
	TextEN     string `yaml:"-"`
	GuidanceEN string `yaml:"-"`
	ImproveEN  string `yaml:"-"`
	UnitEN     string `yaml:"-"`
	UnitOneEN  string `yaml:"-"` // UnitEN after exactly 1, when it differs
}

// Option is a choice of a single or multi item.
type Option struct {
	Key     string  `yaml:"key"`
	Label   string  `yaml:"label"`
	LabelEN string  `yaml:"label_en"`
	Points  float64 `yaml:"points"`
	// Exclusive marks an option of a multi item that cannot be chosen with others, such as
	// 以上均未应用.
	Exclusive bool `yaml:"exclusive"`

	inlineEN bool // label_en was written in the questionnaire file, not attached from an overlay
}

// Band scores a numeric answer v with Min <= v < Max (or Min < v <= Max, see Item.BandEdges).
type Band struct {
	Min    float64 `yaml:"min"`
	Max    float64 `yaml:"max"`
	Points float64 `yaml:"points"`
}

// ScenarioLevel is the statement that describes one level of a scenario item.
type ScenarioLevel struct {
	Level   int    `yaml:"level"`
	Text    string `yaml:"text"`
	TextEN  string `yaml:"-"`       // from the translation overlay
	Concept string `yaml:"concept"` // see Item.Concept

	inlineEN bool // English given by the questionnaire (ai stage statements), not by an overlay
}

// InBand reports whether v falls in band b under the item's band edges.
func (it *Item) InBand(b Band, v float64) bool {
	if it.BandEdges == "upper" {
		return v > b.Min && v <= b.Max
	}
	return v >= b.Min && v < b.Max
}

// IsRequired reports whether the item must be answered before a diagnosis can be finished.
func (it *Item) IsRequired() bool { return it.Required == nil || *it.Required }

// AppliesToType reports whether the item applies to a production type. A 混合型 (mixed) firm, or
// one whose type is not set, runs both kinds of production and sees every item; the consultant
// answers 不适用 where a part does not fit.
func (it *Item) AppliesToType(pt string) bool {
	if len(it.AppliesTo) == 0 || pt == "" || pt == "mixed" {
		return true
	}
	for _, t := range it.AppliesTo {
		if t == pt {
			return true
		}
	}
	return false
}

// Option returns the option with the given key.
func (it *Item) Option(key string) (Option, bool) {
	for _, o := range it.Options {
		if o.Key == key {
			return o, true
		}
	}
	return Option{}, false
}

// MaxPoints is the most a points item can earn.
func (it *Item) MaxPoints() float64 {
	best := 0.0
	switch it.Type {
	case TypeSingle:
		for _, o := range it.Options {
			best = max(best, o.Points)
		}
	case TypeMulti:
		for _, o := range it.Options {
			if o.Points > 0 {
				best += o.Points
			}
		}
		if it.Cap > 0 {
			best = min(best, it.Cap)
		}
	case TypeNumber:
		for _, b := range it.Bands {
			best = max(best, b.Points)
		}
	}
	return best
}

// Items returns every answerable item in file order, KPI items last.
func (q *Questionnaire) Items() []*Item { return q.items }

// Item looks an item up by id.
func (q *Questionnaire) Item(id string) (*Item, bool) {
	it, ok := q.byID[id]
	return it, ok
}

// SubDomains returns the sub-domains of a cmmm questionnaire in order.
func (q *Questionnaire) SubDomains() []*SubDomain {
	var out []*SubDomain
	for _, e := range q.Elements {
		for _, d := range e.Domains {
			out = append(out, d.SubDomains...)
		}
	}
	return out
}

// LeafSections returns the sections that have no nested sections (points questionnaires).
func (q *Questionnaire) LeafSections() []*Section {
	var out []*Section
	var walk func([]*Section)
	walk = func(ss []*Section) {
		for _, s := range ss {
			if len(s.Sections) == 0 {
				out = append(out, s)
			}
			walk(s.Sections)
		}
	}
	walk(q.Sections)
	return out
}

// SectionCount is the number of lowest-level groups: sub-domains (cmmm) or leaf sections (points).
func (q *Questionnaire) SectionCount() int {
	if q.Scoring == ScoringCMMM {
		return len(q.SubDomains())
	}
	return len(q.LeafSections())
}

// LevelCount is the number of levels the questionnaire can award.
func (q *Questionnaire) LevelCount() int {
	if q.Scoring == ScoringCMMM && q.CMMM != nil {
		return len(q.CMMM.Levels)
	}
	if q.AI != nil {
		return len(q.AI.Levels)
	}
	if q.Points != nil {
		return len(q.Points.Levels)
	}
	return 0
}

// LevelName returns the display name of a level ("未达一级" for 0).
func (q *Questionnaire) LevelName(level int) string {
	if level <= 0 {
		return "未达一级"
	}
	if q.CMMM != nil {
		for _, l := range q.CMMM.Levels {
			if l.Level == level {
				if l.Title != "" {
					return l.Name + "（" + l.Title + "）"
				}
				return l.Name
			}
		}
	}
	if q.AI != nil && level <= len(q.AI.Levels) {
		if l := q.AI.Levels[level-1]; l.Title != "" {
			return l.Name + "（" + l.Title + "）"
		}
		return q.AI.Levels[level-1].Name
	}
	if q.Points != nil {
		for _, l := range q.Points.Levels {
			if l.Level == level {
				return l.Name
			}
		}
	}
	return ""
}

// LevelShortName returns a level's short name such as 二级 ("未达一级" for 0).
func (q *Questionnaire) LevelShortName(level int) string {
	if level <= 0 {
		return "未达一级"
	}
	if q.CMMM != nil && level <= len(q.CMMM.Levels) {
		return q.CMMM.Levels[level-1].Name
	}
	if q.AI != nil && level <= len(q.AI.Levels) {
		return q.AI.Levels[level-1].Name
	}
	if q.Points != nil && level <= len(q.Points.Levels) {
		return q.Points.Levels[level-1].Name
	}
	return ""
}

// ScoredItemCount counts answerable items that are not KPIs.
func (q *Questionnaire) ScoredItemCount() int {
	n := 0
	for _, it := range q.items {
		if !it.KPI {
			n++
		}
	}
	return n
}

// MeasuredLevel is the level kind the questionnaire's result is (see LevelKind), or "" when it
// measures none a policy names.
func (q *Questionnaire) MeasuredLevel() string {
	if q.LevelKind != "" {
		return q.LevelKind
	}
	switch q.Scoring {
	case ScoringCMMM:
		return ReqCMMMLevel
	case ScoringAI:
		return ReqAILevel
	}
	return ""
}
