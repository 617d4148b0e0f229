package assessment

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	q "smartdiag/questionnaires"
)

// answered is a document of testEnterprise on qn, created at day (days after a fixed date), every
// scale item answered with key and every other item with its lowest value, finished unless draft.
func answered(t *testing.T, ws *Workspace, qn *q.Questionnaire, code string, day int, key string, draft bool) *Document {
	t.Helper()
	e := testEnterprise
	e.CreditCode = code
	e.Categories = []string{"规上工业企业"}
	created := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, day)
	d, err := NewDocument(qn, e, Assessor{Name: "测试"}, created)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range qn.Items() {
		var v any
		switch it.Type {
		case q.TypeScale:
			v = key
		case q.TypeNumber:
			v = *it.Min
		case q.TypeSingle:
			v = it.Options[0].Key
		case q.TypeMulti:
			v = []string{it.Options[0].Key}
		case q.TypeScenario:
			v = 1
		}
		if err := d.SetAnswer(qn, it.ID, v, created); err != nil {
			t.Fatalf("%s: %v", it.ID, err)
		}
	}
	if !draft {
		if err := d.Finish(qn, created.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	data, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(ws.Path(d.ID), data); err != nil {
		t.Fatal(err)
	}
	return d
}

func bundled(t *testing.T, id string) *q.Questionnaire {
	t.Helper()
	qn, err := q.Lookup(id, "")
	if err != nil {
		t.Fatal(err)
	}
	return qn
}

// The previous diagnosis is the latest finished one of the same firm on the same questionnaire,
// created before this one: never a draft, another firm, another questionnaire, a later visit or
// the document itself.
func TestFindPrevious(t *testing.T) {
	ws, _ := OpenWorkspace(t.TempDir())
	cm, quick := bundled(t, "cmmm-full"), bundled(t, "zgsz-quick")
	code, other := "91350100M000100Y43", "91320115MA1MWXXX1U"
	answered(t, ws, cm, code, 0, "part", false)
	want := answered(t, ws, cm, code, 30, "most", false)
	answered(t, ws, cm, code, 40, "full", true)     // a draft: never confirmed
	answered(t, ws, cm, other, 50, "full", false)   // another firm
	answered(t, ws, quick, code, 55, "full", false) // another questionnaire
	cur := answered(t, ws, cm, code, 60, "full", true)
	answered(t, ws, cm, code, 90, "none", false) // a later visit

	p := ws.FindPrevious(cur)
	if p == nil || p.Doc.ID != want.ID || p.Q.ID != "cmmm-full" {
		t.Fatalf("previous = %+v, want %s", p, want.ID)
	}
	// The first visit has none; a broken previous file is skipped, not an error.
	first, _ := OpenWorkspace(t.TempDir())
	if p := first.FindPrevious(cur); p != nil {
		t.Fatalf("found %s in an empty workspace", p.Doc.ID)
	}
	os.WriteFile(ws.Path(want.ID), []byte(`{"id":"`+want.ID+`","status":"finished","created":"2026-03-31T09:00:00Z","questionnaire":{"id":"cmmm-full"},"enterprise":{"credit_code":"`+code+`"}}`), 0o644)
	if p := ws.FindPrevious(cur); p != nil {
		t.Fatalf("a broken previous document was used: %s", p.Doc.ID)
	}
}

// A repeat visit copies the profile (not shared: editing one leaves the other) and the target,
// and no answer.
func TestNewRepeatCopiesProfile(t *testing.T) {
	cm := bundled(t, "cmmm-full")
	ws, _ := OpenWorkspace(t.TempDir())
	prev := answered(t, ws, cm, "91350100M000100Y43", 0, "part", false)
	prev.TargetLevel = 3
	prev.Enterprise.PainPoints = []string{"换线慢"}
	d, err := NewRepeat(cm, prev, Assessor{Name: "沈立新"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if d.ID == prev.ID || d.Enterprise.Name != prev.Enterprise.Name || d.Enterprise.CreditCode != prev.Enterprise.CreditCode ||
		d.TargetLevel != 3 || len(d.Answers) != 0 || d.Status != StatusDraft || d.Assessor.Name != "沈立新" {
		t.Fatalf("repeat %+v", d)
	}
	d.Enterprise.Categories[0] = "改"
	d.Enterprise.PainPoints[0] = "改"
	if prev.Enterprise.Categories[0] == "改" || prev.Enterprise.PainPoints[0] == "改" {
		t.Fatal("the repeat shares its lists with the previous profile")
	}
	// Another questionnaire does not inherit a target that may not exist in it.
	d, _ = NewRepeat(bundled(t, "sme-2024"), prev, Assessor{}, time.Now())
	if d.TargetLevel != 0 {
		t.Fatalf("target %d carried to another questionnaire", d.TargetLevel)
	}
}

func TestAnswerText(t *testing.T) {
	cm := bundled(t, "cmmm-full")
	var scale, number *q.Item
	for _, it := range cm.Items() {
		if it.Type == q.TypeScale && scale == nil {
			scale = it
		}
		if it.Type == q.TypeNumber && number == nil {
			number = it
		}
	}
	sme := bundled(t, "sme-2024")
	var multi *q.Item
	for _, it := range sme.Items() {
		if it.Type == q.TypeMulti && len(it.Options) >= 2 && multi == nil {
			multi = it
		}
	}
	ans := func(qn *q.Questionnaire, it *q.Item, v any) *Answer {
		d, _ := NewDocument(qn, testEnterprise, Assessor{}, time.Now())
		if err := d.SetAnswer(qn, it.ID, v, time.Now()); err != nil {
			t.Fatal(err)
		}
		return d.Answer(it.ID)
	}
	cases := []struct {
		name string
		qn   *q.Questionnaire
		it   *q.Item
		a    *Answer
		lang string
		want string
	}{
		{"scale zh", cm, scale, ans(cm, scale, "part"), "zh", "部分满足"},
		{"scale en", cm, scale, ans(cm, scale, "part"), "en", "Partly met"},
		{"n/a", cm, scale, ans(cm, scale, "na"), "zh", "不适用"},
		{"number", cm, number, ans(cm, number, *number.Min), "zh", trimUnit(*number.Min, number.UnitIn("zh"))},
		{"multi", sme, multi, ans(sme, multi, []string{multi.Options[0].Key, multi.Options[1].Key}), "zh",
			multi.Options[0].LabelIn("zh") + "、" + multi.Options[1].LabelIn("zh")},
		{"none", cm, scale, nil, "zh", ""},
	}
	for _, c := range cases {
		if got := AnswerText(c.qn, c.it, c.a, c.lang); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func trimUnit(v float64, unit string) string {
	return strings.TrimSpace(strconv.FormatFloat(v, 'f', -1, 64) + " " + unit)
}

// Compare reports the level, score, per-sub-domain and per-item movement between two visits.
func TestCompareVisits(t *testing.T) {
	cm := bundled(t, "cmmm-full")
	ws, _ := OpenWorkspace(t.TempDir())
	code := "91350100M000100Y43"
	prev := answered(t, ws, cm, code, 0, "part", false)
	cur := answered(t, ws, cm, code, 100, "full", true)
	p := ws.FindPrevious(cur)
	if p == nil {
		t.Fatal("no previous")
	}
	c := Compare(p, cm, cur)
	before, after := Score(cm, prev), Score(cm, cur)
	if c.PreviousID != prev.ID || c.LevelBefore != before.Level || c.LevelAfter != after.Level || c.LevelAfter <= c.LevelBefore {
		t.Fatalf("levels %d → %d (scores %v → %v)", c.LevelBefore, c.LevelAfter, before.Level, after.Level)
	}
	if c.ScoreBefore != before.Score || c.ScoreAfter != after.Score || c.ScoreAfter <= c.ScoreBefore {
		t.Fatalf("score %.2f → %.2f", c.ScoreBefore, c.ScoreAfter)
	}
	if len(c.Groups) != len(after.SubDomains) || len(c.Groups) == 0 {
		t.Fatalf("%d groups, %d sub-domains", len(c.Groups), len(after.SubDomains))
	}
	for i, g := range c.Groups {
		if g.ID != after.SubDomains[i].ID || g.New || g.Delta() <= 0 {
			t.Errorf("group %+v", g)
		}
	}
	scales := 0
	for _, it := range cm.Items() {
		if it.Type == q.TypeScale {
			scales++
		}
	}
	if c.ImprovedItems != scales || c.WorsenedItems != 0 {
		t.Fatalf("improved %d (want %d), worsened %d", c.ImprovedItems, scales, c.WorsenedItems)
	}
	// Backwards: everything fell.
	back := Compare(&Previous{Doc: cur, Q: cm}, cm, prev)
	if back.WorsenedItems != scales || back.ImprovedItems != 0 || back.LevelAfter >= back.LevelBefore {
		t.Fatalf("backwards %+v", back)
	}
}

func TestPlanEmptyReason(t *testing.T) {
	cases := []struct {
		name string
		p    Plan
		want string
	}{
		{"active", Plan{CurrentLevel: 1, TargetLevel: 2, Actions: []*Action{{}}}, ""},
		{"reached", Plan{CurrentLevel: 3, TargetLevel: 3}, EmptyTargetReached},
		{"above", Plan{CurrentLevel: 4, TargetLevel: 3}, EmptyTargetReached},
		{"nothing applicable", Plan{CurrentLevel: 1, TargetLevel: 2}, EmptyNothingApplicable},
		{"all excluded", Plan{CurrentLevel: 1, TargetLevel: 2, Actions: []*Action{{Excluded: true}}}, EmptyAllExcluded},
	}
	for _, c := range cases {
		if got := c.p.EmptyReason(); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
		if c.want != "" && (EmptyText(c.want, "zh") == "" || EmptyText(c.want, "en") == "" || EmptyText(c.want, "zh") == EmptyText(c.want, "en")) {
			t.Errorf("%s: no text in both languages", c.name)
		}
	}
}
