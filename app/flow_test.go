package app

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
	"smartdiag/demo"
	q "smartdiag/questionnaires"
	"smartdiag/seal"
)

var screenshots = flag.String("screenshots", "", "write a PNG of every screen to this folder")

// mainLoop, when set (guideshots_test.go, on a real display), runs the tests beside the app's
// event loop, which must own the main thread.
var mainLoop func(m *testing.M) int

func TestMain(m *testing.M) {
	background = func(f func()) { f() }
	if mainLoop != nil {
		os.Exit(mainLoop(m))
	}
	os.Exit(m.Run())
}

// newTestUI builds the app on Fyne's test driver with an empty workspace in a temp folder.
func newTestUI(t *testing.T) (*UI, string) {
	t.Helper()
	a := test.NewTempApp(t)
	dir := t.TempDir()
	a.Preferences().SetString(prefWorkspace, dir)
	a.Preferences().SetString(prefAssessor, "沈立新")
	a.Preferences().SetString(prefOrg, "江苏智造诊断服务有限公司")
	ui := New(a)
	ui.win.Resize(fyne.NewSize(1366, 768))
	homeLoaded(t, ui)
	return ui, dir
}

// shot writes the window as a PNG when -screenshots is given.
func shot(t *testing.T, ui *UI, name string) {
	if *screenshots == "" {
		return
	}
	ui.win.Resize(fyne.NewSize(1366, 768))
	img := ui.win.Canvas().Capture()
	os.MkdirAll(*screenshots, 0o755)
	f, err := os.Create(filepath.Join(*screenshots, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	png.Encode(f, img)
}

func readDoc(t *testing.T, dir, id string) *assessment.Document {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, id+assessment.Ext))
	if err != nil {
		t.Fatal(err)
	}
	d, err := assessment.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func typeKey(ui *UI, k fyne.KeyName) { ui.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k}) }
func typeRune(ui *UI, r rune)        { ui.win.Canvas().OnTypedRune()(r) }

