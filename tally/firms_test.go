package tally

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"smartdiag/questionnaires"
	"smartdiag/tally/tallytest"
)

// The roster view of the small district: every roster firm with its status, checked by hand.
func TestRosterFirmsAndToDoFilters(t *testing.T) {
	s := writeSmallDistrict(t)
	ro := smallRoster(t)
	res, err := TallyWith([]string{s.Dir}, Options{Roster: ro, Trusted: smallTrust, Now: asOf, District: questionnaires.BundledDistrict()})
	if err != nil {
		t.Fatal(err)
	}
	rows := res.RosterFirms(ro)
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s %s %s %s", r.Name, r.Status, strings.Join(r.Providers, "+"), r.Finished))
	}
	want := []string{
		f1.Name + " counted 甲服务商 2026-03-10",
		f2.Name + " counted 乙服务商 2026-06-20", // D3, the later one
		"南京三号电子有限公司 counted 乙服务商 2026-05-20", // D5, the revision
		f4.Name + " submitted 甲服务商 ",         // tampered
		f5.Name + " submitted 丙服务商 ",         // untrusted signer
		f6.Name + " todo  ",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("roster firms:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rows[3].Note != "已交 1 份诊断，未计入（被改动）" || rows[0].Level == "" || !reflect.DeepEqual(rows[4].Statuses, []string{"unknown_signer"}) {
		t.Errorf("note %q, level %q", rows[3].Note, rows[0].Level)
	}
	todo := ToDo(rows)
	if len(todo) != len(res.NotDiagnosed) || len(todo) != 3 {
		t.Fatalf("to-do has %d firms, the tally %d", len(todo), len(res.NotDiagnosed))
	}
	names := func(rs []FirmRow) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Name)
		}
		return out
	}
	for _, c := range []struct {
		f    FirmFilter
		want []string
	}{
		{FirmFilter{}, []string{f4.Name, f5.Name, f6.Name}},
		{FirmFilter{Street: "汤山街道"}, []string{f4.Name, f6.Name}},
		{FirmFilter{Category: tallytest.AboveScale}, []string{f5.Name}},
		{FirmFilter{Provider: "丙服务商"}, []string{f5.Name}},
		{FirmFilter{Search: "六号"}, []string{f6.Name}},
		{FirmFilter{Search: strings.ToLower(f4.Code[10:])}, []string{f4.Name}},
		{FirmFilter{Street: "汤山街道", Search: "五号"}, nil},
		{FirmFilter{Status: FirmTodo}, []string{f6.Name}},
	} {
		if got := names(c.f.Filter(todo)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%+v: %v, want %v", c.f, got, c.want)
		}
	}
	streets, cats, providers := res.FilterChoices(rows)
	if !reflect.DeepEqual(streets, []string{"东山街道", "秣陵街道", "汤山街道"}) || len(cats) != 3 || !reflect.DeepEqual(providers, []string{"丙服务商", "乙服务商", "甲服务商"}) {
		t.Errorf("choices %v %v %v", streets, cats, providers)
	}
	if res.RosterFirms(nil) != nil {
		t.Error("rows without a roster")
	}
}

// Every clickable figure lists as many lines as the figure says.
func TestFirmsOfMatchTheFigures(t *testing.T) {
	s := writeSmallDistrict(t)
	res, err := TallyWith([]string{s.Dir}, Options{Roster: smallRoster(t), Trusted: smallTrust, Now: asOf, District: questionnaires.BundledDistrict()})
	if err != nil {
		t.Fatal(err)
	}
	count := func(kind, key string) int { return len(res.FirmsOf(Figure{kind, key})) }
	for _, tr := range res.Tracks {
		if got := count(FigTrackPast, tr.Track); got != tr.Past {
			t.Errorf("%s past: %d lines, figure %d", tr.Track, got, tr.Past)
		}
		if got := count(FigTrackAll, tr.Track); got != tr.N || got != 4 {
			t.Errorf("%s: %d lines, figure %d", tr.Track, got, tr.N)
		}
	}
	for name, p := range res.Coverage.ByProvider {
		for kind, want := range map[string]int{FigProviderCounted: p.Counted, FigProviderRejected: p.Rejected, FigProviderEarlier: p.Earlier, FigProviderOffRoster: p.OffRoster} {
			if got := count(kind, name); got != want {
				t.Errorf("%s %s: %d lines, figure %d", name, kind, got, want)
			}
		}
	}
	for l, n := range res.Levels {
		if got := count(FigLevel, l); got != n {
			t.Errorf("level %s: %d lines, figure %d", l, got, n)
		}
	}
	// By hand: 甲's files not counted is D6, tampered, with the reason; its off-roster firm is X.
	rej := res.FirmsOf(Figure{FigProviderRejected, "甲服务商"})
	if len(rej) != 1 || filepath.Base(rej[0].File) != "D6.sdiag" || !strings.HasPrefix(rej[0].Detail, "被改动：") {
		t.Errorf("甲 rejected: %+v", rej)
	}
	off := res.FirmsOf(Figure{FigProviderOffRoster, "甲服务商"})
	if len(off) != 1 || off[0].CreditCode != fx.Code {
		t.Errorf("甲 off roster: %+v", off)
	}
	all := res.FirmsOf(Figure{FigTrackAll, res.Tracks[0].Track})
	for i := 1; i < len(all); i++ {
		if all[i-1].Detail < all[i].Detail && len(all[i-1].Detail) == len(all[i].Detail) {
			t.Errorf("track list not highest first: %+v", all)
		}
	}
}
