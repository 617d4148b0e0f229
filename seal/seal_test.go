package seal_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/demo"
	"smartdiag/questionnaires"
	"smartdiag/seal"
	"smartdiag/seal/canon"
)

// trustKeys trusts the given keys under the name 测试服务商.
type trustKeys []ed25519.PublicKey

func (t trustKeys) Trusted(pub ed25519.PublicKey) (string, bool) {
	for _, k := range t {
		if k.Equal(pub) {
			return "测试服务商", true
		}
	}
	return "", false
}

var sealTime = time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC)

func newKey(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

func demoDoc(t testing.TB, qid string, seed uint64) *assessment.Document {
	t.Helper()
	qn, err := questionnaires.Lookup(qid, "")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := demo.Generate(demo.Options{Count: 1, Seed: seed, Questionnaire: qn})
	if err != nil {
		t.Fatal(err)
	}
	return docs[0]
}

// sealedDemo returns a sealed demo document file and the key that sealed it.
func sealedDemo(t testing.TB, qid string) ([]byte, ed25519.PrivateKey) {
	t.Helper()
	key := newKey(t)
	d := demoDoc(t, qid, 7)
	data, err := seal.Seal(d, key, seal.Signer{Name: "沈立新", Organisation: "江苏智造诊断服务有限公司"}, sealTime)
	if err != nil {
		t.Fatal(err)
	}
	return data, key
}

func TestSealAndVerify(t *testing.T) {
	d := demoDoc(t, "cmmm-full", 3)
	key := newKey(t)
	signer := seal.Signer{Name: "沈立新", Organisation: "江苏智造诊断服务有限公司"}
	data, err := seal.Seal(d, key, signer, sealTime)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != assessment.StatusSealed || d.Seal == nil || d.Seal.Signer != signer || !d.Seal.SealedAt.Equal(sealTime) {
		t.Fatalf("after sealing: status %s, seal %+v", d.Status, d.Seal)
	}
	pub := key.Public().(ed25519.PublicKey)

	r := seal.Verify(data, trustKeys{pub})
	if r.Status != seal.VerifyValid || r.ID != d.ID || r.TrustedAs != "测试服务商" || r.Fingerprint != seal.Fingerprint(pub) ||
		r.Signer == nil || *r.Signer != signer || !r.SealedAt.Equal(sealTime) || r.SHA256 != d.Seal.SHA256 {
		t.Fatalf("Verify: %+v", r)
	}
	if !strings.Contains(r.Reason, "封印有效") || !strings.Contains(r.Reason, r.Fingerprint) {
		t.Errorf("reason %q", r.Reason)
	}

	// The same file without a trust list, or with someone else's key trusted.
	other := newKey(t).Public().(ed25519.PublicKey)
	for _, tl := range []seal.Trust{nil, trustKeys{}, trustKeys{other}} {
		r := seal.Verify(data, tl)
		if r.Status != seal.VerifyUnknownSigner || !strings.Contains(r.Reason, "不在信任列表中（指纹 "+seal.Fingerprint(pub)+"）") {
			t.Errorf("trust %v: %+v", tl, r)
		}
	}

	// The sealed file is a normal document: it decodes, checks and scores, and re-encoding an
	// unchanged sealed document gives the same bytes, so saving it again keeps the seal.
	back, _, err := assessment.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	if back.Status != assessment.StatusSealed || back.Seal == nil || *back.Seal != *d.Seal {
		t.Fatalf("decoded seal %+v, want %+v", back.Seal, d.Seal)
	}
	again, err := back.Encode()
	if err != nil || !bytes.Equal(again, data) {
		t.Errorf("re-encoding a sealed document changed it (err %v)", err)
	}
	if enc, _ := d.Encode(); !bytes.Equal(enc, data) {
		t.Errorf("Encode of the sealed document differs from the sealed bytes")
	}

	// The content hash is the SHA-256 of the canonical document without its seal.
	var generic map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		t.Fatal(err)
	}
	delete(generic, "seal")
	raw, _ := json.Marshal(generic)
	canon, err := canon.JSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(canon); hex.EncodeToString(sum[:]) != d.Seal.SHA256 {
		t.Errorf("sha256 is not the hash of the canonical content")
	}
}

