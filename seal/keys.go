package seal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"smartdiag/assessment"
	"smartdiag/regfile"
)

// EnvConfig names the environment variable that overrides the per-user config folder.
const EnvConfig = "SMARTDIAG_CONFIG"

// Files in the config folder.
const (
	KeyFileName       = "signing-key.pem" // the private key, PEM PKCS#8, mode 0600
	SignerFileName    = "signer.json"     // the key owner's name and organisation
	PublicKeyFileName = "public-key.json" // the public key file to hand to the district
)

// PublicKeyFormat is the "format" of public key files.
const PublicKeyFormat = "smartdiag.publickey/1"

// ConfigDir is the per-user config folder: $SMARTDIAG_CONFIG, else <user config dir>/smartdiag
// (~/.config/smartdiag on Linux, %AppData%\smartdiag on Windows).
func ConfigDir() (string, error) {
	if dir := os.Getenv(EnvConfig); dir != "" {
		return dir, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("找不到用户配置文件夹，请设置环境变量 %s：%w", EnvConfig, err)
	}
	return filepath.Join(base, "smartdiag"), nil
}

// ConfigPath is the path of a file in the config folder.
func ConfigPath(name string) (string, error) {
	dir, err := ConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, name), nil
}

// LoadOrCreateKey returns the user's signing key, creating the key pair on first use (created is
// then true). The private key file must not be readable or writable by other users.
func LoadOrCreateKey() (key ed25519.PrivateKey, created bool, err error) {
	path, err := ConfigPath(KeyFileName)
	if err != nil {
		return nil, false, err
	}
	key, err = LoadKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, fmt.Errorf("无法创建配置文件夹 %s：%w", filepath.Dir(path), err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, false, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, false, err
	}
	data := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	won, err := createExclusive(path, data)
	if err != nil {
		return nil, false, err
	}
	if !won { // another process created the key at the same moment: use theirs
		key, err = LoadKey(path)
		return key, false, err
	}
	return priv, true, nil
}

// createExclusive writes data to path with mode 0600 unless path exists (then it returns false).
// The file appears whole or not at all: a temp file is written and synced, then hard-linked to
// path, which fails if path exists.
func createExclusive(path string, data []byte) (bool, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*") // mode 0600
	if err != nil {
		return false, fmt.Errorf("无法创建密钥文件 %s：%w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err != nil {
		return false, fmt.Errorf("无法创建密钥文件 %s：%w", path, err)
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		// No hard links on this file system: fall back to an exclusive create.
		g, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("无法创建密钥文件 %s：%w", path, err)
		}
		_, err = g.Write(data)
		if err == nil {
			err = g.Sync()
		}
		if cerr := g.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			return false, fmt.Errorf("无法创建密钥文件 %s：%w", path, err)
		}
	}
	return true, assessment.SyncDir(dir)
}

// LoadKey reads a private key file (PEM, PKCS#8 Ed25519). On Unix it refuses a file that other
// users could read or write. A missing file gives an error wrapping fs.ErrNotExist.
func LoadKey(path string) (ed25519.PrivateKey, error) {
	// Through regfile: a FIFO as the key file would block signing forever. The permission check
	// is on the opened file, so it is the file that is read.
	f, st, err := regfile.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("私钥文件 %s 的权限为 %04o，其他用户可以读取；为安全起见拒绝使用，请执行 chmod 600 %s", path, st.Mode().Perm(), path)
	}
	if st.Size() > MaxKeyFileSize {
		return nil, fmt.Errorf("私钥文件 %s：%v", path, regfile.WithoutPath(regfile.TooLarge(path, st.Size(), MaxKeyFileSize)))
	}
	data, err := regfile.ReadAll(f, path, st.Size(), MaxKeyFileSize, nil)
	if err != nil {
		return nil, fmt.Errorf("私钥文件 %s：%v", path, regfile.WithoutPath(err))
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("私钥文件 %s 已损坏：不是 PEM 格式的私钥", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("私钥文件 %s 已损坏：%v", path, err)
	}
	key, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("私钥文件 %s 不是 Ed25519 私钥", path)
	}
	return key, nil
}

