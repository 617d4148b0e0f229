package app

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2/test"

	"smartdiag/seal/sealtest"
	"smartdiag/tally"
	"smartdiag/tally/tallytest"
)

// exportName is the fixture's 193 non-diagnoses, named in Chinese as an export folder would be.
var exportName = regexp.MustCompile(`导出-\d+\.sdiag`)

// chineseLeft is the Chinese left in s once the proper names the small district carries (firms,
// streets, providers, the assessor, the export files) are taken out: what the English UI must
// not show.
func chineseLeft(s string) string {
	s = exportName.ReplaceAllString(s, "")
	for _, f := range []sealtest.Firm{tallytest.F1, tallytest.F2, tallytest.F3, tallytest.F4, tallytest.F5, tallytest.F6, tallytest.FX} {
		s = strings.ReplaceAll(s, f.Name, "")
		s = strings.ReplaceAll(s, f.Street, "")
	}
	for _, name := range []string{"甲服务商", "乙服务商", "丙服务商", "顾问"} {
		s = strings.ReplaceAll(s, name, "")
	}
	var left []rune
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) {
			left = append(left, r)
		}
	}
	return string(left)
}

// An English district import with a tampered file (D6), 193 files that are not diagnoses, a
// revision (D5 supersedes D4), then the same files again (duplicates, and 丙's refused once 丙
// is no longer trusted): the grouped import lines, their file lists, the to-do and roster columns and the
// figure lists read English; only proper names stay Chinese.
func TestDistrictReasonsInEnglish(t *testing.T) {
	ui, _ := newTestUI(t)
	setLanguage("en")
	ds := openSmallDistrict(t, ui)
	checkGroups := func(step string) {
		t.Helper()
		if txt := dialogText(ds.importBox); chineseLeft(txt) != "" {
			t.Errorf("%s: import lines keep %q: %s", step, chineseLeft(txt), txt)
		}
		for _, g := range ds.importGroups {
			ds.showImportFiles(g)
			if txt := dialogText(ui.win.Canvas().Overlays().Top()); chineseLeft(txt) != "" {
				t.Errorf("%s: files of %s/%s keep %q: %s", step, g.Result, g.Status, chineseLeft(txt), txt)
			}
			test.Tap(overlayButton(t, ui, "Close"))
		}
	}
	if txt := dialogText(ds.importBox); !strings.Contains(txt, "signature mismatch") || !strings.Contains(txt, "not a diagnosis document") {
		t.Errorf("import lines %q", txt)
	}
	checkGroups("first import")

	// The same documents again, from a copy of the district folder: skipped as duplicates.
	again := t.TempDir()
	stored, _ := filepath.Glob(filepath.Join(ds.dir, "*.sdiag"))
	for _, p := range stored {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(again, filepath.Base(p)), data, 0o644)
	}
	ds.importPaths([]string{again})
	// 丙 is no longer trusted: its diagnosis is refused this time, the others are duplicates.
	results := map[string]int{}
	for _, g := range ds.importGroups {
		results[g.Result+"/"+g.Status] += g.Count
	}
	if results["skipped/valid"] != len(stored)-1 || results["rejected/unknown_signer"] != 1 {
		t.Fatalf("second import %v", results)
	}
	if txt := dialogText(ds.importBox); !strings.Contains(txt, "already imported (same content)") || !strings.Contains(txt, "not on the trust list") {
		t.Errorf("duplicates %q", txt)
	}
	checkGroups("second import")

	for _, r := range ds.todo.table.rows {
		if left := chineseLeft(r[6]); left != "" {
			t.Errorf("to-do situation %q keeps %q", r[6], left)
		}
	}
	for _, r := range ds.rosterFirms.table.rows {
		if left := chineseLeft(r[5] + r[7]); left != "" {
			t.Errorf("roster status %q, detail %q keep %q", r[5], r[7], left)
		}
	}
	for _, fig := range []tally.Figure{
		{Kind: tally.FigProviderRejected, Key: "丙服务商"},
		{Kind: tally.FigProviderEarlier, Key: "乙服务商"},
		{Kind: tally.FigProviderCounted, Key: "乙服务商"},
	} {
		test.Tap(ds.figures[fig])
		if len(ds.figureRows) == 0 {
			t.Errorf("%v: no lines", fig)
		}
		for _, r := range ds.figureRows {
			if left := chineseLeft(r[3]); left != "" {
				t.Errorf("%v: detail %q keeps %q", fig, r[3], left)
			}
		}
		test.Tap(overlayButton(t, ui, "Close"))
	}
}
