package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"smartdiag/questionnaires"
	"smartdiag/regfile"
	"smartdiag/roster"
	"smartdiag/seal"
	"smartdiag/server"
	serverhttp "smartdiag/server/http"
	"smartdiag/server/postgres"
	"smartdiag/server/sqlite"
	"smartdiag/server/web"
)

const serveUsage = "--data DIR [--db postgres://…] [--addr HOST:PORT] [--tls-cert FILE --tls-key FILE]"

// openStore opens the server's store: PostgreSQL when db is a postgres:// URL, else the SQLite
// file in the data folder.
func openStore(ctx context.Context, data, db string) (server.Store, error) {
	switch {
	case strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://"):
		return postgres.Open(ctx, db)
	case db != "":
		return nil, fmt.Errorf("--db %s：只支持 postgres:// 地址；不给 --db 则用 --data 文件夹中的 SQLite 文件", db)
	case data == "":
		return nil, errors.New("需要 --data 文件夹（数据库和证书存放在这里）")
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return nil, fmt.Errorf("无法创建数据文件夹 %s：%v", data, err)
	}
	return sqlite.Open(ctx, filepath.Join(data, sqlite.FileName))
}

func cmdServe(c *ctx, args []string) int {
	fs := c.newFlags("serve", serveUsage)
	data := fs.String("data", "", "数据文件夹（SQLite 数据库、TLS 证书）")
	db := fs.String("db", "", "PostgreSQL 地址 postgres://用户@主机/库；不给则用 SQLite")
	addr := fs.String("addr", "127.0.0.1:8443", "监听地址；非本机地址（如 0.0.0.0:8443）必须用 TLS")
	certFile := fs.String("tls-cert", "", "TLS 证书文件（PEM）；不给则在数据文件夹中生成自签名证书")
	keyFile := fs.String("tls-key", "", "TLS 私钥文件（PEM）")
	pos, ok := parse(fs, args)
	if !ok || len(pos) > 0 {
		fs.Usage()
		return ExitUsage
	}
	if (*certFile == "") != (*keyFile == "") {
		c.errorf("--tls-cert 和 --tls-key 要一起给")
		return ExitUsage
	}
	if *data == "" && (*db == "" || (*certFile == "" && !serverhttp.IsLoopback(*addr))) {
		c.errorf("需要 --data 文件夹（SQLite 数据库和自签名证书存放在这里）")
		return ExitUsage
	}
	log := slog.New(slog.NewJSONHandler(c.stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := openStore(ctx, *data, *db)
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	defer st.Close()

	srv := serverhttp.New(server.NewService(st), log)
	if _, err := web.Mount(srv); err != nil {
		c.errorf("网页控制台：%v", err)
		return ExitInput
	}
	hs := &http.Server{Addr: *addr, Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	useTLS := *certFile != "" || !serverhttp.IsLoopback(*addr)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		c.errorf("无法监听 %s：%v", *addr, err)
		return ExitInput
	}
	scheme := "http"
	if useTLS {
		var cert tls.Certificate
		if *certFile != "" {
			cert, err = tls.LoadX509KeyPair(*certFile, *keyFile)
		} else {
			host, _, _ := net.SplitHostPort(*addr)
			var made bool
			cert, made, err = serverhttp.SelfSigned(*data, []string{host})
			if made {
				fmt.Fprintf(c.stdout, "已生成自签名证书：%s\n", filepath.Join(*data, serverhttp.CertFile))
			}
		}
		if err != nil {
			ln.Close()
			c.errorf("TLS 证书：%v", err)
			return ExitInput
		}
		fmt.Fprintf(c.stdout, "证书指纹（SHA-256，客户端用 --pin 核对）：%s\n", serverhttp.CertFingerprint(cert))
		hs.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		srv.SecureCookies = true
		ln = tls.NewListener(ln, hs.TLSConfig)
		scheme = "https"
	}
	engine := "SQLite " + filepath.Join(*data, sqlite.FileName)
	if *db != "" {
		engine = "PostgreSQL"
	}
	fmt.Fprintf(c.stdout, "smartdiag 区级服务器已启动：%s://%s （%s）\n", scheme, ln.Addr(), engine)
	log.Info("serving", slog.String("addr", ln.Addr().String()), slog.Bool("tls", useTLS), slog.String("store", engine))
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		c.errorf("%v", err)
		return ExitInput
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	hs.Shutdown(shutdown)
	log.Info("stopped")
	return ExitOK
}

const serverUsage = `org add|user add|roster|token add|package add|package list --data DIR [--db URL] …
  smartdiag server org add --data DIR --kind district|provider|city --name NAME [--city CITY] [--profile FILE]
  smartdiag server user add --data DIR --org NAME --name USER --role officer|provider_admin|consultant|city_viewer [--key PUBFILE] [--password-stdin]
  smartdiag server roster --data DIR --org DISTRICT FILE
  smartdiag server token add --data DIR --user USER
  smartdiag server package add --data DIR --org DISTRICT --provider NAME --period START..END [--name NAME] FILE|--firms CODE,CODE…
  smartdiag server package list --data DIR [--org DISTRICT] [--json]
  smartdiag server backup --data DIR --out FILE   （SQLite 在线备份；PostgreSQL 用 pg_dump）`

// cmdServer runs the setup commands on the server machine, against the same store as serve.
func cmdServer(c *ctx, args []string) int {
	usage := func() int {
		fmt.Fprintln(c.stderr, "用法：smartdiag server "+serverUsage)
		return ExitUsage
	}
	if len(args) == 0 {
		return usage()
	}
	verb, rest := args[0], args[1:]
	if (verb == "org" || verb == "user" || verb == "token" || verb == "package") && len(rest) > 0 && rest[0] == "add" {
		verb, rest = verb+" add", rest[1:]
	}
	if verb == "package" && len(rest) > 0 && rest[0] == "list" {
		verb, rest = "package list", rest[1:]
	}
	fs := c.newFlags("server "+verb, "--data DIR [--db URL] …")
	data := fs.String("data", "", "服务器的数据文件夹（同 serve）")
	db := fs.String("db", "", "PostgreSQL 地址（同 serve）")
	var kind, name, city, profile, org, role, key, user, out *string
	var pwStdin *bool
	var pkg packageFlags
	switch verb {
	case "org add":
		kind = fs.String("kind", "", "district（区工信局）、provider（服务商）或 city（市）")
		name = fs.String("name", "", "机构名称")
		city = fs.String("city", "", "区所属的市（先创建市）")
		profile = fs.String("profile", "", "区县画像 YAML（同 tally --profile）")
	case "user add":
		org = fs.String("org", "", "所属机构名称")
		name = fs.String("name", "", "用户名（登录名）")
		role = fs.String("role", "", "officer、provider_admin、consultant 或 city_viewer")
		key = fs.String("key", "", "顾问的公钥文件（smartdiag key --out 生成）")
		pwStdin = fs.Bool("password-stdin", false, "从标准输入读一行作为密码")
	case "roster":
		org = fs.String("org", "", "区的名称")
	case "token add":
		user = fs.String("user", "", "用户名")
	case "backup":
		out = fs.String("out", "", "备份文件（不能已存在）")
	case "package add", "package list":
		pkg.define(fs, verb)
	default:
		c.errorf("未知的 server 子命令 %q", strings.Join(args[:min(2, len(args))], " "))
		return usage()
	}
	pos, ok := parse(fs, rest)
	if !ok {
		return ExitUsage
	}
	switch {
	case verb == "roster" && len(pos) != 1, verb == "package add" && len(pos) > 1,
		verb != "roster" && verb != "package add" && len(pos) > 0:
		return usage()
	}
	ctx := context.Background()
	if verb == "backup" {
		return c.backup(ctx, *data, *db, *out)
	}
	st, err := openStore(ctx, *data, *db)
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	defer st.Close()
	svc := server.NewService(st)
	fail := func(err error) int {
		c.errorf("%v", err)
		return ExitInput
	}
	switch verb {
	case "org add":
		k, err := server.ParseKind(*kind)
		if err != nil {
			return fail(err)
		}
		var prof []byte
		if *profile != "" {
			if prof, err = regfile.ReadFile(*profile, questionnaires.MaxDistrictSize); err != nil {
				return fail(fmt.Errorf("%s：%v", *profile, regfile.WithoutPath(err)))
			}
		}
		o, err := svc.AddOrg(ctx, k, *name, *city, prof)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(c.stdout, "已创建机构「%s」（%s）\n", o.Name, o.Kind)
	case "user add":
		var keyData []byte
		if *key != "" {
			if keyData, err = regfile.ReadFile(*key, seal.MaxKeyFileSize); err != nil {
				return fail(fmt.Errorf("%s：%v", *key, regfile.WithoutPath(err)))
			}
		}
		pw := ""
		if *pwStdin {
			line, err := readLine(os.Stdin)
			if err != nil {
				return fail(fmt.Errorf("无法从标准输入读密码：%v", err))
			}
			pw = line
		}
		u, err := svc.AddUser(ctx, *org, *name, *role, keyData, pw)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(c.stdout, "已创建用户「%s」（%s @ %s）", u.Name, u.Role, *org)
		if u.Fingerprint != "" {
			fmt.Fprintf(c.stdout, "，公钥指纹 %s", u.Fingerprint)
		}
		fmt.Fprintln(c.stdout)
	case "roster":
		file := pos[0]
		b, err := regfile.ReadFile(file, roster.MaxFileSize)
		if err != nil {
			return fail(fmt.Errorf("%s：%v", file, regfile.WithoutPath(err)))
		}
		r, err := svc.SetupRoster(ctx, *org, filepath.Base(file), b)
		if err != nil {
			return fail(err)
		}
		printRosterReport(c.stdout, r)
	case "package add":
		return c.packageAdd(ctx, svc, &pkg, pos)
	case "package list":
		return c.packageList(ctx, svc, &pkg)
	case "token add":
		tok, err := svc.AddToken(ctx, *user)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintln(c.stderr, "API 令牌只显示这一次，请妥善保存（调用接口时发送 Authorization: Bearer 令牌）：")
		fmt.Fprintln(c.stdout, tok)
	}
	return ExitOK
}

// backup copies the live SQLite database (the server may keep running) to out.
func (c *ctx) backup(ctx context.Context, data, db, out string) int {
	if db != "" {
		c.errorf("PostgreSQL 请用 pg_dump 备份（见 docs/server.md）")
		return ExitUsage
	}
	if data == "" || out == "" {
		c.errorf("需要 --data 和 --out")
		return ExitUsage
	}
	if _, err := os.Stat(out); err == nil {
		c.errorf("%s 已存在，不覆盖", out)
		return ExitInput
	}
	st, err := sqlite.Open(ctx, filepath.Join(data, sqlite.FileName))
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	defer st.Close()
	if err := sqlite.Backup(ctx, st, out); err != nil {
		c.errorf("备份失败：%v", err)
		return ExitInput
	}
	fmt.Fprintf(c.stdout, "已备份到 %s\n", out)
	return ExitOK
}

// readLine reads one line (a password piped in), without its line ending.
func readLine(r io.Reader) (string, error) {
	var b []byte
	buf := make([]byte, 1)
	for len(b) < 4096 {
		n, err := r.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				break
			}
			b = append(b, buf[0])
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return strings.TrimRight(string(b), "\r"), nil
}

// printRosterReport is the roster's report as `smartdiag tally --roster` prints it.
func printRosterReport(w io.Writer, r *server.Roster) {
	fmt.Fprintf(w, "名册：%s，%d 行：有效 %d，无效 %d，重复 %d\n", filepath.Base(r.File), r.Rows, r.Valid(), len(r.Invalid), len(r.Duplicates))
	for _, p := range r.Invalid {
		fmt.Fprintf(w, "  第 %d 行无效：%s\n", p.Row, p.Reason)
	}
	for _, p := range r.Duplicates {
		fmt.Fprintf(w, "  第 %d 行重复：信用代码 %s 与第 %d 行相同\n", p.Row, p.CreditCode, p.FirstRow)
	}
	for _, p := range r.Warnings {
		fmt.Fprintf(w, "  第 %d 行提示：%s\n", p.Row, p.Reason)
	}
}