// LoadSigner reads the key owner's name and organisation from the config folder; it returns a
// zero Signer when none was saved.
func LoadSigner() (Signer, error) {
	path, err := ConfigPath(SignerFileName)
	if err != nil {
		return Signer{}, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Signer{}, nil
	}
	if err != nil {
		return Signer{}, err
	}
	var s Signer
	if err := json.Unmarshal(data, &s); err != nil {
		return Signer{}, fmt.Errorf("%s 已损坏：%v", path, err)
	}
	return s, nil
}

// SaveSigner stores the key owner's name and organisation in the config folder.
func SaveSigner(s Signer) error {
	path, err := ConfigPath(SignerFileName)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return assessment.WriteFileAtomic(path, append(data, '\n'))
}

// PublicKeyFile is the file a service provider hands to the district so that it can trust the
// provider's seals.
type PublicKeyFile struct {
	Format       string    `json:"format"`
	Name         string    `json:"name,omitempty"`
	Organisation string    `json:"organisation,omitempty"`
	Algorithm    string    `json:"algorithm"`
	PublicKey    string    `json:"public_key"`
	Fingerprint  string    `json:"fingerprint"`
	Created      time.Time `json:"created,omitzero"`
}

// NewPublicKeyFile describes pub for handing over.
func NewPublicKeyFile(pub ed25519.PublicKey, s Signer, now time.Time) *PublicKeyFile {
	return &PublicKeyFile{
		Format:       PublicKeyFormat,
		Name:         strings.TrimSpace(s.Name),
		Organisation: strings.TrimSpace(s.Organisation),
		Algorithm:    SealAlgorithm,
		PublicKey:    base64.StdEncoding.EncodeToString(pub),
		Fingerprint:  Fingerprint(pub),
		Created:      now.UTC().Truncate(time.Second),
	}
}

// Encode writes the file as indented JSON.
func (p *PublicKeyFile) Encode() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ParsePublicKeyFile reads a public key file and checks the key and, when present, that the
// fingerprint belongs to it.
func ParsePublicKeyFile(data []byte) (*PublicKeyFile, ed25519.PublicKey, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.Contains(data, []byte("PRIVATE KEY")) {
		return nil, nil, fmt.Errorf("这是私钥文件，私钥不能交出！请交 smartdiag key 生成的公钥文件")
	}
	var p PublicKeyFile
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, nil, fmt.Errorf("不是公钥文件：%v", assessment.JSONError(data, err))
	}
	rest, ok := strings.CutPrefix(p.Format, "smartdiag.publickey/")
	if !ok {
		return nil, nil, fmt.Errorf("不是公钥文件：format 为 %q，应为 %s", p.Format, PublicKeyFormat)
	}
	if major, _, _ := strings.Cut(rest, "."); major != "1" {
		return nil, nil, fmt.Errorf("公钥文件格式 %s 不受支持，%w", p.Format, assessment.ErrNewerFormat)
	}
	if p.Algorithm != SealAlgorithm {
		return nil, nil, fmt.Errorf("公钥算法 %q 不受支持（应为 %s）", p.Algorithm, SealAlgorithm)
	}
	raw, err := decodeBase64Exact(p.PublicKey, ed25519.PublicKeySize)
	if err != nil {
		return nil, nil, fmt.Errorf("public_key 无效：%v", err)
	}
	pub := ed25519.PublicKey(raw)
	fp := Fingerprint(pub)
	if p.Fingerprint != "" && NormalizeFingerprint(p.Fingerprint) != NormalizeFingerprint(fp) {
		return nil, nil, fmt.Errorf("指纹 %s 与公钥不符（应为 %s），文件可能被改动", p.Fingerprint, fp)
	}
	p.Fingerprint = fp
	p.Name, p.Organisation = strings.TrimSpace(p.Name), strings.TrimSpace(p.Organisation)
	return &p, pub, nil
}
