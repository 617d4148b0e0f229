package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/crypto/argon2"

	"smartdiag/assessment"
)

// KeyBackupFormat is the "format" of password-protected private-key backups.
const KeyBackupFormat = "smartdiag.keybackup/1"

// KeyBackupExt is the suggested extension of key backup files.
const KeyBackupExt = ".sdkey"

// MinKeyPassword is the shortest password a key backup accepts.
const MinKeyPassword = 8

// KeyBackup is a private key encrypted under a password (format in docs/format.md): Argon2id
// derives a 256-bit key from the password and salt, AES-256-GCM encrypts the PKCS#8 DER of the
// private key with the header fields as additional data, so a changed fingerprint, signer or
// parameter makes decryption fail instead of restoring a mislabelled key.
type KeyBackup struct {
	Format      string    `json:"format"`
	Created     time.Time `json:"created"`
	Fingerprint string    `json:"fingerprint"` // of the public key, to recognise the backup
	Signer      Signer    `json:"signer"`
	KDF         string    `json:"kdf"` // "argon2id"
	Time        uint32    `json:"time"`
	MemoryKiB   uint32    `json:"memory_kib"`
	Threads     uint8     `json:"threads"`
	Salt        []byte    `json:"salt"`  // 16 bytes, base64 in JSON
	Nonce       []byte    `json:"nonce"` // 12 bytes
	Ciphertext  []byte    `json:"ciphertext"`
}

// Argon2id parameters of new backups: the RFC 9106 second recommended option (64 MiB, 3 passes),
// about a quarter second on a consultant's laptop.
const (
	kdfTime    = 3
	kdfMemory  = 64 * 1024
	kdfThreads = 4
)

func (b *KeyBackup) aad() []byte {
	h := *b
	h.Ciphertext, h.Nonce = nil, nil
	data, _ := json.Marshal(h)
	return data
}

func (b *KeyBackup) aead(password string) (cipher.AEAD, error) {
	if b.KDF != "argon2id" || b.Time == 0 || b.Time > 10 || b.MemoryKiB < 8*1024 || b.MemoryKiB > 256*1024 || b.Threads == 0 || len(b.Salt) < 16 {
		return nil, errors.New("密钥备份的参数无效")
	}
	k := argon2.IDKey([]byte(password), b.Salt, b.Time, b.MemoryKiB, b.Threads, 32)
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// EncryptKey makes a password-protected backup of a private key.
func EncryptKey(key ed25519.PrivateKey, signer Signer, password string, now time.Time) ([]byte, error) {
	if len([]rune(password)) < MinKeyPassword {
		return nil, fmt.Errorf("密码至少 %d 个字符", MinKeyPassword)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	b := &KeyBackup{Format: KeyBackupFormat, Created: now.UTC().Truncate(time.Second),
		Fingerprint: Fingerprint(key.Public().(ed25519.PublicKey)), Signer: signer,
		KDF: "argon2id", Time: kdfTime, MemoryKiB: kdfMemory, Threads: kdfThreads,
		Salt: make([]byte, 16), Nonce: make([]byte, 12)}
	rand.Read(b.Salt)
	rand.Read(b.Nonce)
	a, err := b.aead(password)
	if err != nil {
		return nil, err
	}
	b.Ciphertext = a.Seal(nil, b.Nonce, der, b.aad())
	return json.MarshalIndent(b, "", "  ")
}

// DecryptKey opens a key backup with its password.
func DecryptKey(data []byte, password string) (ed25519.PrivateKey, *KeyBackup, error) {
	var b KeyBackup
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, nil, fmt.Errorf("不是 smartdiag 密钥备份文件：%v", err)
	}
	if b.Format != KeyBackupFormat {
		return nil, nil, fmt.Errorf("不是 smartdiag 密钥备份文件（format %q）", b.Format)
	}
	a, err := b.aead(password)
	if err != nil {
		return nil, nil, err
	}
	if len(b.Nonce) != a.NonceSize() {
		return nil, nil, errors.New("密钥备份已损坏")
	}
	der, err := a.Open(nil, b.Nonce, b.Ciphertext, b.aad())
	if err != nil {
		return nil, nil, errors.New("密码不对，或备份文件已被改动")
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	key, ok := k.(ed25519.PrivateKey)
	if err != nil || !ok || Fingerprint(key.Public().(ed25519.PublicKey)) != b.Fingerprint {
		return nil, nil, errors.New("密钥备份已损坏")
	}
	return key, &b, nil
}

// RestoreKey installs a decrypted backup as the user's signing key (and its signer, when none is
// saved). It never replaces a different existing key: sealed documents name their key, and a
// silently swapped key would make the district distrust new ones.
func RestoreKey(data []byte, password string) (*KeyBackup, error) {
	key, b, err := DecryptKey(data, password)
	if err != nil {
		return nil, err
	}
	path, err := ConfigPath(KeyFileName)
	if err != nil {
		return nil, err
	}
	if old, err := LoadKey(path); err == nil {
		if old.Equal(key) {
			return b, nil
		}
		return nil, fmt.Errorf("本机已有另一个签名密钥（指纹 %s）；为免混用，不覆盖。如确要换用备份的密钥，请先把 %s 移走", Fingerprint(old.Public().(ed25519.PublicKey)), path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("无法创建配置文件夹 %s：%w", filepath.Dir(path), err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	if _, err := createExclusive(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})); err != nil {
		return nil, err
	}
	if s, err := LoadSigner(); err == nil && s.Name == "" && b.Signer.Name != "" {
		SaveSigner(b.Signer)
	}
	return b, nil
}

// WriteKeyBackup writes a backup of the user's signing key to out.
func WriteKeyBackup(out, password string, now time.Time) (*KeyBackup, error) {
	key, _, err := LoadOrCreateKey()
	if err != nil {
		return nil, err
	}
	signer, _ := LoadSigner()
	data, err := EncryptKey(key, signer, password, now)
	if err != nil {
		return nil, err
	}
	if err := assessment.WriteFileAtomicDir(out, data); err != nil {
		return nil, err
	}
	_, b, err := DecryptKey(data, password)
	return b, err
}
