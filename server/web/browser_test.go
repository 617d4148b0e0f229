package web

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"smartdiag/server"
	"smartdiag/server/servertest"
	"smartdiag/syncclient"
)

// chromiumPath is Debian's chromium; CI=true makes its absence a failure, elsewhere a skip.
const chromiumPath = "/usr/bin/chromium"

func browserContext(t *testing.T) context.Context {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is required in CI (apt-get install chromium): %v", err)
		}
		t.Skipf("no chromium: %v", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
		chromedp.Flag("lang", "zh-CN"),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelB := chromedp.NewContext(actx)
	// The first run starts the browser and must not carry the timeout (it would stop the browser).
	if err := chromedp.Do(bctx); err != nil {
		cancelB()
		cancelA()
		t.Fatalf("starting chromium: %v", err)
	}
	// Generous: under -race on a loaded 2-core machine a whole session (argon2 logins, page loads)
	// took over 50 s; the limit only has to stop a hang.
	ctx, cancelC := context.WithTimeout(bctx, 4*time.Minute)
	t.Cleanup(func() { cancelC(); cancelB(); cancelA() })
	return ctx
}

type step = chromedp.Action[chromedp.Void]

func css(s string) chromedp.CSS { return chromedp.CSS(s) }

// attr reads an attribute of the first element matching sel.
func attr(sel, name string, out *string) step {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		r, err := chromedp.AttributeValue(css(sel), name)(ctx, t)
		*out = r.Value
		return err
	})
}

// shoot saves a full-page screenshot to $SMARTDIAG_SCREENSHOTS/name.png when that is set (the
// pictures in docs/images are made this way).
func shoot(name string) step {
	dir := os.Getenv("SMARTDIAG_SCREENSHOTS")
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if dir == "" {
			return nil
		}
		buf, err := chromedp.FullScreenshot(100)(ctx, t)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
	})
}

