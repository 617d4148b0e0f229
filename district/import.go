package district

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"smartdiag/assessment"
	"smartdiag/filelock"
	"smartdiag/regfile"
	"smartdiag/seal"
	"smartdiag/usermsg"
)

// CST is China Standard Time: the district's dates and months are counted in it.
var CST = time.FixedZone("CST", 8*3600)

// ImportLogName is the log file every import appends to, in the district workspace.
const ImportLogName = "导入日志.txt"

// Results of one imported file.
const (
	ImportImported = "imported" // stored in the workspace
	ImportSkipped  = "skipped"  // the same document (id and content) is already there
	ImportConflict = "conflict" // a document with the same id but other content is already there
	ImportRejected = "rejected" // not a valid sealed document from a trusted key
)

// LockDir is the hidden folder of lock files in a district folder (never read as input).
const LockDir = ".locks"

// ImportLockWait is how long an import waits for another one on the same folder to finish.
const ImportLockWait = 5 * time.Minute

// ImportWorkers is the number of files read and written at once: verification is CPU work and
// each atomic write waits for the disk, so more workers than cores keep both busy.
const ImportWorkers = 8

// ImportEntry is the outcome for one input file.
type ImportEntry struct {
	File   string `json:"file"`
	Result string `json:"result"`           // imported, skipped, conflict, rejected
	Status string `json:"status,omitempty"` // the verification status (seal.Verify*, or invalid)
	Reason string `json:"reason"`
	Why    error  `json:"-"` // Reason, typed where it can be (see ReasonIn)
	ID     string `json:"id,omitempty"`
	SHA256 string `json:"sha256,omitempty"` // the document's content hash (from its seal)
	Name   string `json:"name,omitempty"`   // the firm
	// The firm's street and categories as the document records them, for checking against a
	// district profile (service.NoteProfile).
	Street     string    `json:"street,omitempty"`
	Categories []string  `json:"categories,omitempty"`
	Notes      []string  `json:"notes,omitempty"`  // what the district should look at; not a refusal
	Stored     string    `json:"stored,omitempty"` // the file in the workspace
	Demo       bool      `json:"demo,omitempty"`   // signed with a demo key trusted with --demo: demo data
	Time       time.Time `json:"time"`
}

// ReasonIn is Reason in lang ("zh" or "en").
func (e *ImportEntry) ReasonIn(lang string) string { return reasonIn(e.Reason, e.Why, lang) }

// because sets the reason with its typed form.
func (e *ImportEntry) because(why error) { e.Reason, e.Why = why.Error(), why }

// ImportLog is the structured log of one import; the same lines are appended to ImportLogName.
type ImportLog struct {
	Workspace string        `json:"workspace"`
	LogFile   string        `json:"log_file"`
	Started   time.Time     `json:"started"`
	Finished  time.Time     `json:"finished"`
	Files     int           `json:"files"`
	Imported  int           `json:"imported"`
	Skipped   int           `json:"skipped"`
	Conflicts int           `json:"conflicts"`
	Rejected  int           `json:"rejected"`
	Demo      int           `json:"demo"` // imported or skipped documents signed with a demo key
	Entries   []ImportEntry `json:"entries"`
}

