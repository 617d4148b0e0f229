package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"

	"smartdiag/assessment"
	"smartdiag/questionnaires"
	"smartdiag/regfile"
)

func cmdScore(c *ctx, args []string) int {
	fs := c.newFlags("score", "FILE... [--json]")
	asJSON := fs.Bool("json", false, "以 JSON 输出（一个文件一个对象；多个文件时每行一个对象）")
	files, ok := parse(fs, args)
	if !ok {
		return ExitUsage
	}
	if len(files) == 0 {
		fs.Usage()
		return ExitUsage
	}
	code := ExitOK
	for _, f := range files {
		data, err := readInput(f)
		if err != nil {
			c.errorf("%s：无法读取：%v", f, regfile.WithoutPath(err))
			code = ExitInput
			continue
		}
		d, q, err := assessment.Open(data)
		if err != nil {
			c.errorf("%s：%v", f, err)
			code = ExitInput
			continue
		}
		r := assessment.Score(q, d)
		if d.Status != assessment.StatusDraft && !r.Complete {
			// A finished or sealed document must have every required item: its score is not a
			// preview but a result someone may rely on.
			c.errorf("%s：文档状态为「%s」，但还有 %d 道必答题未回答（%s）；结果不可用", f, d.Status, len(r.Missing), strings.Join(r.Missing[:min(len(r.Missing), 5)], "、"))
			code = ExitInput
		}
		if *asJSON {
			enc := json.NewEncoder(c.stdout)
			enc.SetEscapeHTML(false)
			if len(files) == 1 {
				enc.SetIndent("", "  ")
			}
			enc.Encode(r)
			continue
		}
		if len(files) > 1 {
			fmt.Fprintf(c.stdout, "== %s\n", f)
		}
		printSummary(c.stdout, q, d, r)
	}
	return code
}

// printSummary writes the readable Chinese summary of a score.
func printSummary(w io.Writer, q *questionnaires.Questionnaire, d *assessment.Document, r *assessment.Result) {
	fmt.Fprintf(w, "企业：%s（%s）\n", d.Enterprise.Name, d.Enterprise.CreditCode)
	fmt.Fprintf(w, "问卷：%s（%s %s）\n", q.Title, q.ID, q.Version)
	status := map[string]string{assessment.StatusDraft: "草稿", assessment.StatusFinished: "已完成", assessment.StatusSealed: "已封存"}[d.Status]
	if !r.Complete {
		status += fmt.Sprintf("，尚有 %d 道必答题未答（按不满足计分）", len(r.Missing))
	}
	fmt.Fprintf(w, "状态：%s；已答 %d / %d 题\n", status, r.Answered, r.Relevant)
	est := ""
	if r.Estimate {
		est = "（估算）"
	}
	if r.AI != nil {
		printAISummary(w, q, r)
	} else if q.Scoring == questionnaires.ScoringCMMM {
		fmt.Fprintf(w, "成熟度等级%s：%s，得分 %.2f / %.0f\n", est, r.LevelName, r.Score, r.MaxScore)
		var parts []string
		for i, t := range r.LevelScores {
			parts = append(parts, fmt.Sprintf("%s %.2f", q.CMMM.Levels[i].Name, t))
		}
		fmt.Fprintf(w, "各级得分（达标线 %.2f）：%s\n", q.CMMM.Threshold, strings.Join(parts, "  "))
		fmt.Fprintln(w, "能力域得分（0–5）：")
		for _, dm := range r.Domains {
			fmt.Fprintf(w, "  %s %.2f（%s）\n", padRight(dm.Name, 10), dm.Score, q.LevelShortName(dm.Level))
		}
	} else {
		fmt.Fprintf(w, "等级%s：%s，得分 %.1f / %.0f\n", est, r.LevelName, r.Score, r.MaxScore)
		for _, s := range r.Domains {
			if s.Max > 0 {
				fmt.Fprintf(w, "  %s %.1f / %.0f\n", padRight(s.Name, 12), s.Score, s.Max)
			}
		}
		if len(r.Scenarios) > 0 {
			n := map[int]int{}
			for _, lv := range r.Scenarios {
				n[lv]++
			}
			fmt.Fprintf(w, "数字化经营场景：一级及以上 %d 个，二级及以上 %d 个，三级及以上 %d 个，四级 %d 个\n",
				n[1]+n[2]+n[3]+n[4], n[2]+n[3]+n[4], n[3]+n[4], n[4])
		}
	}
	fmt.Fprintf(w, "智改数转网联指数（0–100）：")
	for _, t := range questionnaires.Tracks {
		fmt.Fprintf(w, "%s %.1f  ", t, r.Tracks[t])
	}
	fmt.Fprintln(w)
}

// padRight pads s with spaces to width terminal columns, counting CJK characters as two.
func padRight(s string, width int) string {
	w := 0
	for _, r := range s {
		w++
		if unicode.Is(unicode.Han, r) || r >= 0xFF00 && r <= 0xFFEF || r >= 0x3000 && r <= 0x303F {
			w++
		}
	}
	if w >= width {
		return s
	}
	return s + strings.Repeat(" ", width-w)
}
