package questionnaires

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The current questionnaires sit at the top; every earlier released version that documents may
// still pin is kept, byte for byte, under released/ as <id>-<version>.yaml.
//
//go:embed *.yaml released/*.yaml
var bundledFS embed.FS

// bundledGlobs are the embedded questionnaire files: current ones first, then released ones.
var bundledGlobs = []string{"*.yaml", "released/*.yaml"}

// Problem is one validation finding, printed as file:line: message.
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// Problems is a list of findings that is also an error.
type Problems []Problem

func (ps Problems) Error() string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, "\n")
}

// KnownProductionTypes are the production-type keys an enterprise profile may carry.
var KnownProductionTypes = []ProductionType{
	{Key: "discrete", Name: "离散型"},
	{Key: "process", Name: "流程型"},
	{Key: "mixed", Name: "混合型"},
}

// ProductionTypeName returns the Chinese name of a production-type key.
func ProductionTypeName(key string) string {
	for _, p := range KnownProductionTypes {
		if p.Key == key {
			return p.Name
		}
	}
	return key
}

var (
	idPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	itemIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)
)

// Parse decodes and validates one questionnaire file. It returns the questionnaire only when there
// are no problems; problems are sorted by line.
func Parse(name string, data []byte) (*Questionnaire, Problems) {
	return parse(name, data, false, true)
}

// ParseReleased parses a released (frozen) questionnaire file: the structural checks that scoring
// depends on apply, but not the content rules added after its release (such as quick_win only on
// 一级–三级 items), since its bytes can never change.
func ParseReleased(name string, data []byte) (*Questionnaire, Problems) {
	return parse(name, data, true, true)
}

// parse reads and validates a questionnaire file. strict also refuses keys the format does not
// know, which needs a second YAML pass (yaml.v3 checks them only when decoding from the text);
// the embedded files skip it at run time, since TestBundledFilesParseStrictly checks them.
func parse(name string, data []byte, released, strict bool) (*Questionnaire, Problems) {
	v := &validator{file: name, released: released}
	if !utf8.Valid(data) {
		v.add(0, "文件不是有效的 UTF-8 编码")
		return nil, v.problems
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		v.add(yamlErrLine(err), "YAML 语法错误：%s", yamlErrMsg(err))
		return nil, v.problems
	}
	// An empty list entry ("-" alone) decodes to a nil pointer that every later step would have
	// to guard against; it is always a slip in the file, so it is refused here with its line.
	if lines := emptyEntries(&root, nil); len(lines) > 0 {
		for _, l := range lines {
			v.add(l, "列表中有空的条目（只有“-”，后面没有内容）")
		}
		return nil, v.problems
	}
	q := &Questionnaire{}
	if strict {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(q); err != nil {
			v.add(yamlErrLine(err), "结构错误：%s", yamlErrMsg(err))
			return nil, v.problems
		}
	} else if err := root.Decode(q); err != nil {
		v.add(yamlErrLine(err), "结构错误：%s", yamlErrMsg(err))
		return nil, v.problems
	}
	sum := sha256.Sum256(data)
	q.File, q.SHA256 = name, hex.EncodeToString(sum[:])
	v.lines = itemLines(&root)
	v.topLines = topLines(&root)
	v.validate(q)
	if len(v.problems) > 0 {
		sort.SliceStable(v.problems, func(i, j int) bool { return v.problems[i].Line < v.problems[j].Line })
		return nil, v.problems
	}
	return q, nil
}

// emptyEntries appends the lines of null entries of every sequence under n.
func emptyEntries(n *yaml.Node, lines []int) []int {
	if n == nil {
		return lines
	}
	for _, c := range n.Content {
		if n.Kind == yaml.SequenceNode && c.Kind == yaml.ScalarNode && c.Tag == "!!null" {
			lines = append(lines, c.Line)
			continue
		}
		lines = emptyEntries(c, lines)
	}
	return lines
}

// yaml.v3 reports "yaml: line N: msg" or a TypeError with several such lines.
var yamlLineRe = regexp.MustCompile(`line (\d+)`)

