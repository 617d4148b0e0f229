package assessment

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/uuid"
)

// SealAlgorithm is the only signature algorithm of this format version.
const SealAlgorithm = "ed25519"

// Seal is the signature block of a sealed document. The signature covers the canonical encoding
// of the whole document including this block, except the signature itself; SHA256 is the hash of
// the canonical encoding of the document without the seal (the content's identity).
type Seal struct {
	Algorithm string    `json:"algorithm"`
	PublicKey string    `json:"public_key"` // base64 (standard, padded) of the 32-byte Ed25519 key
	SHA256    string    `json:"sha256"`     // hex SHA-256 of the canonical content without "seal"
	SealedAt  time.Time `json:"sealed_at"`
	Signer    Signer    `json:"signer"`
	Signature string    `json:"signature"` // base64 of the 64-byte Ed25519 signature
}

// Signer is who sealed a document: the consultant owning the key.
type Signer struct {
	Name         string `json:"name"`
	Organisation string `json:"organisation,omitempty"`
}

// Verification outcomes.
const (
	VerifyValid         = "valid"
	VerifyTampered      = "tampered"
	VerifyUnsealed      = "unsealed"
	VerifyUnknownSigner = "unknown_signer"
	VerifyUnreadable    = "unreadable"
)

// TrustList answers whether a signer's public key is trusted, and under which name (the service
// provider). tally implements it with the district's trust list.
type TrustList interface {
	Trusted(pub ed25519.PublicKey) (name string, ok bool)
}

// VerifyResult is the outcome of Verify. Status is one of the Verify* constants and Reason says why
// in Chinese. The other fields are filled in as far as the file could be read.
type VerifyResult struct {
	Status      string    `json:"status"`
	Reason      string    `json:"reason"`
	ID          string    `json:"id,omitempty"`
	SHA256      string    `json:"sha256,omitempty"`
	Fingerprint string    `json:"fingerprint,omitempty"`
	Signer      *Signer   `json:"signer,omitempty"`
	SealedAt    time.Time `json:"sealed_at,omitzero"`
	TrustedAs   string    `json:"trusted_as,omitempty"`
}

// SealWith seals a finished document: it signs it with key and returns the bytes of the sealed file
// to save. The document becomes read-only (status sealed). Save exactly the returned bytes: Verify
// requires the file to be byte-for-byte in the sealed layout. (The method cannot be called Seal:
// that is the field holding the seal.)
func (d *Document) SealWith(key ed25519.PrivateKey, signer Signer, now time.Time) ([]byte, error) {
	switch d.Status {
	case StatusFinished:
	case StatusDraft:
		return nil, fmt.Errorf("草稿不能封存：请先完成诊断")
	case StatusSealed:
		return nil, fmt.Errorf("文档已封存，不能再次封存；要修改请新建修订")
	default:
		return nil, fmt.Errorf("状态 %q 的文档不能封存", d.Status)
	}
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("私钥无效")
	}
	signer.Name = strings.TrimSpace(signer.Name)
	signer.Organisation = strings.TrimSpace(signer.Organisation)
	if signer.Name == "" {
		return nil, fmt.Errorf("封存需要签名者姓名")
	}
	body := *d
	body.Status, body.Seal = StatusSealed, nil
	root, err := genericOf(&body)
	if err != nil {
		return nil, err
	}
	doc := root.(jsonObject)
	content := appendCanonical(nil, doc)
	sum := sha256.Sum256(content)
	s := &Seal{
		Algorithm: SealAlgorithm,
		PublicKey: base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey)),
		SHA256:    hex.EncodeToString(sum[:]),
		SealedAt:  now.UTC().Truncate(time.Second),
		Signer:    signer,
	}
	sv, err := genericOf(s)
	if err != nil {
		return nil, err
	}
	sealObj := sv.(jsonObject).without("signature")
	s.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, appendCanonical(nil, doc.with("seal", sealObj))))
	doc = doc.with("seal", sealObj.with("signature", s.Signature))
	d.Status, d.Seal = StatusSealed, s
	return appendSealedLayout(nil, doc), nil
}

