package seal

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"smartdiag/assessment"
	"smartdiag/filelock"
	"smartdiag/regfile"
)

// TrustFormat is the "format" of the trust list file.
const TrustFormat = "smartdiag.trust/1"

// MaxKeyFileSize bounds a key file (public, private or a private-key backup: a few hundred bytes)
// and the trust list (about 300 bytes a key).
const MaxKeyFileSize = 1 << 20

// TrustFileName is the trust list's file in the per-user config folder.
const TrustFileName = "trust.json"

// TrustedKey is one service provider key the district accepts seals from.
type TrustedKey struct {
	Name         string    `json:"name"`                   // the provider, as the district names it
	Signer       string    `json:"signer,omitempty"`       // the key owner named in the key file
	Organisation string    `json:"organisation,omitempty"` // the organisation named in the key file
	PublicKey    string    `json:"public_key"`             // base64 Ed25519 public key
	Fingerprint  string    `json:"fingerprint"`
	Added        time.Time `json:"added"`
	Demo         bool      `json:"demo,omitempty"` // a demo key (IsDemoKey), trusted with --demo: its documents are demo data
}

// TrustList is the district's list of trusted provider keys. It satisfies TrustList.
// Add and Remove save the list when it was opened from a file (Path set).
type TrustList struct {
	Path string
	Keys []TrustedKey
}

var _ Trust = (*TrustList)(nil)

// TrustPath is the trust list file in the per-user config folder.
func TrustPath() (string, error) { return ConfigPath(TrustFileName) }

// OpenTrustList opens the trust list in the per-user config folder; a missing file is an empty
// list.
func OpenTrustList() (*TrustList, error) {
	path, err := TrustPath()
	if err != nil {
		return nil, err
	}
	return LoadTrustList(path)
}

// LoadTrustList reads a trust list file; a missing file is an empty list that Save creates.
func LoadTrustList(path string) (*TrustList, error) {
	data, err := regfile.ReadFile(path, MaxKeyFileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return &TrustList{Path: path}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("无法读取信任列表 %s：%w", path, err)
	}
	t, err := ParseTrustList(data)
	if err != nil {
		return nil, fmt.Errorf("信任列表 %s 有误：%w", path, err)
	}
	t.Path = path
	return t, nil
}