// The sealed layout is what encoding/json writes for the generic value with sorted keys and a
// two-space indent (HTML escaping off), which makes it easy to reproduce with other tools.
func TestSealedLayoutMatchesStandardIndent(t *testing.T) {
	data, _ := sealedDemo(t, "zgsz-quick")
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if got := stdLayout(t, v); !bytes.Equal(got, data) {
		t.Errorf("sealed layout differs from encoding/json's indent:\n%s\n---\n%s", data, got)
	}
}

func stdLayout(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// One changed byte anywhere in a sealed document is caught: every position of the file, flipped.
func TestEveryChangedByteIsCaught(t *testing.T) {
	for _, qid := range []string{"zgsz-quick", "cmmm-full"} {
		t.Run(qid, func(t *testing.T) {
			data, key := sealedDemo(t, qid)
			trusted := trustKeys{key.Public().(ed25519.PublicKey)}
			if r := seal.Verify(data, trusted); r.Status != seal.VerifyValid {
				t.Fatalf("untouched: %+v", r)
			}
			// Each position with its lowest bit flipped (digits stay digits, letters stay letters,
			// a space becomes "!"); on the small document also with a case flip and a high bit.
			masks := []byte{0x01}
			step := 1
			if qid == "zgsz-quick" {
				masks = []byte{0x01, 0x20, 0x80}
			} else if testing.Short() || raceBuild {
				step = 7 // every byte is still checked by the test without -short and -race
			}
			var mu sync.Mutex
			counts := map[string]int{}
			var wg sync.WaitGroup
			workers := runtime.GOMAXPROCS(0)
			for w := range workers {
				wg.Go(func() {
					buf := bytes.Clone(data)
					local := map[string]int{}
					for i := w * step; i < len(buf); i += workers * step {
						for _, m := range masks {
							buf[i] ^= m
							r := seal.Verify(buf, trusted)
							buf[i] ^= m
							local[r.Status]++
							if r.Status != seal.VerifyTampered && r.Status != seal.VerifyUnreadable {
								mu.Lock()
								t.Errorf("byte %d ^ %#x (%q): %s — %s", i, m, data[i], r.Status, r.Reason)
								mu.Unlock()
							}
						}
					}
					mu.Lock()
					for k, v := range local {
						counts[k] += v
					}
					mu.Unlock()
				})
			}
			wg.Wait()
			t.Logf("%d bytes, every %d, × %d changes: %v", len(data), step, len(masks), counts)
		})
	}
}

// Deleting or inserting a byte, and whole-file rewrites that keep the JSON value, are caught too.
func TestLayoutChangesAreCaught(t *testing.T) {
	data, key := sealedDemo(t, "zgsz-quick")
	trusted := trustKeys{key.Public().(ed25519.PublicKey)}
	var indented4 bytes.Buffer
	json.Indent(&indented4, data, "", "    ")
	var compact bytes.Buffer
	json.Compact(&compact, data)
	cases := map[string][]byte{
		"crlf":             bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")),
		"no final newline": bytes.TrimSuffix(data, []byte("\n")),
		"two newlines":     append(bytes.Clone(data), '\n'),
		"bom":              append([]byte("\xef\xbb\xbf"), data...),
		"four spaces":      indented4.Bytes(),
		"compact":          compact.Bytes(),
		"escaped slash":    bytes.Replace(data, []byte(`"smartdiag.diagnosis/1"`), []byte(`"smartdiag.diagnosis\/1"`), 1),
		"escaped letter":   bytes.Replace(data, []byte(`"format"`), []byte(`"\u0066ormat"`), 1),
		"key moved":        bytes.Replace(data, []byte("{\n  \"answers\""), []byte("{\n  \"zzz\": 1,\n  \"answers\""), 1),
	}
	for i := 0; i < len(data); i += 97 {
		cases["delete "+strconv.Itoa(i)] = append(bytes.Clone(data[:i]), data[i+1:]...)
		cases["insert space "+strconv.Itoa(i)] = append(append(bytes.Clone(data[:i]), ' '), data[i:]...)
	}
	for name, b := range cases {
		if bytes.Equal(b, data) {
			t.Fatalf("%s: no change made", name)
		}
		r := seal.Verify(b, trusted)
		if r.Status != seal.VerifyTampered && r.Status != seal.VerifyUnreadable {
			t.Errorf("%s: %s — %s", name, r.Status, r.Reason)
		}
	}
	if r := seal.Verify(indented4.Bytes(), trusted); r.Status != seal.VerifyTampered || !strings.Contains(r.Reason, "字节排版") {
		t.Errorf("re-indented: %+v", r)
	}
}

// Content changes that keep the layout are reported as changed content; a replaced seal by another
// key is reported as an unknown signer, never as valid.
func TestTamperReasons(t *testing.T) {
	data, key := sealedDemo(t, "zgsz-quick")
	pub := key.Public().(ed25519.PublicKey)
	trusted := trustKeys{pub}
	d, err := assessment.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		f(m)
		return stdLayout(t, m)
	}
	sealOf := func(m map[string]any) map[string]any { return m["seal"].(map[string]any) }
	tests := []struct {
		name, status, reason string
		data                 []byte
	}{
		{"name changed", "tampered", "签名不符：文档在封存后被修改", edit(func(m map[string]any) {
			m["enterprise"].(map[string]any)["name"] = "别的公司"
		})},
		{"field added", "tampered", "签名不符：文档在封存后被修改", edit(func(m map[string]any) { m["extra"] = true })},
		{"sealed_at changed", "tampered", "签名不符", edit(func(m map[string]any) { sealOf(m)["sealed_at"] = "2027-01-01T00:00:00Z" })},
		{"signer changed", "tampered", "签名不符", edit(func(m map[string]any) {
			sealOf(m)["signer"].(map[string]any)["name"] = "别人"
		})},
		{"seal removed", "tampered", "封印缺失", edit(func(m map[string]any) { delete(m, "seal") })},
		{"seal removed, status back", "unsealed", "文档未封存", edit(func(m map[string]any) {
			delete(m, "seal")
			m["status"] = "finished"
		})},
		{"algorithm", "tampered", "不支持的签名算法", edit(func(m map[string]any) { sealOf(m)["algorithm"] = "rsa" })},
		{"signature not base64", "tampered", "封印损坏", edit(func(m map[string]any) { sealOf(m)["signature"] = "!!" })},
		{"signature with newline", "tampered", "封印损坏", edit(func(m map[string]any) {
			s := sealOf(m)["signature"].(string)
			sealOf(m)["signature"] = s[:40] + "\n" + s[40:]
		})},
		{"seal is a string", "tampered", "封印损坏", edit(func(m map[string]any) { m["seal"] = "x" })},
		{"wrong key in seal", "tampered", "签名不符", edit(func(m map[string]any) {
			sealOf(m)["public_key"] = base64.StdEncoding.EncodeToString(newKey(t).Public().(ed25519.PublicKey))
		})},
		{"resealed with another key", "unknown_signer", "不在信任列表中", func() []byte {
			d2 := *d
			d2.Status, d2.Seal = assessment.StatusFinished, nil
			b, err := seal.Seal(&d2, newKey(t), seal.Signer{Name: "冒充者"}, sealTime)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}()},
		{"duplicate key", "unreadable", "重复", bytes.Replace(data, []byte("{\n  \"answers\""), []byte("{\n  \"id\": \"x\",\n  \"answers\""), 1)},
		{"invalid utf-8", "unreadable", "UTF-8", bytes.Replace(data, []byte("沈"), []byte{0xff, 0xfe, 0xfd}, 1)},
		{"truncated", "unreadable", "文件不完整", data[:len(data)/2]},
		{"empty", "unreadable", "文件不完整", nil},
		{"array", "unreadable", "顶层不是 JSON 对象", []byte("[]\n")},
		{"other json", "unreadable", "不是诊断文档", []byte(`{"format":"smartdiag.roster/1"}`)},
	}
	for _, tc := range tests {
		r := seal.Verify(tc.data, trusted)
		if r.Status != tc.status || !strings.Contains(r.Reason, tc.reason) {
			t.Errorf("%s: %s — %s; want %s containing %q", tc.name, r.Status, r.Reason, tc.status, tc.reason)
		}
	}
}

