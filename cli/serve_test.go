package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"smartdiag/server"
	"smartdiag/server/servertest"
	"smartdiag/server/sqlite"
	"smartdiag/syncclient"
)

// envRunMain makes the test binary act as the smartdiag command (cli.Main), so that the server
// runs as a real separate process without building the desktop app.
const envRunMain = "SMARTDIAG_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(envRunMain) == "1" {
		os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// smartdiag runs the command as a child process.
func smartdiag(t *testing.T, stdin string, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), envRunMain+"=1"), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// serveProcess starts `smartdiag serve` on a free loopback port and returns its URL.
func serveProcess(t *testing.T, data string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "--data", data, "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), envRunMain+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), "已启动："); ok {
			go io.Copy(io.Discard, out)
			return strings.Fields(rest)[0], cmd
		}
	}
	t.Fatalf("serve did not start: %s", logs.String())
	return "", nil
}

func api(t *testing.T, token, method, url string, body []byte) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestSyncAgainstServeProcess sets a server up with the setup commands, runs `smartdiag serve`
// as a process, and syncs a consultant's workspace with the real client: uploads, review states
// coming back, the offline queue while the server is killed, and nothing stored twice.
func TestSyncAgainstServeProcess(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	run := func(stdin string, args ...string) string {
		t.Helper()
		out, errs, code := smartdiag(t, stdin, nil, args...)
		if code != 0 {
			t.Fatalf("smartdiag %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
		}
		return out
	}
	run("", "server", "org", "add", "--data", data, "--kind", "city", "--name", "南京市")
	run("", "server", "org", "add", "--data", data, "--kind", "district", "--name", "江宁区", "--city", "南京市")
	run("", "server", "org", "add", "--data", data, "--kind", "provider", "--name", "甲服务商")
	run(servertest.Password+"\n", "server", "user", "add", "--data", data, "--org", "江宁区", "--name", "officer", "--role", "officer", "--password-stdin")
	pub := filepath.Join(dir, "gu.json")
	os.WriteFile(pub, servertest.PublicKeyFile(t, "gu", "甲服务商"), 0o644)
	if out := run("", "server", "user", "add", "--data", data, "--org", "甲服务商", "--name", "gu", "--role", "consultant", "--key", pub); !strings.Contains(out, "公钥指纹") {
		t.Errorf("user add with a key: %s", out)
	}
	rosterFile := filepath.Join(dir, "名册.csv")
	os.WriteFile(rosterFile, servertest.Roster(6), 0o644)
	if out := run("", "server", "roster", "--data", data, "--org", "江宁区", rosterFile); !strings.Contains(out, "有效 6") {
		t.Errorf("roster report: %s", out)
	}
	token := strings.TrimSpace(run("", "server", "token", "add", "--data", data, "--user", "officer"))
	// Bad setup input gets a clear message and exit code 1.
	if _, errs, code := smartdiag(t, "", nil, "server", "user", "add", "--data", data, "--org", "没有的机构", "--name", "x", "--role", "officer", "--password-stdin"); code != 1 || !strings.Contains(errs, "找不到机构") {
		t.Errorf("unknown org: %d %s", code, errs)
	}

	base, srv := serveProcess(t, data)
	// The web console is mounted: its roster page reads with the officer's API token.
	req, _ := http.NewRequest("GET", base+"/roster", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else {
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(page), servertest.FirmName(5)) {
			t.Errorf("the console's roster page: %d\n%.300s", resp.StatusCode, page)
		}
	}
	var codes []string
	for i := range 4 {
		codes = append(codes, servertest.Code(i))
	}
	pk, _ := json.Marshal(map[string]any{"name": "第一批", "start": "2026-03-01", "end": "2026-06-30", "assignments": map[string][]string{"甲服务商": codes}})
	if st, out := api(t, token, "POST", base+"/api/v1/packages", pk); st != 201 {
		t.Fatalf("package: %d %s", st, out)
	}

	// The consultant's workspace: three sealed diagnoses, a report PDF, a draft.
	ws := filepath.Join(dir, "ws")
	os.MkdirAll(ws, 0o755)
	t0 := time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)
	var ids []string
	for i := range 3 {
		d := servertest.Doc(t, i, t0)
		sealed := servertest.Seal(t, d, "gu", "甲服务商")
		os.WriteFile(filepath.Join(ws, d.ID+".sdiag"), sealed, 0o644)
		ids = append(ids, d.ID)
		if i == 0 {
			os.WriteFile(filepath.Join(ws, "报告.pdf"), servertest.ReportPDF(t, sealed), 0o644)
		}
	}
	draft := servertest.Doc(t, 3, t0)
	draft.Status = "draft"
	db, _ := json.Marshal(draft)
	os.WriteFile(filepath.Join(ws, draft.ID+".sdiag"), db, 0o644)

	opt := syncclient.Options{Server: base, Workspace: ws, Key: servertest.Key("gu"), Backoff: 20 * time.Millisecond, MaxAttempts: 3}
	rep, err := syncclient.Sync(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Uploaded != 3 || rep.Pending != 0 || len(rep.Assignments) != 4 {
		t.Fatalf("first sync: uploaded %d pending %d assignments %d: %+v", rep.Uploaded, rep.Pending, len(rep.Assignments), rep)
	}
	for _, a := range rep.Assignments {
		if a.Contact == "" || a.Phone == "" || a.District != "江宁区" {
			t.Errorf("assignment without contact data: %+v", a)
		}
	}
	for _, d := range rep.Docs {
		if d.Label != "已上传" {
			t.Errorf("%s: %s after the first sync", d.File, d.Label)
		}
	}

	// An online backup while the server runs holds what was uploaded.
	backup := filepath.Join(dir, "backup.db")
	run("", "server", "backup", "--data", data, "--out", backup)
	if bst, err := sqlite.Open(context.Background(), backup); err != nil {
		t.Fatal(err)
	} else {
		subs, _ := bst.Submissions(context.Background(), server.SubmissionFilter{})
		bst.Close()
		if len(subs) != 3 {
			t.Errorf("the backup holds %d diagnoses, want 3", len(subs))
		}
	}

	// The office reviews; the CLI sync brings the states back.
	api(t, token, "POST", base+"/api/v1/submissions/"+ids[0]+"/accept", nil)
	if st, out := api(t, token, "POST", base+"/api/v1/submissions/"+ids[1]+"/return", []byte(`{"reason":"缺少设备台账照片"}`)); st != 200 {
		t.Fatalf("return: %d %s", st, out)
	}
	cfg := filepath.Join(dir, "config")
	os.MkdirAll(cfg, 0o700)
	der, _ := x509.MarshalPKCS8PrivateKey(servertest.Key("gu"))
	os.WriteFile(filepath.Join(cfg, "signing-key.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	env := []string{"SMARTDIAG_CONFIG=" + cfg}
	out, errs, code := smartdiag(t, "", env, "sync", "--server", base, "--workspace", ws, "--json")
	if code != 0 {
		t.Fatalf("smartdiag sync: %d %s %s", code, out, errs)
	}
	var got syncclient.Report
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("sync --json: %v\n%s", err, out)
	}
	labels := map[string]string{}
	for _, d := range got.Docs {
		labels[d.File] = d.Label
	}
	want := map[string]string{ids[0] + ".sdiag": "已通过", ids[1] + ".sdiag": "已退回（缺少设备台账照片）", ids[2] + ".sdiag": "已上传", "报告.pdf": "已通过"} // the PDF carries the accepted diagnosis
	for f, w := range want {
		if labels[f] != w {
			t.Errorf("%s: %q, want %q", f, labels[f], w)
		}
	}
	if _, ok := labels[draft.ID+".sdiag"]; ok {
		t.Error("a draft was handed in")
	}
	if _, err := syncclient.LoadState(ws); err != nil {
		t.Fatal(err)
	}

	// Server killed: the new diagnosis waits in the queue, then goes up once the server is back.
	srv.Process.Signal(syscall.SIGKILL)
	srv.Wait()
	d := servertest.Doc(t, 3, t0.Add(time.Hour))
	os.WriteFile(filepath.Join(ws, d.ID+".sdiag"), servertest.Seal(t, d, "gu", "甲服务商"), 0o644)
	rep, err = syncclient.Sync(context.Background(), opt)
	if err == nil || rep == nil || !rep.Offline || rep.Pending != 1 {
		t.Fatalf("offline sync: %v %+v", err, rep)
	}
	st, _ := syncclient.LoadState(ws)
	if doc := st.Docs[d.ID+".sdiag"]; doc.Status != syncclient.StatusPending || doc.Attempts != 3 || doc.LastError == "" {
		t.Errorf("queued document: %+v", doc)
	}
	base2, _ := serveProcess(t, data)
	opt.Server = base2
	rep, err = syncclient.Sync(context.Background(), opt)
	if err != nil || rep.Uploaded != 1 || rep.Pending != 0 {
		t.Fatalf("after restart: %v %+v", err, rep)
	}
	_, body := api(t, token, "GET", base2+"/api/v1/submissions", nil)
	var subs []struct{ ID, State string }
	json.Unmarshal(body, &subs)
	if len(subs) != 4 {
		t.Errorf("%d submissions on the server, want 4 (nothing lost or duplicated): %s", len(subs), body)
	}
}

// TestSyncSurvivesKilledServer kills the server (SIGKILL) several times while a consultant's
// sync is uploading and starts it again on the same address: the client retries, and in the end
// every diagnosis is stored exactly once.
func TestSyncSurvivesKilledServer(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	ctx := context.Background()
	st, err := openStore(ctx, data, "")
	if err != nil {
		t.Fatal(err)
	}
	w := servertest.NewWorld(t, st)
	officer := w.Tokens[servertest.Officer]
	st.Close()

	ws := filepath.Join(dir, "ws")
	os.MkdirAll(ws, 0o755)
	const n = 60
	t0 := time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)
	for i := range n {
		d := servertest.Doc(t, i%(servertest.RosterFirms/2), t0.Add(time.Duration(i)*time.Hour))
		os.WriteFile(filepath.Join(ws, d.ID+".sdiag"), servertest.Seal(t, d, servertest.ConsultantA, servertest.ProviderA), 0o644)
	}
	base, srv := serveProcess(t, data)
	addr := strings.TrimPrefix(base, "http://")

	done := make(chan struct{})
	var rep *syncclient.Report
	var syncErr error
	go func() {
		defer close(done)
		rep, syncErr = syncclient.Sync(ctx, syncclient.Options{Server: base, Workspace: ws, Key: servertest.Key(servertest.ConsultantA),
			Backoff: 50 * time.Millisecond, MaxAttempts: 60})
	}()
	for i := range 3 {
		time.Sleep(time.Duration(30+120*i) * time.Millisecond) // the first kill early, while uploads surely run
		srv.Process.Signal(syscall.SIGKILL)
		srv.Wait()
		time.Sleep(100 * time.Millisecond)
		srv = restartOn(t, data, addr)
	}
	<-done
	if syncErr != nil {
		t.Fatalf("sync: %v", syncErr)
	}
	if rep.Pending != 0 || len(rep.Docs) != n {
		t.Fatalf("pending %d, docs %d", rep.Pending, len(rep.Docs))
	}
	attempts := 0
	for _, d := range rep.Docs {
		attempts += d.Attempts
	}
	t.Logf("%d upload attempts for %d documents", attempts, n)
	if attempts == n {
		t.Error("no upload was retried: the kills missed the uploads, the test proves nothing")
	}
	status, body := api(t, officer, "GET", base+"/api/v1/submissions", nil)
	var subs []struct{ ID, State string }
	json.Unmarshal(body, &subs)
	ids := map[string]int{}
	for _, s := range subs {
		ids[s.ID]++
	}
	if status != 200 || len(subs) != n || len(ids) != n {
		t.Errorf("%d stored (%d ids) after the kills, want %d each", len(subs), len(ids), n)
	}
}

// restartOn starts the server again on a fixed address.
func restartOn(t *testing.T, data, addr string) *exec.Cmd {
	t.Helper()
	for try := 0; ; try++ {
		cmd := exec.Command(os.Args[0], "serve", "--data", data, "--addr", addr)
		cmd.Env = append(os.Environ(), envRunMain+"=1")
		out, _ := cmd.StdoutPipe()
		var logs bytes.Buffer
		cmd.Stderr = &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "已启动：") {
				go io.Copy(io.Discard, out)
				t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
				return cmd
			}
		}
		cmd.Wait()
		if try == 20 {
			t.Fatalf("serve did not restart on %s: %s", addr, logs.String())
		}
		time.Sleep(100 * time.Millisecond) // the port may still be held for a moment
	}
}
