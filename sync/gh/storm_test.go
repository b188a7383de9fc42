package gh_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"versus/sync/gh"
	"versus/sync/gh/ghtest"
)

// storm answers with primary and secondary limits, 429s and 500s, spread
// over the run.
var storm = ghtest.Storm(
	ghtest.Every{N: 211, Fault: ghtest.Fault{Kind: ghtest.Primary, Wait: 20 * time.Minute}},
	ghtest.Every{N: 97, Fault: ghtest.Fault{Kind: ghtest.Secondary}},
	ghtest.Every{N: 89, Fault: ghtest.Fault{Kind: ghtest.Secondary, Wait: 45 * time.Second}},
	ghtest.Every{N: 61, Fault: ghtest.Fault{Kind: ghtest.TooMany, Wait: 7 * time.Second}},
	ghtest.Every{N: 67, Fault: ghtest.Fault{Kind: ghtest.TooMany}},
	ghtest.Every{N: 31, Fault: ghtest.Fault{Kind: ghtest.ServerError}},
	ghtest.Every{N: 43, Suffix: "/stats/commit_activity", Fault: ghtest.Fault{Kind: ghtest.Accepted}},
)

func TestRateLimitStorm(t *testing.T) {
	const repos = 300
	srv, c, clock := setup(t, repos, gh.Options{Concurrency: 4, MaxWait: time.Hour})
	srv.Inject = storm
	srv.Quota = 600 // the primary quota also runs out, twice
	for i := 0; i < repos; i += 10 {
		srv.Accept(srv.Names()[i], 1)
	}
	ctx := context.Background()
	names := srv.Names()
	results := make([]*gh.Repo, len(names))
	errs := make([]error, len(names))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 8 { // more workers than slots: the gate caps requests
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i], errs[i] = c.Fetch(ctx, names[i])
			}
		}()
	}
	for i := range names {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Fetch(%s): %v", names[i], err)
		}
	}
	// Pending activity is asked again until it comes, as the sync does.
	for round := 0; round < 5; round++ {
		for i, r := range results {
			if !r.Pending {
				continue
			}
			w, ready, err := c.Activity(ctx, names[i])
			if err != nil {
				t.Fatalf("Activity(%s): %v", names[i], err)
			}
			r.Commits, r.Pending = w, !ready
		}
	}
	for i, r := range results {
		if r.Pending || r.Commits == nil || r.Contributors == nil {
			t.Errorf("%s: not fully collected: pending %v, commits %v, contributors %v", names[i], r.Pending, r.Commits != nil, r.Contributors)
		}
	}
	if v := srv.Violations(); v != 0 {
		t.Errorf("%d requests were sent while a known limit was in force", v)
	}
	st := c.Stats()
	if st.Waits < 10 || clock.Slept() < time.Hour {
		t.Errorf("the storm was mild: %d waits, slept %v", st.Waits, clock.Slept())
	}
	t.Logf("requests %d, retries %d, waits %d, waited %v, slept %v", st.Requests, st.Retries, st.Waits, st.Waited, clock.Slept())
}
