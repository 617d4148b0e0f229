package assessment

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestValidateCreditCode(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string // substring; "" means valid
	}{
		{"91350100M000100Y43", ""}, // the example code printed in GB 32100-2015 material
		{"91320115MA1MVXXX1U", "第 13 位字符 'V' 不允许"},
		{"", "不能为空"},
		{"91350100M000100Y4", "18 位"},
		{"91350100M000100Y433", "18 位"},
		{"91350100M000100Y44", "校验位错误"},
		{"91350100M00O100Y43", "不允许"},
		{"9135010０M000100Y43", "18 位"}, // a full-width digit that was not normalised
	}
	for _, tt := range tests {
		err := ValidateCreditCode(tt.in)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%q: unexpected error %v", tt.in, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%q: error %v, want one containing %q", tt.in, err, tt.wantErr)
		}
	}
}

// The error for a wrong check character must not reveal the right one (issue 15): otherwise
// anyone can make an invented code "valid" by copying it from the message.
func TestCreditCodeErrorDoesNotRevealCheckChar(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 15))
	for range 200 {
		var b []byte
		for range 17 {
			b = append(b, creditAlphabet[r.IntN(len(creditAlphabet))])
		}
		want, _ := CreditCheckChar(string(b))
		wrong := creditAlphabet[(strings.IndexByte(creditAlphabet, want)+1+r.IntN(30))%31]
		err := ValidateCreditCode(string(b) + string(wrong))
		if err == nil {
			t.Fatalf("%s%c accepted", b, wrong)
		}
		msg := err.Error()
		if strings.ContainsRune(msg, rune(want)) && strings.ContainsAny(msg, "0123456789ABCDEFGHJKLMNPQRTUWXY") {
			t.Fatalf("the error names a possible check character: %s", msg)
		}
	}
}

func TestNormalizeCreditCode(t *testing.T) {
	for in, want := range map[string]string{
		" 91350100m000100y43 ":      "91350100M000100Y43",
		"9135 0100 M000 100Y 43":    "91350100M000100Y43",
		"９１３５０１００Ｍ０００１００Ｙ４３":        "91350100M000100Y43",
		"91350100-M000100Y4\u30003": "91350100M000100Y43",
	} {
		if got := NormalizeCreditCode(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every code built with CreditCheckChar validates, and changing any one character breaks it.
func TestCreditCheckCharRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, 17)
		for i := range b {
			b[i] = creditAlphabet[r.IntN(len(creditAlphabet))]
		}
		c, err := CreditCheckChar(string(b))
		if err != nil {
			t.Fatal(err)
		}
		code := string(b) + string(c)
		if err := ValidateCreditCode(code); err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		pos := r.IntN(17)
		mutated := []byte(code)
		for mutated[pos] == code[pos] {
			mutated[pos] = creditAlphabet[r.IntN(len(creditAlphabet))]
		}
		if ValidateCreditCode(string(mutated)) == nil {
			t.Fatalf("%s (from %s) validated after a change at %d", mutated, code, pos+1)
		}
	}
}
