#!/bin/sh
# Reproduces assets/fonts/WenQuanYiMicroHei.ttf from Debian's WenQuanYi Micro Hei TTC:
#  1. take face 0 (fpdf and Fyne read single TrueType files only, not collections);
#  2. drop the 11,172 Hangul syllables and the glyphs no character maps to. fpdf parses and subsets
#     the whole font for every report, and its cost grows with the glyph count: this halves it.
#     Every Chinese, Latin, Greek, Cyrillic, kana, symbol and full-width character is kept.
# Needs (as root): apt-get install fonts-wqy-microhei python3-fonttools
# Debian's python3-fonttools installs for /usr/bin/python3, not for a python3 earlier on PATH.
set -eu
src=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
out=$(dirname "$0")/../assets/fonts/WenQuanYiMicroHei.ttf
/usr/bin/python3 - "$src" "$out" <<'PY'
import sys
from fontTools.ttLib import TTCollection
from fontTools import subset

font = TTCollection(sys.argv[1]).fonts[0]
keep = [c for c in font.getBestCmap() if not 0xAC00 <= c <= 0xD7AF]
opts = subset.Options()
opts.layout_features = ["kern"]  # fpdf ignores layout tables; vertical forms would pull in thousands of glyphs
opts.name_IDs = ["*"]
opts.name_languages = ["*"]
opts.notdef_outline = True
opts.glyph_names = False
opts.recalc_timestamp = False
sub = subset.Subsetter(opts)
sub.populate(unicodes=keep)
sub.subset(font)
font.save(sys.argv[2])
print(sys.argv[2], font["name"].getDebugName(4), len(font.getGlyphOrder()), "glyphs,",
      len(font.getBestCmap()), "characters")
PY
