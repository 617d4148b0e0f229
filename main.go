// Command smartdiag is the 智改数转网联 diagnosis tool: with no arguments it opens the desktop app,
// with a subcommand it runs headless.
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
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