// Import copies verified diagnoses into the district workspace dst as <id>.sdiag, with their
// original bytes (re-encoding would drop fields a newer version wrote and break the seal). paths
// are .sdiag files, report PDFs (their embedded document is stored) and folders searched
// recursively. Only documents with a valid seal from a trusted key that this version can read
// are imported. A document already in the workspace with the same id and content is skipped; one
// with the same id but other content is a conflict and is left out. Every document is written
// atomically, so an interrupted import leaves whole documents only, and importing again is
// harmless. Each file's outcome is appended to dst/导入日志.txt as it happens. The error is for
// a workspace that cannot be used or a log that cannot be written; problems with files are in
// the log.
func Import(dst string, paths []string, trusted seal.Trust, progress func(done, total int)) (*ImportLog, error) {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return nil, fmt.Errorf("无法创建区工作区 %s：%v", dst, regfile.WithoutPath(err))
	}
	// One import at a time per folder, across processes (two offices' windows, the app and the
	// command line): the conflict rule and the log need the folder to themselves.
	lock, err := filelock.AcquireTimeout(filepath.Join(dst, LockDir, "import.lock"), ImportLockWait)
	if errors.Is(err, filelock.ErrLocked) {
		return nil, fmt.Errorf("区工作区 %s 正在被另一个导入使用（等了 %d 分钟）；请等它完成后再导入", dst, int(ImportLockWait.Minutes()))
	}
	if err != nil {
		return nil, fmt.Errorf("无法锁定区工作区 %s：%v", dst, err)
	}
	defer lock.Unlock()
	defer RaiseGC()()
	log := &ImportLog{Workspace: dst, LogFile: filepath.Join(dst, ImportLogName), Started: time.Now()}
	inputs := CollectInputs(paths, dst)
	log.Files = len(inputs)
	w, err := openImportLog(log.LogFile)
	if err != nil {
		return nil, err
	}
	w.line(fmt.Sprintf("==== %s 开始导入 %d 个文件到 %s ====", stamp(log.Started), len(inputs), dst))
	if n := cleanTemps(dst); n > 0 {
		w.line(fmt.Sprintf("%s\t清理\t\t\t\t删除了 %d 个上次中断留下的临时文件", stamp(time.Now()), n))
	}
	w.reconcile(dst)

	log.Entries = make([]ImportEntry, len(inputs))
	var locks [64]sync.Mutex
	Parallel(len(inputs), ImportWorkers, progress, func(i int) {
		e := importOne(dst, inputs[i], trusted, log.Started, &locks)
		if e.Result == "" {
			return // not a diagnosis (a PDF without one, found in a folder)
		}
		e.Time = time.Now()
		log.Entries[i] = e
		w.entry(e)
	})
	log.Entries = slices.DeleteFunc(log.Entries, func(e ImportEntry) bool { return e.Result == "" })
	log.Files = len(log.Entries)
	for _, e := range log.Entries {
		if e.Demo && (e.Result == ImportImported || e.Result == ImportSkipped) {
			log.Demo++
		}
		switch e.Result {
		case ImportImported:
			log.Imported++
		case ImportSkipped:
			log.Skipped++
		case ImportConflict:
			log.Conflicts++
		default:
			log.Rejected++
		}
	}
	log.Finished = time.Now()
	w.line(fmt.Sprintf("==== %s 导入完成：共 %d 个文件，导入 %d，跳过 %d（已有），冲突 %d，拒收 %d ====",
		stamp(log.Finished), log.Files, log.Imported, log.Skipped, log.Conflicts, log.Rejected))
	if err := w.close(); err != nil {
		return log, err
	}
	return log, nil
}

func importOne(dst string, in Input, trusted seal.Trust, now time.Time, locks *[64]sync.Mutex) ImportEntry {
	b := GetBuffers()
	defer PutBuffers(b) // the entry refers to none of it
	x := Examine(in, trusted, now, b)
	if x.Skip {
		return ImportEntry{}
	}
	e := ImportEntry{File: in.Path, Result: ImportRejected, Status: x.Status, Reason: x.Reason, Why: x.Why, ID: x.Result.ID, SHA256: x.Result.SHA256, Demo: x.Result.Demo}
	if x.Doc != nil {
		e.Name, e.Street, e.Categories = x.Doc.Enterprise.Name, x.Doc.Enterprise.Street, x.Doc.Enterprise.Categories
	}
	if !x.Valid() {
		return e
	}
	c, data := x.Checked, x.Data
	id := c.Doc.ID // a UUID (checked when decoding), so a safe file name
	target := filepath.Join(dst, id+assessment.Ext)
	h := fnv.New32a()
	h.Write([]byte(id))
	mu := &locks[h.Sum32()%uint32(len(locks))]
	mu.Lock()
	defer mu.Unlock()

	if why := checkRevisionInFolder(dst, c); why != nil {
		e.Status = StatusBadRevision
		e.because(why)
		return e
	}
	existing, err := os.ReadFile(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := assessment.WriteFileAtomic(target, data); err != nil {
			e.because(err)
			return e
		}
		e.Result, e.Stored = ImportImported, target
		return e
	case err != nil:
		e.because(kindReadExisting.New(filepath.Base(target), regfile.WithoutPath(err)))
		return e
	case bytes.Equal(existing, data):
		e.Result, e.Stored = ImportSkipped, target
		e.because(kindDuplicate.New())
		return e
	}
	old := seal.Check(existing, nil, false, nil)
	if old.Intact() && old.Result.SHA256 == c.Result.SHA256 {
		e.Result, e.Stored = ImportSkipped, target
		e.because(kindDuplicateSeal.New())
		return e
	}
	return keepConflict(e, dst, id, target, data, c.Result.SHA256, existing, old)
}

