// Package fontsubset cuts a TrueType font down to the characters one document needs.
//
// fpdf parses the whole embedded CJK font (35,000 glyphs, 3.3 MB) for every document, once when the
// font is added and again when it subsets it at output: about 40% of a report's CPU. Parse reads
// the font once per process; Subset then builds, for each document, a small valid TrueType font
// holding only the glyphs of the characters the document can draw, which fpdf parses in a fraction
// of the time. Glyph outlines, advance widths, the font-wide metrics (head, hhea, OS/2, post) and
// the hinting tables are copied unchanged, so text measures and renders exactly as with the full
// font.
package fontsubset

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// Font is a parsed TrueType font. It is read-only after Parse and safe for concurrent use.
type Font struct {
	tables     map[string][]byte // every table, by tag, sharing the parsed bytes
	numGlyphs  int
	numHMetric int
	loca       []uint32 // numGlyphs+1 glyph offsets into glyf
	cmap       map[rune]uint16
}

// Tables copied into a subset unchanged when the font has them (besides the ones rebuilt).
var copied = []string{"OS/2", "name", "cvt ", "fpgm", "prep", "gasp"}

// Parse reads a TrueType font (sfnt version 1.0 or 'true', glyf outlines) and its Unicode cmap
// (format 4, and format 12 when present). Bad or truncated bytes give an error, never a panic.
func Parse(ttf []byte) (*Font, error) {
	if len(ttf) < 12 {
		return nil, errors.New("font: file too short")
	}
	switch v := be32(ttf); v {
	case 0x00010000, 0x74727565: // 1.0, 'true'
	default:
		return nil, fmt.Errorf("font: not a TrueType font (version %#08x)", v)
	}
	n := int(be16(ttf[4:]))
	if len(ttf) < 12+16*n {
		return nil, errors.New("font: table directory truncated")
	}
	f := &Font{tables: make(map[string][]byte, n)}
	for i := range n {
		rec := ttf[12+16*i:]
		tag := string(rec[:4])
		off, size := uint64(be32(rec[8:])), uint64(be32(rec[12:]))
		if off+size > uint64(len(ttf)) {
			return nil, fmt.Errorf("font: table %q lies outside the file", tag)
		}
		f.tables[tag] = ttf[off : off+size : off+size]
	}
	for _, tag := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap"} {
		if f.tables[tag] == nil {
			return nil, fmt.Errorf("font: no %q table", tag)
		}
	}
	head, hhea, maxp := f.tables["head"], f.tables["hhea"], f.tables["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return nil, errors.New("font: head, hhea or maxp table too short")
	}
	if be16(head[18:]) == 0 {
		return nil, errors.New("font: unitsPerEm is 0")
	}
	f.numGlyphs = int(be16(maxp[4:]))
	f.numHMetric = int(be16(hhea[34:]))
	if f.numGlyphs == 0 || f.numHMetric == 0 || f.numHMetric > f.numGlyphs {
		return nil, fmt.Errorf("font: %d glyphs with %d horizontal metrics", f.numGlyphs, f.numHMetric)
	}
	if len(f.tables["hmtx"]) < 4*f.numHMetric+2*(f.numGlyphs-f.numHMetric) {
		return nil, errors.New("font: hmtx table too short")
	}
	if err := f.parseLoca(int16(be16(head[50:]))); err != nil {
		return nil, err
	}
	if err := f.parseCmap(); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *Font) parseLoca(format int16) error {
	loca, glyf := f.tables["loca"], f.tables["glyf"]
	f.loca = make([]uint32, f.numGlyphs+1)
	switch format {
	case 0:
		if len(loca) < 2*(f.numGlyphs+1) {
			return errors.New("font: loca table too short")
		}
		for i := range f.loca {
			f.loca[i] = 2 * uint32(be16(loca[2*i:]))
		}
	case 1:
		if len(loca) < 4*(f.numGlyphs+1) {
			return errors.New("font: loca table too short")
		}
		for i := range f.loca {
			f.loca[i] = be32(loca[4*i:])
		}
	default:
		return fmt.Errorf("font: unknown loca format %d", format)
	}
	for i := range f.numGlyphs {
		if f.loca[i] > f.loca[i+1] || f.loca[i+1] > uint32(len(glyf)) {
			return fmt.Errorf("font: glyph %d lies outside the glyf table", i)
		}
	}
	return nil
}

