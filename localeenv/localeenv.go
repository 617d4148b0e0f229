// Package localeenv replaces a C or POSIX locale in the environment with a usable one while the
// program initialises. Fyne's lang package reads the locale in its own init and logs "Error
// parsing user locale C" for those values, so the fix must run before it: this package imports
// only os, runtime and strings, so Go's initialisation order (dependencies first, then by import
// path) runs it before Fyne's, which TestNoDisplayOneLineExit1 in the main package checks
// (it starts the program under LANG=C.UTF-8 and expects no locale error).
package localeenv

import (
	"os"
	"runtime"
	"strings"
)

func init() {
	Fix(os.Getenv, os.Setenv, os.Unsetenv)
}

// isC says whether a locale value is one Fyne's detection rejects ("C", "C.UTF-8", "POSIX").
func isC(v string) bool {
	base, _, _ := strings.Cut(v, ".")
	return base == "C" || base == "POSIX"
}

// Fix makes the locale variables Fyne reads (LC_ALL, LC_MESSAGES, LANG, in that order of
// precedence) name a real language: a C or POSIX value is dropped, and LANG falls back to Chinese,
// the app's first language. The app's own language setting is unaffected.
func Fix(getenv func(string) string, setenv func(k, v string) error, unsetenv func(string) error) {
	if runtime.GOOS == "windows" {
		return
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES"} {
		if v := getenv(k); v != "" && isC(v) {
			unsetenv(k)
		}
	}
	if v := getenv("LANG"); v == "" || isC(v) {
		setenv("LANG", "zh_CN.UTF-8")
	}
}
