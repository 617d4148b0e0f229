// Package app is the Fyne desktop UI. It holds screens and widgets only; every rule it shows or
// applies comes from the domain packages (assessment, questionnaires, report).
package app

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
	q "smartdiag/questionnaires"
	"smartdiag/regfile"
	"smartdiag/seal"
	"smartdiag/usermsg"
)

// AppID matches the ID in FyneApp.toml; preferences and storage are keyed by it.
const AppID = "cn.gov.jiangning.smartdiag"

// Title is the window and application name.
const Title = "智改数转网联诊断"

// Preference keys.
const (
	prefAssessor  = "assessor.name"
	prefOrg       = "assessor.org"
	prefWorkspace = "workspace"
	prefLang      = "lang"
	prefTheme     = "theme"
)

// Run opens the main window and blocks until it is closed.
func Run() { run("") }

// run opens the main window, then the document at open (an absolute path) when given.
func run(open string) {
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(iconResource)
	ui := NewOpening(a, open)
	ui.win.ShowAndRun()
}

// UI is the running app: the window, the workspace and the current screen. Screens keep their
// widgets in structs so tests can drive them the way a user would.
type UI struct {
	app fyne.App
	win fyne.Window
	ws  *assessment.Workspace
	now func() time.Time

	home        *homeScreen
	enterprise  *enterpriseForm
	profileForm *profileScreen // the firm-profile screen last shown (tests read it)
	newDiag     *newDiagnosisScreen
	wizard      *wizardScreen
	results     *resultsScreen
	plan        *planScreen
	finish      *finishScreen
	settings    *settingsScreen
	district    *districtScreen
	syncForm    *syncSettings // the server section of the open settings screen
	syncing     bool          // a background sync is running

	profilePath string      // the district profile file profileData was read from
	profileData *q.District // nil until read
}

// prefProfile is the district profile file chosen in the settings; empty is the bundled profile.
const prefProfile = "district.profile"

// profile is the district profile chosen in the settings, else the bundled one. A profile that
// cannot be read is reported and the bundled one used.
func (ui *UI) profile() *q.District {
	path := ui.app.Preferences().String(prefProfile)
	if path == "" {
		return q.BundledDistrict()
	}
	if ui.profileData != nil && ui.profilePath == path {
		return ui.profileData
	}
	d, err := q.LoadDistrict(path)
	if err != nil {
		ui.showError(err)
		return q.BundledDistrict()
	}
	ui.profilePath, ui.profileData = path, d
	return d
}

// New builds the UI on an app (a real one, or fyne's test app in tests) and shows the home screen,
// offering to resume a draft that was open when the app last stopped.
func New(a fyne.App) *UI { return NewOpening(a, "") }

// NewOpening is New for a launch on a document: it opens the document at path (when not empty)
// instead of offering to resume a draft.
func NewOpening(a fyne.App, path string) *UI {
	ui := &UI{app: a, now: time.Now}
	loadTranslations()
	a.Settings().SetTheme(newTheme(a.Preferences().StringWithFallback(prefTheme, "light")))
	ui.win = a.NewWindow(T(Title))
	ui.win.Resize(fyne.NewSize(1280, 720))
	ui.win.SetMaster()
	if err := ui.openWorkspace(); err != nil {
		ui.win.SetContent(widget.NewLabel(err.Error()))
		return ui
	}
	ui.showHome()
	if path != "" {
		ui.openPath(path)
	} else {
		ui.offerRecovery()
	}
	return ui
}

// openPath opens a document given on the command line or by a double-click. A document from
// outside the workspace is copied in (its bytes unchanged, so a seal stays valid) and opened from
// there; the same id with other content already in the workspace is an error, never overwritten.
func (ui *UI) openPath(path string) {
	// regfile: a FIFO on the command line would otherwise freeze the window before it is shown.
	data, err := regfile.ReadFile(path, seal.MaxDocumentSize)
	if err != nil {
		ui.showError(err)
		return
	}
	d, _, err := assessment.Open(data)
	if err != nil {
		ui.showError(fmt.Errorf("%s：%w", filepath.Base(path), err))
		return
	}
	dst := ui.ws.Path(d.ID)
	if existing, err := os.ReadFile(dst); err == nil {
		if !bytes.Equal(existing, data) && filepath.Clean(path) != filepath.Clean(dst) {
			ui.showError(fmt.Errorf(T("工作区中已有这份诊断的另一个版本（%s），没有覆盖。"), dst))
			return
		}
	} else if err := assessment.WriteFileAtomic(dst, data); err != nil {
		ui.showError(err)
		return
	}
	ui.openDocument(d.ID, "")
}

func (ui *UI) workspaceDir() string {
	if dir := ui.app.Preferences().String(prefWorkspace); dir != "" {
		return dir
	}
	dir, err := assessment.DefaultWorkspace()
	if err != nil {
		return filepath.Join(os.TempDir(), "smartdiag")
	}
	return dir
}

func (ui *UI) openWorkspace() error {
	ws, err := assessment.OpenWorkspace(ui.workspaceDir())
	if err != nil {
		return err
	}
	if ui.ws != nil {
		ui.ws.ReleaseAll()
	}
	ui.ws = ws
	return nil
}