// parseCmap reads the Unicode subtables: format 4 (BMP) and, when present, format 12 (all planes).
func (f *Font) parseCmap() error {
	cmap := f.tables["cmap"]
	if len(cmap) < 4 {
		return errors.New("font: cmap table too short")
	}
	n := int(be16(cmap[2:]))
	if len(cmap) < 4+8*n {
		return errors.New("font: cmap table truncated")
	}
	f.cmap = map[rune]uint16{}
	found := false
	for i := range n {
		rec := cmap[4+8*i:]
		platform, encoding, off := be16(rec), be16(rec[2:]), be32(rec[4:])
		if !(platform == 0 || platform == 3 && (encoding == 1 || encoding == 10)) {
			continue
		}
		if uint64(off)+4 > uint64(len(cmap)) {
			return errors.New("font: cmap subtable outside the table")
		}
		sub := cmap[off:]
		var err error
		switch be16(sub) {
		case 4:
			err = f.cmap4(sub)
		case 12:
			err = f.cmap12(sub)
		default:
			continue
		}
		if err != nil {
			return err
		}
		found = true
	}
	if !found {
		return errors.New("font: no Unicode cmap (format 4 or 12)")
	}
	return nil
}

func (f *Font) add(r rune, gid uint32) {
	if gid != 0 && gid < uint32(f.numGlyphs) && r >= 0 && r <= 0x10FFFF && (r < 0xD800 || r > 0xDFFF) {
		f.cmap[r] = uint16(gid)
	}
}

func (f *Font) cmap4(sub []byte) error {
	if len(sub) < 14 {
		return errors.New("font: cmap format 4 too short")
	}
	segs := int(be16(sub[6:])) / 2
	if len(sub) < 16+8*segs {
		return errors.New("font: cmap format 4 truncated")
	}
	ends, starts := sub[14:], sub[16+2*segs:]
	deltas, ranges := sub[16+4*segs:], sub[16+6*segs:]
	next := uint32(0) // segments are sorted and do not overlap, so the loops below are bounded
	for s := range segs {
		end, start := uint32(be16(ends[2*s:])), uint32(be16(starts[2*s:]))
		delta, ro := uint32(be16(deltas[2*s:])), uint32(be16(ranges[2*s:]))
		if start < next || end < start {
			return fmt.Errorf("font: cmap format 4 segment %d is out of order", s)
		}
		next = end + 1
		for c := start; c <= end && c != 0xFFFF; c++ {
			if ro == 0 {
				f.add(rune(c), (c+delta)&0xFFFF)
				continue
			}
			at := uint64(16+6*segs+2*s) + uint64(ro) + 2*uint64(c-start)
			if at+2 > uint64(len(sub)) {
				return errors.New("font: cmap format 4 glyph index outside the table")
			}
			if g := uint32(be16(sub[at:])); g != 0 {
				f.add(rune(c), (g+delta)&0xFFFF)
			}
		}
	}
	return nil
}

func (f *Font) cmap12(sub []byte) error {
	if len(sub) < 16 {
		return errors.New("font: cmap format 12 too short")
	}
	n := uint64(be32(sub[12:]))
	if uint64(len(sub)) < 16+12*n {
		return errors.New("font: cmap format 12 truncated")
	}
	next := uint32(0) // groups are sorted and do not overlap, so the loops below are bounded
	for i := range n {
		g := sub[16+12*i:]
		start, end, gid := be32(g), be32(g[4:]), be32(g[8:])
		if start < next || end < start || end > 0x10FFFF || end-start >= uint32(f.numGlyphs) {
			return fmt.Errorf("font: cmap format 12 group %d is invalid", i)
		}
		next = end + 1
		for c := start; c <= end; c++ {
			f.add(rune(c), gid+(c-start))
		}
	}
	return nil
}

// Has reports whether the font has a glyph for r.
func (f *Font) Has(r rune) bool {
	_, ok := f.cmap[r]
	return ok
}

// Composite glyph flags.
const (
	argsAreWords    = 0x0001
	haveScale       = 0x0008
	moreComponents  = 0x0020
	haveXYScale     = 0x0040
	haveTwoByTwo    = 0x0080
	maxCompositeRef = 64 // components per glyph at most; real fonts use a handful
)

// glyph returns the outline bytes of glyph gid.
func (f *Font) glyph(gid int) []byte {
	return f.tables["glyf"][f.loca[gid]:f.loca[gid+1]]
}

// components calls fn with the byte offset and glyph index of each component of a composite
// glyph; a simple or empty glyph has none.
func components(g []byte, fn func(at int, gid uint16)) error {
	if len(g) < 10 || int16(be16(g)) >= 0 {
		return nil
	}
	at := 10
	for range maxCompositeRef {
		if at+4 > len(g) {
			return errors.New("font: composite glyph truncated")
		}
		flags := be16(g[at:])
		fn(at+2, be16(g[at+2:]))
		at += 4
		if flags&argsAreWords != 0 {
			at += 4
		} else {
			at += 2
		}
		switch {
		case flags&haveScale != 0:
			at += 2
		case flags&haveXYScale != 0:
			at += 4
		case flags&haveTwoByTwo != 0:
			at += 8
		}
		if flags&moreComponents == 0 {
			return nil
		}
	}
	return errors.New("font: composite glyph with too many components")
}

