// Package bench measures the district server at scale: 100 consultants uploading at once over
// 127.0.0.1, and the district tally over 60,000 diagnoses of 50,000 firms in 10 districts, on
// SQLite and on PostgreSQL. Benchmarks only (make bench); figures in docs/benchmarks.md.
package bench

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
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
				log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
				ts := httptest.NewServer(serverhttp.New(w.Svc, log).Handler()) // listens on 127.0.0.1 only
				tr := &http.Transport{MaxIdleConnsPerHost: 100}
				client := &http.Client{Transport: tr, Timeout: time.Minute}
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				jobs := make(chan int)
				lat := make([][]time.Duration, 100)
				var failed atomic.Int64
				var wg sync.WaitGroup
				start, cpu0 := time.Now(), cpuTime()
				for u := range 100 {
					wg.Go(func() {
						for i := range jobs {
							req, _ := http.NewRequestWithContext(ctx, "POST", ts.URL+"/api/v1/uploads?name=d.sdiag", bytes.NewReader(docs[i%n]))
							req.Header.Set("Authorization", "Bearer "+w.Tokens[servertest.ConsultantA])
							t := time.Now()
							resp, err := client.Do(req)
							if err != nil {
								if failed.Add(1) == 1 {
									b.Logf("first failure: %v", err)
								}
								continue
							}
							io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
							lat[u] = append(lat[u], time.Since(t))
							if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
								if failed.Add(1) == 1 {
									b.Logf("first failure: %d", resp.StatusCode)
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
				took, cpu := time.Since(start), cpuTime()-cpu0
				cancel()
				ts.Close()
				tr.CloseIdleConnections()
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
				b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
				b.ReportMetric(float64(len(all))/took.Seconds(), "uploads/s")
				// CPU of the whole process (server and the 100 clients) per request: what a busy
				// machine does not distort, unlike the latencies.
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(all)), "cpu-ms/upload")
				b.ReportMetric(loadAverage(), "load-avg")
				st.Close()
			}
		})
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
