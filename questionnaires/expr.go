package questionnaires

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Relevance conditions (`when:`) use a deliberately tiny language: comparisons of profile fields and
// answers with literals, joined by and/or/not. It is parsed once when the questionnaire loads, so a
// typo is a validation error, not a question that silently never shows.

// ProfileFields are the enterprise fields a condition may read, with their kinds.
var ProfileFields = map[string]ValueKind{
	"production_type": KindString,
	"categories":      KindList,
	"industry":        KindString,
	"street":          KindString,
	"employees":       KindNumber,
	"revenue_wan":     KindNumber,
}

// ValueKind is the type of a value in a condition.
type ValueKind int

const (
	KindNone ValueKind = iota
	KindString
	KindNumber
	KindList
)

// Value is a condition operand's value.
type Value struct {
	Kind ValueKind
	Str  string
	Num  float64
	List []string
}

// Str, Num and List build values.
func Str(s string) Value       { return Value{Kind: KindString, Str: s} }
func Num(f float64) Value      { return Value{Kind: KindNumber, Num: f} }
func List(l ...string) Value   { return Value{Kind: KindList, List: l} }
func (v Value) present() bool  { return v.Kind != KindNone }
func (v Value) String() string { return fmt.Sprint(v.Str, v.Num, v.List) }

// Env supplies the values a condition reads. A missing value makes every comparison with it false.
type Env interface {
	Profile(field string) (Value, bool)
	Answer(itemID string) (Value, bool)
}

// Expr is a parsed condition.
type Expr struct {
	op          string // "and", "or", "not", a comparison operator, or "" for a bare operand
	left, right *Expr
	operand     *operand
}

type operand struct {
	ref     string // "profile" or "answer"; "" for a literal
	name    string
	literal Value
}

// Refs returns the answer item ids and profile fields the expression reads.
func (e *Expr) Refs() (answers, profile []string) {
	var walk func(*Expr)
	walk = func(x *Expr) {
		if x == nil {
			return
		}
		if o := x.operand; o != nil {
			switch o.ref {
			case "answer":
				answers = append(answers, o.name)
			case "profile":
				profile = append(profile, o.name)
			}
		}
		walk(x.left)
		walk(x.right)
	}
	walk(e)
	return answers, profile
}

// Eval evaluates the condition. A nil expression is always true.
func (e *Expr) Eval(env Env) bool {
	if e == nil {
		return true
	}
	switch e.op {
	case "and":
		return e.left.Eval(env) && e.right.Eval(env)
	case "or":
		return e.left.Eval(env) || e.right.Eval(env)
	case "not":
		return !e.left.Eval(env)
	case "":
		v := e.left.operand.value(env)
		switch v.Kind {
		case KindString:
			return v.Str != ""
		case KindNumber:
			return v.Num != 0
		case KindList:
			return len(v.List) > 0
		}
		return false
	}
	a, b := e.left.operand.value(env), e.right.operand.value(env)
	if !a.present() || !b.present() {
		return false
	}
	return compare(e.op, a, b)
}

func (o *operand) value(env Env) Value {
	var v Value
	var ok bool
	switch o.ref {
	case "":
		return o.literal
	case "profile":
		v, ok = env.Profile(o.name)
	case "answer":
		v, ok = env.Answer(o.name)
	}
	if !ok {
		return Value{}
	}
	return v
}

func compare(op string, a, b Value) bool {
	switch op {
	case "contains":
		if a.Kind == KindList {
			for _, s := range a.List {
				if b.Kind == KindString && s == b.Str {
					return true
				}
			}
			return false
		}
		return a.Kind == KindString && b.Kind == KindString && strings.Contains(a.Str, b.Str)
	case "in":
		if b.Kind != KindList {
			return false
		}
		for _, s := range b.List {
			if (a.Kind == KindString && s == a.Str) || (a.Kind == KindNumber && s == formatNum(a.Num)) {
				return true
			}
		}
		return false
	}
	if a.Kind == KindNumber && b.Kind == KindNumber {
		switch op {
		case "==":
			return a.Num == b.Num
		case "!=":
			return a.Num != b.Num
		case "<":
			return a.Num < b.Num
		case "<=":
			return a.Num <= b.Num
		case ">":
			return a.Num > b.Num
		case ">=":
			return a.Num >= b.Num
		}
	}
	if a.Kind == KindString && b.Kind == KindString {
		switch op {
		case "==":
			return a.Str == b.Str
		case "!=":
			return a.Str != b.Str
		}
	}
	return false
}

func formatNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// ParseExpr parses a condition. Errors name the byte offset of the problem.
func ParseExpr(src string) (*Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, fmt.Errorf("位置 %d：多余的内容 %q", t.pos, t.text)
	}
	return e, nil
}

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tString
	tNumber
	tOp
	tPunct
)

type token struct {
	kind tokKind
	text string
	pos  int
}