// ConflictName is where a conflicting version of document id is kept beside <id>.sdiag.
func ConflictName(id, sha256 string) string {
	return id + ".conflict-" + sha256[:12] + assessment.Ext
}

// keepConflict stores a version of id whose content differs from the one at target. The rule,
// the same in every process and whatever the order files arrive in: every version is kept;
// <id>.sdiag holds the intact version with the smallest content hash and each other version is
// kept as ConflictName(id, hash). The tally counts none of them until the office deletes the
// wrong ones, so which file holds which version decides nothing by itself.
func keepConflict(e ImportEntry, dst, id, target string, data []byte, sha string, existing []byte, old seal.Checked) ImportEntry {
	store := filepath.Join(dst, ConflictName(id, sha))
	if have, err := os.ReadFile(store); err == nil {
		if hv := seal.Check(have, nil, false, nil); hv.Intact() && hv.Result.SHA256 == sha {
			e.Result, e.Stored = ImportSkipped, store
			e.because(kindDuplicateConflict.New(filepath.Base(store)))
			return e
		}
	}
	e.Result = ImportConflict
	if old.Intact() && sha < old.Result.SHA256 {
		// The new version takes the main name; the old one moves beside it, written before the
		// main file is replaced so that no moment loses either.
		aside := filepath.Join(dst, ConflictName(id, old.Result.SHA256))
		if err := assessment.WriteFileAtomic(aside, existing); err != nil {
			e.because(err)
			return e
		}
		store = target
	}
	if err := assessment.WriteFileAtomic(store, data); err != nil {
		e.because(err)
		return e
	}
	e.Stored = store
	if !old.Intact() {
		var oldWhy any = old.Result.Reason
		if old.Result.Why != nil {
			oldWhy = old.Result.Why
		}
		e.because(kindConflictBroken.New(filepath.Base(target), oldWhy, filepath.Base(store)))
		return e
	}
	e.because(kindConflict.New(old.Result.SHA256[:12], sha[:12], filepath.Base(target), ConflictName(id, max(sha, old.Result.SHA256))))
	return e
}

// checkRevisionInFolder applies CheckRevision when the document a revision supersedes is already
// in the district folder; the tally applies it again over whatever it reads.
func checkRevisionInFolder(dst string, c seal.Checked) *usermsg.Error {
	if c.Doc.Supersedes == "" || !isUUIDish(c.Doc.Supersedes) {
		return nil
	}
	oldPath := filepath.Join(dst, c.Doc.Supersedes+assessment.Ext)
	data, err := regfile.ReadFile(oldPath, seal.MaxDocumentSize)
	if err != nil {
		return nil
	}
	old := seal.Check(data, nil, true, nil)
	if !old.Intact() || old.Doc == nil {
		return nil
	}
	return CheckRevisionWhy(c.Doc.Enterprise.CreditCode, c.Result.Fingerprint, old.Doc.Enterprise.CreditCode, old.Result.Fingerprint, filepath.Base(oldPath))
}

// isUUIDish keeps a supersedes value from naming a path outside the folder.
func isUUIDish(s string) bool {
	if len(s) != 36 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' || r == '-') {
			return false
		}
	}
	return true
}

func stamp(t time.Time) string { return t.In(CST).Format("2006-01-02 15:04:05") }

// importLogWriter appends whole lines to the log file as files are done: each line goes out in
// one write, and a write that fails part-way is cut back off, so the log never holds half a line
// (a disk filling up mid-line used to glue the next entry onto it).
type importLogWriter struct {
	mu     sync.Mutex
	f      *os.File
	size   int64 // the log's length after the last whole line
	logged map[string]bool
	err    error
}

// writeHook replaces the file write in tests (a disk that fills up part-way).
var writeHook func(f *os.File, b []byte) (int, error)

