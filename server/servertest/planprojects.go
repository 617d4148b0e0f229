package servertest

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"

	"smartdiag/assessment"
	"smartdiag/questionnaires"
	"smartdiag/server"
	"smartdiag/server/sqlstore"
)

// testPlanProjects: a firm's plan projects come from its latest accepted diagnosis, computed
// from the stored bytes by the path `smartdiag plan` takes; registering one links the project to
// the diagnosis and the plan project, prefills name and planned investment, and happens once per
// firm; free-text projects stay possible; the funnel counts firms, not projects.
func testPlanProjects(t *testing.T, open Opener) {
	ctx := context.Background()
	w := NewWorld(t, opened(t, open))
	svc, off := w.Svc, w.P[Officer]
	sealed := Seal(t, Doc(t, 1, t0), ConsultantA, ProviderA)
	res := upload(t, w, ConsultantA, sealed)

	fp, err := svc.FirmProjects(ctx, off, strings.ToLower(Code(1)))
	if err != nil || fp.Plan != nil || !fp.Pending || len(fp.Projects) != 0 {
		t.Fatalf("before review: %+v %v", fp, err)
	}
	_, err = svc.AddProject(ctx, off, server.ProjectInput{CreditCode: Code(1), PlanProject: "mes", Applied: "2026-05-01"})
	wantInvalid(t, err, "还没有通过审核的诊断")
	if _, err := svc.Accept(ctx, off, res.ID); err != nil {
		t.Fatal(err)
	}
	fp, err = svc.FirmProjects(ctx, off, Code(1))
	if err != nil || fp.Plan == nil || fp.Pending {
		t.Fatalf("after acceptance: %+v %v", fp, err)
	}
	// The same projects as `smartdiag plan --json` of the same bytes.
	_, _, want, err := assessment.PlanOf(sealed, questionnaires.BundledDistrict())
	if err != nil {
		t.Fatal(err)
	}
	if fp.Plan.Diagnosis != res.ID || len(fp.Plan.Projects) != len(want.Projects) || len(want.Projects) < 2 {
		t.Fatalf("plan of %s: %d projects, want %d of %s", fp.Plan.Diagnosis, len(fp.Plan.Projects), len(want.Projects), res.ID)
	}
	for i, pp := range fp.Plan.Projects {
		wp := want.Projects[i]
		if pp.ID != wp.ID || pp.Name != wp.Name || pp.InvestmentWan != wp.InvestmentWan || pp.Months != wp.Months ||
			strings.Join(pp.Actions, ",") != strings.Join(wp.Actions, ",") || pp.Benefits != wp.Benefits || pp.Registered != 0 {
			t.Errorf("plan project %d: %+v, want %+v", i, *pp.PlanProjectOf, *wp)
		}
		if mid := int64(math.Round((wp.InvestmentWan[0] + wp.InvestmentWan[1]) * 5000)); pp.Planned != mid {
			t.Errorf("%s: suggested %d yuan, want the midpoint %d", pp.ID, pp.Planned, mid)
		}
	}
	first, second := fp.Plan.Projects[0], fp.Plan.Projects[1]

	bad := []struct {
		in   server.ProjectInput
		want string
	}{
		{server.ProjectInput{CreditCode: Code(1), PlanProject: "no-such-project", Applied: "2026-05-01"}, "不在该企业最新通过审核的诊断"},
		{server.ProjectInput{CreditCode: Code(1), PlanProject: first.ID, Diagnosis: "0190aaaa-0000-7000-8000-000000000000", Applied: "2026-05-01"}, "请刷新页面"},
		{server.ProjectInput{CreditCode: Code(1), PlanProject: first.ID, Applied: "May"}, "不是有效日期"},
	}
	for _, b := range bad {
		_, err := svc.AddProject(ctx, off, b.in)
		wantInvalid(t, err, b.want)
	}
	for _, u := range []string{CityViewer, ConsultantA} {
		if _, err := svc.AddProject(ctx, w.P[u], server.ProjectInput{CreditCode: Code(1), PlanProject: first.ID, Applied: "2026-05-01"}); !errors.Is(err, server.ErrForbidden) {
			t.Errorf("%s registering a plan project: %v", u, err)
		}
	}
	// 浦口区 has the firm on its roster but no diagnosis of it: nothing to register from.
	_, err = svc.AddProject(ctx, w.P[Officer2], server.ProjectInput{CreditCode: Code(1), PlanProject: first.ID, Applied: "2026-05-01"})
	wantInvalid(t, err, "还没有通过审核的诊断")

	pr, err := svc.AddProject(ctx, off, server.ProjectInput{CreditCode: Code(1), PlanProject: first.ID, Diagnosis: res.ID, Applied: "2026-05-01"})
	if err != nil {
		t.Fatal(err)
	}
	if pr.Name != first.Name || pr.Planned != first.Planned || pr.Diagnosis != res.ID || pr.PlanProject != first.ID {
		t.Errorf("registered %+v, want name %q, planned %d, linked to %s/%s", pr, first.Name, first.Planned, res.ID, first.ID)
	}
	// Twice: refused, whatever the name typed.
	_, err = svc.AddProject(ctx, off, server.ProjectInput{CreditCode: Code(1), PlanProject: first.ID, Name: "另一个名字", Applied: "2026-05-02"})
	wantInvalid(t, err, "不能重复登记")
	// Edited name and investment; a free-text project (其他项目) beside them.
	pr2, err := svc.AddProject(ctx, off, server.ProjectInput{CreditCode: Code(1), PlanProject: second.ID, Name: " 二期：" + second.Name + " ", Planned: 123_000, Applied: "2026-05-03"})
	if err != nil || pr2.Name != "二期："+second.Name || pr2.Planned != 123_000 {
		t.Fatalf("edited registration: %+v %v", pr2, err)
	}
	free, err := svc.AddProject(ctx, off, server.ProjectInput{CreditCode: Code(1), Name: "厂房屋顶光伏", Planned: 500_000, Applied: "2026-05-04"})
	if err != nil || free.PlanProject != "" || free.Diagnosis != "" {
		t.Fatalf("free-text project: %+v %v", free, err)
	}

	fp, err = svc.FirmProjects(ctx, off, Code(1))
	if err != nil {
		t.Fatal(err)
	}
	if fp.Plan.Projects[0].Registered != pr.ID || fp.Plan.Projects[1].Registered != pr2.ID || len(fp.Projects) != 3 {
		t.Errorf("registered marks %d, %d and %d projects; want %d, %d and 3", fp.Plan.Projects[0].Registered, fp.Plan.Projects[1].Registered, len(fp.Projects), pr.ID, pr2.ID)
	}
	for i := 2; i < len(fp.Plan.Projects); i++ {
		if fp.Plan.Projects[i].Registered != 0 {
			t.Errorf("%s marked registered", fp.Plan.Projects[i].ID)
		}
	}
	pl, err := svc.PipelineOf(ctx, off, off.Districts[0])
	if err != nil || pl.Funnel != (server.Funnel{Diagnosed: 1, Registered: 1}) || pl.Planned != first.Planned+123_000+500_000 {
		t.Errorf("funnel %+v, planned %d: three projects of one firm count once", pl.Funnel, pl.Planned)
	}
	if _, err := svc.MoveProject(ctx, off, pr.ID, server.ProjectMove{Stage: server.StageApproved, Date: "2026-05-20"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.MoveProject(ctx, off, pr.ID, server.ProjectMove{Stage: server.StageUnderway, Date: "2026-06-01", Actual: 100_000}); err != nil {
		t.Fatal(err)
	}
	if pl, _ := svc.PipelineOf(ctx, off, off.Districts[0]); pl.Funnel != (server.Funnel{Diagnosed: 1, Registered: 1, Underway: 1}) {
		t.Errorf("funnel after 实施: %+v", pl.Funnel)
	}

	// Who sees what: the provider its own plan without the district's projects; another
	// provider and another district nothing of it; the city everything.
	if fp, err := svc.FirmProjects(ctx, w.P[ConsultantA], Code(1)); err != nil || fp.Plan == nil || len(fp.Projects) != 0 || fp.Plan.Projects[0].Registered != 0 {
		t.Errorf("the firm's provider: %+v %v", fp, err)
	}
	if _, err := svc.FirmProjects(ctx, w.P[ConsultantB], Code(1)); !errors.Is(err, server.ErrNotFound) {
		t.Errorf("another provider reading the firm's plan: %v", err)
	}
	if fp, err := svc.FirmProjects(ctx, w.P[Officer2], Code(1)); err != nil || fp.Plan != nil || len(fp.Projects) != 0 {
		t.Errorf("浦口区 reading 江宁区's firm: %+v %v", fp, err)
	}
	if _, err := svc.FirmProjects(ctx, off, Code(RosterFirms+5)); !errors.Is(err, server.ErrNotFound) {
		t.Errorf("a firm on no roster and without diagnoses: %v", err)
	}
	if fp, err := svc.FirmProjects(ctx, w.P[CityViewer], Code(1)); err != nil || fp.Plan == nil || len(fp.Projects) != 3 || fp.Plan.Projects[0].Registered != pr.ID {
		t.Errorf("the city: %+v %v", fp, err)
	}

	// Two officers registering the same plan project at once: one project, one clear refusal.
	third := fp.Plan.Projects[2]
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = svc.AddProject(ctx, off, server.ProjectInput{CreditCode: Code(1), PlanProject: third.ID, Applied: "2026-05-05"})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			wantInvalid(t, err, "不能重复登记")
		}
	}
	if ok != 1 {
		t.Errorf("%d concurrent registrations of one plan project succeeded, want 1", ok)
	}
}

