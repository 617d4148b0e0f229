package tally

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/demo"
	q "smartdiag/questionnaires"
	"smartdiag/seal/sealtest"
	"smartdiag/tally/tallytest"
)

// A folder with AI diagnoses and a CMMM one: the AI levels are counted for the district, by street
// and by category, from the scores of the documents; the CMMM one stays out of them.
func TestTallyAILevels(t *testing.T) {
	qn, err := q.Lookup("ai-2026", "")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := demo.Generate(demo.Options{Count: 30, Seed: 13, Questionnaire: qn})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	want := map[string]int{}
	wantStreet := map[string]map[string]int{}
	wantShare := 0.0
	for i, d := range docs {
		d.Enterprise.CreditCode = sealtest.Code(i)
		r := assessment.Score(qn, d)
		want[itoa(r.AI.Level)]++
		if wantStreet[d.Enterprise.Street] == nil {
			wantStreet[d.Enterprise.Street] = map[string]int{}
		}
		wantStreet[d.Enterprise.Street][itoa(r.AI.Level)]++
		wantShare += r.AI.Share
		sealtest.WriteFile(t, filepath.Join(dir, d.ID+assessment.Ext), tallytest.Seal(t, d, "甲服务商"))
	}
	cm := sealtest.Variant(t, 0, sealtest.Firm{Name: "南京成熟度测试有限公司", Code: sealtest.Code(99)}, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	sealtest.WriteFile(t, filepath.Join(dir, cm.ID+assessment.Ext), tallytest.Seal(t, cm, "甲服务商"))
	// A firm of the AI round that later also had a smart-manufacturing diagnosis: the CMMM one is
	// counted for coverage, its AI diagnosis still counts in the AI distribution.
	both := docs[0]
	later := sealtest.Variant(t, 0, sealtest.Firm{Name: both.Enterprise.Name, Code: both.Enterprise.CreditCode}, both.Finished.Add(24*time.Hour))
	sealtest.WriteFile(t, filepath.Join(dir, later.ID+assessment.Ext), tallytest.Seal(t, later, "甲服务商"))

	res, err := TallyWith([]string{dir}, Options{Trusted: sealtest.TrustOf("甲服务商"), Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Diagnoses.Counted != 31 || res.Diagnoses.Earlier != 1 || res.AI == nil {
		t.Fatalf("counted %d, ai %v", res.Diagnoses.Counted, res.AI)
	}
	ai := res.AI
	if ai.N != 30 || len(ai.LevelNames) != 5 || ai.LevelNames[2] != "二级（试点级）" {
		t.Errorf("n %d, names %v", ai.N, ai.LevelNames)
	}
	for l, n := range want {
		if ai.Levels[l] != n {
			t.Errorf("level %s: %d firms, want %d", l, ai.Levels[l], n)
		}
	}
	if d := ai.MeanShare - round3(wantShare/30); d > 1e-9 || d < -1e-9 {
		t.Errorf("mean share %v, want %v", ai.MeanShare, round3(wantShare/30))
	}
	streets := 0
	for _, g := range ai.ByStreet {
		streets += g.N
		for l, n := range wantStreet[g.Name] {
			if g.Levels[l] != n {
				t.Errorf("%s level %s: %d, want %d", g.Name, l, g.Levels[l], n)
			}
		}
	}
	cats := 0
	for _, g := range ai.ByCategory {
		cats += g.N
	}
	if streets != 30 || cats < 30 {
		t.Errorf("by street %d firms, by category %d", streets, cats)
	}
	// Most demo firms have no AI in production: the distribution is bottom-heavy.
	if ai.Levels["0"]+ai.Levels["1"] < ai.N/2 {
		t.Errorf("levels %v: most firms should be below 二级", ai.Levels)
	}
	b, _ := json.Marshal(res)
	var back struct {
		AI *struct {
			Levels map[string]int `json:"levels"`
		} `json:"ai"`
	}
	json.Unmarshal(b, &back)
	if back.AI == nil || len(back.AI.Levels) != 5 {
		t.Errorf("tally json without the ai block")
	}
	// Its number items have no national benchmark: the KPI table names them from the questionnaire.
	named := 0
	for _, k := range res.KPIs {
		if strings.HasPrefix(k.Key, "AI-KPI-") {
			if k.Name == k.Key || k.Name == "" {
				t.Errorf("KPI %s named %q", k.Key, k.Name)
			}
			named++
		}
		if k.Key == "AI-KPI-INV" && k.Unit != "万元" {
			t.Errorf("KPI %s unit %q", k.Key, k.Unit)
		}
	}
	if named == 0 {
		t.Error("no AI KPI in the tally")
	}
	// The Excel level sheet's AI block (tally/xlsx appends these rows).
	found := false
	for _, r := range AIExcelRows(res) {
		if len(r) > 1 && r[0] == "AI应用等级（参照）" && r[1] == 30 {
			found = true
		}
	}
	if !found {
		t.Error("no AI block for the levels sheet")
	}
	// The brief's note under the CMMM chart names the AI diagnoses instead of calling them points ones.
	if note := AIBriefNote(res); res.LevelsOther != 29 || !strings.Contains(note, "另有 29 家的最新诊断不是成熟度问卷") || !strings.Contains(note, "人工智能+制造诊断 30 家") || strings.Contains(note, "百分制") {
		t.Errorf("brief note %q (other %d)", note, res.LevelsOther)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
