package tally

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"smartdiag/roster"
)

// The district app's roster, to-do list and "which firms are behind this number" views. They are
// made here, from the same roles and rules as the counts, so a list always has as many firms as
// the figure it was opened from.

// Firm statuses on the roster.
const (
	FirmCounted   = "counted"   // has a counted diagnosis
	FirmSubmitted = "submitted" // diagnoses were handed in but none is counted (see Note)
	FirmTodo      = "todo"      // nothing handed in yet
)

// FirmStatusLabel is a firm status in Chinese.
func FirmStatusLabel(s string) string {
	switch s {
	case FirmCounted:
		return "已诊断，计入"
	case FirmSubmitted:
		return "已交，未计入"
	case FirmTodo:
		return "未诊断"
	}
	return s
}

// FirmRow is one roster firm with its status in the tally.
type FirmRow struct {
	roster.Entry
	Status    string
	Level     string   // counted: the level's name ("二级（规范级）"), empty for a points questionnaire
	LevelNo   int      // counted on a CMMM questionnaire: the level 0–5; otherwise -1
	Finished  string   // counted: the date of the counted diagnosis
	Providers []string // counted: the counted diagnosis's provider; submitted: those of the files not counted
	Note      string   // submitted: why nothing is counted, in Chinese
	Statuses  []string // submitted: the verification statuses of the files not counted (StatusLabel)
}

// RosterFirms lists every roster firm in roster order with its status: counted, handed in but not
// counted, or not diagnosed. The to-do list is the rows that are not counted (ToDo).
func (r *Result) RosterFirms(ro *roster.Roster) []FirmRow {
	if ro == nil {
		return nil
	}
	counted := map[string]*Diagnosis{}
	for _, d := range r.Documents {
		if d.Role == RoleCounted {
			counted[d.CreditCode] = d
		}
	}
	rejected := map[string][]Rejected{}
	for _, x := range r.Diagnoses.Rejected {
		if x.CreditCode != "" {
			rejected[x.CreditCode] = append(rejected[x.CreditCode], x)
		}
	}
	notes := map[string]string{}
	for _, f := range r.NotDiagnosed {
		notes[f.CreditCode] = f.Note
	}
	rows := make([]FirmRow, 0, len(ro.Entries))
	for _, e := range ro.Entries {
		row := FirmRow{Entry: e, Status: FirmTodo, LevelNo: -1}
		if d := counted[e.CreditCode]; d != nil {
			row.Status = FirmCounted
			if d.CMMM {
				row.Level, row.LevelNo = d.LevelName, d.Level
			}
			row.Finished = d.Finished.In(cst).Format(time.DateOnly)
			row.Providers = []string{cmp.Or(d.Provider, NoProvider)}
		} else if xs := rejected[e.CreditCode]; len(xs) > 0 {
			row.Status = FirmSubmitted
			row.Note = notes[e.CreditCode]
			for _, x := range xs {
				row.Providers = append(row.Providers, cmp.Or(x.Provider, NoProvider))
				row.Statuses = append(row.Statuses, x.Status)
			}
			slices.Sort(row.Providers)
			row.Providers = slices.Compact(row.Providers)
			slices.Sort(row.Statuses)
			row.Statuses = slices.Compact(row.Statuses)
		}
		rows = append(rows, row)
	}
	return rows
}

// ToDo keeps the rows of firms without a counted diagnosis: the providers' to-do list.
func ToDo(rows []FirmRow) []FirmRow {
	var out []FirmRow
	for _, f := range rows {
		if f.Status != FirmCounted {
			out = append(out, f)
		}
	}
	return out
}

// FirmFilter narrows a firm list; empty fields match everything.
type FirmFilter struct {
	Search   string // part of the name, credit code, contact or phone; case-insensitive
	Street   string
	Category string
	Provider string // a provider of the firm's counted diagnosis or of its files not counted
	Status   string
}

// Match reports whether a row passes the filter.
func (f FirmFilter) Match(row FirmRow) bool {
	if f.Street != "" && row.Street != f.Street {
		return false
	}
	if f.Category != "" && !slices.Contains(row.Categories, f.Category) {
		return false
	}
	if f.Provider != "" && !slices.Contains(row.Providers, f.Provider) {
		return false
	}
	if f.Status != "" && row.Status != f.Status {
		return false
	}
	if s := strings.ToLower(strings.TrimSpace(f.Search)); s != "" {
		hay := strings.ToLower(strings.Join([]string{row.Name, row.CreditCode, row.Contact, row.Phone}, "\x00"))
		if !strings.Contains(hay, s) {
			return false
		}
	}
	return true
}

// Filter keeps the rows that match.
func (f FirmFilter) Filter(rows []FirmRow) []FirmRow {
	var out []FirmRow
	for _, r := range rows {
		if f.Match(r) {
			out = append(out, r)
		}
	}
	return out
}

