package service

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/seal"
	"smartdiag/seal/sealtest"
	"smartdiag/usermsg"
)

var fixed = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func writeDoc(t *testing.T, dir string, d *assessment.Document) string {
	t.Helper()
	data, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return sealtest.WriteFile(t, filepath.Join(dir, d.ID+assessment.Ext), data)
}

// Sealing a file creates the key on first use, seals with the assessor when no signer is saved,
// verifies, and refuses a document another window holds.
func TestSealFile(t *testing.T) {
	t.Setenv(seal.EnvConfig, t.TempDir())
	dir := t.TempDir()
	d := sealtest.Variant(t, 0, sealtest.Firm{Name: "南京甲机械有限公司", Code: sealtest.Code(1)}, fixed)
	path := writeDoc(t, dir, d)
	svc := &Service{Now: func() time.Time { return fixed.Add(time.Hour) }}
	r, err := svc.SealFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !r.KeyCreated || r.Fingerprint == "" || r.Path != path {
		t.Fatalf("%+v", r)
	}
	data, _ := os.ReadFile(path)
	key, _, _ := seal.LoadOrCreateKey()
	res := seal.Verify(data, sealtest.KeyTrust{base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey)): "本机"})
	if res.Status != seal.VerifyValid {
		t.Fatalf("sealed file does not verify: %+v", res)
	}
	sealed, _ := assessment.Decode(data)
	if sealed.Seal == nil || sealed.Seal.Signer.Name != d.Assessor.Name {
		t.Fatalf("signer: %+v", sealed.Seal)
	}
	// The second seal uses the same key.
	if r2, err := svc.SealFile(writeDoc(t, dir, sealtest.Variant(t, 1, sealtest.Firm{Name: "乙", Code: sealtest.Code(2)}, fixed))); err != nil || r2.KeyCreated || r2.Fingerprint != r.Fingerprint {
		t.Fatalf("second seal: %+v %v", r2, err)
	}

	// A workspace document open in the app (its lock held) is not sealed behind its back.
	d3 := sealtest.Variant(t, 2, sealtest.Firm{Name: "丙", Code: sealtest.Code(3)}, fixed)
	p3 := writeDoc(t, dir, d3)
	app := &assessment.Workspace{Dir: dir}
	if err := app.Claim(d3.ID); err != nil {
		t.Fatal(err)
	}
	defer app.Release(d3.ID)
	before, _ := os.ReadFile(p3)
	if _, err := svc.SealFile(p3); !errors.Is(err, assessment.ErrInUse) {
		t.Fatalf("sealing a document open elsewhere: %v", err)
	}
	if after, _ := os.ReadFile(p3); !bytes.Equal(before, after) {
		t.Fatal("the locked document was changed")
	}

	for name, p := range map[string]string{"stdin": "-", "missing": filepath.Join(dir, "none.sdiag")} {
		if _, err := svc.SealFile(p); err == nil {
			t.Errorf("%s: sealed", name)
		}
	}
	if _, err := svc.SealFile("-"); !errors.Is(err, ErrSealStdin) {
		t.Errorf("stdin: %v", err)
	}
}

// The key or signer that cannot be loaded is an error, not a silent fallback (the app used to
// drop the LoadSigner error).
func TestSealDocumentReportsSignerError(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv(seal.EnvConfig, cfg)
	if _, _, err := seal.LoadOrCreateKey(); err != nil {
		t.Fatal(err)
	}
	p, err := seal.ConfigPath(seal.SignerFileName)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := sealtest.Variant(t, 0, sealtest.Firm{Name: "甲", Code: sealtest.Code(1)}, fixed)
	out := filepath.Join(t.TempDir(), "x.sdiag")
	if _, err := (&Service{}).SealDocument(d, out); err == nil {
		t.Fatal("sealed with an unreadable signer file")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("a file was written")
	}
}

