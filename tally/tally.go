package tally

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unique"

	"smartdiag/assessment"
	"smartdiag/district"
	"smartdiag/questionnaires"
	"smartdiag/roster"
	"smartdiag/seal"
	"smartdiag/usermsg"
)

// Roles of a verified document in the tally.
const (
	RoleCounted    = "counted"    // the firm's latest diagnosis: counted
	RoleEarlier    = "earlier"    // an earlier diagnosis of a counted firm: progress only
	RoleSuperseded = "superseded" // replaced by a revision (a document whose supersedes names it)
	RoleCopy       = "copy"       // the same document (id and content) as another file
	RoleConflict   = "conflict"   // not counted: an id conflict or a refused revision (see Rejected)
)

// Unknown labels for a missing street, industry or provider.
const (
	NoStreet   = "（未填街道）"
	NoIndustry = "（行业未识别）"
	NoProvider = "（未填服务商）"
)

// cst is China Standard Time: months and dates are counted in it.
var cst = district.CST

// Options control a tally.
type Options struct {
	Roster *roster.Roster // nil: no roster; coverage has diagnosed counts only
	// LoadRoster, when set (and Roster is nil), reads the roster in a goroutine while the documents
	// are verified: reading a large Excel roster is single-threaded XML parsing that would
	// otherwise run alone before them. Its error is the tally's.
	LoadRoster func() (*roster.Roster, error)
	District   *questionnaires.District   // nil: the bundled profile
	Benchmarks *questionnaires.Benchmarks // nil: the bundled reference values
	Trusted    seal.Trust                 // keys whose seals are counted; nil trusts no one
	Now        time.Time                  // the tally's date; zero: now
	Workers    int                        // 0: one per CPU
	Progress   func(done, total int)      // called after each file
}

// Result is a district tally. Its JSON form is the `smartdiag tally --json` contract.
type Result struct {
	Generated time.Time `json:"generated"`
	AsOf      string    `json:"as_of"` // the tally's date, YYYY-MM-DD (China time)
	District  string    `json:"district"`
	Office    string    `json:"office,omitempty"`
	// TrackThreshold is the index a firm must reach on a track to count as past it (0–100) and
	// ForecastWindowDays how far back the pace is measured: both from the district profile.
	TrackThreshold     float64 `json:"track_threshold"`
	ForecastWindowDays int     `json:"forecast_window_days"`
	// LevelNames names the CMMM levels 0 (未达一级) … 5, from the questionnaire; its length is the
	// number of levels in Levels.
	LevelNames []string       `json:"level_names"`
	Roster     *RosterSummary `json:"roster"`
	Diagnoses  DiagnosesInfo  `json:"diagnoses"`
	Coverage   Coverage       `json:"coverage"`
	// Levels counts the counted diagnoses by CMMM level "0" (未达一级) … "5"; diagnoses on a
	// points questionnaire have no CMMM level and are left out (LevelsOther).
	Levels          map[string]int   `json:"levels"`
	LevelsEstimated int              `json:"levels_estimated"` // of which estimates (quick scan)
	LevelsOther     int              `json:"levels_other"`
	LevelReference  []LevelReference `json:"level_reference"`
	Tracks          []TrackStat      `json:"tracks"`
	KPIs            []KPIStat        `json:"kpis"`
	Monthly         []MonthStat      `json:"monthly"`
	Forecast        *Forecast        `json:"forecast"`
	Progress        ProgressInfo     `json:"progress"`
	NotDiagnosed    []RosterFirm     `json:"not_diagnosed"`
	OffRoster       []*Diagnosis     `json:"off_roster"`

	// AI is the AI level distribution of diagnoses on an ai questionnaire; nil when there are none.
	AI *AITally `json:"ai,omitempty"`

	// Documents lists every verified document with its role (诊断明细), latest first.
	Documents []*Diagnosis `json:"-"`

	streets    []string // the profile's streets, for ordering
	categories []string // the profile's categories, for ordering
}

// RosterSummary is the roster's row accounting.
type RosterSummary struct {
	File       string              `json:"file"`
	Sheet      string              `json:"sheet,omitempty"`
	HeaderRow  int                 `json:"header_row"`
	Rows       int                 `json:"rows"`
	Valid      int                 `json:"valid"`
	Invalid    []roster.RowProblem `json:"invalid"`
	Duplicates []roster.Duplicate  `json:"duplicates"`
	Warnings   []roster.RowProblem `json:"warnings"`
}

// DiagnosesInfo accounts for every file read.
type DiagnosesInfo struct {
	Files      int             `json:"files"`
	Valid      int             `json:"valid"`   // verified documents from trusted keys
	Counted    int             `json:"counted"` // firms counted, one diagnosis each
	Earlier    int             `json:"earlier"`
	Superseded int             `json:"superseded"`
	Copies     int             `json:"copies"`
	Demo       int             `json:"demo"` // valid documents signed with a demo key: demo data
	Rejected   []Rejected      `json:"rejected"`
	ByStatus   map[string]int  `json:"rejected_by_status"`
	Duplicates []FirmDuplicate `json:"duplicates"`
}

// Rejected is a file that is not counted, with the reason.
type Rejected struct {
	File       string `json:"file"`
	Status     string `json:"status"` // tampered, unsealed, unknown_signer, unreadable, conflict, invalid
	Reason     string `json:"reason"`
	Why        error  `json:"-"` // Reason, typed where it can be (see ReasonIn)
	ID         string `json:"id,omitempty"`
	Name       string `json:"name,omitempty"`
	CreditCode string `json:"credit_code,omitempty"`
	Provider   string `json:"provider,omitempty"`
}

// FirmDuplicate is a firm with more than one diagnosis; only the latest is counted.
type FirmDuplicate struct {
	CreditCode string   `json:"credit_code"`
	Name       string   `json:"name"`
	Counted    string   `json:"counted"` // id of the counted diagnosis
	Documents  []DocRef `json:"documents"`
}

