package syncclient

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	shttp "smartdiag/server/http"
	"smartdiag/server/servertest"
	"smartdiag/server/sqlite"
)

// A self-signed server: Fingerprint reads what the server presents, a sync pinned to it goes
// through and remembers the pin, and a wrong pin or none is refused before anything is sent.
func TestPinnedSelfSignedServer(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := servertest.NewWorld(t, st)
	ts := httptest.NewTLSServer(shttp.New(w.Svc, nil).Handler())
	t.Cleanup(ts.Close)
	sum := sha256.Sum256(ts.Certificate().Raw)
	want := FormatPin(hex.EncodeToString(sum[:]))

	got, err := Fingerprint(t.Context(), ts.URL)
	if err != nil || got != want {
		t.Fatalf("Fingerprint = %q, %v; want %q", got, err, want)
	}
	if len(got) != 95 || strings.Count(got, ":") != 31 {
		t.Errorf("fingerprint %q is not 32 colon-separated pairs", got)
	}

	ws := t.TempDir()
	sealed := servertest.Seal(t, servertest.Doc(t, 1, time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)), servertest.ConsultantA, servertest.ProviderA)
	os.WriteFile(filepath.Join(ws, "a.sdiag"), sealed, 0o644)
	key := servertest.Key(servertest.ConsultantA)

	// Without a pin the self-signed certificate is not trusted; nothing is uploaded.
	rep, err := Sync(t.Context(), Options{Server: ts.URL, Workspace: ws, Key: key, MaxAttempts: 1})
	if err == nil || rep.Docs[0].Status != StatusPending {
		t.Fatalf("unpinned sync: %v, %+v", err, rep)
	}
	wrong := strings.Repeat("AB", 32)
	rep, err = Sync(t.Context(), Options{Server: ts.URL, Workspace: ws, Key: key, Pin: wrong, MaxAttempts: 1})
	if err == nil || !strings.Contains(err.Error(), "指纹不符") || rep.Docs[0].Status != StatusPending {
		t.Fatalf("wrong pin: %v", err)
	}
	rep, err = Sync(t.Context(), Options{Server: ts.URL, Workspace: ws, Key: key, Pin: got})
	if err != nil || rep.Docs[0].Status != StatusUploaded || len(rep.Assignments) != servertest.RosterFirms/2 {
		t.Fatalf("pinned sync: %v, %+v", err, rep)
	}
	state, _ := LoadState(ws)
	if state.Pin != normalizePin(want) {
		t.Errorf("the pin is not remembered: %q", state.Pin)
	}
	// The next run takes the pin from the state file.
	if _, err := Sync(t.Context(), Options{Server: ts.URL, Workspace: ws, Key: key}); err != nil {
		t.Errorf("sync with the remembered pin: %v", err)
	}
}

func TestCheckPin(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{strings.Repeat("ab", 32), true},
		{FormatPin(strings.Repeat("0F", 32)), true},
		{" " + strings.Repeat("AB:", 31) + "AB ", true},
		{strings.Repeat("ab", 31), false},
		{strings.Repeat("zz", 32), false},
		{"", false},
	} {
		if err := CheckPin(c.in); (err == nil) != c.ok {
			t.Errorf("CheckPin(%q) = %v", c.in, err)
		}
	}
	if _, err := Fingerprint(t.Context(), "http://127.0.0.1:1"); err == nil {
		t.Error("a fingerprint of a plain-HTTP address")
	}
}
