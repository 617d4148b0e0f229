package assessment

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// DeletedDraftsDir is the recycle subfolder for deleted drafts: each draft's document and its
// evidence folder move there unchanged, so restoring is a move back.
var DeletedDraftsDir = filepath.Join(RecycleDir, "已删除草稿")

// DeletedDraft is a draft waiting in the recycle folder.
type DeletedDraft struct {
	ID         string
	Enterprise string
	Updated    time.Time
	Deleted    time.Time // when it was moved (the file's modification time there)
}

// DeleteDraft moves a draft and its evidence to the recycle folder. Only drafts can be deleted:
// finished and sealed diagnoses are records. The document lock is taken first, so a draft open in
// another window is not pulled from under it.
func (w *Workspace) DeleteDraft(id string, now time.Time) error {
	fresh, err := w.claim(id)
	if err != nil {
		return err
	}
	if fresh {
		defer w.Release(id)
	}
	// Decoded without the questionnaire check: a draft of a questionnaire this build lacks can
	// still be deleted.
	data, err := os.ReadFile(w.Path(id))
	if err != nil {
		return fmt.Errorf("无法读取草稿 %s：%w", id, err)
	}
	d, err := Decode(data)
	if err != nil {
		return fmt.Errorf("%s：%w", w.Path(id), err)
	}
	if d.Status != StatusDraft {
		return fmt.Errorf("「%s」的诊断已%s，只能删除草稿", d.Enterprise.Name, statusName(d.Status))
	}
	bin := filepath.Join(w.Dir, DeletedDraftsDir)
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return fmt.Errorf("无法创建回收站 %s：%w", bin, err)
	}
	dst := filepath.Join(bin, id+Ext)
	if fileExists(dst) {
		return fmt.Errorf("回收站中已有同一份草稿 %s，请先恢复或清理它", id)
	}
	// Evidence first: if the document move then fails, the evidence comes back and nothing changed.
	files := filepath.Join(w.Dir, id+".files")
	movedFiles := false
	if fileExists(files) {
		if err := os.Rename(files, filepath.Join(bin, id+".files")); err != nil {
			return fmt.Errorf("无法移动附件文件夹：%w", err)
		}
		movedFiles = true
	}
	if err := os.Rename(w.Path(id), dst); err != nil {
		if movedFiles {
			os.Rename(filepath.Join(bin, id+".files"), files)
		}
		return fmt.Errorf("无法删除草稿：%w", err)
	}
	os.Chtimes(dst, now, now)
	if p, ok := w.LoadPosition(); ok && p.Doc == id {
		w.SavePosition(Position{})
	}
	return SyncDir(bin)
}

// DeletedDrafts lists the drafts in the recycle folder, most recently deleted first.
func (w *Workspace) DeletedDrafts() ([]DeletedDraft, error) {
	entries, err := os.ReadDir(filepath.Join(w.Dir, DeletedDraftsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []DeletedDraft
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), Ext) {
			continue
		}
		p := filepath.Join(w.Dir, DeletedDraftsDir, e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var d struct {
			Updated    time.Time `json:"updated"`
			Enterprise struct {
				Name string `json:"name"`
			} `json:"enterprise"`
		}
		json.Unmarshal(data, &d)
		info, _ := e.Info()
		dd := DeletedDraft{ID: strings.TrimSuffix(e.Name(), Ext), Enterprise: d.Enterprise.Name, Updated: d.Updated}
		if info != nil {
			dd.Deleted = info.ModTime()
		}
		out = append(out, dd)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Deleted.After(out[j].Deleted) })
	return out, nil
}

// RestoreDraft moves a deleted draft and its evidence back. It refuses when the workspace has a
// document with the same id again (restored earlier, or from a backup), rather than overwrite it.
func (w *Workspace) RestoreDraft(id string) error {
	if !filepath.IsLocal(id) || strings.ContainsAny(id, `/\`) {
		return fmt.Errorf("草稿编号无效：%s", id)
	}
	bin := filepath.Join(w.Dir, DeletedDraftsDir)
	src := filepath.Join(bin, id+Ext)
	if !fileExists(src) {
		return fmt.Errorf("回收站中没有草稿 %s", id)
	}
	if fileExists(w.Path(id)) {
		return fmt.Errorf("工作区中已有文档 %s，不能用回收站中的草稿覆盖它", id)
	}
	files := filepath.Join(w.Dir, id+".files")
	if fileExists(filepath.Join(bin, id+".files")) {
		if fileExists(files) {
			return fmt.Errorf("工作区中已有附件文件夹 %s.files，不能覆盖", id)
		}
		if err := os.Rename(filepath.Join(bin, id+".files"), files); err != nil {
			return fmt.Errorf("无法恢复附件文件夹：%w", err)
		}
	}
	if err := os.Rename(src, w.Path(id)); err != nil {
		return fmt.Errorf("无法恢复草稿：%w", err)
	}
	return SyncDir(w.Dir)
}
