package gh_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"versus/sync/gh"
	"versus/sync/gh/ghtest"
)

// hangOn answers every request under prefix with kind (a hang), closing
// arrived when the first one reaches the server; other requests get what
// next says.
func hangOn(prefix string, kind ghtest.Kind, arrived chan<- struct{}, next func(int64, *http.Request) ghtest.Fault) func(int64, *http.Request) ghtest.Fault {
	var once sync.Once
	return func(n int64, r *http.Request) ghtest.Fault {
		if r.URL.Path == prefix || strings.HasPrefix(r.URL.Path, prefix+"/") {
			if arrived != nil {
				once.Do(func() { close(arrived) })
			}
			return ghtest.Fault{Kind: kind}
		}
		if next != nil {
			return next(n, r)
		}
		return ghtest.Fault{}
	}
}

// TestHungRepository checks that a repository whose requests never answer,
// or stop answering half way, costs its own timeouts and nothing else: the
// others are fetched, it fails with a timeout that names it.
func TestHungRepository(t *testing.T) {
	for _, tc := range []struct {
		name string
		kind ghtest.Kind
	}{
		{"no answer", ghtest.Hang},
		{"answer stops half way", ghtest.Stall},
	} {
		t.Run(tc.name, func(t *testing.T) { testHungRepository(t, tc.kind) })
	}
}

func testHungRepository(t *testing.T, kind ghtest.Kind) {
	const timeout = 250 * time.Millisecond
	srv, c, clock := setup(t, 8, gh.Options{Concurrency: 4, Timeout: timeout})
	srv.Inject = hangOn("/repos/org0/repo3", kind, nil, nil)
	names := srv.Names()
	errs := make([]error, len(names))
	repos := make([]*gh.Repo, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() { repos[i], errs[i] = c.Fetch(context.Background(), name) })
	}
	wg.Wait()
	for i, name := range names {
		if name == "org0/repo3" {
			if !errors.Is(errs[i], gh.ErrTimeout) || !strings.Contains(errs[i].Error(), "fetch org0/repo3: metadata") ||
				!strings.Contains(errs[i].Error(), "no answer in time (250ms), 4 attempts") {
				t.Errorf("Fetch(%s) = %v, want ErrTimeout naming the repository", name, errs[i])
			}
			continue
		}
		if errs[i] != nil || repos[i].Stars == nil {
			t.Errorf("Fetch(%s) = %v, %v; want the repository", name, repos[i], errs[i])
		}
	}
	// One attempt and three retries, then the client gives up on it.
	if got := srv.PathCount("/repos/org0/repo3"); got != 4 {
		t.Errorf("hung metadata asked %d times, want 4", got)
	}
	if got := srv.PathCount("/repos/org0/repo3/commits"); got != 0 {
		t.Errorf("commits of the failed repository asked %d times, want 0", got)
	}
	if got, want := clock.Slept(), 7*time.Second; got != want {
		t.Errorf("retry back-off slept %v, want %v (1s + 2s + 4s)", got, want)
	}
}

// TestGateNotHeldAcrossIO checks that a request in flight blocks neither
// the other workers at the gate nor the closing of the gate for a limit.
func TestGateNotHeldAcrossIO(t *testing.T) {
	srv, c, clock := setup(t, 3, gh.Options{Concurrency: 2, Timeout: time.Hour})
	arrived := make(chan struct{})
	srv.Inject = hangOn("/repos/org0/repo0", ghtest.Hang, arrived,
		faultOnce("/repos/org0/repo1/releases", ghtest.Fault{Kind: ghtest.Secondary, Wait: 30 * time.Second}))
	ctx, cancel := context.WithCancel(context.Background())
	hung := make(chan error, 1)
	go func() {
		_, err := c.Fetch(ctx, "org0/repo0")
		hung <- err
	}()
	<-arrived
	// The hung request holds one slot; the other worker passes the gate,
	// meets a secondary limit, closes the gate, waits and goes on.
	r, err := c.Fetch(context.Background(), "org0/repo1")
	if err != nil || r.Release == nil {
		t.Fatalf("Fetch(org0/repo1) while another request hangs = %v, %v; want the repository", r, err)
	}
	if s := clock.Slept(); s < 30*time.Second {
		t.Errorf("slept %v, want the 30s Retry-After", s)
	}
	if v := srv.Violations(); v != 0 {
		t.Errorf("%d requests sent while a limit was in force", v)
	}
	cancel()
	if err := <-hung; !errors.Is(err, context.Canceled) {
		t.Errorf("hung Fetch after cancel = %v, want context.Canceled", err)
	}
}
