// Package golden compares test output with golden files in testdata. `go test ./pkg -update`
// rewrites them after a deliberate change; a mismatch prints a line diff.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// Updating reports whether -update was given, for tests that record rather than compare.
func Updating() bool { return *update }

// Check compares got with the golden file at path; with -update it writes got there first.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (- golden, + got; rerun with -update if the change is meant):\n%s", path, Diff(string(want), string(got)))
	}
}

// Diff is a line diff of a and b: common lines indented, removed lines with "-", added with "+".
// Long runs of common lines are shortened to three lines of context.
func Diff(a, b string) string {
	split := func(s string) []string {
		l := strings.SplitAfter(s, "\n")
		if l[len(l)-1] == "" {
			l = l[:len(l)-1]
		}
		return l
	}
	x, y := split(a), split(b)
	// Longest common subsequence by dynamic programming; golden files are small.
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		text string
	}
	var lines []line
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			lines = append(lines, line{' ', x[i]})
			i++
			j++
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			lines = append(lines, line{'-', x[i]})
			i++
		default:
			lines = append(lines, line{'+', y[j]})
			j++
		}
	}
	const context = 3
	var out strings.Builder
	elided := false
	for k, l := range lines {
		if l.op == ' ' {
			near := false
			for d := max(0, k-context); d <= min(len(lines)-1, k+context); d++ {
				near = near || lines[d].op != ' '
			}
			if !near {
				if !elided {
					out.WriteString("  …\n")
				}
				elided = true
				continue
			}
		}
		elided = false
		fmt.Fprintf(&out, "%c %s\n", l.op, strings.TrimSuffix(l.text, "\n"))
	}
	return out.String()
}
