// Package canon is the canonical JSON of the sealed format: a strict parser into generic values,
// the canonical encoding the hash and signature cover, and the sealed file layout. It is the
// lowest layer of package seal, kept apart only so that assessment can write a sealed document in
// its layout without importing seal (which imports assessment).
package canon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// LineAt is the 1-based line of offset in data, for error messages.
func LineAt(data []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(data)))
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// ---- canonical JSON ----
//
// Documents are signed over a canonical encoding of their generic JSON value: objects with keys in
// byte order of their UTF-8 (which is code point order), no whitespace, strings escaped in one
// fixed way, numbers kept as the literal text of the file. The value comes from the file's own
// bytes, never from Go structs, so fields added by a later version are signed and verified too.

const maxJSONDepth = 256

// JSON returns the canonical encoding of a JSON text. It refuses invalid UTF-8,
// duplicate keys and unpaired surrogate escapes.
func JSON(data []byte) ([]byte, error) {
	v, err := Parse(data)
	if err != nil {
		return nil, err
	}
	return Append(nil, v), nil
}

// Of marshals v with encoding/json and reads it back as a generic value.
func Of(v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return Parse(raw)
}

// Parse reads one JSON value into Object, []any, string, json.Number (the literal text),
// bool or nil. It is stricter than encoding/json: invalid UTF-8, duplicate keys and
// unpaired surrogate escapes are errors, not silently replaced.
func Parse(data []byte) (any, error) {
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		return nil, fmt.Errorf("第 %d 行有无效的 UTF-8 字节", LineAt(data, int64(i)))
	}
	p := &jsonParser{data: data}
	p.ws()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.pos != len(data) {
		return nil, p.fail("JSON 值之后有多余内容")
	}
	return v, nil
}

type jsonParser struct {
	data []byte
	pos  int
}

func (p *jsonParser) fail(msg string) error {
	if p.pos >= len(p.data) {
		return fmt.Errorf("文件不完整（可能被截断）：%s", msg)
	}
	return fmt.Errorf("JSON 语法错误（第 %d 行）：%s", LineAt(p.data, int64(p.pos)), msg)
}

func (p *jsonParser) ws() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, p.fail("嵌套过深")
	}
	if p.pos >= len(p.data) {
		return nil, p.fail("缺少值")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		p.pos++
		objPos := p.pos
		obj := Object{}
		p.ws()
		if p.pos < len(p.data) && p.data[p.pos] == '}' {
			p.pos++
			return obj, nil
		}
		for {
			p.ws()
			if p.pos >= len(p.data) || p.data[p.pos] != '"' {
				return nil, p.fail("应为对象的键（字符串）")
			}
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			p.ws()
			if p.pos >= len(p.data) || p.data[p.pos] != ':' {
				return nil, p.fail("键之后应为冒号")
			}
			p.pos++
			p.ws()
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			obj = append(obj, member{k, v})
			p.ws()
			if p.pos >= len(p.data) {
				return nil, p.fail("对象没有结束")
			}
			switch p.data[p.pos] {
			case ',':
				p.pos++
			case '}':
				p.pos++
				end := p.pos
				if dup := obj.sort(); dup != "" {
					p.pos = objPos
					return nil, p.fail(fmt.Sprintf("对象中的键 %q 重复", dup))
				}
				p.pos = end
				return obj, nil
			default:
				return nil, p.fail("对象中应为逗号或右花括号")
			}
		}
	case c == '[':
		p.pos++
		arr := []any{}
		p.ws()
		if p.pos < len(p.data) && p.data[p.pos] == ']' {
			p.pos++
			return arr, nil
		}
		for {
			p.ws()
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
			p.ws()
			if p.pos >= len(p.data) {
				return nil, p.fail("数组没有结束")
			}
			switch p.data[p.pos] {
			case ',':
				p.pos++
			case ']':
				p.pos++
				return arr, nil
			default:
				return nil, p.fail("数组中应为逗号或右方括号")
			}
		}
	case c == '"':
		return p.str()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return nil, p.fail(fmt.Sprintf("意外的字符 %q", p.data[p.pos]))
}

func (p *jsonParser) literal(word string) error {
	if !bytes.HasPrefix(p.data[p.pos:], []byte(word)) {
		return p.fail("无效的字面量")
	}
	p.pos += len(word)
	return nil
}

func (p *jsonParser) digits() int {
	start := p.pos
	for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
		p.pos++
	}
	return p.pos - start
}

