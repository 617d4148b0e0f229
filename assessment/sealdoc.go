package assessment

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"smartdiag/seal/canon"
)

// The seal block is part of the document's data model; sealing, verifying and the keys live in
// package seal, which owns the sealed format.

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

// encodeSealed writes a sealed document in the sealed file layout, so that saving an unchanged
// sealed document keeps its seal valid.
func (d *Document) encodeSealed() ([]byte, error) {
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	v, err := canon.Parse(raw)
	if err != nil {
		// An answer value with duplicate keys or unpaired surrogates cannot be under a valid seal
		// anyway; write it like any other document rather than fail to save.
		b, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return nil, err
		}
		return append(b, '\n'), nil
	}
	return canon.AppendSealedLayout(nil, v), nil
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
