package assessment

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	q "smartdiag/questionnaires"
)

// Phases of the improvement plan: the keys the plan JSON uses. Names, horizons in months and the
// rules that place actions are data (questionnaires/reference/phases.yaml); the constants are the
// defaults of a consultant's own action and the names tests use.
const (
	PhaseNear = "near"
	PhaseMid  = "mid"
	PhaseFar  = "far"
)

// Phases lists the phases in order, as the phases file gives them (its keys are checked against
// the constants above by TestPhasesComeFromData).
var Phases = q.BundledPlanPhases().Keys()

// PhaseName returns a phase's display name with its horizon in Chinese or English.
func PhaseName(p, lang string) string {
	if ph := q.BundledPlanPhases().Phase(p); ph != nil {
		return ph.Label(lang)
	}
	return ""
}

func phaseIndex(p string) int { return slices.Index(Phases, p) }

// PlanEdits are the consultant's changes to the generated plan, stored in the document so every
// report respects them.
type PlanEdits struct {
	Actions map[string]*ActionEdit `json:"actions,omitempty"` // by item id
	Custom  []CustomAction         `json:"custom,omitempty"`
}

// ActionEdit overrides one generated action.
type ActionEdit struct {
	Exclude bool   `json:"exclude,omitempty"`
	Phase   string `json:"phase,omitempty"`
	Comment string `json:"comment,omitempty"`
}

// CustomAction is an action the consultant added.
type CustomAction struct {
	ID        string    `json:"id"`
	Text      string    `json:"text"`
	SubDomain string    `json:"subdomain,omitempty"` // sub-domain or section id
	Track     string    `json:"track"`
	Phase     string    `json:"phase"`
	Scenarios []string  `json:"scenarios,omitempty"`
	Project   string    `json:"project,omitempty"` // project catalogue id; empty: by sub-domain
	Comment   string    `json:"comment,omitempty"`
	Added     time.Time `json:"added"`
}

// Plan is the prioritised, phased improvement plan of one diagnosis. Its JSON form is the
// `smartdiag plan --json` contract (see docs/format.md); the app and the report read the same value.
type Plan struct {
	Questionnaire string    `json:"questionnaire"`
	CurrentLevel  int       `json:"current_level"`
	TargetLevel   int       `json:"target_level"`
	Actions       []*Action `json:"actions"` // ranked; excluded actions are kept (flagged) so the UI can restore them
	// Projects group the non-excluded actions into budgetable projects, in recommended sequence.
	Projects   []*ProjectPlan `json:"projects"`
	SizeBand   string         `json:"size_band"` // key of the firm's size band; "" when staff and revenue are unknown
	Investment [2]float64     `json:"investment_wan"`
	// Notes are KPI plausibility warnings the report prints and the app shows at entry.
	Notes     []KPINote      `json:"notes"`
	Scenarios []ScenarioRec  `json:"-"`
	Policies  []PolicyResult `json:"-"`
	// The investment net of the subsidies the firm is eligible for (已满足); nil when no paying
	// policy is established, so nothing net of subsidies is claimed. Embedded so that its fields
	// (subsidy_policies, subsidy_wan, net_of_subsidy_wan) sit at the top of the plan's JSON.
	*Subsidy
}

// Action is one gap and what closes it.
type Action struct {
	Rank        int      `json:"rank"`
	ItemID      string   `json:"item"` // empty for a custom action
	CustomID    string   `json:"custom,omitempty"`
	Requirement string   `json:"requirement,omitempty"` // the item's text
	Text        string   `json:"text"`                  // the improvement action
	Group       string   `json:"subdomain_name"`        // sub-domain (cmmm) or section name (points)
	GroupID     string   `json:"subdomain"`
	Level       int      `json:"level"` // level of the requirement (cmmm) or target scenario level
	Track       string   `json:"track"` // 智改 | 数转 | 网联
	Scenarios   []string `json:"scenarios,omitempty"`
	Score       float64  `json:"score"`    // current credit, 0–1 of the item's maximum (unanswered counts 0)
	Gain        float64  `json:"gain"`     // cmmm: rise of T_level if fully met; points: points gained
	Blocking    bool     `json:"blocking"` // it sits at a level not yet met (cmmm) or below the target (points)
	Tier        string   `json:"tier"`     // foundation | next | consolidate | beyond | custom
	QuickWin    bool     `json:"quick_win,omitempty"`
	Phase       string   `json:"phase"`
	Project     string   `json:"project"`
	Overridden  bool     `json:"overridden,omitempty"` // phase set by the consultant
	Excluded    bool     `json:"excluded,omitempty"`
	Comment     string   `json:"comment,omitempty"`
	ReasonZH    string   `json:"reason"`
	ReasonEN    string   `json:"reason_en"`
	// English of Requirement, Text and Group where the questionnaire has it; read through *In.
	RequirementEN string `json:"requirement_en,omitempty"`
	TextEN        string `json:"text_en,omitempty"`
	GroupEN       string `json:"subdomain_name_en,omitempty"`
}

