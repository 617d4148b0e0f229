package demo

import (
	"fmt"
	"math"
	"time"

	"smartdiag/assessment"
	q "smartdiag/questionnaires"
)

// aiProfiles is the demo's assumption about how far firms are with AI (no published distribution
// exists): most have none, some plan, a few pilot, very few run AI in production.
var aiProfiles = []struct {
	name  string
	share float64
}{
	{"none", 0.55}, {"planning", 0.25}, {"piloting", 0.15}, {"applied", 0.05},
}

// aiFirst are the scenarios firms usually start with: vision inspection, fault prediction,
// generative-AI office tools, safety video, scheduling. They get AI before the others.
var aiFirst = map[string]float64{"AI-QC-01": 3, "AI-PM-03": 2, "AI-OM-03": 2.5, "AI-PM-05": 1.5, "AI-PM-01": 1.5}

// answerAI fills an ai questionnaire: a firm's digital level sets which scenarios are built and how
// ready its data is; its AI profile sets how many scenarios reach AI and how far.
func (g *gen) answerAI(d *assessment.Document, start time.Time) {
	digital := min(g.trueLevel(), 4) // 0–4: how digital the firm is, from the CMMM distribution
	x, profile := g.r.Float64(), "none"
	for _, p := range aiProfiles {
		if x < p.share {
			profile = p.name
			break
		}
		x -= p.share
	}
	// An AI profile needs some digital base: a paper-based firm does not run AI.
	if digital <= 1 && (profile == "piloting" || profile == "applied") {
		profile = "planning"
	}
	stages := map[string]int{}
	var scen []*q.Item
	for _, it := range g.qn.Items() {
		if it.Type == q.TypeScenario {
			scen = append(scen, it)
			// Built (digital, no AI) with a probability growing with the digital level.
			if g.r.Float64() < 0.15+0.2*float64(digital) {
				stages[it.ID] = 1
			}
		}
	}
	// Scenarios that reach AI, chosen with a bias to the usual first ones.
	pick := func() *q.Item {
		total := 0.0
		for _, it := range scen {
			total += 1 + aiFirst[it.ID]
		}
		y := g.r.Float64() * total
		for _, it := range scen {
			if y -= 1 + aiFirst[it.ID]; y < 0 {
				return it
			}
		}
		return scen[len(scen)-1]
	}
	raise := func(n, stage int) {
		for range n {
			it := pick()
			stages[it.ID] = max(stages[it.ID], stage)
		}
	}
	switch profile {
	case "none":
		if g.r.IntN(4) == 0 {
			raise(1, 2)
		}
	case "planning":
		raise(1+g.r.IntN(2), 2)
		if g.r.IntN(3) == 0 {
			raise(1, 3)
		}
	case "piloting":
		raise(1+g.r.IntN(2), 2)
		raise(1+g.r.IntN(2), 3)
		if g.r.IntN(2) == 0 {
			raise(1, 4)
		}
	case "applied":
		raise(2, 3)
		raise(2+g.r.IntN(3), 4)
		if g.r.IntN(2) == 0 {
			raise(1, 5)
		}
	}
	// readiness is the option index a firm tends to: the digital level for data and governance,
	// raised a little where AI is actually in use.
	aiBoost := map[string]int{"none": 0, "planning": 0, "piloting": 1, "applied": 2}[profile]
	at := start
	for _, it := range g.qn.Items() {
		if !assessment.Relevant(g.qn, d)[it.ID] {
			continue
		}
		at = at.Add(time.Duration(30+g.r.IntN(240)) * time.Second)
		var val any
		switch it.Type {
		case q.TypeScenario:
			val = stages[it.ID]
		case q.TypeSingle:
			lv := float64(digital+aiBoost) / 5
			i := int(math.Round(lv*float64(len(it.Options)-1))) + g.r.IntN(3) - 1
			val = it.Options[min(len(it.Options)-1, max(0, i))].Key
		case q.TypeMulti:
			val = g.multi(it, digital+aiBoost)
		case q.TypeNumber:
			val = g.aiNumber(it, profile)
		}
		if err := d.SetAnswer(g.qn, it.ID, val, at); err != nil {
			panic(fmt.Sprintf("demo produced an invalid answer: %v", err)) // a bug in this generator
		}
	}
}

// multi chooses the first options of a multi item, more with a higher level; a firm with none of
// them picks the exclusive option.
func (g *gen) multi(it *q.Item, level int) []string {
	var plain []q.Option
	var exclusive *q.Option
	for _, o := range it.Options {
		if o.Exclusive {
			exclusive = &o
		} else {
			plain = append(plain, o)
		}
	}
	n := g.index(len(plain)+1, level)
	keys := []string{}
	for _, o := range plain[:n] {
		keys = append(keys, o.Key)
	}
	if n == 0 && exclusive != nil {
		keys = []string{exclusive.Key}
	}
	return keys
}

// aiNumber answers the AI KPIs (spending in 万元, staff) in line with the profile.
func (g *gen) aiNumber(it *q.Item, profile string) float64 {
	scale := map[string]float64{"none": 0, "planning": 5, "piloting": 60, "applied": 300}[profile]
	if it.Unit == "人" {
		scale = map[string]float64{"none": 0, "planning": 1, "piloting": 3, "applied": 8}[profile]
		return math.Round(scale * (0.5 + g.r.Float64()))
	}
	return math.Min(*it.Max, math.Round(scale*(0.5+g.r.Float64())*10)/10)
}
