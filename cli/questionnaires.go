package cli

import (
	"encoding/json"
	"fmt"
	"sort"

	"smartdiag/questionnaires"
	"smartdiag/regfile"
)

// questionnaireInfo is one entry of `questionnaires --json`.
type questionnaireInfo struct {
	ID       string `json:"id"`
	Version  string `json:"version"`
	Title    string `json:"title"`
	Scoring  string `json:"scoring"`
	Sections int    `json:"sections"`
	Levels   int    `json:"levels"`
	Items    int    `json:"items"`
	KPIs     int    `json:"kpis"`
	Minutes  int    `json:"duration_minutes"`
	Estimate bool   `json:"estimate"`
	SHA256   string `json:"sha256"`
}

func cmdQuestionnaires(c *ctx, args []string) int {
	fs := c.newFlags("questionnaires", "[--json]")
	asJSON := fs.Bool("json", false, "以 JSON 数组输出")
	pos, ok := parse(fs, args)
	if !ok || len(pos) > 0 {
		fs.Usage()
		return ExitUsage
	}
	all, err := questionnaires.Bundled()
	if err != nil {
		c.errorf("内置问卷有误：\n%v", err)
		return ExitInput
	}
	infos := []questionnaireInfo{}
	for _, q := range all {
		infos = append(infos, questionnaireInfo{
			ID: q.ID, Version: q.Version, Title: q.Title, Scoring: q.Scoring,
			Sections: q.SectionCount(), Levels: q.LevelCount(), Items: len(q.Items()),
			KPIs: len(q.KPIs), Minutes: q.DurationMinutes, Estimate: q.Estimate, SHA256: q.SHA256,
		})
	}
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		enc.Encode(infos)
		return ExitOK
	}
	for _, i := range infos {
		fmt.Fprintf(c.stdout, "%-12s %-8s %s（%s，%d 个分组，%d 级，%d 题，约 %d 分钟）\n",
			i.ID, i.Version, i.Title, i.Scoring, i.Sections, i.Levels, i.Items, i.Minutes)
	}
	return ExitOK
}

func cmdValidate(c *ctx, args []string) int {
	fs := c.newFlags("validate", "[FILE...]")
	hashes := fs.Bool("i18n-hashes", false, "列出内置问卷各版本每题中文的 zh 校验值（供英文译文文件使用）")
	pos, ok := parse(fs, args)
	if !ok {
		return ExitUsage
	}
	if *hashes {
		// Every version: a released version's own overlay needs the hashes of its Chinese.
		all, err := questionnaires.AllVersions()
		if err != nil {
			c.errorf("%v", err)
			return ExitInput
		}
		for _, q := range all {
			for _, l := range questionnaires.ZHHashes(q) {
				fmt.Fprintf(c.stdout, "%s %s %s\n", q.ID, q.Version, l)
			}
		}
		return ExitOK
	}
	files := map[string][]byte{}
	var names []string
	if len(pos) == 0 {
		files = questionnaires.BundledFiles()
		for n := range files {
			names = append(names, n)
		}
		sort.Strings(names)
	} else {
		for _, n := range pos {
			data, err := readInput(n)
			if err != nil {
				c.errorf("%s：无法读取：%v", n, regfile.WithoutPath(err))
				return ExitInput
			}
			files[n] = data
			names = append(names, n)
		}
	}
	bad := 0
	var parsed []*questionnaires.Questionnaire
	for _, n := range names {
		parse := questionnaires.Parse
		if len(pos) == 0 && questionnaires.IsReleasedFile(n) {
			parse = questionnaires.ParseReleased
		}
		q, problems := parse(n, files[n])
		if len(problems) > 0 {
			bad++
			for _, p := range problems {
				fmt.Fprintln(c.stderr, p)
			}
			continue
		}
		parsed = append(parsed, q)
		fmt.Fprintf(c.stdout, "%s: ok %s %s，%s，%d 个分组，%d 题（其中指标 %d）\n",
			n, q.ID, q.Version, q.Scoring, q.SectionCount(), len(q.Items()), len(q.KPIs))
	}
	// The English of the bundled questionnaires lives in the embedded overlays; a questionnaire
	// file given on the command line has none, so only the bundled set is held to it.
	if len(pos) == 0 {
		errs, warns := questionnaires.CheckEnglish(parsed, questionnaires.BundledTranslationFiles())
		for _, p := range warns {
			fmt.Fprintf(c.stderr, "%s（警告）\n", p)
		}
		for _, p := range errs {
			fmt.Fprintln(c.stderr, p)
		}
		if len(errs) > 0 {
			bad++
		} else {
			fmt.Fprintf(c.stdout, "英文译文：ok（%d 条警告）\n", len(warns))
		}
	}
	if bad > 0 {
		return ExitInput
	}
	return ExitOK
}
