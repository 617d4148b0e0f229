package assessment

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

// RecycleDir is the workspace folder that receives removed evidence files, one subfolder per
// document. It is visible on purpose: a consultant who removed the wrong photo can find it there,
// and the app can put it back (RestoreEvidence).
const RecycleDir = "回收站"

// RemovedEvidence describes a removed attachment waiting in the recycle folder; it is stored
// beside the file as FILE.json so it can be restored to its item.
type RemovedEvidence struct {
	Doc      string    `json:"doc"`
	Item     string    `json:"item"`
	Evidence Evidence  `json:"evidence"`
	Removed  time.Time `json:"removed"`
	File     string    `json:"file"` // path of the recycled file inside the workspace, slash-separated
}

// EvidenceFile is the absolute path of an attachment, refusing a stored path that would leave
// the workspace (a hand-edited document).
func (s *Session) EvidenceFile(ev Evidence) (string, error) {
	rel := filepath.FromSlash(ev.Path)
	if ev.Path == "" || filepath.IsAbs(rel) || !filepath.IsLocal(rel) {
		return "", fmt.Errorf("附件路径无效：%s", ev.Path)
	}
	return filepath.Join(s.WS.Dir, rel), nil
}

// RemoveEvidence takes an attachment off an item and moves its file to the recycle folder. The
// file is moved before the document is saved, and moved back if the save fails, so a crash never
// leaves the document pointing at a missing file without a copy in the recycle folder.
func (s *Session) RemoveEvidence(itemID, path string, now time.Time) (*RemovedEvidence, error) {
	if s.Doc.Status != StatusDraft {
		return nil, fmt.Errorf("文档已%s，不能修改附件", statusName(s.Doc.Status))
	}
	a := s.Doc.Answers[itemID]
	i := -1
	if a != nil {
		i = slices.IndexFunc(a.Evidence, func(e Evidence) bool { return e.Path == path })
	}
	if i < 0 {
		return nil, fmt.Errorf("题目 %s 没有附件 %s", itemID, path)
	}
	ev := a.Evidence[i]
	src, err := s.EvidenceFile(ev)
	if err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Second)
	r := &RemovedEvidence{Doc: s.Doc.ID, Item: itemID, Evidence: ev, Removed: now}
	dstDir := filepath.Join(s.WS.Dir, RecycleDir, s.Doc.ID)
	if err := os.MkdirAll(dstDir, 0o755); err != nil {
		return nil, fmt.Errorf("无法创建回收站文件夹：%w", err)
	}
	dst := filepath.Join(dstDir, now.Format("20060102-150405")+"-"+filepath.Base(src))
	for n := 2; fileExists(dst); n++ {
		dst = filepath.Join(dstDir, fmt.Sprintf("%s-%d-%s", now.Format("20060102-150405"), n, filepath.Base(src)))
	}
	relDst, err := filepath.Rel(s.WS.Dir, dst)
	if err != nil {
		return nil, err
	}
	r.File = filepath.ToSlash(relDst)
	// Another entry may still use the same file (the same photo attached twice): copy then.
	shared := false
	for id, x := range s.Doc.Answers {
		for j, e := range x.Evidence {
			if e.Path == path && (id != itemID || j != i) {
				shared = true
			}
		}
	}
	if shared {
		err = copyFile(src, dst)
	} else {
		err = os.Rename(src, dst)
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("无法移动附件到回收站：%w", err)
	}
	meta, _ := json.MarshalIndent(r, "", "  ")
	if err := WriteFileAtomic(dst+".json", meta); err != nil {
		s.undoRecycle(dst, src, shared)
		return nil, err
	}
	a.Evidence = slices.Delete(a.Evidence, i, i+1)
	if !a.HasValue() && a.Note == "" && len(a.Evidence) == 0 {
		delete(s.Doc.Answers, itemID)
	}
	s.Doc.Updated = now
	if err := s.save(now); err != nil {
		s.undoRecycle(dst, src, shared)
		if s.Doc.Answers[itemID] == nil {
			s.Doc.Answers[itemID] = a
		}
		a.Evidence = slices.Insert(a.Evidence, i, ev)
		return nil, err
	}
	return r, nil
}

func (s *Session) undoRecycle(dst, src string, shared bool) {
	if !shared {
		os.Rename(dst, src)
	} else {
		os.Remove(dst)
	}
	os.Remove(dst + ".json")
}

// RemovedEvidence lists this document's attachments in the recycle folder for an item (all
// items when itemID is empty), newest first.
func (s *Session) RemovedEvidence(itemID string) ([]RemovedEvidence, error) {
	dir := filepath.Join(s.WS.Dir, RecycleDir, s.Doc.ID)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []RemovedEvidence
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") || e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		var r RemovedEvidence
		if json.Unmarshal(b, &r) != nil || r.Doc != s.Doc.ID || (itemID != "" && r.Item != itemID) {
			continue
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Removed.After(out[j].Removed) })
	return out, nil
}

// RestoreEvidence puts a removed attachment back on its item and its file back in place.
func (s *Session) RestoreEvidence(r RemovedEvidence, now time.Time) error {
	if s.Doc.Status != StatusDraft {
		return fmt.Errorf("文档已%s，不能修改附件", statusName(s.Doc.Status))
	}
	if r.Doc != s.Doc.ID {
		return fmt.Errorf("附件属于另一份诊断")
	}
	if _, ok := s.Q.Item(r.Item); !ok {
		return fmt.Errorf("问卷中没有题号 %s", r.Item)
	}
	rel := filepath.FromSlash(r.File)
	prefix := filepath.Join(RecycleDir, s.Doc.ID) + string(filepath.Separator)
	if !filepath.IsLocal(rel) || !strings.HasPrefix(rel, prefix) {
		return fmt.Errorf("回收站记录无效：%s", r.File)
	}
	from := filepath.Join(s.WS.Dir, rel)
	to, err := s.EvidenceFile(r.Evidence)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	if fileExists(to) {
		os.Remove(from) // the same content is back in place already (attached again)
	} else if err := os.Rename(from, to); err != nil {
		return fmt.Errorf("无法从回收站恢复附件：%w", err)
	}
	a := s.Doc.Answers[r.Item]
	if a == nil {
		a = &Answer{}
		s.Doc.Answers[r.Item] = a
	}
	a.Evidence = append(a.Evidence, r.Evidence)
	s.Doc.Updated = now.UTC().Truncate(time.Millisecond)
	if err := s.save(now); err != nil {
		a.Evidence = a.Evidence[:len(a.Evidence)-1]
		os.Rename(to, from)
		return err
	}
	os.Remove(from + ".json")
	return nil
}

func fileExists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	b, err := io.ReadAll(io.LimitReader(in, MaxEvidenceSize+1))
	if err != nil {
		return err
	}
	return WriteFileAtomic(dst, b)
}
