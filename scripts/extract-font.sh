#!/bin/sh
# Reproduces assets/fonts/WenQuanYiMicroHei.ttf: face 0 of Debian's WenQuanYi Micro Hei TTC.
# fpdf and Fyne read single TrueType fonts only, not collections. Needs (as root):
#   apt-get install fonts-wqy-microhei python3-fonttools
# Debian's python3-fonttools installs for /usr/bin/python3, not for a python3 earlier on PATH.
set -eu
src=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
out=$(dirname "$0")/../assets/fonts/WenQuanYiMicroHei.ttf
/usr/bin/python3 - "$src" "$out" <<'PY'
import sys
from fontTools.ttLib import TTCollection
ttc = TTCollection(sys.argv[1])
font = ttc.fonts[0]
font.save(sys.argv[2])
print(sys.argv[2], font["name"].getDebugName(4), len(font.getGlyphOrder()), "glyphs")
PY
