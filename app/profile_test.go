package app

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	q "smartdiag/questionnaires"
)

// The enterprise form offers the streets and categories of the district profile chosen in the
// settings, including a fourth category, and an enterprise in that category can be saved.
func TestEnterpriseFormOffersTheChosenProfile(t *testing.T) {
	ui, _ := newTestUI(t)
	profile := filepath.Join(t.TempDir(), "wuzhong.yaml")
	yaml := "format: smartdiag.district/1\nid: wuzhong\nname: 苏州市吴中区\nstreets: [长桥街道, 越溪街道, 郭巷街道, 横泾街道]\n" +
		"categories:\n  - key: 规上工业企业\n  - key: 高成长性企业\n  - key: 新开工企业\n  - key: 专精特新企业\n"
	if err := os.WriteFile(profile, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	ui.app.Preferences().SetString(prefProfile, profile)

	ui.showEnterpriseForm(nil)
	f := ui.enterprise
	if want := []string{"长桥街道", "越溪街道", "郭巷街道", "横泾街道"}; !slices.Equal(f.street.Options, want) {
		t.Errorf("streets %v, want %v", f.street.Options, want)
	}
	if !slices.Contains(f.categories.Options, "专精特新企业") || len(f.categories.Options) != 4 {
		t.Fatalf("categories %v", f.categories.Options)
	}
	f.name.SetText("苏州吴中精密机械有限公司")
	f.code.SetText("91320506MA1W5LRQ26")
	f.street.SetSelected("越溪街道")
	f.categories.SetSelected([]string{"专精特新企业"})
	f.industry.SetSelected(f.industry.Options[0])
	f.ptype.SetSelected(f.ptype.Options[0])
	e, err := f.enterprise()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(e.Categories, []string{"专精特新企业"}) || e.Street != "越溪街道" {
		t.Fatalf("enterprise %+v", e)
	}
}

// The target levels come from the questionnaire: sme-2024 has four, cmmm-full five.
func TestTargetLevelsFollowTheQuestionnaire(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want int
	}{{"sme-2024", 4}, {"cmmm-full", 5}} {
		qn, err := q.Lookup(tc.id, "")
		if err != nil {
			t.Fatal(err)
		}
		opts := targetOptions(qn)
		if len(opts) != tc.want+1 || slices.Contains(opts[1:], "") {
			t.Errorf("%s: %v", tc.id, opts)
		}
		if tc.want == 4 && slices.Contains(opts, "五级") {
			t.Errorf("%s offers 五级: %v", tc.id, opts)
		}
	}
}
