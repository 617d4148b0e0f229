package assessment

import (
	"fmt"
	"sort"

	q "smartdiag/questionnaires"
)

// aiGaps plans an ai questionnaire: first the foundations (firm-wide governance, each area's data,
// effect and people), then the next AI stage of each scenario the firm has built, never earlier
// than the data foundations of its area; a few new pilots per phase (a factory that pilots a dozen
// AI scenarios at once finishes none of them). The phase rules, the readiness share and the pilot
// limits are data (phases.yaml, rules.ai_*). Scenarios not built at all are left to the smart-
// manufacturing plan: AI cannot come before the digital scenario it runs on.
func aiGaps(qn *q.Questionnaire, d *Document, env *answerEnv) []*Action {
	p := qn.AI
	rules := &q.BundledPlanPhases().Rules
	top := len(p.Stages)
	var out, pilots []*Action
	readiness := map[string]float64{}
	sections := append([]string{}, p.Areas...)
	if p.Foundation != "" {
		sections = append(sections, p.Foundation)
	}
	for _, id := range sections {
		s := qn.Area(id)
		// The latest phase of open readiness work in the area; AI steps come after it.
		floor := -1
		var scen []*Action
		got, possible := 0.0, 0.0
		for _, it := range s.Items {
			if it.KPI || !env.isRelevant(it) {
				continue
			}
			var v value
			answered := false
			if a := d.Answer(it.ID); a != nil {
				var err error
				if v, err = parseValue(qn, it, a.Value); err != nil || v.na {
					continue
				}
				answered = true
			}
			act := &Action{ItemID: it.ID, Requirement: it.Text, Text: it.Improve, Group: s.Name, GroupID: s.ID,
				RequirementEN: it.TextEN, TextEN: it.ImproveEN, GroupEN: s.NameEN,
				Track: it.Track, Scenarios: it.Scenarios, QuickWin: it.QuickWin, Blocking: true}
			if it.Type == q.TypeScenario {
				stage := int(v.number)
				if !answered || stage < p.BuiltFrom || stage >= top {
					continue
				}
				target := min(top, max(stage+1, p.UsesAIFrom-1)) // the pilot is the first AI step worth planning
				act.Level, act.Score, act.Gain = target, float64(stage)/float64(top), float64(target-stage)
				act.ReasonZH = fmt.Sprintf("场景当前为「%s」，下一步「%s」", p.AIStageName(stage), p.AIStageName(target))
				act.ReasonEN = fmt.Sprintf("Scenario at stage %d (%s), next stage %d", stage, p.Stages[stage-1].NameEN, target)
				// Up to AI in operation is near-term work once the data is there; scaling is later.
				act.Phase = rules.AIStage.Phase(q.PhaseFacts{Gap: target - p.UsesAIFrom, QuickWin: it.QuickWin})
				scen = append(scen, act)
				continue
			}
			maxPts, pts := it.MaxPoints(), 0.0
			if answered {
				pts = pointsOf(it, v)
			}
			got, possible = got+pts, possible+maxPts
			if maxPts <= 0 || pts >= maxPts {
				continue
			}
			act.Score, act.Gain = pts/maxPts, (maxPts-pts)/maxPts
			act.ReasonZH = fmt.Sprintf("当前 %.0f 分，满分 %.0f 分", pts, maxPts)
			act.ReasonEN = fmt.Sprintf("%.0f of %.0f points", pts, maxPts)
			// Building a missing foundation is the first step but takes more than a few months
			// when almost nothing is there.
			act.Phase = rules.AIReadiness.Phase(q.PhaseFacts{QuickWin: it.QuickWin, Score: act.Score})
			if !it.QuickWin && act.Score < rules.AIReadyShare-metLevelEpsilon {
				floor = max(floor, phaseIndex(act.Phase))
			}
			out = append(out, act)
		}
		if possible > 0 {
			readiness[s.ID] = got / possible
		}
		for _, a := range scen {
			if f := min(floor+1, len(Phases)-1); f > phaseIndex(a.Phase) {
				a.Phase = Phases[f]
				a.ReasonZH += "；须先补齐本领域的数据基础"
				a.ReasonEN += "; after the area's data foundations"
			}
			if a.Level < p.UsesAIFrom {
				pilots = append(pilots, a)
			}
		}
		out = append(out, scen...)
	}
	// New pilots: the planned ones first, then those in the readiest areas, a few per phase.
	sort.SliceStable(pilots, func(i, j int) bool {
		a, b := pilots[i], pilots[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return readiness[a.GroupID] > readiness[b.GroupID]
	})
	limits := rules.PilotLimits(Phases) // the last phase has none (checked when loading)
	started := make([]int, len(Phases))
	for _, a := range pilots {
		ph := phaseIndex(a.Phase)
		for limits[ph] >= 0 && started[ph] >= limits[ph] {
			ph++
		}
		started[ph]++
		if ph != phaseIndex(a.Phase) {
			a.Phase = Phases[ph]
			a.ReasonZH += "；同期试点不宜过多，安排在后续阶段"
			a.ReasonEN += "; deferred so that few pilots run at once"
		}
	}
	// By phase, then the larger step first; the file's order breaks ties.
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if pa, pb := phaseIndex(a.Phase), phaseIndex(b.Phase); pa != pb {
			return pa < pb
		}
		return a.Gain > b.Gain
	})
	return out
}
