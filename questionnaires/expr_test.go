package questionnaires

import (
	"strings"
	"testing"
)

type mapEnv struct {
	profile map[string]Value
	answers map[string]Value
}

func (m mapEnv) Profile(f string) (Value, bool) { v, ok := m.profile[f]; return v, ok }
func (m mapEnv) Answer(id string) (Value, bool) { v, ok := m.answers[id]; return v, ok }

func TestExprEval(t *testing.T) {
	env := mapEnv{
		profile: map[string]Value{
			"production_type": Str("process"),
			"categories":      List("规上工业企业", "高成长性企业"),
			"employees":       Num(120),
		},
		answers: map[string]Value{
			"NET-2-01": Num(0.8),
			"B-SYS-1":  List("erp", "mes"),
			"B-NET-1":  Str("wired"),
		},
	}
	tests := []struct {
		expr string
		want bool
	}{
		{"profile.production_type == 'process'", true},
		{`profile.production_type != "process"`, false},
		{"profile.production_type in ['discrete', 'mixed']", false},
		{"profile.categories contains '高成长性企业'", true},
		{"profile.categories contains '新开工企业'", false},
		{"profile.employees >= 50 and profile.employees < 300", true},
		{"profile.employees > 200 or answer.NET-2-01 >= 0.5", true},
		{"not (answer.NET-2-01 < 0.8)", true},
		{"answer.B-SYS-1 contains 'mes'", true},
		{"answer.B-NET-1 == 'wired'", true},
		{"answer.B-NET-1 in ['wired', 'wifi']", true},
		// A missing answer makes every comparison false, including !=.
		{"answer.MISSING != 1", false},
		{"not answer.MISSING == 1", true},
		{"profile.street == '东山街道'", false},
		{"answer.NET-2-01", true},
		{"answer.MISSING", false},
		// Comparing different kinds is false, not an error.
		{"profile.employees == 'many'", false},
		// and binds tighter than or.
		{"profile.employees < 10 and profile.employees > 1 or profile.production_type == 'process'", true},
	}
	for _, tt := range tests {
		e, err := ParseExpr(tt.expr)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		if got := e.Eval(env); got != tt.want {
			t.Errorf("%s = %v, want %v", tt.expr, got, tt.want)
		}
	}
}

func TestExprParseErrors(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"", "条件不完整"},
		{"profile.employees = 5", "相等请用 =="},
		{"profile.employees >=", "条件不完整"},
		{"employees > 5", "不是 profile.字段 或 answer.题号"},
		{"answer. > 5", "不是 profile.字段 或 answer.题号"},
		{"(profile.employees > 5", "缺少右括号"},
		{"profile.employees > 5)", "多余的内容"},
		{"'a' == 'b'", "都是常量"},
		{"5", "只有一个常量"},
		{"profile.street == 'x", "缺少结束引号"},
		{"profile.street in 'x'", "右侧必须是列表"},
		{"profile.street in ['a' 'b']", "缺少逗号"},
		{"profile.employees > 1.2.3", "无效的数字"},
		{"profile.street == '东山' ; x", "无法识别的字符"},
		{"profile.street == '\xff'", "不是有效的 UTF-8"},
	}
	for _, tt := range tests {
		_, err := ParseExpr(tt.expr)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseExpr(%q) error %v, want %q", tt.expr, err, tt.want)
		}
	}
}

func FuzzParseExpr(f *testing.F) {
	for _, s := range []string{"profile.production_type == 'process'", "answer.A-1 >= 0.5 and not (profile.employees < 3)",
		"answer.X in ['a', 'b']", "((", "'", "not not not answer.A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseExpr(s)
		if err != nil {
			return
		}
		e.Eval(mapEnv{}) // must not panic on missing values
		e.Refs()
	})
}
