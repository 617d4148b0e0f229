package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"smartdiag/assessment"
	"smartdiag/regfile"
	"smartdiag/seal"
	"smartdiag/service"
	"smartdiag/tally"
)

// outList collects repeated --out flags.
type outList []string

func (o *outList) String() string     { return strings.Join(*o, ",") }
func (o *outList) Set(s string) error { *o = append(*o, s); return nil }

const tallyUsage = "[--roster FILE] [--profile FILE] [--out tally.xlsx | tally.pdf] [--benchmark-out peers.json] [--json] PATH..."

func cmdTally(c *ctx, args []string) int {
	fs := c.newFlags("tally", tallyUsage)
	rosterPath := fs.String("roster", "", "区里的重点企业名册（.xlsx 或 .csv）；不给则只统计已诊断数")
	profilePath := fs.String("profile", "", "区县画像 YAML（格式同内置的江宁区画像）；默认内置江宁区")
	var outs outList
	fs.Var(&outs, "out", "导出 Excel（.xlsx）或 PDF 简报（.pdf）；可给多次")
	asJSON := fs.Bool("json", false, "以 JSON 输出统计结果")
	benchOut := fs.String("benchmark-out", "", "导出匿名同行基准（按行业大类与企业规模的等级和得分计数，不含任何企业信息），供诊断报告作同行对比")
	paths, ok := parse(fs, args)
	if !ok {
		return ExitUsage
	}
	if len(paths) == 0 {
		fs.Usage()
		return ExitUsage
	}
	for _, o := range outs {
		if !service.CanExport(o) {
			c.errorf("--out %s：%v", o, service.ErrExportType)
			return ExitUsage
		}
	}
	district, code := loadProfile(c, *profilePath)
	if code != ExitOK {
		return code
	}
	trust, err := seal.OpenTrustList()
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	progress, done := c.progress("统计")
	res, err := c.service().Tally(service.TallyRequest{Paths: paths, RosterPath: *rosterPath, District: district, Trust: trust, Progress: progress})
	done()
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	for _, o := range outs {
		if err := service.ExportTally(res, o); err != nil {
			c.errorf("%s：%v", o, err)
			return ExitInput
		}
	}
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			c.errorf("%v", err)
			return ExitInput
		}
	} else {
		printTally(c.stdout, res, len(trust.Keys))
	}
	if *benchOut != "" {
		data, err := res.PeerBenchmark().Encode()
		if err == nil {
			err = assessment.WriteFileAtomicDir(*benchOut, data)
		}
		if err != nil {
			c.errorf("%s：%v", *benchOut, regfile.WithoutPath(err))
			return ExitInput
		}
		outs = append(outs, *benchOut)
	}
	for _, o := range outs {
		fmt.Fprintf(c.stderr, "已导出：%s\n", o)
	}
	return ExitOK
}

// progress returns a progress callback that redraws one line on stderr when it is a terminal,
// and the function to call when done.
func (c *ctx) progress(what string) (func(done, total int), func()) {
	f, ok := c.stderr.(*os.File)
	if !ok {
		return nil, func() {}
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil, func() {}
	}
	var mu sync.Mutex
	last := time.Time{}
	shown := false
	return func(done, total int) {
			mu.Lock()
			defer mu.Unlock()
			if done < total && time.Since(last) < 150*time.Millisecond {
				return
			}
			last, shown = time.Now(), true
			fmt.Fprintf(f, "\r%s：%d / %d 个文件（%.0f%%）", what, done, total, 100*float64(done)/float64(max(total, 1)))
		}, func() {
			mu.Lock()
			defer mu.Unlock()
			if shown {
				fmt.Fprint(f, "\r\033[K")
			}
		}
}

func covLine(c tally.Cov) string {
	if c.Target != nil && c.Rate != nil {
		return fmt.Sprintf("%d / %d 家（%.1f%%）", c.Diagnosed, *c.Target, 100**c.Rate)
	}
	if c.Target != nil {
		return fmt.Sprintf("%d / %d 家", c.Diagnosed, *c.Target)
	}
	return fmt.Sprintf("已诊断 %d 家", c.Diagnosed)
}