// testProjectsUpgrade: a database made before migration 4 (projects without diagnosis and plan
// project) upgrades in place; its projects read as free-text ones and plan projects register.
func testProjectsUpgrade(t *testing.T, open Opener) {
	ctx := context.Background()
	st := opened(t, open)
	ss, ok := st.(*sqlstore.Store)
	if !ok {
		t.Skip("not a sqlstore engine")
	}
	w := NewWorld(t, st)
	off := w.P[Officer]
	old, err := w.Svc.AddProject(ctx, off, server.ProjectInput{CreditCode: Code(2), Name: "老项目", Planned: 10_000, Applied: "2026-01-02"})
	if err != nil {
		t.Fatal(err)
	}
	// Undo migrations 4 and 5 by hand: the schema of version 3 with its row.
	for _, q := range []string{
		`DROP INDEX projects_plan_once`,
		`ALTER TABLE projects DROP COLUMN plan_project`,
		`ALTER TABLE projects DROP COLUMN diagnosis`,
		`DROP INDEX submissions_document_sha256`,
		`ALTER TABLE submissions DROP COLUMN document_sha256`,
		`CREATE INDEX submissions_sha256 ON submissions(provider, sha256)`,
		`DELETE FROM schema_migrations WHERE version >= 4`,
	} {
		if _, err := ss.DB.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	again, err := sqlstore.Open(ctx, ss.DB, ss.Dialect()) // shares the DB: closed with st
	if err != nil {
		t.Fatal(err)
	}
	got, err := again.Projects(ctx, nil, Code(2))
	if err != nil || len(got) != 1 || got[0].ID != old.ID || got[0].Name != "老项目" || got[0].Planned != 10_000 || got[0].PlanProject != "" || got[0].Diagnosis != "" {
		t.Fatalf("after the upgrade: %+v %v", got, err)
	}
	svc := server.NewService(again)
	res := upload(t, w, ConsultantA, Seal(t, Doc(t, 2, t0), ConsultantA, ProviderA)) // the same database
	if _, err := svc.Accept(ctx, off, res.ID); err != nil {
		t.Fatal(err)
	}
	fp, err := svc.FirmProjects(ctx, off, Code(2))
	if err != nil || fp.Plan == nil || len(fp.Plan.Projects) == 0 || len(fp.Projects) != 1 {
		t.Fatalf("after the upgrade: %+v %v", fp, err)
	}
	in := server.ProjectInput{CreditCode: Code(2), PlanProject: fp.Plan.Projects[0].ID, Applied: "2026-05-01"}
	if _, err := svc.AddProject(ctx, off, in); err != nil {
		t.Fatal(err)
	}
	_, err = svc.AddProject(ctx, off, in)
	wantInvalid(t, err, "不能重复登记")
}
