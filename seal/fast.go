package seal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"smartdiag/assessment"
	"smartdiag/questionnaires"
)

// A district tallies thousands of sealed documents, and assessment.Verify followed by
// assessment.Open reads each one three times (a generic parse for the seal, then encoding/json
// twice). This file reads a document in the sealed file layout in one pass instead: it accepts
// only bytes that are exactly the layout assessment writes when sealing (sorted unique keys,
// canonical string escapes, two-space indent, one final newline), and strips the layout
// whitespace to get the canonical encoding the hash and signature cover. Any file it does not
// accept goes to assessment.Verify and assessment.Open, which stay the reference: the fast path
// can only say "intact" for a file they would call intact too (see sealed_test.go, which checks
// this on mutated and fuzzed documents), and it never produces a rejection reason of its own.

// sealedScan is a document read in the sealed layout.
type sealedScan struct {
	canon  []byte    // canonical encoding of the whole document
	top    []member  // top-level members in key order
	ans    []ansSpan // the members of the top-level "answers" object
	fields []span    // the members of each answer object (ansSpan.f0 … f1)
	sc     *Scratch  // where the slices above live, and space for verify and open
}

// span is an object member in canon: key from ks (the opening quote) to vs-1 (the colon), value
// from vs to ve.
type span struct{ ks, vs, ve int }

// ansSpan is one answer: its member span and its fields.
type ansSpan struct {
	span
	f0, f1 int
}

// Roles of an object while scanning, so that answers are located in the same pass.
const (
	roleOther = iota
	roleTop
	roleAnswers
	roleAnswer
)

// member is an object member in canon: the key (unescaped: keys with escapes are left to the
// reference path), where the member starts (its key's opening quote) and its value's span.
type member struct {
	key    string
	ks     int
	vs, ve int
}

const maxScanDepth = 256 // as assessment's parser

// scanSealed reads data if it is exactly in the sealed layout. The canonical encoding and the
// member lists are written to sc's storage (nil: new storage).
func scanSealed(data []byte, sc *Scratch) (*sealedScan, bool) {
	if len(data) < 3 || data[0] != '{' || data[len(data)-1] != '\n' {
		return nil, false
	}
	if sc == nil {
		sc = new(Scratch)
	}
	buf := sc.canon
	if cap(buf) < len(data) {
		buf = make([]byte, 0, len(data)+len(data)/8)
	}
	s := &layoutScanner{data: data[:len(data)-1], out: buf[:0], top: sc.top[:0], ans: sc.ans[:0], fields: sc.fields[:0]}
	if s.ans == nil {
		s.ans = make([]ansSpan, 0, 320)
		s.fields = make([]span, 0, 1024)
	}
	ok := s.object(0, roleTop) && s.pos == len(s.data)
	sc.canon, sc.top, sc.ans, sc.fields = s.out, s.top, s.ans, s.fields // grown, kept for the next document
	if !ok {
		return nil, false
	}
	return &sealedScan{canon: s.out, top: s.top, ans: s.ans, fields: s.fields, sc: sc}, true
}

type layoutScanner struct {
	data   []byte
	pos    int
	out    []byte
	top    []member
	ans    []ansSpan
	fields []span
}

func (s *layoutScanner) value(depth, role int) bool {
	if depth > maxScanDepth || s.pos >= len(s.data) {
		return false
	}
	switch c := s.data[s.pos]; {
	case c == '{':
		return s.object(depth, role)
	case c == '[':
		return s.array(depth)
	case c == '"':
		return s.str()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		return s.number()
	}
	return false
}

// indent consumes a line break followed by exactly 2×depth spaces.
func (s *layoutScanner) indent(depth int) bool {
	n := 1 + 2*depth
	if s.pos+n > len(s.data) || s.data[s.pos] != '\n' {
		return false
	}
	for _, c := range s.data[s.pos+1 : s.pos+n] {
		if c != ' ' {
			return false
		}
	}
	s.pos += n
	return true
}

