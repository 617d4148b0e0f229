package pdfstyle

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Measurer returns the rendered width of s in the current font and size.
type Measurer func(s string) float64

// lbEpsilon absorbs floating-point noise when comparing summed widths with the
// available width.
const lbEpsilon = 1e-9

// BreakLines splits text into lines that each fit within width. Newlines in text are hard breaks
// (an empty paragraph yields one empty line). Joining the lines of one paragraph gives back that
// paragraph exactly: nothing is dropped, added or reordered (spaces stay at the end of the line
// they follow). So for every t without "\r", joining each paragraph's lines with "" and the
// paragraphs with "\n" gives back t; strings.Join(BreakLines(t, w, m), "\n") == t holds when no
// paragraph needs wrapping.
//
// Details:
//   - "\r\n" and a lone "\r" are hard breaks too (they are normalised away).
//   - Break opportunities are between two CJK characters, between CJK and anything else, and
//     after a run of spaces. Latin words and numbers (including inner . , - / : % _ +) are kept
//     whole; only a unit wider than width is split, rune by rune.
//   - No line starts with closing punctuation and no line ends with opening punctuation, unless
//     the units chained together that way are wider than width on their own.
//   - Spaces at the end of a line do not count towards its width (they stay on the line, so
//     callers that right-align or centre may want strings.TrimRight(line, " \t")).
//   - Each unit is measured once (results are cached per call); line widths are sums of unit
//     widths. A measurer returning NaN or a negative value counts as 0; a NaN or negative width
//     counts as 0. Every line holds at least one unit, so the function always terminates.
func BreakLines(text string, width float64, measure Measurer) []string {
	return breakLines(text, width, measure, true)
}

// BreakLinesCached is BreakLines for a measurer that is cheap and caches by itself (CachedMeasure):
// units are measured through it directly instead of through a cache of this call's own, which for
// CJK text (a unit per character, few repeated within a paragraph) costs more than it saves.
func BreakLinesCached(text string, width float64, measure Measurer) []string {
	return breakLines(text, width, measure, false)
}

func breakLines(text string, width float64, measure Measurer, cache bool) []string {
	if math.IsNaN(width) || width < 0 {
		width = 0
	}
	if measure == nil {
		measure = func(s string) float64 { return float64(utf8.RuneCountInString(s)) }
	}
	b := &lineBreaker{
		width:   width + lbEpsilon*math.Max(1, width),
		measure: measure,
	}
	if cache {
		b.cache = make(map[string]float64, min(len(text)/3, 256)) // about a unit per CJK character
	}
	var lines []string
	for {
		i := strings.IndexAny(text, "\r\n")
		if i < 0 {
			return b.paragraph(lines, text)
		}
		lines = b.paragraph(lines, text[:i])
		if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
			i++
		}
		text = text[i+1:]
	}
}

// lbAtom is the smallest piece the lineBreaker places on a line: a unit (word, CJK character,
// punctuation mark, leading spaces) or, when a unit is wider than the line, one rune of it.
// para[start:coreEnd] is the visible part, para[coreEnd:end] the trailing spaces.
type lbAtom struct {
	start, coreEnd, end int
	cw, sw              float64 // widths of the visible part and of the trailing spaces
	cjk                 bool    // break opportunity on either side (CJK, emoji, invalid byte)
	open                bool    // visible part ends with opening punctuation
	close               bool    // visible part starts with closing punctuation
}

type lineBreaker struct {
	width   float64 // includes the tolerance
	measure Measurer
	cache   map[string]float64 // nil: the measurer caches

	para  string
	lines []string
	units []lbAtom

	// current line
	lineStart int     // byte offset in para
	lineW     float64 // width of the line including trailing spaces of its last lbAtom
	lineEmpty bool
}

func (b *lineBreaker) w(s string) float64 {
	if s == "" {
		return 0
	}
	if v, ok := b.cache[s]; ok {
		return v
	}
	v := b.measure(s)
	if math.IsNaN(v) || v < 0 {
		v = 0
	}
	if b.cache != nil {
		b.cache[s] = v
	}
	return v
}

func (b *lineBreaker) fits(w float64) bool { return w <= b.width }

