package demo

import (
	"fmt"
	"testing"

	"smartdiag/assessment"
	q "smartdiag/questionnaires"
)

func rosterFirms(t *testing.T, n int) []Firm {
	var firms []Firm
	for i := range n {
		first := fmt.Sprintf("91320115MA%07d", 900+i)
		c, err := assessment.CreditCheckChar(first)
		if err != nil {
			t.Fatal(err)
		}
		firms = append(firms, Firm{Name: fmt.Sprintf("南京名册%03d有限公司", i), CreditCode: first + string(c), Street: "东山街道",
			Categories: []string{"规上工业企业", "专精特新"}, Industry: []string{"34", "", "99"}[i%3], Contact: "王经理"})
	}
	return firms
}

func TestGenerateFromRoster(t *testing.T) {
	firms := rosterFirms(t, 60)
	docs, err := GenerateFromRoster(RosterOptions{Options: Options{Seed: 3}, Coverage: 0.5, Repeat: 0.3, Revise: 0.2}, firms)
	if err != nil {
		t.Fatal(err)
	}
	qn, _ := q.Lookup("cmmm-full", "")
	byCode := map[string]Firm{}
	for _, f := range firms {
		byCode[f.CreditCode] = f
	}
	byID := map[string]*assessment.Document{}
	perFirm := map[string][]*assessment.Document{}
	revisions := 0
	for _, d := range docs {
		if d.Status != assessment.StatusFinished {
			t.Fatalf("%s is %s", d.ID, d.Status)
		}
		if err := d.Enterprise.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := d.CheckAgainst(qn); err != nil {
			t.Fatal(err)
		}
		f, ok := byCode[d.Enterprise.CreditCode]
		if !ok || d.Enterprise.Name != f.Name || d.Enterprise.Street != f.Street || d.Enterprise.Contact != "王经理" {
			t.Fatalf("not a roster firm: %+v", d.Enterprise)
		}
		// Unknown categories are left out; an industry that is not a division is replaced.
		if len(d.Enterprise.Categories) != 1 || q.IndustryName(d.Enterprise.Industry) == "" || (f.Industry == "34" && d.Enterprise.Industry != "34") {
			t.Fatalf("profile: %+v", d.Enterprise)
		}
		byID[d.ID] = d
		if d.Supersedes != "" {
			revisions++
			old := byID[d.Supersedes]
			if old == nil || old.Enterprise.CreditCode != d.Enterprise.CreditCode || !d.Finished.After(*old.Finished) {
				t.Fatalf("revision %s of %s", d.ID, d.Supersedes)
			}
			continue
		}
		perFirm[d.Enterprise.CreditCode] = append(perFirm[d.Enterprise.CreditCode], d)
	}
	if len(perFirm) != 30 {
		t.Fatalf("%d firms diagnosed, want 30", len(perFirm))
	}
	repeats := 0
	for _, list := range perFirm {
		if len(list) == 2 {
			repeats++
			earlier, later := list[0], list[1]
			if !earlier.Finished.Before(*later.Finished) || assessment.Score(qn, earlier).Level > assessment.Score(qn, later).Level {
				t.Fatalf("earlier diagnosis not earlier or higher")
			}
		}
	}
	if repeats == 0 || revisions == 0 {
		t.Fatalf("%d repeats, %d revisions", repeats, revisions)
	}
	again, _ := GenerateFromRoster(RosterOptions{Options: Options{Seed: 3}, Coverage: 0.5, Repeat: 0.3, Revise: 0.2}, firms)
	for i := range docs {
		a, _ := docs[i].Encode()
		b, _ := again[i].Encode()
		if string(a) != string(b) {
			t.Fatal("not deterministic")
		}
	}
}
