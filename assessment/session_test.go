package assessment

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"smartdiag/photo"
	"smartdiag/photo/phototest"
)

func TestSessionSavesEveryChange(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	ws, _ := OpenWorkspace(t.TempDir())
	d, _ := NewDocument(qn, testEnterprise, Assessor{Name: "测试"}, time.Now())
	s, err := NewSession(ws, d, qn)
	if err != nil {
		t.Fatal(err)
	}
	onDisk := func() *Document {
		b, err := os.ReadFile(ws.Path(d.ID))
		if err != nil {
			t.Fatal(err)
		}
		d2, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		return d2
	}
	if len(onDisk().Answers) != 0 {
		t.Fatal("new document not saved empty")
	}
	// A note before the answer is kept, and the item still counts as unanswered.
	if err := s.Note("A1", "先记下：规划在草拟中。", time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := onDisk(); got.Answers["A1"].Note == "" || got.Answer("A1") != nil {
		t.Errorf("note-only answer on disk: %+v", got.Answers["A1"])
	}
	if err := s.Answer("A1", "most", time.Now()); err != nil {
		t.Fatal(err)
	}
	got := onDisk()
	if got.Answer("A1") == nil || got.Answers["A1"].Note == "" {
		t.Errorf("answer or note lost: %+v", got.Answers["A1"])
	}
	items := s.Visible()
	if a, n := s.Progress(items); a != 1 || n != 16 { // 17 items, C1P hidden for discrete; B2X hidden (B1 unanswered)
		t.Errorf("progress %d/%d", a, n)
	}
	if i := s.NextUnanswered(items, 0); items[i].ID != "A2" {
		t.Errorf("next unanswered after A1 is %s", items[i].ID)
	}
}

func TestAttachEvidence(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	ws, _ := OpenWorkspace(t.TempDir())
	d, _ := NewDocument(qn, testEnterprise, Assessor{}, time.Now())
	s, _ := NewSession(ws, d, qn)
	src := filepath.Join(t.TempDir(), "..现场 照片:1.jpg")
	os.WriteFile(src, []byte("jpeg"), 0o644)
	ev, err := s.AttachEvidence("A1", src, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(ev.Path, "..") || strings.ContainsAny(filepath.Base(ev.Path), ` :\`) || !strings.HasPrefix(ev.Path, d.ID+".files/A1-") {
		t.Errorf("unsafe stored path %q", ev.Path)
	}
	if b, err := os.ReadFile(filepath.Join(ws.Dir, filepath.FromSlash(ev.Path))); err != nil || string(b) != "jpeg" {
		t.Errorf("copied file: %q %v", b, err)
	}
	big := filepath.Join(t.TempDir(), "big.bin")
	os.WriteFile(big, make([]byte, MaxEvidenceSize+1), 0o644)
	if _, err := s.AttachEvidence("A1", big, time.Now()); err == nil || !strings.Contains(err.Error(), "文件太大（20.1 MB），上限为 20 MB") {
		t.Errorf("oversized evidence: %v", err)
	}
	for in, want := range map[string]string{"../../etc/passwd": "_.._etc_passwd", "CON.txt": "_CON.txt", "": "file", "报告 v2.pdf": "报告_v2.pdf"} {
		if got := SafeFileName(in); got != want {
			t.Errorf("SafeFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

// A phone photo (1800×1350 sensor picture, EXIF orientation 6) is stored upright at the
// documented size; the recorded size and checksum are those of the stored file.
func TestAttachEvidenceDownscalesPhotos(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	ws, _ := OpenWorkspace(t.TempDir())
	d, _ := NewDocument(qn, testEnterprise, Assessor{}, time.Now())
	s, _ := NewSession(ws, d, qn)
	src := filepath.Join(t.TempDir(), "车间.JPG")
	orig := phototest.JPEG(1800, 1350, 6, false)
	os.WriteFile(src, orig, 0o644)
	ev, err := s.AttachEvidence("A1", src, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	stored, err := os.ReadFile(filepath.Join(ws.Dir, filepath.FromSlash(ev.Path)))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(stored))
	if err != nil || cfg.Width != 1200 || cfg.Height != photo.MaxSide {
		t.Fatalf("stored %d×%d %v, want 1200×%d", cfg.Width, cfg.Height, err, photo.MaxSide)
	}
	sum := sha256.Sum256(stored)
	if ev.Size != int64(len(stored)) || ev.SHA256 != hex.EncodeToString(sum[:]) || ev.Size >= int64(len(orig)) {
		t.Errorf("recorded size %d sha %s; stored %d bytes, original %d", ev.Size, ev.SHA256, len(stored), len(orig))
	}
	if photo.Orientation(stored) != 1 {
		t.Error("stored photo still needs turning")
	}
}

// SetProfile trims and drops blank pain points, refuses an invalid field without changing the
// document on disk, records an empty self-test as none, and never changes a sealed document.
func TestSessionSetProfile(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	ws, _ := OpenWorkspace(t.TempDir())
	d, _ := NewDocument(qn, testEnterprise, Assessor{Name: "测试"}, time.Now())
	s, err := NewSession(ws, d, qn)
	if err != nil {
		t.Fatal(err)
	}
	onDisk := func() *Document {
		b, _ := os.ReadFile(ws.Path(d.ID))
		d2, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		return d2
	}
	pts := 64.5
	p := Profile{Products: " 精密冲压件 ", PainPoints: []string{"换型慢", "  ", "对账靠Excel "},
		Inventory:     []InventoryEntry{{Kind: "system", Name: " ERP ", Since: 2021}},
		AssessorPhone: "025-52100000", SelfTest: &SelfTest{DigitalPoints: &pts, SMELevel: 2}}
	if err := s.SetProfile(p, time.Now()); err != nil {
		t.Fatal(err)
	}
	got := onDisk()
	if got.Enterprise.Products != "精密冲压件" || strings.Join(got.Enterprise.PainPoints, "|") != "换型慢|对账靠Excel" ||
		got.Enterprise.Inventory[0].Name != "ERP" || got.Assessor.Phone != "025-52100000" || got.Assessor.Name != "测试" ||
		got.SelfTest == nil || got.SelfTest.SMELevel != 2 || *got.SelfTest.DigitalPoints != 64.5 {
		t.Fatalf("saved %+v %+v %+v", got.Enterprise, got.Assessor, got.SelfTest)
	}
	if back := s.Profile(); back.Products != "精密冲压件" || len(back.PainPoints) != 2 || back.SelfTest.SMELevel != 2 {
		t.Errorf("Profile() = %+v", back)
	}

	for name, bad := range map[string]Profile{
		"inventory without a name": {Inventory: []InventoryEntry{{Kind: "equipment", Count: 3}}},
		"year out of range":        {Inventory: []InventoryEntry{{Kind: "system", Name: "MES", Since: 1900}}},
		"SME level 5":              {SelfTest: &SelfTest{SMELevel: 5}},
		"points above 100":         {SelfTest: &SelfTest{DigitalPoints: new(float64(120))}},
	} {
		if err := s.SetProfile(bad, time.Now()); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if d := onDisk(); d.Enterprise.Products != "精密冲压件" || d.SelfTest == nil || d.SelfTest.SMELevel != 2 {
			t.Errorf("%s: a refused profile changed the document", name)
		}
		if s.Doc.Enterprise.Products != "精密冲压件" {
			t.Errorf("%s: a refused profile changed the document in memory", name)
		}
	}

	if err := s.SetProfile(Profile{SelfTest: &SelfTest{}}, time.Now()); err != nil || onDisk().SelfTest != nil {
		t.Errorf("an empty self-test is kept: err %v, %+v", err, onDisk().SelfTest)
	}
	s.Doc.Status = StatusSealed
	if err := s.SetProfile(Profile{Products: "x"}, time.Now()); err == nil {
		t.Error("a sealed document's profile changed")
	}
}
