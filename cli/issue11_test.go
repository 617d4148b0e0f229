package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/regfile/fifotest"
	"smartdiag/seal"
)

// sealedDemo writes n demo documents sealed with this user's key (trusted) and returns them.
func sealedDemo(t *testing.T, n int) []string {
	t.Helper()
	t.Setenv(seal.EnvConfig, t.TempDir())
	_, files := sealDemoFiles(t, n)
	if code, _, errs := run(t, append([]string{"seal"}, files...)...); code != 0 {
		t.Fatalf("seal: %s", errs)
	}
	pub := filepath.Join(t.TempDir(), "pub.json")
	if code, _, errs := run(t, "key", "--out", pub); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, "trust", "add", pub, "--name", "本机"); code != 0 {
		t.Fatal(errs)
	}
	return files
}

// Item 5: verify reads a genuine report PDF as import does (it said "invalid UTF-8" before).
func TestVerifyReadsReportPDFLikeImport(t *testing.T) {
	files := sealedDemo(t, 1)
	pdf := filepath.Join(t.TempDir(), "报告.pdf")
	if code, _, errs := run(t, "report", files[0], "--out", pdf); code != 0 {
		t.Fatal(errs)
	}
	code, got := verifyJSONRun(t, pdf)
	if code != 0 || len(got) != 1 || got[0].Status != seal.VerifyValid {
		t.Fatalf("verify of a genuine report: %d %+v", code, got)
	}
	into := filepath.Join(t.TempDir(), "区")
	if code, out, errs := run(t, "import", "--into", into, pdf); code != 0 {
		t.Fatalf("import: %s%s", out, errs)
	}
	// A folder holding the report is read the same way (PDFs included).
	code, got = verifyJSONRun(t, filepath.Dir(pdf))
	if code != 0 || len(got) != 1 || got[0].Status != seal.VerifyValid {
		t.Fatalf("verify of a folder with a report: %d %+v", code, got)
	}
}

// Item 1: score of a finished document with required answers missing exits 1 naming the file.
func TestScoreIncompleteFinishedExits1(t *testing.T) {
	_, files := sealDemoFiles(t, 1)
	d, err := assessment.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	d.Answers = map[string]*assessment.Answer{}
	data, _ := d.Encode()
	p := filepath.Join(t.TempDir(), "空白.sdiag")
	os.WriteFile(p, data, 0o644)
	code, _, errs := run(t, "score", p)
	if code != ExitInput || !strings.Contains(errs, p) || !strings.Contains(errs, "必答题未回答") {
		t.Fatalf("score: %d %s", code, errs)
	}
	// An answer of the wrong type is an error naming the file too.
	raw := strings.Replace(string(data), `"answers": {}`, `"answers": {"`+firstItem(t, files[0])+`": {"value": {"x": 1}}}`, 1)
	os.WriteFile(p, []byte(raw), 0o644)
	if code, _, errs := run(t, "score", p); code != ExitInput || !strings.Contains(errs, p) {
		t.Fatalf("score of a wrong-type answer: %d %s", code, errs)
	}
	if code, _, errs := run(t, "seal", p); code != ExitInput || !strings.Contains(errs, p) {
		t.Fatalf("seal of an incomplete document: %d %s", code, errs)
	}
}

func firstItem(t *testing.T, path string) string {
	d, err := assessment.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for id := range d.Answers {
		return id
	}
	t.Fatal("no answers")
	return ""
}

