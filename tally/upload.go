package tally

import (
	"time"

	"smartdiag/district"
	"smartdiag/questionnaires"
	"smartdiag/seal"
)

// CheckUpload verifies one uploaded file (a sealed .sdiag document or a report PDF carrying one)
// exactly as the district import and the tally read a file from disk: the same PDF extraction,
// seal and trust check, decoding against the questionnaire and scoring. name is how the file is
// named in the result (the upload's file name). On success it returns the document's own bytes
// (extracted from a PDF) and its facts; otherwise the reason it is not accepted. A district
// server calls this instead of re-implementing any of it.
func CheckUpload(name string, data []byte, trusted seal.Trust) (doc []byte, d *Diagnosis, rej *Rejected) {
	doc, err := district.DecodeInput(name, data)
	if err != nil {
		return nil, nil, (&Rejected{File: name, Status: seal.VerifyUnreadable}).because(err)
	}
	d, rej = diagnosisOf(name, district.ExamineDocument(doc, trusted, time.Now()))
	if rej != nil {
		return nil, nil, rej
	}
	return doc, d, nil
}

// TallyDiagnoses makes the tally of diagnoses already verified by CheckUpload (a server keeps
// their facts, so it need not verify every seal again for each tally) beside the files that were
// not counted. The result is the same as TallyWith's over the same files, in the same order. The
// per-tally fields of each Diagnosis (role, roster row, first level) are set afresh, on copies.
func TallyDiagnoses(docs []*Diagnosis, rejected []Rejected, opt Options) *Result {
	if opt.District == nil {
		opt.District = questionnaires.BundledDistrict()
	}
	if opt.Benchmarks == nil {
		opt.Benchmarks = questionnaires.BundledBenchmarks()
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	valid := make([]*Diagnosis, len(docs))
	for i, d := range docs {
		c := *d
		c.Role, c.SupersededBy, c.OnRoster, c.RosterRow, c.FirstLevel = "", "", false, 0, nil
		c.order = i
		valid[i] = &c
	}
	return tallyOf(valid, rejected, len(docs)+len(rejected), opt, now)
}
