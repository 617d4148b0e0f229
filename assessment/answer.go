package assessment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	q "smartdiag/questionnaires"
)

// value is an answer decoded according to its item's type.
type value struct {
	// missing marks a required item a draft has not answered: it counts as not met (0) in every
	// mean and earns no points, whatever band or option would hold a zero value.
	missing bool
	na      bool     // scale: 不适用
	score   float64  // scale: the option's value
	key     string   // scale or single: the chosen key
	keys    []string // multi
	number  float64  // number, scenario level
}

// jsonString and jsonNumber decode the common plain forms directly; scoring reads every answer,
// and json.Unmarshal per answer dominated its cost.
func jsonString(raw json.RawMessage, s *string) error {
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' && bytes.IndexByte(raw[1:n-1], '\\') < 0 && bytes.IndexByte(raw[1:n-1], '"') < 0 && utf8.Valid(raw) {
		*s = string(raw[1 : n-1])
		return nil
	}
	return json.Unmarshal(raw, s)
}

func jsonNumber(raw json.RawMessage, f *float64) error {
	if len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		if x, err := strconv.ParseFloat(string(raw), 64); err == nil {
			*f = x
			return nil
		}
	}
	return json.Unmarshal(raw, f)
}

// plainString returns the contents of a JSON string without escapes (nil, false for anything
// else): compared with option keys, it finds the key without allocating a string per answer.
func plainString(raw json.RawMessage) ([]byte, bool) {
	n := len(raw)
	if n < 2 || raw[0] != '"' || raw[n-1] != '"' || bytes.IndexByte(raw[1:n-1], '\\') >= 0 || bytes.IndexByte(raw[1:n-1], '"') >= 0 {
		return nil, false
	}
	return raw[1 : n-1], true
}

func parseValue(qn *q.Questionnaire, it *q.Item, raw json.RawMessage) (value, error) {
	var v value
	// The usual answers, an option's key as a plain string, are matched without decoding; the
	// key is then the questionnaire's string. Anything else, errors included, goes the general
	// way below.
	switch it.Type {
	case q.TypeScale:
		if k, ok := plainString(raw); ok {
			if na := qn.CMMM.NA; na != nil && string(k) == na.Key {
				v.key, v.na = na.Key, true
				return v, nil
			}
			for _, o := range qn.CMMM.Scale {
				if string(k) == o.Key {
					v.key, v.score = o.Key, o.Value
					return v, nil
				}
			}
		}
	case q.TypeSingle:
		if k, ok := plainString(raw); ok {
			for _, o := range it.Options {
				if string(k) == o.Key {
					v.key = o.Key
					return v, nil
				}
			}
		}
	}
	switch it.Type {
	case q.TypeScale:
		if err := jsonString(raw, &v.key); err != nil {
			return v, fmt.Errorf("应为选项（如 %q），实际为 %s", qn.CMMM.Scale[0].Key, raw)
		}
		if qn.CMMM.NA != nil && v.key == qn.CMMM.NA.Key {
			v.na = true
			return v, nil
		}
		for _, o := range qn.CMMM.Scale {
			if o.Key == v.key {
				v.score = o.Value
				return v, nil
			}
		}
		return v, fmt.Errorf("选项 %q 不在评分量表中", v.key)
	case q.TypeSingle:
		if err := jsonString(raw, &v.key); err != nil {
			return v, fmt.Errorf("应为一个选项，实际为 %s", raw)
		}
		if _, ok := it.Option(v.key); !ok {
			return v, fmt.Errorf("选项 %q 不存在", v.key)
		}
	case q.TypeMulti:
		if err := json.Unmarshal(raw, &v.keys); err != nil {
			return v, fmt.Errorf("应为选项列表，实际为 %s", raw)
		}
		for i, k := range v.keys {
			o, ok := it.Option(k)
			if !ok {
				return v, fmt.Errorf("选项 %q 不存在", k)
			}
			if o.Exclusive && len(v.keys) > 1 {
				return v, fmt.Errorf("「%s」不能与其他选项同时选择", o.Label)
			}
			if slices.Contains(v.keys[:i], k) {
				return v, fmt.Errorf("选项 %q 重复", k)
			}
		}
	case q.TypeNumber:
		if err := jsonNumber(raw, &v.number); err != nil || math.IsNaN(v.number) {
			return v, fmt.Errorf("应为数值，实际为 %s", raw)
		}
		if (it.Min != nil && v.number < *it.Min) || (it.Max != nil && v.number > *it.Max) {
			return v, fmt.Errorf("数值 %g 超出范围 %g–%g %s", v.number, *it.Min, *it.Max, it.Unit)
		}
	case q.TypeScenario:
		if err := jsonNumber(raw, &v.number); err != nil || v.number != math.Trunc(v.number) {
			return v, fmt.Errorf("应为场景等级（整数），实际为 %s", raw)
		}
		if n := len(qn.Points.ScenarioLevels); v.number < 0 || int(v.number) > n {
			return v, fmt.Errorf("场景等级 %g 超出范围 0–%d", v.number, n)
		}
	default:
		return v, fmt.Errorf("未知题型 %q", it.Type)
	}
	return v, nil
}

