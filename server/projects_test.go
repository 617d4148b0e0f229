package server

import (
	"strings"
	"testing"
)

func TestParseYuan(t *testing.T) {
	for in, want := range map[string]int64{"": 0, "120": 1_200_000, " 35.5 ": 355_000, "0.01": 100, "12万元": 120_000, "0": 0} {
		if got, err := ParseYuan("计划投资", in); err != nil || got != want {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"十万", "-5", "1e9", "NaN", "Inf", "1,000"} {
		if _, err := ParseYuan("补贴", in); err == nil || !strings.Contains(err.Error(), "补贴") {
			t.Errorf("ParseYuan(%q): %v, want an error naming the field", in, err)
		}
	}
}

// FuzzParseYuan: any input gives an amount in range or an error naming the field; never a panic.
func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"", "120", "35.5万元", "-1", "1e308", "0x10", "NaN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseYuan("实际投资", s)
		if err != nil {
			if !strings.Contains(err.Error(), "实际投资") {
				t.Fatalf("error without the field: %v", err)
			}
			return
		}
		if v < 0 || v > 1e12 {
			t.Fatalf("ParseYuan(%q) = %d", s, v)
		}
	})
}
