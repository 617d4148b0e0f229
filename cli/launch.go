package cli

import (
	"os"
	"path/filepath"
	"strings"

	"smartdiag/assessment"
)

// DocumentArg reports whether args (the command line without the program name) is a single
// existing .sdiag file, as when a document is double-clicked or dropped on the program: such a
// launch opens the desktop app on that document instead of running a subcommand.
func DocumentArg(args []string) (string, bool) {
	if len(args) != 1 {
		return "", false
	}
	p := args[0]
	if _, isCmd := commands[p]; isCmd || !strings.EqualFold(filepath.Ext(p), assessment.Ext) {
		return "", false
	}
	if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
		return "", false
	}
	return p, true
}
