package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"smartdiag/service"
)

// profileField is the settings row that chooses the district profile file (empty: the bundled
// profile). The choice is remembered in the preferences and drives the enterprise form, the home
// filters and the district tally.
func (ui *UI) profileField(entry *widget.Entry) fyne.CanvasObject {
	entry.SetText(ui.app.Preferences().String(prefProfile))
	entry.SetPlaceHolder(T("留空：内置的江宁区画像"))
	browse := widget.NewButton(T("选择…"), func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err == nil && r != nil {
				entry.SetText(r.URI().Path())
				ui.pickedFrom(prefProfileDir, r.URI().Path())
				r.Close()
			}
		}, ui.win)
		ui.filePicker(d, prefProfileDir, "选择", ".yaml", ".yml") // a district profile is YAML
		d.Show()
	})
	return container.NewBorder(nil, nil, nil, browse, entry)
}

// saveProfile checks the chosen profile file before remembering it, so a typo is reported in the
// settings rather than later on every screen that uses the profile.
func (ui *UI) saveProfile(path string) error {
	path = strings.TrimSpace(path)
	if _, err := service.LoadProfile(path); err != nil {
		return err
	}
	ui.app.Preferences().SetString(prefProfile, path)
	ui.profilePath, ui.profileData = "", nil // read again on next use
	return nil
}
