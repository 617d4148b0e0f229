package localeenv

import (
	"runtime"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFix(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no locale variables")
	}
	for _, tt := range []struct {
		in, want map[string]string
	}{
		{map[string]string{"LANG": "C.UTF-8"}, map[string]string{"LANG": "zh_CN.UTF-8"}},
		{map[string]string{}, map[string]string{"LANG": "zh_CN.UTF-8"}},
		{map[string]string{"LANG": "POSIX", "LC_ALL": "C"}, map[string]string{"LANG": "zh_CN.UTF-8"}},
		{map[string]string{"LANG": "en_GB.UTF-8", "LC_MESSAGES": "C.UTF-8"}, map[string]string{"LANG": "en_GB.UTF-8"}},
		{map[string]string{"LANG": "C", "LC_ALL": "de_DE.UTF-8"}, map[string]string{"LANG": "zh_CN.UTF-8", "LC_ALL": "de_DE.UTF-8"}},
	} {
		m := map[string]string{}
		for k, v := range tt.in {
			m[k] = v
		}
		Fix(env(m), func(k, v string) error { m[k] = v; return nil }, func(k string) error { delete(m, k); return nil })
		if len(m) != len(tt.want) {
			t.Errorf("%v → %v, want %v", tt.in, m, tt.want)
			continue
		}
		for k, v := range tt.want {
			if m[k] != v {
				t.Errorf("%v → %v, want %v", tt.in, m, tt.want)
			}
		}
	}
}
