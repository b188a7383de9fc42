package gh_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/sync/gh"
	"versus/sync/gh/ghtest"
	"versus/sync/snapshot"
)

var start = time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)

// setup returns a fake GitHub of n repositories and one client for it (one
// per test: a client remembers limits).
func setup(t *testing.T, n int, opts gh.Options) (*ghtest.Server, *gh.Client, *ghtest.Clock) {
	t.Helper()
	srv := ghtest.New(n)
	t.Cleanup(srv.Close)
	clock := ghtest.NewClock(start)
	srv.Now = clock.Now
	opts.BaseURL = srv.BaseURL()
	opts.Clock = clock
	opts.Transport = ghtest.Transport(srv.Client().Transport)
	c, err := gh.New(opts)
	if err != nil {
		t.Fatalf("gh.New: %v", err)
	}
	return srv, c, clock
}

func TestFetchNulls(t *testing.T) {
	srv, c, _ := setup(t, 6, gh.Options{})
	r, err := c.Fetch(context.Background(), "org0/repo0")
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	base := time.Date(2026, 1, 4, 0, 0, 0, 0, time.UTC)
	created := base.AddDate(-5, 0, 0)
	one, hundred, ten, zero := 1, 100, 10, 0
	want := &gh.Repo{
		FullName: "org0/repo0", Topics: []string{"topic0", "topic0"},
		Stars: &hundred, Forks: &ten, OpenIssues: &zero, Created: &created, LastCommit: &base,
		Commits:      &snapshot.Weekly{Start: base.AddDate(0, 0, -7*52), Counts: make([]int, 52)},
		Contributors: &one,
	}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("Fetch(org0/repo0) mismatch (-want +got):\n%s", diff)
	}
	if got := srv.Requests(); got != 5 {
		t.Errorf("requests = %d, want 5", got)
	}
}

