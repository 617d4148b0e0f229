package app

import (
	"encoding/json"
	"fmt"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"smartdiag/assets"
)

// The UI is written in Chinese; T looks a string up in the English table when the user chose
// English. The tables are registered with Fyne's lang package too, so Fyne's own widgets follow
// the system locale. Fyne picks its locale from the system at start-up and cannot be switched at
// run time, which is why the app keeps its own choice.
//
// The choice is state of the running fyne.App, not of this package: the preference prefLang of
// fyne.CurrentApp(), written by the settings screen and read on every lookup. A second app (tests
// build many) carries its own choice, and nothing here has to be reset between them.

// english is the embedded English table, parsed at start; it never changes after.
var english = func() map[string]string {
	m := map[string]string{}
	if err := json.Unmarshal(assets.TranslationsEN, &m); err != nil {
		panic(fmt.Sprintf("embedded translations: %v", err)) // covered by tests; a build defect
	}
	return m
}()

// loadTranslations registers the tables with Fyne's lang package (once); NewOpening calls it
// before building widgets.
var loadTranslations = sync.OnceFunc(func() {
	lang.AddTranslationsForLocale(assets.TranslationsEN, "en")
	lang.AddTranslationsForLocale(assets.TranslationsZH, "zh")
})

// runningApp is the app the UI runs on (nil, with a line in Fyne's log, when there is none).
func runningApp() fyne.App { return fyne.CurrentApp() }

// setLanguage stores "zh" or "en" as the running app's UI language (what the settings screen
// saves); anything else is Chinese.
func setLanguage(l string) {
	if l != "en" {
		l = "zh"
	}
	if a := runningApp(); a != nil {
		a.Preferences().SetString(prefLang, l)
	}
}

// language is the running app's UI language, "zh" or "en".
func language() string {
	if a := runningApp(); a != nil && a.Preferences().String(prefLang) == "en" {
		return "en"
	}
	return "zh"
}

// T translates a Chinese UI string.
func T(zh string) string {
	if language() != "en" {
		return zh
	}
	if en, ok := english[zh]; ok && en != "" {
		return en
	}
	return zh
}

// Tf translates a format string and applies the arguments.
func Tf(zh string, args ...any) string { return fmt.Sprintf(T(zh), args...) }
