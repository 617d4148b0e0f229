#!/bin/sh
# Smoke-tests the Windows build's command line under Wine (run through `make dist-check`, after
# `make dist`): version, questionnaires, validate, demo, score, report and a usage error, each
# compared with the Linux build where they should agree; the console-attach path (the GUI program
# started with no standard handles must attach to its parent's console to print); the .sdiag
# registration scripts; and, with xvfb-run, the desktop app started on a document.
# Installs Debian's wine64 when missing and allowed (root or sudo). Without Wine it says so and
# exits 0; with Wine any failure exits 1.
# Wine before 8.13 (Debian 12 has 8.0) lacks bcryptprimitives.dll, which Go programs need at
# start-up; the check then puts a test-only stand-in (scripts/wine/bcryptprimitives.c, built with
# MinGW) into its own Wine prefix. Nothing of it is shipped.
set -u
cd "$(dirname "$0")/.."

exe=dist/smartdiag.exe
linux=$(ls -d dist/build/smartdiag-*-linux-amd64 2>/dev/null | head -n 1)/smartdiag
for f in "$exe" "$linux"; do
	[ -x "$f" ] || [ -f "$f" ] || { echo "$f 不存在：请先运行 make dist (missing; run make dist)"; exit 1; }
done

find_wine() {
	for w in wine wine64 /usr/lib/wine/wine64; do
		command -v "$w" 2>/dev/null && return 0
	done
	return 1
}

if ! wine=$(find_wine); then
	candidate=$(apt-cache policy wine64 2>/dev/null | sed -n 's/^ *Candidate: *//p')
	if [ -n "$candidate" ] && [ "$candidate" != "(none)" ]; then
		if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO=sudo; else SUDO=none; fi
		if [ "$SUDO" != none ]; then
			echo "安装 wine64 $candidate (installing Debian's wine64 for the smoke test)"
			$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wine64
		fi
	fi
	if ! wine=$(find_wine); then
		echo "================================================================"
		echo "未找到 Wine：Windows 版没有经过冒烟测试。"
		echo "Wine is not available here: the Windows build was NOT smoke-tested."
		echo "(Debian: apt-get install wine64, as root.)"
		echo "================================================================"
		exit 0
	fi
fi

# A prefix of our own, reused between runs (creating one takes a while); no display: the
# subcommands must run headless.
export WINEPREFIX="${WINEPREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/smartdiag/wine}"
export WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY
echo "Wine: $wine ($("$wine" --version 2>/dev/null)), prefix $WINEPREFIX"
work=dist/build/wine-check
rm -rf "$work"
mkdir -p "$work"
CC=${MINGW_CC:-x86_64-w64-mingw32-gcc}
if [ ! -f "$WINEPREFIX/system.reg" ]; then
	echo "creating the Wine prefix (once)"
	mkdir -p "$WINEPREFIX"
	"$wine" wineboot -i >"$work/wineboot.log" 2>&1
fi
sys32=$WINEPREFIX/drive_c/windows/system32
if [ ! -f "$sys32/bcryptprimitives.dll" ]; then
	echo "this Wine lacks bcryptprimitives.dll (ProcessPrng, Wine 8.13+), which Go needs: adding a test-only stand-in"
	"$CC" -shared -O2 -o "$sys32/bcryptprimitives.dll" scripts/wine/bcryptprimitives.c -ladvapi32 ||
		{ echo "FAIL  cannot build scripts/wine/bcryptprimitives.c with $CC"; exit 1; }
fi
failed=0
pass() { echo "ok    $*"; }
fail() { echo "FAIL  $*"; failed=1; }

