// Package seal owns the sealed document format end to end: sealing a finished document, the
// canonical form (package seal/canon), verifying and opening sealed bytes (a fast one-pass
// reader with the generic parser as the reference behind it), the signing key and the public-key
// files, the district's trust list, and documents carried inside report PDFs. Nothing else
// parses sealed bytes.
package seal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"smartdiag/assessment"
	"smartdiag/seal/canon"
	"smartdiag/usermsg"
)

// SealAlgorithm is the only signature algorithm of this format version.
const SealAlgorithm = "ed25519"

// Signer is who sealed a document (the type is part of the document model).
type Signer = assessment.Signer

// Verification outcomes.
const (
	VerifyValid         = "valid"
	VerifyTampered      = "tampered"
	VerifyUnsealed      = "unsealed"
	VerifyUnknownSigner = "unknown_signer"
	VerifyUnreadable    = "unreadable"
)

// Trust answers whether a signer's public key is trusted, and under which name (the service
// provider). *TrustList, the district's trust list file, implements it.
type Trust interface {
	Trusted(pub ed25519.PublicKey) (name string, ok bool)
}

// VerifyResult is the outcome of Verify. Status is one of the Verify* constants and Reason says why
// in Chinese (ReasonIn in the reader's language). The other fields are filled in as far as the
// file could be read.
type VerifyResult struct {
	Status      string         `json:"status"`
	Reason      string         `json:"reason"`
	Why         *usermsg.Error `json:"-"` // Reason, typed
	ID          string         `json:"id,omitempty"`
	SHA256      string         `json:"sha256,omitempty"`
	Fingerprint string         `json:"fingerprint,omitempty"`
	Signer      *Signer        `json:"signer,omitempty"`
	SealedAt    time.Time      `json:"sealed_at,omitzero"`
	TrustedAs   string         `json:"trusted_as,omitempty"`
	// Demo is set when the signer's key is a demo key trusted with --demo: what it signed is demo
	// data, to be labelled as such wherever it is shown.
	Demo bool `json:"demo,omitempty"`
}

// DemoLabel is how demo data is labelled to people.
const DemoLabel = "演示数据"

// Seal seals a finished document: it signs it with key and returns the bytes of the sealed file
// to save. The document becomes read-only (status sealed). Save exactly the returned bytes: Verify
// requires the file to be byte-for-byte in the sealed layout. Sealing requires what finishing
// requires: a document marked finished by hand with required items unanswered is refused.
func Seal(d *assessment.Document, key ed25519.PrivateKey, signer Signer, now time.Time) ([]byte, error) {
	switch d.Status {
	case assessment.StatusFinished:
	case assessment.StatusDraft:
		return nil, fmt.Errorf("草稿不能封存：请先完成诊断")
	case assessment.StatusSealed:
		return nil, fmt.Errorf("文档已封存，不能再次封存；要修改请新建修订")
	default:
		return nil, fmt.Errorf("状态 %q 的文档不能封存", d.Status)
	}
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("私钥无效")
	}
	q, err := d.LoadQuestionnaire()
	if err != nil {
		return nil, err
	}
	if err := d.CheckAgainst(q); err != nil {
		return nil, err
	}
	if m := assessment.Missing(q, d); len(m) > 0 {
		show := m[:min(len(m), 10)]
		return nil, fmt.Errorf("文档不完整，不能封存：还有 %d 道必答题未回答：%v", len(m), show)
	}
	return SignUnchecked(d, key, signer, now)
}

// SignUnchecked seals a finished document without Seal's completeness check, as versions before
// issue 11 did. Applications call Seal; this exists so that tests can make the incomplete sealed
// documents such versions produced, which the district must still refuse.
func SignUnchecked(d *assessment.Document, key ed25519.PrivateKey, signer Signer, now time.Time) ([]byte, error) {
	if d.Status != assessment.StatusFinished {
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
	body.Status, body.Seal = assessment.StatusSealed, nil
	root, err := canon.Of(&body)
	if err != nil {
		return nil, err
	}
	doc := root.(canon.Object)
	content := canon.Append(nil, doc)
	sum := sha256.Sum256(content)
	s := &assessment.Seal{
		Algorithm: SealAlgorithm,
		PublicKey: base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey)),
		SHA256:    hex.EncodeToString(sum[:]),
		SealedAt:  now.UTC().Truncate(time.Second),
		Signer:    signer,
	}
	sv, err := canon.Of(s)
	if err != nil {
		return nil, err
	}
	sealObj := sv.(canon.Object).Without("signature")
	s.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, canon.Append(nil, doc.With("seal", sealObj))))
	doc = doc.With("seal", sealObj.With("signature", s.Signature))
	d.Status, d.Seal = assessment.StatusSealed, s
	return canon.AppendSealedLayout(nil, doc), nil
}

