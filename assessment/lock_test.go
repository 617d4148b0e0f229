package assessment

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	q "smartdiag/questionnaires"

	"smartdiag/usermsg"
)

// holdDocEnv makes the test binary a second app instance: it opens the document for editing,
// says "open", and keeps it open until its stdin closes.
const holdDocEnv = "SMARTDIAG_TEST_HOLD_DOC"

func holdDocument(dir, id string) {
	s, err := OpenSession(&Workspace{Dir: dir}, id)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println("open")
	io.Copy(io.Discard, os.Stdin)
	s.Close()
	os.Exit(0)
}

func bundledDraft(t *testing.T, ws *Workspace) *Session {
	t.Helper()
	all, err := q.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDocument(all[0], testEnterprise, Assessor{Name: "测试"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSession(ws, d, all[0])
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A second instance on the same workspace cannot open a document the first has open; it may open
// other documents, and it may open this one once the first has let go (or died).
func TestSecondInstanceCannotOpenAnOpenDocument(t *testing.T) {
	dir := t.TempDir()
	ws := &Workspace{Dir: dir}
	held, other := bundledDraft(t, ws), bundledDraft(t, ws)
	heldID, otherID := held.Doc.ID, other.Doc.ID
	ws.ReleaseAll()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdDocEnv+"="+dir, holdDocEnv+"_ID="+heldID)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); strings.TrimSpace(line) != "open" {
		t.Fatalf("other instance: %q", line)
	}

	second := &Workspace{Dir: dir}
	if _, err := OpenSession(second, heldID); !errors.Is(err, ErrInUse) {
		t.Fatalf("opening a document open in another instance: %v, want ErrInUse", err)
	} else if !strings.Contains(usermsg.Text(err, "zh"), "另一个 smartdiag 窗口") || !strings.Contains(usermsg.Text(err, "en"), "another smartdiag window") {
		t.Errorf("message does not tell the user in Chinese or in English: %v", err)
	}
	s, err := OpenSession(second, otherID)
	if err != nil {
		t.Fatalf("another document: %v", err)
	}
	s.Close()

	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	s, err = OpenSession(second, heldID)
	if err != nil {
		t.Fatalf("after the other instance closed it: %v", err)
	}
	s.Close()
}

// Two windows of one process are two Workspace values: they exclude each other the same way, and
// one Workspace reopening its own document is not blocked.
func TestTwoWindowsInOneProcess(t *testing.T) {
	dir := t.TempDir()
	first := &Workspace{Dir: dir}
	s := bundledDraft(t, first)
	if _, err := OpenSession(&Workspace{Dir: dir}, s.Doc.ID); !errors.Is(err, ErrInUse) {
		t.Fatalf("second window: %v, want ErrInUse", err)
	}
	again, err := OpenSession(first, s.Doc.ID)
	if err != nil {
		t.Fatalf("same window reopening: %v", err)
	}
	// A failed open of a missing document must not drop the lock the window already holds.
	if _, err := OpenSession(first, "missing"); err == nil {
		t.Fatal("missing document opened")
	}
	again.Close()
	s2, err := OpenSession(&Workspace{Dir: dir}, s.Doc.ID)
	if err != nil {
		t.Fatalf("after Close: %v", err)
	}
	s2.Close()
	if files, _ := first.List(); len(files) != 1 {
		t.Errorf("lock files listed as documents: %v", files)
	}
}