func openImportLog(path string) (*importLogWriter, error) {
	// Never write through a symbolic link: the log must be the folder's own file.
	if st, err := os.Lstat(path); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("导入日志 %s 是符号链接，为安全起见拒绝写入；请删除该链接后重试", path)
	} else if err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("导入日志 %s 不是普通文件，拒绝写入", path)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|noFollow, 0o644)
	if err != nil {
		return nil, fmt.Errorf("无法写入导入日志 %s：%v", path, regfile.WithoutPath(err))
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("导入日志 %s 不是普通文件，拒绝写入", path)
	}
	w := &importLogWriter{f: f, size: st.Size(), logged: map[string]bool{}}
	w.readLogged()
	if w.size == 0 {
		// A byte-order mark and a header, so that Notepad and Excel show the Chinese text.
		w.write("\ufeff时间\t结果\t文件\tid\t企业\t说明\n")
	} else if last := make([]byte, 1); func() bool { n, _ := f.ReadAt(last, w.size-1); return n == 1 && last[0] != '\n' }() {
		w.write("\n") // end a line a crash left unfinished, so the next entry starts on its own line
	}
	return w, nil
}

// readLogged collects the ids the log already records as stored (imported, conflict kept,
// or reconciled), for reconcile.
func (w *importLogWriter) readLogged() {
	sc := bufio.NewScanner(io.NewSectionReader(w.f, 0, w.size))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) >= 4 && cols[3] != "" {
			// A label may carry a suffix (demo data).
			for _, l := range []string{importResultLabel(ImportImported), importResultLabel(ImportConflict), reconciledLabel} {
				if strings.HasPrefix(cols[1], l) {
					w.logged[cols[3]] = true
				}
			}
		}
	}
}

// reconciledLabel marks a document found in the folder that no log line recorded.
const reconciledLabel = "补记"

// reconcile logs the documents in the folder that the log does not mention: an import killed
// between storing a document and logging it leaves such documents behind.
func (w *importLogWriter) reconcile(dst string) {
	entries, err := os.ReadDir(dst)
	if err != nil {
		return
	}
	for _, de := range entries {
		name := de.Name()
		if !de.Type().IsRegular() || !strings.HasSuffix(name, assessment.Ext) || strings.HasPrefix(name, ".") {
			continue
		}
		id, _, _ := strings.Cut(strings.TrimSuffix(name, assessment.Ext), ".")
		if w.logged[id] {
			continue
		}
		firm := ""
		if data, err := regfile.ReadFile(filepath.Join(dst, name), seal.MaxDocumentSize); err == nil {
			if d, err := assessment.Decode(data); err == nil {
				firm = d.Enterprise.Name
			}
		}
		w.entry(ImportEntry{Time: time.Now(), Result: reconciledLabel, File: filepath.Join(dst, name), ID: id, Name: firm,
			Reason: kindReconciled.New().Error(), Why: kindReconciled.New()})
		w.logged[id] = true
	}
}

// cleanTemps removes the temp files an interrupted save left in the folder (the import lock is
// held, so none belongs to a running import) and returns how many.
func cleanTemps(dst string) int {
	entries, err := os.ReadDir(dst)
	if err != nil {
		return 0
	}
	n := 0
	for _, de := range entries {
		if name := de.Name(); strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-") && de.Type().IsRegular() {
			if os.Remove(filepath.Join(dst, name)) == nil {
				n++
			}
		}
	}
	return n
}

// write appends s in one write; on failure the file is cut back to its last whole line.
func (w *importLogWriter) write(s string) {
	if w.err != nil {
		return
	}
	var n int
	var err error
	if writeHook != nil {
		n, err = writeHook(w.f, []byte(s))
	} else {
		n, err = w.f.WriteAt([]byte(s), w.size)
	}
	if err == nil && n != len(s) {
		err = io.ErrShortWrite
	}
	if err != nil {
		w.f.Truncate(w.size)
		w.err = err
		return
	}
	w.size += int64(n)
}

func (w *importLogWriter) line(s string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.write(s + "\n")
}

func (w *importLogWriter) entry(e ImportEntry) {
	clean := func(s string) string { return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s) }
	label := importResultLabel(e.Result)
	if e.Demo {
		label += "（" + seal.DemoLabel + "）"
	}
	w.line(strings.Join([]string{stamp(e.Time), label, clean(e.File), e.ID, clean(e.Name), clean(e.Reason)}, "\t"))
}

func (w *importLogWriter) close() error {
	err := w.err
	if serr := w.f.Sync(); err == nil {
		err = serr
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("无法写入导入日志 %s：%v", w.f.Name(), err)
	}
	return nil
}

// importResultLabel is a result in Chinese, as written in the log.
func importResultLabel(r string) string {
	switch r {
	case ImportImported:
		return "已导入"
	case ImportSkipped:
		return "跳过（已有）"
	case ImportConflict:
		return "冲突"
	case ImportRejected:
		return "拒收"
	}
	return r
}