func (s *layoutScanner) object(depth, role int) bool {
	s.pos++
	s.out = append(s.out, '{')
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		s.out = append(s.out, '}')
		return true
	}
	var prev []byte
	for first := true; ; first = false {
		if !first {
			s.out = append(s.out, ',')
		}
		if !s.indent(depth+1) || s.pos >= len(s.data) || s.data[s.pos] != '"' {
			return false
		}
		ks, start := len(s.out), s.pos
		if !s.str() {
			return false
		}
		key := s.data[start+1 : s.pos-1]
		if bytes.IndexByte(key, '\\') >= 0 || !first && bytes.Compare(key, prev) <= 0 {
			return false // escaped keys go the reference way; keys must be sorted and unique
		}
		prev = key
		if s.pos+2 > len(s.data) || s.data[s.pos] != ':' || s.data[s.pos+1] != ' ' {
			return false
		}
		s.pos += 2
		s.out = append(s.out, ':')
		vs := len(s.out)
		child := roleOther
		switch role {
		case roleTop:
			if string(key) == "answers" {
				child = roleAnswers
			}
		case roleAnswers:
			child = roleAnswer
		}
		f0 := len(s.fields)
		if !s.value(depth+1, child) {
			return false
		}
		switch role {
		case roleTop:
			s.top = append(s.top, member{key: string(key), ks: ks, vs: vs, ve: len(s.out)})
		case roleAnswers:
			s.ans = append(s.ans, ansSpan{span{ks, vs, len(s.out)}, f0, len(s.fields)})
		case roleAnswer:
			s.fields = append(s.fields, span{ks, vs, len(s.out)})
		}
		if s.pos < len(s.data) && s.data[s.pos] == ',' {
			s.pos++
			continue
		}
		if !s.indent(depth) || s.pos >= len(s.data) || s.data[s.pos] != '}' {
			return false
		}
		s.pos++
		s.out = append(s.out, '}')
		return true
	}
}

func (s *layoutScanner) array(depth int) bool {
	s.pos++
	s.out = append(s.out, '[')
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		s.out = append(s.out, ']')
		return true
	}
	for first := true; ; first = false {
		if !first {
			s.out = append(s.out, ',')
		}
		if !s.indent(depth+1) || !s.value(depth+1, roleOther) {
			return false
		}
		if s.pos < len(s.data) && s.data[s.pos] == ',' {
			s.pos++
			continue
		}
		if !s.indent(depth) || s.pos >= len(s.data) || s.data[s.pos] != ']' {
			return false
		}
		s.pos++
		s.out = append(s.out, ']')
		return true
	}
}

// str accepts a string only in its canonical escaping: \" \\ \b \f \n \r \t, \u00xx (lower-case
// hex) for the other control characters, everything else as valid UTF-8. Plain runs are skipped
// eight bytes at a time.
func (s *layoutScanner) str() bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	start := s.pos
	s.pos++
	ascii := true
	for s.pos < len(s.data) {
		for s.pos+8 <= len(s.data) {
			v := binary.LittleEndian.Uint64(s.data[s.pos:])
			q, bs := v^(ones*'"'), v^(ones*'\\')
			if ((v-ones*0x20)&^v|(q-ones)&^q|(bs-ones)&^bs)&highs != 0 {
				break // a quote, a backslash or a control character in these eight bytes
			}
			if v&highs != 0 {
				ascii = false
			}
			s.pos += 8
		}
		if s.pos >= len(s.data) {
			break
		}
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			seg := s.data[start:s.pos]
			if !ascii && !utf8.Valid(seg) {
				return false
			}
			s.out = append(s.out, seg...)
			return true
		case c < 0x20:
			return false
		case c >= 0x80:
			ascii = false
			s.pos++
		case c == '\\':
			if s.pos+1 >= len(s.data) {
				return false
			}
			switch s.data[s.pos+1] {
			case '"', '\\', 'b', 'f', 'n', 'r', 't':
				s.pos += 2
			case 'u':
				if s.pos+6 > len(s.data) {
					return false
				}
				h := s.data[s.pos+2 : s.pos+6]
				lo := hexLower(h[3])
				if h[0] != '0' || h[1] != '0' || (h[2] != '0' && h[2] != '1') || lo < 0 {
					return false
				}
				switch v := int(h[2]-'0')<<4 | lo; v {
				case '\b', '\f', '\n', '\r', '\t':
					return false // these have a short form
				}
				s.pos += 6
			default:
				return false
			}
		default:
			s.pos++
		}
	}
	return false
}

