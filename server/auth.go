package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's 2024 minimum (19 MiB, 2 passes, 1 lane). A login costs ~30 ms and
// 19 MiB on this class of machine; logins are rate limited, so memory stays bounded.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns the PHC string of an argon2id hash with a random salt.
func HashPassword(password string) (string, error) {
	if len([]rune(password)) < 8 {
		return "", Invalidf("密码至少 8 个字符")
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword compares a password with a PHC string made by HashPassword (its own parameters).
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 64*1024 || t == 0 || t > 4 || p == 0 || p > 4 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// TokenPrefix starts every API and session token, so a leaked one is recognisable.
const TokenPrefix = "sdt_"

// newToken returns a fresh bearer token and the hash that is stored.
func newToken() (plain, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	plain = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return plain, HashToken(plain), nil
}

// HashToken is what the store keeps of a token (its SHA-256, hex).
func HashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// ChallengeMessage is what a consultant's app signs with its sealing key to log in: a fixed
// prefix keeps the signature from ever being taken for a document seal.
func ChallengeMessage(nonce string) []byte {
	return []byte("smartdiag login challenge v1\n" + nonce)
}

// SignChallenge is the client's half of key login.
func SignChallenge(key ed25519.PrivateKey, nonce string) string {
	return base64.StdEncoding.EncodeToString(ed25519.Sign(key, ChallengeMessage(nonce)))
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
