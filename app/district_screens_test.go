package app

import (
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"smartdiag/district"
	"smartdiag/seal"
	"smartdiag/seal/sealtest"
	"smartdiag/tally"
	"smartdiag/tally/tallytest"
)

// openSmallDistrict opens the district screen on tally's hand-checked small district: six roster
// firms, imported from a folder that also holds 193 copies of a file that is not a diagnosis,
// while providers 甲, 乙 and 丙 were trusted; then the office removes 丙 from the trust list, so
// 丙's diagnosis of F5 is in the workspace but not counted. D6 (tampered) is refused at import.
func openSmallDistrict(t *testing.T, ui *UI) *districtScreen {
	t.Helper()
	t.Setenv(seal.EnvConfig, t.TempDir())
	ui.app.Preferences().SetString(prefDistrictDir, filepath.Join(t.TempDir(), "district"))
	s := tallytest.WriteSmallDistrict(t)
	for i := range 193 {
		os.WriteFile(filepath.Join(s.Dir, fmt.Sprintf("导出-%03d.sdiag", i)), []byte(`{"note":"not a diagnosis"}`), 0o644)
	}
	ui.showDistrict()
	ds := ui.district
	for _, p := range []string{"甲服务商", "乙服务商", "丙服务商"} {
		pub, _ := seal.NewPublicKeyFile(sealtest.Key(p).Public().(ed25519.PublicKey), seal.Signer{Name: "顾问", Organisation: p}, time.Now()).Encode()
		if _, err := ds.trust.AddKey(pub, p, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	// The small district's roster as the office's spreadsheet would have it, with contacts.
	var csv strings.Builder
	csv.WriteString("序号,企业名称,统一社会信用代码,所属街道,企业类型,行业类别,联系人,联系电话\n")
	for i, f := range []sealtest.Firm{tallytest.F1, tallytest.F2, tallytest.F3, tallytest.F4, tallytest.F5, tallytest.F6} {
		fmt.Fprintf(&csv, "%d,%s,%s,%s,%s,%s,%s,%s\n", i+1, f.Name, f.Code, f.Street, strings.Join(f.Categories, "、"), f.Industry,
			[]string{"王建国", "李娜", "张伟", "刘洋", "陈静", "赵磊"}[i], fmt.Sprintf("1391234%04d", 5600+i))
	}
	rosterPath := filepath.Join(t.TempDir(), "江宁区2026年名册.csv")
	os.WriteFile(rosterPath, []byte(csv.String()), 0o644)
	if !ds.loadRoster(rosterPath) {
		t.Fatal("roster not loaded")
	}
	ds.importPaths([]string{s.Dir})
	if _, err := ds.trust.Remove("丙服务商"); err != nil {
		t.Fatal(err)
	}
	ds.refresh()
	return ds
}

// The import tab shows one line per outcome and reason with its count (193 identical reasons
// are one line), and the files of a line on request; the verified files are on disk.
func TestDistrictImportMessagesGroupedByReason(t *testing.T) {
	ui, _ := newTestUI(t)
	ds := openSmallDistrict(t, ui)
	stored, _ := filepath.Glob(filepath.Join(ds.dir, "*.sdiag"))
	if len(stored) != 7 { // all but D6, tampered
		t.Fatalf("district workspace holds %d documents: %v", len(stored), stored)
	}
	g := ds.importGroups
	if len(g) == 0 || g[0].Result != district.ImportRejected || g[0].Count != 193 {
		t.Fatalf("first import line %+v", g)
	}
	total := 0
	for _, x := range g {
		total += x.Count
	}
	if total != 201 || len(g) > 5 {
		t.Fatalf("%d import lines for %d files", len(g), total)
	}
	if !strings.Contains(dialogText(ds.importBox), "拒收　193 个") {
		t.Errorf("import tab: %s", dialogText(ds.importBox))
	}
	ds.tabs.SelectIndex(2)
	shot(t, ui, "22-district-import-grouped")
	test.Tap(findButton(t, ds.importBox, "查看文件…"))
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "193 个") {
		t.Fatalf("files dialog %q", txt)
	}
	shot(t, ui, "23-district-import-files")
	test.Tap(overlayButton(t, ui, "关闭"))
}

// The to-do list counts the roster firms without a counted diagnosis and narrows by search,
// street, category and provider, with contact columns; the roster tab lists every firm.
func TestDistrictToDoAndRosterTabs(t *testing.T) {
	ui, _ := newTestUI(t)
	ds := openSmallDistrict(t, ui)
	td := ds.todo
	if len(td.all) != 3 || !strings.Contains(ds.todoTab.Text, "（3）") || !strings.Contains(td.count.Text, "还有 3 家") {
		t.Fatalf("to-do: %d firms, tab %q, count %q", len(td.all), ds.todoTab.Text, td.count.Text)
	}
	names := func(rows []tally.FirmRow) string {
		var out []string
		for _, r := range rows {
			out = append(out, r.Name)
		}
		return strings.Join(out, ",")
	}
	test.Type(td.search, "六号")
	if names(td.shown) != tallytest.F6.Name || !strings.Contains(td.count.Text, "筛选后 1 家") {
		t.Fatalf("search: %s, %q", names(td.shown), td.count.Text)
	}
	td.search.SetText("")
	td.street.SetSelected("汤山街道")
	if names(td.shown) != tallytest.F4.Name+","+tallytest.F6.Name {
		t.Fatalf("street filter: %s", names(td.shown))
	}
	td.street.SetSelectedIndex(0)
	td.provider.SetSelected("丙服务商")
	if names(td.shown) != tallytest.F5.Name || !strings.Contains(td.table.rows[0][6], "签名者未受信任") {
		t.Fatalf("provider filter: %s %v", names(td.shown), td.table.rows)
	}
	td.provider.SetSelectedIndex(0)
	td.category.SetSelected("新开工企业")
	if names(td.shown) != tallytest.F4.Name+","+tallytest.F6.Name {
		t.Fatalf("category filter: %s", names(td.shown))
	}
	td.category.SetSelectedIndex(0)
	if len(td.table.rows) != 3 || len(td.table.rows[0]) != 7 {
		t.Fatalf("to-do table %v", td.table.rows)
	}
	ds.tabs.Select(ds.todoTab)
	shot(t, ui, "24-district-todo")

	rf := ds.rosterFirms
	if len(rf.all) != 6 || !strings.Contains(rf.count.Text, "名册 6 家：已诊断 3，已交未计入 1，未诊断 2") {
		t.Fatalf("roster tab: %d firms, %q", len(rf.all), rf.count.Text)
	}
	rf.status.SetSelected("已交，未计入")
	if names(rf.shown) != tallytest.F5.Name {
		t.Fatalf("status filter: %s", names(rf.shown))
	}
	rf.status.SetSelectedIndex(0)
	ds.tabs.SelectIndex(1)
	shot(t, ui, "25-district-roster-all")
}

// Every figure of the dashboard's indices and provider table opens the firms behind it, as
// many as the figure says.
func TestDistrictDashboardFiguresOpenTheirFirms(t *testing.T) {
	ui, _ := newTestUI(t)
	ds := openSmallDistrict(t, ui)
	r := ds.result
	if len(r.Tracks) != 3 {
		t.Fatalf("tracks %+v", r.Tracks)
	}
	for _, tr := range r.Tracks {
		b := ds.figures[tally.Figure{Kind: tally.FigTrackPast, Key: tr.Track}]
		if b == nil || !strings.Contains(b.Text, fmt.Sprintf(" %d 家", tr.Past)) {
			t.Fatalf("%s: button %v", tr.Track, b)
		}
		test.Tap(b)
		if len(ds.figureRows) != tr.Past {
			t.Errorf("%s: %d firms listed, figure %d", tr.Track, len(ds.figureRows), tr.Past)
		}
		test.Tap(overlayButton(t, ui, "关闭"))
	}
	b := ds.figures[tally.Figure{Kind: tally.FigProviderRejected, Key: "丙服务商"}]
	if b == nil || b.Text != "1" {
		t.Fatalf("丙 rejected button %v", b)
	}
	test.Tap(b)
	if len(ds.figureRows) != 1 || ds.figureRows[0][0] != tallytest.F5.Name || !strings.Contains(ds.figureRows[0][3], "签名者未受信任") {
		t.Fatalf("丙's files not counted: %v", ds.figureRows)
	}
	shot(t, ui, "26-district-figure-firms")
	test.Tap(overlayButton(t, ui, "关闭"))
	test.Tap(ds.figures[tally.Figure{Kind: tally.FigProviderCounted, Key: "乙服务商"}])
	if len(ds.figureRows) != r.Coverage.ByProvider["乙服务商"].Counted || len(ds.figureRows) != 2 {
		t.Fatalf("乙 counted: %v", ds.figureRows)
	}
	test.Tap(overlayButton(t, ui, "关闭"))
	ds.tabs.SelectIndex(0)
	shot(t, ui, "27-district-dashboard")
}

// The district screens and the wizard's thumbnails in English: headings, filters, counts and
// buttons read English.
func TestDistrictScreensInEnglish(t *testing.T) {
	ui, _ := newTestUI(t)
	setLanguage("en")
	ds := openSmallDistrict(t, ui)
	if ds.todoTab.Text != "To diagnose (3)" || ds.todo.count.Text != "3 roster firms have no counted diagnosis yet." {
		t.Errorf("to-do tab %q, count %q", ds.todoTab.Text, ds.todo.count.Text)
	}
	if ds.todo.street.Selected != "All streets" || ds.todo.category.Options[1] != "Above designated size" {
		t.Errorf("filters %q %v", ds.todo.street.Selected, ds.todo.category.Options)
	}
	if !strings.Contains(ds.rosterFirms.count.Text, "Roster of 6 firms: 3 diagnosed, 1 handed in but not counted, 2 not diagnosed.") {
		t.Errorf("roster count %q", ds.rosterFirms.count.Text)
	}
	if txt := dialogText(ds.dashboard); !strings.Contains(txt, "Diagnoses by provider") || !strings.Contains(txt, "index: mean") {
		t.Errorf("dashboard %q", txt)
	}
	if txt := dialogText(ds.importBox); !strings.Contains(txt, "Rejected: 193") {
		t.Errorf("import lines %q", txt)
	}
	shot(t, ui, "en-27-district-dashboard")
	ds.tabs.SelectIndex(1)
	shot(t, ui, "en-25-district-roster-all")
	ds.tabs.SelectIndex(2)
	shot(t, ui, "en-22-district-import-grouped")
	ds.tabs.Select(ds.todoTab)
	shot(t, ui, "en-24-district-todo")
}
