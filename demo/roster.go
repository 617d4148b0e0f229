package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"smartdiag/assessment"
	q "smartdiag/questionnaires"
)

// Firm is a firm from a district roster to diagnose.
type Firm struct {
	Name, CreditCode, Street string
	Categories               []string
	Industry                 string // GB/T 4754 division "13".."43", or empty
	Contact, Phone           string
}

// RosterOptions control a district produced from a roster.
type RosterOptions struct {
	Options
	// Coverage is the share of the roster's firms diagnosed (0–1).
	Coverage float64
	// Repeat is the share of diagnosed firms that were diagnosed once before, some months
	// earlier and usually at a lower level (0–1).
	Repeat float64
	// Revise is the share of diagnoses corrected after finishing: the first version is kept and
	// a revision that supersedes it follows (0–1).
	Revise float64
}

// GenerateFromRoster diagnoses round(Coverage × len(firms)) firms drawn from the roster (their
// names, credit codes, streets, categories, industries and contacts), plus the earlier
// diagnoses and revisions the options ask for. Documents are finished, not sealed; a revision
// comes right after the document it supersedes. The output depends only on the seed.
func GenerateFromRoster(opt RosterOptions, firms []Firm) ([]*assessment.Document, error) {
	qn := opt.Questionnaire
	if qn == nil {
		var err error
		if qn, err = q.Lookup("cmmm-full", ""); err != nil {
			return nil, err
		}
	}
	if opt.Coverage < 0 || opt.Coverage > 1 || math.IsNaN(opt.Coverage) {
		return nil, fmt.Errorf("覆盖比例应在 0 到 1 之间")
	}
	r := rand.New(rand.NewPCG(opt.Seed, 0x0d15_7a1c))
	g := newGen(r, qn, opt.District)
	order := r.Perm(len(firms))
	n := int(math.Round(opt.Coverage * float64(len(firms))))
	var out []*assessment.Document
	for _, i := range order[:n] {
		f := firms[i]
		created := time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC).Add(time.Duration(g.r.IntN(240*24)) * time.Hour).Add(time.Duration(g.r.IntN(3600)) * time.Second)
		repeat := g.r.Float64() < opt.Repeat
		revise := g.r.Float64() < opt.Revise
		d, err := g.documentFor(f, created, -1)
		if err != nil {
			return nil, err
		}
		if repeat {
			// The same firm some months earlier, a level lower (or the same).
			level := assessment.Score(qn, d).Level
			if g.r.IntN(4) > 0 {
				level = max(0, level-1)
			}
			earlier, err := g.documentFor(f, created.AddDate(0, -3-g.r.IntN(4), -g.r.IntN(20)), level)
			if err != nil {
				return nil, err
			}
			out = append(out, earlier)
		}
		out = append(out, d)
		if revise {
			rev, err := g.revision(d)
			if err != nil {
				return nil, err
			}
			out = append(out, rev)
		}
	}
	return out, nil
}

// documentFor diagnoses a roster firm; level < 0 draws the firm's true level as Generate does.
func (g *gen) documentFor(f Firm, created time.Time, level int) (*assessment.Document, error) {
	ind := g.industry()
	for _, in := range industriesMix {
		if in.code == f.Industry {
			ind = in
		}
	}
	e := assessment.Enterprise{
		Name: f.Name, CreditCode: f.CreditCode, Street: f.Street, Industry: ind.code, ProductionType: ind.pt,
		Contact: f.Contact, Phone: f.Phone,
	}
	if q.IndustryName(f.Industry) != "" {
		e.Industry = f.Industry
	}
	if e.Street == "" {
		e.Street = g.pick(g.district.Streets)
	}
	for _, c := range f.Categories {
		if slices.Contains(g.district.CategoryKeys(), c) && !slices.Contains(e.Categories, c) {
			e.Categories = append(e.Categories, c)
		}
	}
	if len(e.Categories) == 0 {
		e.Categories = g.categories()
	}
	if e.Contact == "" {
		e.Contact = g.pick(contacts)
	}
	if e.Phone == "" {
		e.Phone = fmt.Sprintf("1%d%09d", 3+g.r.IntN(7), g.r.IntN(1_000_000_000))
	}
	if g.r.IntN(10) == 0 {
		e.ProductionType = "mixed"
	}
	if slices.Contains(e.Categories, g.largeCategory()) {
		e.Employees = 80 + g.r.IntN(1500)
		e.RevenueWan = float64(2000 + g.r.IntN(200000))
	} else {
		e.Employees = 10 + g.r.IntN(200)
		e.RevenueWan = float64(300 + g.r.IntN(5000))
	}
	e.Address = fmt.Sprintf("%s%s%s路%d号", g.district.AddressPrefix(), e.Street, g.pick([]string{"天元", "胜太", "秣周", "将军", "诚信", "金源", "苏源", "清水亭"}), 1+g.r.IntN(300))
	describe(&e)
	d := g.draft(e, created)
	if level >= 0 {
		saved := g.shares
		g.shares = [6]float64{}
		g.shares[min(level, 5)] = 1
		defer func() { g.shares = saved }()
	}
	g.answer(d, created)
	if err := d.Finish(g.qn, d.Updated.Add(10*time.Minute)); err != nil {
		return nil, fmt.Errorf("demo: %v", err)
	}
	return d, nil
}

// revision corrects a finished document a few days later: a new id that supersedes it, with one
// answer changed and a note saying why.
func (g *gen) revision(d *assessment.Document) (*assessment.Document, error) {
	at := d.Finished.Add(time.Duration(24+g.r.IntN(96)) * time.Hour)
	rev, err := d.Revise(at)
	if err != nil {
		return nil, err
	}
	rev.ID = g.uuidV7(at)
	relevant := assessment.Relevant(g.qn, rev)
	for _, it := range g.qn.Items() {
		if it.Type == q.TypeScale && rev.Answer(it.ID) != nil && relevant[it.ID] {
			if err := rev.SetAnswer(g.qn, it.ID, "most", at); err == nil {
				rev.SetNote(it.ID, "复核现场记录后更正：原记录有误。", at)
				break
			}
		}
	}
	if err := rev.Finish(g.qn, at.Add(10*time.Minute)); err != nil {
		return nil, fmt.Errorf("demo: %v", err)
	}
	return rev, nil
}
