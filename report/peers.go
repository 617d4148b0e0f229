package report

import (
	"fmt"
	"slices"
	"strings"

	"smartdiag/pdfstyle"
	"smartdiag/peers"
	q "smartdiag/questionnaires"
)

// peerSection compares the firm with diagnoses of its industry division and size band from the
// district's peer benchmark (Options.Peers), or, without one, with the bundled reference
// distribution. Every share printed names the number of firms behind it; no group under
// peers.MinGroup is shown.
func (r *renderer) peerSection() {
	if r.qn.Scoring != q.ScoringCMMM {
		return
	}
	r.setY(r.y() + 3)
	r.subheading(r.tr("同行对比", "Peer comparison"))
	e := r.d.Enterprise
	size := ""
	if b, ok := q.BundledProjects().SizeBand(e.Employees, e.RevenueWan); ok {
		size = b.Key
	}
	if f := r.opt.Peers; f != nil {
		if p, ok := f.Compare(e.Industry, size, r.res.Level, r.res.Score); ok {
			r.peerPosition(f, p)
			return
		}
	}
	r.peerReference()
}

func pct(n, of int) float64 { return 100 * float64(n) / float64(of) }

func (r *renderer) peerPosition(f *peers.File, p peers.Position) {
	g := p.Group
	var who []string
	if g.Division != "" {
		who = append(who, q.IndustryNameIn(g.Division, r.lang))
	}
	if g.Size != "" {
		for _, b := range q.BundledProjects().SizeBands.Bands {
			if b.Key == g.Size {
				who = append(who, q.In(r.lang, b.Name+"企业", b.NameEN+" firms"))
			}
		}
	}
	if len(who) == 0 {
		who = append(who, r.tr("全部已诊断企业", "all diagnosed firms"))
	}
	group := strings.Join(who, r.tr("、", ", "))
	above := g.N - p.Below - p.Same
	var text string
	if r.en {
		text = fmt.Sprintf("Against the peer benchmark %s exported from its tally of %s: %s (n = %d). At %s the firm is above %.0f%% of them, level with %.0f%% and below %.0f%%; its score of %.2f is higher than about %.0f%% of theirs (scores counted in bands of %.2f).",
			f.District, f.AsOf, group, g.N, r.levelName(r.res.Level), pct(p.Below, g.N), pct(p.Same, g.N), pct(above, g.N), r.res.Score, p.ScorePercentile, peers.ScoreBinWidth)
	} else {
		text = fmt.Sprintf("对照%s %s 统计导出的同行基准：%s（n = %d）。本企业为%s，高于其中 %.0f%% 的企业，与 %.0f%% 持平，低于 %.0f%%；得分 %.2f 高于约 %.0f%% 的同行（得分按 %.2f 分一档计）。",
			f.District, f.AsOf, group, g.N, r.levelName(r.res.Level), pct(p.Below, g.N), pct(p.Same, g.N), pct(above, g.N), r.res.Score, p.ScorePercentile, peers.ScoreBinWidth)
	}
	r.para(marginL, contentW, text, 9.5, 5.4, pdfstyle.Text, false)
	r.setY(r.y() + 1)
	top := r.ceiling()
	cols := []column{{r.tr("等级", "Level"), 30, "L"}}
	row := []string{r.tr("企业数（占比）", "Firms (share)")}
	w := (contentW - 30) / float64(top+1)
	for l := 0; l <= top && l < len(g.Levels); l++ {
		cols = append(cols, column{r.levelName(l), w, "C"})
		row = append(row, fmt.Sprintf("%d (%.0f%%)", g.Levels[l], pct(g.Levels[l], g.N)))
	}
	r.newTable(cols...).rows([][]string{row})
	r.para(marginL, contentW, fmt.Sprintf(r.tr("同行基准只含计数，不含任何企业的名称、代码或答案；少于 %d 家的组不显示，此时改用更大的组（行业大类、规模、全区）。本企业的诊断可能已计入其中。",
		"The benchmark holds counts only, never a firm's name, code or answers; groups of fewer than %d firms are not shown and a wider group (division, size band, whole district) is used instead. This firm's own diagnosis may be among them."), peers.MinGroup),
		8, 4.5, pdfstyle.Muted, false)
}

