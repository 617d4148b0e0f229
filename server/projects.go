package server

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// After the diagnosis, a firm's plan projects are registered as retrofit projects (智能化改造
// 项目) and move 申报 → 立项 → 实施 → 验收; the district follows the funnel diagnosed → project
// registered → under way → accepted.

// Project stages, in order.
const (
	StageApplied  = "applied"  // 申报
	StageApproved = "approved" // 立项
	StageUnderway = "underway" // 实施
	StageAccepted = "accepted" // 验收
)

// Stages lists the stages in order.
var Stages = []string{StageApplied, StageApproved, StageUnderway, StageAccepted}

// StageLabel is a stage's Chinese name.
func StageLabel(stage string) string {
	return map[string]string{StageApplied: "申报", StageApproved: "立项", StageUnderway: "实施", StageAccepted: "验收"}[stage]
}

// Project is one retrofit project of a firm. Money is in yuan; dates are YYYY-MM-DD, empty
// until the stage is reached.
type Project struct {
	ID         int64     `json:"id"`
	District   int64     `json:"district"`
	CreditCode string    `json:"credit_code"`
	Name       string    `json:"name"`
	Stage      string    `json:"stage"`
	Planned    int64     `json:"planned_investment"`
	Actual     int64     `json:"actual_investment"`
	Subsidy    int64     `json:"subsidy"`
	Applied    string    `json:"applied"`
	Approved   string    `json:"approved,omitempty"`
	Started    string    `json:"started,omitempty"`
	Accepted   string    `json:"accepted,omitempty"`
	Created    time.Time `json:"created"`
	Updated    time.Time `json:"updated"`
	// A project registered from the firm's plan names the diagnosis (document id) and the plan
	// project (project catalogue id, as in `smartdiag plan --json`); both are empty for a
	// free-text project (其他项目).
	Diagnosis   string `json:"diagnosis,omitempty"`
	PlanProject string `json:"plan_project,omitempty"`
}

// date sets the date of a stage.
func (pr *Project) date(stage, d string) {
	switch stage {
	case StageApplied:
		pr.Applied = d
	case StageApproved:
		pr.Approved = d
	case StageUnderway:
		pr.Started = d
	case StageAccepted:
		pr.Accepted = d
	}
}

// ParseYuan reads an amount in 万元 as a person types it ("120", "35.5", "") into yuan.
func ParseYuan(field, s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "万元"))
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) || f > 1e8 {
		return 0, Invalidf("%s「%s」不是有效金额：请填写万元数，例如 120 或 35.5", field, s)
	}
	return int64(math.Round(f * 10000)), nil
}

func checkDate(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", Invalidf("%s「%s」不是有效日期：应为 YYYY-MM-DD", field, s)
	}
	return s, nil
}

// ProjectInput registers a project: one of the firm's plan projects (PlanProject set), or a
// free-text one (其他项目: Name set, PlanProject empty).
type ProjectInput struct {
	District   int64  `json:"-"`                  // 0: the officer's own
	CreditCode string `json:"-"`                  // a firm on the district's roster
	Name       string `json:"name"`               // required for a free-text project; a plan project's defaults to its name
	Planned    int64  `json:"planned_investment"` // yuan; 0 on a plan project: the midpoint of its investment range
	Applied    string `json:"applied"`            // YYYY-MM-DD
	// PlanProject is a project catalogue id of the plan of the firm's latest accepted diagnosis
	// (FirmProjects); Diagnosis, when set, must be that diagnosis (a page shown before a newer
	// one was accepted is refused rather than registered against the wrong plan).
	PlanProject string `json:"plan_project"`
	Diagnosis   string `json:"diagnosis"`
}

// ProjectMove moves a project to a stage (the same or the next one) and records its figures.
type ProjectMove struct {
	Stage   string
	Date    string // the date the stage was reached
	Actual  int64  // yuan
	Subsidy int64  // yuan
}

func (s *Service) projectDistrict(p *Principal, d int64) (int64, error) {
	if p.User.Role != RoleOfficer {
		return 0, ErrForbidden
	}
	if d == 0 && len(p.Districts) == 1 {
		d = p.Districts[0]
	}
	if !slices.Contains(p.Districts, d) {
		return 0, ErrNotFound
	}
	return d, nil
}

