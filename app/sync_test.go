package app

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"smartdiag/assessment"
	"smartdiag/seal"
	shttp "smartdiag/server/http"
	"smartdiag/server/servertest"
	"smartdiag/server/sqlite"
	"smartdiag/syncclient"
)

// syncWorld is a real district server (the HTTP handler on SQLite) behind a self-signed TLS
// certificate, and the consultant's signing key installed where the app looks for it.
func syncWorld(t *testing.T) (*servertest.World, *httptest.Server, string) {
	t.Helper()
	t.Setenv(seal.EnvConfig, t.TempDir())
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := servertest.NewWorld(t, st)
	ts := httptest.NewTLSServer(shttp.New(w.Svc, nil).Handler())
	t.Cleanup(ts.Close)
	der, _ := x509.MarshalPKCS8PrivateKey(servertest.Key(servertest.ConsultantA))
	path, _ := seal.ConfigPath(seal.KeyFileName)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(ts.Certificate().Raw)
	return w, ts, syncclient.FormatPin(hex.EncodeToString(sum[:]))
}

// uploadCell is what the home list's upload column shows for a document, found by the column's
// header as the list draws it.
func uploadCell(t *testing.T, ui *UI, id string) string {
	t.Helper()
	h := ui.home
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.columns() {
		if c.header != "上传状态" {
			continue
		}
		for i := range h.entries {
			if e := &h.entries[i]; e.doc != nil && e.doc.ID == id {
				return c.cell(e)
			}
		}
		t.Fatalf("document %s is not on the home list", id)
	}
	t.Fatal("the home list has no upload column")
	return ""
}

// screenText is every label and rich text on the window.
func screenText(ui *UI) string { return dialogText(ui.win.Content()) }

