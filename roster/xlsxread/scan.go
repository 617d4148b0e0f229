package xlsxread

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// scanner is a small XML tokenizer over a whole part held in memory. It does what the worksheet
// needs and no more: elements with their attributes (names split at the prefix, values with
// entities decoded), character data and CDATA of the few elements whose text is wanted, and
// comments, processing instructions and DOCTYPE skipped. Nesting is checked, so a truncated or
// garbled part is an error rather than a shorter sheet. Names are slices of the input and valid
// until the next token; values are copied.
type scanner struct {
	b     []byte
	i     int
	stack [][]byte // open elements' full names
	attrs []attr
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
)

type token struct {
	kind  tokKind
	local string // the element's local name, valid until the next token
	empty bool   // <x/>: no end token follows
	attrs []attr // valid until the next token
}

type attr struct {
	local    string
	prefixed bool
	raw      []byte
}

// value returns the attribute's value with entities decoded.
func (a attr) value() string {
	s, _ := decodeText(a.raw)
	return s
}

// view returns the value without copying when it has nothing to decode; for values that are
// only looked at, not kept.
func (a attr) view() string {
	if bytes.IndexByte(a.raw, '&') >= 0 {
		return a.value()
	}
	return unsafeString(a.raw)
}

func newScanner(b []byte) *scanner { return &scanner{b: b} }

var errEOF = errors.New("文件不完整（XML 意外结束）")

// localOf returns the part of a name after its prefix, without allocating.
func localOf(name []byte) (string, bool) {
	if j := bytes.LastIndexByte(name, ':'); j >= 0 {
		return unsafeString(name[j+1:]), true
	}
	return unsafeString(name), false
}

// next returns the next start or end element, skipping everything else.
func (s *scanner) next() (token, error) {
	for {
		j := bytes.IndexByte(s.b[s.i:], '<')
		if j < 0 {
			s.i = len(s.b)
			if len(s.stack) > 0 {
				return token{}, errEOF
			}
			return token{kind: tokEOF}, nil
		}
		s.i += j
		tok, ok, err := s.markup()
		if err != nil || ok {
			return tok, err
		}
	}
}