// AddProject registers a retrofit project for a firm on the district's roster (officers): one of
// the plan projects of its latest accepted diagnosis, once per firm, or a free-text project.
func (s *Service) AddProject(ctx context.Context, p *Principal, in ProjectInput) (*Project, error) {
	d, err := s.projectDistrict(p, in.District)
	if err != nil {
		return nil, err
	}
	code := strings.ToUpper(strings.TrimSpace(in.CreditCode))
	rv, err := s.Store.LatestRoster(ctx, d)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if rv == nil || rv.Parsed.Index()[code] == nil {
		return nil, Invalidf("统一社会信用代码「%s」不在本区名册上", code)
	}
	var diagnosis, planID, planName string
	if in.PlanProject = strings.TrimSpace(in.PlanProject); in.PlanProject != "" {
		fp, err := s.firmPlan(ctx, p, code, []int64{d})
		if err != nil {
			return nil, err
		}
		if fp == nil {
			return nil, Invalidf("企业「%s」还没有通过审核的诊断：诊断通过审核后才能按其改进计划登记项目", code)
		}
		if in.Diagnosis != "" && in.Diagnosis != fp.Diagnosis {
			return nil, Invalidf("诊断 %s 不是该企业最新通过审核的诊断（%s）：请刷新页面，按最新诊断的改进计划登记", in.Diagnosis, fp.Diagnosis)
		}
		i := slices.IndexFunc(fp.Projects, func(pp PlanProject) bool { return pp.ID == in.PlanProject })
		if i < 0 {
			return nil, Invalidf("计划项目「%s」不在该企业最新通过审核的诊断（%s）的改进计划中", in.PlanProject, fp.Diagnosis)
		}
		pp := fp.Projects[i]
		if pp.Registered != 0 {
			return nil, alreadyRegistered(pp.Name, pp.Registered)
		}
		if strings.TrimSpace(in.Name) == "" {
			in.Name = pp.Name
		}
		if in.Planned == 0 {
			in.Planned = pp.Planned
		}
		diagnosis, planID, planName = fp.Diagnosis, pp.ID, pp.Name
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len([]rune(in.Name)) > 200 {
		return nil, Invalidf("项目名称必填（不超过 200 字）")
	}
	if in.Planned < 0 || in.Planned > 1e12 {
		return nil, Invalidf("计划投资 %d 元不是有效金额", in.Planned)
	}
	applied, err := checkDate("申报日期", in.Applied)
	if err != nil {
		return nil, err
	}
	now := s.now()
	pr := &Project{District: d, CreditCode: code, Name: in.Name, Stage: StageApplied, Planned: in.Planned, Applied: applied,
		Created: now, Updated: now, Diagnosis: diagnosis, PlanProject: planID}
	detail := fmt.Sprintf("%s；计划投资 %d 元", in.Name, in.Planned)
	if planID != "" {
		detail += fmt.Sprintf("；计划项目 %s（诊断 %s）", planID, diagnosis)
	}
	a := p.audit("project.add", code, detail, d, now)
	if err := s.Store.AddProject(ctx, pr, a); err != nil {
		if errors.Is(err, ErrExists) { // registered by someone else since the check above
			return nil, alreadyRegistered(planName, 0)
		}
		return nil, err
	}
	return pr, nil
}

func alreadyRegistered(name string, id int64) error {
	if id != 0 {
		return Invalidf("计划项目「%s」已登记为本企业的改造项目（项目 %d）：同一计划项目不能重复登记，请在该项目上推进阶段", name, id)
	}
	return Invalidf("计划项目「%s」已登记为本企业的改造项目：同一计划项目不能重复登记，请在该项目上推进阶段", name)
}

// PlanProject is one project of the plan of a firm's latest accepted diagnosis, exactly as
// `smartdiag plan --json` lists it, with what registering it prefills and the retrofit project
// registered from it.
type PlanProject struct {
	*PlanProjectOf
	Planned    int64 `json:"suggested_planned_investment"` // yuan: the midpoint of the investment range
	Registered int64 `json:"registered_project,omitempty"` // the retrofit project's id once registered (not shown to providers)
}

// FirmPlan is the plan a firm's projects are registered from: that of its latest accepted
// diagnosis. Accepted, not merely received: the office registers what it has reviewed, and a
// received diagnosis may still be returned and revised, changing its plan.
type FirmPlan struct {
	Diagnosis string        `json:"diagnosis"` // document id
	District  int64         `json:"district"`
	Finished  time.Time     `json:"finished"`
	LevelName string        `json:"level_name"`
	Projects  []PlanProject `json:"projects"`
}

// FirmProjects is what the firm page and GET /api/v1/firms/{code}/projects show.
type FirmProjects struct {
	CreditCode string    `json:"credit_code"`
	Plan       *FirmPlan `json:"plan"`     // null when the firm has no accepted diagnosis the caller may see
	Projects   []Project `json:"projects"` // registered retrofit projects; empty for providers
	// Pending is set when the firm has diagnoses waiting for review but none accepted.
	Pending bool `json:"pending_review,omitempty"`
}

// FirmProjects lists a firm's registered projects and the projects of its plan. Officers and
// city viewers see their districts' firms; a provider sees the plan of its own accepted
// diagnoses of firms assigned to it, never registered projects (the district's business).
func (s *Service) FirmProjects(ctx context.Context, p *Principal, creditCode string) (*FirmProjects, error) {
	code := strings.ToUpper(strings.TrimSpace(creditCode))
	out := &FirmProjects{CreditCode: code, Projects: []Project{}}
	subs, err := s.Store.Submissions(ctx, p.filter(SubmissionFilter{}))
	if err != nil {
		return nil, err
	}
	known := false
	for _, sub := range subs {
		if sub.CreditCode == code && sub.State != StateConflict {
			known = true
			out.Pending = out.Pending || sub.State == StateReceived || sub.State == StateResubmitted
		}
	}
	if p.isProvider() {
		if !known {
			a, err := s.Store.Assignments(ctx, nil, p.Org.ID, code)
			if err != nil {
				return nil, err
			}
			known = len(a) > 0
		}
	} else {
		for _, d := range p.Districts {
			if known {
				break
			}
			if rv, err := s.Store.LatestRoster(ctx, d); err == nil {
				known = rv.Parsed.Index()[code] != nil
			} else if !errors.Is(err, ErrNotFound) {
				return nil, err
			}
		}
		if out.Projects, err = s.Store.Projects(ctx, p.Districts, code); err != nil {
			return nil, err
		}
		if out.Projects == nil {
			out.Projects = []Project{}
		}
	}
	if !known {
		return nil, ErrNotFound
	}
	if out.Plan, err = s.firmPlan(ctx, p, code, p.filter(SubmissionFilter{}).Districts); err != nil {
		return nil, err
	}
	if out.Plan != nil {
		out.Pending = false
	}
	return out, nil
}

// firmPlan is the plan of the firm's latest accepted diagnosis that p may see in the districts
// given (nil: p's provider's, any district), with the projects registered from it marked; nil
// when there is none.
func (s *Service) firmPlan(ctx context.Context, p *Principal, code string, districts []int64) (*FirmPlan, error) {
	f := p.filter(SubmissionFilter{State: StateAccepted})
	if !p.isProvider() {
		f.Districts = districts
	}
	subs, err := s.Store.Submissions(ctx, f)
	if err != nil {
		return nil, err
	}
	var latest *Submission
	for i := range subs {
		sub := &subs[i]
		if sub.CreditCode != code || sub.Facts == nil {
			continue
		}
		if latest == nil || sub.Facts.Finished.After(latest.Facts.Finished) ||
			(sub.Facts.Finished.Equal(latest.Facts.Finished) && sub.Seq > latest.Seq) {
			latest = sub
		}
	}
	if latest == nil {
		return nil, nil
	}
	full, err := s.Store.Submission(ctx, latest.Seq)
	if err != nil {
		return nil, err
	}
	o, err := s.Store.Org(ctx, full.District)
	if err != nil {
		return nil, err
	}
	projects, err := planProjects(full.Document, o.Profile)
	if err != nil {
		// The document passed the same checks at upload; failing now is the server's fault.
		return nil, fmt.Errorf("诊断 %s 的改进计划无法生成：%w", full.ID, err)
	}
	fp := &FirmPlan{Diagnosis: full.ID, District: full.District, Finished: full.Facts.Finished, LevelName: full.Facts.LevelName, Projects: []PlanProject{}}
	registered := map[string]int64{}
	if !p.isProvider() {
		regs, err := s.Store.Projects(ctx, []int64{full.District}, code)
		if err != nil {
			return nil, err
		}
		for _, pr := range regs {
			if pr.PlanProject != "" {
				registered[pr.PlanProject] = pr.ID
			}
		}
	}
	for _, pp := range projects {
		mid := (pp.InvestmentWan[0] + pp.InvestmentWan[1]) / 2
		fp.Projects = append(fp.Projects, PlanProject{PlanProjectOf: pp, Planned: int64(math.Round(mid * 10000)), Registered: registered[pp.ID]})
	}
	return fp, nil
}

// MoveProject moves a project to the same stage (to correct figures) or the next one.
func (s *Service) MoveProject(ctx context.Context, p *Principal, id int64, m ProjectMove) (*Project, error) {
	if p.User.Role != RoleOfficer {
		return nil, ErrForbidden
	}
	pr, err := s.Store.Project(ctx, id)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(p.Districts, pr.District) {
		return nil, ErrNotFound
	}
	from, to := slices.Index(Stages, pr.Stage), slices.Index(Stages, m.Stage)
	if to < 0 {
		return nil, Invalidf("项目阶段「%s」无效：应为 applied、approved、underway 或 accepted", m.Stage)
	}
	if to != from && to != from+1 {
		return nil, Invalidf("项目只能从「%s」进入下一阶段「%s」，不能到「%s」", StageLabel(pr.Stage), StageLabel(Stages[min(from+1, len(Stages)-1)]), StageLabel(m.Stage))
	}
	if m.Actual < 0 || m.Subsidy < 0 || m.Actual > 1e12 || m.Subsidy > 1e12 {
		return nil, Invalidf("实际投资 %d 元或补贴 %d 元不是有效金额", m.Actual, m.Subsidy)
	}
	date, err := checkDate(StageLabel(m.Stage)+"日期", m.Date)
	if err != nil {
		return nil, err
	}
	old := *pr
	pr.Stage, pr.Actual, pr.Subsidy, pr.Updated = m.Stage, m.Actual, m.Subsidy, s.now()
	pr.date(m.Stage, date)
	a := p.audit("project.stage", pr.CreditCode, fmt.Sprintf("项目 %d「%s」：%s → %s（%s）；实际投资 %d 元，补贴 %d 元",
		pr.ID, pr.Name, StageLabel(old.Stage), StageLabel(pr.Stage), date, pr.Actual, pr.Subsidy), pr.District, pr.Updated)
	if err := s.Store.UpdateProject(ctx, pr, old.Updated, a); err != nil {
		return nil, err
	}
	return pr, nil
}

// Projects lists the projects in p's districts (officers and city viewers), of one firm when
// creditCode is set.
func (s *Service) Projects(ctx context.Context, p *Principal, creditCode string) ([]Project, error) {
	if p.isProvider() {
		return nil, ErrForbidden
	}
	return s.Store.Projects(ctx, p.Districts, strings.ToUpper(creditCode))
}

// Funnel counts firms at each step after the diagnosis.
type Funnel struct {
	Diagnosed  int `json:"diagnosed"`  // firms with a counted diagnosis
	Registered int `json:"registered"` // of which with a registered project
	Underway   int `json:"underway"`   // of which with a project at 实施 or 验收
	Accepted   int `json:"accepted"`   // of which with a project at 验收
}

// LevelShare is the share of diagnosed firms at 二级 (CMMM level 2) or above in one group.
type LevelShare struct {
	Name      string  `json:"name"`
	Diagnosed int     `json:"diagnosed"` // firms with a counted CMMM diagnosis
	Level2    int     `json:"level2_or_above"`
	Share     float64 `json:"share"`
}

// Pipeline is a district's retrofit pipeline: the funnel, the projects and the shares at 二级
// or above by street, category and provider.
type Pipeline struct {
	District   string       `json:"district"`
	Funnel     Funnel       `json:"funnel"`
	Total      LevelShare   `json:"total"`
	ByStreet   []LevelShare `json:"by_street"`
	ByCategory []LevelShare `json:"by_category"`
	ByProvider []LevelShare `json:"by_provider"`
	Projects   []Project    `json:"projects"`
	Planned    int64        `json:"planned_investment"`
	Actual     int64        `json:"actual_investment"`
	Subsidy    int64        `json:"subsidy"`
}

// PipelineOf is the pipeline of one of p's districts, over the same counted diagnoses as the
// tally (Service.Tally), so the diagnosed count is the dashboard's.
func (s *Service) PipelineOf(ctx context.Context, p *Principal, district int64) (*Pipeline, error) {
	t, err := s.Tally(ctx, p, district)
	if err != nil {
		return nil, err
	}
	projects, err := s.Store.Projects(ctx, []int64{district}, "")
	if err != nil {
		return nil, err
	}
	pl := &Pipeline{District: t.District, Projects: projects}
	stage := map[string]int{} // firm → furthest stage index
	for _, pr := range projects {
		i := slices.Index(Stages, pr.Stage)
		if old, ok := stage[pr.CreditCode]; !ok || i > old {
			stage[pr.CreditCode] = i
		}
		pl.Planned += pr.Planned
		pl.Actual += pr.Actual
		pl.Subsidy += pr.Subsidy
	}
	groups := map[string]map[string]*LevelShare{"street": {}, "category": {}, "provider": {}}
	add := func(kind, name string, l2 bool) {
		g := groups[kind][name]
		if g == nil {
			g = &LevelShare{Name: name}
			groups[kind][name] = g
		}
		g.Diagnosed++
		if l2 {
			g.Level2++
		}
	}
	// Street and categories as the tally counts them: the roster's, for a firm on it.
	var index map[string]*RosterEntry
	if rv, err := s.Store.LatestRoster(ctx, district); err == nil {
		index = rv.Parsed.Index()
	}
	pl.Total.Name = t.District
	for _, d := range t.Documents {
		if !counted(d) {
			continue
		}
		pl.Funnel.Diagnosed++
		if i, ok := stage[d.CreditCode]; ok {
			pl.Funnel.Registered++
			if i >= slices.Index(Stages, StageUnderway) {
				pl.Funnel.Underway++
			}
			if i == slices.Index(Stages, StageAccepted) {
				pl.Funnel.Accepted++
			}
		}
		if !d.CMMM {
			continue
		}
		l2 := d.Level >= 2
		pl.Total.Diagnosed++
		if l2 {
			pl.Total.Level2++
		}
		street, cats := d.Street, d.Categories
		if e := index[d.CreditCode]; e != nil {
			street, cats = e.Street, e.Categories
		}
		add("street", cmpOr(street, "（未填）"), l2)
		for _, c := range cats {
			add("category", c, l2)
		}
		add("provider", cmpOr(d.Provider, "（未知）"), l2)
	}
	pl.Total.share()
	sorted := func(m map[string]*LevelShare) []LevelShare {
		out := make([]LevelShare, 0, len(m))
		for _, g := range m {
			g.share()
			out = append(out, *g)
		}
		slices.SortFunc(out, func(a, b LevelShare) int { return strings.Compare(a.Name, b.Name) })
		return out
	}
	pl.ByStreet, pl.ByCategory, pl.ByProvider = sorted(groups["street"]), sorted(groups["category"]), sorted(groups["provider"])
	return pl, nil
}

func (g *LevelShare) share() {
	if g.Diagnosed > 0 {
		g.Share = float64(g.Level2) / float64(g.Diagnosed)
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
