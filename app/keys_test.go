package app

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"smartdiag/seal"
)

func dismissTop(ui *UI) {
	top := ui.win.Canvas().Overlays().Top()
	top.Hide()
	ui.win.Canvas().Overlays().Remove(top)
}

// Settings → 签名密钥: the fingerprint is shown, the public-key file is exported, and the private
// key is backed up under a password and restored on a "new computer".
func TestSigningKeyExportBackupRestore(t *testing.T) {
	t.Setenv(seal.EnvConfig, t.TempDir())
	ui, _ := newTestUI(t)
	test.Tap(ui.home.settingsBtn)
	st := ui.settings
	if !strings.Contains(st.keyInfo.Text, "还没有签名密钥") {
		t.Fatalf("key status %q", st.keyInfo.Text)
	}
	test.Tap(st.exportKey)
	if ui.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no file picker")
	}
	dismissTop(ui)
	pubPath := filepath.Join(t.TempDir(), "公钥.json")
	ui.exportPublicKey(pubPath)
	data, err := os.ReadFile(pubPath)
	if err != nil {
		t.Fatal(err)
	}
	pf, pub, err := seal.ParsePublicKeyFile(data)
	if err != nil {
		t.Fatal(err)
	}
	fp := seal.Fingerprint(pub)
	if !strings.Contains(st.keyInfo.Text, fp) || pf.Name != "沈立新" {
		t.Fatalf("status %q, signer %+v", st.keyInfo.Text, pf)
	}
	test.Tap(overlayButton(t, ui, "好"))

	backupPath := filepath.Join(t.TempDir(), "私钥备份") // the app adds .sdkey
	ui.keyBackupTo(backupPath)
	test.Type(st.keyPw1, "U盘上的密码2026")
	test.Type(st.keyPw2, "U盘上的密码2026")
	shot(t, ui, "19-key-backup-password")
	test.Tap(overlayButton(t, ui, "备份"))
	backupPath += seal.KeyBackupExt
	enc, err := os.ReadFile(backupPath)
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := seal.DecryptKey(enc, "U盘上的密码2026")
	if err != nil || seal.Fingerprint(key.Public().(ed25519.PublicKey)) != fp {
		t.Fatalf("backup does not decrypt to the key: %v", err)
	}
	test.Tap(overlayButton(t, ui, "好"))

	// A new computer: no key until the backup is restored; a wrong password changes nothing.
	t.Setenv(seal.EnvConfig, t.TempDir())
	ui.keyRestorePicked(backupPath)
	test.Type(st.keyPw1, "wrong password")
	test.Tap(overlayButton(t, ui, "恢复"))
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "密码不对") {
		t.Fatalf("wrong password message %q", txt)
	}
	dismissTop(ui)
	ui.keyRestorePicked(backupPath)
	test.Type(st.keyPw1, "U盘上的密码2026")
	test.Tap(overlayButton(t, ui, "恢复"))
	keyPath, _ := seal.ConfigPath(seal.KeyFileName)
	got, err := seal.LoadKey(keyPath)
	if err != nil || !got.Equal(key) {
		t.Fatalf("restored key: %v", err)
	}
	if !strings.Contains(st.keyInfo.Text, fp) {
		t.Errorf("status after restore %q", st.keyInfo.Text)
	}
	shot(t, ui, "20-key-restored")
}

// The first seal on a computer creates the signing key and says so, with its fingerprint and
// what to do next; later seals say nothing.
func TestFirstSealTellsAboutNewKey(t *testing.T) {
	t.Setenv(seal.EnvConfig, t.TempDir())
	ui, dir := newTestUI(t)
	for i := range 2 {
		s := finishedDraft(t, ui)
		if err := s.Finish(ui.now()); err != nil {
			t.Fatal(err)
		}
		ui.seal(s)
		if b, _ := os.ReadFile(filepath.Join(dir, s.Doc.ID+".sdiag")); seal.Verify(b, nil).Status != seal.VerifyUnknownSigner {
			t.Fatal("not sealed on disk")
		}
		top := ui.win.Canvas().Overlays().Top()
		if i == 1 {
			if top != nil {
				t.Fatalf("second seal showed %q", dialogText(top))
			}
			break
		}
		keyPath, _ := seal.ConfigPath(seal.KeyFileName)
		key, err := seal.LoadKey(keyPath)
		if err != nil {
			t.Fatal(err)
		}
		fp := seal.Fingerprint(key.Public().(ed25519.PublicKey))
		if txt := dialogText(top); !strings.Contains(txt, fp) || !strings.Contains(txt, "导出公钥文件") {
			t.Fatalf("first seal message %q", txt)
		}
		test.Tap(overlayButton(t, ui, "好"))
	}
}
