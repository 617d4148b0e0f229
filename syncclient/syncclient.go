// Package syncclient hands a consultant's sealed diagnoses (and their report PDFs) to the district
// server and brings back their review states and the firms assigned to the consultant's provider.
// What was done is kept in the workspace (StateFile), so an offline laptop keeps its queue and
// every upload is retried later; uploads are idempotent on the server, so a retry never stores a
// document twice. The CLI's `smartdiag sync` and the desktop app call Sync.
package syncclient

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"smartdiag/assessment"
	"smartdiag/seal"
)

// StateFile keeps the sync state in the workspace (a hidden file: the workspace lists, the import
// and the tally pass over it).
const StateFile = ".smartdiag-sync.json"

// Statuses of a document, with the Chinese labels the app shows.
const (
	StatusPending  = "pending"  // 未上传
	StatusUploaded = "uploaded" // 已上传
	StatusReturned = "returned" // 已退回（原因）
	StatusAccepted = "accepted" // 已通过
	StatusConflict = "conflict" // 冲突（原因）
	StatusRejected = "rejected" // 服务器拒收（原因）: not retried until the file changes
)

// Label is a status in Chinese, with the reason where there is one.
func Label(status, reason string) string {
	switch status {
	case StatusUploaded:
		return "已上传"
	case StatusReturned:
		return "已退回（" + reason + "）"
	case StatusAccepted:
		return "已通过"
	case StatusConflict:
		return "冲突（" + reason + "）"
	case StatusRejected:
		return "服务器拒收（" + reason + "）"
	}
	return "未上传"
}

// Doc is one file's sync state.
type Doc struct {
	File      string    `json:"file"` // relative to the workspace
	ID        string    `json:"id,omitempty"`
	SHA256    string    `json:"sha256"` // of the file's bytes as last uploaded or tried
	Status    string    `json:"status"`
	Label     string    `json:"label"`
	Reason    string    `json:"reason,omitempty"`
	Attempts  int       `json:"attempts,omitempty"`
	LastError string    `json:"last_error,omitempty"`
	Uploaded  time.Time `json:"uploaded,omitzero"`
}

