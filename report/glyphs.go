package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"smartdiag/assessment"
	"smartdiag/pdfstyle"
	q "smartdiag/questionnaires"
)

// The report embeds a subset of the CJK font holding the characters it can draw (pdfstyle.Face):
// fpdf then parses a font of about 1,600 glyphs instead of 35,000 for each report. The set must
// be complete, or a character prints as a blank, so it is the union of
//   - fixed ranges: ASCII, Latin-1, general punctuation, CJK punctuation, full-width forms;
//   - glyphs.txt: every character of the string literals of the Go packages the report is built
//     from and of the bundled questionnaires, overlays and reference data (TestGlyphsFileIsComplete
//     fails when it lacks one; `go test ./report -run TestGlyphsFileIsComplete -update` rewrites it);
//   - every character of every string of the document, the questionnaire, the district profile,
//     the benchmarks, the peer file and the earlier diagnosis;
// and, as a safety net, Write renders the report again with the whole font when a page shows a
// character the subset lacks (pdfstyle.ErrMissingGlyph).

//go:embed glyphs.txt
var glyphsFile string

// wholeFaceRenders counts reports rendered again with the whole font, for the tests.
var wholeFaceRenders atomic.Int64

var baseRanges = [][2]rune{
	{0x20, 0x7E}, {0xA0, 0xFF}, // ASCII, Latin-1 (fpdf lists widths of code points below 256)
	{0x2000, 0x206F}, // general punctuation
	{0x3000, 0x303F}, // CJK symbols and punctuation
	{0xFF00, 0xFFEF}, // full-width forms
}

var baseChars = sync.OnceValue(func() map[rune]bool {
	set := map[rune]bool{}
	for _, rg := range baseRanges {
		for c := rg[0]; c <= rg[1]; c++ {
			set[c] = true
		}
	}
	for _, c := range glyphsFile {
		if c != '\n' {
			set[c] = true
		}
	}
	return set
})

// charsOf caches the characters of shared, read-only objects (questionnaires, the bundled
// district profile and benchmarks) by pointer: they live for the whole process.
var charsOf sync.Map // any (a pointer) → map[rune]bool

func sharedChars(p any) map[rune]bool {
	if c, ok := charsOf.Load(p); ok {
		return c.(map[rune]bool)
	}
	set := map[rune]bool{}
	addChars(set, reflect.ValueOf(p), map[uintptr]bool{})
	charsOf.Store(p, set)
	return set
}

// documentFace is the font subset for the report of d, or the whole font if it cannot be made.
func documentFace(qn *q.Questionnaire, d *assessment.Document, opt Options) *pdfstyle.Face {
	set := make(map[rune]bool, 3000)
	for _, s := range []map[rune]bool{baseChars(), sharedChars(qn), sharedChars(opt.District), sharedChars(opt.Benchmarks)} {
		for c := range s {
			set[c] = true
		}
	}
	seen := map[uintptr]bool{}
	addChars(set, reflect.ValueOf(d), seen)
	addChars(set, reflect.ValueOf(opt.Peers), seen)
	addChars(set, reflect.ValueOf(opt.Creator), seen)
	if e := opt.Earlier; e != nil {
		addChars(set, reflect.ValueOf(e.Doc), seen)
		if e.Questionnaire != nil {
			for c := range sharedChars(e.Questionnaire) {
				set[c] = true
			}
		}
	}
	if subsetChars != nil {
		subsetChars(set)
	}
	face, err := pdfstyle.SubsetFace(set)
	if err != nil {
		return pdfstyle.WholeFace()
	}
	return face
}

// subsetChars, when set by a test, edits the character set of every report's subset.
var subsetChars func(map[rune]bool)

// addChars adds the characters of every string reachable from v (struct fields exported or
// not, slices, arrays, map keys and values, pointers and interfaces, each pointer once).
func addChars(set map[rune]bool, v reflect.Value, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.String:
		for _, c := range v.String() {
			set[c] = true
		}
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		addChars(set, v.Elem(), seen)
	case reflect.Interface:
		if !v.IsNil() {
			addChars(set, v.Elem(), seen)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			addChars(set, v.Field(i), seen)
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return // bytes (photos, signatures), not text
		}
		for i := range v.Len() {
			addChars(set, v.Index(i), seen)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			addChars(set, it.Key(), seen)
			addChars(set, it.Value(), seen)
		}
	}
}

// fpdf (v0.12) keeps its glyph tables for the Basic Multilingual Plane only, and a character
// beyond it (CJK Extension B such as 𠮷, which occurs in names) makes it panic at output, with
// the whole font as with a subset. The report prints such a character as □, the customary mark
// for a character the type lacks; the document embedded in the PDF keeps the original.
const missingMark = '□'

func bmpRune(r rune) rune {
	if r > 0xFFFF {
		return missingMark
	}
	return r
}

// drawable returns d and opt with the characters beyond the BMP replaced (see bmpOnly).
func drawable(d *assessment.Document, docBytes []byte, opt Options) (*assessment.Document, Options) {
	d = bmpOnly(d, docBytes)
	if e := opt.Earlier; e != nil && e.Doc != nil {
		opt.Earlier = &Earlier{Doc: bmpOnly(e.Doc, nil), Questionnaire: e.Questionnaire}
	}
	opt.Creator = strings.Map(bmpRune, opt.Creator)
	return d, opt
}

// bmpOnly returns d, or a copy of it with every character beyond the BMP replaced by □ when it
// has one. encoded is d's encoding when the caller has it, for a quick check (Go's JSON writes
// those characters as raw UTF-8, the only four-byte sequences).
func bmpOnly(d *assessment.Document, encoded []byte) *assessment.Document {
	if encoded != nil && !beyondBMP(encoded) {
		return d
	}
	b, err := json.Marshal(d)
	if err != nil || !beyondBMP(b) {
		return d
	}
	var c assessment.Document
	if err := json.Unmarshal([]byte(strings.Map(bmpRune, string(b))), &c); err != nil {
		return d
	}
	return &c
}

func beyondBMP(b []byte) bool { return bytes.ContainsFunc(b, func(r rune) bool { return r > 0xFFFF }) }