// SetAnswer records an answer after checking it against the item, and stamps the time. value is a
// Go value: a string key, []string of keys, or a number.
func (d *Document) SetAnswer(qn *q.Questionnaire, itemID string, val any, now time.Time) error {
	if d.Status != StatusDraft {
		return fmt.Errorf("文档已%s，不能修改答案", statusName(d.Status))
	}
	it, ok := qn.Item(itemID)
	if !ok {
		return fmt.Errorf("问卷中没有题号 %s", itemID)
	}
	raw, err := json.Marshal(val)
	if err != nil {
		return err
	}
	if _, err := parseValue(qn, it, raw); err != nil {
		return fmt.Errorf("%s：%v", itemID, err)
	}
	now = now.UTC().Truncate(time.Millisecond)
	a := d.Answers[itemID]
	if a == nil {
		a = &Answer{}
		d.Answers[itemID] = a
	}
	a.Value, a.AnsweredAt = raw, now
	d.Updated = now
	return nil
}

// HasValue reports whether the item has been answered (an answer may hold only a note).
func (a *Answer) HasValue() bool {
	return a != nil && len(a.Value) > 0 && string(a.Value) != "null"
}

// Answer returns the answer to an item if it has a value, else nil.
func (d *Document) Answer(itemID string) *Answer {
	if a := d.Answers[itemID]; a.HasValue() {
		return a
	}
	return nil
}

// ClearAnswer removes an item's answer value (a number field emptied by the consultant), keeping
// its note and evidence; an answer left with neither is removed whole. Clearing an unanswered item
// is a no-op.
func (d *Document) ClearAnswer(itemID string, now time.Time) error {
	if d.Status != StatusDraft {
		return fmt.Errorf("文档已%s，不能修改答案", statusName(d.Status))
	}
	a := d.Answers[itemID]
	if !a.HasValue() {
		return nil
	}
	a.Value, a.AnsweredAt = nil, time.Time{}
	if a.Note == "" && len(a.Evidence) == 0 {
		delete(d.Answers, itemID)
	}
	d.Updated = now.UTC().Truncate(time.Millisecond)
	return nil
}

// SetNote sets the consultant's note on an item, keeping any answer.
func (d *Document) SetNote(itemID, note string, now time.Time) error {
	if d.Status != StatusDraft {
		return fmt.Errorf("文档已%s，不能修改备注", statusName(d.Status))
	}
	a := d.Answers[itemID]
	if a == nil {
		if note == "" {
			return nil
		}
		// A note may come before the answer: consultants write while they look.
		a = &Answer{}
		d.Answers[itemID] = a
	}
	a.Note = note
	d.Updated = now.UTC().Truncate(time.Millisecond)
	return nil
}