// ParseTrustList reads and checks a trust list: every key valid, its fingerprint its own, no key
// twice.
func ParseTrustList(data []byte) (*TrustList, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var file struct {
		Format *string      `json:"format"`
		Keys   []TrustedKey `json:"keys"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("不是有效的 JSON：%v", err)
	}
	if file.Format == nil {
		return nil, fmt.Errorf("不是信任列表：缺少 format 字段")
	}
	rest, ok := strings.CutPrefix(*file.Format, "smartdiag.trust/")
	if !ok {
		return nil, fmt.Errorf("不是信任列表：format 为 %q", *file.Format)
	}
	if major, _, _ := strings.Cut(rest, "."); major != "1" {
		return nil, fmt.Errorf("信任列表格式 %s 不受支持，%w", *file.Format, assessment.ErrNewerFormat)
	}
	t := &TrustList{}
	seen := map[string]int{}
	for i, k := range file.Keys {
		pub, err := decodeTrustedKey(k.PublicKey)
		if err != nil {
			return nil, fmt.Errorf("第 %d 个密钥：%v", i+1, err)
		}
		k.Name = strings.TrimSpace(k.Name)
		if k.Name == "" {
			return nil, fmt.Errorf("第 %d 个密钥没有服务商名称", i+1)
		}
		fp := Fingerprint(pub)
		if k.Fingerprint != "" && NormalizeFingerprint(k.Fingerprint) != NormalizeFingerprint(fp) {
			return nil, fmt.Errorf("第 %d 个密钥（%s）的指纹 %s 与公钥不符，文件可能被改动", i+1, k.Name, k.Fingerprint)
		}
		k.Fingerprint, k.PublicKey = fp, base64.StdEncoding.EncodeToString(pub)
		// A demo key added by a version that did not mark them is still one.
		k.Demo = k.Demo || IsDemoKey(pub, k.Organisation, k.Signer, k.Name)
		if j, dup := seen[fp]; dup {
			return nil, fmt.Errorf("第 %d 个密钥与第 %d 个相同（指纹 %s）", i+1, j, fp)
		}
		seen[fp] = i + 1
		t.Keys = append(t.Keys, k)
	}
	t.sort()
	return t, nil
}

func decodeTrustedKey(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("public_key 不是 %d 字节的 base64 公钥", ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}

func (t *TrustList) sort() {
	slices.SortStableFunc(t.Keys, func(a, b TrustedKey) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Fingerprint, b.Fingerprint)
	})
}

// Encode writes the list as indented JSON.
func (t *TrustList) Encode() ([]byte, error) {
	keys := t.Keys
	if keys == nil {
		keys = []TrustedKey{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(struct {
		Format string       `json:"format"`
		Keys   []TrustedKey `json:"keys"`
	}{TrustFormat, keys})
	return buf.Bytes(), err
}

// Save writes the list to its file atomically.
func (t *TrustList) Save() error {
	if t.Path == "" {
		return nil
	}
	data, err := t.Encode()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(t.Path), 0o700); err != nil {
		return fmt.Errorf("无法创建配置文件夹：%w", err)
	}
	return assessment.WriteFileAtomic(t.Path, data)
}

// Add trusts the key in a public key file (written by `smartdiag key`) under a provider name. The
// name defaults to the organisation, then the person, named in the key file. A demo key needs
// demo set (see AddKey).
func (t *TrustList) Add(pubKeyFile, name string, demo ...bool) (TrustedKey, error) {
	data, err := regfile.ReadFile(pubKeyFile, MaxKeyFileSize)
	if err != nil {
		return TrustedKey{}, fmt.Errorf("%s：无法读取：%w", pubKeyFile, regfile.WithoutPath(err))
	}
	k, err := t.AddKey(data, name, time.Now(), demo...)
	if err != nil {
		return TrustedKey{}, fmt.Errorf("%s：%w", pubKeyFile, err)
	}
	return k, nil
}

// AddKey is Add with the key file's contents. Adding a key that is already trusted under the same
// name changes nothing; under another name it is an error (remove it first). Demo keys (made from
// public text, see IsDemoKey) are refused unless demo is set, and are then marked as demo.
func (t *TrustList) AddKey(pubKeyFile []byte, name string, now time.Time, demo ...bool) (TrustedKey, error) {
	p, pub, err := ParsePublicKeyFile(pubKeyFile)
	if err != nil {
		return TrustedKey{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = p.Organisation
	}
	if name == "" {
		name = p.Name
	}
	if name == "" {
		return TrustedKey{}, fmt.Errorf("请用 --name 写明服务商名称")
	}
	isDemo := IsDemoKey(pub, p.Organisation, p.Name, name)
	if isDemo && !(len(demo) > 0 && demo[0]) {
		return TrustedKey{}, fmt.Errorf("这是演示密钥（由公开文字生成，任何人都能用它签名），不能作为正式服务商信任；只在试用时用 --demo 加入，它签名的诊断会标为演示数据")
	}
	fp := Fingerprint(pub)
	var added TrustedKey
	err = t.update(func(l *TrustList) error {
		for _, k := range l.Keys {
			if k.Fingerprint == fp {
				if k.Name == name {
					added = k
					return errUnchanged
				}
				return fmt.Errorf("该公钥（指纹 %s）已以「%s」的名义在信任列表中；如要改名，请先 trust remove %s", fp, k.Name, fp)
			}
		}
		added = TrustedKey{
			Name: name, Signer: p.Name, Organisation: p.Organisation,
			PublicKey: base64.StdEncoding.EncodeToString(pub), Fingerprint: fp,
			Added: now.UTC().Truncate(time.Second), Demo: isDemo,
		}
		l.Keys = append(l.Keys, added)
		l.sort()
		return nil
	})
	if err != nil {
		return TrustedKey{}, err
	}
	return added, nil
}

// errUnchanged ends an update that has nothing to save.
var errUnchanged = errors.New("unchanged")

// update applies change to the list as it is on disk now, under a cross-process lock, saves it and
// takes it as t's keys. Two `trust add` at once therefore both land, and a `trust remove` cannot
// be undone by an add that read the list before it. A list without a file is changed in place.
func (t *TrustList) update(change func(*TrustList) error) error {
	if t.Path == "" {
		err := change(t)
		if err == errUnchanged {
			return nil
		}
		return err
	}
	lock, err := filelock.AcquireTimeout(filepath.Join(filepath.Dir(t.Path), ".locks", filepath.Base(t.Path)+".lock"), time.Minute)
	if err != nil {
		return fmt.Errorf("信任列表 %s 正被另一个程序修改，请稍后再试：%v", t.Path, err)
	}
	defer lock.Unlock()
	fresh, err := LoadTrustList(t.Path)
	if err != nil {
		return err
	}
	err = change(fresh)
	if err == errUnchanged {
		t.Keys = fresh.Keys
		return nil
	}
	if err != nil {
		return err
	}
	if err := fresh.Save(); err != nil {
		return err
	}
	t.Keys = fresh.Keys
	return nil
}

// List returns the trusted keys sorted by provider name.
func (t *TrustList) List() []TrustedKey {
	if t == nil {
		return nil
	}
	return slices.Clone(t.Keys)
}

// Remove drops the key with the given fingerprint (dashes and case do not matter), or every key of
// the provider with the given name, and returns what it removed.
func (t *TrustList) Remove(nameOrFingerprint string) ([]TrustedKey, error) {
	want := strings.TrimSpace(nameOrFingerprint)
	fp := NormalizeFingerprint(want)
	var removed []TrustedKey
	err := t.update(func(l *TrustList) error {
		var kept []TrustedKey
		for _, k := range l.Keys {
			if k.Name == want || NormalizeFingerprint(k.Fingerprint) == fp {
				removed = append(removed, k)
			} else {
				kept = append(kept, k)
			}
		}
		if len(removed) == 0 {
			return fmt.Errorf("信任列表中没有名称或指纹为「%s」的密钥", want)
		}
		l.Keys = kept
		return nil
	})
	if err != nil {
		return nil, err
	}
	return removed, nil
}

// IsDemo reports whether pub is on the list as a demo key.
func (t *TrustList) IsDemo(pub ed25519.PublicKey) bool {
	if t == nil {
		return false
	}
	enc := base64.StdEncoding.EncodeToString(pub)
	for _, k := range t.Keys {
		if k.PublicKey == enc {
			return k.Demo
		}
	}
	return false
}

// Trusted reports whether pub is on the list and the provider name it is trusted under.
func (t *TrustList) Trusted(pub ed25519.PublicKey) (string, bool) {
	if t == nil || len(pub) != ed25519.PublicKeySize {
		return "", false
	}
	enc := base64.StdEncoding.EncodeToString(pub)
	for _, k := range t.Keys {
		if k.PublicKey == enc {
			return k.Name, true
		}
	}
	return "", false
}
