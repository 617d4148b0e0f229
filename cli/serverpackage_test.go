package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"smartdiag/server/servertest"
)

// TestServerPackageCommands: `smartdiag server package add` with --firms, a roster-format list
// and a text list, its errors (exit 1 with the reason, exit 2 for bad usage), and `package list`
// in text and JSON.
func TestServerPackageCommands(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	run := func(args ...string) string {
		t.Helper()
		out, errs, code := smartdiag(t, "", nil, args...)
		if code != 0 {
			t.Fatalf("smartdiag %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
		}
		return out
	}
	run("server", "org", "add", "--data", data, "--kind", "district", "--name", "江宁区")
	run("server", "org", "add", "--data", data, "--kind", "provider", "--name", "甲服务商")
	run("server", "org", "add", "--data", data, "--kind", "provider", "--name", "乙服务商")
	rosterFile := filepath.Join(dir, "名册.csv")
	os.WriteFile(rosterFile, servertest.Roster(10), 0o644)
	run("server", "roster", "--data", data, "--org", "江宁区", rosterFile)

	add := []string{"server", "package", "add", "--data", data, "--org", "江宁区"}
	out := run(append(add, "--provider", "甲服务商", "--period", "2026-03-01..2026-06-30", "--name", "第一批",
		"--firms", servertest.Code(0)+","+servertest.Code(1)+"，"+strings.ToLower(servertest.Code(2)))...)
	if !strings.Contains(out, "「第一批」") || !strings.Contains(out, "3 家企业") {
		t.Errorf("package add --firms: %s", out)
	}
	// A list of firms in the roster's own format (the office picks rows from its roster).
	list := filepath.Join(dir, "乙的企业.csv")
	var b strings.Builder
	b.WriteString("企业名称,统一社会信用代码\n")
	for i := 3; i < 6; i++ {
		fmt.Fprintf(&b, "%s,%s\n", servertest.FirmName(i), servertest.Code(i))
	}
	os.WriteFile(list, []byte(b.String()), 0o644)
	if out := run(append(add, "--provider", "乙服务商", "--period", "2026-03-01/2026-06-30", list)...); !strings.Contains(out, "乙服务商 2026-03-01～2026-06-30") || !strings.Contains(out, "3 家企业") {
		t.Errorf("package add FILE: %s", out)
	}
	txt := filepath.Join(dir, "codes.txt")
	os.WriteFile(txt, []byte("# 第三批\n"+servertest.Code(6)+"\n\n"+servertest.Code(7)+"\n"), 0o644)
	if out := run(append(add, "--provider", "甲服务商", "--period", "2026-07-01..2026-09-30", txt)...); !strings.Contains(out, "2 家企业") {
		t.Errorf("package add codes.txt: %s", out)
	}

	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--provider", "甲服务商", "--period", "2026-03-01..2026-06-30", "--firms", servertest.Code(99)}, 1, servertest.Code(99) + " 不在本区名册上"},
		{[]string{"--provider", "丙服务商", "--period", "2026-03-01..2026-06-30", "--firms", servertest.Code(8)}, 1, "找不到服务商「丙服务商」"},
		{[]string{"--provider", "甲服务商", "--period", "2026-06-30..2026-03-01", "--firms", servertest.Code(8)}, 1, "期间无效"},
		{[]string{"--provider", "甲服务商", "--period", "2026 上半年", "--firms", servertest.Code(8)}, 2, "--period"},
		{[]string{"--provider", "甲服务商", "--period", "2026-03-01..2026-06-30"}, 1, "二者选一"},
		{[]string{"--provider", "甲服务商", "--period", "2026-03-01..2026-06-30", "--firms", servertest.Code(8), txt}, 1, "二者选一"},
		{[]string{"--period", "2026-03-01..2026-06-30", "--firms", servertest.Code(8)}, 2, "--provider"},
		{[]string{"--provider", "甲服务商", "--period", "2026-03-01..2026-06-30", filepath.Join(dir, "没有.csv")}, 1, "没有.csv"},
	} {
		out, errs, code := smartdiag(t, "", nil, append(add, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("package add %v: exit %d, stderr %q; want exit %d with %q (stdout %q)", c.args, code, errs, c.code, c.want, out)
		}
	}
	if _, errs, code := smartdiag(t, "", nil, "server", "package", "add", "--data", data, "--org", "没有的区", "--provider", "甲服务商", "--period", "2026-03-01..2026-06-30", "--firms", servertest.Code(8)); code != 1 || !strings.Contains(errs, "找不到区「没有的区」") {
		t.Errorf("unknown district: %d %s", code, errs)
	}

	text := run("server", "package", "list", "--data", data)
	if lines := strings.Split(strings.TrimSpace(text), "\n"); len(lines) != 3 || !strings.Contains(lines[0], "第一批") || !strings.Contains(lines[0], "甲服务商 3 家") {
		t.Errorf("package list:\n%s", text)
	}
	var pks []struct {
		Name      string
		District  string
		Firms     int
		Providers []struct {
			Provider string
			Firms    int
		}
	}
	if err := json.Unmarshal([]byte(run("server", "package", "list", "--data", data, "--org", "江宁区", "--json")), &pks); err != nil {
		t.Fatal(err)
	}
	if len(pks) != 3 || pks[1].Providers[0].Provider != "乙服务商" || pks[1].Firms != 3 || pks[2].Firms != 2 || pks[0].District != "江宁区" {
		t.Errorf("package list --json: %+v", pks)
	}
	if _, errs, code := smartdiag(t, "", nil, "server", "package", "list", "--data", data, "--org", "没有的区"); code != 1 || !strings.Contains(errs, "找不到区") {
		t.Errorf("list of an unknown district: %d %s", code, errs)
	}
}