// markup reads the markup at s.i (which is '<'); ok is false for markup that is not an element
// (comments, CDATA, processing instructions, declarations), which is skipped.
func (s *scanner) markup() (token, bool, error) {
	b := s.b
	i := s.i + 1
	if i >= len(b) {
		return token{}, false, errEOF
	}
	switch b[i] {
	case '?':
		end := bytes.Index(b[i:], []byte("?>"))
		if end < 0 {
			return token{}, false, errEOF
		}
		s.i = i + end + 2
		return token{}, false, nil
	case '!':
		switch {
		case bytes.HasPrefix(b[i:], []byte("!--")):
			end := bytes.Index(b[i+3:], []byte("-->"))
			if end < 0 {
				return token{}, false, errEOF
			}
			s.i = i + 3 + end + 3
		case bytes.HasPrefix(b[i:], []byte("![CDATA[")):
			end := bytes.Index(b[i+8:], []byte("]]>"))
			if end < 0 {
				return token{}, false, errEOF
			}
			s.i = i + 8 + end + 3
		default:
			// <!DOCTYPE ...> with an optional [internal subset]; quotes may hold '>' or brackets.
			depth := 0
			var quote byte
			for i++; i < len(b); i++ {
				c := b[i]
				switch {
				case quote != 0:
					if c == quote {
						quote = 0
					}
				case c == '"' || c == '\'':
					quote = c
				case c == '[':
					depth++
				case c == ']':
					depth--
				case c == '>' && depth <= 0:
					s.i = i + 1
					return token{}, false, nil
				}
			}
			return token{}, false, errEOF
		}
		return token{}, false, nil
	case '/':
		i++
		start := i
		for i < len(b) && !isSpace(b[i]) && b[i] != '>' {
			i++
		}
		name := b[start:i]
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return token{}, false, errEOF
		}
		if b[i] != '>' || len(name) == 0 {
			return token{}, false, fmt.Errorf("XML 格式错误：结束标记「%s」不完整", clip(b[s.i:i+1]))
		}
		n := len(s.stack)
		if n == 0 {
			return token{}, false, fmt.Errorf("XML 格式错误：多余的结束标记「</%s>」", clip(name))
		}
		if !bytes.Equal(s.stack[n-1], name) {
			return token{}, false, fmt.Errorf("XML 格式错误：元素「<%s>」被「</%s>」结束", clip(s.stack[n-1]), clip(name))
		}
		s.stack = s.stack[:n-1]
		s.i = i + 1
		local, _ := localOf(name)
		return token{kind: tokEnd, local: local}, true, nil
	}
	start := i
	for i < len(b) && !isSpace(b[i]) && b[i] != '>' && b[i] != '/' {
		i++
	}
	name := b[start:i]
	if len(name) == 0 || !nameStart(name) {
		return token{}, false, fmt.Errorf("XML 格式错误：「%s」不是元素", clip(b[s.i:min(len(b), i+1)]))
	}
	s.attrs = s.attrs[:0]
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return token{}, false, errEOF
		}
		if b[i] == '>' || b[i] == '/' {
			break
		}
		as := i
		for i < len(b) && !isSpace(b[i]) && b[i] != '=' && b[i] != '>' && b[i] != '/' {
			i++
		}
		aname := b[as:i]
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return token{}, false, errEOF
		}
		if b[i] != '=' || len(aname) == 0 {
			return token{}, false, fmt.Errorf("XML 格式错误：元素「<%s>」的属性「%s」没有值", clip(name), clip(aname))
		}
		i++
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return token{}, false, errEOF
		}
		q := b[i]
		if q != '"' && q != '\'' {
			return token{}, false, fmt.Errorf("XML 格式错误：元素「<%s>」的属性「%s」的值没有引号", clip(name), clip(aname))
		}
		end := bytes.IndexByte(b[i+1:], q)
		if end < 0 {
			return token{}, false, errEOF
		}
		raw := b[i+1 : i+1+end]
		i += end + 2
		if bytes.IndexByte(raw, '&') >= 0 {
			if _, err := decodeText(raw); err != nil {
				return token{}, false, fmt.Errorf("XML 格式错误：元素「<%s>」的属性「%s」：%v", clip(name), clip(aname), err)
			}
		}
		local, prefixed := localOf(aname)
		s.attrs = append(s.attrs, attr{local: local, prefixed: prefixed, raw: raw})
	}
	tok := token{kind: tokStart, attrs: s.attrs}
	tok.local, _ = localOf(name)
	if b[i] == '/' {
		if i+1 >= len(b) {
			return token{}, false, errEOF
		}
		if b[i+1] != '>' {
			return token{}, false, fmt.Errorf("XML 格式错误：元素「<%s>」的「/」后应为「>」", clip(name))
		}
		tok.empty = true
		s.i = i + 2
	} else {
		s.stack = append(s.stack, name)
		s.i = i + 1
	}
	return tok, true, nil
}

// childOf reports whether the start token just read is a direct child of the element that was
// open at stack depth depth.
func (s *scanner) childOf(tok token, depth int) bool {
	if tok.empty {
		return len(s.stack) == depth
	}
	return len(s.stack) == depth+1
}

// skip moves past the end of the element whose (non-empty) start was just read.
func (s *scanner) skip(start token) error {
	if start.empty {
		return nil
	}
	depth := len(s.stack)
	for {
		tok, err := s.next()
		if err != nil {
			return err
		}
		if tok.kind == tokEOF {
			return errEOF
		}
		if tok.kind == tokEnd && len(s.stack) < depth {
			return nil
		}
	}
}

