package seal

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestKeyBackupRoundTripAndRestore(t *testing.T) {
	t.Setenv(EnvConfig, t.TempDir())
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if err := SaveSigner(Signer{Name: "沈立新", Organisation: "江苏智造诊断服务有限公司"}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "U盘", "密钥备份"+KeyBackupExt)
	if _, err := WriteKeyBackup(out, "短", now); err == nil || !strings.Contains(err.Error(), "至少") {
		t.Fatalf("short password: %v", err)
	}
	b, err := WriteKeyBackup(out, "correct horse 电池", now)
	if err != nil {
		t.Fatal(err)
	}
	key, _, _ := LoadOrCreateKey()
	if b.Fingerprint != Fingerprint(key.Public().(ed25519.PublicKey)) {
		t.Fatal("backup fingerprint differs from the key's")
	}
	data, _ := os.ReadFile(out)
	if strings.Contains(string(data), "PRIVATE KEY") {
		t.Fatal("the private key is in the clear")
	}
	if _, _, err := DecryptKey(data, "wrong password"); err == nil || !strings.Contains(err.Error(), "密码不对") {
		t.Fatalf("wrong password: %v", err)
	}
	// A changed label (the signer) is caught by the authenticated header.
	var m map[string]any
	json.Unmarshal(data, &m)
	m["signer"] = map[string]any{"name": "冒名", "organisation": "x"}
	forged, _ := json.Marshal(m)
	if _, _, err := DecryptKey(forged, "correct horse 电池"); err == nil {
		t.Fatal("a relabelled backup decrypted")
	}

	// On a new computer (empty config) the key and signer come back.
	t.Setenv(EnvConfig, t.TempDir())
	if _, err := RestoreKey(data, "correct horse 电池"); err != nil {
		t.Fatal(err)
	}
	got, created, err := LoadOrCreateKey()
	if err != nil || created || !got.Equal(key) {
		t.Fatalf("restored key differs (created %v, %v)", created, err)
	}
	if s, _ := LoadSigner(); s.Name != "沈立新" {
		t.Errorf("signer %+v", s)
	}
	// Restoring again is fine; a different existing key is never replaced.
	if _, err := RestoreKey(data, "correct horse 电池"); err != nil {
		t.Fatal(err)
	}
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	otherData, _ := EncryptKey(other, Signer{}, "another password", now)
	if _, err := RestoreKey(otherData, "another password"); err == nil || !strings.Contains(err.Error(), "不覆盖") {
		t.Fatalf("replacing a different key: %v", err)
	}
	if got, _, _ := LoadOrCreateKey(); !got.Equal(key) {
		t.Fatal("the existing key was replaced")
	}
}

func FuzzDecryptKey(f *testing.F) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	data, _ := EncryptKey(key, Signer{Name: "a"}, "password1", time.Now())
	f.Add(data, "password1")
	f.Add([]byte(`{"format":"smartdiag.keybackup/1","kdf":"argon2id","time":1,"memory_kib":8192,"threads":1,"salt":"AAAAAAAAAAAAAAAAAAAAAA=="}`), "x")
	f.Fuzz(func(t *testing.T, data []byte, pw string) {
		k, b, err := DecryptKey(data, pw)
		if err != nil {
			return
		}
		if Fingerprint(k.Public().(ed25519.PublicKey)) != b.Fingerprint {
			t.Fatal("accepted a key whose fingerprint differs from its label")
		}
	})
}
