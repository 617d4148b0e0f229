package questionnaires

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// English prose for items lives in overlay files beside the questionnaires, so translators can
// work on it without touching (and re-versioning) the Chinese files: i18n/<id>.<part>.en.yaml for
// whatever Chinese the versions share, i18n/released/<id>-<version>.en.yaml for the Chinese of one
// released version that the newer ones changed or dropped. See docs/questionnaire-format.md.
//
//go:embed i18n/*.yaml i18n/released/*.yaml
var i18nFS embed.FS

// FormatTranslationV1 is the value of the top-level `format` key of every translation overlay.
const FormatTranslationV1 = "smartdiag.translation/1"

// EnglishExempt lists the bundled questionnaires whose English is not complete yet. validate and
// the bundled tests report their gaps as warnings instead of errors. This is the only place to
// change: shrink it to empty once every questionnaire is translated.
var EnglishExempt = map[string]bool{}

// Translation is the English of one item, as written in an overlay file.
type Translation struct {
	Text     string            `yaml:"text"`
	Guidance string            `yaml:"guidance"`
	Improve  string            `yaml:"improve"`
	Options  map[string]string `yaml:"options"`  // option key → English label, for options without label_en
	Unit     string            `yaml:"unit"`     // only where the Chinese unit is not language-neutral
	UnitOne  string            `yaml:"unit_one"` // the unit after exactly 1 ("person" where unit is "people")
	Levels   map[int]string    `yaml:"levels"`   // scenario items: level → English statement
	ZH       string            `yaml:"zh"`       // ZHHash of the Chinese this was translated from

	line int
	file string
}

type translationFile struct {
	Format        string `yaml:"format"`
	Questionnaire string `yaml:"questionnaire"`
	// Version is set only in i18n/released/ files: the one released version they translate.
	Version string                  `yaml:"version"`
	Lang    string                  `yaml:"lang"`
	Items   map[string]*Translation `yaml:"items"`
}

var overlayName = regexp.MustCompile(`^([a-z0-9][a-z0-9-]*)\.([a-z0-9][a-z0-9-]*)\.(en)\.yaml$`)

// releasedOverlayName is the base name of a version's overlay, <id>-<version>.en.yaml.
var releasedOverlayName = regexp.MustCompile(`^([a-z0-9][a-z0-9-]*)-([0-9][^/-]*)\.(en)\.yaml$`)

// overlayTarget returns the questionnaire id (and, for a file under released/, the version) that
// an overlay's file name gives, or ok false when the name follows neither pattern.
func overlayTarget(name string) (id, version string, ok bool) {
	if IsReleasedFile(name) {
		if m := releasedOverlayName.FindStringSubmatch(path.Base(name)); m != nil {
			return m[1], m[2], true
		}
		return "", "", false
	}
	if m := overlayName.FindStringSubmatch(path.Base(name)); m != nil {
		return m[1], "", true
	}
	return "", "", false
}

// ZHHash is the first 8 hex digits of the SHA-256 of an item's Chinese: text, guidance and
// improvement joined by newlines, then, only where the item has them, a Chinese unit, the labels
// of options without inline label_en and the scenario-level statements without inline English
// (so an item with none of these hashes as it always did). An overlay entry records it as `zh:`;
// the loader attaches an entry only to an item whose Chinese still hashes to it, so no item ever
// shows the English of different Chinese.
func ZHHash(it *Item) string {
	var b strings.Builder
	b.WriteString(it.Text + "\n" + it.Guidance + "\n" + it.Improve)
	if hasHan(it.Unit) {
		b.WriteString("\nunit " + it.Unit)
	}
	for _, o := range it.Options {
		if !o.inlineEN {
			b.WriteString("\noption " + o.Key + " " + o.Label)
		}
	}
	for _, l := range it.Levels {
		if l.inlineEN {
			continue
		}
		b.WriteString("\nlevel " + strconv.Itoa(l.Level) + " " + l.Text)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])[:8]
}

// BundledTranslationFiles returns the names and bytes of the embedded translation overlays.
func BundledTranslationFiles() map[string][]byte {
	out := map[string][]byte{}
	for _, glob := range []string{"i18n/*.yaml", "i18n/released/*.yaml"} {
		names, _ := fs.Glob(i18nFS, glob)
		for _, n := range names {
			data, _ := i18nFS.ReadFile(n)
			out[path.Join("questionnaires", n)] = data
		}
	}
	return out
}

