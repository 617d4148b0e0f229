package assessment

import (
	"slices"
	"sort"

	q "smartdiag/questionnaires"
)

// Tiers order the plan: 短板 first, then the next level, then consolidation of met levels, then work
// beyond the target. See docs/format.md (plan).
const (
	TierFoundation  = "foundation"  // unmet requirement at or below the firm's level in a sub-domain that has not reached it (短板)
	TierNext        = "next"        // requirement of a level between the current and the target
	TierConsolidate = "consolidate" // not fully met, in a sub-domain that already meets its level
	TierBeyond      = "beyond"      // above the target: long-term work (远期)
	TierCustom      = "custom"      // added by the consultant
)

var tierOrder = map[string]int{TierFoundation: 0, TierNext: 1, TierConsolidate: 2, TierBeyond: 3, TierCustom: 4}

// planHorizon is the highest requirement level the plan lists: the target, and at least two levels
// above the current level, so that even a low-level firm's plan reaches the long term.
func planHorizon(current, target int) int { return max(target, current+2) }

func cmmmTier(level, current, target, subDomainLevel int) string {
	switch {
	case level <= current && subDomainLevel < level:
		return TierFoundation
	case level <= current:
		return TierConsolidate
	case level <= target:
		return TierNext
	}
	return TierBeyond
}

// sortByTier ranks actions: by tier; within a tier lowest level first (a level cannot count until
// the ones below it are met), then by gain, then by item id for a stable order.
func sortByTier(out []*Action) {
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ta, tb := tierOrder[a.Tier], tierOrder[b.Tier]; ta != tb {
			return ta < tb
		}
		if a.Tier != TierConsolidate && a.Level != b.Level {
			return a.Level < b.Level
		}
		if a.Gain != b.Gain {
			return a.Gain > b.Gain
		}
		return a.ItemID < b.ItemID
	})
}

// assignProjects puts each action that has none into its catalogue project: a custom action's own
// choice, else the item's explicit entry, sub-domain or section rule, else the fallback.
func assignProjects(actions []*Action, qn *q.Questionnaire, cat *q.ProjectCatalogue) {
	for _, a := range actions {
		if a.Project != "" && cat.Project(a.Project) != nil {
			continue
		}
		sd, sec := a.GroupID, a.GroupID
		if it, ok := qn.Item(a.ItemID); ok {
			sd, sec = "", ""
			if it.SubDomain != nil {
				sd = it.SubDomain.ID
			}
			if it.Section != nil {
				sec = it.Section.ID
			}
		}
		a.Project = cat.ProjectFor(a.ItemID, sd, sec, a.Level).ID
	}
}

// longInvestment: investment work of a project the catalogue marks long from this level on.
func longInvestment(cat *q.ProjectCatalogue, a *Action) bool {
	p := cat.Project(a.Project)
	return p != nil && p.LongFromLevel > 0 && a.Level >= p.LongFromLevel
}

// ProjectPlan is one catalogue project as it applies to this firm.
type ProjectPlan struct {
	Seq    int    `json:"seq"`
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	// Phase is when the project's investment starts: the earliest phase of its actions that need
	// investment (not quick wins), or of any action when all are quick wins.
	Phase         string         `json:"phase"`
	PhaseActions  map[string]int `json:"phase_actions"` // number of actions in each phase
	Actions       []string       `json:"actions"`
	Levels        [2]int         `json:"levels"` // lowest and highest requirement level it works on
	Gain          float64        `json:"gain"`   // summed gain of its actions
	InvestmentWan [2]float64     `json:"investment_wan"`
	Months        [2]int         `json:"months"`
	Scope         string         `json:"scope"`
	ScopeEN       string         `json:"scope_en"`
	Benefits      string         `json:"benefits"`
	BenefitsEN    string         `json:"benefits_en"`
	Provider      string         `json:"provider"`
	ProviderEN    string         `json:"provider_en"`
	Prerequisites []string       `json:"prerequisites"` // those among this plan's projects
	Scenarios     []string       `json:"scenarios"`
	Source        string         `json:"source"`
	Tag           string         `json:"tag"`
}

