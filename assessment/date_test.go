package assessment

import (
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	want := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, in := range []string{"2026-12-01", "2026/12/01", " 2026/12/1 ", "2026.12.01", "2026年12月1日", "２０２６／１２／０１"} {
		got, err := ParseDate(in, time.UTC)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	for in, msg := range map[string]string{
		"":            "无法识别",
		"12/01/2026":  "无法识别",
		"2026-12":     "无法识别",
		"2026-13-01":  "不存在",
		"2026-02-30":  "不存在",
		"2026-12-00":  "不存在",
		"2026-1-2-3":  "无法识别",
		"2026/+1/01":  "无法识别",
		"2026-12-01x": "无法识别",
		"20261201":    "无法识别",
	} {
		_, err := ParseDate(in, time.UTC)
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: error %v, want %q", in, err, msg)
			continue
		}
		if strings.Contains(err.Error(), "2006") {
			t.Errorf("%q: the error shows Go's layout: %v", in, err)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-12-01", "2026/1/1", "2026年12月1日", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s, time.UTC)
		if err != nil {
			return
		}
		// Whatever is accepted reads back as the same date.
		back, err := ParseDate(d.Format("2006-01-02"), time.UTC)
		if err != nil || !back.Equal(d) {
			t.Fatalf("%q → %v → %v %v", s, d, back, err)
		}
	})
}
