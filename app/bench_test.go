package app

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"smartdiag/assessment"
	"smartdiag/demo"
	q "smartdiag/questionnaires"
)

// BenchmarkAnswerAndNext answers the current item with key 1 and moves on with →, through the same
// handlers the keys and buttons use; every answer is saved to disk (fsync included). It reports
// the 99th percentile of one answer-and-move.
func BenchmarkAnswerAndNext(b *testing.B) {
	a := test.NewTempApp(b)
	dir := b.TempDir()
	a.Preferences().SetString(prefWorkspace, dir)
	ui := New(a)
	qn, _ := q.Lookup("cmmm-full", "")
	d, _ := assessment.NewDocument(qn, assessment.Enterprise{Name: "测试", CreditCode: "91350100M000100Y43",
		Categories: []string{"规上工业企业"}, ProductionType: "discrete"}, assessment.Assessor{}, time.Now())
	s, _ := assessment.NewSession(ui.ws, d, qn)
	ui.showWizard(s, "")
	w := ui.wizard
	var times []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		w.typedRune('1')
		w.typedKey(&fyneKeyRight)
		times = append(times, time.Since(t0))
		if w.pos == len(w.items)-1 {
			w.pos = 0
			w.show()
		}
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkColdStart500 builds the UI on a workspace of 500 diagnoses until the home list is
// filled (the list loads in the background in the app; inline here).
func BenchmarkColdStart500(b *testing.B) {
	dir := b.TempDir()
	ws, _ := assessment.OpenWorkspace(dir)
	docs, err := demo.Generate(demo.Options{Count: 500, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range docs {
		ws.Save(d)
	}
	b.ResetTimer()
	for b.Loop() {
		a := test.NewTempApp(b)
		a.Preferences().SetString(prefWorkspace, dir)
		ui := New(a)
		if n := len(ui.home.entries); n != 500 {
			b.Fatalf("%d entries", n)
		}
	}
}

var fyneKeyRight = fyne.KeyEvent{Name: fyne.KeyRight}