// RequirementIn, TextIn and GroupIn return the action's texts in lang, falling back to the
// Chinese (a custom action has only the consultant's own words).
func (a *Action) RequirementIn(lang string) string { return q.In(lang, a.Requirement, a.RequirementEN) }
func (a *Action) TextIn(lang string) string        { return q.In(lang, a.Text, a.TextEN) }
func (a *Action) GroupIn(lang string) string       { return q.In(lang, a.Group, a.GroupEN) }

// Reason returns the ranking reason in a language.
func (a *Action) Reason(lang string) string {
	if lang == "en" {
		return a.ReasonEN
	}
	return a.ReasonZH
}

// ScenarioRec is a typical scenario the plan builds toward.
type ScenarioRec struct {
	q.Scenario
	Actions int     // non-excluded actions that cite it
	Gain    float64 // their summed gain
}

// TargetLevel is the document's target, or current level + 1, capped by the highest level the
// questionnaire asks about.
func TargetLevel(qn *q.Questionnaire, d *Document, r *Result) int {
	top := 0
	for _, it := range qn.Items() {
		if !it.KPI {
			top = max(top, it.Level)
		}
	}
	if qn.Sectioned() {
		top = qn.LevelCount()
	}
	if d.TargetLevel > 0 {
		return min(max(d.TargetLevel, r.Level), max(top, r.Level))
	}
	return min(r.Level+1, max(top, r.Level))
}

// PlanOf opens a document's bytes (a .sdiag, sealed or not), scores it and builds its plan: the
// one path from stored bytes to a plan, shared by `smartdiag plan` and the district server's
// project registration, so both show the same projects. district may be nil (no policy pointers).
func PlanOf(data []byte, district *q.District) (*Document, *q.Questionnaire, *Plan, error) {
	d, qn, err := Open(data)
	if err != nil {
		return nil, nil, nil, err
	}
	return d, qn, BuildPlan(qn, d, Score(qn, d), district), nil
}

// BuildPlan derives the improvement plan from a scored document and applies the consultant's
// edits. district may be nil (no policy pointers).
func BuildPlan(qn *q.Questionnaire, d *Document, r *Result, district *q.District) *Plan {
	p := &Plan{Questionnaire: qn.ID, CurrentLevel: r.Level, TargetLevel: TargetLevel(qn, d, r)}
	env := newEnv(qn, d, nil)
	cat := q.BundledProjects()
	if qn.Scoring == q.ScoringCMMM {
		p.Actions = cmmmGaps(qn, d, r, env, p.TargetLevel, cat)
	} else if qn.AI != nil {
		p.Actions = aiGaps(qn, d, env)
		assignProjects(p.Actions, qn, cat)
	} else {
		p.Actions = pointsGaps(qn, d, env, r.Level, p.TargetLevel)
		assignProjects(p.Actions, qn, cat)
	}
	applyEdits(d, p)
	assignProjects(p.Actions, qn, cat) // custom actions
	for i, a := range p.Actions {
		a.Rank = i + 1
	}
	buildProjects(p, d, cat)
	p.Notes = CheckKPIs(qn, d)
	p.Scenarios = recommendScenarios(p.Actions)
	if district != nil {
		// Eligibility is judged on the day of the diagnosis, so a report reprinted later says
		// what held then.
		day := d.Updated
		if d.Finished != nil {
			day = *d.Finished
		}
		p.Policies = EvaluatePolicies(district.Policies, FactsFor(qn, d, r, p.TargetLevel, day))
		if len(p.Projects) > 0 {
			p.Subsidy = SubsidyFor(p.Policies, p.Investment)
		}
	}
	return p
}