// DocRef identifies one diagnosis in a list.
type DocRef struct {
	ID       string `json:"id"`
	File     string `json:"file"`
	Finished string `json:"finished"`
	Level    int    `json:"level"`
	Provider string `json:"provider"`
}

// Cov is coverage: target firms, diagnosed firms and their ratio. Target and Rate are absent
// when there is no target (no roster, and no target in the profile).
type Cov struct {
	Target    *int     `json:"target,omitempty"`
	Diagnosed int      `json:"diagnosed"`
	Rate      *float64 `json:"rate,omitempty"`
}

// Coverage by dimension. Map keys are category, street and industry names.
type Coverage struct {
	Total      Cov                      `json:"total"`
	ByCategory map[string]Cov           `json:"by_category"`
	ByStreet   map[string]Cov           `json:"by_street"`
	ByIndustry map[string]Cov           `json:"by_industry"`
	ByProvider map[string]*ProviderStat `json:"by_provider"`
}

// ProviderStat is one service provider's work as the district sees it.
type ProviderStat struct {
	Counted   int      `json:"counted"`   // firms whose counted diagnosis is theirs
	Documents int      `json:"documents"` // verified documents of theirs
	Earlier   int      `json:"earlier"`   // of which earlier or superseded diagnoses
	Rejected  int      `json:"rejected"`  // their files not counted
	OffRoster int      `json:"off_roster"`
	MeanLevel *float64 `json:"mean_level,omitempty"`
	levelSum  float64
	levelN    int
}

// CovRow is a coverage line with its name, for tables.
type CovRow struct {
	Name string
	Cov
}

// LevelReference compares the district's level distribution with a published one.
type LevelReference struct {
	ID     string       `json:"id"`
	Name   string       `json:"name"`
	Year   int          `json:"year"`
	Scope  string       `json:"scope"`
	Source string       `json:"source"`
	Groups []LevelGroup `json:"groups"`
}

// LevelGroup is one band of a reference distribution and the district's share in it.
type LevelGroup struct {
	Label         string  `json:"label"`
	Levels        []int   `json:"levels"`
	Share         float64 `json:"share"`
	District      int     `json:"district"`
	DistrictShare float64 `json:"district_share"`
}

// TrackStat summarises one track index over the counted diagnoses.
type TrackStat struct {
	Track  string  `json:"track"`
	N      int     `json:"n"`
	Mean   float64 `json:"mean"`
	Median float64 `json:"median"`
	Past   int     `json:"past_threshold"` // firms with index ≥ Result.TrackThreshold
	Share  float64 `json:"share_past"`
}

// KPIStat summarises one key indicator over the diagnoses that recorded it.
type KPIStat struct {
	Key           string   `json:"key"`
	Name          string   `json:"name"`
	Unit          string   `json:"unit"`
	N             int      `json:"n"`
	Mean          float64  `json:"mean"`
	Median        float64  `json:"median"`
	Reference     *float64 `json:"reference,omitempty"` // latest national value
	ReferenceYear int      `json:"reference_year,omitempty"`
}

// MonthStat is one calendar month (China time).
type MonthStat struct {
	Month      string `json:"month"`      // YYYY-MM
	Covered    int    `json:"covered"`    // firms first covered that month (roster firms with a roster)
	Diagnoses  int    `json:"diagnoses"`  // verified diagnoses finished that month
	Cumulative int    `json:"cumulative"` // firms covered by the end of the month
}

// Forecast is when full coverage is reached at the current pace.
type Forecast struct {
	AsOf               string   `json:"as_of"`
	Deadline           string   `json:"deadline,omitempty"`
	Target             int      `json:"target"`
	Diagnosed          int      `json:"diagnosed"`
	Remaining          int      `json:"remaining"`
	WindowDays         int      `json:"window_days"`
	CoveredInWindow    int      `json:"covered_in_window"`
	PacePerMonth       float64  `json:"pace_per_month"` // firms per 30 days
	Date               string   `json:"date,omitempty"` // empty: not reached at the current pace
	OnTrack            *bool    `json:"on_track,omitempty"`
	RequiredPerMonth   *float64 `json:"required_per_month,omitempty"`
	DaysLeft           *int     `json:"days_left,omitempty"`
	DaysLateOrEarly    *int     `json:"days_after_deadline,omitempty"` // > 0 late, < 0 early
	CompleteOn         string   `json:"complete_on,omitempty"`         // all covered: the date of the last one
	deadline, forecast time.Time
}

// ProgressInfo compares firms' earlier and latest diagnoses.
type ProgressInfo struct {
	Firms     int           `json:"firms"`
	Improved  int           `json:"improved"`
	Unchanged int           `json:"unchanged"`
	Declined  int           `json:"declined"`
	Changes   []LevelChange `json:"changes"`
}

// LevelChange is one firm's level from its first to its latest diagnosis.
type LevelChange struct {
	CreditCode string `json:"credit_code"`
	Name       string `json:"name"`
	From       int    `json:"from"`
	To         int    `json:"to"`
	FromDate   string `json:"from_date"`
	ToDate     string `json:"to_date"`
}

// RosterFirm is a roster firm not yet diagnosed (the providers' to-do list).
type RosterFirm struct {
	roster.Entry
	Note string `json:"note,omitempty"` // e.g. a diagnosis was handed in but not counted
}