# run NAME CMD...: runs the Windows program under Wine with stdout and stderr to files.
run() {
	n=$1
	shift
	"$wine" "$exe" "$@" >"$work/$n.out" 2>"$work/$n.err"
	echo $? >"$work/$n.code"
	tr -d '\r' <"$work/$n.out" >"$work/$n.txt"
}
code() { cat "$work/$1.code"; }
show() { sed 's/^/      | /' "$work/$1.out" "$work/$1.err" | tr -d '\r' | head -n "${2:-5}"; }
# onlinux CMD...: the same command with the Linux build (LANG set so Fyne does not complain).
onlinux() { LC_ALL='' LANG=zh_CN.UTF-8 "$linux" "$@"; }
# same NAME DESCRIPTION CMD...: runs CMD under Wine and passes if it exits 0 and prints exactly what
# the Linux build prints.
same() {
	n=$1 d=$2
	shift 2
	run "$n" "$@"
	if [ "$(code "$n")" = 0 ] && onlinux "$@" | cmp -s - "$work/$n.txt"; then
		pass "$d"
	else
		fail "$d (exit $(code "$n"), or output differs from the Linux build's)"
		show "$n"
	fi
}

start=$(date +%s)
want=$(onlinux version)
run version version
if [ "$(code version)" = 0 ] && [ "$(cat "$work/version.txt")" = "$want" ]; then
	pass "version: $want"
else
	fail "version (exit $(code version), want \"$want\"):"
	show version
	echo "Wine cannot run $exe; stopping."
	exit 1
fi

same questionnaires "questionnaires --json: same as the Linux build" questionnaires --json
same validate "validate: $(onlinux validate | grep -c ': ok ') built-in questionnaires ok, same as the Linux build" validate

