package servertest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"smartdiag/server"
)

// testProjects: a project moves 申报 → 立项 → 实施 → 验收 one step at a time, each move audited;
// the funnel follows; other districts, the city and providers cannot change it.
func testProjects(t *testing.T, open Opener) {
	ctx := context.Background()
	w := NewWorld(t, opened(t, open))
	svc, off := w.Svc, w.P[Officer]
	for i := range 3 {
		upload(t, w, ConsultantA, Seal(t, Doc(t, i, t0), ConsultantA, ProviderA))
	}
	funnel := func() server.Funnel {
		t.Helper()
		pl, err := svc.PipelineOf(ctx, off, off.Districts[0])
		if err != nil {
			t.Fatal(err)
		}
		return pl.Funnel
	}
	if f := funnel(); f != (server.Funnel{Diagnosed: 3}) {
		t.Fatalf("before any project: %+v", f)
	}
	bad := []struct {
		in   server.ProjectInput
		want string
	}{
		{server.ProjectInput{CreditCode: Code(1), Name: " ", Applied: "2026-05-01"}, "项目名称"},
		{server.ProjectInput{CreditCode: "91320115XX0000001Z", Name: "产线改造", Applied: "2026-05-01"}, "不在本区名册"},
		{server.ProjectInput{CreditCode: Code(1), Name: "产线改造", Applied: "5/1"}, "不是有效日期"},
	}
	for _, b := range bad {
		_, err := svc.AddProject(ctx, off, b.in)
		wantInvalid(t, err, b.want)
	}
	in := server.ProjectInput{CreditCode: strings.ToLower(Code(1)), Name: "<b>产线</b>智能化改造", Planned: 1_200_000, Applied: "2026-05-01"}
	for _, u := range []string{CityViewer, ConsultantA, AdminA} {
		if _, err := svc.AddProject(ctx, w.P[u], in); !errors.Is(err, server.ErrForbidden) {
			t.Errorf("%s registering a project: %v", u, err)
		}
	}
	if _, err := svc.AddProject(ctx, w.P[Officer2], server.ProjectInput{District: off.Districts[0], CreditCode: Code(1), Name: "x", Applied: "2026-05-01"}); !errors.Is(err, server.ErrNotFound) {
		t.Errorf("another district's officer: %v", err)
	}
	pr, err := svc.AddProject(ctx, off, in)
	if err != nil || pr.Stage != server.StageApplied || pr.CreditCode != Code(1) {
		t.Fatalf("add: %+v %v", pr, err)
	}
	if f := funnel(); f != (server.Funnel{Diagnosed: 3, Registered: 1}) {
		t.Errorf("registered: %+v", f)
	}
	if _, err := svc.MoveProject(ctx, off, pr.ID, server.ProjectMove{Stage: server.StageUnderway, Date: "2026-06-01"}); err == nil {
		t.Error("skipped 立项")
	}
	if _, err := svc.MoveProject(ctx, w.P[Officer2], pr.ID, server.ProjectMove{Stage: server.StageApproved, Date: "2026-06-01"}); !errors.Is(err, server.ErrNotFound) {
		t.Errorf("another district moving it: %v", err)
	}
	moves := []server.ProjectMove{
		{Stage: server.StageApproved, Date: "2026-05-20"},
		{Stage: server.StageUnderway, Date: "2026-06-01", Actual: 300_000},
		{Stage: server.StageUnderway, Date: "2026-06-01", Actual: 800_000}, // figures corrected in place
		{Stage: server.StageAccepted, Date: "2026-09-30", Actual: 1_150_000, Subsidy: 200_000},
	}
	for _, m := range moves {
		if pr, err = svc.MoveProject(ctx, off, pr.ID, m); err != nil {
			t.Fatalf("move to %s: %v", m.Stage, err)
		}
	}
	if _, err := svc.MoveProject(ctx, off, pr.ID, server.ProjectMove{Stage: server.StageApplied, Date: "2026-10-01"}); err == nil {
		t.Error("moved back to 申报")
	}
	got, err := svc.Projects(ctx, w.P[CityViewer], Code(1))
	if err != nil || len(got) != 1 {
		t.Fatalf("the city reading: %v %v", got, err)
	}
	g := got[0]
	if g.Stage != server.StageAccepted || g.Actual != 1_150_000 || g.Subsidy != 200_000 || g.Planned != 1_200_000 ||
		g.Applied != "2026-05-01" || g.Approved != "2026-05-20" || g.Started != "2026-06-01" || g.Accepted != "2026-09-30" || g.Name != in.Name {
		t.Errorf("stored: %+v", g)
	}
	if f := funnel(); f != (server.Funnel{Diagnosed: 3, Registered: 1, Underway: 1, Accepted: 1}) {
		t.Errorf("accepted: %+v", f)
	}
	if _, err := svc.Projects(ctx, w.P[ConsultantA], ""); !errors.Is(err, server.ErrForbidden) {
		t.Errorf("a provider reading projects: %v", err)
	}
	if p2, _ := svc.Projects(ctx, w.P[Officer2], ""); len(p2) != 0 {
		t.Errorf("浦口区 sees 江宁区's projects: %v", p2)
	}
	audit, err := svc.Audit(ctx, off, 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range audit {
		if strings.HasPrefix(a.Action, "project.") {
			n++
		}
	}
	if n != 1+len(moves) {
		t.Errorf("audit has %d project entries, want %d", n, 1+len(moves))
	}
}