// encodeSealed writes a sealed document in the sealed file layout, so that saving an unchanged
// sealed document keeps its seal valid.
func (d *Document) encodeSealed() ([]byte, error) {
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	v, err := parseJSON(raw)
	if err != nil {
		// An answer value with duplicate keys or unpaired surrogates cannot be under a valid seal
		// anyway; write it like any other document rather than fail to save.
		b, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return nil, err
		}
		return append(b, '\n'), nil
	}
	return appendSealedLayout(nil, v), nil
}

// Revise starts a new draft revision of a finished or sealed document: a new id, Supersedes naming
// the old one, the same profile, answers and plan edits, no seal and no confirmation.
func (d *Document) Revise(now time.Time) (*Document, error) {
	if d.Status == StatusDraft {
		return nil, fmt.Errorf("草稿可以直接修改，不需要新建修订")
	}
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	var n Document
	if err := json.Unmarshal(raw, &n); err != nil {
		return nil, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Second)
	n.ID, n.Supersedes = id.String(), d.ID
	n.Status, n.Seal, n.Finished, n.Confirmation = StatusDraft, nil, nil, nil
	n.Created, n.Updated = now, now
	if n.Answers == nil {
		n.Answers = map[string]*Answer{}
	}
	return &n, nil
}

// Verify checks a sealed document file: that it parses, carries a seal, that the content hash and
// the Ed25519 signature match, that the bytes are exactly the sealed layout (so any changed byte,
// whitespace included, is caught) and that the signer's key is on the trust list (nil trusts no
// one). It never panics on any input.
func Verify(data []byte, trusted TrustList) VerifyResult {
	text := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	root, err := parseJSON(text)
	if err != nil {
		return VerifyResult{Status: VerifyUnreadable, Reason: "无法解析：" + err.Error()}
	}
	doc, ok := root.(jsonObject)
	if !ok {
		return VerifyResult{Status: VerifyUnreadable, Reason: "不是诊断文档：顶层不是 JSON 对象"}
	}
	if f, _ := doc.get("format").(string); !strings.HasPrefix(f, formatPrefix) {
		return VerifyResult{Status: VerifyUnreadable, Reason: "不是诊断文档：缺少或错误的 format 字段"}
	}
	res := VerifyResult{}
	res.ID, _ = doc.get("id").(string)
	status, _ := doc.get("status").(string)
	sv := doc.get("seal")
	if sv == nil {
		if status == StatusSealed {
			return res.with(VerifyTampered, "状态为已封存，但封印缺失（可能被删除）")
		}
		return res.with(VerifyUnsealed, fmt.Sprintf("文档未封存（状态：%s）", orDash(status)))
	}
	s, pub, sig, err := sealFields(sv)
	if err != nil {
		return res.with(VerifyTampered, "封印损坏："+err.Error())
	}
	res.Fingerprint, res.Signer, res.SealedAt = Fingerprint(pub), &s.Signer, s.SealedAt

	sum := sha256.Sum256(appendCanonical(nil, doc.without("seal")))
	res.SHA256 = hex.EncodeToString(sum[:])
	if res.SHA256 != s.SHA256 {
		return res.with(VerifyTampered, "签名不符：文档在封存后被修改（内容校验值不同）")
	}
	signed := doc.with("seal", sv.(jsonObject).without("signature"))
	if !ed25519.Verify(pub, appendCanonical(nil, signed), sig) {
		return res.with(VerifyTampered, "签名不符：文档或封印在封存后被修改")
	}
	if status != StatusSealed {
		return res.with(VerifyTampered, fmt.Sprintf("签名有效，但文档状态为 %s 而不是 sealed", orDash(status)))
	}
	if !bytes.Equal(data, appendSealedLayout(nil, doc)) {
		return res.with(VerifyTampered, "文件在封存后被改动：内容与签名相符，但字节排版（空白、换行、键顺序或转义）与封存时不同")
	}
	who := "「" + s.Signer.Name + "」"
	if s.Signer.Organisation != "" {
		who += "（" + s.Signer.Organisation + "）"
	}
	var name string
	if trusted != nil {
		name, ok = trusted.Trusted(pub)
	}
	if trusted == nil || !ok {
		return res.with(VerifyUnknownSigner, fmt.Sprintf("签名有效，但签名者%s的公钥不在信任列表中（指纹 %s）；请向服务商索取公钥文件，用 smartdiag trust add 添加", who, res.Fingerprint))
	}
	res.TrustedAs = name
	return res.with(VerifyValid, fmt.Sprintf("封印有效：签名者%s，服务商「%s」，指纹 %s，封存于 %s", who, name, res.Fingerprint, s.SealedAt.Format(time.RFC3339)))
}

