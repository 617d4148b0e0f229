package district_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"smartdiag/district"
)

// TestHelperImportProcess is not a test: run by TestTwoImportProcesses in a child process, it
// imports $SMARTDIAG_TEST_SRC into $SMARTDIAG_TEST_DST.
func TestHelperImportProcess(t *testing.T) {
	src, dst := os.Getenv("SMARTDIAG_TEST_SRC"), os.Getenv("SMARTDIAG_TEST_DST")
	if src == "" {
		t.Skip("helper process")
	}
	if _, err := district.Import(dst, []string{src}, trusted, nil); err != nil {
		t.Fatal(err)
	}
}

// Item 6 across processes: two import processes into one folder at once run one after the other
// (the folder lock), so every document lands and the log's blocks do not interleave.
func TestTwoImportProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dst := t.TempDir()
	var cmds []*exec.Cmd
	for i := range 2 {
		src := t.TempDir()
		for j := range 5 {
			data, _ := sealed(t, j, 1100+10*i+j, recent(3), "甲服务商")
			write(t, src, "d"+string(rune('a'+j))+".sdiag", data)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperImportProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), "SMARTDIAG_TEST_SRC="+src, "SMARTDIAG_TEST_DST="+dst)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	text, _ := os.ReadFile(filepath.Join(dst, district.ImportLogName))
	open, imported := false, 0
	for _, line := range strings.Split(string(text), "\n") {
		switch {
		case strings.Contains(line, "开始导入"):
			if open {
				t.Fatalf("two processes' imports interleaved:\n%s", text)
			}
			open = true
		case strings.Contains(line, "导入完成"):
			open = false
		case strings.Contains(line, "\t已导入\t"):
			imported++
		}
	}
	docs, _ := filepath.Glob(filepath.Join(dst, "*.sdiag"))
	if imported != 10 || len(docs) != 10 {
		t.Fatalf("%d logged, %d stored:\n%s", imported, len(docs), text)
	}
}
