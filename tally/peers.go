package tally

import (
	"time"

	"smartdiag/peers"
)

// PeerBenchmark is the anonymised peer benchmark of a tally: the counted diagnoses (each firm's
// latest) on a full CMMM questionnaire, by industry division and size band, as counts only.
// Quick-scan estimates are left out, since their levels are not comparable with a full diagnosis.
func (r *Result) PeerBenchmark() *peers.File {
	var es []peers.Entry
	for _, g := range r.Documents {
		if g.Role != RoleCounted || !g.CMMM || g.Estimate {
			continue
		}
		es = append(es, peers.Entry{Division: g.Industry, Size: g.Size, Level: g.Level, Score: g.Score})
	}
	asOf, err := time.Parse("2006-01-02", r.AsOf)
	if err != nil {
		asOf = r.Generated
	}
	return peers.Build(r.District, asOf, es)
}
