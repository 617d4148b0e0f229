package district

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"

	"smartdiag/assessment"
	"smartdiag/regfile"
	"smartdiag/seal"
)

// Statuses of a file that is not counted, beside seal's verification statuses.
const (
	StatusConflict = "conflict" // same id as another document, different content
	StatusInvalid  = "invalid"  // sealed and intact, but not a document this version can read
)

// Buffers is scratch space for reading one document, reused through bufPool: a tally of
// thousands of documents would otherwise allocate and clear three copies of each.
type Buffers struct {
	file []byte
	seal.Scratch
	held func() // releases the memory budget taken by the last ReadInput
}

func (b *Buffers) release() {
	if b.held != nil {
		b.held()
		b.held = nil
	}
}

var bufPool = sync.Pool{New: func() any { return new(Buffers) }}

// GetBuffers takes scratch space from the pool; give it back with PutBuffers once nothing read
// through it is in use.
func GetBuffers() *Buffers { return bufPool.Get().(*Buffers) }

// PutBuffers returns b to the pool, and the memory budget its last read took.
func PutBuffers(b *Buffers) {
	b.release()
	bufPool.Put(b)
}

// MaxReportSize bounds a report PDF read as input; a .sdiag file is bounded by
// seal.MaxDocumentSize. Both are checked before reading (docs/使用手册.md lists them).
const MaxReportSize = 64 << 20

// ReadInput reads one input file: a .sdiag document, or a report PDF carrying one. Only regular
// files are read (a FIFO or device is refused at once), and the size is checked before reading.
// With b set, the bytes may be in b's storage. Every reader of district inputs (import, tally,
// verify) comes through here, so they read a file the same way.
func ReadInput(path string, b *Buffers) ([]byte, error) {
	f, st, err := regfile.Open(path)
	if err != nil {
		return nil, fmt.Errorf("无法读取：%v", regfile.WithoutPath(err))
	}
	defer f.Close()
	pdfName := strings.EqualFold(filepath.Ext(path), ".pdf")
	limit := int64(seal.MaxDocumentSize)
	if pdfName || st.Size() > limit && isPDF(f) {
		limit = MaxReportSize
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("文件太大（%s），上限为 %s（诊断文档 %d MB，报告 PDF %d MB）", regfile.MB(st.Size()), regfile.MB(limit), seal.MaxDocumentSize>>20, MaxReportSize>>20)
	}
	// The cost is held until the caller is done with the bytes (PutBuffers), or until return.
	release := memBudget.acquire(inputCost(st.Size(), limit == MaxReportSize))
	if b != nil {
		b.release()
		b.held = release
	} else {
		defer release()
	}
	var buf []byte
	if b != nil {
		buf = b.file
	}
	data, err := regfile.ReadAll(f, path, st.Size(), limit, buf)
	if b != nil && cap(data) > cap(b.file) && cap(data) <= maxPooledBuffer {
		b.file = data[:0]
	}
	if err != nil {
		return nil, fmt.Errorf("无法读取：%v", regfile.WithoutPath(err))
	}
	return DecodeInput(path, data)
}

// DecodeInput returns the diagnosis document in one input's bytes: the bytes themselves for a
// .sdiag document, the embedded document for a report PDF. path names the input (its extension
// tells a damaged PDF from a document). A server receiving uploads calls it on the bytes.
func DecodeInput(path string, data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		doc, err := seal.ExtractDocument(data)
		if err != nil {
			return nil, fmt.Errorf("PDF 报告：%w", err)
		}
		return doc, nil
	}
	if strings.EqualFold(filepath.Ext(path), ".pdf") {
		return nil, fmt.Errorf("不是 PDF 文件（文件已损坏或扩展名有误）")
	}
	if len(data) > seal.MaxDocumentSize {
		return nil, fmt.Errorf("文件太大（%s），诊断文档的上限为 %d MB", regfile.MB(int64(len(data))), seal.MaxDocumentSize>>20)
	}
	return data, nil
}

// isPDF peeks at a file's first bytes and rewinds it.
func isPDF(f *os.File) bool {
	var head [5]byte
	n, _ := f.ReadAt(head[:], 0)
	return string(head[:n]) == "%PDF-"
}

// Input is a file to read, or a path that could not be listed (err set).
type Input struct {
	Path    string
	Err     error // why the file or folder could not be listed
	FromDir bool  // found in a folder rather than named
}

// Skippable reports whether an input found in a folder is not a diagnosis at all: a PDF that
// carries no diagnosis document (the district's own exports, other papers). Such files are
// passed over silently; a named file, or a damaged report, is always reported.
func (in Input) Skippable(err error) bool {
	return in.FromDir && errors.Is(err, seal.ErrNoDocument)
}

// isInputName reports whether a file found in a folder is read: .sdiag documents and .pdf
// reports, not hidden files (such as a save's leftover temp file).
func isInputName(name string) bool {
	if strings.HasPrefix(name, ".") {
		return false
	}
	ext := strings.ToLower(filepath.Ext(name))
	return ext == assessment.Ext || ext == ".pdf"
}

// CollectInputs expands paths: a file is read as given, a folder is searched recursively for
// .sdiag and .pdf files. skip is a folder not to descend into (the import's destination). Each
// file is listed once (a symbolic link and its target are one file), folders in sorted order.
//
// Symbolic links: a folder given through a link is searched as the folder it points to, with the
// paths shown under the name given. A link inside the folder to a document inside the same tree
// is read (once); a link that points outside the tree, or nowhere, is reported as an input that
// was not read, never skipped silently. A link to a folder inside the tree adds nothing: that
// folder is searched anyway.
func CollectInputs(paths []string, skip string) []Input {
	var out []Input
	seen := map[string]bool{}
	skipAbs := ""
	if skip != "" {
		skipAbs = realPath(skip)
	}
	add := func(p, key string, err error, fromDir bool) {
		if key == "" {
			key = realPath(p)
		}
		if err == nil && seen[key] {
			return
		}
		seen[key] = true
		out = append(out, Input{p, err, fromDir})
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			add(p, "", fmt.Errorf("无法读取：%v", regfile.WithoutPath(err)), false)
			continue
		}
		if !st.IsDir() {
			add(p, "", nil, false)
			continue
		}
		root := realPath(p)
		shown := func(path string) string { // path under the name the user gave
			if rel, err := filepath.Rel(root, path); err == nil {
				return filepath.Join(p, rel)
			}
			return path
		}
		found := 0
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				add(shown(path), "", fmt.Errorf("无法读取文件夹：%v", regfile.WithoutPath(err)), false)
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if path != root && strings.HasPrefix(d.Name(), ".") {
					return fs.SkipDir
				}
				if skipAbs != "" && path == skipAbs {
					return fs.SkipDir
				}
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				if in, key, ok := followLink(root, path, shown(path)); ok {
					if in.Err == nil {
						found++
					}
					add(in.Path, key, in.Err, in.Err == nil)
				}
				return nil
			}
			if isInputName(d.Name()) && d.Type().IsRegular() {
				found++
				add(shown(path), path, nil, true)
			}
			return nil
		})
		if err != nil {
			add(p, "", fmt.Errorf("无法读取文件夹：%v", regfile.WithoutPath(err)), false)
		} else if found == 0 && (skipAbs == "" || root != skipAbs) {
			add(p, "", errors.New("文件夹中没有 .sdiag 诊断文档或 PDF 报告"), false)
		}
	}
	return out
}

// followLink decides about a symbolic link met in a folder: a link to an input file inside root
// is read (key is its target, so the target is listed once); a link out of the tree or to
// nowhere is reported; a link to a folder or to a file that is no input is passed over (ok false).
func followLink(root, path, shown string) (in Input, key string, ok bool) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		if !isInputName(filepath.Base(path)) {
			return Input{}, "", false
		}
		return Input{Path: shown, Err: fmt.Errorf("符号链接无法解析（目标不存在或无法访问）：%v", regfile.WithoutPath(err))}, shown, true
	}
	st, err := os.Stat(target)
	if err != nil || st.IsDir() || !(isInputName(filepath.Base(path)) || isInputName(filepath.Base(target))) {
		return Input{}, "", false
	}
	if rel, err := filepath.Rel(root, target); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return Input{Path: shown, Err: fmt.Errorf("符号链接指向所给文件夹之外（%s），为安全起见未读取；请把文件本身放进文件夹", target)}, shown, true
	}
	return Input{Path: shown}, target, true
}

// realPath is path made absolute with symbolic links resolved (as far as they resolve), so that
// two names of one file compare equal.
func realPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	return abs
}

// Parallel calls fn(i) for i in [0, n) on a pool of workers and reports progress after each.
func Parallel(n, workers int, progress func(done, total int), fn func(i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	var next atomic.Int64
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
				if progress != nil {
					mu.Lock()
					done++
					progress(done, n)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
}

// RaiseGC lets the heap grow to five times the live data (GOGC=400) while a tally or an import
// runs, and returns the function that ends the raise. Both allocate quickly per document and keep
// little, so with the default the collector runs thousands of times; the peak heap stays around
// 150 MB for 10,000 documents. Raises nest: the first one saves the setting and the last one to
// end restores it, so overlapping imports and tallies cannot leave the process at 400. A higher
// setting (GOGC, or GC off) is left alone.
func RaiseGC() (restore func()) {
	gc.mu.Lock()
	defer gc.mu.Unlock()
	if gc.users == 0 {
		gc.old = debug.SetGCPercent(400)
		if gc.old < 0 || gc.old > 400 {
			debug.SetGCPercent(gc.old)
		}
		gc.oldLimit = setMemoryLimit()
	}
	gc.users++
	var once sync.Once
	return func() {
		once.Do(func() {
			gc.mu.Lock()
			defer gc.mu.Unlock()
			gc.users--
			if gc.users == 0 {
				debug.SetGCPercent(gc.old)
				debug.SetMemoryLimit(gc.oldLimit)
			}
		})
	}
}

// gc is the one process-wide GC setting RaiseGC shares between concurrent callers.
var gc struct {
	mu    sync.Mutex
	users int
	old   int // the setting before the first raise
	// oldLimit is the soft memory limit before the first raise; a raise also sets MemoryBudget.
	oldLimit int64
}