// ApplyTranslations parses the overlay files and attaches their English to the items of qs. An
// entry attaches only to the versions of its item whose Chinese still hashes to its zh, so no item
// shows a translation of other Chinese. Errors are overlays that cannot be read or name something
// that does not exist (file and line), and entries of a released version's overlay that do not
// match that version; warnings are entries of the shared overlays that do not match the newest
// version having their item (stale or unhashed: that version shows the Chinese until the English
// and zh are updated).
func ApplyTranslations(qs []*Questionnaire, files map[string][]byte) (errs, warns Problems) {
	errs, warns, _ = applyTranslations(qs, files, true)
	return errs, warns
}

// applyTranslations is ApplyTranslations and also returns the items whose stale entry was
// warned about. strict refuses unknown keys, which takes a second YAML pass (see parse): the
// embedded overlays skip it at run time, TestBundledFilesParseStrictly checks them.
func applyTranslations(qs []*Questionnaire, files map[string][]byte, strict bool) (errs, warns Problems, stale map[*Item]bool) {
	byID := map[string][]*Questionnaire{}
	for _, q := range qs {
		byID[q.ID] = append(byID[q.ID], q)
	}
	for _, vs := range byID {
		shareNames(vs)
	}
	type overlay struct {
		name    string
		tf      *translationFile
		lines   map[string]int
		targets []*Questionnaire // the versions the file may translate
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	// The shared overlays first, so that an entry of a released version's overlay repeating
	// what a shared one already attached is found whatever the names sort like.
	sort.Slice(names, func(i, j int) bool {
		if ri, rj := IsReleasedFile(names[i]), IsReleasedFile(names[j]); ri != rj {
			return rj
		}
		return names[i] < names[j]
	})
	var overlays []overlay
	for _, name := range names {
		add := func(line int, format string, args ...any) {
			errs = append(errs, Problem{File: name, Line: line, Msg: fmt.Sprintf(format, args...)})
		}
		tf, lines, err := parseTranslation(files[name], strict)
		if err != nil {
			add(yamlErrLine(err), "%s", yamlErrMsg(err))
			continue
		}
		id, version, ok := overlayTarget(name)
		released := IsReleasedFile(name)
		switch {
		case tf.Format != FormatTranslationV1:
			add(lines["format"], "format 应为 %q", FormatTranslationV1)
			continue
		case tf.Lang != "en":
			add(lines["lang"], "lang 应为 en，而不是 %q", tf.Lang)
			continue
		case released && tf.Version == "":
			add(lines["questionnaire"], "released/ 下的译文需要 version：它所翻译的发布版本")
			continue
		case released && (!ok || id != tf.Questionnaire || version != tf.Version):
			add(lines["questionnaire"], "文件名应为 released/%s-%s.en.yaml", tf.Questionnaire, tf.Version)
			continue
		case !released && tf.Version != "":
			add(lines["version"], "version 只用于 i18n/released/ 下某一发布版本的译文")
			continue
		case !released && (!ok || id != tf.Questionnaire):
			add(lines["questionnaire"], "文件名应为 %s.<部分>.en.yaml", tf.Questionnaire)
			continue
		}
		targets := byID[tf.Questionnaire]
		if len(targets) == 0 {
			add(lines["questionnaire"], "没有 id 为 %q 的问卷", tf.Questionnaire)
			continue
		}
		if released {
			var v []*Questionnaire
			for _, q := range targets {
				if q.Version == tf.Version {
					v = append(v, q)
				}
			}
			if len(v) == 0 {
				add(lines["version"], "问卷 %s 没有版本 %s", tf.Questionnaire, tf.Version)
				continue
			}
			targets = v
		}
		overlays = append(overlays, overlay{name, tf, lines, targets})
	}

	stale = map[*Item]bool{}
	attached := map[*Item]*Translation{}
	seen := map[string]*Translation{} // questionnaire id + version ("" for shared) + item id
	for _, o := range overlays {
		add := func(ps *Problems, line int, format string, args ...any) {
			*ps = append(*ps, Problem{File: o.name, Line: line, Msg: fmt.Sprintf(format, args...)})
		}
		ids := make([]string, 0, len(o.tf.Items))
		for id := range o.tf.Items {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			tr := o.tf.Items[id]
			if tr == nil { // "ID:" with nothing under it
				add(&errs, o.lines["items."+id], "%s：条目为空", id)
				continue
			}
			tr.line, tr.file = o.lines["items."+id], o.name
			key := o.tf.Questionnaire + "\x00" + o.tf.Version + "\x00" + id
			if prev := seen[key]; prev != nil {
				add(&errs, tr.line, "%s 已在 %s:%d 翻译过", id, prev.file, prev.line)
				continue
			}
			seen[key] = tr
			var newest *Questionnaire
			var newestItem *Item
			for _, q := range o.targets {
				it, ok := q.Item(id)
				if !ok {
					continue
				}
				if newest == nil || CompareVersions(q.Version, newest.Version) > 0 {
					newest, newestItem = q, it
				}
				if h := ZHHash(it); h != tr.ZH {
					if o.tf.Version != "" {
						add(&errs, tr.line, "%s：与 %s %s 的中文不符（zh 校验值应为 %s，译文记录的是 %q）：此文件只翻译这一版本",
							id, q.ID, q.Version, h, tr.ZH)
					}
					continue
				}
				if prev := attached[it]; prev != nil {
					add(&errs, tr.line, "%s：%s %s 的这一题已由 %s:%d 翻译（中文相同），此条多余", id, q.ID, q.Version, prev.file, prev.line)
					continue
				}
				attached[it] = tr
				for _, p := range attach(it, tr) {
					add(&errs, tr.line, "%s：%s", id, p)
				}
			}
			switch {
			case newest == nil && o.tf.Version != "":
				add(&errs, tr.line, "问卷 %s %s 中没有题号 %s", o.tf.Questionnaire, o.tf.Version, id)
				continue
			case newest == nil:
				add(&errs, tr.line, "问卷 %s 中没有题号 %s", o.tf.Questionnaire, id)
				continue
			case o.tf.Version != "":
				continue // checked against its one version above
			}
			// A shared entry is stale when it does not translate the newest Chinese of its item.
			switch h := ZHHash(newestItem); {
			case tr.ZH == "":
				stale[newestItem] = true
				add(&warns, tr.line, "%s：缺少 zh 校验值（应为 %s），译文暂不采用", id, h)
			case tr.ZH != h:
				stale[newestItem] = true
				add(&warns, tr.line, "%s：中文已修改（%s %s 的 zh 校验值为 %s，译文记录的是 %s），英文界面暂显示中文；请核对译文后更新 zh（旧版本的英文另存于 i18n/released/%s-<版本>.en.yaml）",
					id, newest.ID, newest.Version, h, tr.ZH, newest.ID)
			}
		}
	}
	sortProblems(errs)
	sortProblems(warns)
	return errs, warns, stale
}

// shareNames gives a version's names that lack English inline (a released file is frozen) the
// English of another version of the same questionnaire whose name is the same Chinese, newest
// version first. Names have no overlay: equal Chinese is what makes the English the right one.
func shareNames(versions []*Questionnaire) {
	type name struct{ zh, en string }
	byVersion := append([]*Questionnaire(nil), versions...)
	sort.SliceStable(byVersion, func(i, j int) bool { return CompareVersions(byVersion[i].Version, byVersion[j].Version) > 0 })
	known := map[string]name{}
	for _, q := range byVersion {
		visitNames(q, func(key, zh string, en *string) {
			if _, ok := known[key]; !ok && *en != "" {
				known[key] = name{zh, *en}
			}
		})
	}
	for _, q := range versions {
		visitNames(q, func(key, zh string, en *string) {
			if k, ok := known[key]; ok && *en == "" && zh != "" && k.zh == zh {
				*en = k.en
			}
		})
	}
}

// visitNames calls f with a key, the Chinese and a pointer to the English of every name of q that
// MissingEnglish checks: levels, elements, domains, sub-domains and sections.
func visitNames(q *Questionnaire, f func(key, zh string, en *string)) {
	if p := q.CMMM; p != nil {
		for i := range p.Levels {
			l := &p.Levels[i]
			f("level "+strconv.Itoa(l.Level), l.Title, &l.TitleEN)
		}
	}
	if p := q.Points; p != nil {
		for i := range p.Levels {
			l := &p.Levels[i]
			f("points level "+strconv.Itoa(l.Level), l.Name, &l.NameEN)
		}
		for i := range p.ScenarioLevels {
			l := &p.ScenarioLevels[i]
			f("scenario level "+strconv.Itoa(l.Level), l.Title, &l.TitleEN)
		}
	}
	for _, e := range q.Elements {
		f("group "+e.ID, e.Name, &e.NameEN)
		for _, d := range e.Domains {
			f("group "+d.ID, d.Name, &d.NameEN)
			for _, sd := range d.SubDomains {
				f("group "+sd.ID, sd.Name, &sd.NameEN)
			}
		}
	}
	var walk func([]*Section)
	walk = func(ss []*Section) {
		for _, s := range ss {
			f("group "+s.ID, s.Name, &s.NameEN)
			walk(s.Sections)
		}
	}
	walk(q.Sections)
}

func sortProblems(ps Problems) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
}

