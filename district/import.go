package district

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"smartdiag/assessment"
	"smartdiag/seal"
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

// ImportWorkers is the number of files read and written at once: verification is CPU work and
// each atomic write waits for the disk, so more workers than cores keep both busy.
const ImportWorkers = 8

// ImportEntry is the outcome for one input file.
type ImportEntry struct {
	File   string    `json:"file"`
	Result string    `json:"result"`           // imported, skipped, conflict, rejected
	Status string    `json:"status,omitempty"` // the verification status (seal.Verify*, or invalid)
	Reason string    `json:"reason"`
	ID     string    `json:"id,omitempty"`
	SHA256 string    `json:"sha256,omitempty"` // the document's content hash (from its seal)
	Name   string    `json:"name,omitempty"`   // the firm
	Stored string    `json:"stored,omitempty"` // the file in the workspace
	Time   time.Time `json:"time"`
}

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
		return nil, fmt.Errorf("无法创建区工作区 %s：%v", dst, UnwrapPath(err))
	}
	defer RaiseGC()()
	log := &ImportLog{Workspace: dst, LogFile: filepath.Join(dst, ImportLogName), Started: time.Now()}
	inputs := CollectInputs(paths, dst)
	log.Files = len(inputs)
	w, err := openImportLog(log.LogFile)
	if err != nil {
		return nil, err
	}
	w.line(fmt.Sprintf("==== %s 开始导入 %d 个文件到 %s ====", stamp(log.Started), len(inputs), dst))

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
	e := ImportEntry{File: in.Path, Result: ImportRejected, Status: x.Status, Reason: x.Reason, ID: x.Result.ID, SHA256: x.Result.SHA256}
	if x.Doc != nil {
		e.Name = x.Doc.Enterprise.Name
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

	existing, err := os.ReadFile(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := assessment.WriteFileAtomic(target, data); err != nil {
			e.Reason = err.Error()
			return e
		}
		e.Result, e.Stored = ImportImported, target
		return e
	case err != nil:
		e.Reason = fmt.Sprintf("无法读取工作区中已有的 %s：%v", filepath.Base(target), UnwrapPath(err))
		return e
	case bytes.Equal(existing, data):
		e.Result, e.Stored, e.Reason = ImportSkipped, target, "已导入过（内容相同）"
		return e
	}
	old := seal.Check(existing, nil, false, nil)
	if old.Intact() && old.Result.SHA256 == c.Result.SHA256 {
		e.Result, e.Stored, e.Reason = ImportSkipped, target, "已导入过（内容相同，封存时间或签名者不同）"
		return e
	}
	e.Result, e.Stored = ImportConflict, target
	if !old.Intact() {
		e.Reason = fmt.Sprintf("工作区中已有同 id 的 %s，但它已损坏或被改动（%s），未覆盖；请核查后手工处理", filepath.Base(target), old.Result.Reason)
	} else {
		e.Reason = fmt.Sprintf("冲突：工作区中已有同 id 的 %s，但内容不同（已有 %s…，本文件 %s…）；同一份诊断不能有两个版本，未导入",
			filepath.Base(target), old.Result.SHA256[:12], c.Result.SHA256[:12])
	}
	return e
}

func stamp(t time.Time) string { return t.In(CST).Format("2006-01-02 15:04:05") }

// importLogWriter appends lines to the log file as files are done.
type importLogWriter struct {
	mu  sync.Mutex
	f   *os.File
	err error
}

func openImportLog(path string) (*importLogWriter, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("无法写入导入日志 %s：%v", path, UnwrapPath(err))
	}
	w := &importLogWriter{f: f}
	if st, err := f.Stat(); err == nil && st.Size() == 0 {
		// A byte-order mark and a header, so that Notepad and Excel show the Chinese text.
		_, w.err = f.WriteString("\ufeff时间\t结果\t文件\tid\t企业\t说明\n")
	}
	return w, nil
}

func (w *importLogWriter) line(s string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		_, w.err = w.f.WriteString(s + "\n")
	}
}

func (w *importLogWriter) entry(e ImportEntry) {
	clean := func(s string) string { return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s) }
	w.line(strings.Join([]string{stamp(e.Time), importResultLabel(e.Result), clean(e.File), e.ID, clean(e.Name), clean(e.Reason)}, "\t"))
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
