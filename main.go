// Command smartdiag is the 智改数转网联 diagnosis tool: with no arguments it opens the desktop app,
// with a subcommand it runs headless, and with a single .sdiag file (a double-click) it opens the
// app on that document.
package main

import (
	"os"

	"smartdiag/app"
	"smartdiag/cli"
)

func main() {
	if len(os.Args) < 2 {
		app.Run()
		return
	}
	if doc, ok := cli.DocumentArg(os.Args[1:]); ok {
		app.RunWithFile(doc)
		return
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
