package seal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"smartdiag/assessment"
	"smartdiag/seal/canon"
)

var sharedBuffers = new(Scratch)

// sameAsReference checks that checkDocument gives exactly what Verify and
// assessment.Open give for data.
func sameAsReference(t *testing.T, data []byte, trust Trust, what string) {
	t.Helper()
	// Through reused scratch buffers, as a tally reads documents, the result is the same.
	got := Check(data, trust, true, sharedBuffers)
	if fresh := Check(data, trust, true, nil); !reflect.DeepEqual(fresh.Result, got.Result) || (fresh.Err == nil) != (got.Err == nil) {
		t.Fatalf("%s: reused buffers change the result", what)
	}
	want := verifyReference(data, trust)
	if !reflect.DeepEqual(got.Result, want) {
		t.Fatalf("%s: verification differs from Verify:\n got %+v\nwant %+v", what, got.Result, want)
	}
	if !got.Intact() {
		if got.Doc != nil {
			t.Fatalf("%s: a document that is not intact was opened", what)
		}
		return
	}
	d, q, err := assessment.Open(data)
	if (err == nil) != (got.Err == nil) {
		t.Fatalf("%s: open error %v, reference %v", what, got.Err, err)
	}
	if err != nil {
		return
	}
	if got.Q != q {
		t.Fatalf("%s: questionnaire differs", what)
	}
	score := assessment.Score(q, d)
	if !reflect.DeepEqual(assessment.Score(q, got.Doc), score) {
		t.Fatalf("%s: score differs from the reference", what)
	}
	// The values the check decoded score the document as the reference does, and show the same
	// items missing.
	if got.Values == nil {
		t.Fatalf("%s: no values from the check", what)
	}
	score.Notes = nil
	if sc := assessment.ScoreCheckedWithoutNotes(q, got.Doc, got.Values); !reflect.DeepEqual(sc, score) {
		t.Fatalf("%s: score from the checked values differs from the reference", what)
	}
	if m := assessment.MissingChecked(q, got.Doc, got.Values); !reflect.DeepEqual(m, assessment.Missing(q, d)) {
		t.Fatalf("%s: missing items differ from the reference", what)
	}
	// Everything but the answers' bookkeeping is the same document.
	a, b := *got.Doc, *d
	if len(a.Answers) != len(b.Answers) {
		t.Fatalf("%s: %d answers, reference %d", what, len(a.Answers), len(b.Answers))
	}
	for id, x := range b.Answers {
		y := a.Answers[id]
		if y == nil || !bytes.Equal(x.Value, y.Value) || x.Note != y.Note || !x.AnsweredAt.Equal(y.AnsweredAt) || len(x.Evidence) != len(y.Evidence) {
			t.Fatalf("%s: answer %s differs: %+v vs %+v", what, id, y, x)
		}
	}
	a.Answers, b.Answers = nil, nil
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("%s: document differs:\n got %+v\nwant %+v", what, a, b)
	}
}

func TestFastReadMatchesReferenceOnSealedDocuments(t *testing.T) {
	now := time.Date(2026, 5, 12, 8, 0, 0, 0, time.UTC)
	for i := range 6 {
		d := variant(t, i, firm{Name: "南京\"引号\"\\反斜杠\t制表有限公司", Code: code(i)}, now)
		// Notes with every kind of escape and character the canonical form knows.
		n := 0
		for id, a := range d.Answers {
			switch n {
			case 0:
				a.Note = "控制字符\x01\x1f，换行\n回车\r，退格\b\f，引号\"，斜杠/，DEL\x7f，\u2028段落"
			case 1:
				a.Note = "😀 emoji and ASCII"
			case 2:
				a.Evidence = []assessment.Evidence{{Name: "照片.jpg", Path: "evidence/" + id + ".jpg", Size: 12, SHA256: strings.Repeat("ab", 32), Added: now}}
			}
			n++
		}
		data := sealDoc(t, d, "甲服务商")
		for _, trust := range []Trust{trustOf("甲服务商"), trustOf("乙服务商"), nil} {
			sameAsReference(t, data, trust, "sealed")
		}
		if sc, ok := scanSealed(data, nil); !ok {
			t.Fatal("the fast path should read a freshly sealed document")
		} else if _, ok := sc.verify(nil); !ok {
			t.Fatal("the fast path should verify a freshly sealed document")
		}
	}
}

