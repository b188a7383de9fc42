package job

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"versus/sync/hn/hntest"
)

// BenchmarkSync1000 measures GitHub requests per repository against a fake
// GitHub of 1,000 repositories: a cold run (empty store) and an immediate
// warm re-run (every answer a 304). Run with -benchtime=1x.
func BenchmarkSync1000(b *testing.B) {
	for range b.N {
		e := newEnv(b, 1000)
		if _, err := e.run(); err != nil {
			b.Fatalf("cold run: %v", err)
		}
		cold, coldQuota := e.gh.Requests(), e.gh.QuotaCounted()
		e.gh.ResetCounts()
		e.clock.Advance(time.Minute)
		if _, err := e.run(); err != nil {
			b.Fatalf("warm run: %v", err)
		}
		b.ReportMetric(float64(cold)/1000, "cold-req/repo")
		b.ReportMetric(float64(coldQuota)/1000, "cold-quota-req/repo")
		b.ReportMetric(float64(e.gh.Requests())/1000, "warm-req/repo")
		b.ReportMetric(float64(e.gh.QuotaCounted())/1000, "warm-quota-req/repo")
	}
}

// BenchmarkSync1000Latency50ms measures the time of a cold sync of 1,000
// repositories when GitHub takes 50 ms per answer, with the default 4
// requests in flight. One run takes about a minute: use -benchtime=1x.
func BenchmarkSync1000Latency50ms(b *testing.B) {
	for range b.N {
		b.StopTimer()
		e := newEnv(b, 1000)
		e.gh.Latency = 50 * time.Millisecond
		b.StartTimer()
		begin := time.Now()
		if _, err := e.run(); err != nil {
			b.Fatalf("run: %v", err)
		}
		b.ReportMetric(time.Since(begin).Seconds(), "s/sync")
		b.ReportMetric(float64(e.gh.Requests())/1000, "req/repo")
	}
}

// BenchmarkSync10k is issue 15's measure: a cold sync of 10,000
// repositories and a warm one six hours later with a fifth of them changed,
// against a fake GitHub (REST and GraphQL) and a fake HN. It reports REST
// answers counted against the quota and GraphQL points per repository, HN
// requests, wall and CPU time, the CPU of assembling, and the process's
// peak RSS. Run with -benchtime=1x.
func BenchmarkSync10k(b *testing.B) {
	const n = 10_000
	for range b.N {
		e := newEnv(b, n)
		e.hn.Hits = []hntest.Hit{hntest.Story(1, "Show HN: repo1", "https://github.com/org0/repo1", 50, 10, start.Add(-time.Hour))}
		measure := func(name string) {
			e.resetCounts()
			cpu, wall := processCPU(), time.Now()
			rep, err := e.run()
			if err != nil {
				b.Fatalf("%s run: %v", name, err)
			}
			c := e.counts()
			b.ReportMetric(float64(c.rest)/n, name+"-rest-req/repo")
			b.ReportMetric(float64(c.points)/n, name+"-graphql-points/repo")
			b.ReportMetric(float64(c.hn), name+"-hn-req")
			b.ReportMetric(time.Since(wall).Seconds(), name+"-wall-s")
			b.ReportMetric((processCPU() - cpu).Seconds(), name+"-cpu-s")
			b.ReportMetric(rep.AssembleCPU.Seconds(), name+"-assemble-cpu-s")
		}
		measure("cold")
		e.clock.Advance(6 * time.Hour)
		e.change(e.clock.Now().Add(-time.Hour))
		measure("warm")
		b.ReportMetric(float64(peakRSS(b))/(1<<20), "peak-rss-MB")
	}
}

// peakRSS returns the process's peak resident set (VmHWM), in bytes.
func peakRSS(b *testing.B) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatal("no VmHWM in /proc/self/status")
	return 0
}
