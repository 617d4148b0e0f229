package district

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"smartdiag/assessment"
	"smartdiag/questionnaires"
	"smartdiag/seal"
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
	switch {
	case code != oldCode:
		return fmt.Sprintf("修订无效：声称替代的 %s 是另一家企业（%s）的诊断，而本文件是 %s 的；修订只能替代同一企业的诊断，此文件不计入", oldFile, oldCode, code)
	case fingerprint != oldFingerprint:
		return fmt.Sprintf("修订无效：声称替代的 %s 由另一把密钥（指纹 %s）签名；修订只能由原诊断的服务商用同一密钥签名，此文件不计入", oldFile, oldFingerprint)
	}
	return ""
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
	Skip   bool // found in a folder and no diagnosis at all (a PDF without one)
}

// Valid reports whether the document is accepted: a valid seal from a trusted key on a document
// that passes Admit.
func (e *Examined) Valid() bool { return e.Status == seal.VerifyValid }

// Examine reads one input and verifies it the one way import, tally and verify share: read with
// ReadInput, check the seal, open the document, and apply Admit. With b set, Data and the
// document may refer to b's storage.
func Examine(in Input, trusted seal.Trust, now time.Time, b *Buffers) Examined {
	var e Examined
	if in.Err != nil {
		e.Status, e.Reason = seal.VerifyUnreadable, in.Err.Error()
		return e
	}
	data, err := ReadInput(in.Path, b)
	if in.Skippable(err) {
		e.Skip = true
		return e
	}
	if err != nil {
		e.Status, e.Reason = seal.VerifyUnreadable, err.Error()
		return e
	}
	var sc *seal.Scratch
	if b != nil {
		sc = &b.Scratch
	}
	return examineData(data, trusted, now, sc)
}

// ExamineData is Examine for bytes already read (standard input): a report PDF's document is
// extracted, then the document is checked as Examine does.
func ExamineData(data []byte, trusted seal.Trust, now time.Time) Examined {
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		doc, err := seal.ExtractDocument(data)
		if err != nil {
			return Examined{Status: seal.VerifyUnreadable, Reason: "PDF 报告：" + err.Error()}
		}
		data = doc
	}
	return examineData(data, trusted, now, nil)
}

// ExamineDocument checks a document's bytes (already extracted from a PDF, e.g. by DecodeInput)
// as Examine does: seal, trust, decoding and Admit. A server checks each upload with it.
func ExamineDocument(doc []byte, trusted seal.Trust, now time.Time) Examined {
	return examineData(doc, trusted, now, nil)
}

func examineData(data []byte, trusted seal.Trust, now time.Time, sc *seal.Scratch) Examined {
	var e Examined
	e.Data = data
	e.Checked = seal.Check(data, trusted, true, sc)
	e.Status, e.Reason = e.Result.Status, e.Result.Reason
	if !e.Intact() {
		return e
	}
	if e.Err != nil {
		e.Status, e.Reason = StatusInvalid, "封印有效，但文档无法读取："+e.Err.Error()
		return e
	}
	if status, reason := Admit(e.Doc, e.Q, e.Result.SealedAt, now); status != "" {
		e.Status, e.Reason = status, reason
	}
	return e
}

// Admit applies the district's rules to a document with an intact seal: every required,
// relevant item answered (what finishing requires), and finished and sealed dates between
// EarliestDate and now + ClockSkew. It returns "" when the document is accepted, else the status
// and the reason in Chinese.
func Admit(d *assessment.Document, q *questionnaires.Questionnaire, sealedAt, now time.Time) (status, reason string) {
	if m := assessment.Missing(q, d); len(m) > 0 {
		show := m
		if len(show) > 5 {
			show = show[:5]
		}
		more := ""
		if len(m) > len(show) {
			more = " 等"
		}
		return StatusIncomplete, fmt.Sprintf("文档不完整：还有 %d 道必答题未回答（%s%s）；封存的诊断必须答完全部必答题，此文件不计入", len(m), strings.Join(show, "、"), more)
	}
	latest := now.Add(ClockSkew)
	check := func(what string, t time.Time) string {
		switch {
		case t.After(latest):
			return fmt.Sprintf("%s时间 %s 晚于今天（允许的时钟误差为 %d 小时），日期不可信，此文件不计入；请服务商核对电脑时钟后重新封存", what, t.In(CST).Format("2006-01-02 15:04"), int(ClockSkew.Hours()))
		case t.Before(EarliestDate):
			return fmt.Sprintf("%s时间 %s 早于 %s，日期不可信，此文件不计入；请服务商核对电脑时钟后重新封存", what, t.In(CST).Format("2006-01-02 15:04"), EarliestDate.Format(time.DateOnly))
		}
		return ""
	}
	if d.Finished != nil {
		if r := check("完成", *d.Finished); r != "" {
			return StatusBadDate, r
		}
	}
	if r := check("封存", sealedAt); r != "" {
		return StatusBadDate, r
	}
	return "", ""
}