func (ui *UI) assessor() assessment.Assessor {
	p := ui.app.Preferences()
	return assessment.Assessor{Name: p.String(prefAssessor), Organisation: p.String(prefOrg)}
}

// setScreen replaces the window content and clears screen-level key handling.
func (ui *UI) setScreen(content fyne.CanvasObject) {
	c := ui.win.Canvas()
	c.SetOnTypedRune(nil)
	c.SetOnTypedKey(nil)
	ui.win.SetContent(content)
}

// showError shows an error in a dialog with a Chinese (or English) title; it never panics.
func (ui *UI) showError(err error) {
	if err == nil {
		return
	}
	// The message is made here, in the UI's language: typed errors (usermsg) carry both.
	d := dialog.NewError(errors.New(usermsg.Text(err, language())), ui.win)
	restore := ui.dialogKeys(d.Hide, d.Hide)
	d.SetOnClosed(restore)
	d.Show()
}

// info shows a message with an OK button in the chosen language.
func (ui *UI) info(title, msg string) {
	d := dialog.NewCustom(T(title), T("好"), widget.NewLabel(msg), ui.win)
	restore := ui.dialogKeys(d.Hide, d.Hide)
	d.SetOnClosed(restore)
	d.Show()
}

// confirm asks a yes/no question with buttons in the chosen language.
func (ui *UI) confirm(title, msg, yes string, onYes func()) {
	var restore func()
	d := dialog.NewCustomConfirm(T(title), T(yes), T("取消"), widget.NewLabel(msg), func(ok bool) {
		restore() // first: onYes may change the screen or open another dialog, which set their own keys
		if ok {
			onYes()
		}
	}, ui.win)
	restore = ui.dialogKeys(d.Confirm, d.Hide)
	d.Show()
}

// dialogKeys makes Enter run onEnter and Esc run onEsc while a dialog is open; other keys are
// swallowed, so a digit typed at a dialog does not answer the item behind it. The returned
// function puts the screen's own key handler back; call it once, when the dialog closes, before
// anything that may change the screen.
func (ui *UI) dialogKeys(onEnter, onEsc func()) (restore func()) {
	c := ui.win.Canvas()
	prev := c.OnTypedKey()
	done := false
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			onEnter()
		case fyne.KeyEscape:
			onEsc()
		}
	})
	return func() {
		if !done {
			done = true
			c.SetOnTypedKey(prev)
		}
	}
}

// recoverable returns the draft that was open when the app last stopped (closed or killed) and
// the item shown, or nil.
func (ui *UI) recoverable() (*assessment.Session, string) {
	pos, ok := ui.ws.LoadPosition()
	if !ok {
		return nil, ""
	}
	s, err := assessment.OpenSession(ui.ws, pos.Doc)
	if errors.Is(err, assessment.ErrInUse) {
		return nil, "" // another window is editing it; its position is still good
	}
	if err != nil || s.Doc.Status != assessment.StatusDraft {
		ui.ws.SavePosition(assessment.Position{})
		return nil, ""
	}
	return s, pos.Item
}

// offerRecovery offers to continue that draft at the same item.
func (ui *UI) offerRecovery() {
	s, item := ui.recoverable()
	if s == nil {
		return
	}
	a, n := s.Progress(s.Visible())
	msg := Tf("上次的诊断尚未完成：\n%s（%s）\n已答 %d / %d 题。是否从上次停下的题目继续？", s.Doc.Enterprise.Name, s.Q.TitleIn(language()), a, n)
	ui.confirm("继续上次的诊断", msg, "继续", func() { ui.showWizard(s, item) })
}

// rememberPosition records the open draft and item so a crash can be recovered from.
func (ui *UI) rememberPosition(docID, itemID string) {
	if err := ui.ws.SavePosition(assessment.Position{Doc: docID, Item: itemID}); err != nil {
		fyne.LogError("saving position", err)
	}
}

func (ui *UI) forgetPosition() { ui.ws.SavePosition(assessment.Position{}) }

// screenWithHeader frames a screen with a title bar holding a back button and extra actions.
func (ui *UI) screenWithHeader(title string, back func(), actions []fyne.CanvasObject, body fyne.CanvasObject) fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	left := []fyne.CanvasObject{}
	if back != nil {
		left = append(left, widget.NewButton("← "+T("返回"), back))
	}
	left = append(left, heading)
	bar := container.NewBorder(nil, nil, container.NewHBox(left...), container.NewHBox(actions...))
	return container.NewBorder(container.NewVBox(bar, widget.NewSeparator()), nil, nil, nil, body)
}

// RunWithFile is Run for a launch on a document (a double-click on a document, or
// "smartdiag FILE.sdiag"): the UI opens it once the window is up.
func RunWithFile(path string) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		fyne.LogError("opening document given on the command line", err)
	case !fi.Mode().IsRegular():
		fyne.LogError("opening document given on the command line: "+path+" is not a file", os.ErrInvalid)
	default:
		run(path)
		return
	}
	run("")
}
