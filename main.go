// Command smartdiag is the 智改数转网联 diagnosis tool: with no arguments it opens the desktop app,
// with a subcommand it runs headless, and with a single .sdiag file (a double-click) it opens the
// app on that document.
package main

import (
	"fmt"
	"os"

	"smartdiag/app"
	"smartdiag/cli"
	"smartdiag/guienv"
	_ "smartdiag/localeenv" // before Fyne initialises: see the package comment
)

func main() {
	if len(os.Args) < 2 {
		startGUI()
		app.Run()
		return
	}
	if doc, ok := cli.DocumentArg(os.Args[1:]); ok {
		startGUI()
		app.RunWithFile(doc)
		return
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}

// startGUI exits 1 with one line when no window can be opened, rather than letting the graphics
// library panic.
func startGUI() {
	if msg := guienv.Check(); msg != "" {
		fmt.Fprintln(os.Stderr, msg)
		os.Exit(1)
	}
}
