#!/bin/sh
# Builds the release files in dist/ (run through `make dist`, which installs the Debian packages
# this needs first):
#   dist/smartdiag.exe                           Windows x86-64 GUI program, cross-compiled with MinGW,
#                                                with icon, manifest and version information
#   dist/smartdiag-VERSION-windows-amd64.zip     the .exe, .sdiag registration (.reg, .cmd),
#                                                INSTALL.txt, README, licences
#   dist/smartdiag-VERSION-linux-amd64.tar.gz    program, .desktop entry, icons, MIME type,
#                                                install.sh, INSTALL.txt, README, licences
#   dist/SHA256SUMS
# Version: DIST_VERSION if set; else `git describe --tags` of a vX.Y.Z tag; else FyneApp.toml's
# Version with the commit, e.g. 0.1.0-4384c2b-dirty. The commit is stamped too: `smartdiag version`.
# Intermediate files go to dist/build/. Times and sizes: docs/benchmarks.md, section Builds.
set -eu
cd "$(dirname "$0")/.."

GO=${GO:-go}
TAGS=${TAGS:-migrated_fynedo}
COMPANY=${COMPANY:-江宁区工业和信息化局}
PRODUCT=智改数转网联诊断
MINGW_CC=${MINGW_CC:-x86_64-w64-mingw32-gcc}
WINDRES=${WINDRES:-x86_64-w64-mingw32-windres}