// paragraph appends the lines of one paragraph (no hard breaks inside) to lines.
func (b *lineBreaker) paragraph(lines []string, para string) []string {
	b.para, b.lines = para, lines
	units := b.tokenize(para)
	b.lineStart, b.lineW, b.lineEmpty = 0, 0, true

	for s := 0; s < len(units); {
		// A segment is a maximal run of units without a break opportunity between them.
		e := s + 1
		for e < len(units) && !lbCanBreak(&units[e-1], &units[e]) {
			e++
		}
		seg := units[s:e]
		vis := 0.0
		for i := range seg {
			vis += seg[i].cw
			if i < len(seg)-1 {
				vis += seg[i].sw
			}
		}
		last := seg[len(seg)-1].sw
		switch {
		case !b.lineEmpty && b.fits(b.lineW+vis):
			b.lineW += vis + last
		case b.fits(vis):
			b.flush(seg[0].start)
			b.lineW, b.lineEmpty = vis+last, false
		default:
			b.flush(seg[0].start)
			b.forced(seg)
		}
		s = e
	}
	b.lines = append(b.lines, para[b.lineStart:])
	lines, b.lines, b.para = b.lines, nil, ""
	return lines
}

// flush ends the current line (if it has content) just before byte offset at.
func (b *lineBreaker) flush(at int) {
	if b.lineEmpty {
		return
	}
	b.lines = append(b.lines, b.para[b.lineStart:at])
	b.lineStart, b.lineW, b.lineEmpty = at, 0, true
}

// forced lays out a segment that is wider than a whole line, starting on an empty line. It
// breaks between units (or between the runes of a unit that is too wide by itself), preferring
// break points that respect the punctuation rules and falling back to any point otherwise.
func (b *lineBreaker) forced(seg []lbAtom) {
	var atoms []lbAtom
	for _, u := range seg {
		if b.fits(u.cw) || utf8.RuneCountInString(b.para[u.start:u.coreEnd]) <= 1 {
			atoms = append(atoms, u)
			continue
		}
		for i := u.start; i < u.coreEnd; {
			j := lbClusterEnd(b.para, i, u.coreEnd)
			r, _ := utf8.DecodeRuneInString(b.para[i:])
			a := lbAtom{start: i, coreEnd: j, end: j, cw: b.w(b.para[i:j]), cjk: u.cjk,
				open: lbIsOpening(r), close: lbIsClosing(r)}
			if j == u.coreEnd {
				a.end, a.sw = u.end, u.sw
			}
			atoms = append(atoms, a)
			i = j
		}
	}

	first := 0 // index of the first lbAtom on the current line
	for i := 0; i < len(atoms); {
		a := &atoms[i]
		if b.lineEmpty || b.fits(b.lineW+a.cw) {
			b.lineW += a.cw + a.sw
			b.lineEmpty = false
			i++
			continue
		}
		k := i
		if !lbKinsokuOK(&atoms[k-1], &atoms[k]) {
			for j := i - 1; j > first; j-- {
				if lbKinsokuOK(&atoms[j-1], &atoms[j]) {
					k = j
					break
				}
			}
		}
		b.flush(atoms[k].start)
		first = k
		for j := k; j < i; j++ {
			b.lineW += atoms[j].cw + atoms[j].sw
			b.lineEmpty = false
		}
	}
}

// lbKinsokuOK reports whether a line may end after a and the next start with b.
func lbKinsokuOK(a, b *lbAtom) bool { return !a.open && !b.close }

// lbCanBreak reports whether there is a regular break opportunity between adjacent units.
func lbCanBreak(a, b *lbAtom) bool {
	if !lbKinsokuOK(a, b) {
		return false
	}
	return a.end > a.coreEnd || a.cjk || b.cjk
}

// tokenize splits a paragraph into units with their widths.
func (b *lineBreaker) tokenize(p string) []lbAtom {
	units := b.units[:0] // reused across the paragraphs of one call
	if cap(units) == 0 {
		units = make([]lbAtom, 0, len(p)/3+4) // about a unit per CJK character
	}
	defer func() { b.units = units[:0] }()
	for i := 0; i < len(p); {
		start := i
		r, size := utf8.DecodeRuneInString(p[i:])
		u := lbAtom{start: start}
		switch {
		case lbIsSpace(r):
			// Leading spaces of the paragraph: a unit without visible part.
		case r == utf8.RuneError && size == 1, r > 0xFFFF, lbIsCJK(r):
			i = lbClusterEnd(p, i, len(p))
			u.cjk = true
		case lbIsWordRune(r):
			i = lbWordEnd(p, i)
		default:
			i = lbClusterEnd(p, i, len(p))
		}
		u.coreEnd = i
		for i < len(p) && lbIsSpace(rune(p[i])) {
			i++
		}
		u.end = i
		if u.coreEnd > u.start {
			// Words start with a letter or digit, so only single-rune units (plus extenders)
			// can be punctuation.
			u.open, u.close = lbIsOpening(r), lbIsClosing(r)
		}
		u.cw = b.w(p[u.start:u.coreEnd])
		u.sw = b.w(p[u.coreEnd:u.end])
		units = append(units, u)
	}
	return units
}

