package assessment_test

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"

	"smartdiag/assessment"
	"smartdiag/demo"
	q "smartdiag/questionnaires"
)

// The district decodes a document's answers once (CheckValues) and scores them and checks them
// for completeness from there: on varied documents of every bundled questionnaire (demo firms of
// every production type, answers dropped, left as notes only, set to N/A), the result is
// assessment.Score's and the missing items are Missing's.
func TestScoreCheckedIsScore(t *testing.T) {
	all, err := q.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, qn := range all {
		docs, err := demo.Generate(demo.Options{Count: 12, Seed: 5, Questionnaire: qn})
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range docs {
			for _, v := range variants(qn, d, i) {
				n++
				checkScoreChecked(t, fmt.Sprintf("%s #%d %s", qn.ID, i, v.name), qn, v.doc)
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d documents", n)
	}
}

type variant struct {
	name string
	doc  *assessment.Document
}

// variants are d as generated and changed in ways that move relevance, completeness and means.
func variants(qn *q.Questionnaire, d *assessment.Document, seed int) []variant {
	clone := func() *assessment.Document {
		raw, err := json.Marshal(d)
		if err != nil {
			panic(err)
		}
		var c assessment.Document
		if err := json.Unmarshal(raw, &c); err != nil {
			panic(err)
		}
		return &c
	}
	ids := make([]string, 0, len(d.Answers))
	for id := range d.Answers {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := []variant{{"as generated", d}}

	dropped := clone() // every third answer dropped: required items missing, conditions unmet
	for i, id := range ids {
		if (i+seed)%3 == 0 {
			delete(dropped.Answers, id)
		}
	}
	out = append(out, variant{"dropped", dropped})

	notes := clone() // some answers keep only a note: answered no more, but still there
	for i, id := range ids {
		if (i+seed)%4 == 1 {
			notes.Answers[id].Value = nil
			notes.Answers[id].Note = "待补充"
		}
	}
	out = append(out, variant{"notes", notes})

	if qn.CMMM != nil && qn.CMMM.NA != nil {
		na := clone() // N/A answers are left out of every mean
		raw, _ := json.Marshal(qn.CMMM.NA.Key)
		for i, id := range ids {
			if it, ok := qn.Item(id); ok && it.Type == q.TypeScale && (i+seed)%5 == 2 {
				na.Answers[id].Value = raw
			}
		}
		out = append(out, variant{"na", na})
	}

	for _, pt := range []string{"discrete", "process", "mixed"} { // items for other types drop out
		other := clone()
		other.Enterprise.ProductionType = pt
		out = append(out, variant{pt, other})
	}
	out = append(out, variant{"empty", func() *assessment.Document {
		e := clone()
		e.Answers = map[string]*assessment.Answer{}
		return e
	}()})
	return out
}

func checkScoreChecked(t *testing.T, what string, qn *q.Questionnaire, d *assessment.Document) {
	t.Helper()
	vals, err := d.CheckValues(qn)
	if want := d.CheckAgainst(qn); fmt.Sprint(err) != fmt.Sprint(want) {
		t.Fatalf("%s: CheckValues %v, CheckAgainst %v", what, err, want)
	}
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	want := assessment.Score(qn, d)
	want.Notes = nil
	if got := assessment.ScoreCheckedWithoutNotes(qn, d, vals); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: score from the checked values\n got %+v\nwant %+v", what, got, want)
	}
	// Missing as it was worked out: every relevant, required item without an answer value.
	rel := assessment.Relevant(qn, d)
	var missing []string
	for _, it := range qn.Items() {
		if rel[it.ID] && it.IsRequired() && d.Answer(it.ID) == nil {
			missing = append(missing, it.ID)
		}
	}
	if got := assessment.MissingChecked(qn, d, vals); !reflect.DeepEqual(got, missing) {
		t.Fatalf("%s: missing %v, want %v", what, got, missing)
	}
	if got := assessment.Missing(qn, d); !reflect.DeepEqual(got, missing) {
		t.Fatalf("%s: Missing %v, want %v", what, got, missing)
	}
	// Values made for another document are not read: the document is decoded instead.
	other := *d
	other.Answers = map[string]*assessment.Answer{}
	if got, want := assessment.ScoreCheckedWithoutNotes(qn, &other, vals), assessment.ScoreWithoutNotes(qn, &other); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: values of another document were used", what)
	}
}

// CheckValues refuses what CheckAgainst refuses, with the same message.
func TestCheckValuesRefusesAsCheckAgainst(t *testing.T) {
	qn, err := q.Lookup("cmmm-full", "")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := demo.Generate(demo.Options{Count: 1, Seed: 9, Questionnaire: qn})
	if err != nil {
		t.Fatal(err)
	}
	scale := ""
	for _, it := range qn.Items() {
		if it.Type == q.TypeScale {
			scale = it.ID
			break
		}
	}
	for _, tc := range []struct {
		name string
		edit func(d *assessment.Document)
	}{
		{"unknown option", func(d *assessment.Document) {
			d.Answers[scale] = &assessment.Answer{Value: json.RawMessage(`"sometimes"`)}
		}},
		{"escaped option", func(d *assessment.Document) {
			d.Answers[scale] = &assessment.Answer{Value: json.RawMessage(`"f\u0075ll"`)}
		}},
		{"number for option", func(d *assessment.Document) { d.Answers[scale] = &assessment.Answer{Value: json.RawMessage(`3`)} }},
		{"unknown item", func(d *assessment.Document) {
			d.Answers["Z.9.9"] = &assessment.Answer{Value: json.RawMessage(`"full"`)}
		}},
		{"other questionnaire", func(d *assessment.Document) { d.Questionnaire.Version = "0.9" }},
	} {
		d := docs[0]
		raw, _ := json.Marshal(d)
		var c assessment.Document
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		tc.edit(&c)
		vals, err := c.CheckValues(qn)
		want := c.CheckAgainst(qn)
		if fmt.Sprint(err) != fmt.Sprint(want) {
			t.Errorf("%s: CheckValues %v, CheckAgainst %v", tc.name, err, want)
		}
		if tc.name == "escaped option" {
			// Not the usual form, but the same key: decoded the general way, and accepted.
			if err != nil || vals == nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if err == nil || vals != nil {
			t.Errorf("%s: accepted (%v)", tc.name, err)
		}
	}
}

// Scores are rounded with a table of powers of ten: it must hold what math.Pow gives.
func TestPowersOf10(t *testing.T) {
	for i, p := range assessment.PowersOf10 {
		if want := math.Pow(10, float64(i)); p != want {
			t.Errorf("10^%d: %v, math.Pow %v", i, p, want)
		}
	}
}