// parseTranslation decodes an overlay strictly and maps its keys to lines ("format", "items.ID").
func parseTranslation(data []byte, strict bool) (*translationFile, map[string]int, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, nil, err
	}
	tf := &translationFile{}
	if strict {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(tf); err != nil {
			return nil, nil, err
		}
	} else if err := root.Decode(tf); err != nil {
		return nil, nil, err
	}
	lines := map[string]int{}
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 && root.Content[0].Kind == yaml.MappingNode {
		m := root.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			k := m.Content[i].Value
			lines[k] = m.Content[i].Line
			if v := m.Content[i+1]; k == "items" && v.Kind == yaml.MappingNode {
				for j := 0; j+1 < len(v.Content); j += 2 {
					lines["items."+v.Content[j].Value] = v.Content[j].Line
				}
			}
		}
	}
	return tf, lines, nil
}

// attach copies a translation onto an item and returns what does not fit it.
func attach(it *Item, tr *Translation) []string {
	var bad []string
	it.TextEN, it.GuidanceEN, it.ImproveEN, it.UnitEN = tr.Text, tr.Guidance, tr.Improve, tr.Unit
	it.UnitOneEN = tr.UnitOne
	if tr.UnitOne != "" && tr.Unit == "" {
		bad = append(bad, "unit_one without unit")
	}
	for key, label := range tr.Options {
		found := false
		for i := range it.Options {
			if it.Options[i].Key == key {
				it.Options[i].LabelEN, found = label, true
			}
		}
		if !found {
			bad = append(bad, fmt.Sprintf("没有选项 %q", key))
		}
	}
	for lv, text := range tr.Levels {
		found := false
		for i := range it.Levels {
			if it.Levels[i].Level == lv {
				it.Levels[i].TextEN, found = text, true
			}
		}
		if !found {
			bad = append(bad, fmt.Sprintf("没有第 %d 级描述", lv))
		}
	}
	sort.Strings(bad)
	return bad
}

