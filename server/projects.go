package server

import (
	"context"
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

// ProjectInput registers a project.
type ProjectInput struct {
	District   int64  // 0: the officer's own
	CreditCode string // a firm on the district's roster
	Name       string // the plan project's name (free text until plans are on the server)
	Planned    int64  // yuan
	Applied    string // YYYY-MM-DD
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

// AddProject registers a retrofit project for a firm on the district's roster (officers).
func (s *Service) AddProject(ctx context.Context, p *Principal, in ProjectInput) (*Project, error) {
	d, err := s.projectDistrict(p, in.District)
	if err != nil {
		return nil, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len([]rune(in.Name)) > 200 {
		return nil, Invalidf("项目名称必填（不超过 200 字）")
	}
	code := strings.ToUpper(strings.TrimSpace(in.CreditCode))
	rv, err := s.Store.LatestRoster(ctx, d)
	if err != nil {
		return nil, err
	}
	if rv.Parsed.Index()[code] == nil {
		return nil, Invalidf("统一社会信用代码「%s」不在本区名册上", code)
	}
	applied, err := checkDate("申报日期", in.Applied)
	if err != nil {
		return nil, err
	}
	now := s.now()
	pr := &Project{District: d, CreditCode: code, Name: in.Name, Stage: StageApplied, Planned: in.Planned, Applied: applied, Created: now, Updated: now}
	a := p.audit("project.add", code, fmt.Sprintf("%s；计划投资 %d 元", in.Name, in.Planned), d, now)
	if err := s.Store.AddProject(ctx, pr, a); err != nil {
		return nil, err
	}
	return pr, nil
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