func (r VerifyResult) with(status, reason string) VerifyResult {
	r.Status, r.Reason = status, reason
	return r
}

func orDash(s string) string {
	if s == "" {
		return "无"
	}
	return s
}

// sealFields reads and strictly checks the seal block.
func sealFields(v any) (*Seal, ed25519.PublicKey, []byte, error) {
	if _, ok := v.(jsonObject); !ok {
		return nil, nil, nil, fmt.Errorf("seal 不是对象")
	}
	var raw struct {
		Algorithm string `json:"algorithm"`
		PublicKey string `json:"public_key"`
		SHA256    string `json:"sha256"`
		SealedAt  string `json:"sealed_at"`
		Signer    Signer `json:"signer"`
		Signature string `json:"signature"`
	}
	if err := json.Unmarshal(appendCanonical(nil, v), &raw); err != nil {
		return nil, nil, nil, fmt.Errorf("字段类型错误")
	}
	if raw.Algorithm != SealAlgorithm {
		return nil, nil, nil, fmt.Errorf("不支持的签名算法 %q（应为 %s）", raw.Algorithm, SealAlgorithm)
	}
	pub, err := decodeBase64Exact(raw.PublicKey, ed25519.PublicKeySize)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("public_key %v", err)
	}
	sig, err := decodeBase64Exact(raw.Signature, ed25519.SignatureSize)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("signature %v", err)
	}
	if len(raw.SHA256) != 64 || strings.ToLower(raw.SHA256) != raw.SHA256 {
		return nil, nil, nil, fmt.Errorf("sha256 不是 64 位小写十六进制")
	}
	if _, err := hex.DecodeString(raw.SHA256); err != nil {
		return nil, nil, nil, fmt.Errorf("sha256 不是 64 位小写十六进制")
	}
	at, err := time.Parse(time.RFC3339, raw.SealedAt)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("sealed_at 不是 RFC 3339 时间")
	}
	s := &Seal{Algorithm: raw.Algorithm, PublicKey: raw.PublicKey, SHA256: raw.SHA256, SealedAt: at, Signer: raw.Signer, Signature: raw.Signature}
	return s, ed25519.PublicKey(pub), sig, nil
}

// decodeBase64Exact accepts only the one standard encoding of n bytes (padded, no line breaks, zero
// padding bits), so the text of a key or signature cannot vary while the bytes stay the same.
func decodeBase64Exact(s string, n int) ([]byte, error) {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != n || base64.StdEncoding.EncodeToString(b) != s {
		return nil, fmt.Errorf("不是 %d 字节的 base64", n)
	}
	return b, nil
}

// Fingerprint is the short form of a public key shown to people: the first 16 bytes of its
// SHA-256 in hex, in groups of four (ab12-cd34-…, 8 groups).
func Fingerprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	h := hex.EncodeToString(sum[:16])
	var b strings.Builder
	for i := 0; i < len(h); i += 4 {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(h[i : i+4])
	}
	return b.String()
}

