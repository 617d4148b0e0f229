package assessment

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"smartdiag/usermsg"
)

// A malformed document's error is typed: its Chinese wording is what it always was, and in
// English it is English throughout, also when ReadFile puts the file name in front, so the
// English UI shows an unreadable document in English.
func TestMalformedDocumentErrorsInEnglish(t *testing.T) {
	good := string(validDoc(t))
	han := func(s string) bool {
		return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
	}
	for _, c := range []struct {
		name, data, zh, en string
	}{
		{"truncated", good[:len(good)/2], "文件不完整", "the file is incomplete"},
		{"empty", "", "文件不完整", "the file is incomplete"},
		{"syntax", "{\n\"format\": x}", "JSON 语法错误（第 2 行）", "JSON syntax error (line 2)"},
		{"field type", strings.Replace(good, `"status": "draft"`, `"status": 3`, 1), "字段 status 类型错误", "field status has the wrong type"},
		{"no format", `{"id": "x"}`, "缺少 format 字段", "the format field is missing"},
		{"other format", `{"format": "smartdiag.roster/1"}`, `format 为 "smartdiag.roster/1"`, `format is "smartdiag.roster/1"`},
		{"bad version", `{"format": "smartdiag.diagnosis/x"}`, "版本号无效", "invalid version number"},
		{"newer", `{"format": "smartdiag.diagnosis/99"}`, "需要更新软件", "please update the software"},
		{"bad id", strings.Replace(good, `"id": "`, `"id": "not-`, 1), "不是 UUID", "is not a UUID"},
		{"bad status", strings.Replace(good, `"status": "draft"`, `"status": "done"`, 1), "字段 status 无效", "field status is invalid"},
	} {
		if c.name != "empty" && c.name != "syntax" && c.name != "no format" && c.data == good {
			t.Fatalf("%s: the fixture did not change", c.name)
		}
		_, _, err := Open([]byte(c.data))
		if err == nil {
			t.Errorf("%s: opened", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.zh) {
			t.Errorf("%s: %q, want it to contain %q", c.name, err, c.zh)
		}
		if en := usermsg.Text(err, "en"); !strings.Contains(en, c.en) || han(en) {
			t.Errorf("%s: English %q, want English containing %q", c.name, en, c.en)
		}
		path := filepath.Join(t.TempDir(), "doc.sdiag")
		if err := os.WriteFile(path, []byte(c.data), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err = ReadFile(path)
		if en := usermsg.Text(err, "en"); !strings.HasPrefix(en, path+": ") || !strings.Contains(en, c.en) || han(en) {
			t.Errorf("%s: ReadFile in English %q", c.name, en)
		}
		if !strings.HasPrefix(err.Error(), path+"：") {
			t.Errorf("%s: ReadFile %q does not name the file", c.name, err)
		}
	}
	_, _, err := Open([]byte(`{"format": "smartdiag.diagnosis/99"}`))
	if !errors.Is(err, ErrNewerFormat) {
		t.Errorf("a newer format is not ErrNewerFormat: %v", err)
	}
	_, err = ReadFile(filepath.Join(t.TempDir(), "missing.sdiag"))
	if !errors.Is(err, os.ErrNotExist) || han(usermsg.Text(err, "en")) {
		t.Errorf("a missing file: %v / %q", err, usermsg.Text(err, "en"))
	}
}