// Subset returns a TrueType font with the glyphs of the given characters (those the font has;
// others are ignored, as the full font would draw them with its .notdef glyph, which is kept),
// the components of composite glyphs, and a cmap for exactly those characters.
func (f *Font) Subset(runes []rune) ([]byte, error) {
	// Glyphs to keep, in their original order; .notdef first.
	keep := make([]bool, f.numGlyphs)
	keep[0] = true
	queue := []uint16{0}
	mapped := make([]rune, 0, len(runes))
	for _, r := range runes {
		if gid, ok := f.cmap[r]; ok {
			mapped = append(mapped, r)
			if !keep[gid] {
				keep[gid] = true
				queue = append(queue, gid)
			}
		}
	}
	slices.Sort(mapped)
	mapped = slices.Compact(mapped)
	for len(queue) > 0 {
		g := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		var bad error
		err := components(f.glyph(int(g)), func(_ int, c uint16) {
			if int(c) >= f.numGlyphs {
				bad = fmt.Errorf("font: glyph %d refers to glyph %d of %d", g, c, f.numGlyphs)
				return
			}
			if !keep[c] {
				keep[c] = true
				queue = append(queue, c)
			}
		})
		if err == nil {
			err = bad
		}
		if err != nil {
			return nil, err
		}
	}
	var old []uint16
	newID := make([]uint16, f.numGlyphs)
	size := 0
	for g, k := range keep {
		if k {
			newID[g] = uint16(len(old))
			old = append(old, uint16(g))
			size += (int(f.loca[g+1]-f.loca[g]) + 3) &^ 3
		}
	}

	// glyf, loca (long offsets) and hmtx (one full metric per glyph).
	glyf := make([]byte, 0, size)
	loca := make([]byte, 0, 4*(len(old)+1))
	hmtx := make([]byte, 0, 4*len(old))
	src := f.tables["hmtx"]
	for _, g := range old {
		loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		start := len(glyf)
		glyf = append(glyf, f.glyph(int(g))...)
		if err := components(glyf[start:], func(at int, c uint16) {
			binary.BigEndian.PutUint16(glyf[start+at:], newID[c])
		}); err != nil {
			return nil, err
		}
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		adv := 4 * min(int(g), f.numHMetric-1)
		hmtx = append(hmtx, src[adv:adv+2]...)
		if int(g) < f.numHMetric {
			hmtx = append(hmtx, src[4*int(g)+2:4*int(g)+4]...)
		} else {
			lsb := 4*f.numHMetric + 2*(int(g)-f.numHMetric)
			hmtx = append(hmtx, src[lsb:lsb+2]...)
		}
	}
	loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))

	head := slices.Clone(f.tables["head"])
	binary.BigEndian.PutUint32(head[8:], 0) // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(head[50:], 1)
	hhea := slices.Clone(f.tables["hhea"])
	binary.BigEndian.PutUint16(hhea[34:], uint16(len(old)))
	maxp := slices.Clone(f.tables["maxp"])
	binary.BigEndian.PutUint16(maxp[4:], uint16(len(old)))
	post := make([]byte, 32) // version 3.0: no glyph names
	copy(post, f.tables["post"])
	binary.BigEndian.PutUint32(post, 0x00030000)

	out := map[string][]byte{
		"head": head, "hhea": hhea, "maxp": maxp, "post": post,
		"glyf": glyf, "loca": loca, "hmtx": hmtx,
		"cmap": buildCmap(mapped, func(r rune) uint16 { return newID[f.cmap[r]] }),
	}
	for _, tag := range copied {
		if t := f.tables[tag]; t != nil {
			out[tag] = t
		}
	}
	return assemble(out), nil
}