// sealGeneric seals a generic document value the way the format describes, so that documents
// with fields this version does not know can be made; Verify judges the result.
func sealGeneric(t *testing.T, v map[string]any, provider string) []byte {
	t.Helper()
	delete(v, "seal")
	raw, _ := json.Marshal(v)
	content, err := canon.JSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	key := testKey(provider)
	s := map[string]any{
		"algorithm":  "ed25519",
		"public_key": base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey)),
		"sealed_at":  "2026-05-12T09:00:00Z",
		"sha256":     hex.EncodeToString(sum[:]),
		"signer":     map[string]any{"name": "顾问", "organisation": provider},
	}
	v["seal"] = s
	raw, _ = json.Marshal(v)
	signed, err := canon.JSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	s["signature"] = base64.StdEncoding.EncodeToString(ed25519.Sign(key, signed))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func genericOf(t *testing.T, data []byte) map[string]any {
	var v map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestFastReadOnDocumentsFromALaterVersion(t *testing.T) {
	// A later minor version adds fields (top level, in answers, in the seal's neighbours) and
	// writes numbers its own way; the seal covers them and both paths must agree.
	trust := trustOf("甲服务商")
	d := variant(t, 1, firm{Name: "南京未来有限公司", Code: code(99)}, time.Now())
	v := genericOf(t, sealDoc(t, d, "甲服务商"))
	v["format"] = "smartdiag.diagnosis/1.3"
	v["z_extra"] = map[string]any{"n": json.Number("1.50"), "list": []any{}, "obj": map[string]any{}, "e": json.Number("-2E+3")}
	var first string
	for id := range v["answers"].(map[string]any) {
		if first == "" || id < first {
			first = id
		}
	}
	v["answers"].(map[string]any)[first].(map[string]any)["confidence"] = json.Number("0.90")
	data := sealGeneric(t, v, "甲服务商")
	if r := Verify(data, trust); r.Status != VerifyValid {
		t.Fatalf("fixture: %+v", r)
	}
	if sc, ok := scanSealed(data, nil); !ok {
		t.Fatal("the fast path should read a later version's document")
	} else if _, ok := sc.verify(trust); !ok {
		t.Fatal("the fast path should verify a later version's document")
	}
	sameAsReference(t, data, trust, "later version")

	// Keys that encoding/json folds onto a known field, answers that are not objects, escaped
	// keys: the fast path must hand these to the reference, which decides.
	odd := []func(v map[string]any){
		func(v map[string]any) { v["Answers"] = map[string]any{} },
		func(v map[string]any) { v["answers"].(map[string]any)[first].(map[string]any)["Value"] = "none" },
		func(v map[string]any) { v["answers"].(map[string]any)[first] = nil },
		func(v map[string]any) { v["answers"].(map[string]any)["新\n题"] = map[string]any{"value": "full"} },
		func(v map[string]any) {
			v["answers"].(map[string]any)[first].(map[string]any)["answered_at"] = "yesterday"
		},
		func(v map[string]any) {
			v["answers"].(map[string]any)[first].(map[string]any)["note"] = json.Number("3")
		},
		func(v map[string]any) { v["answers"] = []any{} },
		func(v map[string]any) { v["status"] = "finished" },
		func(v map[string]any) { v["id"] = "not-a-uuid" },
		func(v map[string]any) { v["questionnaire"].(map[string]any)["version"] = "9.9.9" },
		func(v map[string]any) { v["enterprise"].(map[string]any)["credit_code"] = "91320115MA1XXXXXX1" },
		func(v map[string]any) { v["format"] = "smartdiag.diagnosis/2" },
		func(v map[string]any) {
			v["answers"].(map[string]any)[first].(map[string]any)["value"] = map[string]any{"x": []any{json.Number("1")}}
		},
	}
	for i, change := range odd {
		v := genericOf(t, sealDoc(t, variant(t, 1, firm{Name: "南京未来有限公司", Code: code(99)}, time.Now()), "甲服务商"))
		change(v)
		data := sealGeneric(t, v, "甲服务商")
		if r := Verify(data, trust); r.Status != VerifyValid && r.Status != VerifyTampered {
			t.Fatalf("odd fixture %d: %+v", i, r)
		}
		sameAsReference(t, data, trust, "odd document")
	}
}

// mutate returns a copy of data with one random edit.
func mutate(r *rand.Rand, data []byte) []byte {
	m := bytes.Clone(data)
	i := r.IntN(len(m))
	switch r.IntN(7) {
	case 0: // flip one bit
		m[i] ^= 1 << r.IntN(8)
	case 1: // delete a byte
		m = append(m[:i], m[i+1:]...)
	case 2: // insert layout-like whitespace
		m = append(m[:i], append([]byte{" \n\t\r"[r.IntN(4)]}, m[i:]...)...)
	case 3: // replace with a structural character
		m[i] = `{}[]",:\u0`[r.IntN(10)]
	case 4: // swap two adjacent lines
		lines := bytes.Split(m, []byte("\n"))
		j := r.IntN(len(lines) - 1)
		lines[j], lines[j+1] = lines[j+1], lines[j]
		m = bytes.Join(lines, []byte("\n"))
	case 5: // upper-case a hex digit or letter
		m[i] = bytes.ToUpper(m[i : i+1])[0]
	case 6: // truncate
		m = m[:i]
	}
	return m
}

func TestFastReadNeverDisagreesWithReferenceOnMutations(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 500
	}
	d := variant(t, 2, firm{Name: "南京变异有限公司", Code: code(7)}, time.Now())
	data := sealDoc(t, d, "甲服务商")
	trust := trustOf("甲服务商")
	r := rand.New(rand.NewPCG(1, 2))
	for k := range n {
		m := mutate(r, data)
		if k%3 == 0 {
			m = mutate(r, m)
		}
		sameAsReference(t, m, trust, "mutation")
	}
}

