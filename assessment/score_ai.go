package assessment

import (
	q "smartdiag/questionnaires"
)

// AIResult is the AI application result of an `ai` questionnaire: a level per area and overall,
// and the share of built scenarios that use AI. All rules come from the file's `ai:` block (参照).
type AIResult struct {
	Level     int    `json:"level"`
	LevelName string `json:"level_name"`
	// Foundation is the points share (0–1) of the firm-wide foundation and governance section.
	Foundation float64        `json:"foundation"`
	Areas      []AIAreaResult `json:"areas"`
	// Built counts scenarios at ai.built_from or above, UsingAI those at ai.uses_ai_from or above;
	// Share = UsingAI / Built (0 when nothing is built).
	Built        int             `json:"built"`
	UsingAI      int             `json:"using_ai"`
	Share        float64         `json:"share"`
	ShareTargets []AIShareStatus `json:"share_targets"`
	Scenarios    []AIScenario    `json:"scenarios"`
}

// AIAreaResult is the level of one diagnosis area.
type AIAreaResult struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Level     int     `json:"level"`
	LevelName string  `json:"level_name"`
	Readiness float64 `json:"readiness"` // points share (0–1) of the area's non-scenario items
	Built     int     `json:"built"`
	UsingAI   int     `json:"using_ai"`
}

// AIScenario is one scenario item's stage (0 = not built; also for hidden or unanswered items).
type AIScenario struct {
	ID        string   `json:"id"`
	Area      string   `json:"area"`
	Stage     int      `json:"stage"`
	StageName string   `json:"stage_name"`
	Typical   []string `json:"typical,omitempty"` // MIIT typical scenario ids
}

// AIShareStatus says whether the share reaches a reference threshold such as 卓越级 ≥ 20%.
type AIShareStatus struct {
	Name     string  `json:"name"`
	MinShare float64 `json:"min_share"`
	Met      bool    `json:"met"`
}

// AIAreaLevel applies the area rules bottom-up: the highest level whose stage counts all hold
// among the area's scenario stages and whose readiness floor is met.
func AIAreaLevel(p *q.AIParams, stages []int, readiness float64) int {
	level := 0
	for _, l := range p.Levels {
		ok := readiness >= l.Area.MinReadiness-metLevelEpsilon
		for _, c := range l.Area.Scenarios {
			n := 0
			for _, s := range stages {
				if s >= c.AtStage {
					n++
				}
			}
			ok = ok && n >= c.MinCount
		}
		if !ok {
			break
		}
		level = l.Level
	}
	return level
}

// AIOverallLevel applies the overall rules bottom-up: at least MinAreas areas at the level or
// above, and the foundation share at its floor.
func AIOverallLevel(p *q.AIParams, areaLevels []int, foundation float64) int {
	level := 0
	for _, l := range p.Levels {
		n := 0
		for _, al := range areaLevels {
			if al >= l.Level {
				n++
			}
		}
		if n < l.Overall.MinAreas || foundation < l.Overall.MinFoundation-metLevelEpsilon {
			break
		}
		level = l.Level
	}
	return level
}

// scoreAI adds the AI result and makes the overall AI level the document's level. vals are the
// scored values by item index as Score builds them (nil: left out).
func scoreAI(qn *q.Questionnaire, vals []*value, r *Result) {
	p := qn.AI
	ai := &AIResult{Areas: []AIAreaResult{}, Scenarios: []AIScenario{}, ShareTargets: []AIShareStatus{}}
	// share is the points share of a section's non-scenario items (0 when none counts).
	share := func(s *q.Section) float64 {
		got, possible := 0.0, 0.0
		for _, it := range s.Items {
			if v := vals[it.Index]; v != nil && it.Type != q.TypeScenario {
				got += pointsOf(it, *v)
				possible += it.MaxPoints()
			}
		}
		if possible == 0 {
			return 0
		}
		return got / possible
	}
	var areaLevels []int
	for _, id := range p.Areas {
		s := qn.Area(id)
		ar := AIAreaResult{ID: s.ID, Name: s.Name, Readiness: round(share(s), 4)}
		var stages []int
		for _, it := range s.Items {
			if it.Type != q.TypeScenario {
				continue
			}
			stage := 0
			if v := vals[it.Index]; v != nil {
				stage = int(v.number)
			}
			stages = append(stages, stage)
			if stage >= p.BuiltFrom {
				ar.Built++
			}
			if stage >= p.UsesAIFrom {
				ar.UsingAI++
			}
			ai.Scenarios = append(ai.Scenarios, AIScenario{ID: it.ID, Area: s.ID, Stage: stage, StageName: p.AIStageName(stage), Typical: it.Scenarios})
		}
		ar.Level = AIAreaLevel(p, stages, ar.Readiness)
		ar.LevelName = qn.LevelName(ar.Level)
		ai.Built += ar.Built
		ai.UsingAI += ar.UsingAI
		areaLevels = append(areaLevels, ar.Level)
		ai.Areas = append(ai.Areas, ar)
	}
	if f := qn.Area(p.Foundation); f != nil {
		ai.Foundation = round(share(f), 4)
	}
	if ai.Built > 0 {
		ai.Share = round(float64(ai.UsingAI)/float64(ai.Built), 4)
	}
	for _, t := range p.ShareTargets {
		ai.ShareTargets = append(ai.ShareTargets, AIShareStatus{Name: t.Name, MinShare: t.MinShare, Met: ai.Built > 0 && ai.Share >= t.MinShare-metLevelEpsilon})
	}
	ai.Level = AIOverallLevel(p, areaLevels, ai.Foundation)
	ai.LevelName = qn.LevelName(ai.Level)
	r.AI = ai
	r.Level = ai.Level
}