// buildCmap writes a cmap with a format 4 subtable (3,1) for the BMP characters, which fpdf reads,
// and a format 12 subtable (3,10) when there are characters beyond the BMP. runes are sorted.
func buildCmap(runes []rune, gid func(rune) uint16) []byte {
	type seg struct {
		start, end rune
		gid        uint16 // glyph of start; the segment's glyphs are consecutive
	}
	var bmp, all []seg
	for _, r := range runes {
		g := gid(r)
		for _, segs := range []*[]seg{&bmp, &all} {
			if segs == &bmp && r >= 0xFFFF {
				continue
			}
			if n := len(*segs); n > 0 && (*segs)[n-1].end+1 == r && int((*segs)[n-1].gid)+int(r-(*segs)[n-1].start) == int(g) {
				(*segs)[n-1].end = r
			} else {
				*segs = append(*segs, seg{r, r, g})
			}
		}
	}
	bmp = append(bmp, seg{0xFFFF, 0xFFFF, 0}) // the closing segment, to .notdef

	segX2 := 2 * len(bmp)
	search := 2
	sel := 0
	for search*2 <= segX2 {
		search *= 2
		sel++
	}
	f4 := make([]byte, 0, 16+4*segX2)
	f4 = binary.BigEndian.AppendUint16(f4, 4)
	f4 = binary.BigEndian.AppendUint16(f4, uint16(16+4*segX2)) // length; no glyphIdArray
	f4 = binary.BigEndian.AppendUint16(f4, 0)
	f4 = binary.BigEndian.AppendUint16(f4, uint16(segX2))
	f4 = binary.BigEndian.AppendUint16(f4, uint16(search))
	f4 = binary.BigEndian.AppendUint16(f4, uint16(sel))
	f4 = binary.BigEndian.AppendUint16(f4, uint16(segX2-search))
	for _, s := range bmp {
		f4 = binary.BigEndian.AppendUint16(f4, uint16(s.end))
	}
	f4 = binary.BigEndian.AppendUint16(f4, 0)
	for _, s := range bmp {
		f4 = binary.BigEndian.AppendUint16(f4, uint16(s.start))
	}
	for _, s := range bmp {
		f4 = binary.BigEndian.AppendUint16(f4, uint16(int(s.gid)-int(s.start)))
	}
	for range bmp {
		f4 = binary.BigEndian.AppendUint16(f4, 0)
	}

	beyond := len(runes) > 0 && runes[len(runes)-1] > 0xFFFF
	nsub := 1
	if beyond {
		nsub = 2
	}
	cmap := make([]byte, 0, 4+8*nsub+len(f4)+16+12*len(all))
	cmap = binary.BigEndian.AppendUint16(cmap, 0)
	cmap = binary.BigEndian.AppendUint16(cmap, uint16(nsub))
	cmap = binary.BigEndian.AppendUint16(cmap, 3)
	cmap = binary.BigEndian.AppendUint16(cmap, 1)
	cmap = binary.BigEndian.AppendUint32(cmap, uint32(4+8*nsub))
	if beyond {
		cmap = binary.BigEndian.AppendUint16(cmap, 3)
		cmap = binary.BigEndian.AppendUint16(cmap, 10)
		cmap = binary.BigEndian.AppendUint32(cmap, uint32(4+8*nsub+len(f4)))
	}
	cmap = append(cmap, f4...)
	if beyond {
		cmap = binary.BigEndian.AppendUint16(cmap, 12)
		cmap = binary.BigEndian.AppendUint16(cmap, 0)
		cmap = binary.BigEndian.AppendUint32(cmap, uint32(16+12*len(all)))
		cmap = binary.BigEndian.AppendUint32(cmap, 0)
		cmap = binary.BigEndian.AppendUint32(cmap, uint32(len(all)))
		for _, s := range all {
			cmap = binary.BigEndian.AppendUint32(cmap, uint32(s.start))
			cmap = binary.BigEndian.AppendUint32(cmap, uint32(s.end))
			cmap = binary.BigEndian.AppendUint32(cmap, uint32(s.gid))
		}
	}
	return cmap
}

// assemble writes the table directory and the tables (sorted by tag, 4-byte aligned, with
// checksums) and sets head.checkSumAdjustment.
func assemble(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	size := 12 + 16*len(tables)
	for tag, t := range tables {
		tags = append(tags, tag)
		size += (len(t) + 3) &^ 3
	}
	slices.Sort(tags)
	n := len(tags)
	search, sel := 1, 0
	for search*2 <= n {
		search *= 2
		sel++
	}
	out := make([]byte, 12+16*n, size)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(16*search))
	binary.BigEndian.PutUint16(out[8:], uint16(sel))
	binary.BigEndian.PutUint16(out[10:], uint16(16*(n-search)))
	headAt := 0
	for i, tag := range tags {
		t := tables[tag]
		rec := out[12+16*i:]
		copy(rec, tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(t))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(t)))
		if tag == "head" {
			headAt = len(out)
		}
		out = append(out, t...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out
}

func checksum(b []byte) uint32 {
	var sum uint32
	for len(b) >= 4 {
		sum += be32(b)
		b = b[4:]
	}
	var last [4]byte
	copy(last[:], b)
	return sum + be32(last[:])
}

func be16(b []byte) uint16 { return binary.BigEndian.Uint16(b) }
func be32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }
