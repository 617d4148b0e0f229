package district

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"

	"smartdiag/assessment"
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
}

var bufPool = sync.Pool{New: func() any { return new(Buffers) }}

// GetBuffers takes scratch space from the pool; give it back with PutBuffers once nothing read
// through it is in use.
func GetBuffers() *Buffers { return bufPool.Get().(*Buffers) }

// PutBuffers returns b to the pool.
func PutBuffers(b *Buffers) { bufPool.Put(b) }

// maxInputSize bounds what is read of one input file.
const maxInputSize = 256 << 20

// ReadInput reads one input file: a .sdiag document, or a report PDF carrying one. With b set, the
// bytes may be in b's storage.
func ReadInput(path string, b *Buffers) ([]byte, error) {
	var buf []byte
	if b != nil {
		buf = b.file
	}
	data, err := readFileInto(path, buf)
	if b != nil && cap(data) > cap(b.file) {
		b.file = data[:0]
	}
	if err != nil {
		return nil, err
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
	return data, nil
}

// readFileInto reads a file into buf's storage, growing it when needed.
func readFileInto(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("无法读取：%v", UnwrapPath(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil {
		if st.Size() > maxInputSize {
			return nil, fmt.Errorf("文件太大（%d MB），不是诊断文档或报告", st.Size()>>20)
		}
		if int64(cap(buf)) < st.Size()+1 {
			buf = make([]byte, 0, st.Size()+512)
		}
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, fmt.Errorf("无法读取：%v", UnwrapPath(err))
		}
		if len(buf) > maxInputSize {
			return buf, fmt.Errorf("文件太大，不是诊断文档或报告")
		}
	}
}

func UnwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
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
// file is listed once, folders in sorted order.
func CollectInputs(paths []string, skip string) []Input {
	var out []Input
	seen := map[string]bool{}
	skipAbs := ""
	if skip != "" {
		skipAbs, _ = filepath.Abs(skip)
	}
	add := func(p string, err error, fromDir bool) {
		key := p
		if abs, e := filepath.Abs(p); e == nil {
			key = abs
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
			add(p, fmt.Errorf("无法读取：%v", UnwrapPath(err)), false)
			continue
		}
		if !st.IsDir() {
			add(p, nil, false)
			continue
		}
		found := 0
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				add(path, fmt.Errorf("无法读取文件夹：%v", UnwrapPath(err)), false)
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if path != p && strings.HasPrefix(d.Name(), ".") {
					return fs.SkipDir
				}
				if skipAbs != "" {
					if abs, _ := filepath.Abs(path); abs == skipAbs {
						return fs.SkipDir
					}
				}
				return nil
			}
			if isInputName(d.Name()) && d.Type().IsRegular() {
				found++
				add(path, nil, true)
			}
			return nil
		})
		if err != nil {
			add(p, fmt.Errorf("无法读取文件夹：%v", UnwrapPath(err)), false)
		} else if found == 0 && (skipAbs == "" || !sameDir(p, skipAbs)) {
			add(p, errors.New("文件夹中没有 .sdiag 诊断文档或 PDF 报告"), false)
		}
	}
	return out
}

func sameDir(p, abs string) bool {
	a, err := filepath.Abs(p)
	return err == nil && a == abs
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
			}
		})
	}
}

// gc is the one process-wide GC setting RaiseGC shares between concurrent callers.
var gc struct {
	mu    sync.Mutex
	users int
	old   int // the setting before the first raise
}
