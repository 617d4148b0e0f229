package tally

import "smartdiag/usermsg"

// Why a diagnosis is not counted, in both languages: Rejected.Reason keeps the Chinese (the JSON,
// the CLI, the workbook and the brief); Rejected.ReasonIn makes it in the reader's language.
var (
	kindIDConflict = usermsg.Define("tally.id_conflict",
		"id 冲突：与 %s 的 id 相同但内容不同；同一份诊断不能有两个版本，各版本都不计入，须由区里核实后只保留正确的一份",
		"id conflict: same id as %s but other content; a diagnosis cannot have two versions, none is counted until the district checks them and keeps only the right one")
	kindFilePair      = usermsg.Define("tally.file_pair", "%s、%s", "%s, %s")
	kindRevisionCycle = usermsg.Define("tally.revision_cycle",
		"修订关系成环：这些诊断互相声称替代对方，无法确定哪一份是最新的；须由区里核实，均不计入",
		"the revisions form a cycle: these diagnoses claim to replace each other and the latest cannot be told; the district must check them, none is counted")
)

// ReasonIn is Reason in lang ("zh" or "en").
func (r *Rejected) ReasonIn(lang string) string {
	if r.Why == nil {
		return r.Reason
	}
	return usermsg.Text(r.Why, lang)
}

// because sets the reason with its typed form.
func (r *Rejected) because(why error) *Rejected {
	r.Reason, r.Why = why.Error(), why
	return r
}

// filesOf joins file names with the list separator of the reader's language.
func filesOf(files []string) any {
	if len(files) == 0 {
		return ""
	}
	var acc any = files[0]
	for _, f := range files[1:] {
		acc = kindFilePair.New(acc, f)
	}
	return acc
}
