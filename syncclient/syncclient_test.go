package syncclient

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"smartdiag/server"
)

// The client signs exactly what the server checks.
func TestChallengeMessageMatchesServer(t *testing.T) {
	for _, n := range []string{"", "abc", "x\ny"} {
		if string(ChallengeMessage(n)) != string(server.ChallengeMessage(n)) {
			t.Errorf("challenge message for %q differs from the server's", n)
		}
	}
}

func TestLabels(t *testing.T) {
	for _, c := range []struct{ status, reason, want string }{
		{StatusPending, "", "未上传"},
		{StatusUploaded, "", "已上传"},
		{StatusReturned, "缺少证据", "已退回（缺少证据）"},
		{StatusAccepted, "", "已通过"},
		{"", "", "未上传"},
	} {
		if got := Label(c.status, c.reason); got != c.want {
			t.Errorf("Label(%q, %q) = %q, want %q", c.status, c.reason, got, c.want)
		}
	}
}

func TestBadServerAndState(t *testing.T) {
	ws := t.TempDir()
	if _, err := Sync(t.Context(), Options{Server: "ftp://x", Workspace: ws}); err == nil || !strings.Contains(err.Error(), "服务器地址") {
		t.Errorf("bad URL: %v", err)
	}
	os.WriteFile(filepath.Join(ws, StateFile), []byte("{"), 0o644)
	if _, err := LoadState(ws); err == nil || !strings.Contains(err.Error(), "已损坏") {
		t.Errorf("damaged state: %v", err)
	}
}

func FuzzLoadState(f *testing.F) {
	f.Add([]byte(`{"server":"http://127.0.0.1:1","documents":{"a.sdiag":{"file":"a.sdiag","status":"uploaded"}}}`))
	f.Add([]byte(`{"documents":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ws := t.TempDir()
		os.WriteFile(filepath.Join(ws, StateFile), data, 0o644)
		st, err := LoadState(ws)
		if err == nil && st.Docs == nil {
			t.Fatal("a loaded state without a document map")
		}
	})
}
