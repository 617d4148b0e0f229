package questionnaires

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseMini(t *testing.T) {
	q, ps := Parse("mini.yaml", []byte(readTestdata(t, "mini-cmmm.yaml")))
	if ps != nil {
		t.Fatal(ps)
	}
	if q.SectionCount() != 3 || q.LevelCount() != 5 || len(q.Items()) != 18 || q.ScoredItemCount() != 17 {
		t.Errorf("counts: sections %d levels %d items %d scored %d", q.SectionCount(), q.LevelCount(), len(q.Items()), q.ScoredItemCount())
	}
	it, _ := q.Item("B2X")
	if it.Cond == nil || it.SubDomain.ID != "b" || it.Domain.ID != "d1" || it.Element.ID != "e1" || it.Line == 0 {
		t.Errorf("B2X not linked: %+v", it)
	}
	if len(q.SHA256) != 64 {
		t.Errorf("sha256 %q", q.SHA256)
	}
}

// Each case edits the valid mini questionnaire and names the problem the validator must report,
// with the line it must point at (0: any line).
func TestParseProblems(t *testing.T) {
	base := readTestdata(t, "mini-cmmm.yaml")
	lineOf := func(s string) int {
		i := strings.Index(base, s)
		if i < 0 {
			t.Fatalf("fixture lacks %q", s)
		}
		return strings.Count(base[:i], "\n") + 1
	}
	tests := []struct {
		name, old, new, want string
		line                 int
	}{
		{"yaml syntax", "title: 测试问卷", "title: [测试问卷", "YAML 语法错误", 0},
		{"unknown field", "guidance: 查看。, improve: 改进。, track: 智改}\n              - {id: A2", "guidence: 查看。, improve: 改进。, track: 智改}\n              - {id: A2", "field guidence not found", lineOf("{id: A1,")},
		{"newer format", "format: smartdiag.questionnaire/1", "format: smartdiag.questionnaire/2", "需要更新软件", 3},
		{"bad id", "id: mini-cmmm", "id: Mini CMMM", "id \"Mini CMMM\" 无效", 0},
		{"duplicate item id", "{id: A2,", "{id: A1,", "题号 A1 重复", lineOf("{id: A2,")},
		{"empty text", "text: A三级要求。", "text: \"\"", "A3：text 不能为空", lineOf("{id: A3,")},
		{"duplicate text", "text: A三级要求。", "text: A二级要求。", "A3：题目文字与 A2 完全相同", lineOf("{id: A3,")},
		{"half-width punctuation", "guidance: 查看。, improve: 改进。, track: 数转}\n              - {id: B2,", "guidance: \"查看记录,并核对\", improve: 改进。, track: 数转}\n              - {id: B2,", "B1：guidance 中的中文应使用全角标点", lineOf("{id: B1,")},
		{"bad track", "track: 网联}\n              - {id: C1P", "track: 联网}\n              - {id: C1P", "track 应为 智改、数转 或 网联", lineOf("{id: C1,")},
		{"unknown scenario", "{id: A1, level: 1,", "{id: A1, scenarios: [Z99], level: 1,", "典型场景 \"Z99\" 不在 scenarios.yaml 中", lineOf("{id: A1,")},
		{"unknown production type", "applies_to: [process]", "applies_to: [batch]", "生产类型 \"batch\" 未定义", lineOf("{id: C1P,")},
		{"level out of range", "{id: A5, level: 5,", "{id: A5, level: 6,", "A5：level 必须在 1 到 5 之间", lineOf("{id: A5,")},
		{"weights do not sum to 1", "discrete: {a: 0.5, b: 0.3, c: 0.2}", "discrete: {a: 0.5, b: 0.3, c: 0.3}", "权重 discrete 之和为 1.1000，应为 1", lineOf("  weights:")},
		{"weight for unknown sub-domain", "process: {a: 0.2, b: 0.3, c: 0.5}", "process: {a: 0.2, b: 0.3, x: 0.5}", "权重 process 中的能力子域 \"x\" 不存在", 0},
		{"weight missing", "process: {a: 0.2, b: 0.3, c: 0.5}", "process: {a: 0.5, b: 0.5}", "权重 process 缺少能力子域 c", 0},
		{"four levels", "    - {level: 5, name: 五级, title: 引领级}\n", "", "levels 必须正好 5 级", lineOf("  levels:")},
		{"condition syntax", `when: "answer.B1 >= 0.8"`, `when: "answer.B1 => 0.8"`, "B2X：when 条件错误", lineOf("{id: B2X,")},
		{"condition unknown item", `when: "answer.B1 >= 0.8"`, `when: "answer.B9 >= 0.8"`, "when 引用的题号 B9 不存在", lineOf("{id: B2X,")},
		{"condition unknown field", `when: "answer.B1 >= 0.8"`, `when: "profile.size >= 8"`, "profile.size 不是已知的企业字段", lineOf("{id: B2X,")},
		{"condition on itself", `when: "answer.B1 >= 0.8"`, `when: "answer.B2X >= 0.8"`, "when 不能引用本题", 0},
		{"condition cycle", "{id: B1, level: 1,", `{id: B1, when: "answer.B2X > 0", level: 1,`, "when 条件存在循环引用", 0},
		{"kpi without range", "min: 0, max: 100, guidance: 查看台账。", "guidance: 查看台账。", "K1：数值题需要 min < max", lineOf("{id: K1,")},
		{"kpi not a number", "{id: K1, type: number,", "{id: K1, type: single,", "指标 K1 的 type 必须是 number", lineOf("{id: K1,")},
		{"wrong scoring", "scoring: cmmm", "scoring: stars", "scoring 应为 cmmm、points 或 ai", lineOf("scoring: cmmm")},
		{"type mismatch", "threshold: 0.8", "threshold: 高", "结构错误", lineOf("threshold:")},
		{"quick win at 四级", "{id: A4, level: 4,", "{id: A4, quick_win: true, level: 4,", "A4：quick_win 只用于一级至三级的要求", lineOf("{id: A4,")},
		{"bad concept", "{id: A3, level: 3,", "{id: A3, concept: SPC分析, level: 3,", "A3：concept \"SPC分析\" 无效", lineOf("{id: A3,")},
		{"empty list entry", "              - {id: A4, level: 4,", "              -\n              - {id: A4, level: 4,", "列表中有空的条目", lineOf("{id: A4,")},
		{"bad level kind", "scoring: cmmm", "level_kind: cmm\nscoring: cmmm", "level_kind 应为", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(base, tt.old, tt.new, 1)
			if src == base {
				t.Fatalf("edit %q did not apply", tt.old)
			}
			q, ps := Parse("bad.yaml", []byte(src))
			if q != nil || len(ps) == 0 {
				t.Fatalf("no problem reported")
			}
			for _, p := range ps {
				if strings.Contains(p.Msg, tt.want) {
					if tt.line != 0 && p.Line != tt.line {
						t.Errorf("%s reported at line %d, want %d", p, p.Line, tt.line)
					}
					if !strings.HasPrefix(p.String(), fmt.Sprintf("bad.yaml:%d: ", p.Line)) && p.Line > 0 {
						t.Errorf("problem not printed as file:line: %s", p)
					}
					return
				}
			}
			t.Errorf("want a problem containing %q, got:\n%v", tt.want, ps)
		})
	}
}

