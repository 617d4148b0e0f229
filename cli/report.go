package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"smartdiag/assessment"
	"smartdiag/district"
	"smartdiag/regfile"
	"smartdiag/report"
	"smartdiag/service"
)

func cmdReport(c *ctx, args []string) int {
	fs := c.newFlags("report", "FILE... [--out FILE.pdf | --out DIR] [--lang zh|en] [--peers peers.json]")
	out := fs.String("out", "", "输出文件（一个文档）或文件夹（多个文档）；默认写在文档旁边")
	peersPath := fs.String("peers", "", "区里导出的同行基准文件（tally --benchmark-out）；默认用文档所在文件夹的 peers.json，没有则用内置参照数据")
	lang := fs.String("lang", "zh", "报告语言：zh 或 en（英文报告中题目、措施与名称均为英文，企业名称与地址保持原文）")
	files, ok := parse(fs, args)
	if !ok {
		return ExitUsage
	}
	if len(files) == 0 || (*lang != "zh" && *lang != "en") {
		fs.Usage()
		return ExitUsage
	}
	// A report allocates about 50 MB and keeps little: with the default GOGC the collector ran
	// often enough to cost a third of a one-report process's CPU time.
	defer district.RaiseGC()()
	svc := c.service()
	if *peersPath != "" {
		pf, err := service.LoadPeers(*peersPath)
		if err != nil {
			c.errorf("%v", err)
			return ExitInput
		}
		svc.Peers = pf
	}
	toDir := *out != "" && (len(files) > 1 || !strings.EqualFold(filepath.Ext(*out), ".pdf"))
	if toDir {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			c.errorf("无法创建输出文件夹 %s：%v", *out, regfile.WithoutPath(err))
			return ExitInput
		}
	}
	type job struct {
		in  string
		err error
		out string
	}
	jobs := make([]job, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.NumCPU())
	for i, f := range files {
		jobs[i].in = f
		wg.Add(1)
		sem <- struct{}{}
		go func(j *job) {
			defer func() { <-sem; wg.Done() }()
			j.out, j.err = writeReport(svc, j.in, *out, toDir, *lang)
		}(&jobs[i])
	}
	wg.Wait()
	code := ExitOK
	for _, j := range jobs {
		if j.err != nil {
			c.errorf("%s：%v", j.in, j.err)
			code = ExitInput
			continue
		}
		fmt.Fprintf(c.stdout, "%s → %s\n", j.in, j.out)
	}
	return code
}

// writeReport renders one document; the PDF is written atomically, so a failed run never leaves
// a half-written report behind.
func writeReport(svc *service.Service, in, out string, toDir bool, lang string) (string, error) {
	data, err := readInput(in)
	if err != nil {
		return "", fmt.Errorf("无法读取：%v", regfile.WithoutPath(err))
	}
	d, qn, err := assessment.Open(data)
	if err != nil {
		return "", err
	}
	var dst string
	switch {
	case toDir:
		dst = filepath.Join(out, report.FileName(d))
	case out != "":
		dst = out
	default:
		dst = strings.TrimSuffix(in, filepath.Ext(in)) + ".pdf"
	}
	// The document's folder is its workspace: evidence paths are relative to it, and an earlier
	// diagnosis of the firm there gives the report its comparison page. From stdin there is none.
	dir := ""
	if in != "-" {
		dir = filepath.Dir(in)
	}
	if err := svc.WriteReportIn(qn, d, lang, dst, dir); err != nil {
		return "", err
	}
	return dst, nil
}