// the Ed25519 signature match, that the bytes are exactly the sealed layout (so any changed byte,
// whitespace included, is caught) and that the signer's key is on the trust list (nil trusts no
// one). It never panics on any input.
func verifyReference(data []byte, trusted Trust) VerifyResult {
	text := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	root, err := canon.Parse(text)
	if err != nil {
		return VerifyResult{}.with(VerifyUnreadable, kindUnparsable.New(err))
	}
	doc, ok := root.(canon.Object)
	if !ok {
		return VerifyResult{}.with(VerifyUnreadable, kindNotObject.New())
	}
	if f, _ := doc.Get("format").(string); !strings.HasPrefix(f, assessment.FormatPrefix) {
		return VerifyResult{}.with(VerifyUnreadable, kindNoFormat.New())
	}
	res := VerifyResult{}
	res.ID, _ = doc.Get("id").(string)
	status, _ := doc.Get("status").(string)
	sv := doc.Get("seal")
	if sv == nil {
		if status == assessment.StatusSealed {
			return res.with(VerifyTampered, kindSealMissing.New())
		}
		return res.with(VerifyUnsealed, kindUnsealed.New(orNone(status)))
	}
	s, pub, sig, err := sealFields(sv)
	if err != nil {
		return res.with(VerifyTampered, kindBroken.New(err))
	}
	res.Fingerprint, res.Signer, res.SealedAt = Fingerprint(pub), &s.Signer, s.SealedAt

	sum := sha256.Sum256(canon.Append(nil, doc.Without("seal")))
	res.SHA256 = hex.EncodeToString(sum[:])
	if res.SHA256 != s.SHA256 {
		return res.with(VerifyTampered, kindHash.New())
	}
	signed := doc.With("seal", sv.(canon.Object).Without("signature"))
	if !ed25519.Verify(pub, canon.Append(nil, signed), sig) {
		return res.with(VerifyTampered, kindSignature.New())
	}
	if status != assessment.StatusSealed {
		return res.with(VerifyTampered, kindNotSealedStatus.New(orNone(status)))
	}
	if !bytes.Equal(data, canon.AppendSealedLayout(nil, doc)) {
		return res.with(VerifyTampered, kindLayout.New())
	}
	return res.trust(pub, trusted)
}

// trust finishes the result of an intact seal: valid when the key is on the trust list, else
// unknown_signer. Both readers end here, so the user reads one wording.
func (res VerifyResult) trust(pub ed25519.PublicKey, trusted Trust) VerifyResult {
	who := kindSigner.New(res.Signer.Name)
	if res.Signer.Organisation != "" {
		who = kindSignerOrg.New(res.Signer.Name, res.Signer.Organisation)
	}
	var name string
	ok := false
	if trusted != nil {
		name, ok = trusted.Trusted(pub)
	}
	if !ok {
		return res.with(VerifyUnknownSigner, kindUnknownSigner.New(who, res.Fingerprint))
	}
	res.TrustedAs = name
	var demo any = ""
	if dt, ok := trusted.(demoTrust); ok && dt.IsDemo(pub) {
		res.Demo = true
		demo = kindDemo.New()
	}
	return res.with(VerifyValid, kindValid.New(demo, who, name, res.Fingerprint, res.SealedAt.Format(time.RFC3339)))
}

func (r VerifyResult) with(status string, why *usermsg.Error) VerifyResult {
	r.Status, r.Reason, r.Why = status, why.Error(), why
	return r
}

// ReasonIn is Reason in lang ("zh" or "en").
func (r VerifyResult) ReasonIn(lang string) string {
	if r.Why == nil {
		return r.Reason
	}
	return r.Why.In(lang)
}

// orNone is a status for a message: "无" (none) when the document has none.
func orNone(s string) any {
	if s == "" {
		return kindNone.New()
	}
	return s
}

// sealFields reads and strictly checks the seal block.
func sealFields(v any) (*assessment.Seal, ed25519.PublicKey, []byte, error) {
	if _, ok := v.(canon.Object); !ok {
		return nil, nil, nil, fmt.Errorf("seal 不是对象")
	}
	return parseSealBlock(canon.Append(nil, v))
}

// parseSealBlock reads and strictly checks the canonical encoding of a seal block; both readers
// use it.
func parseSealBlock(block []byte) (*assessment.Seal, ed25519.PublicKey, []byte, error) {
	var raw struct {
		Algorithm string `json:"algorithm"`
		PublicKey string `json:"public_key"`
		SHA256    string `json:"sha256"`
		SealedAt  string `json:"sealed_at"`
		Signer    Signer `json:"signer"`
		Signature string `json:"signature"`
	}
	if err := json.Unmarshal(block, &raw); err != nil {
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
	s := &assessment.Seal{Algorithm: raw.Algorithm, PublicKey: raw.PublicKey, SHA256: raw.SHA256, SealedAt: at, Signer: raw.Signer, Signature: raw.Signature}
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