// Diagnosis is one verified document as the tally sees it.
type Diagnosis struct {
	File          string             `json:"file"`
	ID            string             `json:"id"`
	Supersedes    string             `json:"supersedes,omitempty"`
	SupersededBy  string             `json:"superseded_by,omitempty"`
	SHA256        string             `json:"sha256"`
	Role          string             `json:"role"`
	Name          string             `json:"name"`
	CreditCode    string             `json:"credit_code"`
	Street        string             `json:"street,omitempty"`
	Categories    []string           `json:"categories"`
	Industry      string             `json:"industry,omitempty"`
	Size          string             `json:"size,omitempty"` // size band key (reference data); "" when staff and revenue are unknown
	OnRoster      bool               `json:"on_roster"`
	RosterRow     int                `json:"roster_row,omitempty"`
	Provider      string             `json:"provider"`
	Assessor      string             `json:"assessor"`
	TrustedAs     string             `json:"trusted_as"`
	Fingerprint   string             `json:"fingerprint"`
	Finished      time.Time          `json:"finished"`
	SealedAt      time.Time          `json:"sealed_at"`
	Questionnaire string             `json:"questionnaire"`
	CMMM          bool               `json:"cmmm"`
	Estimate      bool               `json:"estimate,omitempty"`
	Demo          bool               `json:"demo,omitempty"` // signed with a demo key: demo data, not a real diagnosis
	Level         int                `json:"level"`
	LevelName     string             `json:"level_name"`
	Score         float64            `json:"score"`
	Tracks        map[string]float64 `json:"tracks"`
	KPIs          map[string]float64 `json:"kpis,omitempty"`
	FirstLevel    *int               `json:"first_level,omitempty"` // counted: level at the firm's first diagnosis
	AI            *DiagnosisAI       `json:"ai,omitempty"`          // diagnoses on an ai questionnaire
	order         int
}