func TestNewEnterpriseAndKeyboardDiagnosis(t *testing.T) {
	ui, dir := newTestUI(t)
	shot(t, ui, "01-home-empty")
	test.Tap(ui.home.newBtn)
	f := ui.enterprise
	if f == nil {
		t.Fatal("enterprise form not shown")
	}
	test.Type(f.name, "南京恒拓精密机械有限公司")
	test.Type(f.code, "91350100M000100Y44") // wrong check character
	if !strings.Contains(f.codeHint.Text, "校验位错误") {
		t.Errorf("hint %q does not explain the check character", f.codeHint.Text)
	}
	f.categories.SetSelected([]string{"规上工业企业"})
	f.street.SetSelected("秣陵街道")
	shot(t, ui, "02-enterprise-invalid")
	test.Tap(f.next)
	if ui.newDiag != nil {
		t.Fatal("an invalid credit code was accepted")
	}
	if top := ui.win.Canvas().Overlays().Top(); top == nil {
		t.Error("no error shown for the invalid code")
	} else {
		top.Hide() // the consultant dismisses the error
		ui.win.Canvas().Overlays().Remove(top)
	}
	f.code.SetText("")
	test.Type(f.code, "91350100m000100y43") // lower case is normalised
	if !strings.Contains(f.codeHint.Text, "校验位正确") {
		t.Errorf("hint %q", f.codeHint.Text)
	}
	test.Tap(f.next)
	if ui.newDiag == nil {
		t.Fatal("a valid enterprise did not lead to the new-diagnosis screen")
	}
	shot(t, ui, "03-new-diagnosis")
	test.Tap(ui.newDiag.start)
	w := ui.wizard
	if w == nil {
		t.Fatal("wizard not shown")
	}
	id := w.s.Doc.ID
	if got := readDoc(t, dir, id); got.Enterprise.CreditCode != "91350100M000100Y43" || got.Status != assessment.StatusDraft {
		t.Fatalf("new document on disk: %+v", got.Enterprise)
	}
	first := w.current().ID
	typeRune(ui, '1') // 全部满足
	shot(t, ui, "04-wizard")
	if got := readDoc(t, dir, id).Answer(first); got == nil || string(got.Value) != `"full"` {
		t.Fatalf("after key 1, %s on disk = %v", first, got)
	}
	typeKey(ui, fyne.KeyRight)
	second := w.current().ID
	if second == first {
		t.Fatal("→ did not move")
	}
	typeRune(ui, '3') // 部分满足
	typeKey(ui, fyne.KeyReturn)
	third := w.current().ID
	typeRune(ui, '0') // 不适用
	if d := readDoc(t, dir, id); string(d.Answer(second).Value) != `"part"` || string(d.Answer(third).Value) != `"na"` {
		t.Fatalf("answers on disk: %s=%s %s=%s", second, d.Answer(second).Value, third, d.Answer(third).Value)
	}
	typeKey(ui, fyne.KeyLeft)
	if w.current().ID != second {
		t.Errorf("← went to %s, want %s", w.current().ID, second)
	}
	// A note is saved too (on leaving the item at the latest).
	test.Type(w.note, "现场查看了规划文件。")
	typeKey(ui, fyne.KeyRight)
	if d := readDoc(t, dir, id); d.Answers[second].Note != "现场查看了规划文件。" {
		t.Errorf("note on disk %q", d.Answers[second].Note)
	}
	// N jumps to the next unanswered item.
	typeRune(ui, 'n')
	if w.s.Doc.Answer(w.current().ID) != nil {
		t.Errorf("N went to an answered item %s", w.current().ID)
	}
	if !strings.HasPrefix(w.saveState.Text, "已保存") {
		t.Errorf("save state %q", w.saveState.Text)
	}

	// The app is killed here: a new start on the same workspace offers to continue at this item.
	at := w.current().ID
	ui.ws.ReleaseAll() // the operating system drops a killed process's locks
	ui2 := New(ui.app)
	homeLoaded(t, ui2)
	s, item := ui2.recoverable()
	if s == nil || s.Doc.ID != id || item != at {
		t.Fatalf("recovery offered %v at %q, want %s at %s", s, item, id, at)
	}
	if a, _ := s.Progress(s.Visible()); a != 3 {
		t.Errorf("recovered document has %d answers, want 3", a)
	}
	ui2.showWizard(s, item)
	if ui2.wizard.current().ID != at {
		t.Errorf("recovered at %s, want %s", ui2.wizard.current().ID, at)
	}
}

