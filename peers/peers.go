// Package peers is the anonymised peer benchmark: counts of diagnoses by CMMM level and score,
// grouped by industry division and firm size band, that a district exports from its tally
// (`smartdiag tally … --benchmark-out FILE`) and a report compares a firm with. It holds counts
// only, never a firm's name, code or answers, and no group of fewer than MinGroup diagnoses.
// The format is documented in docs/format.md.
package peers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	q "smartdiag/questionnaires"
)

// Format is the value of the file's "format" key.
const Format = "smartdiag.peers/1"

// MinGroup is the smallest group a file may hold and a report may show a percentile for: smaller
// groups could let a reader pick out a firm, and say little.
const MinGroup = 10

// Levels is the number of CMMM levels counted (0 = 未达一级 … 5); ScoreBins the number of score
// bins of ScoreBinWidth over the 0–5 maturity score.
const (
	Levels        = 6
	ScoreBins     = 20
	ScoreBinWidth = 5.0 / ScoreBins
)

// File is one exported benchmark.
type File struct {
	Format   string  `json:"format"`
	District string  `json:"district"`
	AsOf     string  `json:"as_of"` // the tally's date, YYYY-MM-DD
	MinGroup int     `json:"min_group"`
	Groups   []Group `json:"groups"`
}

// Group counts the diagnoses of one industry division and size band; "" in either means all.
type Group struct {
	Division string `json:"division"` // GB/T 4754 division code, e.g. "26"
	Size     string `json:"size"`     // size band key of the reference data: large, medium, small, micro
	N        int    `json:"n"`
	Levels   []int  `json:"levels"` // diagnoses at level 0 … 5
	Scores   []int  `json:"scores"` // diagnoses per score bin [0, 0.25), [0.25, 0.5) … [4.75, 5]
}

// Entry is one counted diagnosis, as the tally hands it to Build.
type Entry struct {
	Division, Size string
	Level          int
	Score          float64
}

// ScoreBin is the bin of a maturity score.
func ScoreBin(score float64) int {
	return min(ScoreBins-1, max(0, int(math.Floor(score/ScoreBinWidth))))
}

// Build counts the entries into every group of division × size, division alone, size alone and
// all, and keeps the groups of at least MinGroup diagnoses.
func Build(district string, asOf time.Time, entries []Entry) *File {
	f := &File{Format: Format, District: district, AsOf: asOf.Format("2006-01-02"), MinGroup: MinGroup}
	type key struct{ div, size string }
	groups := map[key]*Group{}
	for _, e := range entries {
		// A firm without a division or size band counts only in the groups that do not ask for it.
		keys := []key{{"", ""}}
		if e.Division != "" {
			keys = append(keys, key{e.Division, ""})
		}
		if e.Size != "" {
			keys = append(keys, key{"", e.Size})
		}
		if e.Division != "" && e.Size != "" {
			keys = append(keys, key{e.Division, e.Size})
		}
		for _, k := range keys {
			g := groups[k]
			if g == nil {
				g = &Group{Division: k.div, Size: k.size, Levels: make([]int, Levels), Scores: make([]int, ScoreBins)}
				groups[k] = g
			}
			g.N++
			g.Levels[min(Levels-1, max(0, e.Level))]++
			g.Scores[ScoreBin(e.Score)]++
		}
	}
	for _, g := range groups {
		if g.N >= MinGroup {
			f.Groups = append(f.Groups, *g)
		}
	}
	slices.SortFunc(f.Groups, func(a, b Group) int {
		return strings.Compare(a.Division+"\x00"+a.Size, b.Division+"\x00"+b.Size)
	})
	return f
}