run demo demo --out "$work/demo" --count 2 --seed 7
n=$(ls "$work"/demo/*.sdiag 2>/dev/null | wc -l)
if [ "$(code demo)" = 0 ] && [ "$n" = 2 ]; then pass "demo --out DIR --count 2 --seed 7: $n documents"; else
	fail "demo (exit $(code demo), $n documents)"
	show demo
fi

for doc in "$work"/demo/*.sdiag; do
	[ -f "$doc" ] || continue
	same score "score FILE: $(onlinux score "$doc" | grep -m 1 '等级')" score "$doc"
	same scorejson "score --json FILE: same JSON as the Linux build" score --json "$doc"
	run report report "$doc" --out "$work/report.pdf"
	if [ "$(code report)" = 0 ] && head -c 5 "$work/report.pdf" 2>/dev/null | grep -q '%PDF-'; then
		pass "report FILE --out x.pdf: $(stat -c %s "$work/report.pdf") bytes"
	else
		fail "report (exit $(code report))"
		show report
	fi
	break
done

run usage no-such-command
if [ "$(code usage)" = 2 ] && grep -q 'no-such-command' "$work/usage.err"; then
	pass "unknown command: exit 2 with a message on stderr"
else
	fail "unknown command (exit $(code usage), want 2)"
	show usage
fi

# The console-attach path. Started from cmd or PowerShell on Windows, a GUI-subsystem program gets
# no standard handles and prints only after attaching to its parent's console (main_windows.go).
# Wine hands its console to GUI programs anyway, so a small launcher (scripts/wine/detached.c)
# starts smartdiag.exe detached and without handles, as Windows would; script(1) gives the
# launcher a terminal for its console.
if command -v script >/dev/null && "$CC" -O2 -municode -o "$work/detached.exe" scripts/wine/detached.c; then
	script -qec "\"$wine\" $work/detached.exe $exe version" /dev/null </dev/null >"$work/console.out" 2>&1
	c1=$?
	script -qec "\"$wine\" $work/detached.exe $exe no-such-command" /dev/null </dev/null >"$work/console2.out" 2>&1
	c2=$?
	if [ $c1 = 0 ] && tr -d '\r' <"$work/console.out" | grep -qF "$want" && [ $c2 = 2 ] && grep -q '未知命令' "$work/console2.out"; then
		pass "console: started with no standard handles, it attaches to the parent console (version; usage error exit 2)"
	else
		fail "console: started with no standard handles (exit $c1, $c2), it printed:"
		sed 's/^/      | /' "$work/console.out" "$work/console2.out" | head -n 6
	fi
else
	echo "skip  console attach (needs script(1) and $CC)"
fi

# The .sdiag association: the zip's register-sdiag.cmd, run from a folder with a space in its name,
# must point the open command at that folder's smartdiag.exe, and its .reg the Chinese type name.
zip=$(ls dist/smartdiag-*-windows-amd64.zip 2>/dev/null | head -n 1)
if [ -n "$zip" ] && command -v unzip >/dev/null && command -v iconv >/dev/null; then
	mkdir -p "$work/assoc test" && unzip -q -j "$zip" -d "$work/assoc test"
	"$wine" reg delete 'HKCU\Software\Classes\smartdiag.document' /f >/dev/null 2>&1
	win_dir=$(echo "$work/assoc test" | tr / '\\')
	"$wine" cmd /c "$win_dir\\register-sdiag.cmd" >"$work/assoc.out" 2>&1
	c=$?
	"$wine" reg export 'HKCU\Software\Classes\smartdiag.document' "$(echo "$work" | tr / '\\')\\assoc.reg" /y >/dev/null 2>&1
	iconv -f UTF-16 -t UTF-8 "$work/assoc.reg" 2>/dev/null | tr -d '\r' >"$work/assoc.txt"
	if [ $c = 0 ] && grep -qF '@="智改数转网联诊断文档"' "$work/assoc.txt" &&
		grep -qF "assoc test\\\\smartdiag.exe\\\" \\\"%1\\\"" "$work/assoc.txt"; then
		pass ".sdiag association: register-sdiag.cmd (with register-sdiag.reg) registers \"…\\smartdiag.exe\" \"%1\""
	else
		fail ".sdiag association (register-sdiag.cmd exit $c); registry now:"
		sed 's/^/      | /' "$work/assoc.out" "$work/assoc.txt" | head -n 12
	fi
else
	echo "skip  .sdiag association (needs the zip, unzip and iconv)"
fi

# The desktop app: started on a .sdiag document (as a double-click does) under Wine with a virtual
# X display, it must still be running after 20 s rather than exit as an unknown subcommand or
# crash. A screenshot goes to the output folder. Needs xvfb-run (Debian: xvfb).
wineserver=$(dirname "$wine")/wineserver
[ -x "$wineserver" ] || wineserver=wineserver
if command -v xvfb-run >/dev/null && [ -f "${doc:-}" ]; then
	# Wine's background processes (started above without a display) would keep the session's
	# desktop display-less: end them first; they belong to this check's own prefix.
	"$wineserver" -k 2>/dev/null
	"$wineserver" -w 2>/dev/null
	xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
		"$1" "$2" "$3" >"$4/gui.log" 2>&1 &
		pid=$!
		sleep 20
		alive=0
		kill -0 $pid 2>/dev/null && alive=1
		command -v import >/dev/null && import -window root "$4/gui.png" 2>/dev/null
		kill $pid 2>/dev/null
		[ $alive = 1 ]' sh "$wine" "$exe" "$doc" "$work"
	c=$?
	"$wineserver" -k 2>/dev/null
	if [ $c = 0 ]; then
		pass "desktop app: opened on a .sdiag document, still running after 20 s (screenshot $work/gui.png)"
	else
		fail "desktop app: exited within 20 s when opened on a .sdiag document"
		sed 's/^/      | /' "$work/gui.log" | grep -v fixme | tail -n 8
	fi
else
	echo "skip  desktop app start (needs xvfb-run)"
fi

echo "Wine smoke test took $(($(date +%s) - start)) s; output in $work/"
if [ "$failed" != 0 ]; then
	echo "Windows 版冒烟测试失败 (the Windows build failed the smoke test under Wine)"
	exit 1
fi
echo "Windows 版冒烟测试通过 (the Windows build passed the smoke test under Wine)"
