package assessment

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDeleteAndRestoreDraft(t *testing.T) {
	s := newTestSession(t)
	ws, id := s.WS, s.Doc.ID
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	ev := filepath.Join(ws.Dir, id+".files", "1.1-x.jpg")
	os.MkdirAll(filepath.Dir(ev), 0o755)
	os.WriteFile(ev, []byte("photo"), 0o644)
	before, _ := os.ReadFile(ws.Path(id))
	ws.SavePosition(Position{Doc: id, Item: "x"})

	// Open in another window: refused.
	other := &Workspace{Dir: ws.Dir}
	if err := other.DeleteDraft(id, now); err != ErrInUse {
		t.Fatalf("deleting a draft open elsewhere: %v", err)
	}
	ws.ReleaseAll()
	if err := other.DeleteDraft(id, now); err != nil {
		t.Fatal(err)
	}
	if fileExists(ws.Path(id)) || fileExists(ev) {
		t.Fatal("the draft or its evidence is still in the workspace")
	}
	if _, ok := ws.LoadPosition(); ok {
		t.Error("the resume position still points at the deleted draft")
	}
	list, err := ws.DeletedDrafts()
	if err != nil || len(list) != 1 || list[0].ID != id || list[0].Enterprise != s.Doc.Enterprise.Name || !list[0].Deleted.Equal(now) {
		t.Fatalf("deleted drafts %+v %v", list, err)
	}
	if err := ws.RestoreDraft(id); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(ws.Path(id))
	if string(after) != string(before) {
		t.Fatal("the restored draft differs")
	}
	if b, _ := os.ReadFile(ev); string(b) != "photo" {
		t.Fatal("the evidence did not come back")
	}
	if list, _ := ws.DeletedDrafts(); len(list) != 0 {
		t.Fatalf("still listed: %+v", list)
	}
	if err := ws.RestoreDraft(id); err == nil || !strings.Contains(err.Error(), "没有草稿") {
		t.Fatalf("restoring twice: %v", err)
	}
	if err := ws.RestoreDraft("../x"); err == nil {
		t.Fatal("an id outside the recycle folder was accepted")
	}
}

func TestOnlyDraftsAreDeleted(t *testing.T) {
	s := newTestSession(t)
	fin := time.Now()
	s.Doc.Status, s.Doc.Finished = StatusFinished, &fin
	if err := s.WS.Save(s.Doc); err != nil {
		t.Fatal(err)
	}
	s.WS.ReleaseAll()
	if err := s.WS.DeleteDraft(s.Doc.ID, time.Now()); err == nil || !strings.Contains(err.Error(), "只能删除草稿") {
		t.Fatalf("deleting a finished diagnosis: %v", err)
	}
	if !fileExists(s.WS.Path(s.Doc.ID)) {
		t.Fatal("a finished diagnosis was moved")
	}
}

func newTestSession(t *testing.T) *Session {
	t.Helper()
	qn := loadFixture(t, "mini-cmmm.yaml")
	ws, _ := OpenWorkspace(t.TempDir())
	d, _ := NewDocument(qn, testEnterprise, Assessor{Name: "测试"}, time.Now())
	s, err := NewSession(ws, d, qn)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
