package cli

import (
	"flag"
	"fmt"
	"path/filepath"

	"smartdiag/assessment"
	"smartdiag/demo"
	"smartdiag/questionnaires"
	"smartdiag/service"
)

func cmdDemo(c *ctx, args []string) int {
	fs := c.newFlags("demo", "--out DIR [--count N] [--seed S] [--questionnaire ID] [--roster FILE [--coverage 0.6]] [--profile FILE] [--seal]")
	out := fs.String("out", "", "输出文件夹（必填）")
	count := fs.Int("count", 20, "生成份数")
	seed := fs.Uint64("seed", 1, "随机种子：相同种子生成相同文件")
	qid := fs.String("questionnaire", "cmmm-full", "问卷 id")
	roster := fs.String("roster", "", "从名册（.xlsx 或 .csv）抽取企业生成诊断，得到一个逼真的区县（此时不用 --count）")
	coverage := fs.Float64("coverage", 0.6, "与 --roster 一起：已诊断企业占名册的比例（0–1）")
	profilePath := fs.String("profile", "", "区县画像 YAML（街道、企业类别、地址）；默认内置江宁区")
	sealDocs := fs.Bool("seal", false, "用示例服务商的密钥封存（给出 --roster 时默认封存，--seal=false 则不封存）")
	pos, ok := parse(fs, args)
	if !ok {
		return ExitUsage
	}
	if *out == "" || len(pos) > 0 || *count < 0 || *coverage < 0 || *coverage > 1 {
		fs.Usage()
		return ExitUsage
	}
	q, err := questionnaires.Lookup(*qid, "")
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	district, code := loadProfile(c, *profilePath)
	if code != ExitOK {
		return code
	}
	sealSet := false
	fs.Visit(func(f *flag.Flag) { sealSet = sealSet || f.Name == "seal" })
	if *roster != "" {
		return demoFromRoster(c, *out, *roster, *coverage, *seed, q, district, *sealDocs || !sealSet)
	}
	docs, err := demo.Generate(demo.Options{Count: *count, Seed: *seed, Questionnaire: q, District: district})
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	ws, err := assessment.OpenWorkspace(*out)
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	levels := map[int]int{}
	for _, d := range docs {
		levels[assessment.Score(q, d).Level]++
	}
	help, code := saveDemo(c, ws, docs, *sealDocs)
	if code != ExitOK {
		return code
	}
	fmt.Fprintf(c.stdout, "已生成 %d 份示例诊断（问卷 %s %s）到 %s\n", len(docs), q.ID, q.Version, filepath.Clean(*out))
	fmt.Fprint(c.stdout, "等级分布：")
	for l := 0; l <= q.LevelCount(); l++ {
		fmt.Fprintf(c.stdout, "%s %d  ", q.LevelName(l), levels[l])
	}
	fmt.Fprintln(c.stdout)
	fmt.Fprint(c.stdout, help)
	return ExitOK
}

// loadProfile reads the district profile given with --profile; none is the bundled one.
func loadProfile(c *ctx, path string) (*questionnaires.District, int) {
	d, err := service.LoadProfile(path)
	if err != nil {
		c.errorf("%v", err)
		return nil, ExitInput
	}
	return d, ExitOK
}
