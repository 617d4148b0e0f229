package tally

import (
	"sync"

	"smartdiag/questionnaires"
)

// cmmmLevelNames are the short names of the CMMM levels, 0 (未达一级) to the highest, taken from
// the bundled questionnaire that scores on the CMMM scale (cmmm-full, GB/T 39116): every
// questionnaire with CMMM scoring awards the same levels, so the names and their number come
// from the questionnaire data rather than from a list in Go.
var cmmmLevelNames = sync.OnceValue(func() []string {
	qs, _ := questionnaires.Bundled()
	var q *questionnaires.Questionnaire
	for _, c := range qs {
		if c.Scoring == questionnaires.ScoringCMMM && (q == nil || c.LevelCount() > q.LevelCount()) {
			q = c
		}
	}
	if q == nil {
		return []string{"未达一级"}
	}
	names := make([]string, q.LevelCount()+1)
	for l := range names {
		names[l] = q.LevelShortName(l)
	}
	return names
})
