// Package guienv prepares the process environment before the desktop app starts: it says in one
// line when no display can be opened, instead of letting GLFW panic. (The locale is fixed earlier,
// in package localeenv, because Fyne reads it during initialisation.)
package guienv

import (
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// NoDisplay is the message printed when the app is started without a display.
const NoDisplay = "smartdiag: 没有可用的图形显示（DISPLAY / WAYLAND_DISPLAY 未设置或无法连接），桌面程序无法打开；命令行功能见 smartdiag help。 No display available (DISPLAY / WAYLAND_DISPLAY unset or unreachable); see smartdiag help for the command-line tools."

// DisplayProblem returns a non-empty message when the desktop app cannot open a window here. Only
// X11/Wayland systems are checked; Windows and macOS always have a display for a logged-in user.
func DisplayProblem(goos string, getenv func(string) string) string {
	switch goos {
	case "windows", "darwin", "ios", "android", "js", "wasip1":
		return ""
	}
	if w := getenv("WAYLAND_DISPLAY"); w != "" && waylandReachable(w, getenv("XDG_RUNTIME_DIR")) {
		return ""
	}
	if d := getenv("DISPLAY"); d != "" && x11Reachable(d) {
		return ""
	}
	return NoDisplay
}

// x11Reachable tries to connect to the X server named by DISPLAY ("[host]:N[.screen]"). Only the
// socket is opened; authentication is left to the real connection.
func x11Reachable(display string) bool {
	host, num, ok := strings.Cut(display, ":")
	if !ok {
		return false
	}
	num, _, _ = strings.Cut(num, ".")
	if num == "" || strings.Trim(num, "0123456789") != "" {
		return false
	}
	if host == "" || host == "unix" {
		for _, p := range []string{"/tmp/.X11-unix/X" + num, "@/tmp/.X11-unix/X" + num} {
			if c, err := net.DialTimeout("unix", p, time.Second); err == nil {
				c.Close()
				return true
			}
		}
		return false
	}
	n := 0
	for _, r := range num {
		n = n*10 + int(r-'0')
		if n > 1000 {
			return false
		}
	}
	c, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(6000+n)), 2*time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func waylandReachable(name, runtimeDir string) bool {
	p := name
	if !filepath.IsAbs(p) {
		if runtimeDir == "" {
			return false
		}
		p = filepath.Join(runtimeDir, name)
	}
	c, err := net.DialTimeout("unix", p, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// Check returns DisplayProblem for this process.
func Check() string { return DisplayProblem(runtime.GOOS, os.Getenv) }
