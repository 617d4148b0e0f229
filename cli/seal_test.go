package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/seal"
)

var sealFingerprintRE = regexp.MustCompile(`[0-9a-f]{4}(-[0-9a-f]{4}){7}`)

// demoFiles writes n finished demo documents and returns their paths.
func sealDemoFiles(t *testing.T, n int) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	if code, _, errs := run(t, "demo", "--out", dir, "--count", strconv.Itoa(n), "--seed", "11", "--questionnaire", "zgsz-quick"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.sdiag"))
	if len(files) != n {
		t.Fatalf("%d files", len(files))
	}
	return dir, files
}

type verifyJSON struct {
	File   string `json:"file"`
	Status string `json:"status"`
	Reason string `json:"reason"`
}

func verifyJSONRun(t *testing.T, args ...string) (int, []verifyJSON) {
	t.Helper()
	code, out, errs := run(t, append([]string{"verify", "--json"}, args...)...)
	var got []verifyJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("verify --json is not a JSON array: %v\n%s%s", err, out, errs)
	}
	for _, e := range got {
		if e.File == "" || e.Status == "" || e.Reason == "" {
			t.Errorf("entry lacks file, status or reason: %+v", e)
		}
	}
	return code, got
}

func TestSealVerifyTrustFlow(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv(seal.EnvConfig, cfg)
	dir, files := sealDemoFiles(t, 4)
	f1, f2, f3, f4 := files[0], files[1], files[2], files[3]

	// key: created on first use, fingerprint printed, public key file written.
	pubFile := filepath.Join(t.TempDir(), "沈立新.json")
	code, out, errs := run(t, "key", "--name", "沈立新", "--org", "江苏智造诊断服务有限公司", "--out", pubFile)
	if code != 0 || !strings.Contains(out, "已创建新的签名密钥") || !sealFingerprintRE.MatchString(out) || !strings.Contains(out, pubFile) {
		t.Fatalf("key: %d\n%s%s", code, out, errs)
	}
	fp := sealFingerprintRE.FindString(out)
	pk, pub, err := seal.ParsePublicKeyFile(readSealTest(t, pubFile))
	if err != nil || pk.Fingerprint != fp || pk.Name != "沈立新" || pk.Organisation != "江苏智造诊断服务有限公司" {
		t.Fatalf("public key file: %+v %v", pk, err)
	}
	if runtime.GOOS != "windows" {
		if st, _ := os.Stat(filepath.Join(cfg, seal.KeyFileName)); st == nil || st.Mode().Perm() != 0o600 {
			t.Errorf("private key mode: %v", st)
		}
	}
	// Again: same key, not created; the default public key file goes to the config folder.
	code, out, _ = run(t, "key")
	if code != 0 || strings.Contains(out, "已创建") || !strings.Contains(out, fp) || !strings.Contains(out, "沈立新") {
		t.Fatalf("key again: %d %s", code, out)
	}
	if _, p2, err := seal.ParsePublicKeyFile(readSealTest(t, filepath.Join(cfg, seal.PublicKeyFileName))); err != nil || !p2.Equal(pub) {
		t.Errorf("default public key file: %v", err)
	}

	// Unsealed documents.
	code, got := verifyJSONRun(t, f1)
	if code != ExitInput || len(got) != 1 || got[0].File != f1 || got[0].Status != "unsealed" {
		t.Fatalf("verify unsealed: %d %+v", code, got)
	}

	// seal: flags anywhere, several files.
	code, out, errs = run(t, "seal", f1, f2)
	if code != 0 || strings.Count(out, "已封存") != 2 || !strings.Contains(out, fp) {
		t.Fatalf("seal: %d\n%s%s", code, out, errs)
	}
	sealed1 := readSealTest(t, f1)
	d, err := assessment.Decode(sealed1)
	if err != nil || d.Status != assessment.StatusSealed || d.Seal.Signer.Name != "沈立新" {
		t.Fatalf("sealed file: %+v %v", d, err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	// Already sealed, a draft, a missing file: refused, the rest still sealed, exit 1.
	draft := filepath.Join(dir, "draft.sdiag")
	d3, _ := assessment.Decode(readSealTest(t, f3))
	rev, _ := d3.Revise(time.Now())
	enc, _ := rev.Encode()
	os.WriteFile(draft, enc, 0o644)
	code, out, errs = run(t, "seal", f1, draft, filepath.Join(dir, "missing.sdiag"), f3)
	if code != ExitInput || !strings.Contains(errs, f1+"：文档已封存，不能再次封存") || !strings.Contains(errs, draft+"：草稿不能封存") ||
		!strings.Contains(errs, "missing.sdiag：无法读取") || !strings.Contains(out, f3+"：已封存") {
		t.Fatalf("seal mixed: %d\n%s%s", code, out, errs)
	}
	if !bytes.Equal(readSealTest(t, f1), sealed1) {
		t.Errorf("a refused second seal changed the file")
	}

	// Nobody trusted yet: sealed files are unknown_signer.
	code, got = verifyJSONRun(t, f1, f2)
	if code != ExitInput || len(got) != 2 || got[0].Status != "unknown_signer" || !strings.Contains(got[0].Reason, fp) {
		t.Fatalf("verify untrusted: %d %+v", code, got)
	}

	// trust add / list.
	code, out, errs = run(t, "trust", "add", pubFile, "--name", "智造诊断")
	if code != 0 || !strings.Contains(out, "已信任「智造诊断」") || !strings.Contains(out, fp) {
		t.Fatalf("trust add: %d\n%s%s", code, out, errs)
	}
	code, out, _ = run(t, "trust", "list")
	if code != 0 || !strings.Contains(out, "智造诊断") || !strings.Contains(out, fp) {
		t.Fatalf("trust list: %d %s", code, out)
	}
	code, out, _ = run(t, "trust", "list", "--json")
	var keys []map[string]any
	if err := json.Unmarshal([]byte(out), &keys); code != 0 || err != nil || len(keys) != 1 || keys[0]["fingerprint"] != fp || keys[0]["name"] != "智造诊断" {
		t.Fatalf("trust list --json: %d %v %s", code, err, out)
	}

	// Now: valid, tampered, unsealed, unreadable — in one run, flags after the files.
	tampered := filepath.Join(t.TempDir(), "tampered.sdiag")
	b := bytes.Clone(sealed1)
	i := bytes.Index(b, []byte(`"employees": `)) + len(`"employees": `)
	b[i] ^= 1 // one digit changed
	os.WriteFile(tampered, b, 0o644)
	notJSON := filepath.Join(t.TempDir(), "x.sdiag")
	os.WriteFile(notJSON, []byte("你好"), 0o644)
	code, out, errs = run(t, "verify", f1, tampered, f4, notJSON, filepath.Join(dir, "missing.sdiag"), "--json")
	var all []verifyJSON
	if err := json.Unmarshal([]byte(out), &all); err != nil {
		t.Fatalf("%v\n%s%s", err, out, errs)
	}
	want := []string{"valid", "tampered", "unsealed", "unreadable", "unreadable"}
	if code != ExitInput || len(all) != len(want) {
		t.Fatalf("verify mixed: %d %+v", code, all)
	}
	for i, w := range want {
		if all[i].Status != w {
			t.Errorf("%s: %s (%s), want %s", all[i].File, all[i].Status, all[i].Reason, w)
		}
	}
	if !strings.Contains(all[1].Reason, "签名不符：文档在封存后被修改") || !strings.Contains(all[4].Reason, "无法读取") {
		t.Errorf("reasons: %+v", all)
	}
	var raw []map[string]any
	json.Unmarshal([]byte(out), &raw)
	for _, k := range []string{"file", "status", "reason"} {
		if _, ok := raw[0][k]; !ok {
			t.Errorf("JSON entry lacks %q: %v", k, raw[0])
		}
	}

	// All valid: exit 0, text output.
	code, out, _ = run(t, "verify", f1, f2, f3)
	if code != 0 || strings.Count(out, ".sdiag：valid") != 3 || !strings.Contains(out, "共 3 个文件：valid 3") {
		t.Fatalf("verify valid: %d\n%s", code, out)
	}
	// A folder is every document in it.
	code, got = verifyJSONRun(t, dir)
	if code != ExitInput || len(got) != 5 {
		t.Fatalf("verify folder: %d %+v", code, got)
	}

	// trust remove by name; then the signer is unknown again.
	code, out, _ = run(t, "trust", "remove", "智造诊断")
	if code != 0 || !strings.Contains(out, "已移除「智造诊断」") {
		t.Fatalf("trust remove: %d %s", code, out)
	}
	if code, got := verifyJSONRun(t, f1); code != ExitInput || got[0].Status != "unknown_signer" {
		t.Fatalf("after removal: %+v", got)
	}
	if code, _, errs := run(t, "trust", "remove", fp); code != ExitInput || !strings.Contains(errs, "没有") {
		t.Errorf("removing twice: %d %s", code, errs)
	}
	code, out, _ = run(t, "trust", "list")
	if code != 0 || !strings.Contains(out, "信任列表为空") {
		t.Errorf("empty list: %s", out)
	}
}

func TestSealUsesAssessorWithoutSavedSigner(t *testing.T) {
	t.Setenv(seal.EnvConfig, t.TempDir())
	_, files := sealDemoFiles(t, 1)
	before, _ := assessment.Decode(readSealTest(t, files[0]))
	code, out, errs := run(t, "seal", files[0])
	if code != 0 || !strings.Contains(out, "已创建新的签名密钥") {
		t.Fatalf("seal: %d %s %s", code, out, errs)
	}
	d, err := assessment.Decode(readSealTest(t, files[0]))
	if err != nil || d.Seal.Signer.Name != before.Assessor.Name || d.Seal.Signer.Organisation != before.Assessor.Organisation {
		t.Fatalf("signer: %+v %v", d.Seal, err)
	}
}

func TestSealRefusesOpenKeyFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	cfg := t.TempDir()
	t.Setenv(seal.EnvConfig, cfg)
	_, files := sealDemoFiles(t, 1)
	if code, _, errs := run(t, "key"); code != 0 {
		t.Fatal(errs)
	}
	os.Chmod(filepath.Join(cfg, seal.KeyFileName), 0o644)
	before := readSealTest(t, files[0])
	code, _, errs := run(t, "seal", files[0])
	if code != ExitInput || !strings.Contains(errs, "chmod 600") {
		t.Fatalf("seal with an open key: %d %s", code, errs)
	}
	if !bytes.Equal(before, readSealTest(t, files[0])) {
		t.Errorf("the document changed")
	}
	if code, _, errs := run(t, "key"); code != ExitInput || !strings.Contains(errs, "chmod 600") {
		t.Errorf("key with an open key: %d %s", code, errs)
	}
}

func TestSealCommandsUsage(t *testing.T) {
	t.Setenv(seal.EnvConfig, t.TempDir())
	for _, args := range [][]string{
		{"seal"}, {"verify"}, {"verify", "--json"}, {"verify", "--nope", "f"}, {"key", "extra"}, {"key", "--bad"},
		{"trust"}, {"trust", "frob"}, {"trust", "add"}, {"trust", "add", "a", "b"}, {"trust", "remove"},
		{"trust", "list", "x"}, {"seal", "--json", "f"},
	} {
		if code, _, _ := run(t, args...); code != ExitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, ExitUsage)
		}
	}
	if code, _, errs := run(t, "trust", "add", filepath.Join(t.TempDir(), "none.json"), "--name", "x"); code != ExitInput || !strings.Contains(errs, "none.json：无法读取") {
		t.Errorf("trust add missing: %d %s", code, errs)
	}
	// A private key handed over by mistake is refused.
	bad := filepath.Join(t.TempDir(), "key.pem")
	os.WriteFile(bad, []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), 0o600)
	if code, _, errs := run(t, "trust", "add", bad, "--name", "x"); code != ExitInput || !strings.Contains(errs, "私钥不能交出") {
		t.Errorf("trust add private key: %d %s", code, errs)
	}
	if code, out, _ := run(t, "help"); code != 0 || !strings.Contains(out, "verify") || !strings.Contains(out, "trust") {
		t.Errorf("help lacks the new commands: %s", out)
	}
}

func readSealTest(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// `seal` on a workspace document that the app has open is refused (the app's next save would
// overwrite the seal); once the app lets go, it seals.
func TestSealRefusesADocumentOpenInTheApp(t *testing.T) {
	t.Setenv(seal.EnvConfig, t.TempDir())
	dir, files := sealDemoFiles(t, 1)
	id := strings.TrimSuffix(filepath.Base(files[0]), assessment.Ext)
	app := &assessment.Workspace{Dir: dir} // what an app window holds
	if err := app.Claim(id); err != nil {
		t.Fatal(err)
	}
	before := readSealTest(t, files[0])
	code, _, errs := run(t, "seal", files[0])
	if code != ExitInput || !strings.Contains(errs, "另一个 smartdiag 窗口") {
		t.Fatalf("seal of an open document: %d %s", code, errs)
	}
	if !bytes.Equal(before, readSealTest(t, files[0])) {
		t.Error("the open document was rewritten")
	}
	app.Release(id)
	if code, _, errs := run(t, "seal", files[0]); code != 0 {
		t.Fatalf("seal after release: %d %s", code, errs)
	}
}
