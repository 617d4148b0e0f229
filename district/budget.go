package district

import (
	"runtime/debug"
	"sync"

	"smartdiag/seal"
)

// MemoryBudget is the memory an import or a tally may use however hostile the files it reads:
// the documents being read at once are limited to ReadBudget bytes of estimated cost, and the Go
// runtime is given MemoryBudget as its soft limit while they run, so garbage is collected before
// the heap passes it. A folder of hostile files (bombs, huge PDFs) was measured to stay below it
// (BenchmarkHostileFolder in package district); docs/使用手册.md states both. It is also what
// bounds a large honest tally: GOGC=400 (RaiseGC) lets the heap grow to five times the facts
// kept, which for 50,000 documents (about 60 MB of facts) would be over 400 MB; under this limit
// the collector runs a little more often near the end instead (BenchmarkTally50000).
const (
	MemoryBudget = 320 << 20
	ReadBudget   = 192 << 20
)

// maxPooledBuffer is the largest read buffer kept for reuse: a rare big file must not leave a
// big buffer per worker behind.
const maxPooledBuffer = 4 << 20

// inputCost estimates the memory reading one file takes at its peak: the bytes, and for a
// document the parsed tree and canonical copy (about three times its size); for a PDF, the file
// plus the largest document it may inflate and parse.
func inputCost(size int64, pdf bool) int64 {
	if pdf {
		return size + 4*min(seal.MaxDocumentSize, max(size, 1<<20))
	}
	return 4*size + 64<<10
}

// budget is a counting semaphore over bytes.
type budget struct {
	mu    sync.Mutex
	cond  *sync.Cond
	avail int64
	total int64
}

var memBudget = newBudget(ReadBudget)

func newBudget(n int64) *budget {
	b := &budget{avail: n, total: n}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// acquire waits until n bytes (at most the whole budget) are free and takes them.
func (b *budget) acquire(n int64) (release func()) {
	n = min(n, b.total)
	b.mu.Lock()
	for b.avail < n {
		b.cond.Wait()
	}
	b.avail -= n
	b.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			b.avail += n
			b.mu.Unlock()
			b.cond.Broadcast()
		})
	}
}

// setMemoryLimit applies MemoryBudget as the runtime's soft limit unless a lower one is set.
func setMemoryLimit() (old int64) {
	old = debug.SetMemoryLimit(-1)
	if old > MemoryBudget {
		debug.SetMemoryLimit(MemoryBudget)
	}
	return old
}