func yamlErrLine(err error) int {
	if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
		n := 0
		fmt.Sscan(m[1], &n)
		return n
	}
	return 0
}

func yamlErrMsg(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = strings.ReplaceAll(s, "unmarshal errors:\n  ", "")
	return strings.ReplaceAll(s, "\n  ", "；")
}

// itemLines maps each id found in an items or kpis list to the lines where items with that id
// start, in file order (several when the id is duplicated).
func itemLines(root *yaml.Node) map[string][]int {
	lines := map[string][]int{}
	var walk func(n *yaml.Node, key string)
	walk = func(n *yaml.Node, key string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, key)
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				if (key == "items" || key == "kpis") && c.Kind == yaml.MappingNode {
					for i := 0; i+1 < len(c.Content); i += 2 {
						if c.Content[i].Value == "id" {
							lines[c.Content[i+1].Value] = append(lines[c.Content[i+1].Value], c.Line)
						}
					}
				}
				walk(c, key)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], n.Content[i].Value)
			}
		}
	}
	walk(root, "")
	return lines
}

// topLines maps top-level keys (and the cmmm/points parameter keys) to their lines.
func topLines(root *yaml.Node) map[string]int {
	lines := map[string]int{}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return lines
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i].Value
		lines[k] = m.Content[i].Line
		if v := m.Content[i+1]; v.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(v.Content); j += 2 {
				lines[k+"."+v.Content[j].Value] = v.Content[j].Line
			}
		}
	}
	return lines
}

type validator struct {
	released bool // a frozen released file: content rules added later are not applied
	file     string
	problems Problems
	lines    map[string][]int
	claimed  map[string]int
	topLines map[string]int
}

