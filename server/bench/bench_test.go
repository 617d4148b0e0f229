// Package bench measures the district server at scale: 100 consultants uploading at once over
// 127.0.0.1, and the district tally over 60,000 diagnoses of 50,000 firms in 10 districts, on
// SQLite and on PostgreSQL. Benchmarks only (make bench); figures in docs/benchmarks.md.
package bench

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"smartdiag/server"
	serverhttp "smartdiag/server/http"
	"smartdiag/server/postgres"
	"smartdiag/server/servertest"
	"smartdiag/server/sqlite"
	"smartdiag/server/sqlstore"
	"smartdiag/tally"
)

var (
	pgOnce sync.Once
	pgDSN  string
	pgStop = func() {}
	pgSeq  atomic.Int64
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgStop()
	os.Exit(code)
}

// engines opens a fresh store per engine; PostgreSQL is left out when it is not installed.
func engines(b *testing.B) map[string]func() server.Store {
	ctx := context.Background()
	out := map[string]func() server.Store{
		"sqlite": func() server.Store {
			st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), sqlite.FileName))
			if err != nil {
				b.Fatal(err)
			}
			return st
		},
	}
	pgOnce.Do(func() {
		var err error
		pgDSN, pgStop, err = servertest.StartPostgres()
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench: PostgreSQL left out:", err)
		}
	})
	if pgDSN != "" {
		out["postgres"] = func() server.Store {
			admin, err := sql.Open("pgx", pgDSN)
			if err != nil {
				b.Fatal(err)
			}
			defer admin.Close()
			name := fmt.Sprintf("smartdiag_bench_%d_%d", os.Getpid(), pgSeq.Add(1))
			if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
				b.Fatal(err)
			}
			st, err := postgres.Open(ctx, servertest.WithDatabase(pgDSN, name))
			if err != nil {
				b.Fatal(err)
			}
			return st
		}
	}
	return out
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkUpload100: 100 concurrent uploaders send UPLOADS sealed diagnoses (2,000 by default),
// each one twice, over 127.0.0.1 to the HTTP API; every diagnosis must be stored exactly once.
// Reports p50 and p99 upload latency. Bounded: at most 2 minutes.
func BenchmarkUpload100(b *testing.B) {
	n := envInt("UPLOADS", 2000)
	t0 := time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)
	docs := make([][]byte, n)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < n; i += 4 {
				docs[i] = servertest.Seal(b, servertest.Doc(b, i%(servertest.RosterFirms/2), t0.Add(time.Duration(i)*time.Minute)), servertest.ConsultantA, servertest.ProviderA)
			}
		})
	}
	wg.Wait()
	for name, open := range engines(b) {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				st := open()
				w := servertest.NewWorld(b, st)
				w.Svc.Uploads = envInt("SLOTS", 0) // uploads verified at once (default: one per CPU)
				log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
				// One API token per uploader, as 100 consultants' apps each have their own session.
				tokens := make([]string, 100)
				for u := range tokens {
					tok, err := w.Svc.AddToken(context.Background(), servertest.ConsultantA)
					if err != nil {
						b.Fatal(err)
					}
					tokens[u] = "Bearer " + tok
				}
				ts := httptest.NewServer(serverhttp.New(w.Svc, log).Handler()) // listens on 127.0.0.1 only
				jobs := make(chan int)
				lat := make([][]time.Duration, 100)
				retryLat := make([][]time.Duration, 100) // answered 200: already stored
				byJob := make([]time.Duration, 2*n)      // latency by the order requests were sent
				var failed atomic.Int64
				var wg sync.WaitGroup
				pg := postmasterOf(st)
				start, cpu0, pgCPU0 := time.Now(), cpuTime(), clusterCPU(pg)
				addr := strings.TrimPrefix(ts.URL, "http://")
				for u := range 100 {
					wg.Go(func() {
						c := &sender{addr: addr, auth: tokens[u], deadline: start.Add(2 * time.Minute)}
						defer c.close()
						for i := range jobs {
							t := time.Now()
							status, err := c.upload(docs[i%n])
							if err != nil {
								if failed.Add(1) == 1 {
									b.Logf("first failure: %v", err)
								}
								continue
							}
							lat[u] = append(lat[u], time.Since(t))
							byJob[i] = time.Since(t)
							if status == http.StatusOK {
								retryLat[u] = append(retryLat[u], time.Since(t))
							}
							if status != http.StatusCreated && status != http.StatusOK {
								if failed.Add(1) == 1 {
									b.Logf("first failure: %d", status)
								}
							}
						}
					})
				}
				for i := range 2 * n {
					jobs <- i
				}
				close(jobs)
				wg.Wait()
				took, cpu, pgCPU := time.Since(start), cpuTime()-cpu0, clusterCPU(pg)-pgCPU0
				ts.Close()
				all := slices.Concat(lat...)
				slices.Sort(all)
				subs, err := st.Submissions(context.Background(), server.SubmissionFilter{})
				if err != nil {
					b.Fatal(err)
				}
				ids := map[string]bool{}
				for _, s := range subs {
					ids[s.ID] = true
				}
				if failed.Load() > 0 || len(subs) != n || len(ids) != n {
					b.Fatalf("%d failed; %d stored (%d ids), want %d", failed.Load(), len(subs), len(ids), n)
				}
				// The first half of the requests are new uploads, the second half retries: the
				// slowest request of each tenth, in the order sent, shows the phases and any warm-up.
				var tenths []string
				for k := range 10 {
					tenths = append(tenths, fmt.Sprint(slices.Max(byJob[k*len(byJob)/10:(k+1)*len(byJob)/10]).Milliseconds()))
				}
				b.Logf("slowest request (ms) of each tenth, in the order sent: %s", strings.Join(tenths, " "))
				var sum time.Duration
				for _, d := range all {
					sum += d
				}
				b.ReportMetric(float64(sum.Microseconds())/1000/float64(len(all)), "mean-ms")
				b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
				b.ReportMetric(float64(all[len(all)-1].Microseconds())/1000, "max-ms")
				if retries := slices.Concat(retryLat...); len(retries) > 0 {
					slices.Sort(retries)
					b.ReportMetric(float64(retries[len(retries)*99/100].Microseconds())/1000, "p99-retry-ms")
				}
				b.ReportMetric(float64(len(all))/took.Seconds(), "uploads/s")
				// CPU of the whole process (server and the 100 clients) per request: what a busy
				// machine does not distort, unlike the latencies.
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(all)), "cpu-ms/upload")
				if pg != 0 {
					// PostgreSQL's own processes, which share the two cores.
					b.ReportMetric(float64(pgCPU.Microseconds())/1000/float64(len(all)), "pg-cpu-ms/upload")
				}
				b.ReportMetric(loadAverage(), "load-avg")
				if s, ok := st.(*sqlstore.Store); ok {
					// Connections the pool opened (open now and closed since): on PostgreSQL each
					// is a new backend process.
					ds := s.DB.Stats()
					b.ReportMetric(float64(int64(ds.OpenConnections)+ds.MaxIdleClosed+ds.MaxIdleTimeClosed+ds.MaxLifetimeClosed), "conns")
				}
				st.Close()
			}
		})
	}
}