// Item 11: a FIFO named on the command line is refused at once by every command that reads a path.
func TestFIFORefusedEverywhere(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	t.Setenv(seal.EnvConfig, t.TempDir())
	dir := t.TempDir()
	fifo := func(name string) string {
		p := filepath.Join(dir, name)
		if err := fifotest.Make(p, 0o644); err != nil {
			t.Skip(err)
		}
		return p
	}
	doc, csv, key := fifo("a.sdiag"), fifo("名册.csv"), fifo("key.json")
	prof, peers, zip := fifo("画像.yaml"), fifo("peers.json"), fifo("备份.zip")
	// A genuine document, so that a flag read after the documents is reached too.
	_, real := sealDemoFiles(t, 1)
	data := filepath.Join(t.TempDir(), "data")
	for _, args := range [][]string{
		{"verify", doc}, {"score", doc}, {"report", doc, "--out", filepath.Join(dir, "r.pdf")},
		{"import", "--into", filepath.Join(dir, "区"), doc}, {"tally", doc}, {"tally", "--roster", csv, t.TempDir()},
		{"trust", "add", key, "--name", "x"}, {"seal", doc},
		{"tally", "--profile", prof, real[0]}, {"import", "--into", filepath.Join(dir, "区2"), "--profile", prof, real[0]},
		{"report", real[0], "--peers", peers, "--out", filepath.Join(dir, "r2.pdf")},
		{"restore", zip, "--workspace", t.TempDir()},
		{"server", "roster", "--data", data, "--org", "江宁区", csv},
		{"server", "org", "add", "--data", data, "--kind", "district", "--name", "江宁区", "--profile", prof},
		{"server", "user", "add", "--data", data, "--org", "江宁区", "--name", "gu", "--role", "consultant", "--key", key},
	} {
		done := make(chan [2]string, 1)
		go func() {
			code, out, errs := run(t, args...)
			_ = code
			done <- [2]string{out, errs}
		}()
		select {
		case r := <-done:
			if !strings.Contains(r[0]+r[1], "不是普通文件") {
				t.Errorf("%v: no clear refusal:\n%s%s", args, r[0], r[1])
			}
		case <-time.After(10 * time.Second):
			t.Errorf("%v blocked on a FIFO", args) // go on: report every command that blocks
		}
	}
}

// Item 12: verify of a 3 GB file refuses it from its size, without reading it.
func TestVerifyHugeFileRefusedBeforeReading(t *testing.T) {
	t.Setenv(seal.EnvConfig, t.TempDir())
	p := filepath.Join(t.TempDir(), "huge.sdiag")
	f, _ := os.Create(p)
	if err := f.Truncate(3 << 30); err != nil {
		t.Skip(err)
	}
	f.Close()
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	code, out, errs := run(t, "verify", "--json", p)
	runtime.ReadMemStats(&b)
	var got []verifyJSON
	json.Unmarshal([]byte(out), &got)
	if code != ExitInput || len(got) != 1 || !strings.Contains(got[0].Reason, "上限") {
		t.Fatalf("%d %s %s", code, out, errs)
	}
	if n := b.TotalAlloc - a.TotalAlloc; n > 16<<20 {
		t.Errorf("verify allocated %d MB for a file it refused", n>>20)
	}
}

// Item 12: every file a command reads from a path is refused from its size, with the limit in
// the message, before it is read (sparse files: nothing is allocated on disk).
func TestOversizedInputsRefusedWithTheLimit(t *testing.T) {
	t.Setenv(seal.EnvConfig, t.TempDir())
	dir := t.TempDir()
	sparse := func(name string, size int64) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.Truncate(size); err != nil {
			t.Skip(err)
		}
		return p
	}
	_, real := sealDemoFiles(t, 1)
	data := filepath.Join(t.TempDir(), "data")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"tally", "--profile", sparse("画像.yaml", 5<<20), real[0]}, "上限为 4 MB"},
		{[]string{"report", real[0], "--peers", sparse("peers.json", 17<<20), "--out", filepath.Join(dir, "r.pdf")}, "上限为 16 MB"},
		{[]string{"restore", sparse("备份.zip", 17<<30), "--workspace", t.TempDir()}, "上限为 16384 MB"},
		{[]string{"server", "user", "add", "--data", data, "--org", "江宁区", "--name", "gu", "--role", "consultant", "--key", sparse("key.json", 2<<20)}, "上限为 1 MB"},
		{[]string{"server", "roster", "--data", data, "--org", "江宁区", sparse("名册.csv", 201<<20)}, "上限为 200 MB"},
	} {
		code, out, errs := run(t, c.args...)
		if code == 0 || !strings.Contains(out+errs, "文件太大") || !strings.Contains(out+errs, c.want) {
			t.Errorf("%v: exit %d, want the limit %q:\n%s%s", c.args[:2], code, c.want, out, errs)
		}
	}
}

// Item 11: a FIFO named like a document inside the workspace (directly or through a symbolic
// link) does not block list, which reads every document of the folder.
func TestListSkipsFIFOInWorkspace(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	ws := t.TempDir()
	p := filepath.Join(ws, "a"+assessment.Ext)
	if err := fifotest.Make(p, 0o644); err != nil {
		t.Skip(err)
	}
	os.Symlink(p, filepath.Join(ws, "b"+assessment.Ext))
	done := make(chan int, 1)
	go func() { code, _, _ := run(t, "list", "--workspace", ws); done <- code }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("list blocked on a FIFO in the workspace")
	}
}