func hexLower(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return -1
}

func (s *layoutScanner) literal(word string) bool {
	if !bytes.HasPrefix(s.data[s.pos:], []byte(word)) {
		return false
	}
	s.pos += len(word)
	s.out = append(s.out, word...)
	return true
}

func (s *layoutScanner) digits() int {
	start := s.pos
	for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
		s.pos++
	}
	return s.pos - start
}

// number accepts the JSON number grammar; numbers are kept exactly as written.
func (s *layoutScanner) number() bool {
	start := s.pos
	if s.data[s.pos] == '-' {
		s.pos++
	}
	if s.pos < len(s.data) && s.data[s.pos] == '0' {
		s.pos++
	} else if s.digits() == 0 {
		return false
	}
	if s.pos < len(s.data) && s.data[s.pos] == '.' {
		s.pos++
		if s.digits() == 0 {
			return false
		}
	}
	if s.pos < len(s.data) && (s.data[s.pos] == 'e' || s.data[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.data) && (s.data[s.pos] == '+' || s.data[s.pos] == '-') {
			s.pos++
		}
		if s.digits() == 0 {
			return false
		}
	}
	s.out = append(s.out, s.data[start:s.pos]...)
	return true
}

// ---- walking canonical JSON (compact and already validated) ----

// skipValue returns the end of the value that starts at i, or -1.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				if i = skipString(b, i); i < 0 {
					return -1
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return -1
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' {
		i++
	}
	return i
}

func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// eachMember calls fn for each member of the canonical object at b[i:] (key still quoted and
// escaped) until fn returns false; ok=false if b[i:] is not an object.
func eachMember(b []byte, i int, fn func(key []byte, vs, ve int) bool) (ok bool) {
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i++
	if i < len(b) && b[i] == '}' {
		return true
	}
	for i < len(b) {
		ke := skipString(b, i)
		if ke < 0 || ke >= len(b) || b[ke] != ':' {
			return false
		}
		ve := skipValue(b, ke+1)
		if ve < 0 || ve >= len(b) {
			return false
		}
		if !fn(b[i:ke], ke+1, ve) {
			return true
		}
		switch b[ve] {
		case ',':
			i = ve + 1
		case '}':
			return true
		default:
			return false
		}
	}
	return false
}

// members lists the members of the canonical object at b[i:], or ok=false.
func members(b []byte, i int) (out []member, ok bool) {
	good := true
	ok = eachMember(b, i, func(key []byte, vs, ve int) bool {
		k, err := canonString(key)
		if err != nil {
			good = false
			return false
		}
		out = append(out, member{key: k, ks: vs - len(key) - 1, vs: vs, ve: ve})
		return true
	})
	return out, ok && good
}

// canonString decodes a JSON string literal.
func canonString(lit []byte) (string, error) {
	if len(lit) >= 2 && lit[0] == '"' && lit[len(lit)-1] == '"' && bytes.IndexByte(lit, '\\') < 0 {
		return string(lit[1 : len(lit)-1]), nil
	}
	var s string
	err := json.Unmarshal(lit, &s)
	return s, err
}

// objectWithout appends the canonical object of ms (members of b) without the one named skip.
func objectWithout(dst, b []byte, ms []member, skip string) []byte {
	dst = append(dst, '{')
	first := true
	for _, m := range ms {
		if m.key == skip {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, b[m.ks:m.ve]...)
	}
	return append(dst, '}')
}

func (sc *sealedScan) get(key string) (member, bool) {
	for _, m := range sc.top {
		if m.key == key {
			return m, true
		}
	}
	return member{}, false
}

func (sc *sealedScan) str(key string) (string, bool) {
	m, ok := sc.get(key)
	if !ok || sc.canon[m.vs] != '"' {
		return "", false
	}
	s, err := canonString(sc.canon[m.vs:m.ve])
	return s, err == nil
}

