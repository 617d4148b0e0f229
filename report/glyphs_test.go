package report

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"smartdiag/assessment"
	"smartdiag/demo"
	"smartdiag/golden"
	"smartdiag/pdfstyle"
	q "smartdiag/questionnaires"
)

// sourceChars are the characters of the string literals of the module's packages the report is
// built from (non-test files) and of the bundled questionnaire and reference data.
func sourceChars(t *testing.T) map[rune]bool {
	t.Helper()
	out, err := exec.Command("go", "list", "-tags", "migrated_fynedo", "-deps", "-f", "{{if not .Standard}}{{.Dir}}{{end}}", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	set := map[rune]bool{}
	add := func(s string) {
		for _, c := range s {
			set[c] = true
		}
	}
	for _, dir := range strings.Fields(string(out)) {
		if !strings.HasPrefix(dir, root+string(filepath.Separator)) {
			continue // another module
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && (lit.Kind == token.STRING || lit.Kind == token.CHAR) {
					if lit.Kind == token.CHAR {
						c, _, _, err := strconv.UnquoteChar(lit.Value[1:len(lit.Value)-1], '\'')
						if err == nil {
							set[c] = true
						}
					} else if s, err := strconv.Unquote(lit.Value); err == nil {
						add(s)
					}
				}
				return true
			})
		}
	}
	for _, glob := range []string{"*.yaml", "released/*.yaml", "reference/*.yaml", "i18n/*.yaml"} {
		files, _ := filepath.Glob(filepath.Join(root, "questionnaires", glob))
		if len(files) == 0 {
			t.Fatalf("no questionnaire files %s", glob)
		}
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			add(string(b))
		}
	}
	return set
}

// glyphs.txt holds every character of the report's Go strings and bundled data outside the fixed
// ranges, so that the font subset of a report has them. Run with -update after adding text.
func TestGlyphsFileIsComplete(t *testing.T) {
	base := map[rune]bool{}
	for _, rg := range baseRanges {
		for c := rg[0]; c <= rg[1]; c++ {
			base[c] = true
		}
	}
	have := map[rune]bool{}
	for _, c := range glyphsFile {
		have[c] = true
	}
	var need, missing []rune
	for c := range sourceChars(t) {
		if c < 0x20 || base[c] {
			continue
		}
		need = append(need, c)
		if !have[c] {
			missing = append(missing, c)
		}
	}
	slices.Sort(need)
	slices.Sort(missing)
	if golden.Updating() {
		var b strings.Builder
		for i, c := range need {
			b.WriteRune(c)
			if i%64 == 63 || i == len(need)-1 {
				b.WriteByte('\n')
			}
		}
		golden.Check(t, "glyphs.txt", []byte(b.String()))
		return
	}
	if len(missing) > 0 {
		t.Errorf("glyphs.txt lacks %d characters of the report's sources: %q (run go test ./report -run TestGlyphsFileIsComplete -update)", len(missing), string(missing))
	}
}

// textOf renders with the given face (nil: the document's subset, as Write does first) and
// returns the text pdftotext reads, whitespace removed.
func textOf(t *testing.T, face *pdfstyle.Face, qn *q.Questionnaire, d *assessment.Document, lang string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	docBytes, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	d, opt := drawable(d, docBytes, Options{Created: fixedDate, Lang: lang})
	if err := newRendererIn(face, qn, d, opt).write(&buf, docBytes); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return squeeze(string(out))
}

// Rare characters in the firm's own text reach the subset and print; a character the font lacks
// (鿏 of Unicode 5.1) comes out exactly as with the whole font, and one beyond the BMP (U+20000,
// which fpdf cannot draw) as □ instead of a crash.
func TestRareCharactersPrint(t *testing.T) {
	qn, d := demoDoc(t, "cmmm-full", 5)
	d.Enterprise.Name = "南京龘靐精密 Café Ünïcode 𠀀 有限公司"
	d.Enterprise.Products = "鿏元素靶材、龘字牌齿轮 (Façade)"
	d.Enterprise.PainPoints = []string{"设备数据靐龘无法采集，ñandú 线体停机", "㵘㶜 记录靠手工"}
	before := wholeFaceRenders.Load()
	got := textOf(t, nil, qn, d, "zh")
	if n := wholeFaceRenders.Load() - before; n != 0 {
		t.Errorf("rendered %d times with the whole font", n)
	}
	for _, want := range []string{"南京龘靐精密", "CaféÜnïcode□有限公司", "龘字牌齿轮", "设备数据靐龘无法采集", "ñandú", "㵘㶜记录靠手工"} {
		if !strings.Contains(got, want) {
			t.Errorf("report text lacks %q", want)
		}
	}
	if whole := textOf(t, pdfstyle.WholeFace(), qn, d, "zh"); whole != got {
		t.Errorf("text with the subset differs from the whole font's:\n%s", golden.Diff(whole, got))
	}
}

// A character that reaches a page without being in the subset makes Write render the report
// again with the whole font: the text is the same as ever.
func TestMissingGlyphFallsBackToWholeFont(t *testing.T) {
	qn, d := demoDoc(t, "zgsz-quick", 3)
	want := textOf(t, pdfstyle.WholeFace(), qn, d, "zh")
	subsetChars = func(set map[rune]bool) { delete(set, '诊') }
	defer func() { subsetChars = nil }()
	before := wholeFaceRenders.Load()
	pdf, err := Render(qn, d, Options{Created: fixedDate})
	if err != nil {
		t.Fatal(err)
	}
	if n := wholeFaceRenders.Load() - before; n != 1 {
		t.Errorf("rendered %d times with the whole font, want 1", n)
	}
	in := filepath.Join(t.TempDir(), "r.pdf")
	os.WriteFile(in, pdf, 0o644)
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := squeeze(string(out)); got != want || !strings.Contains(got, "诊断") {
		t.Errorf("fallback text differs from the whole font's:\n%s", golden.Diff(want, got))
	}
}

// The demo reports of every bundled questionnaire, in both languages, never need the whole font:
// the fixed set and glyphs.txt cover the report's own text.
func TestDemoReportsFitTheirSubset(t *testing.T) {
	for _, qid := range []string{"cmmm-full", "zgsz-quick", "sme-2024", "ai-2026"} {
		qn, err := q.Lookup(qid, "")
		if err != nil {
			t.Logf("%s: %v", qid, err)
			continue
		}
		docs, err := demo.Generate(demo.Options{Count: 2, Seed: 31, Questionnaire: qn})
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range docs {
			for _, lang := range []string{"zh", "en"} {
				before := wholeFaceRenders.Load()
				if _, err := Render(qn, d, Options{Created: fixedDate, Lang: lang}); err != nil {
					t.Fatal(err)
				}
				if wholeFaceRenders.Load() != before {
					t.Errorf("%s #%d %s: a page showed a character outside the report's subset", qid, i, lang)
				}
			}
		}
	}
}
