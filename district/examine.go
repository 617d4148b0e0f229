package district

import (
	"bytes"
	"time"

	"smartdiag/assessment"
	"smartdiag/questionnaires"
	"smartdiag/seal"
	"smartdiag/usermsg"
)

// Statuses of a document whose seal is intact but which the district does not accept.
const (
	StatusIncomplete  = "incomplete"   // required, relevant items unanswered
	StatusBadDate     = "bad_date"     // finished or sealed in the future or before EarliestDate
	StatusBadRevision = "bad_revision" // supersedes another firm's or another key's document, or a cycle
)

// CheckRevision applies the rule for supersedes: a revision may replace only a document of the
// same firm (credit code) signed with the same key (fingerprint). It returns "" when the claim
// holds, else the reason the revision is refused; oldFile names the document it claims.
func CheckRevision(code, fingerprint, oldCode, oldFingerprint, oldFile string) string {
	if why := CheckRevisionWhy(code, fingerprint, oldCode, oldFingerprint, oldFile); why != nil {
		return why.Error()
	}
	return ""
}

// CheckRevisionWhy is CheckRevision with the reason typed (nil when the claim holds).
func CheckRevisionWhy(code, fingerprint, oldCode, oldFingerprint, oldFile string) *usermsg.Error {
	switch {
	case code != oldCode:
		return kindRevisionFirm.New(oldFile, oldCode, code)
	case fingerprint != oldFingerprint:
		return kindRevisionKey.New(oldFile, oldFingerprint)
	}
	return nil
}

// Date limits of an accepted document: a clock may be off by ClockSkew, and no diagnosis of this
// programme was made before EarliestDate. A date outside would become the firm's counted
// diagnosis (a year 2099 wins every comparison) and stretch the monthly table to decades.
const ClockSkew = 24 * time.Hour

// EarliestDate is the first day a document may be finished or sealed on (China time).
var EarliestDate = time.Date(2020, 1, 1, 0, 0, 0, 0, CST)

// Examined is one input read, verified and checked against the district's rules. Status and
// Reason are the verdict: the seal's status, or StatusInvalid, StatusIncomplete or StatusBadDate
// for an intact seal on a document the district cannot accept.
type Examined struct {
	seal.Checked
	Data   []byte // the document's bytes (may live in the Buffers given)
	Status string
	Reason string
	Why    error // Reason, typed where it can be (see ReasonIn)
	Skip   bool  // found in a folder and no diagnosis at all (a PDF without one)
	// Score is the document's score (without the KPI notes) from ExamineScored and
	// ExamineDocument, worked out once for the completeness check (its Missing) and kept for the
	// tally; nil from Examine and ExamineData, and unless the seal is intact and the document
	// decoded.
	Score *assessment.Result
}

// Valid reports whether the document is accepted: a valid seal from a trusted key on a document
// that passes Admit.
func (e *Examined) Valid() bool { return e.Status == seal.VerifyValid }

// ReasonIn is Reason in lang ("zh" or "en").
func (e *Examined) ReasonIn(lang string) string { return reasonIn(e.Reason, e.Why, lang) }

// because sets the verdict with its typed reason.
func (e *Examined) because(status string, why error) {
	e.Status, e.Reason, e.Why = status, why.Error(), why
}

// Examine reads one input and verifies it the one way import, tally and verify share: read with
// ReadInput, check the seal, open the document, and apply Admit. With b set, Data and the
// document may refer to b's storage.
func Examine(in Input, trusted seal.Trust, now time.Time, b *Buffers) Examined {
	return examine(in, trusted, now, b, false)
}

// ExamineScored is Examine for a caller that scores every accepted document (the tally): the
// document is scored once, for the completeness check and for the caller (Examined.Score), not
// checked for completeness and then scored again.
func ExamineScored(in Input, trusted seal.Trust, now time.Time, b *Buffers) Examined {
	return examine(in, trusted, now, b, true)
}

func examine(in Input, trusted seal.Trust, now time.Time, b *Buffers, score bool) Examined {
	var e Examined
	if in.Err != nil {
		e.because(seal.VerifyUnreadable, in.Err)
		return e
	}
	data, err := ReadInput(in.Path, b)
	if in.Skippable(err) {
		e.Skip = true
		return e
	}
	if err != nil {
		e.because(seal.VerifyUnreadable, err)
		return e
	}
	var sc *seal.Scratch
	if b != nil {
		sc = &b.Scratch
	}
	return examineData(data, trusted, now, sc, score)
}

