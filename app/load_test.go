//go:build !(js && wasm)

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// loadResult is what a load run saw.
type loadResult struct {
	requests  int
	failures  []string
	latencies []time.Duration
	refused   bool   // the invalid snapshot was refused, in the log
	live      string // the snapshot live at the end
}

func (r *loadResult) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	slices.Sort(r.latencies)
	return r.latencies[min(len(r.latencies)-1, int(p*float64(len(r.latencies))))]
}

// loadRun serves the sample with keep-alive clients asking for pages and
// snapshot objects for d, while two new snapshots go live: a valid one at a
// third of d, an invalid one at two thirds.
func loadRun(t testing.TB, web string, clients int, d time.Duration) *loadResult {
	t.Helper()
	data := copyDir(t, "../web/data")
	logs := &syncBuffer{}
	cfg := testConfig(web, data)
	cfg.log = slog.New(slog.NewTextHandler(logs, nil))
	srv, base, _ := serveConfig(t, cfg, "127.0.0.1:0")
	const valid, invalid = "2021-11-26T12-00-00Z", "2021-11-27T12-00-00Z"

	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	transport := &http.Transport{MaxIdleConnsPerHost: clients}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	pages := []string{"/", "/compare/tokio-vs-async-std", "/p/tokio", "/about", "/compare/tokio-vs-async-std-vs-rayon", "/data/latest.json"}

	var mu sync.Mutex
	res := &loadResult{}
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			index := "/data/snapshots/2021-11-25T12-00-00Z/index.bin"
			for i := c; ctx.Err() == nil; i++ {
				p := index
				if i%(len(pages)+1) < len(pages) {
					p = pages[i%(len(pages)+1)]
				}
				start := time.Now()
				body, err := fetchOK(client, base+p)
				elapsed := time.Since(start)
				if p == "/data/latest.json" && err == nil {
					if _, rest, ok := strings.Cut(string(body), `"index_bin":"`); ok {
						index = "/data/" + rest[:strings.IndexByte(rest, '"')]
					}
				}
				mu.Lock()
				res.requests++
				res.latencies = append(res.latencies, elapsed)
				if err != nil {
					res.failures = append(res.failures, fmt.Sprintf("GET %s: %v", p, err))
				}
				mu.Unlock()
			}
		})
	}
	for _, step := range []func(){
		func() { publishCopy(t, data, valid, "13967", "14100") },
		func() { publishBad(t, data, invalid) },
	} {
		select {
		case <-ctx.Done():
		case <-time.After(d / 3):
		}
		step()
		srv.src.Refresh(context.Background()) // the background refresh may come first
	}
	wg.Wait()
	res.refused = strings.Contains(logs.String(), "refused snapshot "+invalid) && strings.Contains(logs.String(), "BAD SLUG")
	if set := srv.src.Cached(); set != nil {
		res.live = set.ID
	}
	return res
}

// fetchOK gets url and reads the whole body; any status but 200 fails.
func fetchOK(c *http.Client, url string) ([]byte, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d: %s", resp.StatusCode, bytes.TrimSpace(b[:min(len(b), 200)]))
	}
	return b, nil
}

// TestLoadWithNewSnapshots: 32 keep-alive clients for 3 s over the pages and
// /data/ while a valid and then an invalid snapshot are published: no
// request fails, the valid one is live at the end, the invalid one refused.
func TestLoadWithNewSnapshots(t *testing.T) {
	res := loadRun(t, testWeb(t), 32, 3*time.Second)
	if len(res.failures) > 0 {
		t.Errorf("%d of %d requests failed, the first: %s", len(res.failures), res.requests, res.failures[0])
	}
	if res.requests == 0 {
		t.Errorf("no request answered")
	}
	if res.live != "2021-11-26T12-00-00Z" {
		t.Errorf("live snapshot at the end: %s, want the valid new one", res.live)
	}
	if !res.refused {
		t.Errorf("the invalid snapshot was not refused in the log")
	}
}

// BenchmarkLoad is TestLoadWithNewSnapshots for 20 s, printing requests,
// latencies and failures.
func BenchmarkLoad(b *testing.B) {
	for range b.N {
		res := loadRun(b, "../web", 32, 20*time.Second)
		row("load: 32 keep-alive clients × 20 s, requests", fmt.Sprint(res.requests))
		row("load: latency p50 (ms)", fmt.Sprintf("%.1f", float64(res.percentile(0.50).Microseconds())/1000))
		row("load: latency p99 (ms)", fmt.Sprintf("%.1f", float64(res.percentile(0.99).Microseconds())/1000))
		row("load: failed requests (2 new snapshots, 1 invalid)", fmt.Sprint(len(res.failures)))
		if res.live != "2021-11-26T12-00-00Z" || !res.refused {
			b.Errorf("live %s, invalid refused %v", res.live, res.refused)
		}
	}
}
