// Package cli implements smartdiag's headless subcommands. The desktop app and these commands call
// the same domain functions; nothing here needs a display.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"smartdiag/regfile"
	"smartdiag/seal"
)

// Exit codes of every subcommand.
const (
	ExitOK    = 0
	ExitInput = 1 // bad input: the message names the file and what is wrong
	ExitUsage = 2
)

// Version and Commit are stamped at build time with -ldflags.
var (
	Version = "0.1.0-dev"
	Commit  = ""
)

type command struct {
	summary string
	run     func(c *ctx, args []string) int
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"version":        {"显示版本", cmdVersion},
		"questionnaires": {"列出内置问卷 [--json]", cmdQuestionnaires},
		"validate":       {"检查问卷文件 [FILE...]（不给文件则检查内置问卷）", cmdValidate},
		"demo":           {"生成示例诊断 --out DIR [--count N] [--seed S] [--questionnaire ID]", cmdDemo},
		"score":          {"为诊断文档评分 FILE... [--json]", cmdScore},
		"plan":           {"改进计划：项目、投资区间与按建议顺序的措施 FILE [--json] [--lang zh|en]", cmdPlan},
		"list":           {"列出工作区中的诊断 [--workspace DIR] [--json]", cmdList},
		"report":         {"生成 PDF 报告 FILE... [--out FILE.pdf | --out DIR] [--lang zh|en]", cmdReport},
		"key":            {"签名密钥：首次使用时创建，显示指纹，写出公钥文件 [--out FILE] [--name 姓名 --org 单位]", cmdKey},
		"seal":           {"封存已完成的诊断文档（就地改写）FILE...", cmdSeal},
		"verify":         {"检查封存文档的签名和签名者 FILE... [--json]", cmdVerify},
		"trust":          {"区工信局的信任列表 " + trustUsage, cmdTrust},
		"import":         {"把服务商交来的诊断导入区工作区（核验封印，去重）" + importUsage, cmdImport},
		"tally":          {"统计覆盖进度、等级分布，导出 Excel 和 PDF 简报 " + tallyUsage, cmdTally},
		"serve":          {"运行区级服务器 " + serveUsage, cmdServe},
		"server":         {"区级服务器的设置（机构、用户、名册、令牌）" + "：org add | user add | roster | token add", cmdServer},
		"sync":           {"把封存的诊断交给区级服务器，取回审核状态和分派 " + syncUsage, cmdSync},
		"backup":         {"把整个工作区备份到一个文件（带校验清单）--out FILE [--workspace DIR]", cmdBackup},
		"restore":        {"从备份文件还原工作区（先校验；不覆盖较新的文档）FILE [--workspace DIR]", cmdRestore},
		"help":           {"显示帮助", nil},
	}
}

// ctx carries the output streams of one invocation.
type ctx struct {
	stdout, stderr io.Writer
}

func (c *ctx) errorf(format string, args ...any) {
	fmt.Fprintf(c.stderr, "smartdiag: "+format+"\n", args...)
}

// Main runs a subcommand and returns its exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	c := &ctx{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		usage(stderr)
		return ExitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "--help", "-help":
		usage(stdout)
		return ExitOK
	case "-v", "--version":
		name = "version"
	}
	cmd, ok := commands[name]
	if !ok || cmd.run == nil {
		c.errorf("未知命令 %q", name)
		usage(stderr)
		return ExitUsage
	}
	return cmd.run(c, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "用法：smartdiag [命令] [参数]    不带命令时打开桌面程序。")
	fmt.Fprintln(w, "Usage: smartdiag [command] [flags]   With no command the desktop app opens.")
	fmt.Fprintln(w, "\n命令：")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-15s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\n退出码：0 成功，1 输入有误，2 用法错误。")
}

// newFlags makes a flag set whose errors go to stderr and return instead of exiting.
func (c *ctx) newFlags(name, argsUsage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "用法：smartdiag %s %s\n", name, argsUsage)
		fs.PrintDefaults()
	}
	return fs
}

// parse lets flags stand before, between or after positional arguments ("score FILE --json" and
// "score --json FILE" both work); "--" ends flag parsing. It returns the positional arguments, or
// ok=false after printing the error.
func parse(fs *flag.FlagSet, args []string) (pos []string, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, false
			}
			return nil, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, true
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func cmdVersion(c *ctx, args []string) int {
	fs := c.newFlags("version", "")
	if _, ok := parse(fs, args); !ok {
		return ExitUsage
	}
	v := Version
	if Commit != "" {
		v += " (" + Commit + ")"
	}
	fmt.Fprintf(c.stdout, "smartdiag %s\n", v)
	return ExitOK
}

// readInput reads a document argument; "-" is standard input. Only regular files are read (a
// FIFO or device is refused at once) and no more than seal.MaxDocumentSize.
func readInput(name string) ([]byte, error) {
	if name == "-" {
		return regfile.ReadAll(io.LimitReader(os.Stdin, seal.MaxDocumentSize+1), "标准输入", 0, seal.MaxDocumentSize, nil)
	}
	return regfile.ReadFile(name, seal.MaxDocumentSize)
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