func TestParseRejectsNonUTF8(t *testing.T) {
	if _, ps := Parse("gbk.yaml", []byte("title: \xb2\xe2\xca\xd4\n")); len(ps) == 0 || !strings.Contains(ps[0].Msg, "UTF-8") {
		t.Errorf("got %v", ps)
	}
}

func TestPointsProblems(t *testing.T) {
	base := readTestdata(t, "mini-points.yaml")
	tests := []struct{ name, old, new, want string }{
		{"no type", "            type: multi\n", "", "P-SYS：缺少 type"},
		{"one option", "              - {key: office, label: 办公网, points: 2}\n              - {key: plant, label: 车间全覆盖, points: 6}\n", "", "至少需要两个选项"},
		{"duplicate option", "{key: mes, label: MES", "{key: erp, label: MES", "选项 key \"erp\" 重复"},
		{"empty band", "{min: 50, max: 80, points: 2}", "{min: 80, max: 50, points: 2}", "计分档 [80, 50) 无效"},
		{"scenario levels", "levels: [{level: 1, text: 乙一。}, {level: 2, text: 乙二。}, {level: 3, text: 乙三。}]", "levels: [{level: 1, text: 乙一。}]", "S-B：场景题需要 3 级描述，实际 1 级"},
		{"decreasing min score", "min_score: 18", "min_score: 8", "第 3 级的 min_score 低于前一级"},
		{"scenario rule level", "scenarios: {at_level: 2, min_count: 1}", "scenarios: {at_level: 7, min_count: 1}", "scenarios 规则无效"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(base, tt.old, tt.new, 1)
			if src == base {
				t.Fatalf("edit did not apply")
			}
			_, ps := Parse("bad.yaml", []byte(src))
			if !strings.Contains(ps.Error(), tt.want) {
				t.Errorf("want %q, got:\n%v", tt.want, ps)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	bundled, _ := filepath.Glob("*.yaml")
	for _, name := range append(files, bundled...) {
		b, _ := os.ReadFile(name)
		f.Add(b)
	}
	f.Add([]byte("format: smartdiag.questionnaire/1\nscoring: cmmm\ncmmm: {}\nelements: [{domains: [{subdomains: [{items: [{}]}]}]}]"))
	f.Add([]byte("&a [*a, *a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		q, ps := Parse("fuzz.yaml", data)
		if (q == nil) == (ps == nil) {
			t.Fatalf("Parse returned questionnaire %v and problems %v", q != nil, ps)
		}
		if q != nil {
			q.SectionCount()
			q.LevelCount()
			for _, it := range q.Items() {
				it.MaxPoints()
			}
		}
	})
}

// A released file is frozen: content rules added after its release (quick_win only at 一级–三级) do
// not reject it, but the structural rules still do.
func TestParseReleasedSkipsLaterContentRules(t *testing.T) {
	base := readTestdata(t, "mini-cmmm.yaml")
	src := strings.Replace(base, "{id: A4, level: 4,", "{id: A4, quick_win: true, level: 4,", 1)
	if _, ps := ParseReleased("released.yaml", []byte(src)); ps != nil {
		t.Errorf("released file rejected: %v", ps)
	}
	if _, ps := Parse("current.yaml", []byte(src)); ps == nil {
		t.Error("current file with quick_win at 四级 accepted")
	}
	broken := strings.Replace(base, "{id: A5, level: 5,", "{id: A5, level: 6,", 1)
	if _, ps := ParseReleased("released.yaml", []byte(broken)); ps == nil {
		t.Error("released file with a level out of range accepted")
	}
}

// Normalised weights are the same to the last bit on every load: summed in map order they were
// not, and a plan's gains printed to three places changed between two runs on one file.
func TestWeightsAreStableAcrossLoads(t *testing.T) {
	data, err := os.ReadFile("cmmm-full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	load := func() map[string]WeightMap {
		qn, probs := Parse("cmmm-full.yaml", data)
		if len(probs) > 0 {
			t.Fatal(probs)
		}
		return qn.CMMM.Weights
	}
	first := load()
	for range 50 {
		for pt, w := range load() {
			for sd, x := range w {
				if x != first[pt][sd] {
					t.Fatalf("%s.%s: %v, then %v", pt, sd, first[pt][sd], x)
				}
			}
		}
	}
}

// Lookup parses only the files of the questionnaire it is asked for. Package state is shared by
// the tests, so the check runs in a fresh process (this test binary, started again).
func TestLookupParsesOnlyItsQuestionnaire(t *testing.T) {
	if os.Getenv("SMARTDIAG_LOOKUP_CHILD") == "1" {
		if _, err := Lookup("zgsz-quick", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := Lookup("zgsz-quick", "1.0.0"); err != nil {
			t.Fatal(err)
		}
		groups, _ := bundledGroups()
		for id, g := range groups {
			parsed := len(g.qs) > 0 || len(g.errs) > 0
			if parsed != (id == "zgsz-quick") {
				t.Errorf("%s: parsed %v", id, parsed)
			}
		}
		if got := len(groups["zgsz-quick"].qs); got != 3 {
			t.Errorf("zgsz-quick: %d versions, want the current and the two released ones (1.0.0, 1.1.0)", got)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestLookupParsesOnlyItsQuestionnaire$", "-test.v")
	cmd.Env = append(os.Environ(), "SMARTDIAG_LOOKUP_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

// Lookup and the full load hand out the same objects, and every embedded file belongs to the
// group its name gives.
func TestLookupAndBundledAgree(t *testing.T) {
	all, err := AllVersions()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(BundledFiles()) {
		t.Errorf("%d versions loaded from %d files", len(all), len(BundledFiles()))
	}
	for _, q := range all {
		got, err := Lookup(q.ID, q.Version)
		if err != nil || got != q {
			t.Errorf("%s %s: Lookup gives %p (%v), full load %p", q.ID, q.Version, got, err, q)
		}
	}
	if _, err := Lookup("no-such-questionnaire", ""); err == nil {
		t.Error("unknown id found")
	}
}

// The embedded files are loaded without the unknown-key check (one YAML pass instead of two):
// here every one of them passes it, and the strict parse gives the same questionnaire.
func TestBundledFilesParseStrictly(t *testing.T) {
	for name, data := range BundledFiles() {
		strict, ps := parse(name, data, IsReleasedFile(name), true)
		if len(ps) > 0 {
			t.Errorf("%s:\n%v", name, ps)
			continue
		}
		loose, ps := parse(name, data, IsReleasedFile(name), false)
		if len(ps) > 0 || !reflect.DeepEqual(strict, loose) {
			t.Errorf("%s: the one-pass parse differs from the strict one (%v)", name, ps)
		}
	}
	for name, data := range BundledTranslationFiles() {
		strict, _, err := parseTranslation(data, true)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		loose, _, err := parseTranslation(data, false)
		if err != nil || !reflect.DeepEqual(strict, loose) {
			t.Errorf("%s: the one-pass parse differs from the strict one (%v)", name, err)
		}
	}
	// The strict parse is what catches an unknown key.
	data := BundledFiles()["questionnaires/zgsz-quick.yaml"]
	bad := append([]byte("no_such_key: 1\n"), data...)
	if _, ps := Parse("x.yaml", bad); len(ps) == 0 {
		t.Error("unknown top-level key accepted by Parse")
	}
}