// ExamineData is Examine for bytes already read (standard input): a report PDF's document is
// extracted, then the document is checked as Examine does.
func ExamineData(data []byte, trusted seal.Trust, now time.Time) Examined {
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		doc, err := seal.ExtractDocument(data)
		if err != nil {
			var e Examined
			e.because(seal.VerifyUnreadable, kindPDFReport.New(err))
			return e
		}
		data = doc
	}
	return examineData(data, trusted, now, nil, false)
}

// ExamineDocument checks a document's bytes (already extracted from a PDF, e.g. by DecodeInput)
// as ExamineScored does: seal, trust, decoding and Admit, with the score. A server checks each
// upload with it.
func ExamineDocument(doc []byte, trusted seal.Trust, now time.Time) Examined {
	return examineData(doc, trusted, now, nil, true)
}

func examineData(data []byte, trusted seal.Trust, now time.Time, sc *seal.Scratch, score bool) Examined {
	var e Examined
	e.Data = data
	e.Checked = seal.Check(data, trusted, true, sc)
	e.Status, e.Reason = e.Result.Status, e.Result.Reason
	if e.Result.Why != nil {
		e.Why = e.Result.Why
	}
	if !e.Intact() {
		return e
	}
	if e.Err != nil {
		e.because(StatusInvalid, kindUndecodable.New(e.Err))
		return e
	}
	// The answers were decoded once, by the seal check (e.Values): the completeness check and
	// the score read them from there.
	var missing []string
	if score {
		e.Score = assessment.ScoreCheckedWithoutNotes(e.Q, e.Doc, e.Values)
		missing = e.Score.Missing
	} else {
		missing = assessment.MissingChecked(e.Q, e.Doc, e.Values)
	}
	if status, why := admitWhy(missing, e.Doc, e.Result.SealedAt, now); status != "" {
		e.because(status, why)
	}
	return e
}

// Admit applies the district's rules to a document with an intact seal: every required,
// relevant item answered (what finishing requires), and finished and sealed dates between
// EarliestDate and now + ClockSkew. It returns "" when the document is accepted, else the status
// and the reason in Chinese.
func Admit(d *assessment.Document, q *questionnaires.Questionnaire, sealedAt, now time.Time) (status, reason string) {
	status, why := AdmitWhy(d, q, sealedAt, now)
	if why != nil {
		reason = why.Error()
	}
	return status, reason
}

// AdmitWhy is Admit with the reason typed (nil when the document is accepted).
func AdmitWhy(d *assessment.Document, q *questionnaires.Questionnaire, sealedAt, now time.Time) (status string, why *usermsg.Error) {
	return admitWhy(assessment.Missing(q, d), d, sealedAt, now)
}

// admitWhy is AdmitWhy given the document's missing items (assessment.Missing, which
// assessment.Score also lists).
func admitWhy(m []string, d *assessment.Document, sealedAt, now time.Time) (status string, why *usermsg.Error) {
	if len(m) > 0 {
		show := m
		if len(show) > 5 {
			show = show[:5]
		}
		var more any = ""
		if len(m) > len(show) {
			more = kindMore.New()
		}
		return StatusIncomplete, kindIncomplete.New(len(m), listOf(show), more)
	}
	latest := now.Add(ClockSkew)
	check := func(what *usermsg.Error, t time.Time) *usermsg.Error {
		switch {
		case t.After(latest):
			return kindDateFuture.New(what, t.In(CST).Format("2006-01-02 15:04"), int(ClockSkew.Hours()))
		case t.Before(EarliestDate):
			return kindDatePast.New(what, t.In(CST).Format("2006-01-02 15:04"), EarliestDate.Format(time.DateOnly))
		}
		return nil
	}
	if d.Finished != nil {
		if r := check(kindWhatFinish.New(), *d.Finished); r != nil {
			return StatusBadDate, r
		}
	}
	if r := check(kindWhatSealed.New(), sealedAt); r != nil {
		return StatusBadDate, r
	}
	return "", nil
}
