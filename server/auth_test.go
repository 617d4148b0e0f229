package server

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("正确的马电池订书钉")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %s", h)
	}
	if !CheckPassword(h, "正确的马电池订书钉") || CheckPassword(h, "正确的马电池订书") {
		t.Error("password check")
	}
	h2, _ := HashPassword("正确的马电池订书钉")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	if _, err := HashPassword("short"); err == nil {
		t.Error("a short password was accepted")
	}
}

func FuzzCheckPassword(f *testing.F) {
	h, _ := HashPassword("password123")
	f.Add(h, "password123")
	f.Add("$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA", "x")
	f.Add("$argon2id$v=19$m=8,t=1,p=0$$", "")
	f.Fuzz(func(t *testing.T, hash, pw string) {
		CheckPassword(hash, pw) // must not panic, nor take unbounded memory or time
	})
}
