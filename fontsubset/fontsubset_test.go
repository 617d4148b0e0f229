package fontsubset

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"

	"smartdiag/assets"
)

func parsed(t testing.TB) *Font {
	t.Helper()
	f, err := Parse(assets.Font)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// Every character of the full font keeps its glyph outline and advance width in a subset.
func TestSubsetKeepsGlyphsAndWidths(t *testing.T) {
	full := parsed(t)
	text := "智改数转网联 Aéü，。、“”【】％①龘鿏·—…0123456789"
	sub, err := full.Subset([]rune(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(sub) > len(assets.Font)/50 {
		t.Errorf("subset of %d characters is %d bytes", len([]rune(text)), len(sub))
	}
	small, err := Parse(sub)
	if err != nil {
		t.Fatalf("subset does not parse: %v", err)
	}
	for _, r := range text {
		if !full.Has(r) {
			if small.Has(r) {
				t.Errorf("%q: in the subset but not in the font", r)
			}
			continue
		}
		if !small.Has(r) {
			t.Errorf("%q: missing from the subset", r)
			continue
		}
		g0, g1 := int(full.cmap[r]), int(small.cmap[r])
		if !bytes.Equal(full.glyph(g0), small.glyph(g1)[:len(full.glyph(g0))]) && !composite(full.glyph(g0)) {
			t.Errorf("%q: outline differs", r)
		}
		if full.advance(g0) != small.advance(g1) {
			t.Errorf("%q: advance %d, subset %d", r, full.advance(g0), small.advance(g1))
		}
	}
	if small.Has('X') {
		t.Error("subset has a character it was not asked for")
	}
}

func composite(g []byte) bool { return len(g) >= 2 && int16(be16(g)) < 0 }

func (f *Font) advance(gid int) uint16 {
	return be16(f.tables["hmtx"][4*min(gid, f.numHMetric-1):])
}

// Composite glyphs bring their components, renumbered.
func TestSubsetCompositeComponents(t *testing.T) {
	full := parsed(t)
	n := 0
	for r, g := range full.cmap {
		if !composite(full.glyph(int(g))) {
			continue
		}
		n++
		sub, err := full.Subset([]rune{r})
		if err != nil {
			t.Fatal(err)
		}
		small, err := Parse(sub)
		if err != nil {
			t.Fatal(err)
		}
		var comps []uint16
		if err := components(small.glyph(int(small.cmap[r])), func(_ int, c uint16) { comps = append(comps, c) }); err != nil {
			t.Fatal(err)
		}
		if len(comps) == 0 {
			t.Fatalf("%q: composite lost its components", r)
		}
		for _, c := range comps {
			if int(c) >= small.numGlyphs || len(small.glyph(int(c))) == 0 && c != 0 {
				t.Errorf("%q: component %d is not in the subset (%d glyphs)", r, c, small.numGlyphs)
			}
		}
		if n == 20 {
			break
		}
	}
	t.Logf("%d composite characters checked", n)
}

// fpdf embeds a subset like the full font: the same widths, and pdftotext reads the same text.
func TestSubsetInFpdf(t *testing.T) {
	full := parsed(t)
	text := "智改数转网联诊断报告 Café Ünïcode，龘鿏（测试）“引号”"
	sub, err := full.Subset([]rune(text))
	if err != nil {
		t.Fatal(err)
	}
	render := func(ttf []byte) (float64, string) {
		pdf := fpdf.New("P", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes("f", "", ttf)
		pdf.SetFont("f", "", 12)
		pdf.AddPage()
		w := pdf.GetStringWidth(text)
		pdf.Text(20, 30, text)
		var buf bytes.Buffer
		if err := pdf.Output(&buf); err != nil {
			t.Fatal(err)
		}
		if _, err := exec.LookPath("pdftotext"); err != nil {
			return w, ""
		}
		p := filepath.Join(t.TempDir(), "x.pdf")
		os.WriteFile(p, buf.Bytes(), 0o644)
		out, err := exec.Command("pdftotext", p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return w, strings.TrimSpace(string(out))
	}
	w0, t0 := render(assets.Font)
	w1, t1 := render(sub)
	if w0 != w1 {
		t.Errorf("width %v with the full font, %v with the subset", w0, w1)
	}
	if t0 != t1 || (t1 != "" && t1 != text) {
		t.Errorf("text\nfull:   %q\nsubset: %q\nwant:   %q", t0, t1, text)
	}
}

func TestParseRejectsBadFonts(t *testing.T) {
	good := assets.Font
	trunc := func(n int) []byte { return good[:n] }
	corrupt := func(at int, b ...byte) []byte {
		c := bytes.Clone(good)
		copy(c[at:], b)
		return c
	}
	for name, b := range map[string][]byte{
		"empty":         nil,
		"otf":           []byte("OTTO\x00\x01\x00\x00\x00\x00\x00\x00"),
		"directory cut": trunc(40),
		"tables cut":    trunc(100000),
		"huge table":    corrupt(12+16*0+8, 0xFF, 0xFF, 0xFF, 0xFF),
	} {
		if _, err := Parse(b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func FuzzParseSubset(f *testing.F) {
	full := parsed(f)
	small, err := full.Subset([]rune("智改A，é"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small, "智A")
	f.Add(small[:len(small)/2], "改")
	f.Fuzz(func(t *testing.T, ttf []byte, text string) {
		font, err := Parse(ttf)
		if err != nil {
			return
		}
		out, err := font.Subset([]rune(text))
		if err != nil {
			return
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("a subset does not parse: %v", err)
		}
		for _, r := range text {
			if font.Has(r) != again.Has(r) {
				t.Fatalf("%q: in font %v, in subset %v", r, font.Has(r), again.Has(r))
			}
		}
	})
}
