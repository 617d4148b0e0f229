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
	"sync"

	"smartdiag/filelock"
	"smartdiag/usermsg"
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
//
// A document is edited by one Workspace value at a time: opening a session claims a cross-process
// lock on the document (in the hidden ".locks" folder), so a second app window or instance on the
// same folder cannot open what the first has open and silently overwrite its edits. The claim
// lasts until Release, ReleaseAll or the process ends.
type Workspace struct {
	Dir string

	mu   sync.Mutex
	held map[string]*filelock.Lock
}

// ErrInUse is returned when another window or instance has a document open.
// It is typed (usermsg), so the app shows it in the UI's language.
var ErrInUse = usermsg.Define("assessment.in_use",
	"这份诊断正在另一个 smartdiag 窗口中打开（同一工作区）。为防止互相覆盖，这里不能再打开；请在那个窗口中继续，或在那里返回首页后再试。",
	"This diagnosis is open in another smartdiag window on the same workspace. To prevent one overwriting the other it cannot be opened here; continue in that window, or return to its home screen and try again").New()

// LockDir holds the workspace's lock files; it is hidden so it is not mistaken for documents.
const LockDir = ".locks"

// Claim takes this Workspace's lock on document id, or keeps it if already held; ErrInUse when
// another window or process holds it.
func (w *Workspace) Claim(id string) error {
	_, err := w.claim(id)
	return err
}

// claim is Claim that also says whether the lock was newly taken, so a failed open releases only
// a lock it took itself.
func (w *Workspace) claim(id string) (fresh bool, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.held[id] != nil {
		return false, nil
	}
	l, err := filelock.TryAcquire(filepath.Join(w.Dir, LockDir, SafeFileName(id)+".lock"))
	if errors.Is(err, filelock.ErrLocked) {
		return false, ErrInUse
	}
	if err != nil {
		return false, fmt.Errorf("无法锁定文档 %s：%w", id, err)
	}
	if w.held == nil {
		w.held = map[string]*filelock.Lock{}
	}
	w.held[id] = l
	return true, nil
}

// Release gives up the lock on document id, so another window may open it.
func (w *Workspace) Release(id string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.held[id].Unlock()
	delete(w.held, id)
}

// ReleaseAll gives up every document lock this Workspace holds (when the user leaves a document
// for the home screen).
func (w *Workspace) ReleaseAll() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for id, l := range w.held {
		l.Unlock()
		delete(w.held, id)
	}
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
		return nil, kindUnreadable.Wrap(err, path)
	}
	d, _, err := Open(data)
	if err != nil {
		return nil, kindInFile.Wrap(err, path)
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
		// A FIFO, device or socket named like a document would block whoever reads the list
		// (list, the app's home screen) forever: only files and links to them are documents.
		special := e.Type()&(fs.ModeNamedPipe|fs.ModeSocket|fs.ModeDevice|fs.ModeCharDevice) != 0
		if e.Type()&fs.ModeSymlink != 0 {
			st, err := os.Stat(filepath.Join(w.Dir, e.Name()))
			special = err == nil && !st.Mode().IsRegular() && !st.IsDir()
		}
		if !e.IsDir() && !special && strings.HasSuffix(e.Name(), Ext) && !strings.HasPrefix(e.Name(), ".") {
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
