package pdfstyle

import (
	"errors"
	"io"
	"sync"
	"time"
	"unicode/utf16"

	"codeberg.org/go-pdf/fpdf"

	"smartdiag/assets"
	"smartdiag/fontsubset"
)

// fpdf parses the embedded font for every document, and again to subset it at output: for the
// 35,000-glyph CJK font that was about 40% of a report's CPU. A document that knows which
// characters it can draw gets a Face holding only those (built from the font parsed once per
// process); fpdf then parses a font of a few thousand glyphs instead. Text measures and renders
// exactly as with the whole font, since outlines and widths are copied unchanged.

// Face is the font a document embeds: the whole house font, or a subset of it.
type Face struct {
	ttf   []byte
	chars map[rune]bool // the subset's characters; nil for the whole font
}

// WholeFace is the whole house font.
func WholeFace() *Face { return &Face{ttf: assets.Font} }

var parsedFont = sync.OnceValues(func() (*fontsubset.Font, error) { return fontsubset.Parse(assets.Font) })

// SubsetFace is the house font cut down to chars (characters the font lacks are ignored; the
// document draws them as the whole font would, with its .notdef glyph).
func SubsetFace(chars map[rune]bool) (*Face, error) {
	font, err := parsedFont()
	if err != nil {
		return nil, err
	}
	runes := make([]rune, 0, len(chars))
	for r := range chars {
		runes = append(runes, r)
	}
	ttf, err := font.Subset(runes)
	if err != nil {
		return nil, err
	}
	return &Face{ttf: ttf, chars: chars}, nil
}

// ErrMissingGlyph is returned by Output when a document drew a character its subset face lacks
// although the whole font has it: render it again with WholeFace (the character would otherwise
// print as a blank).
var ErrMissingGlyph = errors.New("pdfstyle: a drawn character is not in the document's font subset")

// New starts an A4 portrait document with the whole house font; see Face.New.
func New(created time.Time, marginL, marginT, marginR, marginB float64) *fpdf.Fpdf {
	return WholeFace().New(created, marginL, marginT, marginR, marginB)
}

// Output writes a document started with New to w with its page streams compressed.
func Output(pdf *fpdf.Fpdf, w io.Writer) error { return WholeFace().Output(pdf, w) }

// missing reports whether a drawn character would print as a blank with this face although the
// whole font has a glyph for it.
func (f *Face) missing(r rune) bool {
	if f.chars == nil || f.chars[r] {
		return false
	}
	font, err := parsedFont()
	return err == nil && font.Has(r)
}

// checkText returns ErrMissingGlyph when a page content stream shows a character the face lacks.
// fpdf writes the text of a UTF-8 font as literal strings of UTF-16BE code units, escaped with
// backslashes; a page stream has no other literal strings.
func (f *Face) checkText(content []byte) error {
	var units []uint16
	var str []byte
	for i := 0; i < len(content); i++ {
		if content[i] != '(' {
			continue
		}
		str = str[:0]
		for i++; i < len(content) && content[i] != ')'; i++ {
			c := content[i]
			if c == '\\' && i+1 < len(content) {
				i++
				switch c = content[i]; c {
				case 'n':
					c = '\n'
				case 'r':
					c = '\r'
				case 't':
					c = '\t'
				case 'b':
					c = '\b'
				case 'f':
					c = '\f'
				case '0', '1', '2', '3', '4', '5', '6', '7':
					v := 0
					for k := 0; k < 3 && i < len(content) && content[i] >= '0' && content[i] <= '7'; k++ {
						v = v*8 + int(content[i]-'0')
						i++
					}
					i--
					c = byte(v)
				}
			}
			str = append(str, c)
		}
		units = units[:0]
		for k := 0; k+1 < len(str); k += 2 {
			units = append(units, uint16(str[k])<<8|uint16(str[k+1]))
		}
		for _, r := range utf16.Decode(units) {
			if f.missing(r) {
				return ErrMissingGlyph
			}
		}
	}
	return nil
}
