package assessment

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The save loop runs in a child process (this test binary, re-executed) so that SIGKILL can land at
// any instant of a save: mid-write, between fsync and rename, or mid-rename.
const saveLoopEnv = "SMARTDIAG_TEST_SAVE_LOOP"

func TestMain(m *testing.M) {
	if dir := os.Getenv(saveLoopEnv); dir != "" {
		saveLoop(dir)
		return
	}
	if dir := os.Getenv(holdDocEnv); dir != "" {
		holdDocument(dir, os.Getenv(holdDocEnv+"_ID"))
		return
	}
	os.Exit(m.Run())
}

func saveLoop(dir string) {
	qn := loadFixture(&testing.T{}, "mini-cmmm.yaml")
	d := docWith(&testing.T{}, qn, "discrete", map[string]any{"A1": "full"})
	ws := &Workspace{Dir: dir}
	keys := []string{"full", "most", "part", "none", "na"}
	for i := 0; ; i++ {
		d.SetAnswer(qn, "A2", keys[i%len(keys)], time.Now())
		// Notes of varying length make the file grow and shrink, so a torn write would show.
		d.SetNote("A2", strings.Repeat("现场核实。", i%200), time.Now())
		if err := ws.Save(d); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		if i == 0 {
			fmt.Println("saved", d.ID)
		}
	}
}

func TestKillDuringSaveLeavesAWholeDocument(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns many processes")
	}
	qn := loadFixture(t, "mini-cmmm.yaml")
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	const runs = 60
	for run := range runs {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), saveLoopEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "saved ") {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("run %d: child did not start saving: %q %v", run, line, err)
		}
		id := strings.TrimSpace(strings.TrimPrefix(line, "saved "))
		time.Sleep(time.Duration(r.IntN(30_000)) * time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		data, err := os.ReadFile(filepath.Join(dir, id+Ext))
		if err != nil {
			t.Fatalf("run %d: document gone after kill: %v", run, err)
		}
		d, err := Decode(data)
		if err != nil {
			t.Fatalf("run %d: torn document after kill: %v\n%s", run, err, data)
		}
		if err := d.CheckAgainst(qn); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
	}
	// Temp files of killed saves may remain; they are never taken for documents.
	files, _ := (&Workspace{Dir: dir}).List()
	if len(files) != runs {
		t.Errorf("workspace lists %d documents, want %d", len(files), runs)
	}
}