// NormalizeFingerprint lower-cases a fingerprint typed by a person and drops dashes, spaces and
// colons, so "AB12 CD34…" and "ab12-cd34-…" compare equal.
func NormalizeFingerprint(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', ' ', ':', '\t':
			return -1
		}
		if r >= 'A' && r <= 'F' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// ---- canonical JSON ----
//
// Documents are signed over a canonical encoding of their generic JSON value: objects with keys in
// byte order of their UTF-8 (which is code point order), no whitespace, strings escaped in one
// fixed way, numbers kept as the literal text of the file. The value comes from the file's own
// bytes, never from Go structs, so fields added by a later version are signed and verified too.

const maxJSONDepth = 256

// CanonicalJSON returns the canonical encoding of a JSON text. It refuses invalid UTF-8,
// duplicate keys and unpaired surrogate escapes.
func CanonicalJSON(data []byte) ([]byte, error) {
	v, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	return appendCanonical(nil, v), nil
}

// genericOf marshals v with encoding/json and reads it back as a generic value.
func genericOf(v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return parseJSON(raw)
}

// parseJSON reads one JSON value into jsonObject, []any, string, json.Number (the literal text),
// bool or nil. It is stricter than encoding/json: invalid UTF-8, duplicate keys and
// unpaired surrogate escapes are errors, not silently replaced.
func parseJSON(data []byte) (any, error) {
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		return nil, fmt.Errorf("第 %d 行有无效的 UTF-8 字节", lineAt(data, int64(i)))
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
	return fmt.Errorf("JSON 语法错误（第 %d 行）：%s", lineAt(p.data, int64(p.pos)), msg)
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
		obj := jsonObject{}
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
			obj = append(obj, jsonMember{k, v})
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

// jsonObject is a JSON object as its members sorted by key (byte order), keys unique.
type jsonObject []jsonMember

type jsonMember struct {
	key string
	val any
}

// sort orders the members by key and returns a key that occurs twice, if any.
func (o jsonObject) sort() (dup string) {
	slices.SortStableFunc(o, func(a, b jsonMember) int { return strings.Compare(a.key, b.key) })
	for i := 1; i < len(o); i++ {
		if o[i].key == o[i-1].key {
			return o[i].key
		}
	}
	return ""
}

func (o jsonObject) find(key string) (int, bool) {
	return slices.BinarySearchFunc(o, key, func(m jsonMember, k string) int { return strings.Compare(m.key, k) })
}

// get returns the value of key, nil when absent.
func (o jsonObject) get(key string) any {
	if i, ok := o.find(key); ok {
		return o[i].val
	}
	return nil
}

// with returns a copy of o with key set to v.
func (o jsonObject) with(key string, v any) jsonObject {
	i, ok := o.find(key)
	out := make(jsonObject, 0, len(o)+1)
	out = append(out, o[:i]...)
	out = append(out, jsonMember{key, v})
	if ok {
		i++
	}
	return append(out, o[i:]...)
}

// without returns a copy of o without key.
func (o jsonObject) without(key string) jsonObject {
	i, ok := o.find(key)
	if !ok {
		return o
	}
	return append(append(make(jsonObject, 0, len(o)-1), o[:i]...), o[i+1:]...)
}

// appendCanonical appends the canonical encoding of a generic value.
func appendCanonical(b []byte, v any) []byte {
	switch v := v.(type) {
	case jsonObject:
		b = append(b, '{')
		for i, m := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, m.key)
			b = append(b, ':')
			b = appendCanonical(b, m.val)
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for i, x := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCanonical(b, x)
		}
		return append(b, ']')
	}
	return appendScalar(b, v)
}