func cmmmGaps(qn *q.Questionnaire, d *Document, r *Result, env *answerEnv, target int, cat *q.ProjectCatalogue) []*Action {
	weights := Weights(qn, d.Enterprise.ProductionType)
	sdLevel := map[string]int{}
	for _, s := range r.SubDomains {
		sdLevel[s.ID] = s.Level
	}
	// Items counted in each sub-domain's mean at each level, and the weight of the sub-domains
	// assessed at each level: together they give each item's exact share of T_k.
	type key struct {
		sd    *q.SubDomain
		level int
	}
	count := map[key]int{}
	levelWeight := map[int]float64{}
	for _, sd := range qn.SubDomains() {
		seen := map[int]bool{}
		for _, it := range sd.Items {
			if scoredValue(qn, d, env, it) {
				count[key{sd, it.Level}]++
				if !seen[it.Level] {
					seen[it.Level] = true
					levelWeight[it.Level] += weights[sd.ID]
				}
			}
		}
	}
	var out []*Action
	for _, sd := range qn.SubDomains() {
		for _, it := range sd.Items {
			if it.Level > planHorizon(r.Level, target) || !scoredValue(qn, d, env, it) {
				continue
			}
			score := 0.0
			if a := d.Answer(it.ID); a != nil {
				v, _ := parseValue(qn, it, a.Value)
				score = v.score
			}
			if score >= 1 {
				continue
			}
			gain := 0.0
			if lw := levelWeight[it.Level]; lw > 0 {
				gain = weights[sd.ID] / lw * (1 - score) / float64(count[key{sd, it.Level}])
			}
			a := &Action{
				ItemID: it.ID, Requirement: it.Text, Text: it.Improve, Group: sd.Name, GroupID: sd.ID,
				RequirementEN: it.TextEN, TextEN: it.ImproveEN, GroupEN: sd.NameEN,
				Level: it.Level, Track: it.Track, Scenarios: it.Scenarios, Score: score, Gain: round(gain, 4),
				Blocking: it.Level > r.Level, QuickWin: it.QuickWin,
				Tier: cmmmTier(it.Level, r.Level, target, sdLevel[sd.ID]),
			}
			levelName := qn.LevelShortName(it.Level)
			tk := r.LevelScores[it.Level-1]
			switch {
			case a.Tier == TierFoundation:
				a.ReasonZH = fmt.Sprintf("短板：企业整体已达%s，但%s尚未达到%s；补齐此项可使%s得分提高 %.3f（%s权重 %.1f%%）",
					qn.LevelShortName(r.Level), sd.Name, levelName, levelName, gain, sd.Name, 100*weights[sd.ID])
				a.ReasonEN = fmt.Sprintf("Weak spot: the firm is at level %d but %s has not reached level %d; meeting this raises the level score by %.3f (weight %.1f%%)",
					r.Level, sd.NameEN, it.Level, gain, 100*weights[sd.ID])
			case a.Blocking:
				a.ReasonZH = fmt.Sprintf("%s未达标（当前 %.2f，达标需 %.2f）；做到此项可使%s得分提高 %.3f（%s权重 %.1f%%）",
					levelName, tk, qn.CMMM.Threshold, levelName, gain, sd.Name, 100*weights[sd.ID])
				a.ReasonEN = fmt.Sprintf("Level %d not met (%.2f, needs %.2f); meeting this raises the level score by %.3f (%s weight %.1f%%)",
					it.Level, tk, qn.CMMM.Threshold, gain, sd.NameEN, 100*weights[sd.ID])
			default:
				a.ReasonZH = fmt.Sprintf("%s已达标，此项尚未完全满足；巩固后%s得分可提高 %.3f", levelName, levelName, gain)
				a.ReasonEN = fmt.Sprintf("Level %d is met but this requirement is not fully met; closing it adds %.3f", it.Level, gain)
			}
			out = append(out, a)
		}
	}
	sortByTier(out)
	assignProjects(out, qn, cat)
	assignPhases(out, r.Level, cat)
	return out
}

