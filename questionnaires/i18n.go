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
// work on it without touching (and re-versioning) the Chinese files. See docs/questionnaire-format.md.
//
//go:embed i18n/*.yaml
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
	Options  map[string]string `yaml:"options"` // option key → English label, for options without label_en
	Unit     string            `yaml:"unit"`    // only where the Chinese unit is not language-neutral
	Levels   map[int]string    `yaml:"levels"`  // scenario items: level → English statement
	ZH       string            `yaml:"zh"`      // ZHHash of the Chinese this was translated from

	line int
	file string
}

type translationFile struct {
	Format        string                  `yaml:"format"`
	Questionnaire string                  `yaml:"questionnaire"`
	Lang          string                  `yaml:"lang"`
	Items         map[string]*Translation `yaml:"items"`
}

var overlayName = regexp.MustCompile(`^([a-z0-9][a-z0-9-]*)\.([a-z0-9][a-z0-9-]*)\.(en)\.yaml$`)

// ZHHash is the first 8 hex digits of the SHA-256 of an item's Chinese text, guidance and
// improvement joined by newlines. An overlay entry records it as `zh:` so a later change of the
// Chinese shows up as a stale translation.
func ZHHash(it *Item) string {
	sum := sha256.Sum256([]byte(it.Text + "\n" + it.Guidance + "\n" + it.Improve))
	return hex.EncodeToString(sum[:])[:8]
}

// BundledTranslationFiles returns the names and bytes of the embedded translation overlays.
func BundledTranslationFiles() map[string][]byte {
	out := map[string][]byte{}
	names, _ := fs.Glob(i18nFS, "i18n/*.yaml")
	for _, n := range names {
		data, _ := i18nFS.ReadFile(n)
		out[path.Join("questionnaires", n)] = data
	}
	return out
}

// ApplyTranslations parses the overlay files and attaches their English to the items of qs. Errors
// are overlays that cannot be read or name something that does not exist (file and line); warnings
// are stale or unhashed entries. Every version of a questionnaire id gets the same overlay; an
// entry is unknown only when no version has its item.
func ApplyTranslations(qs []*Questionnaire, files map[string][]byte) (errs, warns Problems) {
	return applyTranslations(qs, files, true)
}

// applyTranslations is ApplyTranslations; strict refuses unknown keys, which takes a second YAML
// pass (see parse): the embedded overlays skip it at run time, TestBundledFilesParseStrictly
// checks them.
func applyTranslations(qs []*Questionnaire, files map[string][]byte, strict bool) (errs, warns Problems) {
	byID := map[string][]*Questionnaire{}
	for _, q := range qs {
		byID[q.ID] = append(byID[q.ID], q)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	seen := map[string]*Translation{} // questionnaire id + "\x00" + item id
	for _, name := range names {
		add := func(ps *Problems, line int, format string, args ...any) {
			*ps = append(*ps, Problem{File: name, Line: line, Msg: fmt.Sprintf(format, args...)})
		}
		tf, lines, err := parseTranslation(files[name], strict)
		if err != nil {
			add(&errs, yamlErrLine(err), "%s", yamlErrMsg(err))
			continue
		}
		m := overlayName.FindStringSubmatch(path.Base(name))
		switch {
		case tf.Format != FormatTranslationV1:
			add(&errs, lines["format"], "format 应为 %q", FormatTranslationV1)
			continue
		case tf.Lang != "en":
			add(&errs, lines["lang"], "lang 应为 en，而不是 %q", tf.Lang)
			continue
		case m == nil || m[1] != tf.Questionnaire:
			add(&errs, lines["questionnaire"], "文件名应为 %s.<部分>.en.yaml", tf.Questionnaire)
			continue
		}
		targets := byID[tf.Questionnaire]
		if len(targets) == 0 {
			add(&errs, lines["questionnaire"], "没有 id 为 %q 的问卷", tf.Questionnaire)
			continue
		}
		for id, tr := range tf.Items {
			if tr == nil { // "ID:" with nothing under it
				add(&errs, lines["items."+id], "%s：条目为空", id)
				continue
			}
			tr.line, tr.file = lines["items."+id], name
			key := tf.Questionnaire + "\x00" + id
			if prev := seen[key]; prev != nil {
				add(&errs, tr.line, "%s 已在 %s:%d 翻译过", id, prev.file, prev.line)
				continue
			}
			seen[key] = tr
			found := false
			for _, q := range targets {
				it, ok := q.Item(id)
				if !ok {
					continue
				}
				found = true
				for _, p := range attach(it, tr) {
					add(&errs, tr.line, "%s：%s", id, p)
				}
				if tr.ZH == "" {
					add(&warns, tr.line, "%s：缺少 zh 校验值（应为 %s）", id, ZHHash(it))
				} else if h := ZHHash(it); h != tr.ZH {
					add(&warns, tr.line, "%s：中文已修改（%s %s 的 zh 校验值为 %s，译文记录的是 %s），请核对译文后更新 zh",
						id, q.ID, q.Version, h, tr.ZH)
				}
			}
			if !found {
				add(&errs, tr.line, "问卷 %s 中没有题号 %s", tf.Questionnaire, id)
			}
		}
	}
	sortProblems(errs)
	sortProblems(warns)
	return errs, warns
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
	add := func(line int, format string, args ...any) {
		ps = append(ps, Problem{File: q.File, Line: line, Msg: fmt.Sprintf(format, args...)})
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

// CheckEnglish applies the overlays to qs and returns every English problem: overlay errors and
// missing English are errors, except that the gaps of questionnaires in EnglishExempt or of earlier
// released versions, stale
// translations and entries without a zh hash are warnings.
func CheckEnglish(qs []*Questionnaire, overlays map[string][]byte) (errs, warns Problems) {
	errs, warns = ApplyTranslations(qs, overlays)
	for _, q := range qs {
		miss := MissingEnglish(q)
		// An earlier released version stays in the binary only so that its documents still open
		// and score; its items that the current version dropped may lack English (a warning).
		released := strings.Contains(filepath.ToSlash(q.File), "/released/")
		if EnglishExempt[q.ID] || released {
			if len(miss) > 0 {
				why := "暂列于 EnglishExempt"
				if released {
					why = "早期发布版本，仅用于打开其诊断"
				}
				warns = append(warns, Problem{File: q.File, Msg: fmt.Sprintf("问卷 %s %s 的英文尚不完整（%d 处缺失，%s）", q.ID, q.Version, len(miss), why)})
			}
			continue
		}
		errs = append(errs, miss...)
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