// appendSealedLayout appends the sealed file layout: the canonical value pretty-printed with
// sorted keys, two-space indent, ": " after keys, "{}" and "[]" for empty containers, and a final
// newline.
func appendSealedLayout(b []byte, v any) []byte {
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
	case jsonObject:
		if len(v) == 0 {
			return append(b, '{', '}')
		}
		b = append(b, '{')
		for i, m := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = newline(b, depth+1)
			b = appendJSONString(b, m.key)
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
		return appendJSONString(b, v)
	}
	panic(fmt.Sprintf("assessment: no canonical form for %T", v))
}

// appendJSONString escapes only what JSON requires: the quote, the backslash and control
// characters (\b \f \n \r \t, others as \u00xx). Everything else, non-ASCII included, is written
// as its UTF-8 bytes.
func appendJSONString(b []byte, s string) []byte {
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

// ---- keys and the per-user config folder ----

// EnvConfig names the environment variable that overrides the per-user config folder.
const EnvConfig = "SMARTDIAG_CONFIG"

// Files in the config folder.
const (
	KeyFileName       = "signing-key.pem" // the private key, PEM PKCS#8, mode 0600
	SignerFileName    = "signer.json"     // the key owner's name and organisation
	PublicKeyFileName = "public-key.json" // the public key file to hand to the district
)

// PublicKeyFormat is the "format" of public key files.
const PublicKeyFormat = "smartdiag.publickey/1"

// ConfigDir is the per-user config folder: $SMARTDIAG_CONFIG, else <user config dir>/smartdiag
// (~/.config/smartdiag on Linux, %AppData%\smartdiag on Windows).
func ConfigDir() (string, error) {
	if dir := os.Getenv(EnvConfig); dir != "" {
		return dir, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("找不到用户配置文件夹，请设置环境变量 %s：%w", EnvConfig, err)
	}
	return filepath.Join(base, "smartdiag"), nil
}

// ConfigPath is the path of a file in the config folder.
func ConfigPath(name string) (string, error) {
	dir, err := ConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, name), nil
}

// LoadOrCreateKey returns the user's signing key, creating the key pair on first use (created is
// then true). The private key file must not be readable or writable by other users.
func LoadOrCreateKey() (key ed25519.PrivateKey, created bool, err error) {
	path, err := ConfigPath(KeyFileName)
	if err != nil {
		return nil, false, err
	}
	key, err = LoadKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, fmt.Errorf("无法创建配置文件夹 %s：%w", filepath.Dir(path), err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, false, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, false, err
	}
	data := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	won, err := createExclusive(path, data)
	if err != nil {
		return nil, false, err
	}
	if !won { // another process created the key at the same moment: use theirs
		key, err = LoadKey(path)
		return key, false, err
	}
	return priv, true, nil
}

// createExclusive writes data to path with mode 0600 unless path exists (then it returns false).
// The file appears whole or not at all: a temp file is written and synced, then hard-linked to
// path, which fails if path exists.
func createExclusive(path string, data []byte) (bool, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*") // mode 0600
	if err != nil {
		return false, fmt.Errorf("无法创建密钥文件 %s：%w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err != nil {
		return false, fmt.Errorf("无法创建密钥文件 %s：%w", path, err)
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		// No hard links on this file system: fall back to an exclusive create.
		g, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("无法创建密钥文件 %s：%w", path, err)
		}
		_, err = g.Write(data)
		if err == nil {
			err = g.Sync()
		}
		if cerr := g.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			return false, fmt.Errorf("无法创建密钥文件 %s：%w", path, err)
		}
	}
	return true, syncDir(dir)
}

// LoadKey reads a private key file (PEM, PKCS#8 Ed25519). On Unix it refuses a file that other
// users could read or write. A missing file gives an error wrapping fs.ErrNotExist.
func LoadKey(path string) (ed25519.PrivateKey, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("私钥文件 %s 的权限为 %04o，其他用户可以读取；为安全起见拒绝使用，请执行 chmod 600 %s", path, st.Mode().Perm(), path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("私钥文件 %s 已损坏：不是 PEM 格式的私钥", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("私钥文件 %s 已损坏：%v", path, err)
	}
	key, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("私钥文件 %s 不是 Ed25519 私钥", path)
	}
	return key, nil
}