func TestListWorkspace(t *testing.T) {
	dir := t.TempDir()
	old := sealtest.Variant(t, 0, sealtest.Firm{Name: "旧", Code: sealtest.Code(1)}, fixed)
	newer := sealtest.Variant(t, 1, sealtest.Firm{Name: "新", Code: sealtest.Code(2)}, fixed.Add(48*time.Hour))
	draft := sealtest.Variant(t, 2, sealtest.Firm{Name: "稿", Code: sealtest.Code(3)}, fixed.Add(24*time.Hour))
	draft.Status, draft.Finished = assessment.StatusDraft, nil
	for _, d := range []*assessment.Document{old, newer, draft} {
		writeDoc(t, dir, d)
	}
	sealtest.WriteFile(t, filepath.Join(dir, "0-broken.sdiag"), []byte("{"))
	calls := 0
	got, err := (&Service{}).ListWorkspace(dir, func(done, total int) {
		calls++
		if total != 4 || done < 0 || done >= total {
			t.Errorf("progress %d/%d", done, total)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || calls == 0 {
		t.Fatalf("%d entries, %d progress calls", len(got), calls)
	}
	for i, want := range []string{"新", "稿", "旧"} {
		if got[i].Doc == nil || got[i].Doc.Enterprise.Name != want {
			t.Fatalf("entry %d: %+v, want %s", i, got[i], want)
		}
	}
	if got[1].Level != nil || got[0].Level == nil || got[0].Q == nil {
		t.Errorf("levels: draft %v, finished %v", got[1].Level, got[0].Level)
	}
	if last := got[3]; last.Err == nil || last.Doc != nil || filepath.Base(last.Path) != "0-broken.sdiag" {
		t.Errorf("unreadable entry: %+v", last)
	}
	if _, err := (&Service{}).ListWorkspace(filepath.Join(dir, "none"), nil); err == nil {
		t.Error("listed a missing folder")
	}
}

func TestStatusLabel(t *testing.T) {
	for st, want := range map[string]string{assessment.StatusDraft: "草稿", assessment.StatusFinished: "已完成", assessment.StatusSealed: "已封存", "": "草稿"} {
		if got := StatusLabel(st); got != want {
			t.Errorf("%q: %q, want %q", st, got, want)
		}
	}
}

func TestWriteReport(t *testing.T) {
	d := sealtest.Variant(t, 0, sealtest.Firm{Name: "甲", Code: sealtest.Code(1)}, fixed)
	qn, err := d.LoadQuestionnaire()
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "reports", "a.pdf")
	if err := (&Service{Creator: "smartdiag test"}).WriteReport(qn, d, "zh", dst); err != nil {
		t.Fatal(err)
	}
	pdf, err := os.ReadFile(dst)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("report: %v, %d bytes", err, len(pdf))
	}
	// The report carries the document: it can be handed in instead of the .sdiag file.
	if _, err := seal.ExtractDocument(pdf); err != nil {
		t.Fatalf("no document in the report: %v", err)
	}
}

// The errors users read most from the service are typed: the app shows them in English when
// English is chosen, the CLI in Chinese.
func TestErrorsInTheUsersLanguage(t *testing.T) {
	svc := &Service{}
	missing := filepath.Join(t.TempDir(), "none")
	_, errList := svc.ListWorkspace(missing, nil)
	_, errSeal := svc.SealFile(filepath.Join(missing, "a.sdiag"))
	_, errTally := svc.Tally(TallyRequest{Paths: []string{missing}})
	errExport := ExportTally(nil, "a.docx")
	for _, tc := range []struct {
		err    error
		zh, en string
	}{
		{errList, "不存在或不是文件夹", "does not exist or is not a folder"},
		{errSeal, "无法读取", "cannot read"},
		{errTally, "找不到文件或文件夹", "no such file or folder"},
		{errExport, "只能导出", "can only export"},
		{ErrSealStdin, "不能封存标准输入", "cannot seal standard input"},
	} {
		zh, en := usermsg.Text(tc.err, "zh"), usermsg.Text(tc.err, "en")
		if !strings.Contains(zh, tc.zh) || !strings.Contains(en, tc.en) || strings.ContainsFunc(en, isHan) {
			t.Errorf("zh %q\nen %q", zh, en)
		}
	}
	if !errors.Is(errExport, ErrExportType) {
		t.Error("export error is not ErrExportType")
	}
}

func isHan(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }
