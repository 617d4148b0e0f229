package tally

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/district"
	"smartdiag/questionnaires"
	"smartdiag/roster"
	"smartdiag/seal"
	"smartdiag/seal/sealtest"
	"smartdiag/tally/tallytest"
)

// The small district of the hand-checked tests lives in tally/tallytest, shared with the exports'
// tests.
var (
	f1, f2, f4, f5, f6, fx = tallytest.F1, tallytest.F2, tallytest.F4, tallytest.F5, tallytest.F6, tallytest.FX
	smallRoster            = tallytest.SmallRoster
	at                     = tallytest.At
	writeSmallDistrict     = tallytest.WriteSmallDistrict
	smallTrust             = tallytest.SmallTrust
	asOf                   = tallytest.AsOf
)

func TestTallyNumbersCheckedByHand(t *testing.T) {
	s := writeSmallDistrict(t)
	res, err := TallyWith([]string{s.Dir}, Options{Roster: smallRoster(t), Trusted: smallTrust, Now: asOf, District: questionnaires.BundledDistrict()})
	if err != nil {
		t.Fatal(err)
	}
	eq := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	// Roster: 8 data rows, 6 valid, row 8 invalid, row 9 a duplicate of F1.
	eq("roster rows", res.Roster.Rows, 8)
	eq("roster valid", res.Roster.Valid, 6)
	eq("invalid row", res.Roster.Invalid[0].Row, 8)
	eq("duplicate", res.Roster.Duplicates[0], roster.Duplicate{Row: 9, CreditCode: f1.Code, FirstRow: 2})

	// Diagnoses: 8 files; D1 D2 D3 D4 D5 D8 verified; D6 tampered, D7 unknown signer.
	dg := res.Diagnoses
	eq("files", dg.Files, 8)
	eq("valid", dg.Valid, 6)
	eq("counted", dg.Counted, 4) // F1 (D1), F2 (D3), F3 (D5), X (D8)
	eq("earlier", dg.Earlier, 1) // D2
	eq("superseded", dg.Superseded, 1)
	eq("rejected", len(dg.Rejected), 2)
	rej := map[string]Rejected{}
	for _, r := range dg.Rejected {
		rej[filepath.Base(r.File)] = r
	}
	eq("D6 status", rej["D6.sdiag"].Status, seal.VerifyTampered)
	eq("D6 firm", rej["D6.sdiag"].CreditCode, f4.Code)
	eq("D7 status", rej["D7.sdiag"].Status, seal.VerifyUnknownSigner)
	eq("D7 provider", rej["D7.sdiag"].Provider, "丙服务商")
	if !strings.Contains(rej["D7.sdiag"].Reason, "不在信任列表") || !strings.Contains(rej["D6.sdiag"].Reason, "签名不符") {
		t.Errorf("reasons: %+v", dg.Rejected)
	}
	eq("by status", dg.ByStatus, map[string]int{seal.VerifyTampered: 1, seal.VerifyUnknownSigner: 1})
	eq("duplicates", len(dg.Duplicates), 1)
	eq("duplicate firm", dg.Duplicates[0].CreditCode, f2.Code)
	eq("duplicate counted", dg.Duplicates[0].Counted, s.IDs["D3"])
	eq("duplicate documents", len(dg.Duplicates[0].Documents), 2)

	// Coverage: F1 F2 F3 of six roster firms.
	cov := res.Coverage
	eq("total", cov.Total, Cov{Target: intp(6), Diagnosed: 3, Rate: ptr(0.5)})
	eq("规上", cov.ByCategory[tallytest.AboveScale], Cov{Target: intp(3), Diagnosed: 2, Rate: ptr(2.0 / 3)}) // F1 F2 of F1 F2 F5
	eq("高成长", cov.ByCategory[tallytest.HighGrowth], Cov{Target: intp(2), Diagnosed: 2, Rate: ptr(1.0)})    // F2 F3: F2 counts in both
	eq("新开工", cov.ByCategory[tallytest.NewStart], Cov{Target: intp(2), Diagnosed: 0, Rate: ptr(0.0)})
	eq("东山", cov.ByStreet["东山街道"], Cov{Target: intp(2), Diagnosed: 2, Rate: ptr(1.0)})
	eq("秣陵", cov.ByStreet["秣陵街道"], Cov{Target: intp(2), Diagnosed: 1, Rate: ptr(0.5)})
	eq("汤山", cov.ByStreet["汤山街道"], Cov{Target: intp(2), Diagnosed: 0, Rate: ptr(0.0)})
	eq("streets", len(cov.ByStreet), 3) // X's street is not a roster street
	eq("34", cov.ByIndustry["34 通用设备制造业"], Cov{Target: intp(2), Diagnosed: 1, Rate: ptr(0.5)})
	eq("36", cov.ByIndustry["36 汽车制造业"].Diagnosed, 1)
	eq("38", cov.ByIndustry["38 电气机械和器材制造业"].Diagnosed, 0)

	// Providers: 甲 has D1 (counted), D2 (earlier), D8 (counted, off the roster) and the
	// tampered D6; 乙 has D3 and D5 (counted) and D4 (superseded); 丙 only the untrusted D7.
	eq("甲", *cov.ByProvider["甲服务商"], ProviderStat{Counted: 2, Documents: 3, Earlier: 1, Rejected: 1, OffRoster: 1, MeanLevel: ptr(0.5), levelSum: 1, levelN: 2})
	eq("乙", *cov.ByProvider["乙服务商"], ProviderStat{Counted: 2, Documents: 3, Earlier: 1, MeanLevel: ptr(2.0), levelSum: 4, levelN: 2})
	eq("丙", *cov.ByProvider["丙服务商"], ProviderStat{Rejected: 1})

	// Levels of the counted diagnoses: X 0, F1 1, F2 2, F3 2.
	eq("levels", res.Levels, map[string]int{"0": 1, "1": 1, "2": 2, "3": 0, "4": 0, "5": 0})
	eq("references", len(res.LevelReference), 2)
	for _, ref := range res.LevelReference {
		for _, g := range ref.Groups {
			if slices.Equal(g.Levels, []int{2}) && (g.District != 2 || g.DistrictShare != 0.5) {
				t.Errorf("%s: level 2 group %+v", ref.ID, g)
			}
		}
	}

	// Progress: F2 from level 1 (D2) to level 2 (D3).
	eq("progress", res.Progress, ProgressInfo{Firms: 1, Improved: 1, Changes: []LevelChange{{CreditCode: f2.Code, Name: f2.Name, From: 1, To: 2, FromDate: "2026-04-05", ToDate: "2026-06-20"}}})

	// Months: F1 covered in March, F2 in April (its first diagnosis), F3 in May (D5; D4 is
	// superseded); X is off the roster. Diagnoses finished: D1 Mar, D2 Apr, D4 D5 May, D3 Jun, D8 Jul.
	eq("monthly", res.Monthly, []MonthStat{
		{"2026-03", 1, 1, 1}, {"2026-04", 1, 1, 2}, {"2026-05", 1, 2, 3}, {"2026-06", 0, 1, 3}, {"2026-07", 0, 1, 3}, {"2026-08", 0, 0, 3}})

	// Forecast: the window is the 90 days up to 1 August (4 May – 1 August), with one firm
	// covered (F3, 20 May): 30/90 ≈ 0.3 a month; 3 firms left take 270 days: 28 April 2027,
	// 118 days after the 31 December 2026 deadline; 3 firms in the 152 days left need 0.6 a month.
	f := res.Forecast
	eq("forecast window", [2]int{f.WindowDays, f.CoveredInWindow}, [2]int{90, 1})
	eq("pace", f.PacePerMonth, 0.3)
	eq("remaining", f.Remaining, 3)
	eq("date", f.Date, "2027-04-28")
	eq("deadline", f.Deadline, "2026-12-31")
	eq("on track", *f.OnTrack, false)
	eq("late", *f.DaysLateOrEarly, 118)
	eq("days left", *f.DaysLeft, 152)
	eq("required", *f.RequiredPerMonth, 0.6)

	// To-do list: F4 (its document was tampered with), F5 (untrusted signer), F6.
	var todo []string
	for _, e := range res.NotDiagnosed {
		todo = append(todo, e.CreditCode+" "+e.Note)
	}
	eq("not diagnosed", todo, []string{f4.Code + " 已交 1 份诊断，未计入（被改动）", f5.Code + " 已交 1 份诊断，未计入（签名者未受信任）", f6.Code + " "})
	eq("off roster", len(res.OffRoster), 1)
	eq("off roster firm", res.OffRoster[0].CreditCode, fx.Code)

	// Every verified document is listed with its role.
	roles := map[string]string{}
	for _, d := range res.Documents {
		roles[d.ID] = d.Role
	}
	eq("roles", roles, map[string]string{s.IDs["D1"]: RoleCounted, s.IDs["D2"]: RoleEarlier, s.IDs["D3"]: RoleCounted,
		s.IDs["D4"]: RoleSuperseded, s.IDs["D5"]: RoleCounted, s.IDs["D8"]: RoleCounted})

	// Tracks and KPIs summarise the four counted diagnoses.
	var counted []*Diagnosis
	for _, d := range res.Documents {
		if d.Role == RoleCounted {
			counted = append(counted, d)
		}
	}
	for _, tr := range res.Tracks {
		var v []float64
		past := 0
		for _, d := range counted {
			v = append(v, d.Tracks[tr.Track])
			if d.Tracks[tr.Track] >= 60 {
				past++
			}
		}
		if tr.N != 4 || tr.Past != past || math.Abs(tr.Mean-mean(v)) > 0.051 || tr.Share != float64(past)/4 {
			t.Errorf("track %+v, values %v", tr, v)
		}
	}
	if len(res.KPIs) == 0 || res.KPIs[0].Key != "kpi_nc_rate" || res.KPIs[0].N != 4 || res.KPIs[0].Reference == nil {
		t.Errorf("kpis: %+v", res.KPIs)
	}
}

func ptr(f float64) *float64 { return &f }

func TestTallyWithoutRosterHasDiagnosedCountsOnly(t *testing.T) {
	s := writeSmallDistrict(t)
	res, err := TallyWith([]string{s.Dir}, Options{Trusted: smallTrust, Now: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if res.Roster != nil || res.Forecast != nil || res.Coverage.Total.Target != nil || res.Coverage.Total.Diagnosed != 4 {
		t.Fatalf("roster %v forecast %v total %+v", res.Roster, res.Forecast, res.Coverage.Total)
	}
	// Categories as the documents give them: F1 规上; F2 规上+高成长; F3 高成长; X 高成长.
	want := map[string]Cov{tallytest.AboveScale: {Diagnosed: 2}, tallytest.HighGrowth: {Diagnosed: 3}}
	if !reflect.DeepEqual(res.Coverage.ByCategory, want) {
		t.Fatalf("by category %+v", res.Coverage.ByCategory)
	}
	if res.Coverage.ByStreet["东山街道"].Diagnosed != 2 || res.Coverage.ByStreet["江宁街道"].Diagnosed != 1 {
		t.Fatalf("by street %+v", res.Coverage.ByStreet)
	}
	// A profile with category targets gives those rates.
	d := *questionnaires.BundledDistrict()
	d.Categories = slices.Clone(d.Categories)
	d.Categories[1].Target = 6 // 高成长性企业
	res, _ = TallyWith([]string{s.Dir}, Options{Trusted: smallTrust, Now: asOf, District: &d})
	if got := res.Coverage.ByCategory[tallytest.HighGrowth]; *got.Target != 6 || *got.Rate != 0.5 {
		t.Fatalf("with profile target: %+v", got)
	}
	// The JSON has no target where there is none.
	raw, _ := json.Marshal(res.Coverage.Total)
	if string(raw) != `{"diagnosed":4}` {
		t.Fatalf("total without roster: %s", raw)
	}
}

func TestTallyJSONShape(t *testing.T) {
	s := writeSmallDistrict(t)
	res, err := TallyWith([]string{s.Dir}, Options{Roster: smallRoster(t), Trusted: smallTrust, Now: asOf})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	get := func(path ...string) any {
		var cur any = v
		for _, p := range path {
			m, ok := cur.(map[string]any)
			if !ok {
				t.Fatalf("%v: %T at %s", path, cur, p)
			}
			if cur, ok = m[p]; !ok {
				t.Fatalf("missing %v", path)
			}
		}
		return cur
	}
	for _, p := range [][]string{
		{"roster", "rows"}, {"roster", "valid"}, {"roster", "invalid"}, {"roster", "duplicates"},
		{"diagnoses", "files"}, {"diagnoses", "counted"}, {"diagnoses", "rejected"}, {"diagnoses", "duplicates"},
		{"coverage", "total", "target"}, {"coverage", "total", "diagnosed"}, {"coverage", "total", "rate"},
		{"coverage", "by_category", tallytest.AboveScale, "target"}, {"coverage", "by_category", tallytest.AboveScale, "diagnosed"},
		{"coverage", "by_category", tallytest.AboveScale, "rate"}, {"coverage", "by_street", "东山街道", "rate"},
		{"levels", "0"}, {"levels", "5"},
	} {
		get(p...)
	}
	inv := get("roster", "invalid").([]any)[0].(map[string]any)
	dup := get("roster", "duplicates").([]any)[0].(map[string]any)
	rej := get("diagnoses", "rejected").([]any)[0].(map[string]any)
	if inv["row"] != 8.0 || inv["reason"] == "" || dup["row"] != 9.0 || dup["credit_code"] != f1.Code || rej["file"] == "" || rej["reason"] == "" {
		t.Fatalf("rows: %v %v %v", inv, dup, rej)
	}
	if get("coverage", "total", "rate") != 0.5 || get("levels", "2") != 2.0 {
		t.Fatalf("values: %s", raw)
	}
}

func TestTallyCountsAReportPDFOnceAndFlagsConflicts(t *testing.T) {
	dir := t.TempDir()
	d := variant(t, 0, f1, at(3, 10))
	data := sealDoc(t, d, "甲服务商")
	writeFile(t, filepath.Join(dir, "a.sdiag"), data)
	writeFile(t, filepath.Join(dir, "sub", "copy.sdiag"), data)
	writeFile(t, filepath.Join(dir, "report.pdf"), reportPDF(t, data))
	// The same id sealed again with other content: a conflict that neither side wins, whichever
	// was sealed first; every file of that id is listed for the office's decision.
	other := variant(t, 1, f1, at(3, 11))
	other.ID = d.ID
	od := sealDoc(t, other, "甲服务商")
	writeFile(t, filepath.Join(dir, "z-conflict.sdiag"), od)
	writeFile(t, filepath.Join(dir, "notes.txt"), []byte("not read"))
	res, err := TallyWith([]string{dir}, Options{Trusted: smallTrust, Now: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if res.Diagnoses.Files != 4 || res.Diagnoses.Counted != 0 || len(res.Diagnoses.Rejected) != 4 || res.Diagnoses.ByStatus[district.StatusConflict] != 4 {
		t.Fatalf("%+v", res.Diagnoses)
	}
	for _, r := range res.Diagnoses.Rejected {
		if strings.HasSuffix(r.File, "z-conflict.sdiag") != !strings.Contains(r.Reason, "z-conflict.sdiag") {
			t.Errorf("a conflict names the other version: %+v", r)
		}
	}
	// Without the other version, the genuine one counts once (copies and report PDF included).
	os.Remove(filepath.Join(dir, "z-conflict.sdiag"))
	res, _ = TallyWith([]string{dir}, Options{Trusted: smallTrust, Now: asOf})
	if res.Diagnoses.Counted != 1 || res.Diagnoses.Copies != 2 || len(res.Diagnoses.Rejected) != 0 {
		t.Fatalf("%+v", res.Diagnoses)
	}
}

// Issue 11 item 2: a revision may supersede only the same firm's document signed with the same
// key; cross-firm and cross-provider claims and cycles are refused, and the genuine document
// stays counted. Before the fix any document could remove any other from coverage.
func TestTallySupersedesRules(t *testing.T) {
	genuine := variant(t, 0, f1, at(3, 10))
	gdata := sealDoc(t, genuine, "甲服务商")
	for _, tc := range []struct {
		name     string
		firm     sealtest.Firm
		provider string
		ok       bool
	}{
		{"same firm, same key", f1, "甲服务商", true},
		{"another firm", f2, "甲服务商", false},
		{"another provider", f1, "乙服务商", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "genuine.sdiag"), gdata)
			rev := variant(t, 1, tc.firm, at(4, 1))
			rev.Supersedes = genuine.ID
			writeFile(t, filepath.Join(dir, "rev.sdiag"), sealDoc(t, rev, tc.provider))
			res, err := TallyWith([]string{dir}, Options{Trusted: smallTrust, Now: asOf})
			if err != nil {
				t.Fatal(err)
			}
			roles := map[string]string{}
			for _, g := range res.Documents {
				roles[g.ID] = g.Role
			}
			if tc.ok {
				if roles[genuine.ID] != RoleSuperseded || roles[rev.ID] != RoleCounted {
					t.Fatalf("roles %v", roles)
				}
				return
			}
			if roles[genuine.ID] != RoleCounted || len(res.Diagnoses.Rejected) != 1 || res.Diagnoses.Rejected[0].Status != district.StatusBadRevision ||
				!strings.Contains(res.Diagnoses.Rejected[0].Reason, "修订无效") {
				t.Fatalf("roles %v, rejected %+v", roles, res.Diagnoses.Rejected)
			}
		})
	}
	// Two documents superseding each other: both refused with a reason, not silently 0.
	dir := t.TempDir()
	a, b := variant(t, 0, tallytest.F3, at(3, 1)), variant(t, 1, tallytest.F3, at(3, 2))
	a.Supersedes, b.Supersedes = b.ID, a.ID
	writeFile(t, filepath.Join(dir, "a.sdiag"), sealDoc(t, a, "甲服务商"))
	writeFile(t, filepath.Join(dir, "b.sdiag"), sealDoc(t, b, "甲服务商"))
	res, _ := TallyWith([]string{dir}, Options{Trusted: smallTrust, Now: asOf})
	if len(res.Diagnoses.Rejected) != 2 || res.Diagnoses.ByStatus[district.StatusBadRevision] != 2 || !strings.Contains(res.Diagnoses.Rejected[0].Reason, "成环") {
		t.Fatalf("cycle: %+v", res.Diagnoses)
	}
}

// Issue 11 items 1 and 4: the tally refuses, with the reason, a sealed document with unanswered
// required items (0 of 270 used to count as a covered firm) and one dated 2099 (which used to
// become the counted diagnosis and stretch the monthly table to 872 months).
func TestTallyRefusesIncompleteAndImplausibleDocuments(t *testing.T) {
	dir := t.TempDir()
	empty := variant(t, 0, f1, at(3, 10))
	empty.Answers = map[string]*assessment.Answer{}
	empty.Assessor = assessment.Assessor{Name: "顾问", Organisation: "甲服务商"}
	data, err := seal.SignUnchecked(empty, testKey("甲服务商"), assessment.Signer{Name: "顾问", Organisation: "甲服务商"}, at(3, 11))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "empty.sdiag"), data)
	future := variant(t, 1, f2, time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC))
	writeFile(t, filepath.Join(dir, "future.sdiag"), sealDoc(t, future, "甲服务商"))
	res, err := TallyWith([]string{dir}, Options{Trusted: smallTrust, Now: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if res.Diagnoses.Counted != 0 || res.Diagnoses.ByStatus[district.StatusIncomplete] != 1 || res.Diagnoses.ByStatus[district.StatusBadDate] != 1 {
		t.Fatalf("%+v", res.Diagnoses)
	}
	if len(res.Monthly) > 12 {
		t.Fatalf("the monthly table runs to %d months", len(res.Monthly))
	}
}

// A roster read alongside the documents (LoadRoster) gives the same tally as one read before;
// its error is the tally's.
func TestTallyLoadsRosterAlongside(t *testing.T) {
	s := writeSmallDistrict(t)
	before, err := TallyWith([]string{s.Dir}, Options{Roster: smallRoster(t), Trusted: smallTrust, Now: asOf})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	along, err := TallyWith([]string{s.Dir}, Options{Trusted: smallTrust, Now: asOf,
		LoadRoster: func() (*roster.Roster, error) { calls++; return smallRoster(t), nil }})
	if err != nil || calls != 1 {
		t.Fatalf("LoadRoster called %d times: %v", calls, err)
	}
	a, _ := json.Marshal(before)
	b, _ := json.Marshal(along)
	if string(a) != string(b) {
		t.Errorf("the tally differs when the roster is read alongside:\n%s\n%s", a, b)
	}
	want := errors.New("名册.xlsx：第 3 行损坏")
	if _, err := TallyWith([]string{s.Dir}, Options{Trusted: smallTrust, Now: asOf,
		LoadRoster: func() (*roster.Roster, error) { return nil, want }}); err != want {
		t.Errorf("roster error %v, want %v", err, want)
	}
}
