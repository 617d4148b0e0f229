package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"smartdiag/backup"
	"smartdiag/demo"
)

// Settings → back up the workspace to one file, then restore it: a deleted diagnosis and its
// evidence come back byte for byte, and a document edited after the backup keeps the edit.
func TestBackupAndRestoreFromSettings(t *testing.T) {
	ui, dir := newTestUI(t)
	docs, err := demo.Generate(demo.Options{Count: 20, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if err := ui.ws.Save(d); err != nil {
			t.Fatal(err)
		}
	}
	evPath := filepath.Join(dir, docs[1].ID+".files", "1.1-0001-车间.jpg")
	os.MkdirAll(filepath.Dir(evPath), 0o755)
	os.WriteFile(evPath, []byte("\xff\xd8photo"), 0o644)

	test.Tap(ui.home.settingsBtn)
	st := ui.settings
	test.Tap(st.backup)
	if ui.win.Canvas().Overlays().Top() == nil {
		t.Fatal("the backup button opened no file picker")
	}
	ui.win.Canvas().Overlays().Top().Hide()
	ui.win.Canvas().Overlays().Remove(ui.win.Canvas().Overlays().Top())

	out := filepath.Join(t.TempDir(), "U盘", "备份") // the app adds .zip
	os.MkdirAll(filepath.Dir(out), 0o755)
	ui.backupTo(out) // what the picker returns
	shot(t, ui, "15-backup-done")
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "21 个文件") {
		t.Fatalf("backup message %q", txt)
	}
	test.Tap(overlayButton(t, ui, "好"))
	out += backup.Ext
	if _, err := backup.Verify(out); err != nil {
		t.Fatal(err)
	}
	if ui.app.Preferences().String(prefBackupDir) != filepath.Dir(out) {
		t.Error("the backup folder is not remembered for the next picker")
	}

	// After the backup: one diagnosis and the evidence are lost, another is edited.
	lost := ui.ws.Path(docs[1].ID)
	lostData, _ := os.ReadFile(lost)
	os.Remove(lost)
	os.RemoveAll(filepath.Dir(evPath))
	edited := readDoc(t, dir, docs[2].ID)
	edited.Enterprise.Contact = "备份后修改"
	edited.Updated = edited.Updated.Add(time.Hour)
	if err := ui.ws.Save(edited); err != nil {
		t.Fatal(err)
	}
	editedData, _ := os.ReadFile(ui.ws.Path(docs[2].ID))

	test.Tap(st.restore)
	if ui.win.Canvas().Overlays().Top() == nil {
		t.Fatal("the restore button opened no file picker")
	}
	ui.win.Canvas().Overlays().Top().Hide()
	ui.win.Canvas().Overlays().Remove(ui.win.Canvas().Overlays().Top())
	ui.restorePicked(out)
	shot(t, ui, "16-restore-confirm")
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "已校验无误") {
		t.Fatalf("restore question %q", txt)
	}
	test.Tap(overlayButton(t, ui, "还原"))
	txt := dialogText(ui.win.Canvas().Overlays().Top())
	if !strings.Contains(txt, "新增 2 个文件") || !strings.Contains(txt, "较新而保留 1 个") {
		t.Fatalf("restore result %q", txt)
	}
	if got, _ := os.ReadFile(lost); !bytes.Equal(got, lostData) {
		t.Error("the lost diagnosis did not come back byte for byte")
	}
	if got, _ := os.ReadFile(evPath); string(got) != "\xff\xd8photo" {
		t.Error("the lost evidence did not come back")
	}
	if got, _ := os.ReadFile(ui.ws.Path(docs[2].ID)); !bytes.Equal(got, editedData) {
		t.Error("the restore overwrote a document edited after the backup")
	}

	// A damaged file is refused with an error naming it; nothing is asked.
	bad := filepath.Join(t.TempDir(), "坏.zip")
	os.WriteFile(bad, []byte("PK nonsense"), 0o644)
	test.Tap(overlayButton(t, ui, "好"))
	ui.restorePicked(bad)
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "坏.zip") {
		t.Fatalf("damaged backup message %q", txt)
	}
}

// Backup and restore do their file work through background, not on the UI goroutine: while the
// queued work has not run, no backup file exists and a busy dialog (without buttons) is shown;
// running it writes the file and reports.
func TestBackupAndRestoreRunInBackground(t *testing.T) {
	ui, dir := newTestUI(t)
	docs, err := demo.Generate(demo.Options{Count: 3, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if err := ui.ws.Save(d); err != nil {
			t.Fatal(err)
		}
	}
	var queued []func()
	background = func(f func()) { queued = append(queued, f) }
	t.Cleanup(func() { background = func(f func()) { f() } })
	runQueued := func() {
		t.Helper()
		if len(queued) != 1 {
			t.Fatalf("%d jobs queued, want 1", len(queued))
		}
		f := queued[0]
		queued = nil
		f()
	}

	out := filepath.Join(t.TempDir(), "备份"+backup.Ext)
	ui.backupTo(out)
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("the backup was written on the UI goroutine")
	}
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "正在把工作区备份到") {
		t.Fatalf("busy dialog %q", txt)
	}
	runQueued()
	if _, err := backup.Verify(out); err != nil {
		t.Fatal(err)
	}
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "3 个文件") {
		t.Fatalf("backup message %q", txt)
	}
	test.Tap(overlayButton(t, ui, "好"))

	lost := ui.ws.Path(docs[0].ID)
	want, _ := os.ReadFile(lost)
	os.Remove(lost)
	ui.restorePicked(out) // verifying reads the whole file: background too
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "正在校验") {
		t.Fatalf("busy dialog %q", txt)
	}
	runQueued()
	test.Tap(overlayButton(t, ui, "还原"))
	if _, err := os.Stat(lost); !os.IsNotExist(err) {
		t.Fatal("restored on the UI goroutine")
	}
	runQueued()
	if got, _ := os.ReadFile(lost); !bytes.Equal(got, want) {
		t.Fatalf("the lost diagnosis did not come back (workspace %s)", dir)
	}
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "新增 1 个文件") {
		t.Fatalf("restore message %q", txt)
	}
}