// buildProjects groups the non-excluded actions by project, prices them for the firm's size band
// and sequences them: by start phase, and within a phase prerequisites first, then by the rank of
// the project's first action.
func buildProjects(p *Plan, d *Document, cat *q.ProjectCatalogue) {
	band, known := cat.SizeBand(d.Enterprise.Employees, d.Enterprise.RevenueWan)
	if known {
		p.SizeBand = band.Key
	}
	byID := map[string]*ProjectPlan{}
	first := map[string]int{}
	var list []*ProjectPlan
	for _, a := range p.Actions {
		if a.Excluded {
			continue
		}
		pp := byID[a.Project]
		if pp == nil {
			c := cat.Project(a.Project)
			pp = &ProjectPlan{ID: c.ID, Name: c.Name, NameEN: c.NameEN, Phase: "", Months: c.Months, PhaseActions: map[string]int{},
				Scope: c.Scope, ScopeEN: c.ScopeEN, Benefits: c.Benefits, BenefitsEN: c.BenefitsEN,
				Provider: c.Provider, ProviderEN: c.ProviderEN, Scenarios: c.Scenarios, Source: c.Source, Tag: c.Tag,
				Levels: [2]int{a.Level, a.Level}, Prerequisites: []string{}}
			pp.InvestmentWan = investment(c, band.Key, known, cat)
			byID[c.ID], first[c.ID] = pp, a.Rank
			list = append(list, pp)
		}
		id := a.ItemID
		if id == "" {
			id = a.CustomID
		}
		pp.Actions = append(pp.Actions, id)
		pp.Gain = round(pp.Gain+a.Gain, 4)
		pp.PhaseActions[a.Phase]++
		if !a.QuickWin && (pp.Phase == "" || phaseIndex(a.Phase) < phaseIndex(pp.Phase)) {
			pp.Phase = a.Phase
		}
		if a.Level > 0 {
			pp.Levels[0] = min(nonZero(pp.Levels[0], a.Level), a.Level)
			pp.Levels[1] = max(pp.Levels[1], a.Level)
		}
	}
	for _, pp := range list {
		if pp.Phase == "" { // quick wins only
			for _, ph := range Phases {
				if pp.PhaseActions[ph] > 0 {
					pp.Phase = ph
					break
				}
			}
		}
		for _, pre := range cat.Project(pp.ID).Prerequisites {
			if byID[pre] != nil {
				pp.Prerequisites = append(pp.Prerequisites, pre)
			}
		}
	}
	// Kahn's order with a priority: among the projects whose prerequisites of the same or an
	// earlier phase are placed, take the earliest phase, then the best-ranked first action.
	placed := map[string]bool{}
	ready := func(pp *ProjectPlan) bool {
		for _, pre := range pp.Prerequisites {
			if !placed[pre] && phaseIndex(byID[pre].Phase) <= phaseIndex(pp.Phase) {
				return false
			}
		}
		return true
	}
	for len(p.Projects) < len(list) {
		var best *ProjectPlan
		for _, pp := range list {
			if placed[pp.ID] || !ready(pp) {
				continue
			}
			if best == nil || phaseIndex(pp.Phase) < phaseIndex(best.Phase) ||
				pp.Phase == best.Phase && first[pp.ID] < first[best.ID] {
				best = pp
			}
		}
		if best == nil { // impossible: the catalogue is acyclic; keep going rather than loop
			for _, pp := range list {
				if !placed[pp.ID] {
					best = pp
					break
				}
			}
		}
		placed[best.ID] = true
		best.Seq = len(p.Projects) + 1
		p.Projects = append(p.Projects, best)
	}
	// A prerequisite sequenced later (it starts in a later phase) does not hold this project up:
	// only the ones before it are listed.
	for _, pp := range p.Projects {
		pp.Prerequisites = slices.DeleteFunc(pp.Prerequisites, func(pre string) bool { return byID[pre].Seq > pp.Seq })
	}
	for _, pp := range p.Projects {
		p.Investment[0] += pp.InvestmentWan[0]
		p.Investment[1] += pp.InvestmentWan[1]
	}
	if p.Projects == nil {
		p.Projects = []*ProjectPlan{}
	}
	if p.Actions == nil {
		p.Actions = []*Action{} // JSON: [] rather than null for a firm with nothing left to do
	}
}

func nonZero(a, b int) int {
	if a == 0 {
		return b
	}
	return a
}

// investment is the project's range for the band; without a band, the span over all bands.
func investment(c *q.Project, band string, known bool, cat *q.ProjectCatalogue) [2]float64 {
	if known {
		return c.InvestmentWan[band]
	}
	out := [2]float64{-1, 0}
	for _, b := range cat.SizeBands.Bands {
		r := c.InvestmentWan[b.Key]
		if out[0] < 0 || r[0] < out[0] {
			out[0] = r[0]
		}
		out[1] = max(out[1], r[1])
	}
	return out
}

// ProjectOf returns the plan's project with an id, or nil.
func (p *Plan) ProjectOf(id string) *ProjectPlan {
	i := slices.IndexFunc(p.Projects, func(pp *ProjectPlan) bool { return pp.ID == id })
	if i < 0 {
		return nil
	}
	return p.Projects[i]
}
