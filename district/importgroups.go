package district

import (
	"cmp"
	"slices"
)

// ImportGroup is the files of one import that share an outcome and a reason: importing a folder
// of 193 copies of the same unsealed file gives one line with a count, not 193 identical lines.
type ImportGroup struct {
	Result  string
	Status  string
	Reason  string
	Count   int
	Entries []ImportEntry // in the order they were imported
}

// ReasonIn is the group's reason in lang ("zh" or "en"); the entries of a group share it.
func (g ImportGroup) ReasonIn(lang string) string {
	if g.Reason == "" || len(g.Entries) == 0 {
		return g.Reason
	}
	return g.Entries[0].ReasonIn(lang)
}

// GroupImport groups an import's entries by outcome, status and reason: problems first (rejected,
// conflicts), then skipped and imported; within each, the largest group first. Imported files
// form one group whatever their reason, which describes each file's own seal.
func GroupImport(entries []ImportEntry) []ImportGroup {
	type key struct{ result, status, reason string }
	idx := map[key]int{}
	var groups []ImportGroup
	for _, e := range entries {
		k := key{e.Result, e.Status, e.Reason}
		if e.Result == ImportImported {
			k.reason = ""
		}
		i, ok := idx[k]
		if !ok {
			i = len(groups)
			idx[k] = i
			groups = append(groups, ImportGroup{Result: k.result, Status: k.status, Reason: k.reason})
		}
		groups[i].Count++
		groups[i].Entries = append(groups[i].Entries, e)
	}
	rank := map[string]int{ImportRejected: 0, ImportConflict: 1, ImportSkipped: 2, ImportImported: 3}
	slices.SortStableFunc(groups, func(a, b ImportGroup) int {
		return cmp.Or(cmp.Compare(rank[a.Result], rank[b.Result]), cmp.Compare(b.Count, a.Count))
	})
	return groups
}
