package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// Typing the credit code of an enterprise already in the workspace warns before a second profile
// of the same firm is made.
func TestNewEnterpriseWarnsOfKnownCreditCode(t *testing.T) {
	ui, _ := newTestUI(t)
	s := finishedDraft(t, ui) // saved in the workspace
	known := s.Doc.Enterprise
	test.Tap(ui.home.newBtn)
	f := ui.enterprise
	test.Type(f.code, "91350100M000100Y43") // valid, not in the workspace
	if !strings.Contains(f.codeHint.Text, "校验位正确") || strings.Contains(f.codeHint.Text, "已有") {
		t.Fatalf("hint for a new code %q", f.codeHint.Text)
	}
	f.code.SetText("")
	test.Type(f.code, strings.ToLower(known.CreditCode))
	shot(t, ui, "17-enterprise-known-code")
	if !strings.Contains(f.codeHint.Text, "工作区中已有") || !strings.Contains(f.codeHint.Text, known.Name) || !strings.Contains(f.codeHint.Text, "1 份诊断") {
		t.Fatalf("hint for a known code %q", f.codeHint.Text)
	}
}