// TestSyncFromTheApp is the consultant's round trip: enter the server in the settings, confirm
// its certificate fingerprint, sync from the home screen; the state file on disk, the list, the
// diagnosis and the assigned firms follow the server (uploaded, returned with its reason,
// accepted), and an unreachable server leaves a new diagnosis queued.
func TestSyncFromTheApp(t *testing.T) {
	w, ts, fp := syncWorld(t)
	ui, dir := newTestUI(t)
	t0 := time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)
	d := servertest.Doc(t, 1, t0)
	sealed := servertest.Seal(t, d, servertest.ConsultantA, servertest.ProviderA)
	file := filepath.Base(ui.ws.Path(d.ID))
	if err := os.WriteFile(filepath.Join(dir, file), sealed, 0o644); err != nil {
		t.Fatal(err)
	}
	ui.showHome()
	homeLoaded(t, ui)
	if got := uploadCell(t, ui, d.ID); got != "未上传" {
		t.Fatalf("a sealed diagnosis never synced shows %q in the upload column, want 未上传", got)
	}
	if !ui.home.assignments.acc.Hidden {
		t.Error("the assignments panel shows before any sync")
	}

	// Sync before a server is set: the app says where to set it.
	test.Tap(ui.home.syncBtn)
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "设置") {
		t.Fatalf("sync without a server: %q", txt)
	}
	ui.win.Canvas().Overlays().Top().Hide()

	// Settings: the address; the app reads the certificate and asks to compare the fingerprint.
	test.Tap(ui.home.settingsBtn)
	s := ui.syncForm
	test.Type(s.server, ts.URL)
	test.Tap(s.save)
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, fp) {
		t.Fatalf("the confirmation does not show the fingerprint %s: %q", fp, txt)
	}
	shot(t, ui, "20-sync-fingerprint")
	test.Tap(overlayButton(t, ui, "信任"))
	test.Tap(overlayButton(t, ui, "好"))
	if got := ui.app.Preferences().String(prefSyncPin); got != strings.ReplaceAll(fp, ":", "") {
		t.Fatalf("pinned %q, want %q", got, fp)
	}
	if ui.app.Preferences().String(prefSyncServer) != ts.URL {
		t.Fatal("the server address is not remembered")
	}

	// Sync from the home screen.
	ui.showHome()
	homeLoaded(t, ui)
	test.Tap(ui.home.syncBtn)
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "本次上传 1 份") || !strings.Contains(txt, "企业 5 家") {
		t.Fatalf("sync result %q", txt)
	}
	test.Tap(overlayButton(t, ui, "好"))
	st, err := syncclient.LoadState(dir)
	if err != nil {
		t.Fatal(err)
	}
	if doc := st.Docs[file]; doc.Status != syncclient.StatusUploaded || doc.ID != d.ID {
		t.Fatalf("state file: %+v", doc)
	}
	if st.Pin != strings.ReplaceAll(fp, ":", "") || st.Server != ts.URL {
		t.Errorf("state file server %q pin %q", st.Server, st.Pin)
	}
	if got := uploadCell(t, ui, d.ID); got != "已上传" {
		t.Errorf("the list shows %q, want 已上传", got)
	}
	ap := ui.home.assignments
	if ap.acc.Hidden || len(ap.rows) != 5 || !strings.Contains(ap.title.Title, "5 家") {
		t.Fatalf("assignments panel: hidden %v, %d rows, %q", ap.acc.Hidden, len(ap.rows), ap.title.Title)
	}
	ap.acc.Open(0)
	ui.win.Content().Refresh()
	shot(t, ui, "21-sync-home")
	if txt := screenText(ui); !strings.Contains(txt, "联系人0") || !strings.Contains(txt, "13800000000") {
		t.Errorf("the assigned firms lack the roster's contact data:\n%s", txt)
	}

	// The office returns it with a reason: the next sync shows the reason, on the list and on
	// the diagnosis.
	const reason = "第 3 节缺少现场证据"
	if _, err := w.Svc.Return(context.Background(), w.P[servertest.Officer], d.ID, reason); err != nil {
		t.Fatal(err)
	}
	test.Tap(ui.home.syncBtn)
	test.Tap(overlayButton(t, ui, "好"))
	if st, _ := syncclient.LoadState(dir); st.Docs[file].Status != syncclient.StatusReturned || st.Docs[file].Reason != reason {
		t.Fatalf("state after return: %+v", st.Docs[file])
	}
	if got := uploadCell(t, ui, d.ID); got != "已退回（"+reason+"）" {
		t.Errorf("the list shows %q, want the return reason", got)
	}
	s2, err := assessment.OpenSession(ui.ws, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	ui.showResults(s2)
	if txt := screenText(ui); !strings.Contains(txt, "上传状态：已退回（"+reason+"）") {
		t.Errorf("the diagnosis does not show its upload status:\n%s", txt)
	}
	ui.showHome()
	homeLoaded(t, ui)

	// An assigned firm starts a diagnosis with the roster's data filled in.
	ui.home.assignments.startDiagnosis(ui.home.assignments.rows[0])
	if ui.enterprise == nil || ui.enterprise.contact.Text != "联系人0" {
		t.Fatal("the enterprise form is not filled from the assignment")
	}
	ui.showHome()
	homeLoaded(t, ui)

	// Offline: a second sealed diagnosis stays queued, the first keeps its state.
	ts.Close()
	d2 := servertest.Doc(t, 2, t0.Add(time.Hour))
	file2 := filepath.Base(ui.ws.Path(d2.ID))
	os.WriteFile(filepath.Join(dir, file2), servertest.Seal(t, d2, servertest.ConsultantA, servertest.ProviderA), 0o644)
	syncTimeout = 5 * time.Second
	t.Cleanup(func() { syncTimeout = 10 * time.Minute })
	ui.showHome()
	homeLoaded(t, ui)
	test.Tap(ui.home.syncBtn)
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "无法连接服务器") {
		t.Fatalf("offline sync: %q", txt)
	}
	st, _ = syncclient.LoadState(dir)
	if st.Docs[file2].Status != syncclient.StatusPending || st.Docs[file].Status != syncclient.StatusReturned {
		t.Fatalf("offline state: %+v / %+v", st.Docs[file2], st.Docs[file])
	}
	if ui.home.syncBtn.Disabled() {
		t.Error("the sync button stays disabled after a failed sync")
	}
}

// A wrong fingerprint typed in is pinned as typed, and the sync refuses the server.
func TestSyncRefusesAnotherCertificate(t *testing.T) {
	_, ts, fp := syncWorld(t)
	ui, dir := newTestUI(t)
	test.Tap(ui.home.settingsBtn)
	s := ui.syncForm
	test.Type(s.server, ts.URL)
	test.Type(s.pin, "12:34")
	test.Tap(s.save)
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "64 位十六进制") {
		t.Fatalf("a short fingerprint: %q", txt)
	}
	ui.win.Canvas().Overlays().Top().Hide()
	wrong := strings.Repeat("AB:", 31) + "AB"
	if wrong == fp {
		t.Fatal("test fingerprint collides")
	}
	s.pin.SetText(wrong)
	test.Tap(s.save)
	test.Tap(overlayButton(t, ui, "好"))
	test.Tap(s.sync)
	if txt := dialogText(ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "指纹不符") {
		t.Fatalf("sync with a wrong pin: %q", txt)
	}
	if st, _ := syncclient.LoadState(dir); len(st.Assignments) != 0 || !st.LastSync.IsZero() {
		t.Errorf("something came from a server with another certificate: %+v", st)
	}
	if !strings.Contains(s.info.Text, "尚未同步") {
		t.Errorf("settings summary %q", s.info.Text)
	}
}