// text returns the character data directly inside the element whose (non-empty) start was just
// read, up to its end; the text of nested elements is left out, as encoding/xml does when it
// decodes an element into a string.
func (s *scanner) text() (string, error) {
	depth := len(s.stack)
	var out []byte // only when there is more than one piece or something to decode
	var first []byte
	pieces := 0
	add := func(p []byte, decode bool) error {
		if len(p) == 0 {
			return nil
		}
		if decode && (bytes.IndexByte(p, '&') >= 0 || bytes.IndexByte(p, '\r') >= 0) {
			d, err := decodeText(p)
			if err != nil {
				return err
			}
			p = []byte(d)
		} else if !decode && bytes.IndexByte(p, '\r') >= 0 {
			p = normalizeNewlines(p)
		}
		pieces++
		if pieces == 1 {
			first = p
			return nil
		}
		if pieces == 2 {
			out = append(out, first...)
		}
		out = append(out, p...)
		return nil
	}
	for {
		j := bytes.IndexByte(s.b[s.i:], '<')
		if j < 0 {
			return "", errEOF
		}
		if len(s.stack) == depth {
			if err := add(s.b[s.i:s.i+j], true); err != nil {
				return "", err
			}
		}
		s.i += j
		if len(s.stack) == depth && bytes.HasPrefix(s.b[s.i:], []byte("<![CDATA[")) {
			end := bytes.Index(s.b[s.i+9:], []byte("]]>"))
			if end < 0 {
				return "", errEOF
			}
			if err := add(s.b[s.i+9:s.i+9+end], false); err != nil {
				return "", err
			}
			s.i += 9 + end + 3
			continue
		}
		tok, ok, err := s.markup()
		if err != nil {
			return "", err
		}
		if ok && tok.kind == tokEnd && len(s.stack) < depth {
			break
		}
	}
	switch pieces {
	case 0:
		return "", nil
	case 1:
		return string(first), nil
	}
	return string(out), nil
}

// richText reads a shared or inline string (<si> or <is>) whose non-empty start was just read:
// the text of its own <t> (the last one, as encoding/xml keeps it) followed by the text of each
// run's <t>, with _xHHHH_ escapes decoded, as excelize's xlsxSI.String does. Phonetic runs are
// left out.
func (s *scanner) richText() (string, error) {
	depth := len(s.stack)
	var own string
	var runs []string
	var sb strings.Builder
	for {
		tok, err := s.next()
		if err != nil {
			return "", err
		}
		if tok.kind == tokEOF {
			return "", errEOF
		}
		if tok.kind == tokEnd {
			if len(s.stack) < depth {
				break
			}
			continue
		}
		switch {
		case s.childOf(tok, depth) && tok.local == "t":
			own = ""
			if !tok.empty {
				if own, err = s.text(); err != nil {
					return "", err
				}
			}
		case s.childOf(tok, depth) && tok.local == "r":
			run := ""
			if !tok.empty {
				rd := len(s.stack)
				for {
					t2, err := s.next()
					if err != nil {
						return "", err
					}
					if t2.kind == tokEOF {
						return "", errEOF
					}
					if t2.kind == tokEnd {
						if len(s.stack) < rd {
							break
						}
						continue
					}
					if s.childOf(t2, rd) && t2.local == "t" {
						run = ""
						if !t2.empty {
							if run, err = s.text(); err != nil {
								return "", err
							}
						}
					} else if err := s.skip(t2); err != nil {
						return "", err
					}
				}
			}
			runs = append(runs, run)
		default:
			if err := s.skip(tok); err != nil {
				return "", err
			}
		}
	}
	if len(runs) == 0 {
		return unescapeBSTR(own), nil
	}
	sb.WriteString(own)
	for _, r := range runs {
		sb.WriteString(r)
	}
	return unescapeBSTR(sb.String()), nil
}

// cell is what a <c> element holds.
type cell struct {
	v     string // the last <v>'s text
	is    string // the inline string
	hasIS bool
	hasF  bool // a formula, even an empty one
}

// cell reads the inside of a <c> whose non-empty start was just read. Like excelize it looks for
// <v>, <f> and <is> anywhere inside the cell.
func (s *scanner) cell() (cell, error) {
	var c cell
	depth := len(s.stack)
	for {
		tok, err := s.next()
		if err != nil {
			return c, err
		}
		if tok.kind == tokEOF {
			return c, errEOF
		}
		if tok.kind == tokEnd {
			if len(s.stack) < depth {
				return c, nil
			}
			continue
		}
		switch tok.local {
		case "v":
			c.v = ""
			if !tok.empty {
				if c.v, err = s.text(); err != nil {
					return c, err
				}
			}
		case "f":
			c.hasF = true
			if err := s.skip(tok); err != nil {
				return c, err
			}
		case "is":
			c.hasIS, c.is = true, ""
			if !tok.empty {
				if c.is, err = s.richText(); err != nil {
					return c, err
				}
			}
		}
	}
}

