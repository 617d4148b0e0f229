package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"smartdiag/assessment"
	q "smartdiag/questionnaires"
	"smartdiag/regfile"
)

func cmdPlan(c *ctx, args []string) int {
	fs := c.newFlags("plan", "FILE [--json] [--lang zh|en]")
	asJSON := fs.Bool("json", false, "以 JSON 输出改进计划（措施按建议顺序，附项目与指标提示）")
	lang := fs.String("lang", "zh", "文字语言：zh 或 en（问卷尚无英文的措施保持中文）")
	files, ok := parse(fs, args)
	if !ok {
		return ExitUsage
	}
	if len(files) != 1 || (*lang != "zh" && *lang != "en") {
		fs.Usage()
		return ExitUsage
	}
	f := files[0]
	data, err := readInput(f)
	if err != nil {
		c.errorf("%s：无法读取：%v", f, regfile.WithoutPath(err))
		return ExitInput
	}
	d, qn, p, err := assessment.PlanOf(data, q.BundledDistrict())
	if err != nil {
		c.errorf("%s：%v", f, err)
		return ExitInput
	}
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(p)
		return ExitOK
	}
	printPlan(c.stdout, qn, d, p, *lang)
	return ExitOK
}

// printPlan writes the readable plan: projects in sequence with their ranges and totals, KPI notes,
// then every action in recommended order with its computed gain.
func printPlan(w io.Writer, qn *q.Questionnaire, d *assessment.Document, p *assessment.Plan, lang string) {
	en := lang == "en"
	tr := func(zh, e string) string {
		if en {
			return e
		}
		return zh
	}
	level := func(l int) string {
		if en {
			if l == 0 {
				return "below level 1"
			}
			return fmt.Sprintf("level %d", l)
		}
		return qn.LevelShortName(l)
	}
	cat := q.BundledProjects()
	fmt.Fprintf(w, tr("企业：%s（%s）\n", "Enterprise: %s (%s)\n"), d.Enterprise.Name, d.Enterprise.CreditCode)
	fmt.Fprintf(w, tr("问卷：%s（%s %s）\n", "Questionnaire: %s (%s %s)\n"), tr(qn.Title, nonEmpty(qn.TitleEN, qn.Title)), qn.ID, qn.Version)
	fmt.Fprintf(w, tr("当前等级：%s；目标等级：%s\n", "Current level: %s; target: %s\n"), level(p.CurrentLevel), level(p.TargetLevel))
	band := tr("规模未知（缺少从业人员和营业收入），投资取各规模档的全距", "size unknown (no staff or revenue): investment spans all size bands")
	for _, b := range cat.SizeBands.Bands {
		if b.Key == p.SizeBand {
			band = tr(b.Name+"企业（按"+cat.SizeBands.Source+"）", b.NameEN+" firm ("+cat.SizeBands.SourceEN+")")
		}
	}
	fmt.Fprintf(w, tr("企业规模：%s\n", "Firm size: %s\n"), band)

	fmt.Fprintf(w, tr("\n改进项目（%d 个，按建议顺序）：\n", "\nProjects (%d, in recommended order):\n"), len(p.Projects))
	for _, pp := range p.Projects {
		gain := tr(fmt.Sprintf("等级得分提升合计 %.3f", pp.Gain), fmt.Sprintf("level-score gain %.3f", pp.Gain))
		switch {
		case qn.AI != nil:
			// An AI action's gain is stage steps or a points share: their sum means nothing, so
			// the project says how many AI scenarios it moves a stage on.
			n := 0
			for _, id := range pp.Actions {
				if it, ok := qn.Item(id); ok && it.Type == q.TypeScenario {
					n++
				}
			}
			gain = tr(fmt.Sprintf("AI场景下一步 %d 个", n), fmt.Sprintf("%d AI scenario step(s)", n))
		case qn.Scoring == q.ScoringPoints:
			gain = tr(fmt.Sprintf("可得分合计 %s", trimNum(pp.Gain)), fmt.Sprintf("gain %s", trimNum(pp.Gain)))
		}
		fmt.Fprintf(w, "%2d. %s  [%s]\n", pp.Seq, tr(pp.Name, pp.NameEN), pp.ID)
		fmt.Fprintf(w, tr("    %s起步；工期 %d–%d 个月；投资 %s–%s 万元（%s）；措施 %d 条；%s\n",
			"    starts %s; %d–%d months; investment %s–%s (10k yuan, %s); %d actions; %s\n"),
			assessment.PhaseName(pp.Phase, lang), pp.Months[0], pp.Months[1], trimNum(pp.InvestmentWan[0]), trimNum(pp.InvestmentWan[1]),
			tr(pp.Tag, "estimate"), len(pp.Actions), gain)
		fmt.Fprintf(w, tr("    预期效益：%s\n", "    Benefits: %s\n"), tr(pp.Benefits, pp.BenefitsEN))
		fmt.Fprintf(w, tr("    服务商：%s\n", "    Provider: %s\n"), tr(pp.Provider, pp.ProviderEN))
		if len(pp.Prerequisites) > 0 {
			fmt.Fprintf(w, tr("    前置项目：%s\n", "    Builds on: %s\n"), strings.Join(pp.Prerequisites, ", "))
		}
		if len(pp.Scenarios) > 0 {
			all := q.Scenarios()
			var names []string
			for _, s := range pp.Scenarios {
				names = append(names, s+" "+all[s].NameIn(lang))
			}
			fmt.Fprintf(w, tr("    典型场景：%s\n", "    Typical scenarios: %s\n"), strings.Join(names, tr("、", ", ")))
		}
	}
	fmt.Fprintf(w, tr("投资合计：%s–%s 万元（估算）。", "Total investment: %s–%s (10k yuan, estimate). "),
		trimNum(p.Investment[0]), trimNum(p.Investment[1]))
	if sub := p.Subsidy; sub != nil {
		var names []string
		for _, id := range sub.Policies {
			for _, pr := range p.Policies {
				if pr.ID == id {
					names = append(names, pr.TitleIn(lang))
				}
			}
		}
		fmt.Fprintf(w, tr("扣除已满足条件的补贴（%s，最多 %s 万元）后：%s–%s 万元。\n", "Net of eligible subsidies (%s, at most %s): %s–%s.\n"),
			strings.Join(names, tr("、", ", ")), rangeText(sub.Wan), trimNum(sub.Net[0]), trimNum(sub.Net[1]))
	} else {
		fmt.Fprintln(w, tr("尚无已满足条件的补贴政策，不给出扣除补贴后的金额。", "Net of subsidies: none given, as no subsidy eligibility is established."))
	}

	if len(p.Notes) > 0 {
		fmt.Fprintln(w, tr("\n指标提示（请核对）：", "\nKPI notes (please check):"))
		for _, n := range p.Notes {
			fmt.Fprintf(w, "  - [%s] %s\n", strings.Join(n.Items, ","), n.Message(lang))
		}
	}

	fmt.Fprintln(w, tr("\n改进措施（按建议顺序）：", "\nActions (in recommended order):"))
	tiers := map[string][2]string{
		assessment.TierFoundation: {"短板", "weak spot"}, assessment.TierNext: {"下一级", "next level"},
		assessment.TierConsolidate: {"巩固", "consolidate"}, assessment.TierBeyond: {"远期", "long term"},
		assessment.TierCustom: {"顾问补充", "consultant"},
	}
	for _, a := range p.Actions {
		if a.Excluded {
			continue
		}
		id := a.ItemID
		if id == "" {
			id = a.CustomID
		}
		t := tiers[a.Tier]
		gain := ""
		switch {
		case a.Tier == assessment.TierCustom:
		case qn.AI != nil:
			// The stage step or the points now: an AI action's Level is the scenario's next stage,
			// not a level of the firm.
			gain = a.Reason(lang)
		case qn.Scoring == q.ScoringPoints:
			gain = tr("可得 "+trimNum(a.Gain), "gain "+trimNum(a.Gain))
		default:
			gain = tr(fmt.Sprintf("%s得分 +%.3f", level(a.Level), a.Gain), fmt.Sprintf("%s score +%.3f", level(a.Level), a.Gain))
		}
		lv := "—" // points items count toward the total, not a level
		if a.Level > 0 {
			lv = level(a.Level)
			if qn.AI != nil {
				lv = tr(qn.AI.AIStageName(a.Level), qn.AI.Stages[min(a.Level, len(qn.AI.Stages))-1].NameEN)
			}
		}
		fmt.Fprintf(w, "%3d. %s %s | %s | %s | %s | %s | %s\n", a.Rank, id, a.GroupIn(lang), tr(t[0], t[1]), lv, gain,
			assessment.PhaseName(a.Phase, lang), a.Project)
		fmt.Fprintf(w, "     %s\n", a.TextIn(lang))
	}
}

func nonEmpty(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// trimNum prints a number without trailing zeros.
func trimNum(x float64) string {
	s := fmt.Sprintf("%.2f", x)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// rangeText prints a [low, high] amount, one figure when both ends are equal.
func rangeText(v [2]float64) string {
	if trimNum(v[0]) == trimNum(v[1]) {
		return trimNum(v[0])
	}
	return trimNum(v[0]) + "–" + trimNum(v[1])
}