// FilterChoices lists the streets, categories and providers that occur in rows, for the filter
// drop-downs: streets and categories in the profile's order, then any others sorted.
func (r *Result) FilterChoices(rows []FirmRow) (streets, categories, providers []string) {
	seenS, seenC, seenP := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, f := range rows {
		if f.Street != "" {
			seenS[f.Street] = true
		}
		for _, c := range f.Categories {
			seenC[c] = true
		}
		for _, p := range f.Providers {
			seenP[p] = true
		}
	}
	ordered := func(seen map[string]bool, order []string) []string {
		var out []string
		for _, k := range order {
			if seen[k] {
				out = append(out, k)
				delete(seen, k)
			}
		}
		var rest []string
		for k := range seen {
			rest = append(rest, k)
		}
		slices.Sort(rest)
		return append(out, rest...)
	}
	return ordered(seenS, r.streets), ordered(seenC, r.categories), ordered(seenP, nil)
}

// A Figure names a number on the dashboard; FirmsOf lists the firms or files behind it.
type Figure struct {
	Kind string // one of the Fig* constants
	Key  string // the track, provider or level the number belongs to
}

// Figure kinds.
const (
	FigTrackPast         = "track_past"         // counted firms at or above the threshold on track Key
	FigTrackAll          = "track_all"          // counted firms with an index on track Key
	FigProviderCounted   = "provider_counted"   // provider Key's counted diagnoses
	FigProviderRejected  = "provider_rejected"  // provider Key's files not counted
	FigProviderEarlier   = "provider_earlier"   // provider Key's earlier or superseded diagnoses
	FigProviderOffRoster = "provider_offroster" // provider Key's counted diagnoses of firms not on the roster
	FigLevel             = "level"              // counted CMMM diagnoses at level Key ("0"–"5")
)

// FigureFirm is one line behind a figure.
type FigureFirm struct {
	Name       string
	CreditCode string
	Provider   string
	Detail     string // the index, level or reason that puts it here, in Chinese
	File       string
	// What Detail was made from, for a reader in another language: the diagnosis for a
	// document's line, the refusal for a file not counted.
	Diagnosis *Diagnosis
	Rejected  *Rejected
}

// FirmsOf lists what a figure counts, with the detail that puts each line there; its length is
// the figure (TestFirmsOfMatchTheFigures).
func (r *Result) FirmsOf(fig Figure) []FigureFirm {
	var out []FigureFirm
	add := func(d *Diagnosis, detail string) {
		out = append(out, FigureFirm{Name: d.Name, CreditCode: d.CreditCode, Provider: cmp.Or(d.Provider, NoProvider), Detail: detail, File: d.File, Diagnosis: d})
	}
	for _, d := range r.Documents {
		provider := cmp.Or(d.Provider, NoProvider)
		switch fig.Kind {
		case FigTrackPast, FigTrackAll:
			if x, ok := d.Tracks[fig.Key]; ok && d.Role == RoleCounted && (fig.Kind == FigTrackAll || x >= r.TrackThreshold) {
				add(d, strconv.FormatFloat(x, 'f', 1, 64))
			}
		case FigProviderCounted:
			if d.Role == RoleCounted && provider == fig.Key {
				add(d, levelDetail(d))
			}
		case FigProviderEarlier:
			if (d.Role == RoleEarlier || d.Role == RoleSuperseded) && provider == fig.Key {
				add(d, RoleLabel(d.Role))
			}
		case FigProviderOffRoster:
			if d.Role == RoleCounted && provider == fig.Key && !d.OnRoster && r.Roster != nil {
				add(d, levelDetail(d))
			}
		case FigLevel:
			if d.Role == RoleCounted && d.CMMM && strconv.Itoa(min(max(d.Level, 0), len(r.LevelNames)-1)) == fig.Key {
				add(d, levelDetail(d))
			}
		}
	}
	if fig.Kind == FigProviderRejected {
		for i := range r.Diagnoses.Rejected {
			x := &r.Diagnoses.Rejected[i]
			if cmp.Or(x.Provider, NoProvider) == fig.Key {
				out = append(out, FigureFirm{Name: x.Name, CreditCode: x.CreditCode, Provider: fig.Key, Detail: StatusLabel(x.Status) + "：" + x.Reason, File: x.File, Rejected: x})
			}
		}
	}
	if fig.Kind == FigTrackPast || fig.Kind == FigTrackAll {
		// Highest index first: the office looks for the leaders and the laggards.
		slices.SortStableFunc(out, func(a, b FigureFirm) int {
			x, _ := strconv.ParseFloat(a.Detail, 64)
			y, _ := strconv.ParseFloat(b.Detail, 64)
			return cmp.Compare(y, x)
		})
	}
	return out
}

func levelDetail(d *Diagnosis) string {
	if !d.CMMM {
		return d.Questionnaire
	}
	if d.Estimate {
		return d.LevelName + "（估算）"
	}
	return d.LevelName
}