func statusName(s string) string {
	switch s {
	case StatusFinished:
		return "完成"
	case StatusSealed:
		return "封存"
	}
	return "处于草稿状态"
}

// answerEnv evaluates relevance conditions for one document. An answer to an item that is itself
// hidden counts as missing, so a stale answer never keeps a follow-up question visible.
type answerEnv struct {
	qn       *q.Questionnaire
	doc      *Document
	vals     *Values // nil: answers are decoded where a condition reads them
	relevant []int8  // by item index: 0 unknown, 1 shown, -1 hidden
}

// newEnv reads answers from vals when they were made for qn and d (by CheckValues, or by
// scoring), else decodes them as needed.
func newEnv(qn *q.Questionnaire, d *Document, vals *Values) *answerEnv {
	return &answerEnv{qn: qn, doc: d, vals: checked(qn, d, vals), relevant: make([]int8, len(qn.Items()))}
}

// value is the item's answer value and its state.
func (e *answerEnv) value(it *q.Item) (value, valueState) {
	if e.vals != nil {
		v, st := e.vals.get(it)
		return *v, st
	}
	return decodeValue(e.qn, e.doc, it)
}

func (e *answerEnv) Profile(field string) (q.Value, bool) {
	p := e.doc.Enterprise
	switch field {
	case "production_type":
		return q.Str(p.ProductionType), p.ProductionType != ""
	case "categories":
		return q.List(p.Categories...), true
	case "industry":
		return q.Str(p.Industry), p.Industry != ""
	case "street":
		return q.Str(p.Street), p.Street != ""
	case "employees":
		return q.Num(float64(p.Employees)), p.Employees > 0
	case "revenue_wan":
		return q.Num(p.RevenueWan), p.RevenueWan > 0
	}
	return q.Value{}, false
}

func (e *answerEnv) Answer(id string) (q.Value, bool) {
	it, ok := e.qn.Item(id)
	if !ok || !e.isRelevant(it) {
		return q.Value{}, false
	}
	v, st := e.value(it)
	if st != valueOK || v.na {
		return q.Value{}, false
	}
	switch it.Type {
	case q.TypeScale:
		return q.Num(v.score), true
	case q.TypeSingle:
		return q.Str(v.key), true
	case q.TypeMulti:
		return q.List(v.keys...), true
	}
	return q.Num(v.number), true
}

// isRelevant: the item applies to the production type and its condition holds. Conditions are
// acyclic (the validator guarantees it), so the recursion through Answer terminates.
func (e *answerEnv) isRelevant(it *q.Item) bool {
	if r := e.relevant[it.Index]; r != 0 {
		return r > 0
	}
	r := it.AppliesToType(e.doc.Enterprise.ProductionType) && it.Cond.Eval(e)
	e.relevant[it.Index] = -1
	if r {
		e.relevant[it.Index] = 1
	}
	return r
}

// Relevant reports, for every item, whether it is shown for this document.
func Relevant(qn *q.Questionnaire, d *Document) map[string]bool {
	env := newEnv(qn, d, nil)
	out := make(map[string]bool, len(qn.Items()))
	for _, it := range qn.Items() {
		out[it.ID] = env.isRelevant(it)
	}
	return out
}

// Missing lists the required, relevant items that have no answer, in questionnaire order.
func Missing(qn *q.Questionnaire, d *Document) []string {
	return MissingChecked(qn, d, nil)
}

// Finish marks a draft finished. Every required, relevant item must be answered.
func (d *Document) Finish(qn *q.Questionnaire, now time.Time) error {
	if d.Status != StatusDraft {
		return fmt.Errorf("文档已%s", statusName(d.Status))
	}
	if m := Missing(qn, d); len(m) > 0 {
		show := m
		if len(show) > 10 {
			show = show[:10]
		}
		return fmt.Errorf("还有 %d 道必答题未回答：%v", len(m), show)
	}
	t := now.UTC().Truncate(time.Second)
	d.Status, d.Finished, d.Updated = StatusFinished, &t, t
	return nil
}
