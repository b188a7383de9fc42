package job

import (
	"testing"
	"time"
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