// Encode writes the file as indented JSON.
func (f *File) Encode() ([]byte, error) {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

var (
	divisionRe = regexp.MustCompile(`^[0-9]{2}$`)
	dateRe     = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// MaxFileSize bounds a benchmark file read from disk: a district's file is a few KB (one entry per
// industry and size group); the cap keeps a wrong file from being read into memory.
const MaxFileSize = 16 << 20

// Parse reads and checks a benchmark file; the error names the file and the group or field that is
// wrong, in Chinese.
func Parse(name string, data []byte) (*File, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("同行基准文件 %s：%s", name, fmt.Sprintf(format, args...))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, fail("不是有效的 JSON（%v）", err)
	}
	if dec.More() {
		return nil, fail("JSON 之后还有多余内容")
	}
	switch {
	case f.Format != Format:
		return nil, fail("format 应为 %q，而不是 %q", Format, f.Format)
	case !dateRe.MatchString(f.AsOf):
		return nil, fail("as_of 应为 YYYY-MM-DD 格式的日期，而不是 %q", f.AsOf)
	case f.MinGroup < MinGroup:
		return nil, fail("min_group 为 %d，不得小于 %d", f.MinGroup, MinGroup)
	}
	if _, err := time.Parse("2006-01-02", f.AsOf); err != nil {
		return nil, fail("as_of %q 不是有效日期", f.AsOf)
	}
	bands := map[string]bool{}
	for _, b := range q.BundledProjects().SizeBands.Bands {
		bands[b.Key] = true
	}
	seen := map[string]int{}
	for i, g := range f.Groups {
		at := fmt.Sprintf("第 %d 组（division %q，size %q）", i+1, g.Division, g.Size)
		switch {
		case g.Division != "" && (!divisionRe.MatchString(g.Division) || q.IndustryName(g.Division) == ""):
			return nil, fail("%s：division 应为国民经济行业分类的制造业大类代码（13–43）", at)
		case g.Size != "" && !bands[g.Size]:
			return nil, fail("%s：size 应为 large、medium、small 或 micro", at)
		case g.N < f.MinGroup:
			return nil, fail("%s：n = %d，少于 %d 家的组不得出现在文件中", at, g.N, f.MinGroup)
		case len(g.Levels) != Levels:
			return nil, fail("%s：levels 应有 %d 个计数（0–5 级），实有 %d 个", at, Levels, len(g.Levels))
		case len(g.Scores) != ScoreBins:
			return nil, fail("%s：scores 应有 %d 个计数，实有 %d 个", at, ScoreBins, len(g.Scores))
		}
		if j, dup := seen[g.Division+"\x00"+g.Size]; dup {
			return nil, fail("%s 与第 %d 组重复", at, j+1)
		}
		seen[g.Division+"\x00"+g.Size] = i
		for field, counts := range map[string][]int{"levels": g.Levels, "scores": g.Scores} {
			sum := 0
			for _, c := range counts {
				if c < 0 || c > g.N {
					return nil, fail("%s：%s 中的计数 %d 无效", at, field, c)
				}
				sum += c
			}
			if sum != g.N {
				return nil, fail("%s：%s 的计数之和为 %d，应等于 n = %d", at, field, sum, g.N)
			}
		}
	}
	return &f, nil
}

// Position is where a firm stands in a group.
type Position struct {
	Group Group
	// Below and Same count the group's diagnoses below and at the firm's level.
	Below, Same int
	// ScorePercentile is the share of the group scoring below the firm, counting half of its
	// own score bin (0–100).
	ScorePercentile float64
}

// Compare finds the most specific group of at least MinGroup diagnoses for a firm of the
// division and size band (either may be ""): division and size, then division alone, then size
// alone, then all. ok is false when the file has none.
func (f *File) Compare(division, size string, level int, score float64) (Position, bool) {
	type key struct{ div, size string }
	var tries []key
	if division != "" && size != "" {
		tries = append(tries, key{division, size})
	}
	if division != "" {
		tries = append(tries, key{division, ""})
	}
	if size != "" {
		tries = append(tries, key{"", size})
	}
	tries = append(tries, key{"", ""})
	for _, k := range tries {
		for _, g := range f.Groups {
			if g.Division != k.div || g.Size != k.size || g.N < max(MinGroup, f.MinGroup) || len(g.Levels) != Levels || len(g.Scores) != ScoreBins {
				continue
			}
			p := Position{Group: g}
			level = min(Levels-1, max(0, level))
			for l, c := range g.Levels {
				switch {
				case l < level:
					p.Below += c
				case l == level:
					p.Same += c
				}
			}
			bin, below := ScoreBin(score), 0
			for b, c := range g.Scores {
				if b < bin {
					below += c
				}
			}
			p.ScorePercentile = 100 * (float64(below) + float64(g.Scores[bin])/2) / float64(g.N)
			return p, true
		}
	}
	return Position{}, false
}
