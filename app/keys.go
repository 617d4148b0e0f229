package app

import (
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"smartdiag/assessment"
	"smartdiag/regfile"
	"smartdiag/seal"
)

// keyStatus describes the signing key for the settings screen: its fingerprint, or that there is
// none yet. It never creates a key.
func keyStatus() string {
	path, err := seal.ConfigPath(seal.KeyFileName)
	if err != nil {
		return err.Error()
	}
	key, err := seal.LoadKey(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return T("还没有签名密钥：第一次封存时会自动创建，也可以点「导出公钥文件…」现在创建。")
	case err != nil:
		return err.Error()
	}
	return Tf("签名密钥指纹：%s", seal.Fingerprint(key.Public().(ed25519.PublicKey)))
}

func (ui *UI) pickPublicKeyTarget() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		ui.exportPublicKey(path)
	}, ui.win)
	d.SetFileName("smartdiag-公钥-" + ui.assessor().Name + ".json")
	ui.filePicker(d, prefKeyDir, "保存", ".json")
	d.Show()
}

// exportPublicKey writes the public-key file to hand to the district, creating the key pair if
// there is none yet (an explicit request, unlike a silent first seal).
func (ui *UI) exportPublicKey(path string) {
	ui.pickedFrom(prefKeyDir, path)
	key, _, err := seal.LoadOrCreateKey()
	if err != nil {
		ui.showError(err)
		return
	}
	signer, _ := seal.LoadSigner()
	if signer.Name == "" {
		a := ui.assessor()
		signer = seal.Signer{Name: a.Name, Organisation: a.Organisation}
	}
	pub := key.Public().(ed25519.PublicKey)
	data, err := seal.NewPublicKeyFile(pub, signer, ui.now()).Encode()
	if err == nil {
		err = assessment.WriteFileAtomicDir(path, data)
	}
	if err != nil {
		ui.showError(err)
		return
	}
	ui.refreshKeyStatus()
	ui.info("公钥文件已导出", Tf("已写出 %s\n指纹：%s\n把这个文件交给区工信局，由其加入信任列表。", path, seal.Fingerprint(pub)))
}

func (ui *UI) pickKeyBackupTarget() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		ui.keyBackupTo(path)
	}, ui.win)
	d.SetFileName("smartdiag-私钥备份" + seal.KeyBackupExt)
	ui.filePicker(d, prefKeyDir, "保存", seal.KeyBackupExt)
	d.Show()
}

// keyBackupTo asks for a password twice, then writes the encrypted backup of the private key.
func (ui *UI) keyBackupTo(path string) {
	if !strings.HasSuffix(path, seal.KeyBackupExt) {
		path += seal.KeyBackupExt
	}
	ui.pickedFrom(prefKeyDir, path)
	pw1, pw2 := newDialogPasswordEntry(), newDialogPasswordEntry()
	if ui.settings != nil {
		ui.settings.keyPw1, ui.settings.keyPw2 = pw1, pw2
	}
	items := []*widget.FormItem{
		widget.NewFormItem(T("密码"), pw1),
		widget.NewFormItem(T("再输一次"), pw2),
	}
	var restore func()
	d := dialog.NewForm(T("备份私钥"), T("备份"), T("取消"), items, func(ok bool) {
		restore() // first: what follows may open another dialog, which sets its own keys
		if !ok {
			return
		}
		if pw1.Text != pw2.Text {
			ui.showError(errors.New(T("两次输入的密码不一致")))
			return
		}
		b, err := seal.WriteKeyBackup(path, pw1.Text, ui.now())
		if err != nil {
			ui.showError(err)
			return
		}
		ui.refreshKeyStatus()
		ui.info("私钥已备份", Tf("已写出 %s（指纹 %s）。\n没有密码无法恢复，请记住密码，并把文件存放在只有自己能用的地方。", path, b.Fingerprint))
	}, ui.win)
	restore = ui.formKeys(d.Submit, d.Hide, pw1, pw2)
	d.Resize(fyne.NewSize(560, 220))
	d.Show()
}

func (ui *UI) pickKeyBackupSource() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		ui.keyRestorePicked(path)
	}, ui.win)
	ui.filePicker(d, prefKeyDir, "选择", seal.KeyBackupExt)
	d.Show()
}

// keyRestorePicked asks for the backup's password and installs the key.
func (ui *UI) keyRestorePicked(path string) {
	ui.pickedFrom(prefKeyDir, path)
	data, err := regfile.ReadFile(path, seal.MaxKeyFileSize)
	if err != nil {
		ui.showError(err)
		return
	}
	pw := newDialogPasswordEntry()
	if ui.settings != nil {
		ui.settings.keyPw1 = pw
	}
	var restore func()
	d := dialog.NewForm(T("恢复私钥"), T("恢复"), T("取消"), []*widget.FormItem{widget.NewFormItem(T("密码"), pw)}, func(ok bool) {
		restore() // first: a wrong password opens an error dialog, which sets its own keys
		if !ok {
			return
		}
		b, err := seal.RestoreKey(data, pw.Text)
		if err != nil {
			ui.showError(errors.New(filepath.Base(path) + "：" + err.Error()))
			return
		}
		ui.refreshKeyStatus()
		ui.info("私钥已恢复", Tf("签名密钥已恢复，指纹：%s", b.Fingerprint))
	}, ui.win)
	restore = ui.formKeys(d.Submit, d.Hide, pw)
	d.Resize(fyne.NewSize(560, 180))
	d.Show()
}

func (ui *UI) refreshKeyStatus() {
	if ui.settings != nil && ui.settings.keyInfo != nil {
		ui.settings.keyInfo.SetText(keyStatus())
	}
}