// TallyWith verifies every document and counts, per firm, its latest sealed diagnosis with a
// valid seal from a trusted key; everything else is listed under Diagnoses.Rejected with the
// reason. The error is only for a tally that cannot be made at all.
func TallyWith(paths []string, opt Options) (*Result, error) {
	if opt.District == nil {
		opt.District = questionnaires.BundledDistrict()
	}
	if opt.Benchmarks == nil {
		opt.Benchmarks = questionnaires.BundledBenchmarks()
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	defer district.RaiseGC()()
	type loaded struct {
		r   *roster.Roster
		err error
	}
	var rosterDone chan loaded
	if opt.Roster == nil && opt.LoadRoster != nil {
		rosterDone = make(chan loaded, 1)
		go func() {
			r, err := opt.LoadRoster()
			rosterDone <- loaded{r, err}
		}()
	}
	inputs := district.CollectInputs(paths, "")
	type outcome struct {
		diag *Diagnosis
		rej  *Rejected
	}
	results := make([]outcome, len(inputs))
	district.Parallel(len(inputs), opt.Workers, opt.Progress, func(i int) {
		in := inputs[i]
		if in.Err != nil {
			results[i].rej = (&Rejected{File: in.Path, Status: seal.VerifyUnreadable}).because(in.Err)
			return
		}
		results[i].diag, results[i].rej = readDiagnosis(in, opt.Trusted, now)
		if results[i].diag != nil {
			results[i].diag.order = i
		}
	})

	var valid []*Diagnosis
	var rejected []Rejected
	files := 0
	for _, r := range results {
		switch {
		case r.rej != nil:
			rejected = append(rejected, *r.rej)
		case r.diag != nil:
			valid = append(valid, r.diag)
		default:
			continue // not a diagnosis (a PDF without one, found in a folder)
		}
		files++
	}
	if rosterDone != nil {
		l := <-rosterDone
		if l.err != nil {
			return nil, l.err
		}
		opt.Roster = l.r
	}
	return tallyOf(valid, rejected, files, opt, now), nil
}

// tallyOf counts verified diagnoses (in input order) beside the files that were not counted.
func tallyOf(valid []*Diagnosis, rejected []Rejected, files int, opt Options, now time.Time) *Result {
	t := &tally{opt: opt, now: now, res: &Result{
		Generated:          now.UTC().Truncate(time.Second),
		AsOf:               now.In(cst).Format(time.DateOnly),
		District:           opt.District.Name,
		Office:             opt.District.Office,
		TrackThreshold:     opt.District.Threshold(),
		ForecastWindowDays: opt.District.ForecastDays(),
		LevelNames:         cmmmLevelNames(),
		streets:            opt.District.Streets,
		categories:         opt.District.CategoryKeys(),
	}}
	for _, r := range rejected {
		t.reject(r)
	}
	t.res.Diagnoses.Files = files
	t.run(valid)
	return t.res
}

// readDiagnosis reads, verifies and scores one file; nil, nil for a file that is no diagnosis.
func readDiagnosis(in district.Input, trusted seal.Trust, now time.Time) (*Diagnosis, *Rejected) {
	path := in.Path
	b := district.GetBuffers()
	defer district.PutBuffers(b) // nothing returned refers to b
	x := district.ExamineScored(in, trusted, now, b)
	if x.Skip {
		return nil, nil
	}
	return diagnosisOf(path, x)
}

// diagnosisOf turns one examined document into its facts, or the reason it is not counted; path
// names it in the result. The tally of files and a server's uploads share it.
func diagnosisOf(path string, x district.Examined) (*Diagnosis, *Rejected) {
	c := x.Checked
	if !x.Valid() {
		rej := &Rejected{File: path, Status: x.Status, Reason: x.Reason, Why: x.Why, ID: c.Result.ID}
		if c.Result.Signer != nil {
			rej.Provider = c.Result.Signer.Organisation
		}
		if c.Doc != nil {
			rej.Name, rej.CreditCode = c.Doc.Enterprise.Name, c.Doc.Enterprise.CreditCode
			if c.Doc.Assessor.Organisation != "" {
				rej.Provider = c.Doc.Assessor.Organisation
			}
		}
		if c.Doc == nil && x.Data != nil && c.Result.Status != seal.VerifyUnreadable {
			// Not to be trusted, but the firm it names helps the office follow it up.
			if d, err := assessment.Decode(x.Data); err == nil {
				rej.Name, rej.CreditCode = d.Enterprise.Name, d.Enterprise.CreditCode
				rej.Provider = cmp.Or(d.Assessor.Organisation, rej.Provider)
			}
		}
		return nil, rej
	}
	d, q := c.Doc, c.Q
	sc := x.Score // scored once, by the completeness check
	if sc == nil {
		sc = assessment.ScoreCheckedWithoutNotes(q, d, c.Values)
	}
	// A tally keeps the facts of every document until it is counted (50,000 at city scale):
	// values that repeat across documents (streets, providers, keys, questionnaires) are shared.
	g := &Diagnosis{
		File: path, ID: d.ID, Supersedes: d.Supersedes, SHA256: c.Result.SHA256,
		Name: d.Enterprise.Name, CreditCode: d.Enterprise.CreditCode, Street: intern(d.Enterprise.Street),
		Categories: internList(d.Enterprise.Categories), Industry: intern(d.Enterprise.Industry),
		Provider: intern(d.Assessor.Organisation), Assessor: intern(d.Assessor.Name), TrustedAs: intern(c.Result.TrustedAs),
		Fingerprint: intern(c.Result.Fingerprint), SealedAt: c.Result.SealedAt,
		Questionnaire: intern(q.ID + " " + q.Version), CMMM: q.Scoring == questionnaires.ScoringCMMM,
		Estimate: q.Estimate, Demo: c.Result.Demo, Level: sc.Level, LevelName: intern(sc.LevelName), Score: sc.Score, Tracks: sc.Tracks,
	}
	g.AI = diagnosisAI(q, sc)
	if b, ok := questionnaires.BundledProjects().SizeBand(d.Enterprise.Employees, d.Enterprise.RevenueWan); ok {
		g.Size = b.Key
	}
	if g.Provider == "" {
		g.Provider = cmp.Or(c.Result.TrustedAs, NoProvider)
	}
	if d.Finished != nil {
		g.Finished = *d.Finished
	} else {
		g.Finished = c.Result.SealedAt
	}
	for _, it := range q.KPIs {
		a := d.Answer(it.ID)
		if a == nil {
			continue
		}
		v, err := strconv.ParseFloat(string(a.Value), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if g.KPIs == nil {
			g.KPIs = map[string]float64{}
		}
		g.KPIs[cmp.Or(it.Benchmark, it.ID)] = v
	}
	return g, nil
}

type tally struct {
	opt     Options
	now     time.Time
	res     *Result
	covered map[string]time.Time // firm → when first covered
}

func (t *tally) reject(r Rejected) {
	d := &t.res.Diagnoses
	d.Rejected = append(d.Rejected, r)
	if d.ByStatus == nil {
		d.ByStatus = map[string]int{}
	}
	d.ByStatus[r.Status]++
}

func (t *tally) run(valid []*Diagnosis) {
	res := t.res
	if res.Diagnoses.ByStatus == nil {
		res.Diagnoses.ByStatus = map[string]int{}
	}
	// Identical documents (a .sdiag and its report, copies) count once. The same id with other
	// content is a conflict that only the office can settle: every file of that id is listed as
	// a conflict and none is counted, whichever was sealed first (a sealed_at is the provider's
	// claim, not proof).
	slices.SortStableFunc(valid, func(a, b *Diagnosis) int {
		return cmp.Or(a.SealedAt.Compare(b.SealedAt), cmp.Compare(a.order, b.order))
	})
	versions := map[string][]*Diagnosis{}
	for _, g := range valid {
		versions[g.ID] = append(versions[g.ID], g)
	}
	byID := map[string]*Diagnosis{}
	var docs []*Diagnosis
	for _, g := range valid {
		vs := versions[g.ID]
		if i := slices.IndexFunc(vs, func(o *Diagnosis) bool { return o.SHA256 != vs[0].SHA256 }); i >= 0 {
			var others []string
			for _, o := range vs {
				if o.SHA256 != g.SHA256 {
					others = append(others, o.File)
				}
			}
			g.Role = RoleConflict
			rej := Rejected{File: g.File, Status: district.StatusConflict, ID: g.ID, Name: g.Name, CreditCode: g.CreditCode, Provider: g.Provider}
			t.reject(*rej.because(kindIDConflict.New(filesOf(others))))
			continue
		}
		if first, seen := byID[g.ID]; seen && first != g {
			g.Role = RoleCopy
			res.Diagnoses.Copies++
			continue
		}
		byID[g.ID] = g
		docs = append(docs, g)
	}

	// A revision may replace only a document of the same firm signed with the same key; claims
	// across firms or keys, and cycles, are refused and the revision is not counted, so that no
	// one can remove another's diagnosis from coverage by naming it.
	bad := map[*Diagnosis]*usermsg.Error{}
	for _, g := range docs {
		if g.Supersedes == "" {
			continue
		}
		if old, ok := byID[g.Supersedes]; ok {
			if why := district.CheckRevisionWhy(g.CreditCode, g.Fingerprint, old.CreditCode, old.Fingerprint, old.File); why != nil {
				bad[g] = why
				continue
			}
		}
		// Follow the chain; coming back to g is a cycle.
		seen := map[*Diagnosis]bool{g: true}
		for cur := g; cur.Supersedes != ""; {
			next, ok := byID[cur.Supersedes]
			if !ok {
				break
			}
			if next == g {
				bad[g] = kindRevisionCycle.New()
				break
			}
			if seen[next] {
				break // a cycle further on: its members are refused on their own turn
			}
			seen[next] = true
			cur = next
		}
	}
	if len(bad) > 0 {
		kept := docs[:0]
		for _, g := range docs {
			if why, ok := bad[g]; ok {
				g.Role = RoleConflict
				rej := Rejected{File: g.File, Status: district.StatusBadRevision, ID: g.ID, Name: g.Name, CreditCode: g.CreditCode, Provider: g.Provider}
				t.reject(*rej.because(why))
				continue
			}
			kept = append(kept, g)
		}
		docs = kept
		for id, g := range byID {
			if _, ok := bad[g]; ok {
				delete(byID, id)
			}
		}
	}
	res.Diagnoses.Valid = len(docs)
	for _, g := range docs {
		if g.Demo {
			res.Diagnoses.Demo++
		}
	}

	// Revisions replace what they supersede.
	for _, g := range docs {
		if g.Supersedes == "" {
			continue
		}
		if old, ok := byID[g.Supersedes]; ok && old != g && old.Role == "" {
			old.Role, old.SupersededBy = RoleSuperseded, g.ID
			res.Diagnoses.Superseded++
		}
	}

	// The latest remaining diagnosis per firm is counted.
	byFirm := map[string][]*Diagnosis{}
	for _, g := range docs {
		if g.Role == "" {
			byFirm[g.CreditCode] = append(byFirm[g.CreditCode], g)
		}
	}
	var index map[string]*roster.Entry
	if t.opt.Roster != nil {
		index = t.opt.Roster.Index()
	}
	var counted []*Diagnosis
	for code, list := range byFirm {
		slices.SortFunc(list, func(a, b *Diagnosis) int {
			return cmp.Or(a.Finished.Compare(b.Finished), a.SealedAt.Compare(b.SealedAt), strings.Compare(a.ID, b.ID))
		})
		latest := list[len(list)-1]
		latest.Role = RoleCounted
		counted = append(counted, latest)
		if e, ok := index[code]; ok {
			latest.OnRoster, latest.RosterRow = true, e.Row
		}
		if len(list) > 1 {
			first := list[0].Level
			latest.FirstLevel = &first
			dup := FirmDuplicate{CreditCode: code, Name: latest.Name, Counted: latest.ID}
			for _, g := range list {
				if g != latest {
					g.Role = RoleEarlier
					res.Diagnoses.Earlier++
				}
				dup.Documents = append(dup.Documents, DocRef{ID: g.ID, File: g.File, Finished: g.Finished.In(cst).Format(time.DateOnly), Level: g.Level, Provider: g.Provider})
			}
			res.Diagnoses.Duplicates = append(res.Diagnoses.Duplicates, dup)
			ch := LevelChange{CreditCode: code, Name: latest.Name, From: first, To: latest.Level,
				FromDate: list[0].Finished.In(cst).Format(time.DateOnly), ToDate: latest.Finished.In(cst).Format(time.DateOnly)}
			res.Progress.Changes = append(res.Progress.Changes, ch)
			res.Progress.Firms++
			switch {
			case ch.To > ch.From:
				res.Progress.Improved++
			case ch.To < ch.From:
				res.Progress.Declined++
			default:
				res.Progress.Unchanged++
			}
		}
	}
	slices.SortFunc(counted, func(a, b *Diagnosis) int { return cmp.Or(b.Finished.Compare(a.Finished), strings.Compare(a.ID, b.ID)) })
	slices.SortFunc(res.Diagnoses.Duplicates, func(a, b FirmDuplicate) int { return strings.Compare(a.CreditCode, b.CreditCode) })
	slices.SortFunc(res.Progress.Changes, func(a, b LevelChange) int {
		return cmp.Or(cmp.Compare(b.To-b.From, a.To-a.From), strings.Compare(a.CreditCode, b.CreditCode))
	})
	res.Diagnoses.Counted = len(counted)
	slices.SortStableFunc(res.Diagnoses.Rejected, func(a, b Rejected) int { return strings.Compare(a.File, b.File) })

	for _, g := range valid {
		if e, ok := index[g.CreditCode]; ok {
			g.OnRoster, g.RosterRow = true, e.Row
		}
	}
	res.Documents = slices.Clone(valid)
	roleRank := map[string]int{RoleCounted: 0, RoleEarlier: 1, RoleSuperseded: 2, RoleCopy: 3, RoleConflict: 4}
	slices.SortStableFunc(res.Documents, func(a, b *Diagnosis) int {
		return cmp.Or(cmp.Compare(roleRank[a.Role], roleRank[b.Role]), b.Finished.Compare(a.Finished), strings.Compare(a.ID, b.ID))
	})

	t.coverage(counted, byFirm)
	t.levels(counted)
	t.ai(docs)
	t.tracks(counted)
	t.kpis(counted)
	t.monthly(docs, byFirm)
	t.forecast()
	t.lists(counted)
	t.providers(docs)
}

func intp(n int) *int { return &n }

// rate is diagnosed/target, unrounded (presentation rounds), or nil without a target.
func rate(diagnosed, target int) *float64 {
	if target <= 0 {
		return nil
	}
	r := float64(diagnosed) / float64(target)
	return &r
}

func (t *tally) coverage(counted []*Diagnosis, byFirm map[string][]*Diagnosis) {
	c := &t.res.Coverage
	c.ByCategory, c.ByStreet, c.ByIndustry = map[string]Cov{}, map[string]Cov{}, map[string]Cov{}
	add := func(m map[string]Cov, key string, target, diagnosed int) {
		v := m[key]
		if target > 0 || v.Target != nil {
			v.Target = intp(derefInt(v.Target) + target)
		}
		v.Diagnosed += diagnosed
		m[key] = v
	}
	if r := t.opt.Roster; r != nil {
		t.res.Roster = &RosterSummary{File: r.File, Sheet: r.Sheet, HeaderRow: r.HeaderRow, Rows: r.Rows, Valid: r.Valid(),
			Invalid: nonNil(r.Invalid), Duplicates: nonNil(r.Duplicates), Warnings: nonNil(r.Warnings)}
		for _, cat := range t.res.categories {
			c.ByCategory[cat] = Cov{Target: intp(0)}
		}
		diagnosed := 0
		for _, e := range r.Entries {
			d := 0
			if _, ok := byFirm[e.CreditCode]; ok {
				d = 1
			}
			diagnosed += d
			for _, cat := range e.Categories {
				add(c.ByCategory, cat, 1, d)
			}
			add(c.ByStreet, cmp.Or(e.Street, NoStreet), 1, d)
			add(c.ByIndustry, IndustryLabel(e.Industry), 1, d)
		}
		c.Total = Cov{Target: intp(r.Valid()), Diagnosed: diagnosed}
	} else {
		for _, g := range counted {
			for _, cat := range g.Categories {
				add(c.ByCategory, cat, 0, 1)
			}
			add(c.ByStreet, cmp.Or(g.Street, NoStreet), 0, 1)
			add(c.ByIndustry, IndustryLabel(g.Industry), 0, 1)
		}
		for _, pc := range t.opt.District.Categories {
			if pc.Target > 0 {
				v := c.ByCategory[pc.Key]
				v.Target = intp(pc.Target)
				c.ByCategory[pc.Key] = v
			}
		}
		c.Total = Cov{Diagnosed: len(counted)}
	}
	fill := func(m map[string]Cov) {
		for k, v := range m {
			if v.Target != nil {
				v.Rate = rate(v.Diagnosed, *v.Target)
			}
			m[k] = v
		}
	}
	fill(c.ByCategory)
	fill(c.ByStreet)
	fill(c.ByIndustry)
	if c.Total.Target != nil {
		c.Total.Rate = rate(c.Total.Diagnosed, *c.Total.Target)
	}
}

func derefInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// IndustryLabel is "34 通用设备制造业" for a division code.
func IndustryLabel(code string) string {
	if code == "" {
		return NoIndustry
	}
	if n := questionnaires.IndustryName(code); n != "" {
		return code + " " + n
	}
	return code
}

func (t *tally) providers(docs []*Diagnosis) {
	m := map[string]*ProviderStat{}
	get := func(name string) *ProviderStat {
		name = cmp.Or(name, NoProvider)
		if m[name] == nil {
			m[name] = &ProviderStat{}
		}
		return m[name]
	}
	for _, g := range docs {
		p := get(g.Provider)
		p.Documents++
		switch g.Role {
		case RoleCounted:
			p.Counted++
			if !g.OnRoster && t.opt.Roster != nil {
				p.OffRoster++
			}
			if g.CMMM {
				p.levelSum += float64(g.Level)
				p.levelN++
			}
		case RoleEarlier, RoleSuperseded:
			p.Earlier++
		}
	}
	for _, r := range t.res.Diagnoses.Rejected {
		get(r.Provider).Rejected++
	}
	for _, p := range m {
		if p.levelN > 0 {
			v := math.Round(p.levelSum/float64(p.levelN)*100) / 100
			p.MeanLevel = &v
		}
	}
	t.res.Coverage.ByProvider = m
}

func (t *tally) levels(counted []*Diagnosis) {
	res := t.res
	res.Levels = map[string]int{}
	top := len(res.LevelNames) - 1
	for l := 0; l <= top; l++ {
		res.Levels[strconv.Itoa(l)] = 0
	}
	n := 0
	for _, g := range counted {
		if !g.CMMM {
			res.LevelsOther++
			continue
		}
		n++
		res.Levels[strconv.Itoa(min(max(g.Level, 0), top))]++
		if g.Estimate {
			res.LevelsEstimated++
		}
	}
	res.LevelReference = []LevelReference{}
	for _, ref := range referenceDistributions(t.opt.Benchmarks) {
		lr := LevelReference{ID: ref.ID, Name: ref.Name, Year: ref.Year, Scope: ref.Scope, Source: ref.Source}
		for _, s := range ref.Shares {
			g := LevelGroup{Label: s.Label, Levels: s.Levels, Share: s.Share}
			for _, l := range s.Levels {
				g.District += res.Levels[strconv.Itoa(l)]
			}
			if n > 0 {
				g.DistrictShare = float64(g.District) / float64(n)
			}
			lr.Groups = append(lr.Groups, g)
		}
		res.LevelReference = append(res.LevelReference, lr)
	}
}

type distribution = questionnaires.CMMMDistribution

// referenceDistributions picks the latest national and the latest Jiangsu distribution.
func referenceDistributions(b *questionnaires.Benchmarks) []distribution {
	var national, jiangsu *distribution
	for i := range b.CMMMDistributions {
		d := &b.CMMMDistributions[i]
		switch {
		case strings.Contains(d.Scope, "全国") || strings.HasPrefix(d.ID, "national"):
			if national == nil || d.Year > national.Year {
				national = d
			}
		case strings.Contains(d.Scope, "江苏") || strings.HasPrefix(d.ID, "jiangsu"):
			if jiangsu == nil || d.Year > jiangsu.Year {
				jiangsu = d
			}
		}
	}
	var out []distribution
	for _, d := range []*distribution{national, jiangsu} {
		if d != nil {
			out = append(out, *d)
		}
	}
	return out
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func mean(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	sum := 0.0
	for _, x := range v {
		sum += x
	}
	return sum / float64(len(v))
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

func (t *tally) tracks(counted []*Diagnosis) {
	t.res.Tracks = []TrackStat{}
	for _, tr := range questionnaires.Tracks {
		var v []float64
		past := 0
		for _, g := range counted {
			if x, ok := g.Tracks[tr]; ok {
				v = append(v, x)
				if x >= t.res.TrackThreshold {
					past++
				}
			}
		}
		st := TrackStat{Track: tr, N: len(v), Mean: round1(mean(v)), Median: round1(median(v)), Past: past}
		if len(v) > 0 {
			st.Share = float64(past) / float64(len(v))
		}
		t.res.Tracks = append(t.res.Tracks, st)
	}
}

func (t *tally) kpis(counted []*Diagnosis) {
	values := map[string][]float64{}
	for _, g := range counted {
		for k, v := range g.KPIs {
			values[k] = append(values[k], v)
		}
	}
	t.res.KPIs = []KPIStat{}
	seen := map[string]bool{}
	emit := func(key, name, unit string) {
		v := values[key]
		if seen[key] || len(v) == 0 {
			return
		}
		seen[key] = true
		st := KPIStat{Key: key, Name: name, Unit: unit, N: len(v), Mean: math.Round(mean(v)*100) / 100, Median: math.Round(median(v)*100) / 100}
		if ref, year, ok := latestKPIReference(t.opt.Benchmarks, key); ok {
			st.Reference, st.ReferenceYear = &ref, year
		}
		t.res.KPIs = append(t.res.KPIs, st)
	}
	for _, k := range t.opt.Benchmarks.KPIs {
		emit(k.Key, k.Name, k.Unit)
	}
	// A number item without a national benchmark (the AI questionnaire's spending, for one) is
	// named by its questionnaire, not by its key.
	labels := map[string][2]string{}
	looked := map[string]bool{}
	for _, g := range counted {
		if looked[g.Questionnaire] {
			continue
		}
		looked[g.Questionnaire] = true
		id, version, _ := strings.Cut(g.Questionnaire, " ")
		q, err := questionnaires.Lookup(id, version)
		if err != nil {
			continue
		}
		for _, it := range q.KPIs {
			key := cmp.Or(it.Benchmark, it.ID)
			if _, ok := labels[key]; !ok {
				labels[key] = [2]string{it.Text, it.Unit}
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(values)) {
		l, ok := labels[k]
		if !ok {
			l = [2]string{k, ""}
		}
		emit(k, l[0], l[1])
	}
}

func latestKPIReference(b *questionnaires.Benchmarks, key string) (float64, int, bool) {
	for _, k := range b.KPIs {
		if k.Key != key {
			continue
		}
		best, year, ok := 0.0, 0, false
		for _, v := range k.Values {
			if !ok || v.Year > year {
				best, year, ok = v.Value, v.Year, true
			}
		}
		return best, year, ok
	}
	return 0, 0, false
}

// coveredOn is when each firm (on the roster, when there is one) was first covered: the first
// finished diagnosis that is not superseded.
func (t *tally) coveredOn(byFirm map[string][]*Diagnosis) map[string]time.Time {
	var index map[string]*roster.Entry
	if t.opt.Roster != nil {
		index = t.opt.Roster.Index()
	}
	out := map[string]time.Time{}
	for code, list := range byFirm {
		if index != nil && index[code] == nil {
			continue
		}
		first := list[0].Finished
		for _, g := range list {
			if g.Finished.Before(first) {
				first = g.Finished
			}
		}
		out[code] = first
	}
	return out
}

func monthOf(tm time.Time) string { return tm.In(cst).Format("2006-01") }

func (t *tally) monthly(docs []*Diagnosis, byFirm map[string][]*Diagnosis) {
	t.covered = t.coveredOn(byFirm)
	covered := map[string]int{}
	diagnoses := map[string]int{}
	first, last := "", monthOf(t.now)
	for _, tm := range t.covered {
		covered[monthOf(tm)]++
	}
	for _, g := range docs {
		diagnoses[monthOf(g.Finished)]++
	}
	for _, m := range append(slices.Sorted(maps.Keys(covered)), slices.Sorted(maps.Keys(diagnoses))...) {
		if first == "" || m < first {
			first = m
		}
		if m > last {
			last = m
		}
	}
	t.res.Monthly = []MonthStat{}
	if first == "" {
		return
	}
	cum := 0
	for m := first; m <= last; m = nextMonth(m) {
		cum += covered[m]
		t.res.Monthly = append(t.res.Monthly, MonthStat{Month: m, Covered: covered[m], Diagnoses: diagnoses[m], Cumulative: cum})
	}
}

func nextMonth(m string) string {
	tm, err := time.Parse("2006-01", m)
	if err != nil {
		return "9999-99"
	}
	return tm.AddDate(0, 1, 0).Format("2006-01")
}

// forecast extrapolates the pace of the last ForecastWindowDays (or since the first diagnosis, when
// that is more recent) to the day all target firms are covered.
func (t *tally) forecast() {
	tot := t.res.Coverage.Total
	if tot.Target == nil || *tot.Target == 0 {
		return
	}
	asOf := dayOf(t.now)
	f := &Forecast{AsOf: asOf.Format(time.DateOnly), Target: *tot.Target, Diagnosed: tot.Diagnosed, Remaining: *tot.Target - tot.Diagnosed}
	if dl := strings.TrimSpace(t.opt.District.CoverageDeadline); dl != "" {
		if d, err := time.ParseInLocation(time.DateOnly, dl, cst); err == nil {
			f.deadline = d
			f.Deadline = d.Format(time.DateOnly)
			left := int(math.Round(d.Sub(asOf).Hours() / 24))
			f.DaysLeft = &left
		}
	}
	var firstCovered, lastCovered time.Time
	for _, tm := range t.covered {
		d := dayOf(tm)
		if firstCovered.IsZero() || d.Before(firstCovered) {
			firstCovered = d
		}
		if d.After(lastCovered) {
			lastCovered = d
		}
	}
	// The window is the ForecastWindowDays days up to and including the tally's date, or fewer when
	// the first firm was covered within it.
	from := asOf.AddDate(0, 0, 1-t.res.ForecastWindowDays)
	if !firstCovered.IsZero() && firstCovered.After(from) {
		from = firstCovered
	}
	days := max(1, int(math.Round(asOf.Sub(from).Hours()/24))+1)
	inWindow := 0
	for _, tm := range t.covered {
		if d := dayOf(tm); !d.Before(from) && !d.After(asOf) {
			inWindow++
		}
	}
	f.WindowDays, f.CoveredInWindow = days, inWindow
	perDay := float64(inWindow) / float64(days)
	f.PacePerMonth = math.Round(perDay*30*10) / 10
	switch {
	case f.Remaining <= 0:
		f.CompleteOn = lastCovered.Format(time.DateOnly)
		f.forecast = lastCovered
		f.Date = f.CompleteOn
	case perDay > 0:
		f.forecast = asOf.AddDate(0, 0, int(math.Ceil(float64(f.Remaining)/perDay)))
		f.Date = f.forecast.Format(time.DateOnly)
	}
	if !f.deadline.IsZero() {
		on := f.Date != "" && !f.forecast.After(f.deadline)
		f.OnTrack = &on
		if f.Date != "" {
			late := int(math.Round(f.forecast.Sub(f.deadline).Hours() / 24))
			f.DaysLateOrEarly = &late
		}
		if f.Remaining > 0 && f.deadline.After(asOf) {
			req := math.Round(float64(f.Remaining)/(f.deadline.Sub(asOf).Hours()/24)*30*10) / 10
			f.RequiredPerMonth = &req
		}
	}
	t.res.Forecast = f
}

func dayOf(tm time.Time) time.Time {
	y, m, d := tm.In(cst).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, cst)
}

func (t *tally) lists(counted []*Diagnosis) {
	res := t.res
	res.NotDiagnosed, res.OffRoster = []RosterFirm{}, []*Diagnosis{}
	if t.opt.Roster == nil {
		return
	}
	countedBy := map[string]bool{}
	for _, g := range counted {
		countedBy[g.CreditCode] = true
		if !g.OnRoster {
			res.OffRoster = append(res.OffRoster, g)
		}
	}
	notes := map[string][]string{}
	for _, r := range res.Diagnoses.Rejected {
		if r.CreditCode != "" {
			notes[r.CreditCode] = append(notes[r.CreditCode], StatusLabel(r.Status))
		}
	}
	for _, e := range t.opt.Roster.Entries {
		if countedBy[e.CreditCode] {
			continue
		}
		f := RosterFirm{Entry: e}
		if n := notes[e.CreditCode]; len(n) > 0 {
			f.Note = fmt.Sprintf("已交 %d 份诊断，未计入（%s）", len(n), strings.Join(slices.Compact(slices.Sorted(slices.Values(n))), "、"))
		}
		res.NotDiagnosed = append(res.NotDiagnosed, f)
	}
}

// StatusLabel is a status in Chinese.
func StatusLabel(s string) string {
	switch s {
	case seal.VerifyValid:
		return "有效"
	case seal.VerifyTampered:
		return "被改动"
	case seal.VerifyUnsealed:
		return "未封存"
	case seal.VerifyUnknownSigner:
		return "签名者未受信任"
	case seal.VerifyUnreadable:
		return "无法读取"
	case district.StatusConflict:
		return "id 冲突"
	case district.StatusInvalid:
		return "无法读取内容"
	case district.StatusIncomplete:
		return "文档不完整"
	case district.StatusBadDate:
		return "日期不可信"
	case district.StatusBadRevision:
		return "修订关系无效"
	}
	return s
}

// RoleLabelOf is a document's role in Chinese, with demo data labelled.
func RoleLabelOf(d *Diagnosis) string {
	if d.Demo {
		return RoleLabel(d.Role) + "（" + seal.DemoLabel + "）"
	}
	return RoleLabel(d.Role)
}

// RoleLabel is a role in Chinese.
func RoleLabel(r string) string {
	switch r {
	case RoleCounted:
		return "计入"
	case RoleEarlier:
		return "较早诊断（不计入）"
	case RoleSuperseded:
		return "已被修订替代"
	case RoleCopy:
		return "重复文件"
	case RoleConflict:
		return "冲突，未计入"
	}
	return r
}

// LevelLabel names a CMMM level with the questionnaire's name for it.
func (r *Result) LevelLabel(l int) string {
	if l >= 0 && l < len(r.LevelNames) {
		return r.LevelNames[l]
	}
	return strconv.Itoa(l)
}

// CategoryRows lists coverage by category: the three programme categories first.
func (r *Result) CategoryRows() []CovRow {
	return covRows(r.Coverage.ByCategory, r.categories)
}

// StreetRows lists coverage by street in the profile's order, then others.
func (r *Result) StreetRows() []CovRow { return covRows(r.Coverage.ByStreet, r.streets) }

// IndustryRows lists coverage by industry in code order.
func (r *Result) IndustryRows() []CovRow { return covRows(r.Coverage.ByIndustry, nil) }

func covRows(m map[string]Cov, order []string) []CovRow {
	var out []CovRow
	done := map[string]bool{}
	for _, k := range order {
		if v, ok := m[k]; ok {
			out = append(out, CovRow{k, v})
			done[k] = true
		}
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if !done[k] {
			out = append(out, CovRow{k, m[k]})
		}
	}
	return out
}

// ProviderRows lists providers by counted diagnoses, most first.
func (r *Result) ProviderRows() []string {
	keys := slices.Sorted(maps.Keys(r.Coverage.ByProvider))
	slices.SortStableFunc(keys, func(a, b string) int {
		return cmp.Compare(r.Coverage.ByProvider[b].Counted, r.Coverage.ByProvider[a].Counted)
	})
	return keys
}

// RejectedSummary is the rejected files counted by status, in Chinese ("篡改 2，…").
func RejectedSummary(by map[string]int) string {
	var parts []string
	for _, s := range []string{seal.VerifyTampered, seal.VerifyUnknownSigner, seal.VerifyUnsealed, seal.VerifyUnreadable, district.StatusConflict, district.StatusInvalid} {
		if by[s] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", StatusLabel(s), by[s]))
		}
	}
	return strings.Join(parts, "，")
}

// intern returns one shared copy of a string that many documents carry.
func intern(s string) string { return unique.Make(s).Value() }

// internedLists shares the category lists of documents (a handful of distinct ones). The tally
// only reads them.
var (
	internedLists sync.Map
	internedCount atomic.Int64
)

func internList(l []string) []string {
	if len(l) == 0 {
		return l
	}
	key := strings.Join(l, "\x00")
	if v, ok := internedLists.Load(key); ok {
		return v.([]string)
	}
	if internedCount.Load() >= 4096 {
		return l // hostile variety: the table does not grow without bound
	}
	c := make([]string, len(l))
	for i, s := range l {
		c[i] = intern(s)
	}
	v, loaded := internedLists.LoadOrStore(key, c)
	if !loaded {
		internedCount.Add(1)
	}
	return v.([]string)
}