// LoadSigner reads the key owner's name and organisation from the config folder; it returns a
// zero Signer when none was saved.
func LoadSigner() (Signer, error) {
	path, err := ConfigPath(SignerFileName)
	if err != nil {
		return Signer{}, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Signer{}, nil
	}
	if err != nil {
		return Signer{}, err
	}
	var s Signer
	if err := json.Unmarshal(data, &s); err != nil {
		return Signer{}, fmt.Errorf("%s 已损坏：%v", path, err)
	}
	return s, nil
}

// SaveSigner stores the key owner's name and organisation in the config folder.
func SaveSigner(s Signer) error {
	path, err := ConfigPath(SignerFileName)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, append(data, '\n'))
}

// PublicKeyFile is the file a service provider hands to the district so that it can trust the
// provider's seals.
type PublicKeyFile struct {
	Format       string    `json:"format"`
	Name         string    `json:"name,omitempty"`
	Organisation string    `json:"organisation,omitempty"`
	Algorithm    string    `json:"algorithm"`
	PublicKey    string    `json:"public_key"`
	Fingerprint  string    `json:"fingerprint"`
	Created      time.Time `json:"created,omitzero"`
}

// NewPublicKeyFile describes pub for handing over.
func NewPublicKeyFile(pub ed25519.PublicKey, s Signer, now time.Time) *PublicKeyFile {
	return &PublicKeyFile{
		Format:       PublicKeyFormat,
		Name:         strings.TrimSpace(s.Name),
		Organisation: strings.TrimSpace(s.Organisation),
		Algorithm:    SealAlgorithm,
		PublicKey:    base64.StdEncoding.EncodeToString(pub),
		Fingerprint:  Fingerprint(pub),
		Created:      now.UTC().Truncate(time.Second),
	}
}

// Encode writes the file as indented JSON.
func (p *PublicKeyFile) Encode() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ParsePublicKeyFile reads a public key file and checks the key and, when present, that the
// fingerprint belongs to it.
func ParsePublicKeyFile(data []byte) (*PublicKeyFile, ed25519.PublicKey, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.Contains(data, []byte("PRIVATE KEY")) {
		return nil, nil, fmt.Errorf("这是私钥文件，私钥不能交出！请交 smartdiag key 生成的公钥文件")
	}
	var p PublicKeyFile
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, nil, fmt.Errorf("不是公钥文件：%v", jsonError(data, err))
	}
	rest, ok := strings.CutPrefix(p.Format, "smartdiag.publickey/")
	if !ok {
		return nil, nil, fmt.Errorf("不是公钥文件：format 为 %q，应为 %s", p.Format, PublicKeyFormat)
	}
	if major, _, _ := strings.Cut(rest, "."); major != "1" {
		return nil, nil, fmt.Errorf("公钥文件格式 %s 不受支持，%w", p.Format, ErrNewerFormat)
	}
	if p.Algorithm != SealAlgorithm {
		return nil, nil, fmt.Errorf("公钥算法 %q 不受支持（应为 %s）", p.Algorithm, SealAlgorithm)
	}
	raw, err := decodeBase64Exact(p.PublicKey, ed25519.PublicKeySize)
	if err != nil {
		return nil, nil, fmt.Errorf("public_key 无效：%v", err)
	}
	pub := ed25519.PublicKey(raw)
	fp := Fingerprint(pub)
	if p.Fingerprint != "" && NormalizeFingerprint(p.Fingerprint) != NormalizeFingerprint(fp) {
		return nil, nil, fmt.Errorf("指纹 %s 与公钥不符（应为 %s），文件可能被改动", p.Fingerprint, fp)
	}
	p.Fingerprint = fp
	p.Name, p.Organisation = strings.TrimSpace(p.Name), strings.TrimSpace(p.Organisation)
	return &p, pub, nil
}