func lbIsSpace(r rune) bool { return r == ' ' || r == '\t' }

// lbClusterEnd returns the end of the rune at i plus any following combining marks, variation
// selectors and zero-width-joiner sequences, not beyond limit.
func lbClusterEnd(s string, i, limit int) int {
	_, size := utf8.DecodeRuneInString(s[i:limit])
	i += size
	for i < limit {
		r, size := utf8.DecodeRuneInString(s[i:limit])
		switch {
		case r == '\u200d': // ZWJ: keep it and the rune it joins
			i += size
			if i < limit {
				_, size = utf8.DecodeRuneInString(s[i:limit])
				i += size
			}
		case lbIsExtender(r):
			i += size
		default:
			return i
		}
	}
	return i
}

func lbIsExtender(r rune) bool {
	if r < 0x300 || r >= 0x3400 && r <= 0x9FFF { // fast path: ASCII, Latin-1, CJK ideographs
		return false
	}
	return unicode.In(r, unicode.Mn, unicode.Me) ||
		(r >= 0xFE00 && r <= 0xFE0F) || (r >= 0xE0100 && r <= 0xE01EF) ||
		(r >= 0x1F3FB && r <= 0x1F3FF) // emoji skin-tone modifiers
}

// lbWordEnd returns the end of the Latin word or number starting at i.
func lbWordEnd(s string, i int) int {
	_, size := utf8.DecodeRuneInString(s[i:])
	i += size
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case lbIsWordRune(r) || lbIsExtender(r):
			i += size
		case strings.ContainsRune(".,-/:%_+", r):
			next, _ := utf8.DecodeRuneInString(s[i+size:])
			if i+size < len(s) && lbIsWordRune(next) {
				i += size
			} else if r == '%' {
				return i + size
			} else {
				return i
			}
		default:
			return i
		}
	}
	return i
}

// lbIsWordRune reports letters and digits that form Latin-like words (not CJK).
func lbIsWordRune(r rune) bool {
	if r < 0x80 { // fast path: ASCII
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	if r == utf8.RuneError || r > 0xFFFF || lbIsCJK(r) {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// lbIsCJK reports Han, kana, hangul, bopomofo, CJK symbols and punctuation and full-width forms.
func lbIsCJK(r rune) bool {
	switch {
	case r < 0x1100: // fast path: no CJK script starts before Hangul Jamo
		return false
	case r >= 0x4E00 && r <= 0x9FFF: // fast path: CJK unified ideographs
		return true
	case r >= 0x2E80 && r <= 0x2FFF, // radicals, ideographic description
		r >= 0x3000 && r <= 0x303F, // CJK symbols and punctuation
		r >= 0x3040 && r <= 0x31FF, // kana, bopomofo, hangul compatibility jamo, strokes
		r >= 0x3200 && r <= 0x33FF, // enclosed CJK, compatibility
		r >= 0xFE30 && r <= 0xFE4F, // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFFEF: // half-width and full-width forms
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo)
}

// lbIsClosing reports punctuation that must not start a line.
func lbIsClosing(r rune) bool {
	switch r {
	case '。', '，', '、', '；', '：', '？', '！', '）', '》', '」', '』', '】', '〕', '〉', '〗', '〙', '〛',
		'］', '｝', '”', '’', '…', '—', '·', '%', '％',
		',', '.', ';', ':', '!', '?', ')', ']', '}':
		return true
	}
	return false
}

// lbIsOpening reports punctuation that must not end a line.
func lbIsOpening(r rune) bool {
	switch r {
	case '（', '《', '「', '『', '【', '〔', '〈', '〖', '〘', '〚', '［', '｛', '“', '‘',
		'(', '[', '{':
		return true
	}
	return false
}