// verify checks the seal the way assessment.Verify does. ok=false means "ask assessment.Verify":
// the result is then not meaningful. With ok=true the status is valid or unknown_signer, with the
// same fields and reason assessment.Verify gives.
func (sc *sealedScan) verify(trusted Trust) (VerifyResult, bool) {
	var res VerifyResult
	if f, ok := sc.str("format"); !ok || !strings.HasPrefix(f, "smartdiag.diagnosis/") {
		return res, false
	}
	if st, ok := sc.str("status"); !ok || st != assessment.StatusSealed {
		return res, false
	}
	seal, ok := sc.get("seal")
	if !ok || sc.canon[seal.vs] != '{' {
		return res, false
	}
	sealMembers, ok := members(sc.canon, seal.vs)
	if !ok {
		return res, false
	}
	hasSig := false
	for _, m := range sealMembers {
		hasSig = hasSig || m.key == "signature"
	}
	if !hasSig {
		return res, false
	}
	block, pub, sig, err := parseSealBlock(sc.canon[seal.vs:seal.ve])
	if err != nil {
		return res, false
	}

	buf := sc.sc.tmp[:0]
	if cap(buf) < len(sc.canon) {
		buf = make([]byte, 0, len(sc.canon)+len(sc.canon)/8)
	}
	defer func() { sc.sc.tmp = buf[:0] }() // kept for the next document
	buf = objectWithout(buf, sc.canon, sc.top, "seal")
	sum := sha256.Sum256(buf)
	if hex.EncodeToString(sum[:]) != block.SHA256 {
		return res, false
	}
	buf = append(buf[:0], sc.canon[:seal.vs]...)
	buf = objectWithout(buf, sc.canon, sealMembers, "signature")
	buf = append(buf, sc.canon[seal.ve:]...)
	if !ed25519.Verify(pub, buf, sig) {
		return res, false
	}

	res.ID, _ = sc.str("id")
	res.SHA256 = block.SHA256
	res.Fingerprint = Fingerprint(pub)
	res.Signer, res.SealedAt = &block.Signer, block.SealedAt
	return res.trust(pub, trusted), true
}

// answerKeys are the JSON names of assessment.Answer's fields. encoding/json matches names
// case-insensitively, so a key that folds to one of them but differs sends the document the
// reference way.
var answerKeys = []string{"answered_at", "evidence", "note", "value"}

// open decodes the document like assessment.Open. ok=false means "use assessment.Open" (the
// error, if any, then comes from there, with its line numbers).
func (sc *sealedScan) open() (*assessment.Document, *questionnaires.Questionnaire, *assessment.Values, error, bool) {
	var answers member
	hasAnswers := false
	for _, m := range sc.top {
		switch {
		case m.key == "answers":
			answers, hasAnswers = m, true
		case strings.EqualFold(m.key, "answers"):
			return nil, nil, nil, nil, false
		}
	}
	if hasAnswers && sc.canon[answers.vs] != '{' {
		return nil, nil, nil, nil, false
	}
	// The envelope is the document with an empty answers object: small, so encoding/json is quick.
	// Nothing decoded refers to env's bytes (encoding/json copies them), so its space is reused.
	env := objectWithout(sc.sc.env[:0], sc.canon, sc.top, "answers")
	if len(env) > 2 {
		env = append(env[:len(env)-1], `,"answers":{}}`...)
	} else {
		env = append(env[:1], `"answers":{}}`...)
	}
	sc.sc.env = env[:0]
	d, err := assessment.Decode(env)
	if err != nil {
		return nil, nil, nil, nil, false
	}
	q, qerr := d.LoadQuestionnaire()
	if hasAnswers {
		var ids map[string]string
		if qerr == nil {
			ids = itemIDs(q)
		}
		d.Answers = make(map[string]*assessment.Answer, len(sc.ans))
		store := make([]assessment.Answer, len(sc.ans)) // one allocation for all answers
		for i, as := range sc.ans {
			key := sc.canon[as.ks : as.vs-1]
			id, known := ids[string(key[1:len(key)-1])]
			if !known {
				var err error
				if id, err = canonString(key); err != nil {
					return nil, nil, nil, nil, false
				}
			}
			if !sc.answer(&store[i], as) {
				return nil, nil, nil, nil, false
			}
			d.Answers[id] = &store[i]
		}
	}
	if qerr != nil {
		return nil, nil, nil, qerr, true
	}
	vals, err := d.CheckValues(q)
	if err != nil {
		return nil, nil, nil, err, true
	}
	return d, q, vals, nil, true
}