// A document written by a later version with fields this version does not know still verifies:
// the signature is over the file's own JSON, not over Go structs.
func TestVerifyKeepsUnknownFields(t *testing.T) {
	data, key := sealedDemo(t, "zgsz-quick")
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	m["format"] = "smartdiag.diagnosis/1.3"
	m["future_field"] = map[string]any{"z": []any{json.Number("1.50"), nil, "é\u2028<>&"}, "a": json.Number("-0")}
	m["enterprise"].(map[string]any)["district_code"] = "320115"
	sealObj := m["seal"].(map[string]any)
	sealObj["future_seal_field"] = "x"
	resign(t, m, key)
	data2 := stdLayout(t, m)
	// encoding/json escapes U+2028; the sealed layout writes it as UTF-8.
	data2 = bytes.ReplaceAll(data2, []byte(`\u2028`), []byte("\u2028"))
	r := seal.Verify(data2, trustKeys{key.Public().(ed25519.PublicKey)})
	if r.Status != seal.VerifyValid {
		t.Fatalf("%s — %s", r.Status, r.Reason)
	}
	// Changing the unknown field is caught.
	bad := bytes.Replace(data2, []byte(`"1.50"`), []byte(`"1.5"`), 1)
	bad = bytes.Replace(bad, []byte(`1.50`), []byte(`1.5`), 1)
	if r := seal.Verify(bad, trustKeys{key.Public().(ed25519.PublicKey)}); r.Status != seal.VerifyTampered {
		t.Errorf("changed number literal: %s — %s", r.Status, r.Reason)
	}
}

