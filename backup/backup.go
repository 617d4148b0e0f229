// Package backup writes a whole workspace to one file (for a USB stick) and restores it, verified.
//
// The file is a zip archive: every workspace file under its slash-separated relative path, plus
// "manifest.json" listing each path with its size, SHA-256 and modification time (format in
// docs/format.md). A restore first checks every entry against the manifest and writes nothing if
// one differs; then it copies the files in. A document already in the workspace that was updated
// later than the one in the backup is kept; a file the restore replaces is first moved to the
// recycle folder, so a restore never loses what was on disk.
package backup

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"smartdiag/assessment"
	"smartdiag/regfile"
)

// Format is the manifest's "format" value; the number is the major version.
const Format = "smartdiag.backup/1"

// ManifestName is the manifest's entry name in the archive.
const ManifestName = "manifest.json"

// Ext is the suggested extension of backup files.
const Ext = ".zip"

// RestoredPrefix names the recycle subfolder that receives files a restore replaced.
const RestoredPrefix = "还原前-"

// maxEntry bounds one file in a backup: far above any document or evidence file (20 MB), it only
// stops a crafted archive from filling memory.
const maxEntry = 256 << 20

// Manifest lists every file of a backup.
type Manifest struct {
	Format    string    `json:"format"`
	Created   time.Time `json:"created"`
	Workspace string    `json:"workspace"` // the folder backed up, for the reader's information
	Files     []File    `json:"files"`
}

// File is one workspace file in a backup.
type File struct {
	Path     string    `json:"path"` // relative, slash-separated
	Size     int64     `json:"size"`
	SHA256   string    `json:"sha256"`
	Modified time.Time `json:"modified"`
}

// skip says whether a workspace path is transient state that does not belong in a backup: the
// lock files of open windows, temp files of an interrupted save, and the output file itself.
func skip(rel string, d fs.DirEntry) bool {
	if d.IsDir() {
		return rel == assessment.LockDir
	}
	base := d.Name()
	return strings.HasPrefix(base, ".") && strings.Contains(base, ".tmp-")
}

// Create writes the workspace dir to the archive out (atomically: a failed backup leaves no half
// file) and checks the written archive before returning its manifest.
func Create(dir, out string, now time.Time) (*Manifest, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(absDir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("工作区 %s 不存在或不是文件夹", dir)
	}
	// Streamed to a temp file beside the target (a workspace of photos may not fit in memory),
	// then renamed over it.
	if err := os.MkdirAll(filepath.Dir(absOut), 0o755); err != nil {
		return nil, fmt.Errorf("无法创建文件夹 %s：%w", filepath.Dir(absOut), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(absOut), "."+filepath.Base(absOut)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("无法写出备份 %s：%w", out, err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	zw := zip.NewWriter(tmp)
	m := &Manifest{Format: Format, Created: now.UTC().Truncate(time.Second), Workspace: absDir}
	err = filepath.WalkDir(absDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("无法读取 %s：%w", p, err)
		}
		if p == absDir {
			return nil
		}
		rel, _ := filepath.Rel(absDir, p)
		if skip(rel, d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || p == absOut || p == tmp.Name() || !d.Type().IsRegular() {
			return nil
		}
		return addFile(zw, m, p, filepath.ToSlash(rel))
	})
	if err != nil {
		return nil, err
	}
	mj, _ := json.MarshalIndent(m, "", "  ")
	w, err := zw.CreateHeader(&zip.FileHeader{Name: ManifestName, Method: zip.Deflate, Modified: m.Created})
	if err != nil {
		return nil, err
	}
	w.Write(mj)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		return nil, fmt.Errorf("无法写出备份 %s：%w", out, err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("无法写出备份 %s：%w", out, err)
	}
	if err := os.Rename(tmp.Name(), absOut); err != nil {
		return nil, fmt.Errorf("无法写出备份 %s：%w", out, err)
	}
	ok = true
	if _, err := Verify(absOut); err != nil {
		return nil, fmt.Errorf("备份已写出但校验失败：%w", err)
	}
	return m, nil
}

func addFile(zw *zip.Writer, m *Manifest, path, rel string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("无法读取 %s：%w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	mod := st.ModTime().UTC()
	w, err := zw.CreateHeader(&zip.FileHeader{Name: rel, Method: zip.Deflate, Modified: mod})
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), f)
	if err != nil {
		return fmt.Errorf("无法读取 %s：%w", path, err)
	}
	m.Files = append(m.Files, File{Path: rel, Size: n, SHA256: hex.EncodeToString(h.Sum(nil)), Modified: mod})
	return nil
}

// Verify opens a backup and checks every entry against its manifest: the same set of files, each
// of the recorded size and SHA-256, every path inside the workspace. Errors name the backup file
// and the entry.
func Verify(path string) (*Manifest, error) {
	zr, f, err := openZip(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return verify(path, zr)
}

// MaxSize bounds a backup file. A workspace of a few hundred diagnoses with photos (each fitted to
// well under 1 MB, at most 20 MB per attachment) stays far below it; above it a restore refuses the file
// rather than walk an archive that is not what Create writes.
const MaxSize = 16 << 30

// openZip opens a backup through regfile, so that a FIFO or a folder is refused at once instead
// of blocking (zip.OpenReader would wait forever for a FIFO's writer), and a file over MaxSize
// is refused from its size. The archive is read in place (zip reads at offsets), never whole.
func openZip(path string) (*zip.Reader, *os.File, error) {
	f, st, err := regfile.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s：无法读取备份：%v", path, regfile.WithoutPath(err))
	}
	if st.Size() > MaxSize {
		f.Close()
		return nil, nil, fmt.Errorf("%s：无法读取备份：%v", path, regfile.WithoutPath(regfile.TooLarge(path, st.Size(), MaxSize)))
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s：不是有效的备份文件（zip）：%w", path, err)
	}
	return zr, f, nil
}

func verify(path string, zr *zip.Reader) (*Manifest, error) {
	entries := map[string]*zip.File{}
	var mf *zip.File
	for _, f := range zr.File {
		if f.Name == ManifestName {
			mf = f
			continue
		}
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		if _, dup := entries[f.Name]; dup {
			return nil, fmt.Errorf("%s：条目 %s 重复", path, f.Name)
		}
		entries[f.Name] = f
	}
	if mf == nil {
		return nil, fmt.Errorf("%s：缺少清单 %s，不是 smartdiag 备份", path, ManifestName)
	}
	rc, err := mf.Open()
	if err != nil {
		return nil, fmt.Errorf("%s：无法读取清单：%w", path, err)
	}
	data, err := io.ReadAll(io.LimitReader(rc, 64<<20))
	rc.Close()
	if err != nil {
		return nil, fmt.Errorf("%s：无法读取清单：%w", path, err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s：清单格式错误：%w", path, err)
	}
	if m.Format != Format {
		return nil, fmt.Errorf("%s：清单格式 %q 不是本版本能读的 %q", path, m.Format, Format)
	}
	seen := map[string]bool{}
	for _, f := range m.Files {
		if !localPath(f.Path) {
			return nil, fmt.Errorf("%s：路径 %q 不在工作区内，拒绝还原", path, f.Path)
		}
		if seen[f.Path] {
			return nil, fmt.Errorf("%s：清单中 %s 重复", path, f.Path)
		}
		seen[f.Path] = true
		zf := entries[f.Path]
		if zf == nil {
			return nil, fmt.Errorf("%s：清单列出的 %s 不在备份中", path, f.Path)
		}
		sum, n, err := hashEntry(zf)
		if err != nil {
			return nil, fmt.Errorf("%s：%s 无法读取：%w", path, f.Path, err)
		}
		if n != f.Size || sum != f.SHA256 {
			return nil, fmt.Errorf("%s：%s 已损坏（校验和不符）", path, f.Path)
		}
	}
	for name := range entries {
		if !seen[name] {
			return nil, fmt.Errorf("%s：%s 不在清单中", path, name)
		}
	}
	return &m, nil
}

// localPath accepts only a relative, slash-separated path that stays inside the workspace and is
// not the lock folder.
func localPath(p string) bool {
	if p == "" || strings.Contains(p, "\\") || !filepath.IsLocal(filepath.FromSlash(p)) {
		return false
	}
	return p != assessment.LockDir && !strings.HasPrefix(p, assessment.LockDir+"/")
}

func hashEntry(zf *zip.File) (string, int64, error) {
	rc, err := zf.Open()
	if err != nil {
		return "", 0, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(rc, maxEntry+1))
	if err != nil {
		return "", 0, err
	}
	if n > maxEntry {
		return "", 0, errors.New("文件过大")
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// Result tells what a restore did, by workspace-relative path.
type Result struct {
	Added     []string // not in the workspace before
	Replaced  []string // older or unreadable in the workspace; the old file is in Recycled
	Unchanged []string // identical already
	KeptNewer []string // the workspace has a newer version; the backup's was not written
	InUse     []string // documents open in a window; not touched
	Recycled  string   // recycle subfolder holding replaced files, relative; empty if none
}

// Restore verifies the backup and copies it into the workspace dir (created if needed). A
// document (.sdiag) is replaced only when the backup's "updated" time is later than the one on
// disk (or the one on disk cannot be read); another file only when the backup's modification time
// is later. Replaced files go to 回收站/还原前-TIME/ first. A document open in a smartdiag window is
// left alone and reported.
func Restore(path, dir string, now time.Time) (*Result, error) {
	zr, f, err := openZip(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := verify(path, zr)
	if err != nil {
		return nil, err
	}
	ws, err := assessment.OpenWorkspace(dir)
	if err != nil {
		return nil, err
	}
	defer ws.ReleaseAll()
	entries := map[string]*zip.File{}
	for _, f := range zr.File {
		entries[f.Name] = f
	}
	res := &Result{}
	recycle := filepath.ToSlash(filepath.Join(assessment.RecycleDir, RestoredPrefix+now.Format("20060102-150405")))
	files := append([]File(nil), m.Files...)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	for _, f := range files {
		data, err := readEntry(entries[f.Path])
		if err != nil {
			return res, fmt.Errorf("%s：%s 无法读取：%w", path, f.Path, err)
		}
		if sumOf(data) != f.SHA256 { // the archive changed since verify
			return res, fmt.Errorf("%s：%s 已损坏（校验和不符）", path, f.Path)
		}
		target := filepath.Join(ws.Dir, filepath.FromSlash(f.Path))
		old, err := os.ReadFile(target)
		exists := err == nil
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return res, fmt.Errorf("无法读取 %s：%w", target, err)
		}
		isDoc := strings.HasSuffix(f.Path, assessment.Ext) && !strings.Contains(f.Path, "/")
		if isDoc {
			id := strings.TrimSuffix(f.Path, assessment.Ext)
			if err := ws.Claim(id); err != nil {
				if errors.Is(err, assessment.ErrInUse) {
					res.InUse = append(res.InUse, f.Path)
					continue
				}
				return res, err
			}
		}
		switch {
		case !exists:
			res.Added = append(res.Added, f.Path)
		case sumOf(old) == f.SHA256:
			res.Unchanged = append(res.Unchanged, f.Path)
			continue
		case !backupNewer(isDoc, old, data, target, f):
			res.KeptNewer = append(res.KeptNewer, f.Path)
			continue
		default:
			dst := filepath.Join(ws.Dir, filepath.FromSlash(recycle), filepath.FromSlash(f.Path))
			if err := assessment.WriteFileAtomicDir(dst, old); err != nil {
				return res, err
			}
			res.Recycled = recycle
			res.Replaced = append(res.Replaced, f.Path)
		}
		if err := assessment.WriteFileAtomicDir(target, data); err != nil {
			return res, err
		}
		if !f.Modified.IsZero() {
			os.Chtimes(target, f.Modified, f.Modified)
		}
		if got, err := os.ReadFile(target); err != nil || sumOf(got) != f.SHA256 {
			return res, fmt.Errorf("还原后校验失败：%s", target)
		}
	}
	return res, nil
}

// backupNewer decides whether the backup's copy should replace the one on disk.
func backupNewer(isDoc bool, old, data []byte, target string, f File) bool {
	if isDoc {
		oldT, okOld := updatedOf(old)
		newT, okNew := updatedOf(data)
		switch {
		case !okOld:
			return true // the file on disk is not a readable document; it goes to the recycle folder
		case !okNew:
			return false
		default:
			return newT.After(oldT)
		}
	}
	st, err := os.Stat(target)
	return err != nil || f.Modified.After(st.ModTime())
}

// updatedOf reads only the "updated" time of a document, so a restore can compare versions of a
// document whose questionnaire this build does not know.
func updatedOf(data []byte) (time.Time, bool) {
	var d struct {
		Updated time.Time `json:"updated"`
	}
	if err := json.Unmarshal(data, &d); err != nil || d.Updated.IsZero() {
		return time.Time{}, false
	}
	return d.Updated, true
}

func readEntry(zf *zip.File) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxEntry+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxEntry {
		return nil, errors.New("文件过大")
	}
	return data, nil
}

func sumOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Summary is a one-paragraph Chinese account of a restore, for the CLI and the app.
func (r *Result) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "新增 %d 个文件，替换较旧的 %d 个，相同未动 %d 个，工作区中较新而保留 %d 个",
		len(r.Added), len(r.Replaced), len(r.Unchanged), len(r.KeptNewer))
	if len(r.InUse) > 0 {
		fmt.Fprintf(&b, "，正在窗口中打开而未还原 %d 个（%s）", len(r.InUse), strings.Join(r.InUse, "、"))
	}
	b.WriteString("。")
	if r.Recycled != "" {
		fmt.Fprintf(&b, "被替换的旧文件已移到 %s。", r.Recycled)
	}
	return b.String()
}
