package assessment

import (
	"fmt"
	"strings"
	"unicode"
)

// GB 32100-2015 统一社会信用代码: 18 characters over a 31-character alphabet (no I, O, Z, S, V); the
// last one is a check character over the first 17.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// NormalizeCreditCode upper-cases a code and removes spaces, including full-width ones, and converts
// full-width letters and digits, as codes pasted from rosters and forms often carry them.
func NormalizeCreditCode(s string) string {
	var b strings.Builder
	for _, r := range NormalizeDigits(s) {
		if unicode.IsSpace(r) || r == '-' {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// CreditCheckChar computes the check character for the first 17 characters of a code.
func CreditCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fmt.Errorf("需要 17 位，实际 %d 位", len(first17))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditAlphabet, first17[i])
		if v < 0 {
			return 0, fmt.Errorf("第 %d 位字符 %q 不允许（不含 I、O、Z、S、V）", i+1, first17[i])
		}
		sum += v * creditWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditAlphabet[c], nil
}

// ValidateCreditCode checks a normalised code: length, alphabet and check character. The error is
// in Chinese, ready to show beside the field.
func ValidateCreditCode(code string) error {
	if code == "" {
		return fmt.Errorf("统一社会信用代码不能为空")
	}
	if n := len([]rune(code)); n != 18 || len(code) != 18 {
		return fmt.Errorf("统一社会信用代码应为 18 位，实际 %d 位", n)
	}
	want, err := CreditCheckChar(code[:17])
	if err != nil {
		return fmt.Errorf("统一社会信用代码%v", err)
	}
	if strings.IndexByte(creditAlphabet, code[17]) < 0 {
		return fmt.Errorf("统一社会信用代码第 18 位字符 %q 不允许", code[17])
	}
	if code[17] != want {
		// The right check character is not printed: that would let anyone turn an invented code
		// into a "valid" one by copying it.
		return fmt.Errorf("统一社会信用代码校验位错误：这不是一个有效的代码，请对照营业执照核对每一位")
	}
	return nil
}