// answer reads one answer object into a; ok=false for anything unusual.
func (sc *sealedScan) answer(a *assessment.Answer, as ansSpan) bool {
	b := sc.canon
	if b[as.vs] != '{' {
		return false
	}
	for _, f := range sc.fields[as.f0:as.f1] {
		key, v := b[f.ks:f.vs-1], b[f.vs:f.ve]
		switch string(key) {
		case `"value"`:
			a.Value = json.RawMessage(v)
		case `"note"`:
			note, err := canonString(v)
			if v[0] != '"' || err != nil {
				return false
			}
			a.Note = note
		case `"evidence"`:
			if string(v) != "null" && json.Unmarshal(v, &a.Evidence) != nil {
				return false
			}
		case `"answered_at"`:
			if t, ok := parseUTCStamp(v); ok {
				a.AnsweredAt = t
			} else if err := a.AnsweredAt.UnmarshalJSON(v); err != nil {
				return false
			}
		default:
			k, err := canonString(key)
			if err != nil {
				return false
			}
			for _, name := range answerKeys {
				if strings.EqualFold(k, name) {
					return false
				}
			}
		}
	}
	// An empty answer goes to assessment.Open, which reports it.
	return a.HasValue() || a.Note != "" || len(a.Evidence) > 0
}

// itemIDs maps each item id of q to itself, so answer keys need no allocation of their own.
func itemIDs(q *questionnaires.Questionnaire) map[string]string {
	if m, ok := idCache.Load(q); ok {
		return m.(map[string]string)
	}
	m := make(map[string]string, len(q.Items()))
	for _, it := range q.Items() {
		m[it.ID] = it.ID
	}
	idCache.Store(q, m)
	return m
}

var idCache sync.Map // *questionnaires.Questionnaire → map[string]string

// parseUTCStamp reads the time stamps the app writes, "2026-05-12T01:35:12Z" or with a fraction
// of a second ("…12.345Z"), as a JSON string, with every field in range. Anything else (other
// zones, leap seconds, invalid dates) is left to time.Time.UnmarshalJSON, which decides.
func parseUTCStamp(v []byte) (time.Time, bool) {
	n := len(v)
	if n < 22 || v[0] != '"' || v[n-1] != '"' || v[n-2] != 'Z' || v[5] != '-' || v[8] != '-' || v[11] != 'T' || v[14] != ':' || v[17] != ':' {
		return time.Time{}, false
	}
	num := func(i, w int) int {
		x := 0
		for _, c := range v[i : i+w] {
			if c < '0' || c > '9' {
				return -1
			}
			x = x*10 + int(c-'0')
		}
		return x
	}
	year, month, day, hour, minute, sec := num(1, 4), num(6, 2), num(9, 2), num(12, 2), num(15, 2), num(18, 2)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	if day > daysIn(year, month) {
		return time.Time{}, false
	}
	nsec := 0
	switch frac := v[20 : n-2]; {
	case len(frac) == 0:
	case frac[0] == '.' && len(frac) >= 2 && len(frac) <= 10:
		x := num(21, len(frac)-1)
		if x < 0 {
			return time.Time{}, false
		}
		for range 10 - len(frac) {
			x *= 10
		}
		nsec = x
	default:
		return time.Time{}, false
	}
	// time.Date would do, but was a tenth of reading a document's answers.
	secs := civilDays(year, month, day)*86400 + int64(hour*3600+minute*60+sec)
	return time.Unix(secs, int64(nsec)).UTC(), true
}

// daysIn is the number of days in a month of the proleptic Gregorian calendar, as package time
// counts them.
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// civilDays is the number of days from 1970-01-01 to a date (year ≥ 0) of the proleptic
// Gregorian calendar (H. Hinnant's days_from_civil).
func civilDays(year, month, day int) int64 {
	y := int64(year)
	if month <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	m := int64(month) + 9
	if month > 2 {
		m = int64(month) - 3
	}
	doy := (153*m+2)/5 + int64(day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
