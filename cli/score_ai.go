package cli

import (
	"fmt"
	"io"
	"strings"

	"smartdiag/assessment"
	"smartdiag/questionnaires"
	"smartdiag/tally"
)

// printAISummary writes the AI part of a score: overall and per-area AI level, readiness, the AI
// scenario share against its reference thresholds, and the scenarios that already use AI.
func printAISummary(w io.Writer, q *questionnaires.Questionnaire, r *assessment.Result) {
	ai := r.AI
	fmt.Fprintf(w, "AI应用等级（参照）：%s；基础与治理得分率 %.0f%%\n", ai.LevelName, 100*ai.Foundation)
	fmt.Fprintln(w, "各领域：")
	for _, a := range ai.Areas {
		fmt.Fprintf(w, "  %s %s  准备度 %3.0f%%  已建场景 %d，应用AI %d\n", padRight(a.Name, 10), padRight(q.LevelShortName(a.Level), 8), 100*a.Readiness, a.Built, a.UsingAI)
	}
	share := "无已建场景"
	if ai.Built > 0 {
		share = fmt.Sprintf("%.0f%%（%d / %d）", 100*ai.Share, ai.UsingAI, ai.Built)
	}
	var targets []string
	for _, t := range ai.ShareTargets {
		mark := "未达"
		if t.Met {
			mark = "达到"
		}
		targets = append(targets, fmt.Sprintf("%s≥%.0f%% %s", t.Name, 100*t.MinShare, mark))
	}
	fmt.Fprintf(w, "AI场景占比：%s；参照门槛：%s\n", share, strings.Join(targets, "，"))
	// The stage just below "uses AI" (the pilot) is worth listing too: it is what comes next.
	from := max(1, q.AI.UsesAIFrom-1)
	var using []string
	for _, s := range ai.Scenarios {
		if s.Stage >= from {
			it, _ := q.Item(s.ID)
			using = append(using, fmt.Sprintf("  %s %s（%s）", s.ID, s.StageName, shortText(it.Text)))
		}
	}
	if len(using) > 0 {
		fmt.Fprintf(w, "%s及以上的AI场景：\n", q.AI.AIStageName(from))
		fmt.Fprintln(w, strings.Join(using, "\n"))
	}
}

// shortText cuts an item text at its first full-width bracket, leaving the scenario's name.
func shortText(s string) string {
	if i := strings.Index(s, "（"); i > 0 {
		return s[:i]
	}
	return s
}

// printAITally writes the AI level distribution of a tally; nothing when no diagnosis is on an ai
// questionnaire.
func printAITally(w io.Writer, ai *tally.AITally) {
	if ai == nil {
		return
	}
	line := func(levels map[string]int) string {
		var parts []string
		for l, name := range ai.LevelNames {
			parts = append(parts, fmt.Sprintf("%s %d", name, levels[fmt.Sprint(l)]))
		}
		return strings.Join(parts, "  ")
	}
	fmt.Fprintf(w, "AI应用等级（参照，%d 家）：%s；平均AI场景占比 %.0f%%\n", ai.N, line(ai.Levels), 100*ai.MeanShare)
	for _, groups := range [][]tally.AIGroup{ai.ByCategory, ai.ByStreet} {
		for _, g := range groups {
			fmt.Fprintf(w, "  %s（%d 家）：%s\n", g.Name, g.N, line(g.Levels))
		}
	}
}
