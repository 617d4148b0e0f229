package questionnaires

import (
	"os"
	"strings"
	"testing"
)

// TestBundledEnglish holds every bundled questionnaire outside EnglishExempt to complete English
// and lists, for the exempt ones, how much is missing.
func TestBundledEnglish(t *testing.T) {
	all := bundledByID(t)
	for id := range EnglishExempt {
		if all[id] == nil {
			t.Errorf("EnglishExempt names %s, which is not bundled", id)
		}
	}
	for _, id := range []string{"zgsz-quick", "cmmm-full"} {
		if EnglishExempt[id] {
			t.Errorf("%s is fully translated and must not be exempt", id)
		}
	}
	for id, q := range all {
		miss := MissingEnglish(q)
		if EnglishExempt[id] {
			t.Logf("%s: exempt, %d places without English", id, len(miss))
			continue
		}
		for _, p := range miss {
			t.Errorf("%s", p)
		}
	}
	for _, p := range MissingScenarioEnglish() {
		t.Errorf("%s", p)
	}
}

// TestBundledTranslationsFresh fails when the Chinese of a translated item changed after its
// English was written (the entry's zh hash no longer matches), outside EnglishExempt.
func TestBundledTranslationsFresh(t *testing.T) {
	all, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	errs, warns := ApplyTranslations(all, BundledTranslationFiles())
	for _, p := range errs {
		t.Errorf("%s", p)
	}
	for _, p := range warns {
		qid := strings.SplitN(strings.TrimPrefix(p.File, "questionnaires/i18n/"), ".", 2)[0]
		if EnglishExempt[qid] && !strings.Contains(p.Msg, "中文已修改") {
			continue
		}
		t.Errorf("%s (update the English, then zh; see smartdiag validate --i18n-hashes)", p)
	}
}

// TestPartAComplete pins the part translated on this branch: every item of cmmm-full sub-domains
// 1–10 and every KPI has English text, guidance and improvement.
func TestPartAComplete(t *testing.T) {
	q := bundledByID(t)["cmmm-full"]
	sds := q.SubDomains()
	items := append([]*Item(nil), q.KPIs...)
	for _, sd := range sds[:10] {
		items = append(items, sd.Items...)
	}
	for _, it := range items {
		if it.TextEN == "" || it.GuidanceEN == "" || it.ImproveEN == "" {
			t.Errorf("%s has no complete English", it.ID)
		}
		if hasHan(it.TextEN + it.GuidanceEN + it.ImproveEN + it.UnitEN) {
			t.Errorf("%s: English contains Chinese characters", it.ID)
		}
	}
}