// Assignment is a firm assigned to the consultant's provider, with the roster's contact data.
type Assignment struct {
	Package    int64  `json:"package"`
	District   string `json:"district"`
	CreditCode string `json:"credit_code"`
	Name       string `json:"name"`
	Street     string `json:"street,omitempty"`
	Contact    string `json:"contact,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Assigned   string `json:"assigned"`
	Deadline   string `json:"deadline"`
	State      string `json:"state,omitempty"`
}

// State is what StateFile holds.
type State struct {
	Server      string         `json:"server"`
	Pin         string         `json:"certificate_sha256,omitempty"`
	LastSync    time.Time      `json:"last_sync,omitzero"`
	Docs        map[string]Doc `json:"documents"` // by file
	Assignments []Assignment   `json:"assignments"`
}

// LoadState reads a workspace's sync state; a workspace never synced has an empty one.
func LoadState(workspace string) (*State, error) {
	st := &State{Docs: map[string]Doc{}}
	data, err := os.ReadFile(filepath.Join(workspace, StateFile))
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, st); err != nil {
		return nil, fmt.Errorf("%s：同步状态文件已损坏（%v）；删除它后重新同步即可", filepath.Join(workspace, StateFile), err)
	}
	if st.Docs == nil {
		st.Docs = map[string]Doc{}
	}
	return st, nil
}

func (st *State) save(workspace string) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return assessment.WriteFileAtomic(filepath.Join(workspace, StateFile), append(data, '\n'))
}

// Options of one sync.
type Options struct {
	Server    string // https://host:port or http://127.0.0.1:port
	Workspace string
	// Key is the consultant's sealing key, which logs in (challenge and signature). Token, when
	// set, is used instead (an API token from `smartdiag server token add`).
	Key   ed25519.PrivateKey
	Token string
	// Pin is the server certificate's SHA-256 fingerprint (as `smartdiag serve` prints it), for a
	// self-signed certificate; it is remembered in the state file.
	Pin         string
	MaxAttempts int           // per document and per run; 0: 6
	Backoff     time.Duration // first retry delay, doubled each time up to 8×; 0: 500 ms
	Client      *http.Client  // nil: one made for Server and Pin
}

// Report is what one sync did.
type Report struct {
	Server      string       `json:"server"`
	Workspace   string       `json:"workspace"`
	Docs        []Doc        `json:"documents"`
	Assignments []Assignment `json:"assignments"`
	Uploaded    int          `json:"uploaded"` // sent in this run
	Pending     int          `json:"pending"`  // still queued (the server could not be reached)
	Rejected    int          `json:"rejected"`
	Offline     bool         `json:"offline"`
	Error       string       `json:"error,omitempty"`
}

type client struct {
	opt   Options
	http  *http.Client
	base  string
	token string
}

// Sync uploads what is new, then reads back review states and assignments. Without a server
// connection the documents stay queued (Report.Offline) and the error says why; the state is
// saved either way.
func Sync(ctx context.Context, opt Options) (*Report, error) {
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 6
	}
	if opt.Backoff <= 0 {
		opt.Backoff = 500 * time.Millisecond
	}
	u, err := url.Parse(strings.TrimRight(opt.Server, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("服务器地址 %q 无效：应为 https://主机:端口", opt.Server)
	}
	st, err := LoadState(opt.Workspace)
	if err != nil {
		return nil, err
	}
	if st.Server != "" && st.Server != u.String() {
		// Another server: its states do not apply here.
		st = &State{Docs: map[string]Doc{}}
	}
	st.Server = u.String()
	if opt.Pin == "" {
		opt.Pin = st.Pin
	}
	st.Pin = normalizePin(opt.Pin)
	c := &client{opt: opt, base: u.String() + "/api/v1", token: opt.Token, http: opt.Client}
	if c.http == nil {
		c.http = newHTTPClient(st.Pin)
	}
	rep := &Report{Server: st.Server, Workspace: opt.Workspace}
	files, err := workspaceFiles(opt.Workspace)
	if err != nil {
		return nil, err
	}
	var netErr error
	for _, f := range files {
		if netErr != nil {
			break
		}
		netErr = c.syncFile(ctx, st, f, rep)
	}
	if netErr == nil {
		netErr = c.refresh(ctx, st)
	}
	if netErr != nil {
		rep.Offline, rep.Error = true, netErr.Error()
	} else {
		st.LastSync = time.Now().UTC().Truncate(time.Second)
	}
	for _, f := range files {
		if d, ok := st.Docs[f.rel]; ok {
			d.Label = Label(d.Status, d.Reason)
			st.Docs[f.rel] = d
			rep.Docs = append(rep.Docs, d)
			switch d.Status {
			case StatusPending:
				rep.Pending++
			case StatusRejected:
				rep.Rejected++
			}
		}
	}
	rep.Assignments = st.Assignments
	if rep.Assignments == nil {
		rep.Assignments = []Assignment{}
	}
	if err := st.save(opt.Workspace); err != nil {
		return rep, err
	}
	if netErr != nil {
		return rep, fmt.Errorf("无法连接服务器 %s（%v）：%d 份诊断留在队列中，下次同步时再上传", st.Server, netErr, rep.Pending)
	}
	return rep, nil
}

type wsFile struct {
	rel, path string
	pdf       bool
}

// workspaceFiles lists the sealed diagnoses and report PDFs at the top of the workspace.
func workspaceFiles(dir string) ([]wsFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("无法读取工作区 %s：%w", dir, err)
	}
	var out []wsFile
	for _, e := range entries {
		name := e.Name()
		ext := strings.ToLower(filepath.Ext(name))
		if strings.HasPrefix(name, ".") || !e.Type().IsRegular() || (ext != assessment.Ext && ext != ".pdf") {
			continue
		}
		out = append(out, wsFile{rel: name, path: filepath.Join(dir, name), pdf: ext == ".pdf"})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
	return out, nil
}

// syncFile uploads one file when it is sealed and not yet on the server in this content. The
// error is for a server that cannot be reached (the run stops and the rest stays queued).
func (c *client) syncFile(ctx context.Context, st *State, f wsFile, rep *Report) error {
	data, err := os.ReadFile(f.path)
	if err != nil {
		return nil // gone or unreadable: the next run sees it again
	}
	if !f.pdf {
		d, err := assessment.Decode(data)
		if err != nil || d.Status != assessment.StatusSealed {
			return nil // drafts and finished documents are not handed in before they are sealed
		}
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	doc, seen := st.Docs[f.rel]
	if seen && doc.SHA256 == hash && doc.Status != StatusPending {
		return nil // this content was sent (or refused) already
	}
	doc = Doc{File: f.rel, SHA256: hash, Status: StatusPending, Attempts: doc.Attempts}
	defer func() { st.Docs[f.rel] = doc }()
	delay := c.opt.Backoff
	for attempt := 1; ; attempt++ {
		doc.Attempts++
		res, status, err := c.upload(ctx, f.rel, data)
		if err == nil {
			doc.ID, doc.LastError = res.ID, ""
			switch {
			case status == http.StatusCreated || status == http.StatusOK:
				doc.Status, doc.Uploaded = stateStatus(res.State), time.Now().UTC().Truncate(time.Second)
				doc.Reason = res.Reason
				if status == http.StatusCreated {
					rep.Uploaded++
				}
				if doc.Status == StatusUploaded || doc.Status == StatusAccepted || doc.Status == StatusReturned {
					doc.Reason = ""
				}
			case status == http.StatusConflict:
				doc.Status, doc.Reason = StatusConflict, res.Reason
			default:
				doc.Status, doc.Reason = StatusRejected, res.Reason
			}
			return nil
		}
		doc.LastError = err.Error()
		var perm errPermanent
		if attempt >= c.opt.MaxAttempts || ctx.Err() != nil || errors.As(err, &perm) {
			return err
		}
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return ctx.Err()
		}
		delay = min(delay*2, 8*c.opt.Backoff)
	}
}

// stateStatus maps a server review state to a document status.
func stateStatus(state string) string {
	switch state {
	case "accepted":
		return StatusAccepted
	case "returned":
		return StatusReturned
	case "conflict":
		return StatusConflict
	}
	return StatusUploaded
}

type uploadResult struct {
	Result, ID, State, Reason, Message string
}

// errRetry is a response worth retrying (the server is down or overloaded).
type errRetry struct{ msg string }

func (e errRetry) Error() string { return e.msg }

// errPermanent is an answer that retrying will not change (a refused login).
type errPermanent struct{ msg string }

func (e errPermanent) Error() string { return e.msg }

func (c *client) upload(ctx context.Context, name string, data []byte) (*uploadResult, int, error) {
	var res uploadResult
	status, err := c.call(ctx, "POST", "/uploads?name="+url.QueryEscape(name), data, &res)
	if err != nil {
		return nil, 0, err
	}
	if res.Reason == "" {
		res.Reason = res.Message
	}
	return &res, status, nil
}

// refresh reads the review states of this provider's documents and its assignments.
func (c *client) refresh(ctx context.Context, st *State) error {
	var subs []struct {
		ID, SHA256, State, Reason string
		FileName                  string `json:"file_name"`
	}
	if _, err := c.call(ctx, "GET", "/submissions", nil, &subs); err != nil {
		return err
	}
	byID := map[string]string{}
	reasons := map[string]string{}
	for _, s := range subs {
		if s.State == "conflict" {
			continue
		}
		byID[s.ID], reasons[s.ID] = s.State, s.Reason
	}
	for k, d := range st.Docs {
		if state, ok := byID[d.ID]; ok && d.Status != StatusPending && d.Status != StatusRejected && d.Status != StatusConflict {
			d.Status = stateStatus(state)
			d.Reason = ""
			if d.Status == StatusReturned {
				d.Reason = reasons[d.ID]
			}
			st.Docs[k] = d
		}
	}
	var as []Assignment
	if _, err := c.call(ctx, "GET", "/assignments", nil, &as); err != nil {
		return err
	}
	st.Assignments = as
	return nil
}

// call makes one API request, logging in first (and again when the session has expired). out
// receives the JSON body of any answer below 500. The error is for a server that did not answer
// usefully: unreachable, 5xx, or a refused login.
func (c *client) call(ctx context.Context, method, path string, body []byte, out any) (int, error) {
	for try := 0; ; try++ {
		if c.token == "" {
			if err := c.login(ctx); err != nil {
				return 0, err
			}
		}
		req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer "+c.token)
		if body != nil {
			req.Header.Set("Content-Type", "application/octet-stream")
		}
		resp, err := c.http.Do(req)
		if err != nil {
			return 0, err
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		if err != nil {
			return 0, err
		}
		if resp.StatusCode == http.StatusUnauthorized && try == 0 && c.opt.Token == "" {
			c.token = "" // the session expired: log in again once
			continue
		}
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
			return 0, errPermanent{fmt.Sprintf("服务器拒绝了登录（%d）：请确认服务商管理员已登记本机的公钥", resp.StatusCode)}
		}
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
			return 0, errRetry{fmt.Sprintf("服务器暂时不可用（%d）", resp.StatusCode)}
		}
		if out != nil && len(data) > 0 {
			if err := json.Unmarshal(data, out); err != nil && resp.StatusCode < 300 {
				return 0, fmt.Errorf("服务器的回答无法读取：%v", err)
			}
		}
		return resp.StatusCode, nil
	}
}

func (c *client) login(ctx context.Context) error {
	if len(c.opt.Key) != ed25519.PrivateKeySize {
		return errors.New("没有签名密钥，无法登录服务器（先用 smartdiag key 创建，并请服务商管理员登记公钥）")
	}
	pub := c.opt.Key.Public().(ed25519.PublicKey)
	in, _ := json.Marshal(map[string]any{"public_key": []byte(pub)})
	var ch struct{ Nonce string }
	if err := c.post(ctx, "/auth/challenge", in, &ch); err != nil {
		return err
	}
	sig := ed25519.Sign(c.opt.Key, ChallengeMessage(ch.Nonce))
	in, _ = json.Marshal(map[string]any{"nonce": ch.Nonce, "signature": sig})
	var s struct{ Token string }
	if err := c.post(ctx, "/auth/key", in, &s); err != nil {
		return err
	}
	c.token = s.Token
	return nil
}

func (c *client) post(ctx context.Context, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, "POST", c.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	switch {
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return errRetry{fmt.Sprintf("服务器暂时不可用（%d）", resp.StatusCode)}
	case resp.StatusCode != http.StatusOK:
		return errPermanent{fmt.Sprintf("服务器拒绝了登录（%d）：请确认服务商管理员已登记本机的公钥（指纹 %s）", resp.StatusCode,
			seal.Fingerprint(c.opt.Key.Public().(ed25519.PublicKey)))}
	}
	return json.Unmarshal(data, out)
}

// ChallengeMessage must match the server's (server.ChallengeMessage); the client does not import
// the server's packages, so the prefix is repeated here and a test checks they agree.
func ChallengeMessage(nonce string) []byte {
	return []byte("smartdiag login challenge v1\n" + nonce)
}

func normalizePin(s string) string {
	return strings.ToUpper(strings.NewReplacer(":", "", " ", "").Replace(strings.TrimSpace(s)))
}

// newHTTPClient trusts the system's roots, or exactly the pinned certificate.
func newHTTPClient(pin string) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if pin != "" {
		tr.TLSClientConfig = &tls.Config{
			InsecureSkipVerify: true, // replaced by the pin check below
			VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
				if len(raw) == 0 {
					return errors.New("服务器没有出示证书")
				}
				sum := sha256.Sum256(raw[0])
				if got := strings.ToUpper(hex.EncodeToString(sum[:])); got != pin {
					return fmt.Errorf("服务器证书指纹不符（可能被冒充）：期望 %s，实际 %s", pin, got)
				}
				return nil
			},
		}
	}
	return &http.Client{Transport: tr, Timeout: 2 * time.Minute}
}

// Fingerprint connects to an https server without trusting it and returns the SHA-256 of its
// certificate, colon-separated as `smartdiag serve` prints it, so the consultant can compare the
// two before the app pins it (trust on first use, confirmed by a person).
func Fingerprint(ctx context.Context, server string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(server))
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("服务器地址 %q 无效：证书指纹只对 https://主机:端口 有意义", server)
	}
	host := u.Host
	if u.Port() == "" {
		host += ":443"
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	d := tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true}} // only to read the certificate; nothing is sent
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return "", fmt.Errorf("无法连接服务器 %s：%w", host, err)
	}
	defer conn.Close()
	certs := conn.(*tls.Conn).ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return "", fmt.Errorf("服务器 %s 没有出示证书", host)
	}
	sum := sha256.Sum256(certs[0].Raw)
	return FormatPin(hex.EncodeToString(sum[:])), nil
}

// FormatPin writes a fingerprint as colon-separated upper-case hex pairs.
func FormatPin(pin string) string {
	h := normalizePin(pin)
	var parts []string
	for i := 0; i+1 < len(h); i += 2 {
		parts = append(parts, h[i:i+2])
	}
	return strings.Join(parts, ":")
}

// CheckPin reports whether s is a SHA-256 fingerprint (64 hex digits, colons and spaces allowed).
func CheckPin(s string) error {
	h := normalizePin(s)
	if _, err := hex.DecodeString(h); err != nil || len(h) != 64 {
		return fmt.Errorf("证书指纹 %q 无效：应为 64 位十六进制数字（可用冒号分隔），即 smartdiag serve 启动时显示的 SHA-256 指纹", s)
	}
	return nil
}
