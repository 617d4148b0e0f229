package pdfstyle

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// lbTestWide reports runes the fake measurer draws at full width.
func lbTestWide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// lbFakeMeasure: CJK and full-width runes are 1.0 wide, all other runes 0.5.
func lbFakeMeasure(s string) float64 {
	w := 0.0
	for _, r := range s {
		if lbTestWide(r) {
			w += 1
		} else {
			w += 0.5
		}
	}
	return w
}

// Punctuation sets as specified, kept independent of the implementation.
const (
	lbTestClosing = "。，、；：？！）》」』】〕〉”’…—·%,.;:!?)]}"
	lbTestOpening = "（《「『【〔〈“‘([{"
)

func lbTestIsClosing(r rune) bool { return strings.ContainsRune(lbTestClosing, r) }
func lbTestIsOpening(r rune) bool { return strings.ContainsRune(lbTestOpening, r) }
func lbTestIsWordish(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(".,-/:%_+", r)) && !lbTestWide(r)
}

func TestBreakLinesExact(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width float64
		want  []string
	}{
		{"empty", "", 10, []string{""}},
		{"fits", "  中文 ", 10, []string{"  中文 "}},
		{"closing punctuation pulls previous char down", "今天天气很好。", 6, []string{"今天天气很", "好。"}},
		{"closing punctuation after Latin word", "使用ERP。", 3.5, []string{"使用", "ERP。"}},
		{"opening punctuation stays with next char", "一二三四五（六）", 6, []string{"一二三四五", "（六）"}},
		{"quoted system name", "数据来自“MES”系统", 5, []string{"数据来自", "“MES”系统"}},
		{"Latin word kept whole", "系统ERP升级", 3, []string{"系统", "ERP升", "级"}},
		{"version number kept whole", "版本v2.7.1发布", 4, []string{"版本", "v2.7.1发", "布"}},
		{"percentage kept whole", "95.5%的设备", 3, []string{"95.5%", "的设备"}},
		{"spaces stay at line end", "hello world foo", 4, []string{"hello ", "world ", "foo"}},
		{"ASCII punctuation", "Hello, world!", 3, []string{"Hello, ", "world!"}},
		{"no break inside Latin run", "ab a=b", 2.5, []string{"ab ", "a=b"}},
		{"long word split by rune", "abcdefghij", 2, []string{"abcd", "efgh", "ij"}},
		{"long word split keeps closing mark", "abcdefgh.", 2, []string{"abcd", "efg", "h."}},
		{"hard newlines", "第一行\n\nsecond line", 10, []string{"第一行", "", "second line"}},
		{"trailing newline", "中文\n", 10, []string{"中文", ""}},
		{"CRLF", "甲\r\n乙\r丙", 10, []string{"甲", "乙", "丙"}},
		{"zero width", "ab中", 0, []string{"a", "b", "中"}},
		{"negative width", "中文", -3, []string{"中", "文"}},
		{"chained opening marks forced", "（（（（", 1, []string{"（", "（", "（", "（"}},
		{"non-BMP runes", "😀😀𠀀𠀀😀", 2, []string{"😀😀𠀀", "𠀀😀"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := BreakLines(tc.text, tc.width, lbFakeMeasure)
			if !slices.Equal(got, tc.want) {
				t.Errorf("BreakLines(%q, %v) = %q, want %q", tc.text, tc.width, got, tc.want)
			}
		})
	}
}

func TestBreakLinesOddMeasurers(t *testing.T) {
	text := "设备OEE为95.5%（目标：98%）， see ISO/IEC 27001.\n😀\xff\xfe𠀀"
	measurers := map[string]Measurer{
		"zero":     func(string) float64 { return 0 },
		"NaN":      func(string) float64 { return math.NaN() },
		"negative": func(s string) float64 { return -lbFakeMeasure(s) },
		"Inf":      func(string) float64 { return math.Inf(1) },
		"nil":      nil,
		"fake":     lbFakeMeasure,
	}
	widths := []float64{0, -1, math.NaN(), math.Inf(1), math.Inf(-1), 1e-300, 0.5, 3, 1e300}
	for name, m := range measurers {
		for _, w := range widths {
			lines := BreakLines(text, w, m)
			if _, err := lbTestParagraphs(text, lines); err != nil {
				t.Errorf("%s measurer, width %v: %v", name, w, err)
			}
		}
	}
}

