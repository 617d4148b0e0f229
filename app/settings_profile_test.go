package app

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"smartdiag/assessment"
	"smartdiag/district"
	"smartdiag/service"
)

// The district profile is chosen in the settings: a file that is not a profile is refused with
// the preference left as it was; a valid one is remembered and used by the enterprise form and
// the district side (ui.profile, which the tally takes).
func TestSettingsChooseTheDistrictProfile(t *testing.T) {
	ui, _ := newTestUI(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	good := filepath.Join(dir, "wuzhong.yaml")
	os.WriteFile(bad, []byte("name: 没有 format\n"), 0o644)
	os.WriteFile(good, []byte("format: smartdiag.district/1\nname: 苏州市吴中区\nstreets: [长桥街道, 越溪街道]\n"+
		"categories:\n  - key: 专精特新企业\n"), 0o644)

	test.Tap(ui.home.settingsBtn)
	st := ui.settings
	if st.profile.Text != "" {
		t.Fatalf("no profile chosen yet, the field says %q", st.profile.Text)
	}
	st.profile.SetText(bad)
	test.Tap(st.save)
	if got := ui.app.Preferences().String(prefProfile); got != "" {
		t.Fatalf("a bad profile was remembered: %q", got)
	}
	if ui.profile().Name != "南京市江宁区" {
		t.Fatalf("profile after a refused choice: %s", ui.profile().Name)
	}

	st.profile.SetText(" " + good + " ")
	test.Tap(st.save)
	homeLoaded(t, ui)
	if got := ui.app.Preferences().String(prefProfile); got != good {
		t.Fatalf("preference %q, want %q", got, good)
	}
	if p := ui.profile(); p.Name != "苏州市吴中区" || !slices.Equal(p.CategoryKeys(), []string{"专精特新企业"}) {
		t.Fatalf("profile in use: %+v", p)
	}
	ui.showSettings()
	if ui.settings.profile.Text != good {
		t.Errorf("the settings do not show the remembered profile: %q", ui.settings.profile.Text)
	}
	// Back to the bundled profile with an empty field.
	ui.settings.profile.SetText("")
	test.Tap(ui.settings.save)
	homeLoaded(t, ui)
	if ui.profile().Name != "南京市江宁区" {
		t.Errorf("empty field: %s", ui.profile().Name)
	}
}

// The labels the service makes (statuses, import outcomes) are shown through T: each has English.
func TestServiceLabelsTranslated(t *testing.T) {
	loadTranslations()
	var labels []string
	for _, s := range []string{assessment.StatusDraft, assessment.StatusFinished, assessment.StatusSealed} {
		labels = append(labels, service.StatusLabel(s))
	}
	for _, r := range []string{district.ImportImported, district.ImportSkipped, district.ImportConflict, district.ImportRejected} {
		labels = append(labels, service.ImportResultLabel(r))
	}
	for _, l := range labels {
		if english[l] == "" {
			t.Errorf("%q has no English translation", l)
		}
	}
}