// resign recomputes the seal of a generic document as a later version would.
func resign(t *testing.T, m map[string]any, key ed25519.PrivateKey) {
	t.Helper()
	canonOf := func(v any) []byte {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		c, err := canon.JSON(raw)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	sealObj := m["seal"].(map[string]any)
	delete(m, "seal")
	sum := sha256.Sum256(canonOf(m))
	sealObj["sha256"] = hex.EncodeToString(sum[:])
	delete(sealObj, "signature")
	m["seal"] = sealObj
	sealObj["signature"] = base64.StdEncoding.EncodeToString(ed25519.Sign(key, canonOf(m)))
}

func TestVerifyUnsealed(t *testing.T) {
	d := demoDoc(t, "zgsz-quick", 1)
	finished, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	r := seal.Verify(finished, nil)
	if r.Status != seal.VerifyUnsealed || !strings.Contains(r.Reason, "finished") || r.ID != d.ID {
		t.Errorf("finished: %+v", r)
	}
	rev, err := d.Revise(sealTime)
	if err != nil {
		t.Fatal(err)
	}
	draft, _ := rev.Encode()
	if r := seal.Verify(draft, nil); r.Status != seal.VerifyUnsealed || !strings.Contains(r.Reason, "draft") {
		t.Errorf("draft: %+v", r)
	}
}

func TestSealedDocumentIsReadOnly(t *testing.T) {
	qn, _ := questionnaires.Lookup("zgsz-quick", "")
	d := demoDoc(t, "zgsz-quick", 2)
	key := newKey(t)
	// Drafts cannot be sealed.
	rev, _ := d.Revise(sealTime)
	if _, err := seal.Seal(rev, key, seal.Signer{Name: "a"}, sealTime); err == nil || !strings.Contains(err.Error(), "草稿不能封存") {
		t.Errorf("sealing a draft: %v", err)
	}
	if _, err := seal.Seal(d, key, seal.Signer{}, sealTime); err == nil {
		t.Errorf("sealing without a signer name succeeded")
	}
	if d.Status != assessment.StatusFinished || d.Seal != nil {
		t.Fatalf("a refused seal changed the document")
	}
	if _, err := seal.Seal(d, key, seal.Signer{Name: "沈立新"}, sealTime); err != nil {
		t.Fatal(err)
	}
	before, _ := d.Encode()
	var id string
	for k := range d.Answers {
		id = k
		break
	}
	errs := []error{
		d.SetAnswer(qn, id, "full", sealTime),
		d.SetNote(id, "改一下", sealTime),
		d.EditAction(id, assessment.ActionEdit{Phase: assessment.PhaseNear}, sealTime),
		d.AddCustomAction(assessment.CustomAction{Text: "新增", Track: "数转"}, sealTime),
		d.Finish(qn, sealTime),
	}
	_, err := seal.Seal(d, key, seal.Signer{Name: "沈立新"}, sealTime)
	errs = append(errs, err)
	for i, err := range errs {
		if err == nil {
			t.Errorf("change %d of a sealed document was accepted", i)
		}
	}
	if after, _ := d.Encode(); !bytes.Equal(before, after) {
		t.Errorf("a refused change altered the sealed document")
	}
	if r := seal.Verify(before, trustKeys{key.Public().(ed25519.PublicKey)}); r.Status != seal.VerifyValid {
		t.Errorf("%+v", r)
	}
}

func TestReviseAndSealAgain(t *testing.T) {
	qn, _ := questionnaires.Lookup("zgsz-quick", "")
	d := demoDoc(t, "zgsz-quick", 4)
	key := newKey(t)
	trusted := trustKeys{key.Public().(ed25519.PublicKey)}
	old, err := seal.Seal(d, key, seal.Signer{Name: "沈立新"}, sealTime)
	if err != nil {
		t.Fatal(err)
	}
	rev, err := d.Revise(sealTime.Add(24 * time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if rev.ID == d.ID || rev.Supersedes != d.ID || rev.Status != assessment.StatusDraft || rev.Seal != nil || rev.Finished != nil {
		t.Fatalf("revision: id %s supersedes %s status %s seal %v", rev.ID, rev.Supersedes, rev.Status, rev.Seal)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7`).MatchString(rev.ID) {
		t.Errorf("revision id %s is not a UUIDv7", rev.ID)
	}
	if len(rev.Answers) != len(d.Answers) || rev.Enterprise.Name != d.Enterprise.Name {
		t.Fatalf("revision lost answers or profile")
	}
	for id, a := range d.Answers {
		if b := rev.Answers[id]; b == nil || string(b.Value) != string(a.Value) || b.Note != a.Note {
			t.Fatalf("answer %s differs in the revision", id)
		}
	}
	// The revision is independent of the sealed original.
	var item string
	for _, it := range qn.Items() {
		if it.Type == "scale" {
			if _, ok := d.Answers[it.ID]; ok {
				item = it.ID
				break
			}
		}
	}
	if item == "" {
		t.Fatal("no scale item answered")
	}
	if err := rev.SetAnswer(qn, item, "none", sealTime.Add(25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if enc, _ := d.Encode(); !bytes.Equal(enc, old) {
		t.Fatal("changing the revision changed the sealed original")
	}
	if err := rev.Finish(qn, sealTime.Add(26*time.Hour)); err != nil {
		t.Fatal(err)
	}
	data, err := seal.Seal(rev, key, seal.Signer{Name: "沈立新"}, sealTime.Add(27*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	r := seal.Verify(data, trusted)
	if r.Status != seal.VerifyValid || r.ID != rev.ID {
		t.Fatalf("%+v", r)
	}
	if !bytes.Contains(data, []byte(`"supersedes": "`+d.ID+`"`)) {
		t.Errorf("sealed revision does not name the superseded id")
	}
	if r := seal.Verify(old, trusted); r.Status != seal.VerifyValid {
		t.Errorf("original after revising: %+v", r)
	}
	if _, err := rev.Revise(sealTime); err != nil {
		t.Errorf("revising a revision: %v", err)
	}
	draft, _ := rev.Revise(sealTime)
	if _, err := draft.Revise(sealTime); err == nil {
		t.Errorf("revising a draft succeeded")
	}
}

func TestKeyCreatedOnceWithPrivatePermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cfg")
	t.Setenv(seal.EnvConfig, dir)
	if got, _ := seal.ConfigDir(); got != dir {
		t.Fatalf("ConfigDir %s, want %s", got, dir)
	}
	key, created, err := seal.LoadOrCreateKey()
	if err != nil || !created || len(key) != ed25519.PrivateKeySize {
		t.Fatalf("first use: created %v, err %v", created, err)
	}
	path := filepath.Join(dir, seal.KeyFileName)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %o, want 600", st.Mode().Perm())
	}
	if pem, _ := os.ReadFile(path); !bytes.HasPrefix(pem, []byte("-----BEGIN PRIVATE KEY-----\n")) {
		t.Errorf("key file is not a PEM private key")
	}
	again, created, err := seal.LoadOrCreateKey()
	if err != nil || created || !again.Equal(key) {
		t.Fatalf("second use: created %v, err %v, same key %v", created, err, again.Equal(key))
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	if runtime.GOOS != "windows" {
		for _, mode := range []fs.FileMode{0o644, 0o640, 0o604, 0o660} {
			os.Chmod(path, mode)
			_, _, err := seal.LoadOrCreateKey()
			if err == nil || !strings.Contains(err.Error(), "chmod 600") {
				t.Errorf("mode %o: %v", mode, err)
			}
		}
		os.Chmod(path, 0o600)
	}
	os.WriteFile(path, []byte("not a key"), 0o600)
	if _, _, err := seal.LoadOrCreateKey(); err == nil || !strings.Contains(err.Error(), "已损坏") {
		t.Errorf("corrupt key: %v", err)
	}
	if _, err := seal.LoadKey(filepath.Join(dir, "nope.pem")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing key: %v", err)
	}
}

func TestConcurrentFirstUseMakesOneKey(t *testing.T) {
	t.Setenv(seal.EnvConfig, t.TempDir())
	keys := make([]ed25519.PrivateKey, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, _, err := seal.LoadOrCreateKey()
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if !k.Equal(keys[0]) {
			t.Fatal("concurrent first uses made different keys")
		}
	}
}

func TestSignerSaved(t *testing.T) {
	t.Setenv(seal.EnvConfig, t.TempDir())
	if s, err := seal.LoadSigner(); err != nil || s != (seal.Signer{}) {
		t.Fatalf("no signer yet: %+v %v", s, err)
	}
	want := seal.Signer{Name: "沈立新", Organisation: "江苏智造诊断服务有限公司"}
	if err := seal.SaveSigner(want); err != nil {
		t.Fatal(err)
	}
	if s, err := seal.LoadSigner(); err != nil || s != want {
		t.Fatalf("%+v %v", s, err)
	}
}

func TestFingerprint(t *testing.T) {
	pub := newKey(t).Public().(ed25519.PublicKey)
	fp := seal.Fingerprint(pub)
	if !regexp.MustCompile(`^[0-9a-f]{4}(-[0-9a-f]{4}){7}$`).MatchString(fp) {
		t.Errorf("fingerprint %q", fp)
	}
	sum := sha256.Sum256(pub)
	if strings.ReplaceAll(fp, "-", "") != hex.EncodeToString(sum[:16]) {
		t.Errorf("fingerprint is not the first 16 bytes of SHA-256")
	}
	if seal.NormalizeFingerprint(strings.ToUpper(strings.ReplaceAll(fp, "-", " "))) != strings.ReplaceAll(fp, "-", "") {
		t.Errorf("NormalizeFingerprint")
	}
}

func TestPublicKeyFile(t *testing.T) {
	pub := newKey(t).Public().(ed25519.PublicKey)
	p := seal.NewPublicKeyFile(pub, seal.Signer{Name: "沈立新", Organisation: "江苏智造"}, sealTime)
	data, err := p.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, gotPub, err := seal.ParsePublicKeyFile(data)
	if err != nil || !gotPub.Equal(pub) || *got != *p {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	s := string(data)
	other := seal.Fingerprint(newKey(t).Public().(ed25519.PublicKey))
	for name, tc := range map[string]struct{ data, want string }{
		"wrong fingerprint": {strings.Replace(s, p.Fingerprint, other, 1), "指纹"},
		"private key":       {"-----BEGIN PRIVATE KEY-----\nMC4CAQ==\n-----END PRIVATE KEY-----\n", "私钥不能交出"},
		"not json":          {"hello", "不是公钥文件"},
		"other format":      {`{"format":"smartdiag.diagnosis/1"}`, "不是公钥文件"},
		"newer":             {strings.Replace(s, "publickey/1", "publickey/2", 1), "需要更新软件"},
		"short key":         {strings.Replace(s, p.PublicKey, "AAAA", 1), "public_key"},
		"algorithm":         {strings.Replace(s, `"ed25519"`, `"rsa"`, 1), "算法"},
	} {
		if _, _, err := seal.ParsePublicKeyFile([]byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A BOM and a missing fingerprint are accepted; the fingerprint is filled in.
	noFP := strings.Replace(s, `"fingerprint": "`+p.Fingerprint+`",`, "", 1)
	if got, _, err := seal.ParsePublicKeyFile(append([]byte("\xef\xbb\xbf"), noFP...)); err != nil || got.Fingerprint != p.Fingerprint {
		t.Errorf("no fingerprint: %+v %v", got, err)
	}
}

func TestCanonicalJSON(t *testing.T) {
	for in, want := range map[string]string{
		` { "b" : 1 , "a" : [ true , false , null , {} , [] ] } `:   `{"a":[true,false,null,{},[]],"b":1}`,
		`{"é":1,"z":2,"Z":3,"":4,"中":5,"😀":6,"\uffff":7}`:           `{"":4,"Z":3,"z":2,"é":1,"中":5,"` + "\uffff" + `":7,"😀":6}`,
		`[1.50, -0, 1e2, 1E+2, 0.0e-0, 12345678901234567890123]`:    `[1.50,-0,1e2,1E+2,0.0e-0,12345678901234567890123]`,
		`"\u0041\/\"\\\b\f\n\r\t\u0001\u001f\u007f\u00e9\u2028<>&"`: `"A/\"\\\b\f\n\r\t\u0001\u001f` + "\u007f\u00e9\u2028<>&" + `"`,
		`"\ud83d\ude00"`: `"😀"`,
	} {
		got, err := canon.JSON([]byte(in))
		if err != nil || string(got) != want {
			t.Errorf("%s:\n got %s (%v)\nwant %s", in, got, err, want)
		}
	}
	for _, bad := range []string{
		``, ` `, `{`, `{"a":1,"a":2}`, `{"a" 1}`, `[1,]`, `[1 2]`, `01`, `1.`, `.5`, `1e`, `-`, `+1`, `"\ud800"`,
		`"\udc00\ud800"`, `"\ud800\u0041"`, `"\x"`, "\"a\x01\"", "\"\xff\"", `tru`, `nul`, `{} {}`, `NaN`,
		strings.Repeat("[", 300) + strings.Repeat("]", 300),
	} {
		if got, err := canon.JSON([]byte(bad)); err == nil {
			t.Errorf("%q accepted: %s", bad, got)
		}
	}
}

func FuzzCanonicalJSON(f *testing.F) {
	for _, s := range []string{`{"b":1,"a":[1.0,"x\n"]}`, `"\ud83d\ude00"`, `[]`, `{"a":{"a":{}}}`, `-0.0e+5`, "\"\u2028\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := canon.JSON(data)
		if err != nil {
			return
		}
		if !json.Valid(data) {
			t.Fatalf("accepted what encoding/json rejects: %q", data)
		}
		if !json.Valid(c) {
			t.Fatalf("canonical form is not JSON: %q", c)
		}
		c2, err := canon.JSON(c)
		if err != nil || !bytes.Equal(c, c2) {
			t.Fatalf("not idempotent: %q → %q (%v)", c, c2, err)
		}
		var a, b any
		json.Unmarshal(data, &a)
		json.Unmarshal(c, &b)
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Fatalf("canonical form changes the value: %s vs %s", ja, jb)
		}
	})
}

// FuzzVerify: no input makes Verify panic, and no input but the sealed file itself is valid.
func FuzzVerify(f *testing.F) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	d := demoDoc(f, "zgsz-quick", 5)
	sealed, err := seal.Seal(d, key, seal.Signer{Name: "沈立新"}, sealTime)
	if err != nil {
		f.Fatal(err)
	}
	trusted := trustKeys{key.Public().(ed25519.PublicKey)}
	f.Add(sealed)
	f.Add(bytes.Replace(sealed, []byte(`"sealed"`), []byte(`"finished"`), 1))
	f.Add(bytes.TrimSuffix(sealed, []byte("\n")))
	f.Add([]byte(`{"format":"smartdiag.diagnosis/1","status":"sealed","seal":{}}`))
	f.Add([]byte(`{"format":"smartdiag.diagnosis/1","seal":{"algorithm":"ed25519","public_key":"` +
		base64.StdEncoding.EncodeToString(trusted[0]) + `","signature":"","sha256":"","sealed_at":"","signer":{}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := seal.Verify(data, trusted)
		switch r.Status {
		case seal.VerifyValid:
			if !bytes.Equal(data, sealed) {
				t.Fatalf("a changed file verified: %q", data)
			}
		case seal.VerifyTampered, seal.VerifyUnsealed, seal.VerifyUnknownSigner, seal.VerifyUnreadable:
		default:
			t.Fatalf("status %q", r.Status)
		}
		if r.Reason == "" {
			t.Fatal("no reason")
		}
	})
}

// A sealed document whose answer value could never be under a valid seal (duplicate keys) still
// encodes, and does not verify.
func TestEncodeSealedWithOddValue(t *testing.T) {
	data, key := sealedDemo(t, "zgsz-quick")
	d, err := assessment.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range d.Answers {
		a.Value = json.RawMessage(`{"a":1,"a":2}`)
		break
	}
	b, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if r := seal.Verify(b, trustKeys{key.Public().(ed25519.PublicKey)}); r.Status != seal.VerifyUnreadable {
		t.Errorf("%s — %s", r.Status, r.Reason)
	}
}