// scoredValue reports whether an item takes part in the means: relevant, not a KPI, not N/A.
func scoredValue(qn *q.Questionnaire, d *Document, env *answerEnv, it *q.Item) bool {
	if it.KPI || !env.isRelevant(it) {
		return false
	}
	a := d.Answer(it.ID)
	if a == nil {
		return it.IsRequired()
	}
	v, err := parseValue(qn, it, a.Value)
	return err == nil && !v.na
}

// assignPhases places each action by the CMMM phase rules of phases.yaml (by the levels between
// the firm and the requirement, 短板, quick wins and long projects). Within a sub-domain an action
// never comes before investment work of a lower level it builds on.
func assignPhases(actions []*Action, current int, cat *q.ProjectCatalogue) {
	rules := q.BundledPlanPhases().Rules.CMMM
	for _, a := range actions {
		a.Phase = rules.Phase(q.PhaseFacts{Foundation: a.Tier == TierFoundation, Gap: a.Level - current,
			QuickWin: a.QuickWin, LongInvestment: longInvestment(cat, a)})
	}
	floor := map[string]int{} // sub-domain → latest phase of its lower-level investment work
	byLevel := slices.Clone(actions)
	sort.SliceStable(byLevel, func(i, j int) bool { return byLevel[i].Level < byLevel[j].Level })
	for _, a := range byLevel {
		if f, ok := floor[a.GroupID]; ok && phaseIndex(a.Phase) < f && a.Level > current {
			a.Phase = Phases[f]
		}
		if !a.QuickWin {
			floor[a.GroupID] = max(floor[a.GroupID], phaseIndex(a.Phase))
		}
	}
}

func pointsGaps(qn *q.Questionnaire, d *Document, env *answerEnv, current, target int) []*Action {
	var out []*Action
	for _, it := range qn.Items() {
		if it.KPI || !env.isRelevant(it) {
			continue
		}
		a := d.Answer(it.ID)
		var v value
		if a != nil {
			var err error
			if v, err = parseValue(qn, it, a.Value); err != nil {
				continue
			}
		}
		group, groupEN, groupID := "", "", ""
		if it.Section != nil {
			group, groupEN, groupID = it.Section.Name, it.Section.NameEN, it.Section.ID
		}
		act := &Action{ItemID: it.ID, Requirement: it.Text, Text: it.Improve, Group: group, GroupID: groupID,
			RequirementEN: it.TextEN, TextEN: it.ImproveEN, GroupEN: groupEN,
			Track: it.Track, Scenarios: it.Scenarios, QuickWin: it.QuickWin}
		if it.Type == q.TypeScenario {
			if int(v.number) >= target {
				continue
			}
			act.Level = target
			act.Score = v.number / float64(len(qn.Points.ScenarioLevels))
			act.Gain = float64(target) - v.number
			act.Blocking = true
			act.ReasonZH = fmt.Sprintf("场景当前为%s，目标%s", levelOrNone(qn, int(v.number)), qn.LevelShortName(target))
			act.ReasonEN = fmt.Sprintf("Scenario at level %d, target %d", int(v.number), target)
			act.Tier = TierNext
			if int(v.number) < current {
				act.Tier = TierFoundation // below the level the firm holds: 短板
			}
			act.Phase = q.BundledPlanPhases().Rules.PointsScenario.Phase(q.PhaseFacts{
				Foundation: act.Tier == TierFoundation, Gap: target - int(v.number), QuickWin: it.QuickWin})
		} else {
			maxPts := it.MaxPoints()
			got := 0.0
			if a != nil {
				got = pointsOf(it, v)
			}
			if maxPts <= 0 || got >= maxPts {
				continue
			}
			act.Score, act.Gain, act.Blocking = got/maxPts, maxPts-got, true
			act.ReasonZH = fmt.Sprintf("当前 %.0f 分，满分 %.0f 分，可提高 %.0f 分", got, maxPts, maxPts-got)
			act.ReasonEN = fmt.Sprintf("%.0f of %.0f points; %.0f to gain", got, maxPts, maxPts-got)
			act.Tier = TierNext
			act.Phase = q.BundledPlanPhases().Rules.PointsItem.Phase(q.PhaseFacts{QuickWin: it.QuickWin, Score: act.Score})
		}
		act.Text, act.TextEN = pointsActionText(qn, it, v, a != nil, target)
		out = append(out, act)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ti, tj := tierOrder[out[i].Tier], tierOrder[out[j].Tier]; ti != tj {
			return ti < tj
		}
		return out[i].Gain > out[j].Gain
	})
	return out
}

