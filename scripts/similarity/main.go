// Command similarity measures how much of two different firms' report bodies is the same text: the
// median, over random pairs of demo firms, of the share of 12-character shingles (whitespace
// removed, cover page excluded) that the two bodies have in common. A report that reads as written
// for its firm keeps this low; docs/benchmarks.md records the figure and its goal.
//
//	go run ./scripts/similarity [-firms 40] [-pairs 60] [-seed 1] [-questionnaire cmmm-full] [-lang zh]
//
// By default the body is page 2 up to the appendices (the numbered action list and the answer
// listing, which repeat the questionnaire by design); -appendix measures them too.
//
// It needs pdftotext (poppler-utils).
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"smartdiag/assessment"
	"smartdiag/demo"
	q "smartdiag/questionnaires"
	"smartdiag/report"
)

const shingleLen = 12

func main() {
	firms := flag.Int("firms", 40, "number of demo firms")
	pairs := flag.Int("pairs", 60, "number of random pairs of different firms")
	seed := flag.Uint64("seed", 1, "seed of the demo firms and of the pairing")
	qid := flag.String("questionnaire", "cmmm-full", "questionnaire of the demo firms")
	lang := flag.String("lang", "zh", "report language")
	keep := flag.String("keep", "", "directory to keep the rendered reports in (for looking at them)")
	appendix := flag.Bool("appendix", false, "measure the appendices too (the answer listing repeats the questionnaire)")
	flag.Parse()
	if err := run(*firms, *pairs, *seed, *qid, *lang, *keep, *appendix); err != nil {
		fmt.Fprintln(os.Stderr, "similarity:", err)
		os.Exit(1)
	}
}

func run(firms, pairs int, seed uint64, qid, lang, keep string, withAppendix bool) error {
	if firms < 2 || pairs < 1 {
		return fmt.Errorf("need at least 2 firms and 1 pair")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return fmt.Errorf("pdftotext not found (install poppler-utils)")
	}
	qn, err := q.Lookup(qid, "")
	if err != nil {
		return err
	}
	docs, err := demo.Generate(demo.Options{Count: firms, Seed: seed, Questionnaire: qn})
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "similarity")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if keep != "" {
		if err := os.MkdirAll(keep, 0o755); err != nil {
			return err
		}
		dir = keep
	}
	sets := make([]map[string]bool, len(docs))
	levels := make([]int, len(docs))
	for i, d := range docs {
		pdf, err := report.Render(qn, d, report.Options{Lang: lang, Created: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Creator: "similarity"})
		if err != nil {
			return err
		}
		in := filepath.Join(dir, fmt.Sprintf("%d.pdf", i))
		if err := os.WriteFile(in, pdf, 0o644); err != nil {
			return err
		}
		// -f 2: the body starts after the cover page.
		out, err := exec.Command("pdftotext", "-f", "2", "-enc", "UTF-8", in, "-").Output()
		if err != nil {
			return fmt.Errorf("pdftotext: %v", err)
		}
		text := squeeze(string(out))
		if !withAppendix {
			// The body ends where the appendices begin: they list every action and every
			// questionnaire item with the firm's answer, reference material shared by design.
			if k := strings.Index(text, squeeze(report.AppendixMarker(lang))); k >= 0 {
				text = text[:k]
			}
		}
		sets[i] = shingles(text)
		levels[i] = assessmentLevel(qn, d)
		if keep != "" {
			fmt.Printf("%s: level %d\n", in, levels[i])
		}
	}
	r := rand.New(rand.NewPCG(seed, 0x51a1_1a41))
	var all, same []float64
	for range pairs {
		a := r.IntN(len(docs))
		b := r.IntN(len(docs) - 1)
		if b >= a {
			b++
		}
		s := share(sets[a], sets[b])
		all = append(all, s)
		if levels[a] == levels[b] {
			same = append(same, s)
		}
	}
	fmt.Printf("%s, %d firms, %d pairs (seed %d, %s): median shared body text %.1f%%", qid, firms, pairs, seed, lang, 100*median(all))
	if len(same) > 0 {
		fmt.Printf("; pairs at the same level: %.1f%% (n=%d)", 100*median(same), len(same))
	}
	fmt.Println()
	return nil
}

// squeeze removes all whitespace (pdftotext's line breaks and spacing vary with the layout).
func squeeze(text string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, text)
}

// shingles returns the set of 12-rune windows of the text with all whitespace removed.
func shingles(text string) map[string]bool {
	rs := []rune(squeeze(text))
	set := make(map[string]bool, len(rs))
	for i := 0; i+shingleLen <= len(rs); i++ {
		set[string(rs[i:i+shingleLen])] = true
	}
	return set
}

// share is the fraction of the two bodies' shingles they have in common, averaged over both
// directions (the share of A found in B and of B found in A).
func share(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := 0
	for s := range a {
		if b[s] {
			n++
		}
	}
	return (float64(n)/float64(len(a)) + float64(n)/float64(len(b))) / 2
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func assessmentLevel(qn *q.Questionnaire, d *assessment.Document) int {
	return assessment.Score(qn, d).Level
}
