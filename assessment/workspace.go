package assessment

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// Ext is the file extension of diagnosis documents.
const Ext = ".sdiag"

// EnvWorkspace names the environment variable that overrides the default workspace folder.
const EnvWorkspace = "SMARTDIAG_WORKSPACE"

// DefaultWorkspace is where documents live unless --workspace or SMARTDIAG_WORKSPACE says
// otherwise: a visible folder in the user's documents, so consultants can find and back it up.
func DefaultWorkspace() (string, error) {
	if dir := os.Getenv(EnvWorkspace); dir != "" {
		return dir, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("找不到用户主目录，请用 --workspace 指定工作区：%w", err)
	}
	if st, err := os.Stat(filepath.Join(home, "Documents")); err == nil && st.IsDir() {
		return filepath.Join(home, "Documents", "smartdiag"), nil
	}
	return filepath.Join(home, "smartdiag"), nil
}

// Workspace is a folder of diagnosis documents, one file per document named by its id.
type Workspace struct {
	Dir string
}

// OpenWorkspace creates the folder if needed.
func OpenWorkspace(dir string) (*Workspace, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("无法创建工作区 %s：%w", dir, err)
	}
	return &Workspace{Dir: dir}, nil
}

// Path is the file of a document id.
func (w *Workspace) Path(id string) string { return filepath.Join(w.Dir, id+Ext) }

// Save writes a document atomically.
func (w *Workspace) Save(d *Document) error {
	data, err := d.Encode()
	if err != nil {
		return err
	}
	return WriteFileAtomic(w.Path(d.ID), data)
}

// Load reads and fully checks one document.
func (w *Workspace) Load(id string) (*Document, error) {
	return ReadFile(w.Path(id))
}

// ReadFile opens a document file; errors name the file.
func ReadFile(path string) (*Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s：无法读取：%w", path, err)
	}
	d, _, err := Open(data)
	if err != nil {
		return nil, fmt.Errorf("%s：%w", path, err)
	}
	return d, nil
}

// List returns the paths of every document in the workspace, sorted. Leftover temp files from an
// interrupted save are not documents and are skipped.
func (w *Workspace) List() ([]string, error) {
	entries, err := os.ReadDir(w.Dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), Ext) && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, filepath.Join(w.Dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

// WriteFileAtomic replaces path with data so that a crash at any instant leaves either the old or
// the new content: write a temp file in the same folder, fsync it, rename it over the target, then
// fsync the folder so the rename itself is durable.
func WriteFileAtomic(path string, data []byte) error { return writeFileReplace(path, data, true) }

func writeFileReplace(path string, data []byte, durable bool) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := createTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("无法保存 %s：%w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("无法保存 %s：%w", path, err)
	}
	if durable {
		if err = f.Sync(); err != nil {
			return fmt.Errorf("无法保存 %s：写入磁盘失败：%w", path, err)
		}
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("无法保存 %s：%w", path, err)
	}
	if err = os.Chmod(tmp, 0o644); err != nil {
		return fmt.Errorf("无法保存 %s：%w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("无法保存 %s：%w", path, err)
	}
	if !durable {
		return nil
	}
	return SyncDir(dir)
}

// SyncDir makes a folder's entries (a new or renamed file) durable.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // directories cannot be opened for sync there; NTFS journals the rename
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, fs.ErrInvalid) {
		return fmt.Errorf("无法同步文件夹 %s：%w", dir, err)
	}
	return nil
}

// tempFile is what a save writes through; tests replace createTemp to inject a full disk.
type tempFile interface {
	Write([]byte) (int, error)
	Sync() error
	Close() error
	Name() string
}

var createTemp = func(dir, pattern string) (tempFile, error) { return os.CreateTemp(dir, pattern) }

// WriteFileAtomicDir is WriteFileAtomic after creating the parent folder.
func WriteFileAtomicDir(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("无法创建文件夹 %s：%w", filepath.Dir(path), err)
	}
	return WriteFileAtomic(path, data)
}

// positionFile remembers the draft and item open in the app, so that after a crash the next start
// can offer to continue exactly there. It lives in the workspace and is written atomically, like
// the documents, because the app's own preferences may not reach the disk before a kill.
const positionFile = ".smartdiag-position.json"

// Position is where the consultant was.
type Position struct {
	Doc  string `json:"doc"`
	Item string `json:"item"`
}

// SavePosition records the open draft and item; an empty doc clears it.
func (w *Workspace) SavePosition(p Position) error {
	path := filepath.Join(w.Dir, positionFile)
	if p.Doc == "" {
		err := os.Remove(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	data, _ := json.Marshal(p)
	// Replaced atomically but not fsynced: it changes on every move, and after a power cut an
	// older position is harmless, unlike an older answer.
	return writeFileReplace(path, data, false)
}

// LoadPosition returns the recorded position, if any.
func (w *Workspace) LoadPosition() (Position, bool) {
	var p Position
	data, err := os.ReadFile(filepath.Join(w.Dir, positionFile))
	if err != nil || json.Unmarshal(data, &p) != nil || p.Doc == "" {
		return Position{}, false
	}
	return p, true
}