// TestBrowserReviewAndPipeline drives chromium through the office's day: log in, return a
// diagnosis with a reason, the consultant's sync shows it returned, the revision comes back
// and is accepted, a project is registered and the funnel moves.
func TestBrowserReviewAndPipeline(t *testing.T) {
	ctx := browserContext(t)
	f := newFixture(t)
	ws := t.TempDir()
	sealed := servertest.Seal(t, servertest.Doc(t, 1, t0), servertest.ConsultantA, servertest.ProviderA)
	if err := os.WriteFile(filepath.Join(ws, "a.sdiag"), sealed, 0o644); err != nil {
		t.Fatal(err)
	}
	for i := 2; i < 5; i++ { // more firms, so the dashboard has something to draw
		f.upload(t, servertest.ConsultantA, servertest.Seal(t, servertest.Doc(t, i, t0.Add(time.Duration(i)*240*time.Hour)), servertest.ConsultantA, servertest.ProviderA))
	}
	sync := func() syncclient.Doc {
		t.Helper()
		rep, err := syncclient.Sync(context.Background(), syncclient.Options{Server: f.ts.URL, Workspace: ws, Key: servertest.Key(servertest.ConsultantA)})
		if err != nil {
			t.Fatal(err)
		}
		var last syncclient.Doc
		for _, d := range rep.Docs {
			if d.File > last.File || last.File == "" {
				last = d
			}
		}
		return last
	}
	first := sync()
	if first.Status != syncclient.StatusUploaded {
		t.Fatalf("first sync: %+v", first)
	}
	u := f.ts.URL
	row := `tr[data-id="` + first.ID + `"] `
	reason := "第 3 节缺少现场照片"
	start := time.Now()
	err := chromedp.Do(ctx,
		chromedp.Navigate(u+"/review"), // signed out: sent to the login page
		chromedp.WaitVisible(css(`#login`)),
		shoot("01-login"),
		chromedp.SendKeys(css(`#name`), servertest.Officer),
		chromedp.SendKeys(css(`#password`), servertest.Password),
		chromedp.Click(css(`#login`)),
		chromedp.WaitVisible(css(row+`button.return`)),
		shoot("03-review"),
		chromedp.SendKeys(css(row+`input[name=reason]`), reason),
		chromedp.Click(css(row+`button.return`)),
		chromedp.WaitVisible(css(`.flash`)),
	)
	if err != nil {
		t.Fatalf("return in the browser: %v", err)
	}
	if d := sync(); d.Status != syncclient.StatusReturned || d.Reason != reason {
		t.Fatalf("the consultant's side after sync: %+v", d)
	}
	rev := servertest.Revision(t, sealed, t0.Add(72*time.Hour))
	if err := os.WriteFile(filepath.Join(ws, "b.sdiag"), servertest.Seal(t, rev, servertest.ConsultantA, servertest.ProviderA), 0o644); err != nil {
		t.Fatal(err)
	}
	if d := sync(); d.Status != syncclient.StatusUploaded || d.ID != rev.ID {
		t.Fatalf("resubmitted: %+v", d)
	}
	var before, after, planProject, registered string
	firm := u + "/firm/" + servertest.Code(1)
	planRow := `#plan-projects tr[data-plan-project]:not([data-registered]) `
	// In named phases, so that a hang (chromedp waits for a selector until the context's
	// deadline) says where it was.
	phase := func(name string, steps ...step) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s in the browser: %v", name, err)
		}
	}
	phase("accept",
		chromedp.Navigate(u+"/review"),
		chromedp.Click(css(`tr[data-id="`+rev.ID+`"] button.accept`)),
		chromedp.WaitVisible(css(`.flash`)),
		chromedp.Navigate(u+"/pipeline"),
		attr(`#funnel`, "data-registered", &before))
	// Register the first project of the accepted diagnosis's plan, its investment edited.
	phase("register a plan project",
		chromedp.Navigate(firm),
		attr(planRow, "data-plan-project", &planProject),
		chromedp.SetValue(css(planRow+`input[name=planned]`), "95"),
		chromedp.Click(css(planRow+`button`)),
		chromedp.WaitVisible(css(`.flash`)))
	phase("the plan project marked registered",
		chromedp.Navigate(firm),
		attr(`#plan-projects tr[data-plan-project="`+planProject+`"]`, "data-registered", &registered))
	// Each form from a fresh page (without the last one's message), so that waiting for the
	// message waits for this form's answer.
	for _, stage := range []string{"立项", "实施"} {
		phase("move to "+stage,
			chromedp.Navigate(firm),
			chromedp.Click(css(`tr[data-project] button.move`)),
			chromedp.WaitVisible(css(`.flash`)))
	}
	phase("the funnel",
		shoot("05-firm"),
		chromedp.Navigate(u+"/pipeline"),
		attr(`#funnel`, "data-underway", &after),
		shoot("06-pipeline"))
	if before != "0" || after != "1" {
		t.Errorf("funnel: registered before %q, under way after %q", before, after)
	}
	prs, err := f.w.Svc.Projects(context.Background(), f.w.P[servertest.Officer], servertest.Code(1))
	if err != nil || len(prs) != 1 || prs[0].PlanProject != planProject || prs[0].Diagnosis != rev.ID || prs[0].Planned != 950_000 ||
		registered != strconv.FormatInt(prs[0].ID, 10) || prs[0].Stage != server.StageUnderway {
		t.Errorf("registered from the plan in the browser (%q, row marked %q): %+v %v", planProject, registered, prs, err)
	}
	if d := sync(); d.Status != syncclient.StatusAccepted {
		t.Errorf("the consultant's side after acceptance: %+v", d)
	}
	subs, _ := f.w.Svc.SubmissionsOf(context.Background(), f.w.P[servertest.Officer], rev.ID)
	if len(subs) != 1 || subs[0].State != server.StateAccepted {
		t.Errorf("stored: %+v", subs)
	}
	if os.Getenv("SMARTDIAG_SCREENSHOTS") != "" {
		screenshotsOfEveryPage(t, ctx, f)
	}
	t.Logf("browser steps took %v", time.Since(start).Round(time.Millisecond))
}

// screenshotsOfEveryPage saves the remaining pages, the officer's and then the city's.
func screenshotsOfEveryPage(t *testing.T, ctx context.Context, f *fixture) {
	u := f.ts.URL
	var tasks []step
	for _, p := range []struct{ name, path string }{{"02-dashboard", "/"}, {"04-roster", "/roster"}, {"07-providers", "/providers"},
		{"08-packages", "/packages"}, {"09-exports", "/exports"}, {"11-dashboard-en", "/?lang=en"}, {"12-dashboard-tablet", "/?lang=zh"}} {
		if strings.HasSuffix(p.name, "tablet") {
			tasks = append(tasks, chromedp.EmulateViewport(820, 1180))
		}
		tasks = append(tasks, chromedp.Navigate(u+p.path), chromedp.WaitVisible(css(`main`)), shoot(p.name))
	}
	tasks = append(tasks, chromedp.EmulateViewport(1366, 768),
		chromedp.Navigate(u+"/login"), chromedp.SendKeys(css(`#name`), servertest.CityViewer), chromedp.SendKeys(css(`#password`), servertest.Password),
		// Wait for the city's menu, which only a signed-in page has: waiting for <main> returned on
		// the login page itself, and navigating on cancelled a login still hashing its password.
		chromedp.Click(css(`#login`)), chromedp.WaitVisible(css(`nav a[href="/city"]`)), chromedp.Navigate(u+"/city"), chromedp.WaitVisible(css(`#city`)), shoot("10-city"))
	if err := chromedp.Do(ctx, tasks...); err != nil {
		t.Errorf("screenshots: %v", err)
	}
}