func TestBreakLinesMeasuresIncrementally(t *testing.T) {
	unit := "根据现场调研，MES与ERP之间的数据同步延迟约为2.5小时，导致OEE统计失真。建议 upgrade to v2.7.1 并统一接口规范。"
	text := strings.Repeat(unit, 200)
	calls, measured := 0, 0
	m := func(s string) float64 {
		calls++
		measured += utf8.RuneCountInString(s)
		return lbFakeMeasure(s)
	}
	lines := BreakLines(text, 30, m)
	if _, err := lbTestParagraphs(text, lines); err != nil {
		t.Fatal(err)
	}
	// Units are measured once (and cached), never whole lines over and over.
	if n := utf8.RuneCountInString(text); calls > n/10 || measured > n/10 {
		t.Errorf("measurer called %d times on %d runes in total for a %d-rune text", calls, measured, n)
	}
}

// lbTestParagraphs checks that lines are exactly text cut into pieces: one empty line for an
// empty paragraph, otherwise non-empty lines whose concatenation is the paragraph. It returns
// the lines grouped by paragraph.
func lbTestParagraphs(text string, lines []string) ([][]string, error) {
	var paras [][]string
	li := 0
	for n, para := range strings.Split(text, "\n") {
		first := li
		if para == "" {
			if li >= len(lines) || lines[li] != "" {
				return nil, fmt.Errorf("paragraph %d is empty but lines are %q", n, lines[first:])
			}
			li++
		}
		for rest := para; rest != ""; li++ {
			if li >= len(lines) || lines[li] == "" || !strings.HasPrefix(rest, lines[li]) {
				return nil, fmt.Errorf("paragraph %d %q is not rejoined by lines %q", n, para, lines[first:min(li+1, len(lines))])
			}
			rest = rest[len(lines[li]):]
		}
		paras = append(paras, lines[first:li])
	}
	if li != len(lines) {
		return nil, fmt.Errorf("%d extra lines %q", len(lines)-li, lines[li:])
	}
	return paras, nil
}

