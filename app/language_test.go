package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// The UI language is the running app's preference, not package state: an app whose preferences
// say English starts in English, a fresh app after it starts in Chinese with nothing reset in
// between, and the settings screen's choice is what T reads from then on.
func TestLanguageBelongsToTheApp(t *testing.T) {
	en := test.NewTempApp(t)
	en.Preferences().SetString(prefWorkspace, t.TempDir())
	en.Preferences().SetString(prefLang, "en")
	ui := New(en)
	homeLoaded(t, ui)
	if got := ui.win.Title(); got != "Smart-Manufacturing Diagnosis" {
		t.Fatalf("app with lang=en: title %q", got)
	}

	ui, _ = newTestUI(t) // a new app, default preferences
	if got := ui.win.Title(); got != Title || language() != "zh" {
		t.Fatalf("a new app after an English one: title %q, language %q", got, language())
	}

	test.Tap(ui.home.settingsBtn)
	ui.settings.lang.SetSelected("English")
	test.Tap(ui.settings.save)
	if got := ui.app.Preferences().String(prefLang); got != "en" {
		t.Fatalf("settings saved lang %q", got)
	}
	if got := ui.win.Title(); got != "Smart-Manufacturing Diagnosis" || T("保存") != "Save" {
		t.Fatalf("after choosing English: title %q, T(保存) %q", got, T("保存"))
	}

	// Read on every lookup: the preference alone switches T, nothing cached beside it.
	ui.app.Preferences().SetString(prefLang, "zh")
	if T("保存") != "保存" {
		t.Errorf("lang=zh in the preferences, T(保存) = %q", T("保存"))
	}
	ui.app.Preferences().SetString(prefLang, "fr")
	if language() != "zh" {
		t.Errorf("an unknown language preference gives %q, want zh", language())
	}
}

// A malformed document opened in the English UI is reported in English: the error is typed
// (assessment) and the dialog makes the message in the UI's language.
func TestMalformedDocumentInEnglish(t *testing.T) {
	ui, _ := newTestUI(t)
	setLanguage("en")
	path := filepath.Join(t.TempDir(), "broken.sdiag")
	if err := os.WriteFile(path, []byte(`{"format": "smartdiag.diagnosis/1", "id": "x"`), 0o644); err != nil {
		t.Fatal(err)
	}
	ui.openPath(path)
	top := ui.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no error shown")
	}
	txt := dialogText(top)
	// Fyne's error dialog capitalises the message; its own button and title follow the system
	// locale, not the app's choice.
	if !strings.Contains(strings.ToLower(txt), "broken.sdiag: the file is incomplete") || strings.Contains(txt, "文件不完整") {
		t.Errorf("English UI shows %q", txt)
	}
}
