package cli

import (
	"fmt"
	"path/filepath"

	"smartdiag/assessment"
	"smartdiag/demo"
	"smartdiag/questionnaires"
)

func cmdDemo(c *ctx, args []string) int {
	fs := c.newFlags("demo", "--out DIR [--count N] [--seed S] [--questionnaire ID]")
	out := fs.String("out", "", "输出文件夹（必填）")
	count := fs.Int("count", 20, "生成份数")
	seed := fs.Uint64("seed", 1, "随机种子：相同种子生成相同文件")
	qid := fs.String("questionnaire", "cmmm-full", "问卷 id")
	pos, ok := parse(fs, args)
	if !ok {
		return ExitUsage
	}
	if *out == "" || len(pos) > 0 || *count < 0 {
		fs.Usage()
		return ExitUsage
	}
	q, err := questionnaires.Lookup(*qid, "")
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	docs, err := demo.Generate(demo.Options{Count: *count, Seed: *seed, Questionnaire: q})
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
		if err := ws.Save(d); err != nil {
			c.errorf("%v", err)
			return ExitInput
		}
		levels[assessment.Score(q, d).Level]++
	}
	fmt.Fprintf(c.stdout, "已生成 %d 份示例诊断（问卷 %s %s）到 %s\n", len(docs), q.ID, q.Version, filepath.Clean(*out))
	fmt.Fprint(c.stdout, "等级分布：")
	for l := 0; l <= q.LevelCount(); l++ {
		fmt.Fprintf(c.stdout, "%s %d  ", q.LevelName(l), levels[l])
	}
	fmt.Fprintln(c.stdout)
	return ExitOK
}