# Version and commit.
app_version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ -z "${DIST_VERSION:-}" ]; then
	if DIST_VERSION=$(git describe --tags --dirty --match 'v[0-9]*' 2>/dev/null); then
		DIST_VERSION=${DIST_VERSION#v}
	else
		DIST_VERSION=$app_version-$(git describe --always --dirty 2>/dev/null || echo dev)
	fi
fi
# Windows wants four numbers: X.Y.Z of the version and the number of commits.
numbers=$(echo "$DIST_VERSION" | sed -n 's/^\([0-9]*\)\.\([0-9]*\)\.\([0-9]*\).*/\1.\2.\3/p')
[ -n "$numbers" ] || numbers=$(echo "$app_version" | sed -n 's/^\([0-9]*\.[0-9]*\.[0-9]*\).*/\1/p')
file_version=$numbers.$(($(git rev-list --count HEAD 2>/dev/null || echo 0) % 65536))
ldflags="-s -w -X smartdiag/cli.Version=$DIST_VERSION -X smartdiag/cli.Commit=$commit"
echo "smartdiag $DIST_VERSION ($commit), Windows file version $file_version"

for tool in "$MINGW_CC" "$WINDRES" zip tar; do
	command -v "$tool" >/dev/null || { echo "缺少 $tool：请运行 make dist (missing $tool; make dist installs it)"; exit 1; }
done
[ "$($GO env GOHOSTOS)/$($GO env GOHOSTARCH)" = linux/amd64 ] || { echo "make dist runs on linux/amd64 only"; exit 1; }

out=dist
build=$out/build
rm -rf "$build" "$out"/smartdiag.exe "$out"/smartdiag-*-windows-amd64.zip "$out"/smartdiag-*-linux-amd64.tar.gz "$out"/SHA256SUMS
mkdir -p "$build"
# Reproducible archives: file times from the commit, no owner names.
stamp=$(git log -1 --format=%ct 2>/dev/null || date +%s)

now() { date +%s; }
t_start=$(now)
size() { stat -c %s "$1"; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

# licenses DIR GOOS: the licences of the fonts, of Go and of every module linked into the program.
licenses() {
	mkdir -p "$1"
	cp assets/fonts/LICENSE-Apache-2.0.txt assets/fonts/COPYRIGHT-wqy-microhei.txt "$1/"
	cp assets/fonts/README.md "$1/FONTS.md"
	f=$1/THIRD_PARTY_LICENSES.txt
	{
		echo "smartdiag $DIST_VERSION for $2/amd64 contains the following third-party software."
		echo "The font (WenQuanYi Micro Hei) is described in FONTS.md, LICENSE-Apache-2.0.txt and"
		echo "COPYRIGHT-wqy-microhei.txt."
		echo
		echo "================================================================================"
		echo "Go standard library and runtime $($GO env GOVERSION)"
		echo "================================================================================"
		cat "$($GO env GOROOT)/LICENSE"
		CGO_ENABLED=1 GOOS=$2 GOARCH=amd64 $GO list -tags "$TAGS" -deps \
			-f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' . |
			sort -u | while read -r path version dir; do
			find "$dir" \( -name testdata -o -name cmd -o -name examples -o -name _examples \) -prune -o \
				-type f \( -iname 'LICEN[CS]E*' -o -iname 'COPYING*' -o -iname 'NOTICE*' \) -print | sort |
				while read -r lf; do
					echo
					echo "================================================================================"
					echo "$path $version: ${lf#"$dir"/}"
					echo "================================================================================"
					cat "$lf"
				done
		done
		if [ "$2" = windows ] && [ -f /usr/share/doc/mingw-w64-x86-64-dev/copyright ]; then
			echo
			echo "================================================================================"
			echo "MinGW-w64 runtime (start-up code linked into smartdiag.exe)"
			echo "================================================================================"
			cat /usr/share/doc/mingw-w64-x86-64-dev/copyright
		fi
	} >"$f"
}

# --- Windows -----------------------------------------------------------------------------------
t0=$(now)
win=$build/windows
# Icon, manifest and version information, compiled to a COFF object that go build links in. The
# .syso must sit in the main package's directory for the build and is removed right after.
$GO run ./scripts/winres -icon assets/icon.png -out "$win" -version "$file_version" \
	-product-version "$DIST_VERSION" -product "$PRODUCT" -company "$COMPANY"
(cd "$win" && "$WINDRES" -i smartdiag.rc -O coff -o rsrc.syso)
syso=zz_dist_rsrc_windows_amd64.syso
trap 'rm -f "$syso"' EXIT INT TERM
cp "$win/rsrc.syso" "$syso"
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$MINGW_CC \
	$GO build -trimpath -tags "$TAGS" -ldflags "-H windowsgui $ldflags" -o "$out/smartdiag.exe" .
rm -f "$syso"
trap - EXIT INT TERM
$GO run ./scripts/winres -check "$out/smartdiag.exe" -product "$PRODUCT" -product-version "$DIST_VERSION"
t_win=$(($(now) - t0))

zipdir=$build/smartdiag-$DIST_VERSION-windows-amd64
mkdir -p "$zipdir"
cp "$out/smartdiag.exe" packaging/windows/register-sdiag.reg packaging/windows/register-sdiag.cmd \
	packaging/windows/INSTALL.txt README.md "$zipdir/"
licenses "$zipdir/licenses" windows
find "$zipdir" -exec touch -d "@$stamp" {} +
zip_name=smartdiag-$DIST_VERSION-windows-amd64.zip
(cd "$build" && rm -f "$zip_name" && find "$(basename "$zipdir")" | sort | zip -q -X -9 "$zip_name" -@)
mv "$build/$zip_name" "$out/"

# --- Linux -------------------------------------------------------------------------------------
t0=$(now)
name=smartdiag-$DIST_VERSION-linux-amd64
lin=$build/$name
mkdir -p "$lin"
CGO_ENABLED=1 GOOS=linux GOARCH=amd64 \
	$GO build -trimpath -tags "$TAGS" -ldflags "$ldflags" -o "$lin/smartdiag" .
t_lin=$(($(now) - t0))
LC_ALL='' LANG=zh_CN.UTF-8 "$lin/smartdiag" version
$GO run ./scripts/winres -icon assets/icon.png -png "$lin/icons"
cp assets/icon.png "$lin/smartdiag.png"
cp packaging/linux/cn.gov.jiangning.smartdiag.desktop packaging/linux/cn.gov.jiangning.smartdiag.xml \
	packaging/linux/install.sh packaging/linux/INSTALL.txt README.md "$lin/"
chmod 755 "$lin/install.sh" "$lin/smartdiag"
licenses "$lin/licenses" linux
tar -C "$build" --sort=name --mtime="@$stamp" --owner=0 --group=0 --numeric-owner \
	-czf "$out/$name.tar.gz" "$name"

(cd "$out" && sha256sum smartdiag.exe "$zip_name" "$name.tar.gz" >SHA256SUMS)

echo
echo "dist/ ($DIST_VERSION, $commit):"
for f in "$out/smartdiag.exe" "$out/$zip_name" "$out/$name.tar.gz" "$lin/smartdiag"; do
	printf '  %-58s %12d bytes  %s\n' "$f" "$(size "$f")" "$(mib "$(size "$f")")"
done
echo "  time: windows build ${t_win} s (resource, go build, check), linux go build ${t_lin} s, all $(($(now) - t_start)) s"
