package guienv

import (
	"net"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDisplayProblem(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix sockets")
	}
	dir := t.TempDir()
	sock := filepath.Join(dir, "wayland-0")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skip(err)
	}
	defer l.Close()
	for _, tt := range []struct {
		goos string
		env  map[string]string
		ok   bool
	}{
		{"linux", nil, false},
		{"linux", map[string]string{"DISPLAY": ":987"}, false}, // no server there
		{"linux", map[string]string{"DISPLAY": "nonsense"}, false},
		{"linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0", "XDG_RUNTIME_DIR": dir}, true},
		{"linux", map[string]string{"WAYLAND_DISPLAY": sock}, true},
		{"linux", map[string]string{"WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": dir}, false},
		{"freebsd", nil, false},
		{"windows", nil, true},
		{"darwin", nil, true},
	} {
		got := DisplayProblem(tt.goos, env(tt.env))
		if (got == "") != tt.ok {
			t.Errorf("%s %v: %q", tt.goos, tt.env, got)
		}
	}
	// A live X server (the CI's Xvfb, when there is one) counts.
	if d := os.Getenv("DISPLAY"); d != "" && x11Reachable(d) {
		if DisplayProblem("linux", env(map[string]string{"DISPLAY": d})) != "" {
			t.Error("a reachable X display was rejected")
		}
	}
}
