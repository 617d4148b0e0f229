package questionnaires

import (
	"os"
	"strings"
	"testing"
)

// TestBundledEnglish holds every bundled version of every questionnaire outside EnglishExempt,
// released ones included, to complete English (an English user may open a document of any
// version), and lists, for the exempt ones, how much is missing.
func TestBundledEnglish(t *testing.T) {
	all := bundledByID(t)
	for id := range EnglishExempt {
		if all[id] == nil {
			t.Errorf("EnglishExempt names %s, which is not bundled", id)
		}
	}
	for _, id := range []string{"zgsz-quick", "cmmm-full", "sme-2024", "ai-2026"} {
		if EnglishExempt[id] {
			t.Errorf("%s is fully translated and must not be exempt", id)
		}
	}
	versions, err := AllVersions()
	if err != nil {
		t.Fatal(err)
	}
	released := 0
	for _, q := range versions {
		miss := MissingEnglish(q)
		if IsReleasedFile(q.File) {
			released++
		}
		if EnglishExempt[q.ID] {
			t.Logf("%s %s: exempt, %d places without English", q.ID, q.Version, len(miss))
			continue
		}
		for _, p := range miss {
			t.Errorf("%s %s: %s", q.ID, q.Version, p)
		}
	}
	if released < 3 {
		t.Errorf("only %d released versions checked", released)
	}
	for _, p := range MissingScenarioEnglish() {
		t.Errorf("%s", p)
	}
}

// TestBundledTranslationsFresh fails when the Chinese of a translated item changed after its
// English was written (the entry's zh hash no longer matches), outside EnglishExempt, and on any
// error of the overlays of released versions.
func TestBundledTranslationsFresh(t *testing.T) {
	all, err := AllVersions()
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
	a3, _ := qs[0].Item("A3")
	a4, _ := qs[0].Item("A4")
	files := map[string][]byte{"i18n/mini-cmmm.a.en.yaml": []byte(overlayHead +
		"  A1:\n    zh: \"" + ZHHash(a1) + "\"\n    text: \"Level one.\"\n    guidance: \"Look.\"\n    improve: \"Do.\"\n" +
		"  A3:\n    zh: \"" + ZHHash(a3) + "\"\n    text: \"Level three, 三级.\"\n    guidance: \"Look.\"\n    improve: \"Do.\"\n" +
		"  A4:\n    text: \"Level four.\"\n    guidance: \"Look.\"\n    improve: \"Do.\"\n")}
	if errs, warns := ApplyTranslations(qs, files); len(errs) > 0 || len(warns) != 1 { // A4 has no zh
		t.Fatal(errs, warns)
	}
	for _, c := range []struct{ got, want string }{
		{a1.TextIn("en"), "Level one."}, {a1.GuidanceIn("en"), "Look."}, {a1.ImproveIn("en"), "Do."},
		{a1.TextIn("zh"), a1.Text}, {a2.TextIn("en"), a2.Text}, // untranslated falls back to Chinese
		{a4.TextIn("en"), a4.Text}, // an entry without zh cannot be checked, so it is not attached
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
	// The Chinese an overlay translates besides the prose: a Chinese unit, option labels and
	// scenario levels; not what carries its English inline, nor a language-neutral unit.
	opts := func(label string, inline bool) []Option {
		return []Option{{Key: "a", Label: "甲"}, {Key: "b", Label: label, inlineEN: inline}}
	}
	lvls := func(text string, inline bool) []ScenarioLevel {
		return []ScenarioLevel{{Level: 1, Text: "一"}, {Level: 2, Text: text, inlineEN: inline}}
	}
	for _, c := range []struct {
		name string
		a, b *Item
		same bool
	}{
		{"unit", &Item{Text: "甲", Unit: "万元"}, &Item{Text: "甲", Unit: "元"}, false},
		{"neutral unit", &Item{Text: "甲", Unit: "%"}, &Item{Text: "甲", Unit: "‰"}, true},
		{"no extras hash as before", base, &Item{Text: "甲", Guidance: "乙", Improve: "丙", Unit: "%"}, true},
		{"option label", &Item{Text: "甲", Options: opts("乙", false)}, &Item{Text: "甲", Options: opts("乙改", false)}, false},
		{"inline option label", &Item{Text: "甲", Options: opts("乙", true)}, &Item{Text: "甲", Options: opts("乙改", true)}, true},
		{"scenario level", &Item{Text: "甲", Levels: lvls("二", false)}, &Item{Text: "甲", Levels: lvls("二改", false)}, false},
		{"inline scenario level", &Item{Text: "甲", Levels: lvls("二", true)}, &Item{Text: "甲", Levels: lvls("二改", true)}, true},
		{"options added", &Item{Text: "甲"}, &Item{Text: "甲", Options: opts("乙", false)}, false},
	} {
		if got := ZHHash(c.a) == ZHHash(c.b); got != c.same {
			t.Errorf("%s: same hash %v, want %v", c.name, got, c.same)
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
	f.Add([]byte("format: smartdiag.translation/1\nquestionnaire: mini-cmmm\nversion: \"0.1\"\nlang: en\nitems:\n  A1:\n    zh: \"00000000\"\n    text: x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// The same bytes as a shared overlay and as the overlay of version 0.1.
		for _, name := range []string{"i18n/mini-cmmm.f.en.yaml", "i18n/released/mini-cmmm-0.1.en.yaml"} {
			errs, _ := ApplyTranslations([]*Questionnaire{q}, map[string][]byte{name: data})
			for _, p := range errs {
				if p.File != name {
					t.Errorf("problem without the file name: %v", p)
				}
			}
		}
	})
}

// miniVersions parses mini-cmmm as a released version 0.1 and a current 0.2 in which A1's Chinese
// changed and the level titles carry English inline (level 2's with a changed Chinese title).
func miniVersions(t *testing.T) (old, cur *Questionnaire) {
	t.Helper()
	data, err := os.ReadFile("testdata/mini-cmmm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	old, ps := ParseReleased("questionnaires/released/mini-cmmm-0.1.yaml", data)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	s := string(data)
	for _, r := range [][2]string{
		{`version: "0.1"`, `version: "0.2"`},
		{"text: A一级要求。", "text: A一级要求（修订）。"},
		{"title: 规划级}", "title: 规划级, title_en: Planned}"},
		{"title: 规范级}", "title: 规范化级, title_en: Standardised}"},
	} {
		if !strings.Contains(s, r[0]) {
			t.Fatalf("testdata/mini-cmmm.yaml no longer has %q", r[0])
		}
		s = strings.Replace(s, r[0], r[1], 1)
	}
	cur, ps = Parse("questionnaires/mini-cmmm.yaml", []byte(s))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	return old, cur
}

// An overlay entry attaches only to the versions whose Chinese it translates: a document of an
// earlier version never shows the English of Chinese it does not contain.
func TestOverlayAttachesOnlyToItsOwnChinese(t *testing.T) {
	old, cur := miniVersions(t)
	oldA1, _ := old.Item("A1")
	curA1, _ := cur.Item("A1")
	a2, _ := cur.Item("A2")
	hOld, hCur, hA2 := ZHHash(oldA1), ZHHash(curA1), ZHHash(a2)
	if hOld == hCur {
		t.Fatal("the changed Chinese hashes like the old")
	}
	entry := func(id, zh, text string) string {
		return "  " + id + ":\n    zh: \"" + zh + "\"\n    text: \"" + text + "\"\n"
	}
	shared := func(entries ...string) string { return overlayHead + strings.Join(entries, "") }
	releasedHead := "format: smartdiag.translation/1\nquestionnaire: mini-cmmm\nversion: \"0.1\"\nlang: en\nitems:\n"
	const sharedName, releasedName = "questionnaires/i18n/mini-cmmm.a.en.yaml", "questionnaires/i18n/released/mini-cmmm-0.1.en.yaml"
	for _, tc := range []struct {
		name                string
		files               map[string]string
		oldA1, curA1, oldA2 string // English text after applying ("" = none, the Chinese shows)
		errs, warns         []string
	}{
		{"shared entry of the new Chinese stays off the old version",
			map[string]string{sharedName: shared(entry("A1", hCur, "New one."), entry("A2", hA2, "Two."))},
			"", "New one.", "Two.", nil, nil},
		{"released overlay gives the old version its own English",
			map[string]string{sharedName: shared(entry("A1", hCur, "New one."), entry("A2", hA2, "Two.")),
				releasedName: releasedHead + entry("A1", hOld, "Old one.")},
			"Old one.", "New one.", "Two.", nil, nil},
		{"stale shared entry attaches only where it matches, and warns for the current version",
			map[string]string{sharedName: shared(entry("A1", hOld, "Old one."))},
			"Old one.", "", "", nil, []string{sharedName + ":5: A1：中文已修改（mini-cmmm 0.2 的 zh 校验值为 " + hCur}},
		{"entry matching no version attaches nowhere",
			map[string]string{sharedName: shared(entry("A1", "00000000", "Whatever."))},
			"", "", "", nil, []string{":5: A1：中文已修改"}},
		{"released entry must translate its own version",
			map[string]string{releasedName: releasedHead + entry("A1", hCur, "New one.")},
			"", "", "", []string{releasedName + ":6: A1：与 mini-cmmm 0.1 的中文不符（zh 校验值应为 " + hOld}, nil},
		{"released entry repeating a shared one",
			map[string]string{sharedName: shared(entry("A2", hA2, "Two.")), releasedName: releasedHead + entry("A2", hA2, "Two again.")},
			"", "", "Two.", []string{releasedName + ":6: A2：mini-cmmm 0.1 的这一题已由 " + sharedName + ":5 翻译（中文相同），此条多余"}, nil},
		{"released overlay without version",
			map[string]string{releasedName: overlayHead + entry("A1", hOld, "Old one.")},
			"", "", "", []string{releasedName + ":2: released/ 下的译文需要 version"}, nil},
		{"released overlay of a version not bundled",
			map[string]string{"questionnaires/i18n/released/mini-cmmm-9.9.en.yaml": strings.Replace(releasedHead, "0.1", "9.9", 1)},
			"", "", "", []string{"mini-cmmm-9.9.en.yaml:3: 问卷 mini-cmmm 没有版本 9.9"}, nil},
		{"released overlay named for another version",
			map[string]string{"questionnaires/i18n/released/mini-cmmm-0.2.en.yaml": releasedHead},
			"", "", "", []string{":2: 文件名应为 released/mini-cmmm-0.1.en.yaml"}, nil},
		{"version in a shared overlay",
			map[string]string{sharedName: releasedHead},
			"", "", "", []string{sharedName + ":3: version 只用于 i18n/released/"}, nil},
		{"released item the version does not have",
			map[string]string{releasedName: releasedHead + entry("ZZ", hOld, "None.")},
			"", "", "", []string{releasedName + ":6: 问卷 mini-cmmm 0.1 中没有题号 ZZ"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old, cur := miniVersions(t)
			files := map[string][]byte{}
			for n, s := range tc.files {
				files[n] = []byte(s)
			}
			errs, warns := ApplyTranslations([]*Questionnaire{old, cur}, files)
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
			check("errors", errs, tc.errs)
			check("warnings", warns, tc.warns)
			oA1, _ := old.Item("A1")
			cA1, _ := cur.Item("A1")
			oA2, _ := old.Item("A2")
			for _, c := range []struct{ what, got, want string }{
				{"0.1 A1", oA1.TextEN, tc.oldA1}, {"0.2 A1", cA1.TextEN, tc.curA1}, {"0.1 A2", oA2.TextEN, tc.oldA2},
			} {
				if c.got != c.want {
					t.Errorf("%s: English %q, want %q", c.what, c.got, c.want)
				}
			}
		})
	}
}

// A released version whose frozen file has no English for a name takes it from another version
// only where the Chinese name is the same.
func TestReleasedVersionSharesNamesOfTheSameChinese(t *testing.T) {
	old, cur := miniVersions(t)
	ApplyTranslations([]*Questionnaire{old, cur}, nil)
	got := map[int]string{}
	for _, l := range old.CMMM.Levels {
		got[l.Level] = l.TitleEN
	}
	if got[1] != "Planned" || got[2] != "" {
		t.Errorf("0.1 level titles in English: %v (level 1 has the same Chinese as 0.2, level 2 does not)", got)
	}
}

// CheckEnglish holds a released version to complete English (an error naming the version's
// overlay), while a stale entry of the current version stays one warning.
func TestCheckEnglishReleasedAndStale(t *testing.T) {
	old, cur := miniVersions(t)
	oldA1, _ := old.Item("A1")
	files := map[string][]byte{"questionnaires/i18n/mini-cmmm.a.en.yaml": []byte(overlayHead +
		"  A1:\n    zh: \"" + ZHHash(oldA1) + "\"\n    text: \"Old one.\"\n    guidance: \"Look.\"\n    improve: \"Do.\"\n")}
	errs, warns := CheckEnglish([]*Questionnaire{old, cur}, files)
	var curA1Err, oldA2Err bool
	for _, p := range errs {
		curA1Err = curA1Err || (p.File == cur.File && strings.Contains(p.Msg, "A1 缺少英文"))
		oldA2Err = oldA2Err || (p.File == old.File && strings.Contains(p.Msg, "A2 缺少英文") &&
			strings.Contains(p.Msg, "questionnaires/i18n/released/mini-cmmm-0.1.en.yaml"))
	}
	if curA1Err || !oldA2Err {
		t.Errorf("errors (want none for the current A1, covered by its warning; one for the released A2): %v", errs)
	}
	if len(warns) != 1 || !strings.Contains(warns[0].Msg, "A1：中文已修改") {
		t.Errorf("warnings %v", warns)
	}
}

// The English of a changed item in a bundled released version is the translation of that
// version's Chinese, not the current one's.
func TestReleasedVersionShowsItsOwnEnglish(t *testing.T) {
	for _, c := range []struct{ qid, item, old, cur string }{
		{"cmmm-full", "SEC-2-01", "try to reach the address of a PLC", "Do not try to reach a PLC"},
		{"zgsz-quick", "Q-OPS-3-01", "try on the spot", "Do not actually report work"},
		{"sme-2024", "B-NET-2", "over the network", ""},
	} {
		old, err := Lookup(c.qid, "1.0.0")
		if err != nil {
			t.Fatal(err)
		}
		cur, _ := Lookup(c.qid, "")
		oi, _ := old.Item(c.item)
		en := oi.GuidanceIn("en") + " " + strings.Join(optionLabels(oi, "en"), " ")
		if !strings.Contains(en, c.old) {
			t.Errorf("%s 1.0.0 %s: English %q lacks %q", c.qid, c.item, en, c.old)
		}
		if ci, ok := cur.Item(c.item); ok && c.cur != "" {
			if strings.Contains(en, c.cur) || !strings.Contains(ci.GuidanceIn("en"), c.cur) {
				t.Errorf("%s %s: 1.0.0 English %q, current %q", c.qid, c.item, en, ci.GuidanceIn("en"))
			}
		}
	}
}

func optionLabels(it *Item, lang string) []string {
	var out []string
	for _, o := range it.Options {
		out = append(out, o.LabelIn(lang))
	}
	return out
}

// English counts read naturally: "1 person", "2 people", "1 area"; Chinese keeps its unit.
func TestValueInUsesTheSingularAfterOne(t *testing.T) {
	ai, err := Lookup("ai-2026", "")
	if err != nil {
		t.Fatal(err)
	}
	staff, ok := ai.Item("AI-KPI-STAFF")
	if !ok {
		t.Fatal("no AI-KPI-STAFF")
	}
	for _, c := range []struct {
		lang string
		x    float64
		want string
	}{
		{"en", 1, "1 person"}, {"en", 2, "2 people"}, {"en", 0, "0 people"}, {"en", 1.5, "1.5 people"},
		{"zh", 1, "1 " + staff.Unit},
	} {
		if got := staff.ValueIn(c.lang, c.x); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.lang, c.x, got, c.want)
		}
	}
	all, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	for _, qn := range all {
		for _, it := range qn.Items() {
			if it.UnitEN == "areas" && it.ValueIn("en", 1) != "1 area" {
				t.Errorf("%s %s: %q after 1", qn.ID, it.ID, it.ValueIn("en", 1))
			}
		}
	}
}