// sender is one consultant's connection: a real HTTP/1.1 request over 127.0.0.1 for each upload,
// kept alive as a browser or net/http would, but written from bytes made once (headers
// and the body as they are) and read with net/http's own response parser, so that the 100
// senders, which share the server's two cores, spend little CPU of their own. The connection
// is opened again if the server closed it.
type sender struct {
	addr, auth string
	deadline   time.Time
	conn       net.Conn
	r          *bufio.Reader
	head       []byte
}

func (c *sender) upload(doc []byte) (int, error) {
	if c.conn == nil {
		conn, err := net.Dial("tcp", c.addr)
		if err != nil {
			return 0, err
		}
		conn.SetDeadline(c.deadline) // the benchmark's bound
		c.conn, c.r = conn, bufio.NewReader(conn)
	}
	c.head = fmt.Appendf(c.head[:0], "POST /api/v1/uploads?name=d.sdiag HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n", c.addr, c.auth, len(doc))
	bufs := net.Buffers{c.head, doc}
	if _, err := bufs.WriteTo(c.conn); err != nil {
		c.close()
		return 0, err
	}
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		c.close()
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || resp.Close {
		c.close()
	}
	return resp.StatusCode, err
}

func (c *sender) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// BenchmarkDistrictTally: 10 districts with 5,000-firm rosters and 6,000 stored diagnoses each
// (60,000 diagnoses of 50,000 firms); one district's tally, as GET /api/v1/tally makes it.
// DIAGNOSES scales the whole fixture down for a quick run.
func BenchmarkDistrictTally(b *testing.B) {
	total := envInt("DIAGNOSES", 60000)
	const districts = 10
	perDistrict := total / districts
	firms := perDistrict * 5 / 6
	ctx := context.Background()
	// Facts of a few real diagnoses, reused with other ids and firms: the tally reads stored facts.
	t0 := time.Date(2026, 3, 1, 1, 0, 0, 0, time.UTC)
	var templates []*server.Diagnosis
	for i := range 6 {
		sealed := servertest.Seal(b, servertest.Doc(b, i, t0), "bench", "服务商")
		_, d, rej := serverCheck(sealed)
		if rej != nil {
			b.Fatal(rej.Reason)
		}
		templates = append(templates, d)
	}
	for name, open := range engines(b) {
		b.Run(name, func(b *testing.B) {
			st := open()
			defer st.Close()
			svc := server.NewService(st)
			fill := time.Now()
			if _, err := svc.AddOrg(ctx, server.KindProvider, "服务商", "", nil); err != nil {
				b.Fatal(err)
			}
			prov, _ := st.OrgByName(ctx, "服务商")
			if _, err := svc.AddUser(ctx, "服务商", "bench", "consultant", nil, "password123"); err != nil {
				b.Fatal(err)
			}
			up, _ := st.UserByName(ctx, "bench")
			var first *server.Org
			for d := range districts {
				name := fmt.Sprintf("测试%02d区", d)
				o, err := svc.AddOrg(ctx, server.KindDistrict, name, "", nil)
				if err != nil {
					b.Fatal(err)
				}
				if d == 0 {
					first = o
				}
				if _, err := svc.SetupRoster(ctx, name, "名册.csv", servertest.Roster(firms)); err != nil {
					b.Fatal(err)
				}
				jobs := make(chan int)
				var wg sync.WaitGroup
				for range 8 {
					wg.Go(func() {
						for i := range jobs {
							f := *templates[i%len(templates)]
							f.ID = fmt.Sprintf("%08d-0000-7000-8000-%012d", d, i)
							f.SHA256 = fmt.Sprintf("%064d", d*1000000+i)
							firm := i % firms
							f.CreditCode, f.Name = servertest.Code(firm), servertest.FirmName(firm)
							f.Finished = t0.Add(time.Duration(i) * 10 * time.Minute)
							sub := &server.Submission{ID: f.ID, SHA256: f.SHA256, District: o.ID, Provider: prov.ID, Uploader: up.ID,
								FileName: f.ID + ".sdiag", CreditCode: f.CreditCode, Name: f.Name, State: server.StateAccepted,
								Facts: &f, Original: []byte("{}"), Document: []byte("{}"), Created: f.Finished, Updated: f.Finished}
							if _, _, err := st.AddSubmission(ctx, sub, server.AuditEntry{Action: "bench"}); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				for i := range perDistrict {
					jobs <- i
				}
				close(jobs)
				wg.Wait()
			}
			b.Logf("%s: filled %d diagnoses of %d firms in %d districts in %v", name, perDistrict*districts, firms*districts, districts, time.Since(fill).Round(time.Second))
			officer, err := svc.AddUser(ctx, first.Name, "officer", "officer", nil, "password123")
			if err != nil {
				b.Fatal(err)
			}
			tok, _ := svc.AddToken(ctx, officer.Name)
			p, _ := svc.Authenticate(ctx, tok)
			b.ResetTimer()
			cpu0 := cpuTime()
			for range b.N {
				res, err := svc.Tally(ctx, p, first.ID)
				if err != nil {
					b.Fatal(err)
				}
				if res.Diagnoses.Counted != firms || res.Roster.Valid != firms {
					b.Fatalf("counted %d of %d firms", res.Diagnoses.Counted, firms)
				}
			}
			// This process's CPU per tally (PostgreSQL's own processes are not in it).
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/tally")
			b.ReportMetric(loadAverage(), "load-avg")
		})
	}
}

// trustAll trusts every key as the benchmark's provider.
type trustAll struct{}

func (trustAll) Trusted(ed25519.PublicKey) (string, bool) { return "服务商", true }

func serverCheck(sealed []byte) ([]byte, *server.Diagnosis, *server.Rejected) {
	return tally.CheckUpload("bench.sdiag", sealed, trustAll{})
}

// postmasterOf is the process id of the PostgreSQL server behind st when it runs on this
// machine (the parent of the connection's backend), or 0 (SQLite, or not found).
func postmasterOf(st server.Store) int {
	s, ok := st.(*sqlstore.Store)
	if !ok {
		return 0
	}
	var backend int
	if err := s.DB.QueryRow(`SELECT pg_backend_pid()`).Scan(&backend); err != nil {
		return 0
	}
	if f := procStat(backend); len(f) > 1 {
		ppid, _ := strconv.Atoi(f[1])
		return ppid
	}
	return 0
}

// clusterCPU is the CPU time used so far by the postmaster pid and its live children (the
// connections' backends and the background writers), from /proc; 0 without pid or /proc.
func clusterCPU(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	dirs, _ := os.ReadDir("/proc")
	var ticks int64
	for _, d := range dirs {
		p, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		f := procStat(p)
		if len(f) < 13 || (p != pid && f[1] != strconv.Itoa(pid)) {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += u + s
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ is 100 on Linux
}

// procStat is /proc/PID/stat after the command name: state, ppid, … (fields 3 onwards).
func procStat(pid int) []string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil
	}
	if i := bytes.LastIndexByte(b, ')'); i >= 0 {
		return strings.Fields(string(b[i+1:]))
	}
	return nil
}

// loadAverage is the machine's one-minute load average (0 where /proc/loadavg is missing), to be
// written down with the latencies.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	return f
}
