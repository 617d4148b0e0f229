package app

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestMainWindowTitle(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefWorkspace, t.TempDir())
	ui := New(a)
	defer ui.win.Close()
	if ui.win.Title() != Title {
		t.Errorf("title %q, want %q", ui.win.Title(), Title)
	}
	if newTheme("system").Font(fyne.TextStyle{Bold: true}) != fontResource {
		t.Error("the theme does not use the bundled CJK font")
	}
}

// Every string the UI passes to T has an English translation.
func TestEveryStringTranslated(t *testing.T) {
	loadTranslations()
	files, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`\b(?:Tf?|ui\.info|ui\.confirm)\("((?:[^"\\]|\\.)*)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, _ := os.ReadFile(f)
		for _, m := range re.FindAllSubmatch(src, -1) {
			key, err := strconv.Unquote(`"` + string(m[1]) + `"`)
			if err != nil {
				t.Fatal(err)
			}
			if english[key] == "" {
				t.Errorf("%s: %q has no English translation in assets/translations/en.json", f, key)
			}
		}
	}
}
