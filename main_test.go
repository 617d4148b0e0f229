package main

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Started with no display, the app prints one line and exits 1 instead of panicking in GLFW; under
// LANG=C.UTF-8 Fyne logs no "Error parsing user locale C" first.
func TestNoDisplayOneLineExit1(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("display check applies to X11/Wayland systems")
	}
	if os.Getenv("SMARTDIAG_MAIN_CHILD") == "1" {
		os.Args = []string{"smartdiag"}
		main()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestNoDisplayOneLineExit1$")
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "DISPLAY=") && !strings.HasPrefix(e, "WAYLAND_DISPLAY=") {
			env = append(env, e)
		}
	}
	cmd.Env = append(env, "SMARTDIAG_MAIN_CHILD=1", "LANG=C.UTF-8", "SMARTDIAG_WORKSPACE="+t.TempDir())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit %v, stderr %q", err, stderr.String())
	}
	out := strings.TrimSpace(stderr.String())
	if strings.Count(out, "\n") != 0 || !strings.Contains(out, "DISPLAY") || strings.Contains(out, "panic") || strings.Contains(out, "locale") {
		t.Fatalf("stderr %q, want one line", out)
	}
}
