package app

import (
	"encoding/json"
	"fmt"
	"sync"

	"fyne.io/fyne/v2/lang"

	"smartdiag/assets"
)

// The UI is written in Chinese; T looks a string up in the English table when the user chose
// English. The tables are registered with Fyne's lang package too, so Fyne's own widgets follow
// the system locale. Fyne picks its locale from the system at start-up and cannot be switched at
// run time, which is why the app keeps its own choice here.

var (
	i18nOnce sync.Once
	english  map[string]string
	current  = "zh"
	i18nMu   sync.RWMutex
)

func loadTranslations() {
	i18nOnce.Do(func() {
		english = map[string]string{}
		if err := json.Unmarshal(assets.TranslationsEN, &english); err != nil {
			panic(fmt.Sprintf("embedded translations: %v", err)) // covered by tests; a build defect
		}
		lang.AddTranslationsForLocale(assets.TranslationsEN, "en")
		lang.AddTranslationsForLocale(assets.TranslationsZH, "zh")
	})
}

// setLanguage chooses "zh" or "en" for T.
func setLanguage(l string) {
	loadTranslations()
	i18nMu.Lock()
	defer i18nMu.Unlock()
	if l != "en" {
		l = "zh"
	}
	current = l
}

func language() string {
	i18nMu.RLock()
	defer i18nMu.RUnlock()
	return current
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