// MissingEnglish lists what of q has no English: item prose, options, units, scenario levels, and
// the names of levels, elements, domains, sub-domains, sections and scale options. Each entry is a
// problem located in the questionnaire file.
func MissingEnglish(q *Questionnaire) Problems {
	var ps Problems
	for _, m := range missingEnglish(q) {
		ps = append(ps, m.Problem)
	}
	return ps
}

// missing is one problem of MissingEnglish and the item it is about (nil for names).
type missing struct {
	Problem
	item *Item
}

func missingEnglish(q *Questionnaire) []missing {
	var ps []missing
	var cur *Item // the item the problems being added are about
	add := func(line int, format string, args ...any) {
		ps = append(ps, missing{Problem{File: q.File, Line: line, Msg: fmt.Sprintf(format, args...)}, cur})
	}
	if q.TitleEN == "" {
		add(0, "title 缺少英文 title_en")
	}
	if p := q.CMMM; p != nil {
		for _, o := range p.Scale {
			if o.LabelEN == "" {
				add(0, "scale 选项 %s 缺少 label_en", o.Key)
			}
		}
		if p.NA != nil && p.NA.LabelEN == "" {
			add(0, "na 选项缺少 label_en")
		}
		for _, l := range p.Levels {
			if l.TitleEN == "" && l.Title != "" {
				add(0, "第 %d 级缺少 title_en", l.Level)
			}
		}
	}
	if p := q.Points; p != nil {
		for _, l := range p.Levels {
			if l.NameEN == "" {
				add(0, "points.levels 第 %d 级缺少 name_en", l.Level)
			}
		}
		for _, l := range p.ScenarioLevels {
			if l.TitleEN == "" && l.Title != "" {
				add(0, "scenario_levels 第 %d 级缺少 title_en", l.Level)
			}
		}
	}
	for _, e := range q.Elements {
		if e.NameEN == "" {
			add(0, "能力要素 %s 缺少 name_en", e.ID)
		}
		for _, d := range e.Domains {
			if d.NameEN == "" {
				add(0, "能力域 %s 缺少 name_en", d.ID)
			}
			for _, sd := range d.SubDomains {
				if sd.NameEN == "" {
					add(0, "能力子域 %s 缺少 name_en", sd.ID)
				}
			}
		}
	}
	var walk func([]*Section)
	walk = func(ss []*Section) {
		for _, s := range ss {
			if s.NameEN == "" {
				add(0, "分组 %s 缺少 name_en", s.ID)
			}
			walk(s.Sections)
		}
	}
	walk(q.Sections)
	for _, it := range q.items {
		cur = it
		var miss []string
		for _, f := range []struct{ name, zh, en string }{
			{"text", it.Text, it.TextEN}, {"guidance", it.Guidance, it.GuidanceEN}, {"improve", it.Improve, it.ImproveEN},
		} {
			if strings.TrimSpace(f.zh) != "" && strings.TrimSpace(f.en) == "" {
				miss = append(miss, f.name)
			}
		}
		if hasHan(it.Unit) && it.UnitEN == "" {
			miss = append(miss, "unit")
		}
		for _, o := range it.Options {
			if o.LabelEN == "" {
				miss = append(miss, "options."+o.Key)
			}
		}
		for _, l := range it.Levels {
			if l.TextEN == "" {
				miss = append(miss, "levels."+strconv.Itoa(l.Level))
			}
		}
		if len(miss) > 0 {
			add(it.Line, "%s 缺少英文：%s", it.ID, strings.Join(miss, "、"))
		}
		if hasHan(it.TextEN + it.GuidanceEN + it.ImproveEN + it.UnitEN) {
			add(it.Line, "%s 的英文译文中含有汉字", it.ID)
		}
	}
	return ps
}

