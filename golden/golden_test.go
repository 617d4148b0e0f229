package golden

import "testing"

func TestDiff(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{"a\nb\nc\n", "a\nx\nc\n", "  a\n- b\n+ x\n  c\n"},
		{"1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "  …\n  7\n  8\n  9\n+ 10\n"},
		{"", "new\n", "+ new\n"},
		{"same\n", "same", "- same\n+ same\n"},
	} {
		if got := Diff(tc.a, tc.b); got != tc.want {
			t.Errorf("Diff(%q, %q) =\n%q\nwant\n%q", tc.a, tc.b, got, tc.want)
		}
	}
}