func FuzzFastReadMatchesReference(f *testing.F) {
	d := variant(f, 3, firm{Name: "南京模糊有限公司", Code: code(8)}, time.Now())
	data := sealDoc(f, d, "甲服务商")
	f.Add(data)
	f.Add([]byte("{\n  \"a\": 1\n}\n"))
	f.Add([]byte(`{"format":"smartdiag.diagnosis/1"}`))
	trust := trustOf("甲服务商")
	f.Fuzz(func(t *testing.T, b []byte) {
		sameAsReference(t, b, trust, "fuzz")
	})
}

// TestScannerStringsAreExactlyCanonical checks the string scanner, including its eight-byte
// skipping, against assessment's canonical encoding: a literal is accepted exactly when it is
// valid JSON already in canonical form.
func TestScannerStringsAreExactlyCanonical(t *testing.T) {
	pieces := []string{"a", "Z", "0", " ", "\"", "\\", "\\\"", "\\\\", "\\n", "\\t", "\\b", "\\f", "\\r", "\\/",
		"\\u0001", "\\u001f", "\\u001F", "\\u000a", "\\u0020", "\\u4e2d", "\\ud83d\\ude00", "\x01", "\x1f", "\n", "\x7f",
		"中", "文", "😀", "\xe4\xb8", "\xff", "\u2028", "/", "abcdefgh", "诊断记录完整"}
	r := rand.New(rand.NewPCG(3, 4))
	accepted := 0
	for range 20000 {
		var b strings.Builder
		b.WriteByte('"')
		for range r.IntN(14) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		b.WriteByte('"')
		lit := []byte(b.String())
		s := &layoutScanner{data: lit}
		got := s.str() && s.pos == len(lit)
		c, err := canon.JSON(lit)
		want := err == nil && bytes.Equal(c, lit)
		if got != want {
			t.Fatalf("%q: scanner accepts %v, canonical %v (%q, %v)", lit, got, want, c, err)
		}
		if got {
			accepted++
			if !bytes.Equal(s.out, lit) {
				t.Fatalf("%q copied as %q", lit, s.out)
			}
		}
	}
	if accepted < 1000 {
		t.Fatalf("only %d canonical strings generated", accepted)
	}
}

func TestParseUTCStampAgreesWithTime(t *testing.T) {
	cases := []string{`"2026-05-12T01:35:12Z"`, `"2026-05-12T01:35:12.000Z"`, `"2026-05-12T01:35:12.123456789Z"`, `"2026-05-12T01:35:12.5Z"`,
		`"2024-02-29T23:59:59Z"`, `"2023-02-29T00:00:00Z"`, `"2026-13-01T00:00:00Z"`, `"2026-04-31T00:00:00Z"`, `"2026-05-12T24:00:00Z"`,
		`"2026-05-12T01:60:00Z"`, `"2026-05-12T01:35:60Z"`, `"2026-05-12T01:35:12.Z"`, `"2026-05-12T01:35:12.1234567891Z"`,
		`"2026-05-12T01:35:12+08:00"`, `"2026-05-12 01:35:12Z"`, `"0000-01-01T00:00:00Z"`, `"2026-05-12T01:35:12,5Z"`, `"2026-5-12T01:35:12Z"`,
		`"2026-05-12T01:35:1xZ"`, `null`, `"yesterday"`}
	for _, c := range cases {
		got, ok := parseUTCStamp([]byte(c))
		var want time.Time
		err := want.UnmarshalJSON([]byte(c))
		if ok && (err != nil || !got.Equal(want) || got.Location() != want.Location()) {
			t.Errorf("%s: fast %v, time package %v (%v)", c, got, want, err)
		}
	}
	if _, ok := parseUTCStamp([]byte(`"2026-05-12T01:35:12Z"`)); !ok {
		t.Fatal("the app's own format is not read")
	}
}

// parseUTCStamp works out the instant itself: it is time.Date's on every day of years around
// the ones documents carry, leap days and centuries included, and on year 0.
func TestParseUTCStampIsTimeDate(t *testing.T) {
	for _, year := range []int{0, 1, 4, 100, 399, 400, 1600, 1900, 1969, 1970, 1971, 2000, 2024, 2025, 2026, 2100, 2400, 9999} {
		for month := 1; month <= 12; month++ {
			for day := 1; day <= 31; day++ {
				stamp := fmt.Sprintf(`"%04d-%02d-%02dT23:59:58.5Z"`, year, month, day)
				got, ok := parseUTCStamp([]byte(stamp))
				want := time.Date(year, time.Month(month), day, 23, 59, 58, 5e8, time.UTC)
				if valid := want.Day() == day; ok != valid || ok && (!got.Equal(want) || got.Location() != time.UTC || !reflect.DeepEqual(got, want)) {
					t.Fatalf("%s: %v %v, want %v (valid %v)", stamp, got, ok, want, valid)
				}
			}
		}
	}
}