func levelOrNone(qn *q.Questionnaire, l int) string {
	if l == 0 {
		return "未开展"
	}
	return qn.Points.ScenarioLevels[l-1].Name
}

// applyEdits overlays the consultant's edits: exclusions, phase moves, comments, custom actions.
func applyEdits(d *Document, p *Plan) {
	if d.Plan == nil {
		return
	}
	for _, a := range p.Actions {
		e := d.Plan.Actions[a.ItemID]
		if e == nil {
			continue
		}
		a.Excluded, a.Comment = e.Exclude, e.Comment
		if phaseIndex(e.Phase) >= 0 {
			a.Phase, a.Overridden = e.Phase, true
		}
	}
	for _, c := range d.Plan.Custom {
		phase := c.Phase
		if phaseIndex(phase) < 0 {
			phase = PhaseNear
		}
		p.Actions = append(p.Actions, &Action{
			CustomID: c.ID, Text: c.Text, GroupID: c.SubDomain, Track: c.Track, Scenarios: c.Scenarios,
			Phase: phase, Overridden: true, Comment: c.Comment, Score: 0, Tier: TierCustom, Project: c.Project,
			ReasonZH: "顾问补充的措施", ReasonEN: "Added by the consultant",
		})
	}
}

// EditAction records a consultant edit of a generated action; an empty edit removes the record.
func (d *Document) EditAction(itemID string, e ActionEdit, now time.Time) error {
	if d.Status == StatusSealed {
		return fmt.Errorf("文档已封存，不能修改改进计划")
	}
	if e.Phase != "" && phaseIndex(e.Phase) < 0 {
		return fmt.Errorf("阶段 %q 无效（应为 near、mid 或 far）", e.Phase)
	}
	if d.Plan == nil {
		d.Plan = &PlanEdits{}
	}
	if d.Plan.Actions == nil {
		d.Plan.Actions = map[string]*ActionEdit{}
	}
	if e == (ActionEdit{}) {
		delete(d.Plan.Actions, itemID)
	} else {
		d.Plan.Actions[itemID] = &e
	}
	d.Updated = now.UTC().Truncate(time.Millisecond)
	return nil
}

// AddCustomAction appends a consultant's own action.
func (d *Document) AddCustomAction(c CustomAction, now time.Time) error {
	if err := d.checkCustom(&c); err != nil {
		return err
	}
	if d.Plan == nil {
		d.Plan = &PlanEdits{}
	}
	if c.ID == "" {
		// One more than the highest number in use, so an id is never reused after a removal.
		n := 0
		for _, x := range d.Plan.Custom {
			var k int
			if _, err := fmt.Sscanf(x.ID, "custom-%d", &k); err == nil {
				n = max(n, k)
			}
		}
		c.ID = fmt.Sprintf("custom-%d", n+1)
	}
	c.Added = now.UTC().Truncate(time.Second)
	d.Plan.Custom = append(d.Plan.Custom, c)
	d.Updated = now.UTC().Truncate(time.Millisecond)
	return nil
}

// UpdateCustomAction replaces the text, track, phase and comment of a consultant's action,
// keeping its id, scenarios and the time it was added.
func (d *Document) UpdateCustomAction(id string, c CustomAction, now time.Time) error {
	i, err := d.customIndex(id)
	if err != nil {
		return err
	}
	if err := d.checkCustom(&c); err != nil {
		return err
	}
	old := &d.Plan.Custom[i]
	old.Text, old.Track, old.Phase, old.Comment, old.Project = c.Text, c.Track, c.Phase, c.Comment, c.Project
	d.Updated = now.UTC().Truncate(time.Millisecond)
	return nil
}

// RemoveCustomAction deletes a consultant's action from the plan.
func (d *Document) RemoveCustomAction(id string, now time.Time) error {
	i, err := d.customIndex(id)
	if err != nil {
		return err
	}
	d.Plan.Custom = slices.Delete(d.Plan.Custom, i, i+1)
	d.Updated = now.UTC().Truncate(time.Millisecond)
	return nil
}

