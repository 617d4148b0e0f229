//go:build guideshots

package app

// The user guide's screenshots of issue 15's screens, taken from the real app (GLFW driver) on a
// display, normally Xvfb at 1366×768, with ImageMagick's `import -window root`:
//
//	Xvfb :98 -screen 0 1366x768x24 &
//	DISPLAY=:98 LANG=zh_CN.UTF-8 XDG_CONFIG_HOME=$(mktemp -d) GUIDE_SHOTS=$PWD/docs/images/guide \
//	  go test -tags migrated_fynedo,guideshots -run TestGuideShots ./app

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/test"

	"smartdiag/photo/phototest"
	"smartdiag/tally"
)

var guideApp fyne.App

func init() {
	mainLoop = func(m *testing.M) int {
		guideApp = fyneapp.NewWithID("smartdiag.guideshots")
		code := 0
		go func() {
			code = m.Run()
			fyne.Do(guideApp.Quit)
		}()
		guideApp.Run()
		return code
	}
}

func TestGuideShots(t *testing.T) {
	out := os.Getenv("GUIDE_SHOTS")
	if out == "" {
		t.Skip("GUIDE_SHOTS not set")
	}
	out, _ = filepath.Abs(out)
	capture := func(name string) {
		t.Helper()
		time.Sleep(1500 * time.Millisecond) // let queued UI work run and the frame be drawn
		if b, err := exec.Command("import", "-window", "root", filepath.Join(out, name+".png")).CombinedOutput(); err != nil {
			t.Fatalf("import: %v %s", err, b)
		}
	}
	langs := []string{"zh", "en"}
	if l := os.Getenv("GUIDE_LANGS"); l != "" {
		langs = []string{l}
	}
	for _, lang := range langs {
		prefix := ""
		if lang == "en" {
			prefix = "en-"
		}
		var ui *UI
		ws := t.TempDir()
		fyne.DoAndWait(func() {
			p := guideApp.Preferences()
			p.SetString(prefWorkspace, ws)
			p.SetString(prefAssessor, "沈立新")
			p.SetString(prefOrg, "江苏智造诊断服务有限公司")
			p.SetString(prefLang, lang)
			ui = New(guideApp)
			ui.win.Resize(fyne.NewSize(1366, 768))
			ui.win.Show()
		})
		// The wizard with two photos attached to the first item.
		fyne.DoAndWait(func() {
			s := finishedDraft(t, ui)
			ui.showWizard(s, "")
			w := ui.wizard
			for i, name := range []string{"车间铭牌.jpg", "设备台账照片.jpg"} {
				src := filepath.Join(t.TempDir(), name)
				os.WriteFile(src, phototest.JPEG(4000, 3000, []int{6, 1}[i], false), 0o644)
				w.evidencePicked(w.current(), src)
				test.Tap(overlayButton(t, ui, T("添加")))
			}
		})
		time.Sleep(time.Second)
		fyne.DoAndWait(func() {
			t.Logf("%s: %d evidence rows, attach enabled %v, evidence %q", lang, len(ui.wizard.evidenceRows), !ui.wizard.attach.Disabled(), ui.wizard.evidence.Text)
		})
		capture(prefix + "21-evidence-thumbnails")

		var ds *districtScreen
		fyne.DoAndWait(func() { ds = openSmallDistrict(t, ui) })
		capture(prefix + "27-district-dashboard")
		fyne.DoAndWait(func() { ds.tabs.SelectIndex(1) })
		capture(prefix + "25-district-roster-all")
		fyne.DoAndWait(func() { ds.tabs.SelectIndex(2) })
		capture(prefix + "22-district-import-grouped")
		fyne.DoAndWait(func() { ds.tabs.Select(ds.todoTab) })
		capture(prefix + "24-district-todo")
		fyne.DoAndWait(func() {
			ds.tabs.SelectIndex(0)
			ds.showFigure(tallyFigureProviderCounted("乙服务商"), "乙服务商 · "+T("计入企业"))
		})
		capture(prefix + "26-district-figure-firms")
		fyne.DoAndWait(func() { ui.win.Hide() }) // closing the first window would quit the app
	}
}

func tallyFigureProviderCounted(p string) tally.Figure {
	return tally.Figure{Kind: tally.FigProviderCounted, Key: p}
}