// peerReference places the firm's level in the newest bundled level distribution whose number of
// firms is known.
func (r *renderer) peerReference() {
	var best *q.CMMMDistribution
	for i, d := range r.opt.Benchmarks.CMMMDistributions {
		if d.Firms > 0 && (best == nil || d.Year > best.Year) {
			best = &r.opt.Benchmarks.CMMMDistributions[i]
		}
	}
	if best == nil {
		r.para(marginL, contentW, r.tr("暂无同行基准：区里尚未导出同行基准文件，参照数据中也没有注明企业数的等级分布。",
			"No peer benchmark: the district has not exported one, and the reference data has no level distribution with a known number of firms."), 9.5, 5.4, pdfstyle.Muted, false)
		return
	}
	level := r.res.Level
	below, same, sameLabel, total := 0.0, 0.0, "", 0.0
	var parts []string
	for _, s := range best.Shares {
		label := s.Label
		if r.en {
			label = r.levelsLabel(s.Levels)
		}
		parts = append(parts, fmt.Sprintf("%s %.0f%%", label, 100*s.Share))
		total += s.Share
		hi := 0
		for _, l := range s.Levels {
			hi = max(hi, l)
		}
		switch {
		case hi < level:
			below += s.Share
		case slices.Contains(s.Levels, level):
			same, sameLabel = s.Share, label
		}
	}
	var text string
	switch {
	case r.en:
		text = fmt.Sprintf("The district has not exported a peer benchmark yet; the reference is the level distribution of %d (n ≈ %d firms, reference value): %s. ",
			best.Year, best.Firms, strings.Join(parts, "; "))
		if sameLabel != "" {
			text += fmt.Sprintf("The firm, at %s, falls in the band %q (%.0f%% of those firms); the bands below it hold %.0f%%.", r.levelName(level), sameLabel, 100*same, 100*below)
		} else {
			text += fmt.Sprintf("The distribution has no band for %s; the bands below it hold %.0f%%.", r.levelName(level), 100*below)
		}
		if total < 0.99 || total > 1.01 {
			text += fmt.Sprintf(" The bands add up to %.0f%%; the source does not say what the rest are.", 100*total)
		}
	default:
		// Short: this paragraph is the same for every firm of a level, so every word of it is
		// template text in the report.
		text = fmt.Sprintf("尚无区里的同行基准，参照%s（n ≈ %d 家，参照）：%s", best.Name, best.Firms, strings.Join(parts, "，"))
		if total < 0.99 || total > 1.01 {
			text += fmt.Sprintf("（合计 %.0f%%，余者来源未说明）", 100*total)
		}
		if sameLabel != "" {
			text += fmt.Sprintf("。本企业%s，所在档占 %.0f%%，较低各档合计 %.0f%%。", r.levelName(level), 100*same, 100*below)
		} else {
			text += fmt.Sprintf("。其中没有%s一档，较低各档合计 %.0f%%。", r.levelName(level), 100*below)
		}
		text += "来源：" + best.Source + "。"
	}
	r.para(marginL, contentW, text, 9.5, 5.4, pdfstyle.Text, false)
}

// levelsLabel names a band of levels in English: "level 2", "up to level 1", "level 4 or above".
func (r *renderer) levelsLabel(levels []int) string {
	if len(levels) == 0 {
		return ""
	}
	lo, hi := slices.Min(levels), slices.Max(levels)
	switch {
	case lo == hi:
		return r.levelName(lo)
	case lo == 0:
		return "up to " + r.levelName(hi)
	case hi >= r.ceiling():
		return r.levelName(lo) + " or above"
	}
	return r.levelName(lo) + " to " + r.levelName(hi)
}
