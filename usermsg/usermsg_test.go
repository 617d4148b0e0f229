package usermsg

import (
	"errors"
	"fmt"
	"os"
	"testing"
)

var (
	kindMissing = Define("test.missing", "找不到文件 %s", "File %s not found")
	kindRead    = Define("test.read", "无法读取 %s：%s", "Cannot read %s: %s")
	kindOther   = Define("test.other", "其他", "Other")
)

func TestText(t *testing.T) {
	cause := kindMissing.New("a.yaml")
	wrapped := kindRead.Wrap(cause, "画像")
	plain := errors.New("原样")
	tests := []struct {
		name   string
		err    error
		zh, en string
	}{
		{"typed", kindMissing.New("a.sdiag"), "找不到文件 a.sdiag", "File a.sdiag not found"},
		{"typed cause", wrapped, "无法读取 画像：找不到文件 a.yaml", "Cannot read 画像: File a.yaml not found"},
		{"prefixed", fmt.Errorf("x.sdiag：%w", kindMissing.New("b")), "x.sdiag：找不到文件 b", "x.sdiag: File b not found"},
		{"plain", plain, "原样", "原样"},
		{"nil", nil, "", ""},
	}
	for _, tc := range tests {
		if got := Text(tc.err, "zh"); got != tc.zh {
			t.Errorf("%s zh: %q, want %q", tc.name, got, tc.zh)
		}
		if got := Text(tc.err, "en"); got != tc.en {
			t.Errorf("%s en: %q, want %q", tc.name, got, tc.en)
		}
	}
}

func TestKindMatching(t *testing.T) {
	err := fmt.Errorf("外层：%w", kindRead.Wrap(os.ErrNotExist, "f"))
	if !IsKind(err, kindRead) || IsKind(err, kindOther) {
		t.Error("IsKind")
	}
	if !errors.Is(err, kindRead.New()) || errors.Is(err, kindOther.New()) {
		t.Error("errors.Is by kind")
	}
	if !errors.Is(err, os.ErrNotExist) {
		t.Error("the cause is not seen through")
	}
	var e *Error
	if !errors.As(err, &e) || e.Kind.Code != "test.read" || e.Args[0] != "f" {
		t.Errorf("As: %+v", e)
	}
}