// lbCheckLines verifies the invariants of BreakLines' result for text at width.
func lbCheckLines(t *testing.T, text string, width float64, lines []string) {
	t.Helper()
	paras, err := lbTestParagraphs(text, lines)
	if err != nil {
		t.Fatalf("BreakLines(%q, %v): %v", text, width, err)
	}
	if math.IsNaN(width) || width < 0 {
		width = 0
	}
	limit := width + 1e-9*math.Max(1, width)
	fits := func(w float64) bool { return w <= limit }
	trim := func(s string) string { return strings.TrimRight(s, " \t") }
	// allBlocked reports whether the line offers no break point that respects the rules: every
	// boundary inside it is before a space or closing mark, after an opening mark, or inside a
	// Latin word.
	allBlocked := func(line string) bool {
		rs := []rune(trim(line))
		prev := ' ' // last non-space rune before p
		for p := 1; p < len(rs); p++ {
			if rs[p-1] != ' ' && rs[p-1] != '\t' {
				prev = rs[p-1]
			}
			switch {
			case rs[p] == ' ' || rs[p] == '\t', lbTestIsClosing(rs[p]), lbTestIsOpening(prev),
				lbTestIsWordish(rs[p-1]) && lbTestIsWordish(rs[p]):
				continue
			}
			return false
		}
		return true
	}
	wordishPrefix := func(s string) string {
		r, size := utf8.DecodeRuneInString(s)
		if !lbTestIsWordish(r) {
			return s[:size]
		}
		end := strings.IndexFunc(s, func(r rune) bool { return !lbTestIsWordish(r) })
		if end < 0 {
			end = len(s)
		}
		return s[:end]
	}

	isSpace := func(r rune) bool { return r == ' ' || r == '\t' }
	wideish := func(r rune) bool { return lbTestWide(r) || r > 0xFFFF }
	alnum := func(r rune) bool {
		return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !lbTestWide(r) && r <= 0xFFFF
	}
	for _, pl := range paras {
		rs := []rune(strings.Join(pl, ""))
		n := len(rs)
		// pre[i] is the width of rs[:i]; vis[i] is the end of rs[:i] without trailing spaces.
		pre := make([]float64, n+1)
		vis := make([]int, n+1)
		for i, r := range rs {
			pre[i+1] = pre[i] + lbFakeMeasure(string(r))
			vis[i+1] = vis[i]
			if !isSpace(r) {
				vis[i+1] = i + 1
			}
		}
		// soft[p] reports whether the boundary before rs[p] is a regular break opportunity:
		// after spaces or next to a CJK character or emoji, and not before a space or closing
		// mark or after an opening mark.
		soft := make([]bool, n+1)
		soft[0], soft[n] = true, true
		for p := 1; p < n; p++ {
			x, y := rs[p-1], rs[p]
			switch {
			case isSpace(y), lbTestIsClosing(y):
			case vis[p] > 0 && lbTestIsOpening(rs[vis[p]-1]):
			default:
				soft[p] = isSpace(x) || wideish(x) || wideish(y)
			}
		}
		// segStart[p]/segEnd[p]: the run without break opportunities around boundary p;
		// wordStart[p]/wordEnd[p]: the run of word characters around it.
		segStart, wordStart := make([]int, n+1), make([]int, n+1)
		for p := 1; p <= n; p++ {
			segStart[p], wordStart[p] = segStart[p-1], wordStart[p-1]
			if soft[p-1] {
				segStart[p] = p - 1
			}
			if !lbTestIsWordish(rs[p-1]) {
				wordStart[p] = p
			}
		}
		segEnd, wordEnd := make([]int, n+1), make([]int, n+1)
		segEnd[n], wordEnd[n] = n, n
		for p := n - 1; p >= 0; p-- {
			segEnd[p], wordEnd[p] = segEnd[p+1], wordEnd[p+1]
			if soft[p+1] {
				segEnd[p] = p + 1
			}
			if !lbTestIsWordish(rs[p]) {
				wordEnd[p] = p
			}
		}
		p := 0
		for i, line := range pl {
			if i > 0 && soft[p] {
				// Greedy: the next run without break opportunities did not fit on this line.
				e := vis[segEnd[p]]
				if fits(lbFakeMeasure(pl[i-1]) + pre[e] - pre[p]) {
					t.Errorf("BreakLines(%q, %v): %q would still fit after line %q; lines %q",
						text, width, string(rs[p:e]), pl[i-1], pl)
				}
			}
			if i > 0 && alnum(rs[p-1]) && alnum(rs[p]) {
				// A word is only split when it is too wide on its own.
				if s, e := wordStart[p], wordEnd[p]; fits(pre[e] - pre[s]) {
					t.Errorf("BreakLines(%q, %v): line %q splits word %q, which fits on a line; lines %q",
						text, width, line, string(rs[s:e]), pl)
				}
			}
			if i > 0 && !soft[p] {
				// Any other break is only allowed inside a run without break opportunities that
				// is too wide for a line on its own.
				if s, e := segStart[p], vis[segEnd[p]]; fits(pre[e] - pre[s]) {
					t.Errorf("BreakLines(%q, %v): line %q breaks %q, which fits on a line; lines %q",
						text, width, line, string(rs[s:e]), pl)
				}
			}
			p += utf8.RuneCountInString(line)
		}
		for i, line := range pl {
			vis := trim(line)
			if !fits(lbFakeMeasure(vis)) && utf8.RuneCountInString(vis) > 1 {
				t.Errorf("BreakLines(%q, %v): line %q (width %v) too wide", text, width, line, lbFakeMeasure(vis))
			}
			if i > 0 {
				if r, _ := utf8.DecodeRuneInString(line); lbTestIsClosing(r) {
					prev := pl[i-1]
					if fits(lbFakeMeasure(prev)+lbFakeMeasure(string(r))) || !allBlocked(prev) {
						t.Errorf("BreakLines(%q, %v): line %q starts with closing punctuation after %q; lines %q",
							text, width, line, prev, pl)
					}
				}
			}
			if i < len(pl)-1 {
				if r, _ := utf8.DecodeLastRuneInString(vis); lbTestIsOpening(r) {
					next := wordishPrefix(pl[i+1])
					if fits(lbFakeMeasure(line)+lbFakeMeasure(next)) || !allBlocked(line) {
						t.Errorf("BreakLines(%q, %v): line %q ends with opening punctuation before %q; lines %q",
							text, width, line, pl[i+1], pl)
					}
				}
			}
		}
	}
}

func TestBreakLinesProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(20240501, 7))
	han := []rune("的系统数据生产设备管理质量分析建议优化流程车间工艺")
	words := []string{"ERP", "MES", "v2.7.1", "95.5%", "2024-05-01", "ISO/IEC", "OEE", "hello", "a", "x1",
		"supercalifragilisticexpialidocious", "12345", "don't", "e.g.", "C++", "AI-driven"}
	closing := []rune(lbTestClosing)
	opening := []rune(lbTestOpening)
	others := []string{"😀", "🚀", "𠀀", "=", "#", "&", "ｱ", "한", "の", "＋"}

	for n := range 2000 {
		var sb strings.Builder
		for range rng.IntN(50) {
			switch k := rng.IntN(100); {
			case k < 35:
				sb.WriteRune(han[rng.IntN(len(han))])
			case k < 50:
				sb.WriteString(words[rng.IntN(len(words))])
			case k < 62:
				sb.WriteRune(closing[rng.IntN(len(closing))])
			case k < 72:
				sb.WriteRune(opening[rng.IntN(len(opening))])
			case k < 85:
				sb.WriteString(strings.Repeat(" ", 1+rng.IntN(3)))
			case k < 95:
				sb.WriteString(others[rng.IntN(len(others))])
			default:
				sb.WriteByte('\n')
			}
		}
		text := sb.String()
		var width float64
		switch rng.IntN(5) {
		case 0:
			width = rng.Float64() * 2
		case 1:
			width = rng.Float64() * 6
		case 2:
			width = float64(rng.IntN(12)) / 2
		case 3:
			width = rng.Float64() * 40
		default:
			width = float64(rng.IntN(5)) - 1
		}
		lines := BreakLines(text, width, lbFakeMeasure)
		lbCheckLines(t, text, width, lines)
		if t.Failed() {
			t.Fatalf("case %d failed", n)
		}
	}
}