func (p *jsonParser) number() (any, error) {
	start := p.pos
	if p.data[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(p.data) && p.data[p.pos] == '0' {
		p.pos++
	} else if p.digits() == 0 {
		return nil, p.fail("无效的数字")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if p.digits() == 0 {
			return nil, p.fail("无效的数字：小数点后缺少数字")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if p.digits() == 0 {
			return nil, p.fail("无效的数字：指数缺少数字")
		}
	}
	return json.Number(p.data[start:p.pos]), nil
}

// str reads a string starting at the opening quote.
func (p *jsonParser) str() (string, error) {
	p.pos++
	start := p.pos
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := string(p.data[start:p.pos])
			p.pos++
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.pos++
	}
	var b strings.Builder
	b.Write(p.data[start:p.pos])
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return b.String(), nil
		case c < 0x20:
			return "", p.fail("字符串中有未转义的控制字符")
		case c != '\\':
			b.WriteByte(c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.data) {
			break
		}
		e := p.data[p.pos+1]
		p.pos += 2
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.fail(`无效的 \u 转义`)
			}
			if utf16.IsSurrogate(r) {
				if r >= 0xDC00 || !bytes.HasPrefix(p.data[p.pos:], []byte(`\u`)) {
					return "", p.fail("不成对的 UTF-16 代理项")
				}
				p.pos += 2
				r2, ok := p.hex4()
				if !ok || r2 < 0xDC00 || r2 > 0xDFFF {
					return "", p.fail("不成对的 UTF-16 代理项")
				}
				r = utf16.DecodeRune(r, r2)
			}
			b.WriteRune(r)
		default:
			p.pos -= 2
			return "", p.fail("无效的转义字符")
		}
	}
	return "", p.fail("字符串没有结束")
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.pos+4 > len(p.data) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.data[p.pos:p.pos+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.pos += 4
	return rune(v), true
}

// Object is a JSON object as its members sorted by key (byte order), keys unique.
type Object []member

type member struct {
	key string
	val any
}

// sort orders the members by key and returns a key that occurs twice, if any.
func (o Object) sort() (dup string) {
	slices.SortStableFunc(o, func(a, b member) int { return strings.Compare(a.key, b.key) })
	for i := 1; i < len(o); i++ {
		if o[i].key == o[i-1].key {
			return o[i].key
		}
	}
	return ""
}

func (o Object) find(key string) (int, bool) {
	return slices.BinarySearchFunc(o, key, func(m member, k string) int { return strings.Compare(m.key, k) })
}

// get returns the value of key, nil when absent.
func (o Object) Get(key string) any {
	if i, ok := o.find(key); ok {
		return o[i].val
	}
	return nil
}

// with returns a copy of o with key set to v.
func (o Object) With(key string, v any) Object {
	i, ok := o.find(key)
	out := make(Object, 0, len(o)+1)
	out = append(out, o[:i]...)
	out = append(out, member{key, v})
	if ok {
		i++
	}
	return append(out, o[i:]...)
}

// without returns a copy of o without key.
func (o Object) Without(key string) Object {
	i, ok := o.find(key)
	if !ok {
		return o
	}
	return append(append(make(Object, 0, len(o)-1), o[:i]...), o[i+1:]...)
}

// Append appends the canonical encoding of a generic value.
func Append(b []byte, v any) []byte {
	switch v := v.(type) {
	case Object:
		b = append(b, '{')
		for i, m := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendString(b, m.key)
			b = append(b, ':')
			b = Append(b, m.val)
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for i, x := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = Append(b, x)
		}
		return append(b, ']')
	}
	return appendScalar(b, v)
}

// AppendSealedLayout appends the sealed file layout: the canonical value pretty-printed with
// sorted keys, two-space indent, ": " after keys, "{}" and "[]" for empty containers, and a final
// newline.
func AppendSealedLayout(b []byte, v any) []byte {
	return append(appendPretty(b, v, 0), '\n')
}

func appendPretty(b []byte, v any, depth int) []byte {
	newline := func(b []byte, depth int) []byte {
		b = append(b, '\n')
		for range depth {
			b = append(b, ' ', ' ')
		}
		return b
	}
	switch v := v.(type) {
	case Object:
		if len(v) == 0 {
			return append(b, '{', '}')
		}
		b = append(b, '{')
		for i, m := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = newline(b, depth+1)
			b = AppendString(b, m.key)
			b = append(b, ':', ' ')
			b = appendPretty(b, m.val, depth+1)
		}
		return append(newline(b, depth), '}')
	case []any:
		if len(v) == 0 {
			return append(b, '[', ']')
		}
		b = append(b, '[')
		for i, x := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = newline(b, depth+1)
			b = appendPretty(b, x, depth+1)
		}
		return append(newline(b, depth), ']')
	}
	return appendScalar(b, v)
}

func appendScalar(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, v)
	case json.Number:
		return append(b, v...)
	case string:
		return AppendString(b, v)
	}
	panic(fmt.Sprintf("assessment: no canonical form for %T", v))
}

// AppendString escapes only what JSON requires: the quote, the backslash and control
// characters (\b \f \n \r \t, others as \u00xx). Everything else, non-ASCII included, is written
// as its UTF-8 bytes.
func AppendString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
