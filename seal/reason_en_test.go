package seal_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"smartdiag/assessment"
	"smartdiag/seal"
)

// hasHan reports whether s has Chinese characters once the given names are taken out.
func hasHan(s string, names ...string) bool {
	for _, n := range names {
		s = strings.ReplaceAll(s, n, "")
	}
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// The reasons of a verification are typed: Reason stays the Chinese wording, and ReasonIn("en")
// is English throughout (only the signer's and provider's own names stay as written), so the
// English UI shows a bad seal in English.
func TestVerifyReasonsInEnglish(t *testing.T) {
	data, key := sealedDemo(t, "zgsz-quick")
	pub := key.Public().(ed25519.PublicKey)
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		f(m)
		return stdLayout(t, m)
	}
	var indented4 bytes.Buffer
	json.Indent(&indented4, data, "", "    ")
	d, err := assessment.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	d.Status, d.Seal = assessment.StatusFinished, nil
	other, err := seal.Seal(d, newKey(t), seal.Signer{Name: "冒充者", Organisation: "某公司"}, sealTime)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"沈立新", "江苏智造诊断服务有限公司", "冒充者", "某公司", "测试服务商"}
	for _, c := range []struct {
		name, status, zh, en string
		data                 []byte
		trust                seal.Trust
	}{
		{"content changed", seal.VerifyTampered, "内容校验值不同", "content hash differs",
			edit(func(m map[string]any) { m["enterprise"].(map[string]any)["name"] = "别的公司" }), nil},
		{"signer changed", seal.VerifyTampered, "文档或封印在封存后被修改", "document or its seal was changed",
			edit(func(m map[string]any) { m["seal"].(map[string]any)["signer"].(map[string]any)["name"] = "别人" }), nil},
		{"seal removed", seal.VerifyTampered, "封印缺失", "seal is missing", edit(func(m map[string]any) { delete(m, "seal") }), nil},
		{"unsealed", seal.VerifyUnsealed, "文档未封存（状态：finished）", "not sealed (status: finished)", edit(func(m map[string]any) {
			delete(m, "seal")
			m["status"] = "finished"
		}), nil},
		{"unsealed, no status", seal.VerifyUnsealed, "文档未封存（状态：无）", "not sealed (status: none)", edit(func(m map[string]any) {
			delete(m, "seal")
			delete(m, "status")
		}), nil},
		{"layout", seal.VerifyTampered, "字节排版", "byte layout", indented4.Bytes(), nil},
		{"array", seal.VerifyUnreadable, "顶层不是 JSON 对象", "top level is not a JSON object", []byte("[]\n"), nil},
		{"other json", seal.VerifyUnreadable, "缺少或错误的 format 字段", "format field is missing or wrong", []byte(`{"format":"smartdiag.roster/1"}`), nil},
		{"unknown signer", seal.VerifyUnknownSigner, "签名者「冒充者」（某公司）的公钥不在信任列表中", "signer “冒充者” (某公司) is not on the trust list", other, trustKeys{pub}},
		{"valid", seal.VerifyValid, "封印有效：签名者「沈立新」（江苏智造诊断服务有限公司）", "Seal valid: signer “沈立新” (江苏智造诊断服务有限公司)", data, trustKeys{pub}},
	} {
		r := seal.Verify(c.data, c.trust)
		if r.Status != c.status {
			t.Errorf("%s: status %s (%s), want %s", c.name, r.Status, r.Reason, c.status)
			continue
		}
		if r.ReasonIn("zh") != r.Reason || !strings.Contains(r.Reason, c.zh) {
			t.Errorf("%s: Chinese %q / %q, want it to contain %q", c.name, r.Reason, r.ReasonIn("zh"), c.zh)
		}
		if en := r.ReasonIn("en"); !strings.Contains(en, c.en) || hasHan(en, names...) {
			t.Errorf("%s: English %q, want English containing %q", c.name, en, c.en)
		}
	}
}
