package app

import (
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
)

// Preference keys of the folders file pickers remember, one per kind of file.
const (
	prefBackupDir   = "picker.backup"
	prefKeyDir      = "picker.keys"
	prefRosterDir   = "picker.roster"
	prefEvidenceDir = "picker.evidence"
	prefImportDir   = "picker.import"
	prefProfileDir  = "picker.profile"
	prefFolderDir   = "picker.folder"
)

// filePicker prepares a file dialog: it lists only regular files with the given extensions
// (none: all), opens in the folder this kind of file was last picked from, is large enough to
// read long names at 1366×768, and has its buttons in the chosen language.
func (ui *UI) filePicker(d *dialog.FileDialog, pref, confirm string, exts ...string) {
	ui.picker(d, pref, confirm)
	d.SetFilter(regularFiles{exts: exts})
}

// folderPicker is filePicker for a folder dialog (which lists no files, so takes no filter).
func (ui *UI) folderPicker(d *dialog.FileDialog, pref, confirm string) {
	ui.picker(d, pref, confirm)
}

func (ui *UI) picker(d *dialog.FileDialog, pref, confirm string) {
	if dir := ui.app.Preferences().String(pref); dir != "" {
		if u, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			d.SetLocation(u)
		}
	}
	d.SetConfirmText(T(confirm))
	d.SetDismissText(T("取消"))
	d.Resize(fyne.NewSize(1000, 640))
	// Esc closes the picker (and the screen's keys do not act behind it); Enter is left to the
	// picker, whose confirmation needs a chosen file. Callers show the dialog right after.
	d.SetOnClosed(ui.dialogKeys(func() {}, d.Hide))
}

// pickedFrom remembers the folder of a picked file for the next picker of the same kind.
func (ui *UI) pickedFrom(pref, path string) {
	ui.app.Preferences().SetString(pref, filepath.Dir(path))
}

// regularFiles is the pickers' filter. Fyne opens the chosen file itself before our code sees
// it, and opening a FIFO blocks until something writes to it, which would freeze the window
// (issue 11, item 11): so a FIFO, socket or device is never offered. A name that does not exist
// yet (a file to save) is left to the extension rule.
type regularFiles struct{ exts []string }

func (f regularFiles) Matches(u fyne.URI) bool {
	if u.Scheme() == "file" {
		if fi, err := os.Stat(u.Path()); err == nil && !fi.Mode().IsRegular() {
			return false
		}
	}
	return len(f.exts) == 0 || storage.NewExtensionFileFilter(f.exts).Matches(u)
}
