package questionnaires

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The tally's threshold and forecast window are data in the bundled profile, and a profile that
// leaves them out falls back to the bundled values.
func TestDistrictTallySettingsAreData(t *testing.T) {
	b := BundledDistrict()
	if b.TrackThreshold <= 0 || b.ForecastWindowDays <= 0 {
		t.Fatalf("the bundled profile must set track_threshold and forecast_window_days: %v %v", b.TrackThreshold, b.ForecastWindowDays)
	}
	good, err := os.ReadFile("reference/jiangning.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	own, err := LoadDistrict(write("own.yaml", strings.NewReplacer("track_threshold: 60", "track_threshold: 75",
		"forecast_window_days: 90", "forecast_window_days: 30").Replace(string(good))))
	if err != nil {
		t.Fatal(err)
	}
	if own.Threshold() != 75 || own.ForecastDays() != 30 {
		t.Errorf("own values: %v %v", own.Threshold(), own.ForecastDays())
	}
	old, err := LoadDistrict(write("old.yaml", strings.NewReplacer("track_threshold: 60\n", "",
		"forecast_window_days: 90\n", "").Replace(string(good))))
	if err != nil {
		t.Fatal(err)
	}
	if old.Threshold() != b.TrackThreshold || old.ForecastDays() != b.ForecastWindowDays {
		t.Errorf("fallback: %v %v", old.Threshold(), old.ForecastDays())
	}
	bad := map[string]struct{ from, to, want string }{
		"threshold":     {"track_threshold: 60", "track_threshold: 160", "track_threshold"},
		"window":        {"forecast_window_days: 90", "forecast_window_days: -1", "forecast_window_days"},
		"shared alias":  {"aliases: [高成长, ", "aliases: [规上, ", "同时属于"},
		"empty alias":   {"aliases: [高成长, ", "aliases: ['', ", "空的写法"},
		"alias is name": {"aliases: [高成长, ", "aliases: [新开工企业, ", "同时属于"},
	}
	for name, c := range bad {
		if !strings.Contains(string(good), c.from) {
			t.Fatalf("%s: %q not in the bundled profile", name, c.from)
		}
		p := write(name+".yaml", strings.Replace(string(good), c.from, c.to, 1))
		if _, err := LoadDistrict(p); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}

func TestCategoryAliases(t *testing.T) {
	m := BundledDistrict().CategoryAliases()
	for in, want := range map[string]string{
		"规上": "规上工业企业", "规上工业企业": "规上工业企业", "新投产": "新开工企业", "高成长型": "高成长性企业",
	} {
		if got := m[CategorySpelling(in)]; got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"规上 企业": "规上", "ＧＳ企业": "GS", "新开工": "新开工"} {
		if got := CategorySpelling(in); got != want {
			t.Errorf("CategorySpelling(%q) = %q, want %q", in, got, want)
		}
	}
}
