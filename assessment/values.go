package assessment

import (
	"fmt"
	"slices"

	q "smartdiag/questionnaires"
)

// Values are a document's answer values decoded against its questionnaire, by item index. A
// district reads thousands of documents: checking one against its questionnaire (CheckValues),
// its completeness check and its score each decoded every answer again, and that was a good part
// of a tally's time. Values made by CheckValues hold every item's value and are only read after:
// they are safe for concurrent use. They describe the document's answers when they were made.
type Values struct {
	qn    *q.Questionnaire
	d     *Document
	vals  []value
	state []valueState
}

type valueState uint8

const (
	valueUnread valueState = iota // not decoded yet (Values made on demand)
	valueNone                     // no answer value (none, or only a note or evidence)
	valueOK                       // decoded
	valueBad                      // does not decode: scoring leaves it out
)

func newValues(qn *q.Questionnaire, d *Document) *Values {
	n := len(qn.Items())
	return &Values{qn: qn, d: d, vals: make([]value, n), state: make([]valueState, n)}
}

// valuesFor returns v when it was made for qn and d, else Values that decode on demand.
func valuesFor(qn *q.Questionnaire, d *Document, v *Values) *Values {
	if v := checked(qn, d, v); v != nil {
		return v
	}
	return newValues(qn, d)
}

// get returns the item's value and its state: valueNone, valueOK or valueBad.
func (v *Values) get(it *q.Item) (*value, valueState) {
	i := it.Index
	if v.state[i] == valueUnread {
		v.vals[i], v.state[i] = decodeValue(v.qn, v.d, it)
	}
	return &v.vals[i], v.state[i]
}

// decodeValue decodes the item's answer value in d.
func decodeValue(qn *q.Questionnaire, d *Document, it *q.Item) (value, valueState) {
	a := d.Answer(it.ID)
	if a == nil {
		return value{}, valueNone
	}
	x, err := parseValue(qn, it, a.Value)
	if err != nil {
		return value{}, valueBad
	}
	return x, valueOK
}

// checked returns vals when CheckValues made them for qn and d, else nil.
func checked(qn *q.Questionnaire, d *Document, vals *Values) *Values {
	if vals != nil && vals.qn == qn && vals.d == d {
		return vals
	}
	return nil
}

// CheckValues is CheckAgainst keeping what it decoded, for ScoreCheckedWithoutNotes and
// MissingChecked.
func (d *Document) CheckValues(qn *q.Questionnaire) (*Values, error) {
	v := newValues(qn, d)
	if err := d.check(qn, v); err != nil {
		return nil, err
	}
	return v, nil
}

// CheckAgainst validates every answer against the questionnaire: known item, value of the right
// kind, an existing option, a number within range.
func (d *Document) CheckAgainst(qn *q.Questionnaire) error {
	return d.check(qn, nil)
}

// check is CheckAgainst; with keep set, it records every item's value there.
func (d *Document) check(qn *q.Questionnaire, keep *Values) error {
	if d.Questionnaire.ID != qn.ID || d.Questionnaire.Version != qn.Version {
		return fmt.Errorf("文档使用问卷 %s %s，而不是 %s %s", d.Questionnaire.ID, d.Questionnaire.Version, qn.ID, qn.Version)
	}
	// Walk the questionnaire, not the map: no sorting on this hot path (the district checks
	// thousands of documents), and problems come out in questionnaire order.
	found := 0
	for _, it := range qn.Items() {
		if keep != nil {
			keep.state[it.Index] = valueNone
		}
		a, ok := d.Answers[it.ID]
		if !ok {
			continue
		}
		found++
		if !a.HasValue() {
			continue // a note or evidence without an answer yet
		}
		x, err := parseValue(qn, it, a.Value)
		if err != nil {
			return fmt.Errorf("答案 %s：%v", it.ID, err)
		}
		if keep != nil {
			keep.vals[it.Index], keep.state[it.Index] = x, valueOK
		}
	}
	if found < len(d.Answers) {
		var unknown []string
		for id := range d.Answers {
			if _, ok := qn.Item(id); !ok {
				unknown = append(unknown, id)
			}
		}
		slices.Sort(unknown)
		return fmt.Errorf("答案 %s：问卷 %s %s 中没有此题", unknown[0], qn.ID, qn.Version)
	}
	return nil
}

// MissingChecked is Missing reading the values CheckValues decoded (any other vals, nil
// included, are decoded as needed).
func MissingChecked(qn *q.Questionnaire, d *Document, vals *Values) []string {
	env := newEnv(qn, d, vals)
	var out []string
	for _, it := range qn.Items() {
		if env.isRelevant(it) && it.IsRequired() && d.Answer(it.ID) == nil {
			out = append(out, it.ID)
		}
	}
	return out
}
