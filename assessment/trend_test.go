package assessment_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/demo"
	q "smartdiag/questionnaires"
)

// earlierOf makes an earlier diagnosis of d's firm: a year before, with the answers of the given
// items at the scale's lowest option (and so in the earlier plan).
func earlierOf(t *testing.T, qn *q.Questionnaire, d *assessment.Document, lower []string) *assessment.Document {
	t.Helper()
	data, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	e, err := assessment.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	e.ID = "019a0000-0000-7000-8000-000000000001"
	fin := assessment.DiagnosisDate(d).AddDate(-1, 0, 0)
	e.Finished, e.Created = &fin, fin.Add(-2*time.Hour)
	low, _ := json.Marshal(scaleEnd(qn, false))
	for _, id := range lower {
		e.Answers[id].Value = low
	}
	return e
}

// scaleEnd is the key of the scale's highest (or lowest) option.
func scaleEnd(qn *q.Questionnaire, highest bool) string {
	best := qn.CMMM.Scale[0]
	for _, o := range qn.CMMM.Scale {
		if (o.Value > best.Value) == highest && o.Value != best.Value {
			best = o
		}
	}
	return best.Key
}

func TestTrendFindsTheActionsDoneSince(t *testing.T) {
	qn, err := q.Lookup("cmmm-full", "")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := demo.Generate(demo.Options{Count: 6, Seed: 3, Questionnaire: qn})
	if err != nil {
		t.Fatal(err)
	}
	var d *assessment.Document
	var res *assessment.Result
	for _, c := range docs {
		if r := assessment.Score(qn, c); r.Level >= 1 {
			d, res = c, r
			break
		}
	}
	if d == nil {
		t.Fatal("no demo firm at level 1 or above")
	}
	// Four answered level-1 items: fully met now, at the scale's bottom a year ago.
	top, _ := json.Marshal(scaleEnd(qn, true))
	var lowered []string
	for _, it := range qn.Items() {
		a := d.Answers[it.ID]
		if it.Level != 1 || it.Type != q.TypeScale || a == nil || len(lowered) == 4 {
			continue
		}
		var key string
		json.Unmarshal(a.Value, &key)
		if qn.CMMM.NA != nil && key == qn.CMMM.NA.Key {
			continue
		}
		a.Value = top
		lowered = append(lowered, it.ID)
	}
	res = assessment.Score(qn, d)
	e := earlierOf(t, qn, d, lowered)
	if !assessment.IsEarlierOf(e, d) || assessment.IsEarlierOf(d, e) {
		t.Fatal("IsEarlierOf: the copy a year before is not earlier (or the order is wrong)")
	}
	tr := assessment.CompareWithEarlier(qn, d, res, qn, e, nil)
	var done []string
	for _, a := range tr.Done {
		done = append(done, a.ItemID)
	}
	for _, id := range lowered {
		if !slices.Contains(done, id) {
			t.Errorf("%s: met now, a gap then, not listed as done (done: %v)", id, done)
		}
	}
	if len(tr.Done) != len(lowered) {
		t.Errorf("done %v, want exactly the lowered items %v", done, lowered)
	}
	if tr.EarlierActions != len(tr.Done)+len(tr.Improved)+len(tr.Open)+tr.NotApplicable {
		t.Errorf("earlier actions %d ≠ done %d + improved %d + open %d + n/a %d", tr.EarlierActions, len(tr.Done), len(tr.Improved), len(tr.Open), tr.NotApplicable)
	}
	if tr.Score[0] > tr.Score[1] || tr.Level[1] != res.Level {
		t.Errorf("score %v level %v: lowering answers cannot raise the earlier score", tr.Score, tr.Level)
	}
	rose := 0
	for _, row := range tr.Groups {
		if !row.HasBefore || !row.HasAfter {
			t.Errorf("%s: missing on one side", row.ID)
		}
		if row.Delta() > 0 {
			rose++
		}
	}
	if rose == 0 || len(tr.Groups) != len(res.SubDomains) || len(tr.Tracks) != 3 {
		t.Errorf("%d sub-domains rose of %d rows; %d tracks", rose, len(tr.Groups), len(tr.Tracks))
	}
}

func TestIsEarlierOf(t *testing.T) {
	day := func(y int) *time.Time { d := time.Date(y, 5, 1, 0, 0, 0, 0, time.UTC); return &d }
	base := func() *assessment.Document {
		d := &assessment.Document{ID: "b", Status: assessment.StatusFinished, Created: *day(2026)}
		d.Enterprise.CreditCode = "91320115MA1XXXXX0X"
		d.Questionnaire.ID = "cmmm-full"
		return d
	}
	d := base()
	cases := []struct {
		name string
		edit func(e *assessment.Document)
		want bool
	}{
		{"a year before", func(e *assessment.Document) { e.ID, e.Created = "a", *day(2025) }, true},
		{"same document", func(e *assessment.Document) { e.Created = *day(2025) }, false},
		{"later", func(e *assessment.Document) { e.ID, e.Created = "a", *day(2027) }, false},
		{"other firm", func(e *assessment.Document) {
			e.ID, e.Created, e.Enterprise.CreditCode = "a", *day(2025), "913201000000000000"
		}, false},
		{"other questionnaire", func(e *assessment.Document) { e.ID, e.Created, e.Questionnaire.ID = "a", *day(2025), "zgsz-quick" }, false},
		{"draft", func(e *assessment.Document) { e.ID, e.Created, e.Status = "a", *day(2025), assessment.StatusDraft }, false},
		{"no credit code", func(e *assessment.Document) {
			e.ID, e.Created, e.Enterprise.CreditCode = "a", *day(2025), ""
			d.Enterprise.CreditCode = ""
		}, false},
	}
	for _, c := range cases {
		d = base()
		e := base()
		c.edit(e)
		if got := assessment.IsEarlierOf(e, d); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