// finishedDraft writes a fully answered cmmm-full draft into the workspace.
func finishedDraft(t *testing.T, ui *UI) *assessment.Session {
	t.Helper()
	qn, _ := q.Lookup("cmmm-full", "")
	docs, err := demo.Generate(demo.Options{Count: 1, Seed: 42, Questionnaire: qn})
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	d.Status, d.Finished = assessment.StatusDraft, nil
	s, err := assessment.NewSession(ui.ws, d, qn)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestResultsPlanFinishAndReport(t *testing.T) {
	ui, dir := newTestUI(t)
	s := finishedDraft(t, ui)
	ui.showHome()
	homeLoaded(t, ui)
	shot(t, ui, "05-home")
	ui.showResults(s)
	if len(ui.results.missing) != 0 {
		t.Errorf("missing %v", ui.results.missing)
	}
	shot(t, ui, "06-results")
	ui.showPlan(s)
	p := ui.plan
	if len(p.actions) == 0 {
		t.Fatal("no plan actions")
	}
	first := p.actions[0]
	if err := s.EditAction(first.ItemID, assessment.ActionEdit{Exclude: true}, time.Now()); err != nil {
		t.Fatal(err)
	}
	shot(t, ui, "07-plan")
	if d := readDoc(t, dir, s.Doc.ID); d.Plan == nil || !d.Plan.Actions[first.ItemID].Exclude {
		t.Error("plan edit not saved")
	}
	ui.showFinish(s)
	f := ui.finish
	test.Type(f.rep, "王建国")
	test.Tap(f.finishBtn)
	test.Tap(overlayButton(t, ui, "完成")) // finishing cannot be undone, so it is confirmed
	d := readDoc(t, dir, s.Doc.ID)
	if d.Status != assessment.StatusFinished || d.Confirmation == nil || d.Confirmation.Name != "王建国" {
		t.Fatalf("after finishing: status %s confirmation %+v", d.Status, d.Confirmation)
	}
	// Seal with a fresh key: the file on disk verifies (its signer is not on any trust list here).
	t.Setenv("SMARTDIAG_CONFIG", t.TempDir())
	ui.seal(s)
	f = ui.finish
	sealed, _ := os.ReadFile(filepath.Join(dir, s.Doc.ID+assessment.Ext))
	if v := seal.Verify(sealed, nil); v.Status != seal.VerifyUnknownSigner {
		t.Errorf("sealed file verifies as %s: %s", v.Status, v.Reason)
	}
	test.Tap(f.reportBtn)
	waitFor(t, func() bool { return f.reportPath != "" })
	shot(t, ui, "08-finish")
	if st, err := os.Stat(f.reportPath); err != nil || st.Size() < 10_000 {
		t.Errorf("report %s: %v", f.reportPath, err)
	}
}

func TestSettingsSwitchToEnglish(t *testing.T) {
	ui, _ := newTestUI(t)
	test.Tap(ui.home.settingsBtn)
	st := ui.settings
	st.lang.SetSelected("English")
	test.Tap(st.save)
	homeLoaded(t, ui)
	if ui.home.newBtn.Text != "New enterprise" {
		t.Errorf("after switching to English the button says %q", ui.home.newBtn.Text)
	}
	s := finishedDraft(t, ui)
	ui.showHome()
	homeLoaded(t, ui)
	shot(t, ui, "en-05-home")
	ui.showWizard(s, "")
	shot(t, ui, "en-04-wizard")
	ui.showResults(s)
	shot(t, ui, "en-06-results")
	ui.showPlan(s)
	shot(t, ui, "en-07-plan")
	ui.showSettings()
	shot(t, ui, "en-09-settings")
}

// homeLoaded waits until the home screen has read the workspace in the background, so no
// goroutine of this test outlives it.
func homeLoaded(t *testing.T, ui *UI) {
	t.Helper()
	h := ui.home
	waitFor(t, func() bool { return h.progress.Hidden })
}

// waitFor polls a condition set by a background goroutine (report generation, workspace loading).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		done := false
		fyne.DoAndWait(func() { done = cond() }) // on the UI goroutine, like the code that sets it
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The points questionnaire's item types are answered through their widgets and saved.
func TestPointsQuestionnaireWidgets(t *testing.T) {
	ui, dir := newTestUI(t)
	qn, _ := q.Lookup("sme-2024", "")
	d, _ := assessment.NewDocument(qn, assessment.Enterprise{Name: "南京测试塑胶有限公司", CreditCode: "91350100M000100Y43",
		Categories: []string{"新开工企业"}, ProductionType: "mixed"}, ui.assessor(), time.Now())
	s, err := assessment.NewSession(ui.ws, d, qn)
	if err != nil {
		t.Fatal(err)
	}
	ui.showWizard(s, "")
	w := ui.wizard
	seen := map[string]bool{}
	for i, it := range w.items {
		if seen[it.Type] {
			continue
		}
		w.pos = i
		w.show()
		box := w.answerBox.Objects
		switch it.Type {
		case q.TypeSingle:
			rg := box[0].(*widget.RadioGroup)
			rg.SetSelected(it.Options[1].Label)
		case q.TypeMulti:
			cg := box[0].(*widget.CheckGroup)
			last := it.Options[len(it.Options)-1] // 以上均未应用, exclusive
			cg.SetSelected([]string{it.Options[0].Label, it.Options[1].Label})
			cg.SetSelected([]string{it.Options[0].Label, it.Options[1].Label, last.Label})
			if !last.Exclusive || len(cg.Selected) != 1 || cg.Selected[0] != last.Label {
				t.Errorf("choosing %s left %v selected", last.Label, cg.Selected)
			}
			cg.SetSelected([]string{last.Label, it.Options[0].Label})
			if len(cg.Selected) != 1 || cg.Selected[0] != it.Options[0].Label {
				t.Errorf("choosing another option after the exclusive one left %v", cg.Selected)
			}
			cg.SetSelected([]string{it.Options[0].Label, it.Options[1].Label})
		case q.TypeNumber:
			test.Type(w.numberEntry, "500") // out of range for a percentage: refused with a hint
			if it.Unit == "%" && !strings.Contains(w.numberHint.Text, "超出范围") {
				t.Errorf("%s: hint %q", it.ID, w.numberHint.Text)
			}
			w.numberEntry.SetText("")
			test.Type(w.numberEntry, "45")
		case q.TypeScenario:
			rg := box[0].(*widget.RadioGroup)
			rg.SetSelected(rg.Options[2])
		}
		seen[it.Type] = true
		if it.Type == q.TypeMulti {
			shot(t, ui, "13-points-multi")
		}
	}
	got := readDoc(t, dir, d.ID)
	answered := 0
	for range got.Answers {
		answered++
	}
	if answered != 4 {
		t.Errorf("%d answers on disk, want one per item type (4): %v", answered, got.Answers)
	}
}

// A document opened from outside the workspace (a double-click) is copied in byte for byte and
// shown; a different version with the same id is never overwritten.
func TestOpenDocumentFromOutside(t *testing.T) {
	ui, dir := newTestUI(t)
	qn, _ := q.Lookup("zgsz-quick", "")
	docs, _ := demo.Generate(demo.Options{Count: 1, Seed: 3, Questionnaire: qn})
	data, _ := docs[0].Encode()
	outside := filepath.Join(t.TempDir(), "收到的诊断.sdiag")
	os.WriteFile(outside, data, 0o644)
	ui.openPath(outside)
	if ui.results == nil {
		t.Fatal("a finished document did not open on its results")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, docs[0].ID+assessment.Ext)); !bytes.Equal(got, data) {
		t.Error("the workspace copy differs from the opened file")
	}
	docs[0].Enterprise.Phone = "13900000000"
	other, _ := docs[0].Encode()
	os.WriteFile(outside, other, 0o644)
	ui.openPath(outside)
	if got, _ := os.ReadFile(filepath.Join(dir, docs[0].ID+assessment.Ext)); !bytes.Equal(got, data) {
		t.Error("a different version overwrote the workspace copy")
	}
}

