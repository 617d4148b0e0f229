package seal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"smartdiag/demo"
)

var trustNow = time.Date(2026, 5, 20, 8, 0, 0, 0, time.UTC)

func keyFile(t testing.TB, name, org string) ([]byte, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	data, err := NewPublicKeyFile(pub, Signer{Name: name, Organisation: org}, trustNow).Encode()
	if err != nil {
		t.Fatal(err)
	}
	return data, priv
}

func TestTrustAddListRemove(t *testing.T) {
	t.Setenv(EnvConfig, t.TempDir())
	tl, err := OpenTrustList()
	if err != nil || len(tl.List()) != 0 {
		t.Fatalf("new list: %v %v", tl, err)
	}
	dir := t.TempDir()
	kA1, privA1 := keyFile(t, "沈立新", "江苏智造诊断服务有限公司")
	kA2, _ := keyFile(t, "王敏", "江苏智造诊断服务有限公司")
	kB, _ := keyFile(t, "李强", "")
	for name, data := range map[string][]byte{"a1.json": kA1, "a2.json": kA2, "b.json": kB} {
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	a1, err := tl.Add(filepath.Join(dir, "a1.json"), "智造诊断")
	if err != nil {
		t.Fatal(err)
	}
	if a1.Name != "智造诊断" || a1.Signer != "沈立新" || a1.Organisation != "江苏智造诊断服务有限公司" {
		t.Errorf("added %+v", a1)
	}
	if _, err := tl.Add(filepath.Join(dir, "a2.json"), "智造诊断"); err != nil {
		t.Fatal(err) // a provider may have several consultants, each with a key
	}
	b, err := tl.Add(filepath.Join(dir, "b.json"), "") // no name: the key file's organisation, else person
	if err != nil || b.Name != "李强" {
		t.Fatalf("default name: %+v %v", b, err)
	}
	// Adding again under the same name is a no-op; under another name an error.
	if _, err := tl.Add(filepath.Join(dir, "a1.json"), "智造诊断"); err != nil {
		t.Errorf("re-add: %v", err)
	}
	if _, err := tl.Add(filepath.Join(dir, "a1.json"), "别的名字"); err == nil || !strings.Contains(err.Error(), "已以「智造诊断」的名义") {
		t.Errorf("re-add under another name: %v", err)
	}
	if _, err := tl.Add(filepath.Join(dir, "missing.json"), "x"); err == nil || !strings.Contains(err.Error(), "missing.json：无法读取") {
		t.Errorf("missing file: %v", err)
	}
	if len(tl.List()) != 3 {
		t.Fatalf("list: %+v", tl.List())
	}

	// The list is saved in the config folder and read back the same.
	again, err := OpenTrustList()
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Keys) != 3 || again.Keys[0].Name != "智造诊断" || again.Keys[1].Name != "智造诊断" || again.Keys[2].Name != "李强" {
		t.Fatalf("reloaded: %+v", again.Keys)
	}
	pubA1 := privA1.Public().(ed25519.PublicKey)
	if name, ok := again.Trusted(pubA1); !ok || name != "智造诊断" {
		t.Errorf("Trusted: %q %v", name, ok)
	}

	// A sealed document verifies against the list.
	docs, err := demo.Generate(demo.Options{Count: 1, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := Seal(docs[0], privA1, Signer{Name: "沈立新"}, trustNow)
	if err != nil {
		t.Fatal(err)
	}
	if r := Verify(sealed, again); r.Status != VerifyValid || r.TrustedAs != "智造诊断" {
		t.Errorf("verify with the list: %+v", r)
	}

	// Remove by fingerprint (any case and dashes) and by name.
	upper := strings.ToUpper(strings.ReplaceAll(a1.Fingerprint, "-", ""))
	removed, err := again.Remove(upper)
	if err != nil || len(removed) != 1 || removed[0].Fingerprint != a1.Fingerprint {
		t.Fatalf("remove by fingerprint: %+v %v", removed, err)
	}
	if r := Verify(sealed, again); r.Status != VerifyUnknownSigner {
		t.Errorf("verify after removal: %+v", r)
	}
	if removed, err := again.Remove("智造诊断"); err != nil || len(removed) != 1 {
		t.Fatalf("remove by name: %+v %v", removed, err)
	}
	if _, err := again.Remove("没有这个"); err == nil {
		t.Errorf("removing an unknown name succeeded")
	}
	final, _ := OpenTrustList()
	if len(final.Keys) != 1 || final.Keys[0].Name != "李强" {
		t.Errorf("after removals: %+v", final.Keys)
	}
	var nilList *TrustList
	if _, ok := nilList.Trusted(pubA1); ok {
		t.Errorf("nil list trusts")
	}
	if r := Verify(sealed, nilList); r.Status != VerifyUnknownSigner {
		t.Errorf("nil list: %+v", r)
	}
}

func TestParseTrustListErrors(t *testing.T) {
	kf, _ := keyFile(t, "a", "b")
	var tl TrustList
	k, err := tl.AddKey(kf, "服务商", trustNow)
	if err != nil {
		t.Fatal(err)
	}
	good, _ := tl.Encode()
	other := Fingerprint(make(ed25519.PublicKey, 32))
	s := string(good)
	for name, tc := range map[string]struct{ data, want string }{
		"not json":          {"{", "不是有效的 JSON"},
		"no format":         {`{"keys":[]}`, "缺少 format"},
		"other format":      {`{"format":"smartdiag.diagnosis/1"}`, "不是信任列表"},
		"newer":             {`{"format":"smartdiag.trust/2","keys":[]}`, "需要更新软件"},
		"bad key":           {strings.Replace(s, k.PublicKey, "AAAA", 1), "第 1 个密钥"},
		"wrong fingerprint": {strings.Replace(s, k.Fingerprint, other, 1), "与公钥不符"},
		"no name":           {strings.Replace(s, `"name": "服务商"`, `"name": " "`, 1), "没有服务商名称"},
		"duplicate":         {`{"format":"smartdiag.trust/1","keys":[` + entry(k) + `,` + entry(k) + `]}`, "第 2 个密钥与第 1 个相同"},
	} {
		if _, err := ParseTrustList([]byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	back, err := ParseTrustList(append([]byte("\xef\xbb\xbf"), good...))
	if err != nil || len(back.Keys) != 1 || back.Keys[0] != k {
		t.Errorf("round trip: %+v %v", back, err)
	}
	// A broken list file is reported with its path, not treated as empty.
	path := filepath.Join(t.TempDir(), "trust.json")
	os.WriteFile(path, []byte("{"), 0o600)
	if _, err := LoadTrustList(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("broken file: %v", err)
	}
}

func entry(k TrustedKey) string {
	return `{"name":"` + k.Name + `","public_key":"` + k.PublicKey + `","fingerprint":"` + k.Fingerprint + `","added":"2026-05-20T08:00:00Z"}`
}

func FuzzParseTrustList(f *testing.F) {
	kf, _ := keyFile(f, "a", "b")
	var tl TrustList
	tl.AddKey(kf, "服务商", trustNow)
	good, _ := tl.Encode()
	f.Add(good)
	f.Add([]byte(`{"format":"smartdiag.trust/1","keys":[]}`))
	f.Add([]byte(`{"format":"smartdiag.trust/1.9","keys":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseTrustList(data)
		if err != nil {
			return
		}
		enc, err := l.Encode()
		if err != nil {
			t.Fatal(err)
		}
		l2, err := ParseTrustList(enc)
		if err != nil {
			t.Fatalf("re-encoded list does not parse: %v\n%s", err, enc)
		}
		enc2, _ := l2.Encode()
		if !bytes.Equal(enc, enc2) {
			t.Fatalf("not stable:\n%s\n%s", enc, enc2)
		}
		for _, k := range l.Keys {
			pub, err := decodeTrustedKey(k.PublicKey)
			if err != nil || Fingerprint(pub) != k.Fingerprint {
				t.Fatalf("accepted key %+v", k)
			}
			if name, ok := l.Trusted(pub); !ok || name != k.Name {
				t.Fatalf("listed key not trusted: %+v", k)
			}
		}
	})
}

func FuzzParsePublicKeyFile(f *testing.F) {
	kf, _ := keyFile(f, "沈立新", "江苏智造")
	f.Add(kf)
	f.Add([]byte(`{"format":"smartdiag.publickey/1","algorithm":"ed25519","public_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}`))
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, pub, err := ParsePublicKeyFile(data)
		if err != nil {
			return
		}
		if len(pub) != ed25519.PublicKeySize || p.Fingerprint != Fingerprint(pub) {
			t.Fatalf("accepted %+v", p)
		}
		enc, err := p.Encode()
		if err != nil {
			t.Fatal(err)
		}
		p2, pub2, err := ParsePublicKeyFile(enc)
		if err != nil || !pub2.Equal(pub) || p2.Fingerprint != p.Fingerprint {
			t.Fatalf("re-encoded key file: %v", err)
		}
		var tl TrustList
		if _, err := tl.AddKey(data, "x", trustNow); err != nil {
			t.Fatalf("a parsed key file cannot be trusted: %v", err)
		}
	})
}
