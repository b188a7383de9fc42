package job

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"versus/sync/gh/ghtest"
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
// requests in flight, GitHub answering 404 for star history (its pages are
// measured by BenchmarkSyncStars230). One run takes about a minute: use
// -benchtime=1x.
func BenchmarkSync1000Latency50ms(b *testing.B) {
	for range b.N {
		b.StopTimer()
		e := newEnv(b, 1000)
		e.gh.Latency = 50 * time.Millisecond
		e.noStarHistory()
		b.StartTimer()
		begin := time.Now()
		if _, err := e.run(); err != nil {
			b.Fatalf("run: %v", err)
		}
		b.ReportMetric(time.Since(begin).Seconds(), "s/sync")
		b.ReportMetric(float64(e.gh.Requests())/1000, "req/repo")
	}
}

// BenchmarkSyncStars230 measures GitHub requests per repository for a
// catalog of 230 repositories with 5–8 years of star history (10–15 pages
// each) and GitHub's 5,000 requests an hour, one run an hour: the cold run,
// the runs until every history is complete, a warm run with no star
// changes, and one with 20% of the repositories' stars changed. Run with
// -benchtime=1x.
func BenchmarkSyncStars230(b *testing.B) {
	const n = 230
	for range b.N {
		e := newEnv(b, n)
		e.gh.Quota = 5000
		run := func(what string) (*Report, float64) {
			e.gh.ResetCounts()
			rep, err := e.run()
			if err != nil {
				b.Fatalf("%s run: %v", what, err)
			}
			e.clock.Advance(time.Hour) // the quota resets
			return rep, float64(e.gh.Requests()) / n
		}
		pages := func(r *Report) float64 { return float64(r.History.Newest+r.History.Older) / n }
		rep, req := run("cold")
		b.ReportMetric(req, "cold-req/repo")
		b.ReportMetric(pages(rep), "cold-history-pages/repo")
		b.ReportMetric(float64(rep.History.ToCome), "cold-pages-to-come")
		b.ReportMetric(float64(rep.Stats.QuotaLeft), "cold-quota-left")
		runs := 1
		for ; rep.History.ToCome > 0 && runs < 10; runs++ {
			rep, _ = run("fill-in")
		}
		b.ReportMetric(float64(runs), "runs-to-complete")
		rep, req = run("warm")
		b.ReportMetric(req, "warm-req/repo")
		b.ReportMetric(pages(rep), "warm-history-pages/repo")
		for i, name := range e.gh.Names() {
			if i%5 == 0 {
				e.gh.Update(name, func(r *ghtest.Repo) { r.Stars += 1 + r.Stars/100 })
			}
		}
		rep, req = run("warm 20% changed")
		b.ReportMetric(req, "warm20-req/repo")
		b.ReportMetric(pages(rep), "warm20-history-pages/repo")
	}
}

// BenchmarkSync10k is issue 15's measure: a cold sync of 10,000
// repositories and a warm one six hours later with a fifth of them changed,
// against a fake GitHub (REST and GraphQL) and a fake HN served by another
// process, so that the figures are the sync's own. It reports REST answers
// counted against the quota and GraphQL points per repository, HN
// requests, wall and CPU time, the CPU of assembling, and the peak RSS of
// the sync's process and of the fakes'. Run with -benchtime=1x.
func BenchmarkSync10k(b *testing.B) {
	const n = 10_000
	for range b.N {
		fakes := startFakes(b, n)
		e := fakes.env()
		fakes.setHits(hntest.Story(1, "Show HN: repo1", "https://github.com/org0/repo1", 50, 10, start.Add(-time.Hour)))
		measure := func(name string) {
			fakes.reset()
			fakes.setClock(e.clock.Now())
			cpu, wall := processCPU(), time.Now()
			rep, err := e.run()
			if err != nil {
				b.Fatalf("%s run: %v", name, err)
			}
			elapsed, used := time.Since(wall), processCPU()-cpu
			c := fakes.counts()
			b.ReportMetric(float64(c.Rest)/n, name+"-rest-req/repo")
			b.ReportMetric(float64(c.Points)/n, name+"-graphql-points/repo")
			b.ReportMetric(float64(c.HN), name+"-hn-req")
			b.ReportMetric(elapsed.Seconds(), name+"-wall-s")
			b.ReportMetric(used.Seconds(), name+"-cpu-s")
			b.ReportMetric(rep.AssembleCPU.Seconds(), name+"-assemble-cpu-s")
		}
		measure("cold")
		e.clock.Advance(6 * time.Hour)
		fakes.change(e.clock.Now().Add(-time.Hour))
		measure("warm")
		reportSnapshotSize(b, e, n)
		rss, err := peakRSS()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(rss)/(1<<20), "sync-peak-rss-MB")
		b.ReportMetric(float64(fakes.counts().PeakRSS)/(1<<20), "fakes-peak-rss-MB")
	}
}

// peakRSS returns the process's peak resident set (VmHWM), in bytes.
func peakRSS() (int64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmHWM in /proc/self/status")
}

// reportSnapshotSize reports the bytes a project of the snapshot e
// published last costs: its index (JSON, and the binary one browsers
// read), raw and gzipped, and all its objects.
func reportSnapshotSize(b *testing.B, e *env, n int) {
	p, _ := e.latest()
	for name, unit := range map[string]string{p.Index: "index", p.IndexBin: "index-bin"} {
		index, err := os.ReadFile(filepath.Join(e.storeDir, filepath.FromSlash(name)))
		if err != nil {
			b.Fatal(err)
		}
		var gz bytes.Buffer
		w := gzip.NewWriter(&gz)
		w.Write(index)
		w.Close()
		b.ReportMetric(float64(len(index))/float64(n), unit+"-B/project")
		b.ReportMetric(float64(gz.Len())/float64(n), unit+"-gzip-B/project")
	}
	var all int64
	err := filepath.WalkDir(filepath.Dir(filepath.Join(e.storeDir, filepath.FromSlash(p.Index))), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			all += info.Size()
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(all)/float64(n), "snapshot-B/project")
}
