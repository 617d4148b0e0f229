package assessment

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFindCreditCode(t *testing.T) {
	dir := t.TempDir()
	ws, _ := OpenWorkspace(dir)
	write := func(name, body string) { os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644) }
	write("a.sdiag", `{"id":"a","status":"draft","enterprise":{"name":"甲公司","credit_code":"91350100M000100Y43"}}`)
	write("b.sdiag", `{"id":"b","status":"finished","enterprise":{"name":"甲公司","credit_code":"91350100m000100y43"}}`)
	write("c.sdiag", `{"id":"c","status":"draft","enterprise":{"name":"乙公司","credit_code":"91320115MA1MWXXX1U"}}`)
	write("d.sdiag", `not json`)
	got := ws.FindCreditCode("91350100M000100Y43")
	if len(got) != 2 || got[0].ID != "a" || got[1].ID != "b" || got[1].Enterprise != "甲公司" {
		t.Fatalf("%+v", got)
	}
	if got := ws.FindCreditCode("91110000000000000X"); len(got) != 0 {
		t.Fatalf("%+v", got)
	}
	if got := ws.FindCreditCode(""); got != nil {
		t.Fatal("empty code matched")
	}
}