func lex(src string) ([]token, error) {
	if !utf8.ValidString(src) {
		return nil, fmt.Errorf("条件不是有效的 UTF-8")
	}
	var toks []token
	i := 0
	for i < len(src) {
		r, w := utf8.DecodeRuneInString(src[i:])
		switch {
		case unicode.IsSpace(r):
			i += w
		case r == '(' || r == ')' || r == '[' || r == ']' || r == ',':
			toks = append(toks, token{tPunct, string(r), i})
			i += w
		case r == '=' || r == '!' || r == '<' || r == '>':
			op := string(r)
			if i+1 < len(src) && src[i+1] == '=' {
				op += "="
			}
			if op == "=" || op == "!" {
				return nil, fmt.Errorf("位置 %d：未知运算符 %q（相等请用 ==，不等请用 !=）", i, op)
			}
			toks = append(toks, token{tOp, op, i})
			i += len(op)
		case r == '\'' || r == '"':
			j := strings.IndexRune(src[i+1:], r)
			if j < 0 {
				return nil, fmt.Errorf("位置 %d：字符串缺少结束引号", i)
			}
			toks = append(toks, token{tString, src[i+1 : i+1+j], i})
			i += j + 2
		case r == '-' || r == '.' || (r >= '0' && r <= '9'):
			j := i + 1
			for j < len(src) && (src[j] == '.' || (src[j] >= '0' && src[j] <= '9')) {
				j++
			}
			if _, err := strconv.ParseFloat(src[i:j], 64); err != nil {
				return nil, fmt.Errorf("位置 %d：无效的数字 %q", i, src[i:j])
			}
			toks = append(toks, token{tNumber, src[i:j], i})
			i = j
		case isIdentRune(r):
			j := i
			for j < len(src) {
				r2, w2 := utf8.DecodeRuneInString(src[j:])
				if !isIdentRune(r2) && r2 != '.' && r2 != '-' {
					break
				}
				j += w2
			}
			word := src[i:j]
			switch word {
			case "and", "or", "not", "in", "contains":
				toks = append(toks, token{tOp, word, i})
			default:
				toks = append(toks, token{tIdent, word, i})
			}
			i = j
		default:
			return nil, fmt.Errorf("位置 %d：无法识别的字符 %q", i, r)
		}
	}
	return append(toks, token{tEOF, "", len(src)}), nil
}

func isIdentRune(r rune) bool {
	return r == '_' || r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *parser) or() (*Expr, error) {
	l, err := p.and()
	for err == nil && p.peek().text == "or" && p.peek().kind == tOp {
		p.next()
		var r *Expr
		if r, err = p.and(); err == nil {
			l = &Expr{op: "or", left: l, right: r}
		}
	}
	return l, err
}

func (p *parser) and() (*Expr, error) {
	l, err := p.not()
	for err == nil && p.peek().text == "and" && p.peek().kind == tOp {
		p.next()
		var r *Expr
		if r, err = p.not(); err == nil {
			l = &Expr{op: "and", left: l, right: r}
		}
	}
	return l, err
}

func (p *parser) not() (*Expr, error) {
	t := p.peek()
	if t.kind == tOp && t.text == "not" {
		p.next()
		e, err := p.not()
		if err != nil {
			return nil, err
		}
		return &Expr{op: "not", left: e}, nil
	}
	if t.kind == tPunct && t.text == "(" {
		p.next()
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.text != ")" {
			return nil, fmt.Errorf("位置 %d：缺少右括号", c.pos)
		}
		return e, nil
	}
	return p.compare()
}

func (p *parser) compare() (*Expr, error) {
	l, err := p.operand()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind != tOp || t.text == "and" || t.text == "or" || t.text == "not" {
		if l.ref == "" {
			return nil, fmt.Errorf("位置 %d：条件不能只有一个常量", t.pos)
		}
		return &Expr{left: &Expr{operand: l}}, nil
	}
	p.next()
	r, err := p.operand()
	if err != nil {
		return nil, err
	}
	if t.text == "in" && (r.ref != "" || r.literal.Kind != KindList) {
		return nil, fmt.Errorf("位置 %d：in 右侧必须是列表，如 ['a','b']", t.pos)
	}
	if l.ref == "" && r.ref == "" {
		return nil, fmt.Errorf("位置 %d：比较两边不能都是常量", t.pos)
	}
	return &Expr{op: t.text, left: &Expr{operand: l}, right: &Expr{operand: r}}, nil
}

func (p *parser) operand() (*operand, error) {
	t := p.next()
	switch t.kind {
	case tString:
		return &operand{literal: Str(t.text)}, nil
	case tNumber:
		f, _ := strconv.ParseFloat(t.text, 64)
		return &operand{literal: Num(f)}, nil
	case tIdent:
		ref, name, ok := strings.Cut(t.text, ".")
		if !ok || name == "" || (ref != "profile" && ref != "answer") {
			return nil, fmt.Errorf("位置 %d：%q 不是 profile.字段 或 answer.题号", t.pos, t.text)
		}
		return &operand{ref: ref, name: name}, nil
	case tPunct:
		if t.text == "[" {
			var list []string
			for {
				e := p.next()
				switch {
				case e.kind == tString || e.kind == tNumber:
					list = append(list, e.text)
				case e.kind == tPunct && e.text == "]" && len(list) == 0:
					return &operand{literal: List()}, nil
				default:
					return nil, fmt.Errorf("位置 %d：列表中只能是字符串或数字", e.pos)
				}
				sep := p.next()
				if sep.text == "]" {
					return &operand{literal: List(list...)}, nil
				}
				if sep.text != "," {
					return nil, fmt.Errorf("位置 %d：列表元素之间缺少逗号", sep.pos)
				}
			}
		}
	case tEOF:
		return nil, fmt.Errorf("位置 %d：条件不完整", t.pos)
	}
	return nil, fmt.Errorf("位置 %d：此处应为字段、答案或常量，而不是 %q", t.pos, t.text)
}
