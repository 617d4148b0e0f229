package report

import (
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"smartdiag/assessment"
)

// validOnLinuxAndWindows checks a file name against the rules of both systems and against
// visibility (a leading dot hides the file and the district import skips it).
func validOnLinuxAndWindows(name string) string {
	switch {
	case !utf8.ValidString(name):
		return "invalid UTF-8"
	case len(name) > 255:
		return "over 255 bytes (Linux NAME_MAX)"
	case len(utf16.Encode([]rune(name))) > 255:
		return "over 255 UTF-16 units (Windows)"
	case strings.HasPrefix(name, "."):
		return "hidden (starts with a dot)"
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, " "):
		return "ends with a dot or space (Windows strips it)"
	case strings.ContainsAny(name, "\\/:*?\"<>|"):
		return "forbidden character"
	case assessment.IsReservedWindowsName(name):
		return "reserved Windows device name"
	}
	for _, r := range name {
		if r < 32 || r == 0x7f || r == 0x202e || r == 0x200b {
			return "control or invisible character"
		}
	}
	return ""
}

func TestFileNameAlwaysValidAndVisible(t *testing.T) {
	const id = "0b8e6a52-4c1d-4e55-9a3f-1234abcd5678"
	long := strings.Repeat("智能制造装备股份有限公司", 10) // 120 characters, 360 bytes
	for _, tc := range []struct{ name, wantPrefix string }{
		{"宁波市海曙区智能制造有限公司", "宁波市海曙区智能制造有限公司-诊断报告-"},
		{long, "智能制造装备股份有限公司智能制造装备股份有限公司"},
		{".hidden 公司", "hidden 公司-"},
		{"...", "report-"},
		{"   ", "report-"},
		{"A/B:C*D?\"E\"<F>|G\\H", "A_B_C_D__E__F__G_H-"},
		{"CON", "_CON-"},
		{"nul.公司", "_nul.公司-"},
		{"公司\x00\x1f\u202e\u200bX", "公司____X-"},
		{"公司. . .", "公司-"},
		{"a\tb\nc", "a b c-"},
		{strings.Repeat("a", 300), "aaaa"},
		{strings.Repeat("😀", 100), "😀😀"},
	} {
		d := &assessment.Document{ID: id}
		d.Enterprise.Name = tc.name
		got := FileName(d)
		if why := validOnLinuxAndWindows(got); why != "" {
			t.Errorf("FileName(%q) = %q: %s", tc.name, got, why)
		}
		if !strings.HasPrefix(got, tc.wantPrefix) {
			t.Errorf("FileName(%q) = %q, want prefix %q", tc.name, got, tc.wantPrefix)
		}
		if !strings.HasSuffix(got, "-诊断报告-abcd5678.pdf") {
			t.Errorf("FileName(%q) = %q does not end with the id", tc.name, got)
		}
		if utf8.RuneCountInString(got) > 60 {
			t.Errorf("FileName(%q) = %q is %d characters, too long to read in a file list", tc.name, got, utf8.RuneCountInString(got))
		}
	}
}

func FuzzFileName(f *testing.F) {
	f.Add(".x")
	f.Add(strings.Repeat("公", 100))
	f.Add("CON.txt")
	f.Fuzz(func(t *testing.T, name string) {
		d := &assessment.Document{ID: "0b8e6a52-4c1d-4e55-9a3f-1234abcd5678"}
		d.Enterprise.Name = name
		if got := FileName(d); validOnLinuxAndWindows(got) != "" {
			t.Errorf("FileName(%q) = %q: %s", name, got, validOnLinuxAndWindows(got))
		}
	})
}