// printTally writes the Chinese summary of a tally.
func printTally(w io.Writer, res *tally.Result, trustedKeys int) {
	fmt.Fprintf(w, "%s 智改数转网联诊断统计（截至 %s）\n", res.District, res.AsOf)
	if r := res.Roster; r != nil {
		fmt.Fprintf(w, "名册：%s，%d 行：有效 %d，无效 %d，重复 %d\n", filepath.Base(r.File), r.Rows, r.Valid, len(r.Invalid), len(r.Duplicates))
		for _, p := range r.Invalid {
			fmt.Fprintf(w, "  第 %d 行无效：%s\n", p.Row, p.Reason)
		}
		for _, p := range r.Duplicates {
			fmt.Fprintf(w, "  第 %d 行重复：信用代码 %s 与第 %d 行相同\n", p.Row, p.CreditCode, p.FirstRow)
		}
	} else {
		fmt.Fprintln(w, "未给名册（--roster）：只统计已诊断数，没有目标和覆盖率。")
	}
	d := res.Diagnoses
	fmt.Fprintf(w, "诊断文件 %d 个：有效 %d，计入企业 %d 家（较早诊断 %d，被修订替代 %d，重复文件 %d），未计入 %d 个\n",
		d.Files, d.Valid, d.Counted, d.Earlier, d.Superseded, d.Copies, len(d.Rejected))
	if d.Demo > 0 {
		// Issue 11 item 3: demo data is labelled wherever it is shown, as in the brief and Excel.
		fmt.Fprintf(w, "  注意：其中 %d 份由演示密钥签名，是%s，不是正式诊断；正式统计前请从信任列表中移除演示密钥。\n", d.Demo, seal.DemoLabel)
	}
	for _, r := range d.Rejected {
		fmt.Fprintf(w, "  未计入 %s：%s（%s）\n", r.File, r.Reason, r.Status)
	}
	if trustedKeys == 0 && len(d.Rejected) > 0 {
		fmt.Fprintln(w, "  提示：信任列表为空，所有诊断都不会计入；请用 smartdiag trust add 加入服务商的公钥文件。")
	}
	if n := len(d.Duplicates); n > 0 {
		fmt.Fprintf(w, "诊断了不止一次的企业：%d 家（只计最新一份）\n", n)
	}
	fmt.Fprintf(w, "覆盖：%s\n", covLine(res.Coverage.Total))
	for _, c := range res.CategoryRows() {
		fmt.Fprintf(w, "  %s：%s\n", c.Name, covLine(c.Cov))
	}
	fmt.Fprintln(w, "按街道：")
	for _, c := range res.StreetRows() {
		fmt.Fprintf(w, "  %s：%s\n", c.Name, covLine(c.Cov))
	}
	fmt.Fprintln(w, "按服务商：")
	for _, name := range res.ProviderRows() {
		p := res.Coverage.ByProvider[name]
		fmt.Fprintf(w, "  %s：计入 %d 家，未计入文件 %d 个\n", name, p.Counted, p.Rejected)
	}
	fmt.Fprint(w, "成熟度等级：")
	for l := range res.LevelNames {
		fmt.Fprintf(w, "%s %d  ", res.LevelLabel(l), res.Levels[fmt.Sprint(l)])
	}
	fmt.Fprintln(w)
	printAITally(w, res.AI)
	for _, t := range res.Tracks {
		fmt.Fprintf(w, "%s指数：平均 %.1f，中位数 %.1f，≥%.0f 的企业 %.1f%%\n", t.Track, t.Mean, t.Median, res.TrackThreshold, 100*t.Share)
	}
	if f := res.Forecast; f != nil {
		switch {
		case f.Remaining <= 0:
			fmt.Fprintf(w, "已实现全覆盖（%s）。\n", f.CompleteOn)
		case f.Date == "":
			fmt.Fprintf(w, "近 %d 天没有新增覆盖，按目前进度无法预计完成日期；截止日期 %s。\n", f.WindowDays, f.Deadline)
		default:
			fmt.Fprintf(w, "按近 %d 天的进度（每月约 %.1f 家），预计 %s 实现全覆盖；截止日期 %s", f.WindowDays, f.PacePerMonth, f.Date, f.Deadline)
			if f.DaysLateOrEarly != nil && *f.DaysLateOrEarly > 0 {
				fmt.Fprintf(w, "，晚 %d 天", *f.DaysLateOrEarly)
			}
			fmt.Fprintln(w, "。")
		}
	}
	if res.Roster != nil {
		fmt.Fprintf(w, "未诊断企业 %d 家，名册外已诊断企业 %d 家（明细见 --out 导出的 Excel）。\n", len(res.NotDiagnosed), len(res.OffRoster))
	}
}