func TestBreakLinesConsultantNote(t *testing.T) {
	note := "经过为期两周的现场调研，我们发现贵司生产车间的数字化基础较为薄弱：MES系统仅覆盖了总装线，" +
		"冲压与焊装车间仍依赖纸质工单；ERP（SAP S/4HANA）与MES之间的数据同步每2.5小时执行一次，" +
		"导致库存数据存在明显滞后。2024-05-01至2024-06-30期间，关键设备的OEE平均值为67.3%，" +
		"低于行业标杆（85%）约17.7个百分点，其中计划外停机占损失时间的42%。质量方面，" +
		"一次交检合格率为95.5%，但追溯体系尚未符合ISO/IEC 27001与IATF 16949的要求。\n" +
		"建议分三个阶段推进：第一阶段（3个月）完成MES v2.7.1升级与设备联网，部署OPC UA网关；" +
		"第二阶段（6个月）打通ERP、MES、WMS和QMS的主数据，建立统一的“数据中台”；" +
		"第三阶段引入基于AI的预测性维护模型，目标是将OEE提升至80%以上、库存周转天数降低20%。" +
		"预计总投资约为1,250万元，投资回收期约2.3年……详见附件《实施路线图》。"
	const width = 30
	lines := BreakLines(note, width, lbFakeMeasure)
	lbCheckLines(t, note, width, lines)

	if len(lines) < 10 {
		t.Errorf("expected the note to wrap onto many lines, got %d: %q", len(lines), lines)
	}
	// Every character survives, in order.
	var got []rune
	for _, l := range lines {
		got = append(got, []rune(l)...)
	}
	var want []rune
	for _, r := range note {
		if r != '\n' {
			want = append(want, r)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("characters lost or changed:\n got %q\nwant %q", string(got), string(want))
	}
	// Words and numbers are never split across lines.
	for _, w := range []string{"MES", "ERP", "S/4HANA", "2024-05-01", "2024-06-30", "67.3%", "95.5%",
		"ISO/IEC", "v2.7.1", "1,250", "OEE", "QMS"} {
		n := strings.Count(note, w)
		m := 0
		for _, l := range lines {
			m += strings.Count(l, w)
		}
		if m != n {
			t.Errorf("%q occurs %d times in the note but %d times whole in the lines", w, n, m)
		}
	}
	for i, l := range lines {
		if w := lbFakeMeasure(strings.TrimRight(l, " ")); w > width {
			t.Errorf("line %d %q is %v wide", i, l, w)
		}
	}
}

func FuzzBreakLines(f *testing.F) {
	f.Add("今天天气很好。", 6.0)
	f.Add("数据来自“MES”系统，版本v2.7.1（2024-05-01）。", 5.0)
	f.Add("hello world, foo bar!", 4.0)
	f.Add("abcdefghijklmnop.", 2.0)
	f.Add("第一行\n\n第二行\r\n第三行\r", 3.0)
	f.Add("😀👍🏽👨\u200d👩\u200d👧 é𠀀\xff\xfe\xc0", 1.5)
	f.Add("（（（（））））", 0.0)
	f.Add("", -1.0)
	f.Fuzz(func(t *testing.T, text string, width float64) {
		lines := BreakLines(text, width, lbFakeMeasure)
		if c := BreakLinesCached(text, width, lbFakeMeasure); !slices.Equal(c, lines) {
			t.Fatalf("BreakLinesCached(%q, %v) = %q, BreakLines = %q", text, width, c, lines)
		}
		want := strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
		if _, err := lbTestParagraphs(want, lines); err != nil {
			t.Fatalf("BreakLines(%q, %v): %v", text, width, err)
		}
		for _, l := range lines {
			if strings.ContainsAny(l, "\r\n") {
				t.Fatalf("BreakLines(%q, %v): line %q contains a line break", text, width, l)
			}
		}
		if len(lines) > len(text)+1 {
			t.Fatalf("BreakLines(%q, %v): %d lines for %d bytes", text, width, len(lines), len(text))
		}
		// The full invariants are checked on texts made of runes the fake measurer and the
		// test's own classification understand.
		simple := func(r rune) bool {
			return r == '\t' || r == '\n' || (r >= ' ' && r < 0x7f) || unicode.Is(unicode.Han, r) ||
				lbTestIsClosing(r) || lbTestIsOpening(r) || (r >= 0x1F600 && r <= 0x1F6FF)
		}
		if strings.IndexFunc(text, func(r rune) bool { return !simple(r) }) < 0 && utf8.ValidString(text) {
			lbCheckLines(t, text, width, lines)
		}
	})
}

func BenchmarkBreakLines(b *testing.B) {
	text := strings.Repeat("根据现场调研，MES与ERP之间的数据同步延迟约为2.5小时，导致OEE统计失真。", 50)
	for b.Loop() {
		BreakLines(text, 30, lbFakeMeasure)
	}
}
