package seal

import (
	"sync"

	"smartdiag/assessment"
	"smartdiag/questionnaires"
)

// Checked is one document's bytes verified and, when asked and the seal is intact, opened.
type Checked struct {
	Result VerifyResult
	Doc    *assessment.Document
	Q      *questionnaires.Questionnaire
	// Values are Doc's answer values as checking it against Q decoded them, for
	// assessment.ScoreCheckedWithoutNotes and assessment.MissingChecked.
	Values *assessment.Values
	Err    error // why an intact document could not be opened
}

// Intact reports whether the seal is whole: valid, or valid but from a key not on the trust list.
func (c *Checked) Intact() bool {
	return c.Result.Status == VerifyValid || c.Result.Status == VerifyUnknownSigner
}

// Scratch is reusable space for reading documents one after another (a district reads thousands;
// without it each would allocate and clear two more copies of its bytes, and the lists of its
// members). The zero value is ready. A document read with it refers to canon only.
type Scratch struct {
	canon, tmp, env []byte
	top             []member
	ans             []ansSpan
	fields          []span
}

// scratchPool holds Scratch for callers without their own (a server's uploads); canon is never
// pooled, as the document read refers to it.
var scratchPool = sync.Pool{New: func() any { return new(Scratch) }}

// Verify checks a sealed document file: that it parses, carries a seal, that the content hash and
// the Ed25519 signature match, that the bytes are exactly the sealed layout (so any changed byte,
// whitespace included, is caught) and that the signer's key is on the trust list (nil trusts no
// one). It never panics on any input.
func Verify(data []byte, trusted Trust) VerifyResult {
	return Check(data, trusted, false, nil).Result
}

// Open verifies data and, when the seal is intact, decodes the document and checks it against its
// questionnaire, as assessment.Open does.
func Open(data []byte, trusted Trust) Checked {
	return Check(data, trusted, true, nil)
}

// Check verifies data (the bytes of a .sdiag file) and, with open set and an intact seal, decodes
// it and checks it against its questionnaire. A file in the exact sealed layout is read in one
// pass (fast.go); anything else goes the generic way, which stays the reference. With sc set, the
// document may refer to sc's storage: it must not be used after sc is reused.
func Check(data []byte, trusted Trust, open bool, sc *Scratch) Checked {
	var c Checked
	if sc == nil {
		sc = scratchPool.Get().(*Scratch)
		sc.canon = nil
		defer func() {
			sc.canon = nil
			scratchPool.Put(sc)
		}()
	}
	scan, fast := scanSealed(data, sc)
	if fast {
		c.Result, fast = scan.verify(trusted)
	}
	if !fast {
		c.Result = verifyReference(data, trusted)
	}
	if !open || !c.Intact() {
		return c
	}
	if fast {
		var ok bool
		if c.Doc, c.Q, c.Values, c.Err, ok = scan.open(); ok {
			return c
		}
	}
	c.Doc, c.Q, c.Values, c.Err = assessment.OpenValues(data)
	return c
}