// TestFetchCountsLeftOut checks that counts an answer leaves out are
// unknown (nil), never 0.
func TestFetchCountsLeftOut(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/repos/o/r":
			fmt.Fprint(w, `{"full_name":"o/r","description":null,"topics":[]}`)
		case "/repos/o/r/contributors":
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"The history or contributor list is too large to list contributors for this repository via the API."}`)
		case "/repos/o/r/stats/commit_activity":
			w.WriteHeader(http.StatusAccepted)
			fmt.Fprint(w, `{}`)
		default: // commits, releases
			fmt.Fprint(w, `[]`)
		}
	}))
	t.Cleanup(srv.Close)
	c, err := gh.New(gh.Options{BaseURL: srv.URL, Clock: ghtest.NewClock(start), Transport: srv.Client().Transport})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Fetch(context.Background(), "o/r")
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	want := &gh.Repo{FullName: "o/r", Topics: []string{}, Pending: true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Fetch(o/r) mismatch (-want +got):\n%s", diff)
	}
}

func TestFetchFields(t *testing.T) {
	_, c, _ := setup(t, 8, gh.Options{})
	r, err := c.Fetch(context.Background(), "org0/repo7")
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if r.Contributors == nil || *r.Contributors != 8 {
		t.Errorf("Contributors = %v, want 8 (last page of the Link header)", r.Contributors)
	}
	if r.License == nil || r.License.SPDX != "MIT" || r.Description != "Synthetic project 7" || r.Language != "Python" {
		t.Errorf("Fetch(org0/repo7) = license %v, description %q, language %q", r.License, r.Description, r.Language)
	}
	if r.Release == nil || r.Release.Tag != "v1.7.0" {
		t.Errorf("Release = %v, want v1.7.0", r.Release)
	}
	if r.Commits == nil || len(r.Commits.Counts) != 52 || r.Commits.Counts[1] != (7*31+17)%8 {
		t.Errorf("Commits = %v", r.Commits)
	}
}

func TestConditionalRequests(t *testing.T) {
	srv, c, _ := setup(t, 3, gh.Options{})
	ctx := context.Background()
	first, err := c.Fetch(ctx, "org0/repo2")
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	srv.ResetCounts()
	second, err := c.Fetch(ctx, "org0/repo2")
	if err != nil {
		t.Fatalf("second Fetch: %v", err)
	}
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("304 answers differ from the 200s (-first +second):\n%s", diff)
	}
	if got, want := srv.NotModified(), int64(5); got != want {
		t.Errorf("304s = %d, want %d", got, want)
	}
	if got := srv.QuotaCounted(); got != 0 {
		t.Errorf("quota-counting requests = %d, want 0", got)
	}
	// The cache survives a round trip through JSON into a new client.
	data, err := c.Cache().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	cache, err := gh.LoadCache(data, time.Now)
	if err != nil {
		t.Fatalf("LoadCache: %v", err)
	}
	c2, err := gh.New(gh.Options{BaseURL: srv.BaseURL(), Cache: cache, Clock: ghtest.NewClock(start)})
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetCounts()
	srv.Update("org0/repo2", func(r *ghtest.Repo) { r.Stars++ })
	third, err := c2.Fetch(ctx, "org0/repo2")
	if err != nil {
		t.Fatalf("Fetch with a loaded cache: %v", err)
	}
	if *third.Stars != *first.Stars+1 || srv.NotModified() != 4 || srv.QuotaCounted() != 1 {
		t.Errorf("after a change: stars %d (want %d), 304s %d (want 4), counted %d (want 1)", *third.Stars, *first.Stars+1, srv.NotModified(), srv.QuotaCounted())
	}
}

func TestAccepted(t *testing.T) {
	srv, c, _ := setup(t, 3, gh.Options{})
	srv.Accept("org0/repo1", 2)
	ctx := context.Background()
	r, err := c.Fetch(ctx, "org0/repo1")
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if !r.Pending || r.Commits != nil {
		t.Fatalf("Fetch after 202: Pending %v, Commits %v; want pending, nil", r.Pending, r.Commits)
	}
	if _, ready, err := c.Activity(ctx, "org0/repo1"); err != nil || ready {
		t.Fatalf("Activity (second 202) = ready %v, %v", ready, err)
	}
	w, ready, err := c.Activity(ctx, "org0/repo1")
	if err != nil || !ready || w == nil || len(w.Counts) != 52 {
		t.Fatalf("Activity (200) = %v, ready %v, %v", w, ready, err)
	}
}

func TestNotFoundAndRename(t *testing.T) {
	srv, c, _ := setup(t, 3, gh.Options{})
	ctx := context.Background()
	_, err := c.Fetch(ctx, "org0/gone")
	if !errors.Is(err, gh.ErrNotFound) {
		t.Errorf("Fetch(org0/gone) = %v, want ErrNotFound", err)
	}
	srv.Rename("org0/repo1", "neworg/better")
	r, err := c.Fetch(ctx, "org0/repo1")
	if err != nil {
		t.Fatalf("Fetch(renamed): %v", err)
	}
	if r.FullName != "neworg/better" || !r.Renamed("org0/repo1") {
		t.Errorf("FullName = %q, want neworg/better (renamed)", r.FullName)
	}
	if r.Contributors == nil || *r.Contributors != 2 {
		t.Errorf("Contributors after rename = %v, want 2", r.Contributors)
	}
}

// faultOnce answers the first request for path with f.
func faultOnce(path string, faults ...ghtest.Fault) func(int64, *http.Request) ghtest.Fault {
	var mu sync.Mutex
	return func(_ int64, r *http.Request) ghtest.Fault {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path != path || len(faults) == 0 {
			return ghtest.Fault{}
		}
		f := faults[0]
		faults = faults[1:]
		return f
	}
}

func TestLimits(t *testing.T) {
	tests := []struct {
		name     string
		faults   []ghtest.Fault
		minSlept time.Duration
		maxSlept time.Duration
	}{
		{"primary", []ghtest.Fault{{Kind: ghtest.Primary, Wait: 10 * time.Minute}}, 10 * time.Minute, 11 * time.Minute},
		{"secondary with Retry-After", []ghtest.Fault{{Kind: ghtest.Secondary, Wait: 30 * time.Second}}, 30 * time.Second, 31 * time.Second},
		{"secondary without Retry-After", []ghtest.Fault{{Kind: ghtest.Secondary}}, time.Minute, time.Minute},
		{"secondary twice backs off", []ghtest.Fault{{Kind: ghtest.Secondary}, {Kind: ghtest.Secondary}}, 3 * time.Minute, 3 * time.Minute},
		{"429 with Retry-After", []ghtest.Fault{{Kind: ghtest.TooMany, Wait: 5 * time.Second}}, 5 * time.Second, 5 * time.Second},
		{"429 without Retry-After", []ghtest.Fault{{Kind: ghtest.TooMany}}, time.Minute, time.Minute},
		{"500 then 200", []ghtest.Fault{{Kind: ghtest.ServerError}, {Kind: ghtest.ServerError}}, 3 * time.Second, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c, clock := setup(t, 3, gh.Options{})
			srv.Inject = faultOnce("/repos/org0/repo1/releases", tt.faults...)
			r, err := c.Fetch(context.Background(), "org0/repo1")
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if r.Release == nil {
				t.Errorf("Release = nil, want the release after the retry")
			}
			if s := clock.Slept(); s < tt.minSlept || s > tt.maxSlept {
				t.Errorf("slept %v, want %v to %v", s, tt.minSlept, tt.maxSlept)
			}
			if got := srv.PathCount("/repos/org0/repo1/releases"); got != int64(len(tt.faults)+1) {
				t.Errorf("releases requested %d times, want %d", got, len(tt.faults)+1)
			}
			if v := srv.Violations(); v != 0 {
				t.Errorf("%d requests sent while a limit was in force", v)
			}
		})
	}
}

func TestLimitLongerThanMaxWait(t *testing.T) {
	srv, c, clock := setup(t, 3, gh.Options{MaxWait: time.Hour})
	srv.Inject = faultOnce("/repos/org0/repo1", ghtest.Fault{Kind: ghtest.Primary, Wait: 2 * time.Hour})
	_, err := c.Fetch(context.Background(), "org0/repo1")
	if !errors.Is(err, gh.ErrLimitTooLong) {
		t.Fatalf("Fetch = %v, want ErrLimitTooLong", err)
	}
	if !strings.Contains(err.Error(), "primary rate limit") || !strings.Contains(err.Error(), "-max-wait 1h0m0s") {
		t.Errorf("error %q does not say which limit and -max-wait", err)
	}
	if clock.Slept() != 0 {
		t.Errorf("slept %v, want no wait", clock.Slept())
	}
	// Later calls fail at once, without a request.
	n := srv.Requests()
	if _, err := c.Fetch(context.Background(), "org0/repo2"); !errors.Is(err, gh.ErrLimitTooLong) {
		t.Errorf("second Fetch = %v, want ErrLimitTooLong", err)
	}
	if srv.Requests() != n {
		t.Errorf("a request was sent after a fatal limit")
	}
}

func TestBadAnswers(t *testing.T) {
	tests := []struct {
		name  string
		fault ghtest.Fault
		want  string
	}{
		{"500 every time", ghtest.Fault{Kind: ghtest.ServerError}, "500"},
		{"truncated JSON", ghtest.Fault{Kind: ghtest.Truncated}, "unexpected EOF"},
		{"malformed JSON", ghtest.Fault{Kind: ghtest.Malformed}, "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c, _ := setup(t, 3, gh.Options{})
			srv.Inject = func(_ int64, r *http.Request) ghtest.Fault {
				if r.URL.Path == "/repos/org0/repo1" {
					return tt.fault
				}
				return ghtest.Fault{}
			}
			_, err := c.Fetch(context.Background(), "org0/repo1")
			if err == nil || !strings.Contains(err.Error(), "fetch org0/repo1: metadata") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Fetch = %v, want an error naming the repo and %q", err, tt.want)
			}
			// Nothing bad was cached: once GitHub answers well, so do we.
			srv.Inject = nil
			if _, err := c.Fetch(context.Background(), "org0/repo1"); err != nil {
				t.Errorf("Fetch after recovery: %v", err)
			}
		})
	}
}

func TestTokenStaysPrivate(t *testing.T) {
	const token = "ghp_secret123"
	srv := ghtest.New(2)
	defer srv.Close()
	var auth []string
	var mu sync.Mutex
	srv.Inject = func(_ int64, r *http.Request) ghtest.Fault {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		return ghtest.Fault{Kind: ghtest.ServerError}
	}
	c, err := gh.New(gh.Options{BaseURL: srv.BaseURL(), Token: token, Clock: ghtest.NewClock(start)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Fetch(context.Background(), "org0/repo1")
	if err == nil || strings.Contains(err.Error(), token) {
		t.Errorf("Fetch error = %v; want an error without the token", err)
	}
	if len(auth) == 0 || auth[0] != "Bearer "+token {
		t.Errorf("Authorization = %v, want the bearer token", auth)
	}
	data, _ := c.Cache().Marshal()
	if strings.Contains(string(data), token) {
		t.Error("the ETag cache holds the token")
	}
}
