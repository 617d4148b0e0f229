// Package app is the Fyne desktop UI. It holds screens and widgets only; every rule it shows or
// applies comes from the domain packages.
package app

import (
	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// AppID matches the ID in FyneApp.toml; preferences and storage are keyed by it.
const AppID = "cn.gov.jiangning.smartdiag"

// Title is the window and application name.
const Title = "智改数转网联诊断"

// Run opens the main window and blocks until it is closed.
func Run() {
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(iconResource)
	a.Settings().SetTheme(newTheme())
	w := NewMainWindow(a)
	w.ShowAndRun()
}

// NewMainWindow builds the main window; tests call it with a test app.
func NewMainWindow(a fyne.App) fyne.Window {
	w := a.NewWindow(Title)
	w.SetContent(container.NewCenter(widget.NewLabel(Title)))
	w.Resize(fyne.NewSize(1280, 720))
	return w
}