func miniForI18n(t *testing.T) []*Questionnaire {
	t.Helper()
	data, err := os.ReadFile("testdata/mini-cmmm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	q, ps := Parse("mini-cmmm.yaml", data)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	return []*Questionnaire{q}
}

const overlayHead = "format: smartdiag.translation/1\nquestionnaire: mini-cmmm\nlang: en\nitems:\n"

func TestApplyTranslations(t *testing.T) {
	qs := miniForI18n(t)
	a1, _ := qs[0].Item("A1")
	h := ZHHash(a1)
	for _, tc := range []struct {
		name  string
		files map[string]string
		errs  []string // substrings of errors, in order
		warns []string
	}{
		{"clean", map[string]string{"i18n/mini-cmmm.a.en.yaml": overlayHead +
			"  A1:\n    zh: \"" + h + "\"\n    text: \"A level-1 requirement.\"\n    guidance: \"Look.\"\n    improve: \"Improve.\"\n"},
			nil, nil},
		{"unknown item", map[string]string{"i18n/mini-cmmm.a.en.yaml": overlayHead +
			"  A1:\n    zh: \"" + h + "\"\n    text: x\n  NOPE:\n    text: y\n"},
			[]string{"i18n/mini-cmmm.a.en.yaml:8: 问卷 mini-cmmm 中没有题号 NOPE"}, nil},
		{"same id in two parts", map[string]string{
			"i18n/mini-cmmm.a.en.yaml": overlayHead + "  A1:\n    zh: \"" + h + "\"\n    text: x\n",
			"i18n/mini-cmmm.b.en.yaml": overlayHead + "\n  A1:\n    zh: \"" + h + "\"\n    text: y\n"},
			[]string{"i18n/mini-cmmm.b.en.yaml:6: A1 已在 i18n/mini-cmmm.a.en.yaml:5 翻译过"}, nil},
		{"stale and unhashed", map[string]string{"i18n/mini-cmmm.a.en.yaml": overlayHead +
			"  A1:\n    zh: \"00000000\"\n    text: x\n  A2:\n    text: y\n"},
			nil, []string{"i18n/mini-cmmm.a.en.yaml:5: A1：中文已修改", "i18n/mini-cmmm.a.en.yaml:8: A2：缺少 zh 校验值"}},
		{"unknown option", map[string]string{"i18n/mini-cmmm.a.en.yaml": overlayHead +
			"  A1:\n    zh: \"" + h + "\"\n    options: {zz: Zed}\n"},
			[]string{":5: A1：没有选项 \"zz\""}, nil},
		{"unknown field", map[string]string{"i18n/mini-cmmm.a.en.yaml": overlayHead + "  A1:\n    txet: x\n"},
			[]string{"i18n/mini-cmmm.a.en.yaml:6: ", "txet"}, nil},
		{"empty entry", map[string]string{"i18n/mini-cmmm.a.en.yaml": overlayHead + "  A1:\n"},
			[]string{"i18n/mini-cmmm.a.en.yaml:5: A1：条目为空"}, nil},
		{"wrong format", map[string]string{"i18n/mini-cmmm.a.en.yaml": "format: smartdiag.translation/9\nquestionnaire: mini-cmmm\nlang: en\n"},
			[]string{":1: format 应为"}, nil},
		{"wrong lang", map[string]string{"i18n/mini-cmmm.a.en.yaml": "format: smartdiag.translation/1\nquestionnaire: mini-cmmm\nlang: fr\n"},
			[]string{":3: lang 应为 en"}, nil},
		{"name does not match", map[string]string{"i18n/other.a.en.yaml": overlayHead},
			[]string{"i18n/other.a.en.yaml:2: 文件名应为 mini-cmmm.<部分>.en.yaml"}, nil},
		{"unknown questionnaire", map[string]string{"i18n/ghost.a.en.yaml": "format: smartdiag.translation/1\nquestionnaire: ghost\nlang: en\n"},
			[]string{":2: 没有 id 为 \"ghost\" 的问卷"}, nil},
		{"bad yaml", map[string]string{"i18n/mini-cmmm.a.en.yaml": overlayHead + "  A1: [\n"},
			[]string{"i18n/mini-cmmm.a.en.yaml:"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			qs := miniForI18n(t)
			files := map[string][]byte{}
			for n, s := range tc.files {
				files[n] = []byte(s)
			}
			errs, warns := ApplyTranslations(qs, files)
			check := func(kind string, got Problems, want []string) {
				if len(got) != len(want) {
					t.Fatalf("%s: got %d (%v), want %d %q", kind, len(got), got, len(want), want)
				}
				for i, w := range want {
					if !strings.Contains(got[i].String(), w) {
						t.Errorf("%s %d: %q does not contain %q", kind, i, got[i], w)
					}
				}
			}
			if tc.name == "unknown field" { // one error naming both line and field
				want := tc.errs
				if len(errs) != 1 || !strings.Contains(errs[0].String(), want[0]) || !strings.Contains(errs[0].String(), want[1]) {
					t.Fatalf("errors %v", errs)
				}
				return
			}
			check("errors", errs, tc.errs)
			check("warnings", warns, tc.warns)
		})
	}
}

func TestTranslationAttachesAndFallsBack(t *testing.T) {
	qs := miniForI18n(t)
	a1, _ := qs[0].Item("A1")
	a2, _ := qs[0].Item("A2")
	files := map[string][]byte{"i18n/mini-cmmm.a.en.yaml": []byte(overlayHead +
		"  A1:\n    zh: \"" + ZHHash(a1) + "\"\n    text: \"Level one.\"\n    guidance: \"Look.\"\n    improve: \"Do.\"\n" +
		"  A3:\n    text: \"Level three, 三级.\"\n    guidance: \"Look.\"\n    improve: \"Do.\"\n")}
	if errs, warns := ApplyTranslations(qs, files); len(errs) > 0 || len(warns) != 1 { // A3 has no zh
		t.Fatal(errs, warns)
	}
	for _, c := range []struct{ got, want string }{
		{a1.TextIn("en"), "Level one."}, {a1.GuidanceIn("en"), "Look."}, {a1.ImproveIn("en"), "Do."},
		{a1.TextIn("zh"), a1.Text}, {a2.TextIn("en"), a2.Text}, // untranslated falls back to Chinese
		{a1.SubDomain.NameIn("en"), "子域A"}, {a1.SubDomain.NameIn("zh"), "子域A"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	miss := MissingEnglish(qs[0])
	var a1Missing, a2Missing, a3Han bool
	for _, p := range miss {
		a1Missing = a1Missing || strings.Contains(p.Msg, "A1 缺少英文")
		a2Missing = a2Missing || strings.Contains(p.Msg, "A2 缺少英文：text、guidance、improve")
		a3Han = a3Han || strings.Contains(p.Msg, "A3 的英文译文中含有汉字")
	}
	if a1Missing || !a2Missing || !a3Han {
		t.Errorf("MissingEnglish: %v", miss)
	}
}

func TestZHHashTracksEveryField(t *testing.T) {
	base := &Item{Text: "甲", Guidance: "乙", Improve: "丙"}
	h := ZHHash(base)
	if len(h) != 8 {
		t.Fatalf("hash %q", h)
	}
	for _, it := range []*Item{
		{Text: "甲改", Guidance: "乙", Improve: "丙"}, {Text: "甲", Guidance: "乙改", Improve: "丙"},
		{Text: "甲", Guidance: "乙", Improve: "丙改"}, {Text: "甲\n乙", Guidance: "", Improve: "丙"},
	} {
		if ZHHash(it) == h {
			t.Errorf("%+v hashes like the original", it)
		}
	}
}

func FuzzApplyTranslations(f *testing.F) {
	f.Add([]byte(overlayHead + "  A1:\n    text: x\n    options: {a: b}\n    levels: {1: y}\n"))
	f.Add([]byte("format: smartdiag.translation/1\n"))
	f.Add([]byte("items: [1, 2]\n"))
	data0, err := os.ReadFile("testdata/mini-cmmm.yaml")
	if err != nil {
		f.Fatal(err)
	}
	q, _ := Parse("mini-cmmm.yaml", data0) // attaching English again on every input does no harm
	f.Fuzz(func(t *testing.T, data []byte) {
		errs, _ := ApplyTranslations([]*Questionnaire{q}, map[string][]byte{"i18n/mini-cmmm.f.en.yaml": data})
		for _, p := range errs {
			if p.File != "i18n/mini-cmmm.f.en.yaml" {
				t.Errorf("problem without the file name: %v", p)
			}
		}
	})
}
