#!/bin/sh
# Installs smartdiag from this folder: the program, its menu entry and icon, and the .sdiag file type
# (double-clicking a .sdiag document opens it in the app).
#   ./install.sh              for the current user, under ~/.local
#   sudo ./install.sh         for everyone, under /usr/local
#   ./install.sh --uninstall  removes what the same command installed
# The program needs OpenGL and X11 libraries (Debian/Ubuntu: apt-get install libgl1 libxcursor1
# libxrandr2 libxinerama1 libxi6 libxxf86vm1), present on any desktop installation.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" = 0 ]; then prefix=${PREFIX:-/usr/local}; else prefix=${PREFIX:-$HOME/.local}; fi
id=cn.gov.jiangning.smartdiag
bin=$prefix/bin/smartdiag
apps=$prefix/share/applications
mime=$prefix/share/mime
icons=$prefix/share/icons/hicolor
docs=$prefix/share/doc/smartdiag

refresh() {
	command -v update-mime-database >/dev/null && update-mime-database "$mime" || true
	command -v update-desktop-database >/dev/null && update-desktop-database -q "$apps" || true
	command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
}

if [ "${1:-}" = --uninstall ]; then
	rm -f "$bin" "$apps/$id.desktop" "$mime/packages/$id.xml"
	for f in "$here"/icons/*.png; do
		n=$(basename "$f" .png)
		rm -f "$icons/${n}x$n/apps/smartdiag.png"
	done
	rm -rf "$docs"
	refresh
	echo "已卸载 smartdiag (removed from $prefix)"
	exit 0
fi

install -D -m 755 "$here/smartdiag" "$bin"
# The menu entry runs the installed program by its full path, so ~/.local/bin need not be on PATH.
mkdir -p "$apps"
sed "s|^Exec=smartdiag |Exec=\"$bin\" |" "$here/$id.desktop" >"$apps/$id.desktop"
install -D -m 644 "$here/$id.xml" "$mime/packages/$id.xml"
for f in "$here"/icons/*.png; do
	n=$(basename "$f" .png)
	install -D -m 644 "$f" "$icons/${n}x$n/apps/smartdiag.png"
done
mkdir -p "$docs"
cp -R "$here/README.md" "$here/licenses" "$docs/"
refresh
echo "已安装 smartdiag 到 $bin (installed under $prefix)"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "命令行使用请把 $prefix/bin 加入 PATH (add it to PATH for the CLI)" ;; esac
