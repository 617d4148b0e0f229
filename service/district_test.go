package service

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/district"
	"smartdiag/questionnaires"
	"smartdiag/seal"
	"smartdiag/seal/sealtest"
)

// A tally through the service reads the roster with the profile's categories (here a fourth
// one with its own alias), names a missing path, and exports under the district's own name.
func TestTallyWithProfileRosterAndExport(t *testing.T) {
	d, err := questionnaires.ParseDistrict([]byte("format: smartdiag.district/1\nname: 某市某区\nstreets: [甲街道, 乙街道]\n" +
		"categories:\n  - key: 规上工业企业\n  - key: 专精特新企业\n    aliases: [专精特新]\n"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	csv := filepath.Join(dir, "名册.csv")
	rows := "企业名称,统一社会信用代码,所属街道,企业类型\n" +
		"某甲机械有限公司," + sealtest.Code(1) + ",甲街道,专精特新\n" +
		"某乙电子有限公司," + sealtest.Code(2) + ",乙街道,规上\n"
	if err := os.WriteFile(csv, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	docs := filepath.Join(dir, "docs")
	doc := sealtest.Variant(t, 0, sealtest.Firm{Name: "某甲机械有限公司", Code: sealtest.Code(1), Street: "甲街道", Categories: []string{"专精特新企业"}}, fixed)
	data, err := seal.Seal(doc, sealtest.Key("甲"), assessment.Signer{Name: "测试顾问"}, fixed)
	if err != nil {
		t.Fatal(err)
	}
	sealtest.WriteFile(t, filepath.Join(docs, doc.ID+".sdiag"), data)

	svc := &Service{Now: func() time.Time { return fixed.Add(24 * time.Hour) }}
	res, err := svc.Tally(TallyRequest{Paths: []string{docs}, RosterPath: csv, District: d, Trust: sealtest.TrustOf("甲")})
	if err != nil {
		t.Fatal(err)
	}
	if res.District != "某市某区" || res.Roster == nil || res.Roster.Valid != 2 {
		t.Fatalf("district %q roster %+v", res.District, res.Roster)
	}
	if c := res.Coverage.ByCategory["专精特新企业"]; c.Diagnosed != 1 || c.Target == nil || *c.Target != 1 {
		t.Fatalf("专精特新企业: %+v", c)
	}
	if _, err := svc.Tally(TallyRequest{Paths: []string{filepath.Join(dir, "none")}}); err == nil || !strings.Contains(err.Error(), "none") {
		t.Fatalf("missing path: %v", err)
	}

	name := ExportName(res, ".xlsx", fixed)
	if !strings.HasPrefix(name, "某市某区") || strings.Contains(name, "江宁") || !strings.HasSuffix(name, ".xlsx") {
		t.Errorf("export name %q", name)
	}
	for _, ext := range []string{".xlsx", ".pdf"} {
		p := filepath.Join(dir, "out"+ext)
		if err := ExportTally(res, p); err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Fatalf("%s not written: %v", ext, err)
		}
	}
	if err := ExportTally(res, filepath.Join(dir, "out.docx")); !errors.Is(err, ErrExportType) || CanExport("a.docx") || !CanExport("A.PDF") {
		t.Errorf("docx: %v", err)
	}
}

func TestLoadProfileAndImportLabels(t *testing.T) {
	if d, err := LoadProfile(""); err != nil || d != questionnaires.BundledDistrict() {
		t.Fatalf("empty path: %v", err)
	}
	if _, err := LoadProfile(filepath.Join(t.TempDir(), "none.yaml")); err == nil || !strings.Contains(err.Error(), "none.yaml") {
		t.Fatalf("missing profile: %v", err)
	}
	for r, want := range map[string]string{district.ImportImported: "已导入", district.ImportSkipped: "已存在，跳过",
		district.ImportConflict: "冲突", district.ImportRejected: "拒收"} {
		if got := ImportResultLabel(r); got != want {
			t.Errorf("%s: %q", r, got)
		}
	}
}

// NoteProfile notes, for documents that are in the folder only, a street or category the profile
// does not have; a refused document and a firm the profile knows get none.
func TestNoteProfile(t *testing.T) {
	d, err := questionnaires.ParseDistrict([]byte("format: smartdiag.district/1\nname: 某市某区\nstreets: [甲街道, 乙街道]\n" +
		"categories:\n  - key: 规上工业企业\n  - key: 专精特新企业\n"))
	if err != nil {
		t.Fatal(err)
	}
	log := &district.ImportLog{Entries: []district.ImportEntry{
		{Result: district.ImportImported, Street: "甲街道", Categories: []string{"专精特新企业"}},
		{Result: district.ImportSkipped, Street: "东山街道", Categories: []string{"规上工业企业", "高成长性企业"}},
		{Result: district.ImportImported},
		{Result: district.ImportRejected, Street: "东山街道"},
		{Result: district.ImportConflict, Street: "东山街道"},
	}}
	NoteProfile(log, d)
	want := [][]string{
		nil,
		{"街道「东山街道」不是区县画像（某市某区）的街道", "企业类别「高成长性企业」不是区县画像（某市某区）的类别"},
		{"街道「（未填）」不是区县画像（某市某区）的街道"},
		nil, nil,
	}
	for i, e := range log.Entries {
		if strings.Join(e.Notes, "|") != strings.Join(want[i], "|") {
			t.Errorf("entry %d (%s): notes %q, want %q", i, e.Result, e.Notes, want[i])
		}
	}
}
