package assessment

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A removed attachment leaves the document and goes to the workspace's recycle folder, from
// which it can be restored to its item with the same content.
func TestRemoveAndRestoreEvidence(t *testing.T) {
	qn := loadFixture(t, "mini-cmmm.yaml")
	ws, _ := OpenWorkspace(t.TempDir())
	d, _ := NewDocument(qn, testEnterprise, Assessor{}, time.Now())
	s, err := NewSession(ws, d, qn)
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "设备台账.xlsx")
	os.WriteFile(src, []byte("ledger"), 0o644)
	ev, err := s.AttachEvidence("A1", src, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	file, err := s.EvidenceFile(*ev)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.RemoveEvidence("A1", ev.Path, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("removed file still in place: %v", err)
	}
	onDisk := decodeFile(t, ws.Path(d.ID))
	if a := onDisk.Answers["A1"]; a != nil && len(a.Evidence) != 0 {
		t.Errorf("document on disk still lists the attachment: %+v", a.Evidence)
	}
	if b, err := os.ReadFile(filepath.Join(ws.Dir, filepath.FromSlash(r.File))); err != nil || string(b) != "ledger" {
		t.Fatalf("recycled copy: %q %v", b, err)
	}
	if filepath.Dir(filepath.Dir(filepath.FromSlash(r.File))) != RecycleDir {
		t.Errorf("recycled to %s, want under %s", r.File, RecycleDir)
	}
	removed, err := s.RemovedEvidence("A1")
	if err != nil || len(removed) != 1 || removed[0].Evidence.Name != "设备台账.xlsx" {
		t.Fatalf("removed list: %+v %v", removed, err)
	}
	if err := s.RestoreEvidence(removed[0], time.Now()); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "ledger" {
		t.Errorf("restored file: %q %v", b, err)
	}
	onDisk = decodeFile(t, ws.Path(d.ID))
	if a := onDisk.Answers["A1"]; a == nil || len(a.Evidence) != 1 || a.Evidence[0].SHA256 != ev.SHA256 {
		t.Errorf("restored document: %+v", a)
	}
	if left, _ := s.RemovedEvidence(""); len(left) != 0 {
		t.Errorf("recycle list after restore: %+v", left)
	}
	if _, err := s.RemoveEvidence("A1", "nope", time.Now()); err == nil {
		t.Error("removing a missing attachment succeeded")
	}
	if _, err := s.EvidenceFile(Evidence{Path: "../../etc/passwd"}); err == nil {
		t.Error("a path leaving the workspace was accepted")
	}
}

func decodeFile(t *testing.T, path string) *Document {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