// Two app instances on one workspace: the second cannot open the draft the first is editing and
// is told why; once the first returns home, the second can open it.
func TestSecondInstanceCannotEditAnOpenDraft(t *testing.T) {
	ui, dir := newTestUI(t)
	s := finishedDraft(t, ui)
	ui.showWizard(s, "")

	a2 := test.NewTempApp(t)
	a2.Preferences().SetString(prefWorkspace, dir)
	ui2 := New(a2)
	homeLoaded(t, ui2)
	ui2.openDocument(s.Doc.ID, "")
	if ui2.wizard != nil || ui2.results != nil {
		t.Fatal("the second instance opened a draft the first is editing")
	}
	top := ui2.win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(dialogText(top), "另一个 smartdiag 窗口") {
		t.Fatalf("the second instance was not told why")
	}
	top.Hide()
	ui2.win.Canvas().Overlays().Remove(top)

	ui.showHome()
	homeLoaded(t, ui)
	ui2.openDocument(s.Doc.ID, "")
	if ui2.wizard == nil {
		t.Fatal("the draft stays locked after the first instance left it")
	}
	// Now the first instance's old session cannot write over the second's edits.
	if err := s.Answer(ui2.wizard.current().ID, "full", time.Now()); err == nil {
		t.Error("a session whose window left the document still saved")
	}
}

// dialogText collects the text of every label and rich text in an overlay.
func dialogText(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			b.WriteString(w.Text)
		case *widget.RichText:
			b.WriteString(w.String())
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return b.String()
}