func (v *validator) add(line int, format string, args ...any) {
	v.problems = append(v.problems, Problem{File: v.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) top(key string) int { return v.topLines[key] }

func (v *validator) validate(q *Questionnaire) {
	if q.Format != FormatV1 {
		if strings.HasPrefix(q.Format, "smartdiag.questionnaire/") {
			v.add(v.top("format"), "问卷格式 %q 比本软件支持的 %q 新，需要更新软件", q.Format, FormatV1)
		} else {
			v.add(v.top("format"), "format 应为 %q", FormatV1)
		}
		return
	}
	if !idPattern.MatchString(q.ID) {
		v.add(v.top("id"), "id %q 无效：只能用小写字母、数字和连字符", q.ID)
	}
	if strings.TrimSpace(q.Version) == "" {
		v.add(v.top("version"), "缺少 version")
	}
	if strings.TrimSpace(q.Title) == "" {
		v.add(v.top("title"), "缺少 title")
	}
	switch q.LevelKind {
	case "", ReqCMMMLevel, ReqSMELevel, ReqAILevel:
	default:
		v.add(v.top("level_kind"), "level_kind 应为 cmmm_level、sme_level 或 ai_level，而不是 %q", q.LevelKind)
	}
	if q.DurationMinutes < 0 {
		v.add(v.top("duration_minutes"), "duration_minutes 不能为负数")
	}
	switch q.Scoring {
	case ScoringCMMM:
		v.validateCMMM(q)
	case ScoringPoints:
		v.validatePoints(q)
	case ScoringAI:
		v.validateAI(q)
	default:
		v.add(v.top("scoring"), "scoring 应为 cmmm、points 或 ai，而不是 %q", q.Scoring)
		return
	}
	for _, it := range q.KPIs {
		it.KPI = true
		v.claim(q, it)
		if it.Type != TypeNumber {
			v.add(v.itemLine(it), "指标 %s 的 type 必须是 number", it.ID)
		}
	}
	v.validateItems(q)
}

// claim records an item: its line (the next unclaimed line with its id) and its place in the list.
func (v *validator) claim(q *Questionnaire, it *Item) {
	if v.claimed == nil {
		v.claimed = map[string]int{}
	}
	if ls := v.lines[it.ID]; v.claimed[it.ID] < len(ls) {
		it.Line = ls[v.claimed[it.ID]]
		v.claimed[it.ID]++
	}
	it.Index = len(q.items)
	q.items = append(q.items, it)
	// Remember which option labels carry their English inline: ZHHash covers only the others,
	// whose English comes from an overlay (and which attach later fills in).
	for i := range it.Options {
		it.Options[i].inlineEN = it.Options[i].LabelEN != ""
	}
}

func (v *validator) itemLine(it *Item) int { return it.Line }

func (v *validator) productionTypes(q *Questionnaire) []ProductionType {
	if q.CMMM != nil && len(q.CMMM.ProductionTypes) > 0 {
		return q.CMMM.ProductionTypes
	}
	return KnownProductionTypes
}

func (v *validator) validateCMMM(q *Questionnaire) {
	p := q.CMMM
	if p == nil {
		v.add(v.top("scoring"), "scoring: cmmm 需要 cmmm 参数块")
		return
	}
	if q.Points != nil || len(q.Sections) > 0 {
		v.add(v.top("points"), "cmmm 问卷不能有 points 或 sections")
	}
	if !(p.Threshold > 0 && p.Threshold <= 1) {
		v.add(v.top("cmmm.threshold"), "threshold 必须在 (0, 1] 之间")
	}
	keys := map[string]bool{}
	if len(p.Scale) < 2 {
		v.add(v.top("cmmm.scale"), "scale 至少需要两个选项")
	}
	for i, o := range p.Scale {
		if o.Key == "" || o.Label == "" {
			v.add(v.top("cmmm.scale"), "scale 第 %d 项缺少 key 或 label", i+1)
		}
		if keys[o.Key] {
			v.add(v.top("cmmm.scale"), "scale 的 key %q 重复", o.Key)
		}
		keys[o.Key] = true
		if o.Value < 0 || o.Value > 1 {
			v.add(v.top("cmmm.scale"), "scale 选项 %s 的 value 必须在 0 到 1 之间", o.Key)
		}
	}
	if p.NA != nil && (p.NA.Key == "" || keys[p.NA.Key]) {
		v.add(v.top("cmmm.na"), "na 的 key 为空或与 scale 重复")
	}
	if len(p.Levels) != 5 {
		v.add(v.top("cmmm.levels"), "levels 必须正好 5 级，实际 %d 级", len(p.Levels))
	}
	for i, l := range p.Levels {
		if l.Level != i+1 || l.Name == "" {
			v.add(v.top("cmmm.levels"), "levels 第 %d 项应为 level: %d 且有名称", i+1, i+1)
		}
	}
	if len(p.ProductionTypes) == 0 {
		v.add(v.top("cmmm.production_types"), "至少需要一种生产类型")
	}
	ptKeys := map[string]bool{}
	for _, pt := range p.ProductionTypes {
		if ProductionTypeName(pt.Key) == pt.Key || pt.Name == "" {
			v.add(v.top("cmmm.production_types"), "未知的生产类型 %q（可用 discrete、process、mixed）", pt.Key)
		}
		ptKeys[pt.Key] = true
	}
	if len(q.Elements) == 0 {
		v.add(v.top("elements"), "cmmm 问卷需要 elements")
	}
	seen := map[string]map[string]bool{"element": {}, "domain": {}, "subdomain": {}}
	uniq := func(kind, id, name string) {
		line := v.top("elements")
		if !idPattern.MatchString(id) {
			v.add(line, "%s id %q 无效", kind, id)
		}
		if seen[kind][id] {
			v.add(line, "%s id %q 重复", kind, id)
		}
		if strings.TrimSpace(name) == "" {
			v.add(line, "%s %q 缺少名称", kind, id)
		}
		seen[kind][id] = true
	}
	for _, e := range q.Elements {
		uniq("element", e.ID, e.Name)
		if len(e.Domains) == 0 {
			v.add(v.top("elements"), "能力要素 %s 没有能力域", e.ID)
		}
		for _, d := range e.Domains {
			uniq("domain", d.ID, d.Name)
			if len(d.SubDomains) == 0 {
				v.add(v.top("elements"), "能力域 %s 没有能力子域", d.ID)
			}
			for _, sd := range d.SubDomains {
				uniq("subdomain", sd.ID, sd.Name)
				if len(sd.Items) == 0 {
					v.add(v.top("elements"), "能力子域 %s 没有要求项", sd.ID)
				}
				for _, it := range sd.Items {
					it.SubDomain, it.Domain, it.Element = sd, d, e
					v.claim(q, it)
					if it.Type == "" {
						it.Type = TypeScale
					}
					if it.Type != TypeScale {
						v.add(v.itemLine(it), "%s：cmmm 问卷的要求项只能是 scale 类型", it.ID)
					}
					if it.Level < 1 || it.Level > len(p.Levels) {
						v.add(v.itemLine(it), "%s：level 必须在 1 到 %d 之间", it.ID, len(p.Levels))
					}
				}
			}
		}
	}
	// Weights: every production type, every sub-domain, summing to 1.
	for _, pt := range p.ProductionTypes {
		w, ok := p.Weights[pt.Key]
		if !ok {
			v.add(v.top("cmmm.weights"), "缺少生产类型 %s 的权重", pt.Key)
			continue
		}
		// Summed in a fixed order: in map order the sum, and so every normalised weight, differed
		// in the last bit from one load to the next, and so did a plan's printed gains.
		sum := 0.0
		for _, sd := range slices.Sorted(maps.Keys(w)) {
			x := w[sd]
			if !seen["subdomain"][sd] {
				v.add(v.top("cmmm.weights"), "权重 %s 中的能力子域 %q 不存在", pt.Key, sd)
			}
			if x < 0 || math.IsNaN(x) {
				v.add(v.top("cmmm.weights"), "权重 %s.%s 不能为负数", pt.Key, sd)
			}
			sum += x
		}
		for sd := range seen["subdomain"] {
			if _, ok := w[sd]; !ok {
				v.add(v.top("cmmm.weights"), "权重 %s 缺少能力子域 %s", pt.Key, sd)
			}
		}
		if math.Abs(sum-1) > 0.005 {
			v.add(v.top("cmmm.weights"), "权重 %s 之和为 %.4f，应为 1", pt.Key, sum)
		} else if sum > 0 {
			for sd := range w { // remove rounding so weights sum to exactly 1
				w[sd] /= sum
			}
		}
	}
	for k := range p.Weights {
		if !ptKeys[k] {
			v.add(v.top("cmmm.weights"), "权重中的生产类型 %q 未在 production_types 中声明", k)
		}
	}
}

func (v *validator) validatePoints(q *Questionnaire) {
	p := q.Points
	if p == nil {
		v.add(v.top("scoring"), "scoring: points 需要 points 参数块")
		return
	}
	if q.CMMM != nil || len(q.Elements) > 0 {
		v.add(v.top("cmmm"), "points 问卷不能有 cmmm 或 elements")
	}
	if len(p.Levels) == 0 {
		v.add(v.top("points.levels"), "points.levels 不能为空")
	}
	for i, l := range p.Levels {
		if l.Level != i+1 || l.Name == "" {
			v.add(v.top("points.levels"), "points.levels 第 %d 项应为 level: %d 且有名称", i+1, i+1)
		}
		if i > 0 && l.MinScore < p.Levels[i-1].MinScore {
			v.add(v.top("points.levels"), "第 %d 级的 min_score 低于前一级", l.Level)
		}
		if r := l.Scenarios; r != nil && (r.AtLevel < 1 || r.AtLevel > len(p.ScenarioLevels) || r.MinCount < 0) {
			v.add(v.top("points.levels"), "第 %d 级的 scenarios 规则无效（at_level 须在 1 到 %d 之间）", l.Level, len(p.ScenarioLevels))
		}
	}
	for i, l := range p.ScenarioLevels {
		if l.Level != i+1 || l.Name == "" {
			v.add(v.top("points.scenario_levels"), "scenario_levels 第 %d 项应为 level: %d 且有名称", i+1, i+1)
		}
	}
	v.validateSections(q)
}

// validateSections checks the sections of a points or ai questionnaire and claims their items.
func (v *validator) validateSections(q *Questionnaire) {
	if len(q.Sections) == 0 {
		v.add(v.top("sections"), "%s 问卷需要 sections", q.Scoring)
	}
	seen := map[string]bool{}
	var walk func([]*Section)
	walk = func(ss []*Section) {
		for _, s := range ss {
			if !idPattern.MatchString(s.ID) || seen[s.ID] {
				v.add(v.top("sections"), "section id %q 无效或重复", s.ID)
			}
			seen[s.ID] = true
			if strings.TrimSpace(s.Name) == "" {
				v.add(v.top("sections"), "section %s 缺少名称", s.ID)
			}
			if s.Max < 0 {
				v.add(v.top("sections"), "section %s 的 max 不能为负数", s.ID)
			}
			if len(s.Items) == 0 && len(s.Sections) == 0 {
				v.add(v.top("sections"), "section %s 是空的", s.ID)
			}
			for _, it := range s.Items {
				it.Section = s
				v.claim(q, it)
				v.validatePointItem(q, it)
			}
			walk(s.Sections)
		}
	}
	walk(q.Sections)
}

func (v *validator) validatePointItem(q *Questionnaire, it *Item) {
	line := v.itemLine(it)
	switch it.Type {
	case TypeSingle, TypeMulti:
		if len(it.Options) < 2 {
			v.add(line, "%s：至少需要两个选项", it.ID)
		}
		keys := map[string]bool{}
		for _, o := range it.Options {
			if o.Key == "" || strings.TrimSpace(o.Label) == "" {
				v.add(line, "%s：选项缺少 key 或 label", it.ID)
			}
			if keys[o.Key] {
				v.add(line, "%s：选项 key %q 重复", it.ID, o.Key)
			}
			if o.Exclusive && it.Type != TypeMulti {
				v.add(line, "%s：exclusive 只用于多选题", it.ID)
			}
			keys[o.Key] = true
		}
		if it.Type == TypeMulti && it.Cap < 0 {
			v.add(line, "%s：cap 不能为负数", it.ID)
		}
	case TypeNumber:
		if len(it.Bands) == 0 {
			v.add(line, "%s：number 题需要 bands 计分档", it.ID)
		}
		if it.BandEdges != "" && it.BandEdges != "lower" && it.BandEdges != "upper" {
			v.add(line, "%s：band_edges 应为 lower 或 upper，而不是 %q", it.ID, it.BandEdges)
		}
		for _, b := range it.Bands {
			if b.Min >= b.Max {
				v.add(line, "%s：计分档 [%g, %g) 无效", it.ID, b.Min, b.Max)
			}
		}
	case TypeScenario:
		want := len(q.Points.ScenarioLevels)
		if len(it.Levels) != want {
			v.add(line, "%s：场景题需要 %d 级描述，实际 %d 级", it.ID, want, len(it.Levels))
		}
		for i, l := range it.Levels {
			if l.Level != i+1 || strings.TrimSpace(l.Text) == "" {
				v.add(line, "%s：第 %d 级描述缺失或顺序不对", it.ID, i+1)
			}
			if l.Concept != "" && !idPattern.MatchString(l.Concept) {
				v.add(line, "%s：第 %d 级的 concept %q 无效：只能用小写字母、数字和连字符", it.ID, i+1, l.Concept)
			}
		}
	case "":
		v.add(line, "%s：缺少 type（single、multi、number 或 scenario）", it.ID)
	default:
		v.add(line, "%s：未知的 type %q", it.ID, it.Type)
	}
}

// validateItems checks what every item shares: ids, texts, tracks, references and conditions.
func (v *validator) validateItems(q *Questionnaire) {
	scen := Scenarios()
	pts := map[string]bool{}
	for _, pt := range v.productionTypes(q) {
		pts[pt.Key] = true
	}
	q.byID = map[string]*Item{}
	texts := map[string]string{}
	for _, it := range q.items {
		line := v.itemLine(it)
		if !itemIDPattern.MatchString(it.ID) {
			v.add(line, "题号 %q 无效：只能用字母、数字、- 和 _", it.ID)
		}
		if _, dup := q.byID[it.ID]; dup {
			v.add(line, "题号 %s 重复", it.ID)
		}
		q.byID[it.ID] = it
		for field, s := range map[string]string{"text": it.Text, "guidance": it.Guidance, "improve": it.Improve} {
			if strings.TrimSpace(s) == "" {
				v.add(line, "%s：%s 不能为空", it.ID, field)
			} else if bad := halfWidthPunct(s); bad != "" {
				v.add(line, "%s：%s 中的中文应使用全角标点，发现 %q", it.ID, field, bad)
			}
		}
		if prev, dup := texts[it.Text]; dup && it.Text != "" {
			v.add(line, "%s：题目文字与 %s 完全相同", it.ID, prev)
		}
		texts[it.Text] = it.ID
		// A quick win needs documents, rules or configuration, not investment: that is how a firm
		// climbs 一级–三级. 四级 models and 五级 leadership are never quick.
		if it.QuickWin && it.Level > 3 && !v.released {
			v.add(line, "%s：quick_win 只用于一级至三级的要求，本题为 %d 级", it.ID, it.Level)
		}
		if it.Concept != "" && !idPattern.MatchString(it.Concept) {
			v.add(line, "%s：concept %q 无效：只能用小写字母、数字和连字符", it.ID, it.Concept)
		}
		if !isTrack(it.Track) {
			v.add(line, "%s：track 应为 智改、数转 或 网联，而不是 %q", it.ID, it.Track)
		}
		for _, s := range it.Scenarios {
			if _, ok := scen[s]; !ok {
				v.add(line, "%s：典型场景 %q 不在 scenarios.yaml 中", it.ID, s)
			}
		}
		for _, t := range it.AppliesTo {
			if !pts[t] {
				v.add(line, "%s：applies_to 中的生产类型 %q 未定义", it.ID, t)
			}
		}
		if it.Type == TypeNumber {
			if it.Min == nil || it.Max == nil || *it.Min >= *it.Max {
				v.add(line, "%s：数值题需要 min < max", it.ID)
			}
			if strings.TrimSpace(it.Unit) == "" {
				v.add(line, "%s：数值题需要 unit", it.ID)
			}
		}
		if it.When != "" {
			e, err := ParseExpr(it.When)
			if err != nil {
				v.add(line, "%s：when 条件错误：%v", it.ID, err)
				continue
			}
			it.Cond = e
		}
	}
	// References of conditions, then cycles (a cycle hides its items forever).
	for _, it := range q.items {
		if it.Cond == nil {
			continue
		}
		answers, profile := it.Cond.Refs()
		for _, f := range profile {
			if _, ok := ProfileFields[f]; !ok {
				v.add(v.itemLine(it), "%s：when 中的 profile.%s 不是已知的企业字段", it.ID, f)
			}
		}
		for _, a := range answers {
			if a == it.ID {
				v.add(v.itemLine(it), "%s：when 不能引用本题", it.ID)
			} else if _, ok := q.byID[a]; !ok {
				v.add(v.itemLine(it), "%s：when 引用的题号 %s 不存在", it.ID, a)
			}
		}
	}
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	var visit func(it *Item) bool
	visit = func(it *Item) bool {
		switch state[it.ID] {
		case visiting:
			return true
		case done:
			return false
		}
		state[it.ID] = visiting
		if it.Cond != nil {
			answers, _ := it.Cond.Refs()
			for _, a := range answers {
				if dep, ok := q.byID[a]; ok && dep != it && visit(dep) {
					return true
				}
			}
		}
		state[it.ID] = done
		return false
	}
	for _, it := range q.items {
		if state[it.ID] == unvisited && visit(it) {
			v.add(v.itemLine(it), "%s：when 条件存在循环引用", it.ID)
		}
	}
}

func isTrack(s string) bool {
	for _, t := range Tracks {
		if s == t {
			return true
		}
	}
	return false
}

// halfWidthPunct returns the first ASCII punctuation mark that touches a Chinese character, which
// in Chinese prose should be full width, or "".
func halfWidthPunct(s string) string {
	rs := []rune(s)
	for i, r := range rs {
		if !strings.ContainsRune(",;:?!()", r) {
			continue
		}
		prevHan := i > 0 && unicode.Is(unicode.Han, rs[i-1])
		nextHan := i+1 < len(rs) && unicode.Is(unicode.Han, rs[i+1])
		if (r == '(' && nextHan) || (r != '(' && prevHan) {
			lo, hi := max(0, i-2), min(len(rs), i+3)
			return string(rs[lo:hi])
		}
	}
	return ""
}

var (
	bundledOnce sync.Once
	bundled     []*Questionnaire // newest version of each id
	allVersions []*Questionnaire
	bundledErr  error
)

// Bundled returns the current (newest) version of each questionnaire embedded in the binary,
// sorted by id: the ones a new diagnosis can use. They are parsed and validated once per process.
func Bundled() ([]*Questionnaire, error) {
	loadBundled()
	return bundled, bundledErr
}

// AllVersions returns every embedded questionnaire version, current and released, sorted by id and
// then by version, newest last.
func AllVersions() ([]*Questionnaire, error) {
	loadBundled()
	return allVersions, bundledErr
}

// bundledGroup is one questionnaire id's embedded files (its current file and its released
// versions) and their overlays, parsed together the first time the id is needed. A process that
// renders or scores one document parses only that document's questionnaire: parsing all of them
// was a fifth of a report's process time.
type bundledGroup struct {
	files    []string // current file first, then released ones
	overlays []string // translation files named <id>.<part>.en.yaml or released/<id>-<version>.en.yaml
	once     sync.Once
	qs       []*Questionnaire // sorted by version
	errs     Problems
}

// releasedName is released/<id>-<version>.yaml, the version starting with a digit.
var releasedName = regexp.MustCompile(`^released/(.+)-([0-9][^/-]*)\.yaml$`)

// bundledGroups groups the embedded files by the id their names give, without parsing them;
// orphans are overlays whose name gives no bundled id (reported by the full load).
var bundledGroups = sync.OnceValues(func() (groups map[string]*bundledGroup, orphans map[string][]byte) {
	groups = map[string]*bundledGroup{}
	group := func(id string) *bundledGroup {
		if groups[id] == nil {
			groups[id] = &bundledGroup{}
		}
		return groups[id]
	}
	for i, glob := range bundledGlobs {
		names, _ := fs.Glob(bundledFS, glob)
		for _, n := range names {
			id := strings.TrimSuffix(n, ".yaml")
			if i > 0 {
				id = n // a released file named otherwise is its own group, and fails its id check
				if m := releasedName.FindStringSubmatch(n); m != nil {
					id = m[1]
				}
			}
			g := group(id)
			g.files = append(g.files, n)
		}
	}
	orphans = map[string][]byte{}
	for name, data := range BundledTranslationFiles() {
		if id, _, ok := overlayTarget(name); ok && groups[id] != nil {
			groups[id].overlays = append(groups[id].overlays, name)
		} else {
			orphans[name] = data
		}
	}
	return groups, orphans
})

// load parses and validates the group's files once and attaches their overlays.
func (g *bundledGroup) load(id string) ([]*Questionnaire, Problems) {
	g.once.Do(func() {
		for _, n := range g.files {
			data, _ := bundledFS.ReadFile(n)
			name := path.Join("questionnaires", n)
			q, ps := parse(name, data, IsReleasedFile(n), false)
			g.errs = append(g.errs, ps...)
			if q == nil {
				continue
			}
			// Files are found by name, so a file must carry the id its name says.
			if q.ID != id {
				g.errs = append(g.errs, Problem{File: name, Msg: fmt.Sprintf("文件名与问卷 id %q 不符：应为 %s.yaml 或 released/%s-%s.yaml", q.ID, q.ID, q.ID, q.Version)})
				continue
			}
			g.qs = append(g.qs, q)
		}
		sort.SliceStable(g.qs, func(i, j int) bool { return CompareVersions(g.qs[i].Version, g.qs[j].Version) < 0 })
		for i, q := range g.qs {
			if i > 0 && g.qs[i-1].Version == q.Version {
				g.errs = append(g.errs, Problem{File: q.File, Msg: fmt.Sprintf("问卷 %s 版本 %s 重复（另见 %s）", q.ID, q.Version, g.qs[i-1].File)})
			}
		}
		// A shared overlay entry attaches to every version whose Chinese it translates (its zh
		// hash), so an item's English stays with it across releases; a released version's own
		// overlay gives the English of the Chinese that later versions changed. A stale entry
		// attaches nowhere and is only a warning for the translators (smartdiag validate).
		if len(g.overlays) > 0 {
			files := map[string][]byte{}
			all := BundledTranslationFiles()
			for _, n := range g.overlays {
				files[n] = all[n]
			}
			terrs, _, _ := applyTranslations(g.qs, files, false)
			g.errs = append(g.errs, terrs...)
		}
	})
	return g.qs, g.errs
}

func loadBundled() {
	bundledOnce.Do(func() {
		groups, orphans := bundledGroups()
		ids := make([]string, 0, len(groups))
		for id := range groups {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		var errs Problems
		for _, id := range ids {
			qs, ps := groups[id].load(id)
			errs = append(errs, ps...)
			allVersions = append(allVersions, qs...)
			if len(qs) > 0 {
				bundled = append(bundled, qs[len(qs)-1])
			}
		}
		if len(orphans) > 0 {
			terrs, _ := ApplyTranslations(allVersions, orphans)
			errs = append(errs, terrs...)
		}
		if len(errs) > 0 {
			bundledErr = errs
		}
	})
}

// CompareVersions orders dotted version strings numerically ("1.10.0" after "1.9.0"); a part that
// is not a number compares as text.
func CompareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(as), len(bs)) {
		x, y := "0", "0" // a missing part counts as 0: "1.0" equals "1.0.0"
		if i < len(as) {
			x = as[i]
		}
		if i < len(bs) {
			y = bs[i]
		}
		nx, ex := strconv.Atoi(x)
		ny, ey := strconv.Atoi(y)
		switch {
		case ex == nil && ey == nil && nx != ny:
			if nx < ny {
				return -1
			}
			return 1
		case (ex != nil || ey != nil) && x != y:
			return strings.Compare(x, y)
		}
	}
	return 0
}

// BundledFiles returns the names and bytes of every embedded questionnaire file, released ones
// under questionnaires/released/.
func BundledFiles() map[string][]byte {
	out := map[string][]byte{}
	for _, glob := range bundledGlobs {
		names, _ := fs.Glob(bundledFS, glob)
		for _, n := range names {
			data, _ := bundledFS.ReadFile(n)
			out[path.Join("questionnaires", n)] = data
		}
	}
	return out
}

// IsReleasedFile reports whether a bundled file name is a frozen earlier version.
func IsReleasedFile(name string) bool {
	return strings.Contains(name, "/released/") || strings.HasPrefix(name, "released/")
}

// ErrUnknownQuestionnaire is returned by Lookup for an id or version the binary does not carry.
type ErrUnknownQuestionnaire struct {
	ID, Version string
	Have        []string // versions of the same id that are bundled
}

func (e *ErrUnknownQuestionnaire) Error() string {
	if len(e.Have) == 0 {
		return fmt.Sprintf("本软件没有问卷 %s（版本 %s），请更新软件", e.ID, e.Version)
	}
	return fmt.Sprintf("本软件没有问卷 %s 的版本 %s（现有版本：%s），请更新软件", e.ID, e.Version, strings.Join(e.Have, "、"))
}

// Lookup finds a bundled questionnaire by id and version; "" gives the newest version.
func Lookup(id, version string) (*Questionnaire, error) {
	groups, _ := bundledGroups()
	var all []*Questionnaire
	if g := groups[id]; g != nil {
		qs, errs := g.load(id)
		if len(errs) > 0 {
			return nil, errs
		}
		all = qs
	}
	var have []string
	var newest *Questionnaire
	for _, q := range all {
		if q.Version == version {
			return q, nil
		}
		newest = q
		have = append(have, q.Version)
	}
	if version == "" && newest != nil {
		return newest, nil
	}
	return nil, &ErrUnknownQuestionnaire{ID: id, Version: version, Have: have}
}
