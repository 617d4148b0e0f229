package tally

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"smartdiag/questionnaires"
)

// The track threshold and the forecast window are the profile's; the level names and their
// number are the questionnaire's.
func TestTallySettingsComeFromTheProfile(t *testing.T) {
	s := writeSmallDistrict(t)
	bundled, err := TallyWith([]string{s.Dir}, Options{Roster: smallRoster(t), Trusted: smallTrust, Now: asOf})
	if err != nil {
		t.Fatal(err)
	}
	b := questionnaires.BundledDistrict()
	if bundled.TrackThreshold != b.TrackThreshold || bundled.ForecastWindowDays != b.ForecastWindowDays {
		t.Fatalf("bundled settings: %v %v", bundled.TrackThreshold, bundled.ForecastWindowDays)
	}
	d := *b
	d.TrackThreshold, d.ForecastWindowDays = 1, 1
	own, err := TallyWith([]string{s.Dir}, Options{Roster: smallRoster(t), Trusted: smallTrust, Now: asOf, District: &d})
	if err != nil {
		t.Fatal(err)
	}
	if own.TrackThreshold != 1 || own.ForecastWindowDays != 1 {
		t.Fatalf("own settings: %v %v", own.TrackThreshold, own.ForecastWindowDays)
	}
	for i, tr := range own.Tracks {
		// With a threshold of 1 every firm with a positive index is past it; never fewer than
		// with the bundled threshold.
		if tr.Past < bundled.Tracks[i].Past || tr.N > 0 && tr.Past == 0 {
			t.Errorf("%s: past %d with threshold 1, %d with %v", tr.Track, tr.Past, bundled.Tracks[i].Past, b.TrackThreshold)
		}
	}
	if f := own.Forecast; f == nil || f.WindowDays != 1 {
		t.Fatalf("forecast window with forecast_window_days 1: %+v", f)
	}
	if f := bundled.Forecast; f == nil || f.WindowDays <= 1 {
		t.Fatalf("bundled forecast window: %+v", f)
	}

	qs, _ := questionnaires.Bundled()
	i := slices.IndexFunc(qs, func(q *questionnaires.Questionnaire) bool { return q.ID == "cmmm-full" })
	q := qs[i]
	if len(own.LevelNames) != q.LevelCount()+1 || len(own.Levels) != len(own.LevelNames) {
		t.Fatalf("level names %q for %d levels; levels %v", own.LevelNames, q.LevelCount(), own.Levels)
	}
	for l := range own.LevelNames {
		if own.LevelLabel(l) != q.LevelShortName(l) {
			t.Errorf("level %d: %q, questionnaire %q", l, own.LevelLabel(l), q.LevelShortName(l))
		}
	}
	raw, _ := json.Marshal(own)
	for _, key := range []string{`"track_threshold":1`, `"forecast_window_days":1`, `"level_names":["未达一级"`} {
		if !strings.Contains(string(raw), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}
