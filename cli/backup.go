package cli

import (
	"fmt"
	"time"

	"smartdiag/assessment"
	"smartdiag/backup"
)

// workspaceFlag resolves --workspace the way list does: the flag, else SMARTDIAG_WORKSPACE, else
// the per-user default the desktop app uses.
func workspaceFlag(c *ctx, dir string) (string, bool) {
	if dir != "" {
		return dir, true
	}
	d, err := assessment.DefaultWorkspace()
	if err != nil {
		c.errorf("%v", err)
		return "", false
	}
	return d, true
}

func cmdBackup(c *ctx, args []string) int {
	fs := c.newFlags("backup", "--out FILE [--workspace DIR]")
	out := fs.String("out", "", "备份文件（.zip，必填）")
	dir := fs.String("workspace", "", "工作区文件夹（默认：环境变量 SMARTDIAG_WORKSPACE，或 ~/Documents/smartdiag）")
	pos, ok := parse(fs, args)
	if !ok || len(pos) > 0 || *out == "" {
		fs.Usage()
		return ExitUsage
	}
	ws, ok := workspaceFlag(c, *dir)
	if !ok {
		return ExitInput
	}
	m, err := backup.Create(ws, *out, time.Now())
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	var size int64
	for _, f := range m.Files {
		size += f.Size
	}
	fmt.Fprintf(c.stdout, "已备份工作区 %s 的 %d 个文件（%.1f MB）到 %s，已校验。\n", ws, len(m.Files), float64(size)/(1<<20), *out)
	return ExitOK
}

func cmdRestore(c *ctx, args []string) int {
	fs := c.newFlags("restore", "FILE [--workspace DIR]")
	dir := fs.String("workspace", "", "还原到的工作区文件夹（默认：环境变量 SMARTDIAG_WORKSPACE，或 ~/Documents/smartdiag）")
	pos, ok := parse(fs, args)
	if !ok || len(pos) != 1 {
		fs.Usage()
		return ExitUsage
	}
	ws, ok := workspaceFlag(c, *dir)
	if !ok {
		return ExitInput
	}
	res, err := backup.Restore(pos[0], ws, time.Now())
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	fmt.Fprintf(c.stdout, "已从 %s 还原到 %s：%s\n", pos[0], ws, res.Summary())
	return ExitOK
}