// decodeText decodes the five predefined entities and character references and turns CR LF and
// lone CR into LF, as an XML parser must.
func decodeText(p []byte) (string, error) {
	if bytes.IndexByte(p, '&') < 0 && bytes.IndexByte(p, '\r') < 0 {
		return string(p), nil
	}
	out := make([]byte, 0, len(p))
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch c {
		case '\r':
			out = append(out, '\n')
			if i+1 < len(p) && p[i+1] == '\n' {
				i++
			}
		case '&':
			end := bytes.IndexByte(p[i:], ';')
			if end < 0 || end > 12 {
				return "", fmt.Errorf("XML 格式错误：「%s」不是有效的实体", clip(p[i:min(len(p), i+12)]))
			}
			ent := string(p[i+1 : i+end])
			switch ent {
			case "lt":
				out = append(out, '<')
			case "gt":
				out = append(out, '>')
			case "amp":
				out = append(out, '&')
			case "apos":
				out = append(out, '\'')
			case "quot":
				out = append(out, '"')
			default:
				var n uint64
				var err error
				switch {
				case strings.HasPrefix(ent, "#x"):
					n, err = strconv.ParseUint(ent[2:], 16, 32)
				case strings.HasPrefix(ent, "#"):
					n, err = strconv.ParseUint(ent[1:], 10, 32)
				default:
					err = errors.New("unknown")
				}
				if err != nil || !xmlChar(rune(n)) || strings.HasPrefix(ent, "#+") || strings.HasPrefix(ent, "#x+") {
					return "", fmt.Errorf("XML 格式错误：「&%s;」不是有效的实体", ent)
				}
				out = utf8.AppendRune(out, rune(n))
			}
			i += end
		default:
			out = append(out, c)
		}
	}
	return string(out), nil
}

func normalizeNewlines(p []byte) []byte {
	out := make([]byte, 0, len(p))
	for i := 0; i < len(p); i++ {
		if p[i] == '\r' {
			out = append(out, '\n')
			if i+1 < len(p) && p[i+1] == '\n' {
				i++
			}
			continue
		}
		out = append(out, p[i])
	}
	return out
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func nameStart(name []byte) bool {
	c := name[0]
	return c == '_' || c == ':' || c >= 0x80 || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
}

// clip shortens input quoted in an error message.
func clip(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
		for len(b) > 0 && !utf8.Valid(b) {
			b = b[:len(b)-1]
		}
		return string(b) + "…"
	}
	return string(b)
}

// unescapeBSTR decodes the _xHHHH_ escapes Excel writes for characters XML cannot hold, as
// excelize's bstrUnmarshal does: _x005F_ is a literal underscore, and an escape that is not a
// valid character (a lone surrogate) is dropped.
func unescapeBSTR(s string) string {
	i := strings.Index(s, "_x")
	if i < 0 {
		return s
	}
	var sb strings.Builder
	last := 0
	for i >= 0 && i+7 <= len(s) {
		if s[i+6] == '_' && isHex4(s[i+2:i+6]) {
			sb.WriteString(s[last:i])
			if s[i+2:i+6] == "005F" {
				sb.WriteByte('_')
			} else {
				n, _ := strconv.ParseUint(s[i+2:i+6], 16, 32)
				if r := rune(n); utf8.ValidRune(r) {
					sb.WriteRune(r)
				}
			}
			last = i + 7
			i = last
		} else {
			i++
		}
		k := strings.Index(s[i:], "_x")
		if k < 0 {
			break
		}
		i += k
	}
	sb.WriteString(s[last:])
	return sb.String()
}

func isHex4(s string) bool {
	for i := 0; i < 4; i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
