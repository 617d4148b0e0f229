package assessment

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseDate reads a calendar date as consultants type it: 2026-12-01, 2026/12/01, 2026.12.01 or
// 2026年12月1日, with or without leading zeros, surrounding spaces and full-width digits allowed.
// The error never shows Go's reference layout; it gives the accepted forms.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	in := strings.TrimSpace(NormalizeDigits(s))
	bad := fmt.Errorf("日期「%s」无法识别，请写成 2026-12-01 或 2026/12/01", strings.TrimSpace(s))
	in = strings.TrimSuffix(in, "日")
	f := strings.FieldsFunc(in, func(r rune) bool { return r == '-' || r == '/' || r == '.' || r == '年' || r == '月' })
	if len(f) != 3 || len(f[0]) != 4 || len(f[1]) > 2 || len(f[2]) > 2 || strings.Count(in, "-")+strings.Count(in, "/")+strings.Count(in, ".")+strings.Count(in, "年")+strings.Count(in, "月") != 2 {
		return time.Time{}, bad
	}
	var n [3]int
	for i, p := range f {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || strings.ContainsAny(p, "+-") {
			return time.Time{}, bad
		}
		n[i] = v
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], 0, 0, 0, 0, loc)
	if n[1] < 1 || n[1] > 12 || n[2] < 1 || t.Day() != n[2] {
		return time.Time{}, fmt.Errorf("日期「%s」不存在（%d 年 %d 月没有 %d 日）", strings.TrimSpace(s), n[0], n[1], n[2])
	}
	return t, nil
}

// NormalizeDigits turns full-width digits and punctuation into ASCII, as typed by a Chinese input
// method.
func NormalizeDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '！' && r <= '～' {
			return r - ('！' - '!')
		}
		return r
	}, s)
}