func (d *Document) customIndex(id string) (int, error) {
	if d.Status == StatusSealed {
		return 0, fmt.Errorf("文档已封存，不能修改改进计划")
	}
	if d.Plan != nil {
		for i, c := range d.Plan.Custom {
			if c.ID == id {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("改进计划中没有措施 %s", id)
}

// checkCustom validates a consultant's action and fills the default phase.
func (d *Document) checkCustom(c *CustomAction) error {
	if d.Status == StatusSealed {
		return fmt.Errorf("文档已封存，不能修改改进计划")
	}
	c.Text, c.Comment = strings.TrimSpace(c.Text), strings.TrimSpace(c.Comment)
	if c.Text == "" {
		return fmt.Errorf("措施内容不能为空")
	}
	if !slices.Contains(q.Tracks, c.Track) {
		return fmt.Errorf("track 应为 智改、数转 或 网联")
	}
	if c.Phase == "" {
		c.Phase = PhaseNear
	}
	if phaseIndex(c.Phase) < 0 {
		return fmt.Errorf("阶段 %q 无效（应为 near、mid 或 far）", c.Phase)
	}
	if c.Project != "" && q.BundledProjects().Project(c.Project) == nil {
		return fmt.Errorf("项目 %q 不在项目目录中", c.Project)
	}
	return nil
}

func recommendScenarios(actions []*Action) []ScenarioRec {
	all := q.Scenarios()
	acc := map[string]*ScenarioRec{}
	for _, a := range actions {
		if a.Excluded {
			continue
		}
		for _, id := range a.Scenarios {
			s, ok := all[id]
			if !ok {
				continue
			}
			if acc[id] == nil {
				acc[id] = &ScenarioRec{Scenario: s}
			}
			acc[id].Actions++
			acc[id].Gain += a.Gain
		}
	}
	out := make([]ScenarioRec, 0, len(acc))
	for _, r := range acc {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Gain != out[j].Gain {
			return out[i].Gain > out[j].Gain
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// ActivePhases groups the non-excluded actions by phase, in rank order.
func (p *Plan) ByPhase() map[string][]*Action {
	out := map[string][]*Action{}
	for _, a := range p.Actions {
		if !a.Excluded {
			out[a.Phase] = append(out[a.Phase], a)
		}
	}
	return out
}

// Top returns the first n non-excluded actions.
func (p *Plan) Top(n int) []*Action {
	var out []*Action
	for _, a := range p.Actions {
		if !a.Excluded && len(out) < n {
			out = append(out, a)
		}
	}
	return out
}

// Why a plan has no active action (Plan.EmptyReason).
const (
	EmptyTargetReached     = "target_reached"     // the firm is at (or above) its target level
	EmptyNothingApplicable = "nothing_applicable" // below target, but no applicable item is unmet
	EmptyAllExcluded       = "all_excluded"       // the consultant excluded every action
)

// EmptyReason says why the plan has no active action, or "" when it has one, so an empty plan is
// never just an empty page.
func (p *Plan) EmptyReason() string {
	if len(p.Top(1)) > 0 {
		return ""
	}
	switch {
	case len(p.Actions) > 0:
		return EmptyAllExcluded
	case p.CurrentLevel >= p.TargetLevel:
		return EmptyTargetReached
	}
	return EmptyNothingApplicable
}

// EmptyText is the sentence the app and the report print for an empty plan, in lang.
func EmptyText(reason string, lang string) string {
	switch reason {
	case EmptyTargetReached:
		return q.In(lang, "企业已达到目标等级，没有需要补齐的差距，因此计划中没有措施。可以提高目标等级查看下一级的差距。",
			"The firm has reached its target level: there is no gap to close, so the plan has no action. Raise the target level to see the gaps to the next level.")
	case EmptyNothingApplicable:
		return q.In(lang, "没有适用于本企业的未满足要求（相关题目均为不适用或不属于本企业的生产类型），因此计划中没有措施。",
			"No applicable requirement is unmet (the remaining items are not applicable or not for this firm's production type), so the plan has no action.")
	case EmptyAllExcluded:
		return q.In(lang, "顾问已把所有措施排除在计划之外。", "The consultant has excluded every action from the plan.")
	}
	return ""
}
