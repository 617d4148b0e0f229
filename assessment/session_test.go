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
	if _, err := s.AttachEvidence("A1", big, time.Now()); err == nil || !strings.Contains(err.Error(), "超过") {
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