// MissingScenarioEnglish lists the typical scenarios without an English name.
func MissingScenarioEnglish() Problems {
	var ps Problems
	for _, s := range ScenarioList() {
		if strings.TrimSpace(s.NameEN) == "" || strings.TrimSpace(s.StageEN) == "" || strings.TrimSpace(s.DescriptionEN) == "" {
			ps = append(ps, Problem{File: "questionnaires/reference/scenarios.yaml", Msg: fmt.Sprintf("典型场景 %s 缺少 name_en、stage_en 或 description_en", s.ID)})
		}
	}
	for _, in := range Industries() {
		if strings.TrimSpace(in.NameEN) == "" {
			ps = append(ps, Problem{File: "questionnaires/reference/industries.yaml", Msg: fmt.Sprintf("行业 %s 缺少 name_en", in.Code)})
		}
	}
	return ps
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x3400 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// In returns en when lang is "en" and en is set, otherwise zh. Every *In accessor uses it, so a
// missing translation falls back to the Chinese rather than to nothing.
func In(lang, zh, en string) string {
	if lang == "en" && strings.TrimSpace(en) != "" {
		return en
	}
	return zh
}

// TextIn, GuidanceIn, ImproveIn and UnitIn return the item's prose in lang ("zh" or "en").
func (it *Item) TextIn(lang string) string     { return In(lang, it.Text, it.TextEN) }
func (it *Item) GuidanceIn(lang string) string { return In(lang, it.Guidance, it.GuidanceEN) }
func (it *Item) ImproveIn(lang string) string  { return In(lang, it.Improve, it.ImproveEN) }
func (it *Item) UnitIn(lang string) string     { return In(lang, it.Unit, it.UnitEN) }

// ValueIn writes a number with the item's unit in lang: "1 person", "3 people", "12 %".
func (it *Item) ValueIn(lang string, x float64) string {
	unit := it.UnitIn(lang)
	if x == 1 && lang == "en" && it.UnitOneEN != "" {
		unit = it.UnitOneEN
	}
	return strings.TrimSpace(strconv.FormatFloat(x, 'f', -1, 64) + " " + unit)
}

// LabelIn returns the short label: label_en in English, else the Chinese text.
func (it *Item) LabelIn(lang string) string { return In(lang, it.Text, it.LabelEN) }

func (o Option) LabelIn(lang string) string       { return In(lang, o.Label, o.LabelEN) }
func (o ScaleOption) LabelIn(lang string) string  { return In(lang, o.Label, o.LabelEN) }
func (l ScenarioLevel) TextIn(lang string) string { return In(lang, l.Text, l.TextEN) }
func (l Level) TitleIn(lang string) string        { return In(lang, l.Title, l.TitleEN) }
func (e *Element) NameIn(lang string) string      { return In(lang, e.Name, e.NameEN) }
func (d *Domain) NameIn(lang string) string       { return In(lang, d.Name, d.NameEN) }
func (sd *SubDomain) NameIn(lang string) string   { return In(lang, sd.Name, sd.NameEN) }
func (s *Section) NameIn(lang string) string      { return In(lang, s.Name, s.NameEN) }
func (s Scenario) NameIn(lang string) string      { return In(lang, s.Name, s.NameEN) }
func (l PointsLevel) NameIn(lang string) string   { return In(lang, l.Name, l.NameEN) }

// CheckEnglish applies the overlays to qs and returns every English problem. Every version is
// held to complete English, released ones too (an English user may open a document of any of
// them), except questionnaires in EnglishExempt, whose gaps are one warning each. The overlay
// warnings (stale or unhashed entries) stay warnings, and an item they leave without English is
// not reported again: a fix of the Chinese can land before its English (TestBundledTranslationsFresh
// still refuses it).
func CheckEnglish(qs []*Questionnaire, overlays map[string][]byte) (errs, warns Problems) {
	errs, warns, stale := applyTranslations(qs, overlays, true)
	for _, q := range qs {
		released := IsReleasedFile(filepath.ToSlash(q.File))
		n := 0
		for _, m := range missingEnglish(q) {
			switch {
			case m.item != nil && stale[m.item]:
			case EnglishExempt[q.ID]:
				n++
			case released && m.item != nil:
				m.Msg += fmt.Sprintf("（这一版本独有的中文：英文写在 questionnaires/i18n/released/%s-%s.en.yaml）", q.ID, q.Version)
				errs = append(errs, m.Problem)
			default:
				errs = append(errs, m.Problem)
			}
		}
		if n > 0 {
			warns = append(warns, Problem{File: q.File, Msg: fmt.Sprintf("问卷 %s %s 的英文尚不完整（%d 处缺失，暂列于 EnglishExempt）", q.ID, q.Version, n)})
		}
	}
	errs = append(errs, MissingScenarioEnglish()...)
	return errs, warns
}

// ZHHashes returns "id hash" lines for every item of q, in questionnaire order, for filling in
// the zh field of overlay entries.
func ZHHashes(q *Questionnaire) []string {
	out := make([]string, 0, len(q.items))
	for _, it := range q.items {
		out = append(out, it.ID+" "+ZHHash(it))
	}
	return out
}

var trackEN = map[string]string{TrackRetrofit: "Retrofit", TrackDigital: "Digital", TrackNetworked: "Networking"}

var productionTypeEN = map[string]string{"discrete": "Discrete", "process": "Process", "mixed": "Mixed"}

// ProductionTypeNameIn returns the name of a production-type key in lang.
func ProductionTypeNameIn(key, lang string) string {
	return In(lang, ProductionTypeName(key), productionTypeEN[key])
}

// TitleIn returns the questionnaire's title in lang.
func (q *Questionnaire) TitleIn(lang string) string { return In(lang, q.Title, q.TitleEN) }

// TrackName returns a track's name in lang.
func TrackName(track, lang string) string { return In(lang, track, trackEN[track]) }

// GroupName returns the name of the element, domain, sub-domain or section with id in lang, or
// fallback when q has no such group.
func (q *Questionnaire) GroupName(id, lang, fallback string) string {
	for _, e := range q.Elements {
		if e.ID == id {
			return e.NameIn(lang)
		}
		for _, d := range e.Domains {
			if d.ID == id {
				return d.NameIn(lang)
			}
			for _, sd := range d.SubDomains {
				if sd.ID == id {
					return sd.NameIn(lang)
				}
			}
		}
	}
	var found *Section
	var walk func([]*Section)
	walk = func(ss []*Section) {
		for _, s := range ss {
			if found == nil && s.ID == id {
				found = s
			}
			walk(s.Sections)
		}
	}
	walk(q.Sections)
	if found != nil {
		return found.NameIn(lang)
	}
	return fallback
}
