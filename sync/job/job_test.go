package job

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/sync/gh/ghtest"
	"versus/sync/hn/hntest"
	"versus/sync/snapshot"
	"versus/sync/store"
)

var start = time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)

// env is a fake world: GitHub, HN, a clock, a public store folder and a
// state store folder.
type env struct {
	t        testing.TB
	gh       *ghtest.Server
	hn       *hntest.Server
	clock    *ghtest.Clock
	cfg      Config
	storeDir string // the public store
	stateDir string // the state store
	out      bytes.Buffer
	log      bytes.Buffer
}

func newEnv(t testing.TB, n int) *env {
	t.Helper()
	e := &env{t: t, gh: ghtest.New(n), hn: hntest.New(), clock: ghtest.NewClock(start)}
	t.Cleanup(e.gh.Close)
	t.Cleanup(e.hn.Close)
	e.gh.Now = e.clock.Now
	dir := t.TempDir()
	e.storeDir, e.stateDir = filepath.Join(dir, "store"), filepath.Join(dir, "state")
	e.cfg = Defaults()
	e.cfg.Catalog, e.cfg.Public, e.cfg.State = filepath.Join(dir, "catalog.yaml"), folderStore(t, e.storeDir), folderStore(t, e.stateDir)
	e.cfg.GitHubAPI, e.cfg.HNAPI = e.gh.BaseURL(), e.hn.URL
	e.cfg.Clock, e.cfg.Transport, e.cfg.HNHTTP = e.clock, ghtest.Transport(e.gh.Client().Transport), e.hn.Client()
	e.cfg.Token, e.cfg.Stdout, e.cfg.Stderr = "test-token", &e.out, &e.log
	writeCatalog(t, e.cfg.Catalog, e.gh.Names())
	return e
}

func folderStore(t testing.TB, dir string) *store.Folder {
	t.Helper()
	st, err := store.NewFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func writeCatalog(t testing.TB, path string, names []string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("categories:\n  - slug: even\n    name: Even\n    description: Even ones.\n  - slug: odd\n    name: Odd\n    description: Odd ones.\nprojects:\n")
	for i, n := range names {
		fmt.Fprintf(&b, "  - repo: %s\n    categories: [%s]\n", n, []string{"even", "odd"}[i%2])
		if i == 1 {
			b.WriteString("    alternatives: [" + names[0] + "]\n")
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (e *env) run() (*Report, error) {
	e.t.Helper()
	e.out.Reset()
	return Run(context.Background(), e.cfg)
}

// latest reads and validates the published snapshot.
func (e *env) latest() (*snapshot.Pointer, *snapshot.Index) {
	e.t.Helper()
	return e.latestIn(folderStore(e.t, e.storeDir))
}

// latestIn reads and validates the snapshot published to st.
func (e *env) latestIn(st store.Store) (*snapshot.Pointer, *snapshot.Index) {
	e.t.Helper()
	ctx := context.Background()
	r := store.Reader(st)
	ptr, idx, err := r.Latest(ctx)
	if err != nil {
		e.t.Fatalf("read the published snapshot: %v", err)
	}
	for _, p := range idx.Projects {
		if _, err := r.Detail(ctx, ptr.ID, p.Repo); err != nil {
			e.t.Fatalf("detail of %s: %v", p.Repo, err)
		}
	}
	return ptr, idx
}

func TestColdThenWarm(t *testing.T) {
	const n = 60
	e := newEnv(t, n)
	e.noStarHistory() // growth from the recorded counts alone
	e.hn.Hits = []hntest.Hit{
		hntest.Story(1, "Show HN: repo1", "https://github.com/org0/repo1", 50, 10, start.AddDate(0, 0, -3)),
		hntest.Comment(3, "Async in 2026", `see https:&#x2F;&#x2F;github.com&#x2F;org0&#x2F;repo1 and github.com/org0/repo2`, start.AddDate(0, 0, -1)),
	}
	rep, err := e.run()
	if err != nil {
		t.Fatalf("cold run: %v\n%s", err, e.log.String())
	}
	if rep.Collected != n || len(rep.Failed) != 0 {
		t.Fatalf("cold run collected %d, failed %v", rep.Collected, rep.Failed)
	}
	// Star history pages are read with what is left of the quota (see
	// stars_test.go); here each repository costs one 404 for them.
	if perRepo := float64(e.gh.Requests()-e.historyRequests()) / n; perRepo > 5 {
		t.Errorf("cold run: %.2f requests per repository besides star history, want at most 5", perRepo)
	}
	if h := e.historyRequests(); h != n {
		t.Errorf("cold run: %d star history requests, want %d (one 404 each)", h, n)
	}
	ptr, idx := e.latest()
	if ptr.Projects != n {
		t.Errorf("pointer lists %d projects, want %d", ptr.Projects, n)
	}
	byRepo := map[string]snapshot.Project{}
	for _, p := range idx.Projects {
		byRepo[p.Repo] = p
	}
	r1 := byRepo["org0/repo1"]
	if r1.Mentions == nil || *r1.Mentions != 2 {
		t.Errorf("repo1 mentions = %v, want 2 posts", r1.Mentions)
	}
	if r0 := byRepo["org0/repo0"]; r0.Mentions == nil || *r0.Mentions != 1 {
		t.Errorf("repo0 mentions = %v, want 1 (a user-suggested alternative)", r0.Mentions)
	}
	if r1.Growth != nil || r1.Activity == nil || r1.Stars == nil || len(r1.Alternatives) == 0 || r1.Alternatives[0] != "repo0" {
		t.Errorf("repo1: growth %v (want nil: no history), activity %v, stars %v, alternatives %v", r1.Growth, r1.Activity, r1.Stars, r1.Alternatives)
	}
	if !strings.Contains(e.out.String(), "published snapshot") {
		t.Errorf("no summary:\n%s", e.out.String())
	}

	// An immediate re-run costs (almost) no quota.
	e.gh.ResetCounts()
	e.clock.Advance(time.Minute)
	if _, err := e.run(); err != nil {
		t.Fatalf("warm run: %v", err)
	}
	if perRepo := float64(e.gh.QuotaCounted()) / n; perRepo > 0.1 {
		t.Errorf("warm run: %.2f quota-counting requests per repository, want at most 0.1", perRepo)
	}
	ptr2, _ := e.latest()
	if ptr2.ID == ptr.ID {
		t.Errorf("the warm run did not publish a new snapshot")
	}

	// A month later, growth is known.
	e.clock.Advance(31 * 24 * time.Hour)
	e.gh.Update("org0/repo1", func(r *ghtest.Repo) { r.Stars += r.Stars / 10 })
	if _, err := e.run(); err != nil {
		t.Fatalf("run a month later: %v", err)
	}
	_, idx = e.latest()
	for _, p := range idx.Projects {
		if p.Repo == "org0/repo1" && (p.Growth == nil || *p.Growth < 9.9 || *p.Growth > 10.1 || p.Stars30d == nil) {
			t.Errorf("repo1 growth = %v, stars 30d = %v, want about 10%%", p.Growth, p.Stars30d)
		}
	}
}

func TestPartialFailureKeepsPreviousValues(t *testing.T) {
	e, _, before := published(t, 20)
	e.gh.NoGraphQL = true // every field through REST, as GitHub Enterprise without GraphQL
	e.gh.Inject = serverError("/repos/org0/repo3")
	rep, err := e.run()
	if err != nil {
		t.Fatalf("second run: %v", err)
	}
	if len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0], "org0/repo3") {
		t.Fatalf("failed = %v, want org0/repo3", rep.Failed)
	}
	if !strings.Contains(e.out.String(), "failed: org0/repo3: fetch org0/repo3: metadata:") {
		t.Errorf("the summary does not name the failure:\n%s", e.out.String())
	}
	_, after := e.latest()
	var old, now snapshot.Project
	for i := range after.Projects {
		if after.Projects[i].Repo == "org0/repo3" {
			old, now = before.Projects[i], after.Projects[i]
		}
	}
	if !now.Stale || now.FetchedAt == nil || !now.FetchedAt.Equal(*old.FetchedAt) {
		t.Errorf("stale project: stale %v, fetched_at %v, want stale with %v", now.Stale, now.FetchedAt, old.FetchedAt)
	}
	if *now.Stars != *old.Stars || *now.Contributors != *old.Contributors || now.Description != old.Description || *now.Activity != *old.Activity {
		t.Errorf("stale project lost its previous values: %+v, was %+v", now, old)
	}
}

// published returns a world of n repositories after a first run, an hour
// later, and what that run published.
func published(t *testing.T, n int) (*env, *snapshot.Pointer, *snapshot.Index) {
	t.Helper()
	e := newEnv(t, n)
	if _, err := e.run(); err != nil {
		t.Fatalf("first run: %v", err)
	}
	ptr, idx := e.latest()
	e.clock.Advance(time.Hour)
	return e, ptr, idx
}

// serverError answers 500 to every request under prefix.
func serverError(prefix string) func(int64, *http.Request) ghtest.Fault {
	return func(_ int64, r *http.Request) ghtest.Fault {
		if strings.HasPrefix(r.URL.Path, prefix) {
			return ghtest.Fault{Kind: ghtest.ServerError}
		}
		return ghtest.Fault{}
	}
}

func TestTooManyFailuresPublishNothing(t *testing.T) {
	e, ptr, _ := published(t, 10)
	e.gh.NoGraphQL = true // releases come from REST
	e.gh.Inject = func(_ int64, r *http.Request) ghtest.Fault {
		if strings.HasSuffix(r.URL.Path, "/releases") && !strings.HasSuffix(r.URL.Path, "repo9/releases") && !strings.HasSuffix(r.URL.Path, "repo8/releases") {
			return ghtest.Fault{Kind: ghtest.Malformed}
		}
		return ghtest.Fault{}
	}
	_, err := e.run()
	if err == nil || !strings.Contains(err.Error(), "8 of 10 repositories failed, more than -max-failed 20%: nothing published") {
		t.Fatalf("run = %v, want too many failures", err)
	}
	if ptr2, _ := e.latest(); ptr2.ID != ptr.ID {
		t.Errorf("latest.json moved to %s after a failed run", ptr2.ID)
	}
}

func TestInvalidCatalog(t *testing.T) {
	e := newEnv(t, 2)
	os.WriteFile(e.cfg.Catalog, []byte("categories: []\nprojects:\n  - repo: a/b\n    categories: [nope]\n"), 0o644)
	_, err := e.run()
	if err == nil || !strings.Contains(err.Error(), `line 3: repo "a/b": unknown category "nope"`) {
		t.Fatalf("run = %v, want the catalog problem with its line", err)
	}
	if _, err := os.Stat(filepath.Join(e.storeDir, snapshot.PointerName)); err == nil {
		t.Error("a snapshot was published from an invalid catalog")
	}
}

func TestRenameAndRemoval(t *testing.T) {
	e := newEnv(t, 10)
	e.gh.Rename("org0/repo4", "neworg/shiny")
	e.gh.Remove("org0/repo5")
	rep, err := e.run()
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	out := e.out.String()
	for _, want := range []string{"renamed: org0/repo4 → neworg/shiny", "dropped: org0/repo5: not found on GitHub (404)"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if len(rep.Failed) != 0 {
		t.Errorf("failed = %v, want none", rep.Failed)
	}
	_, idx := e.latest()
	if len(idx.Projects) != 9 {
		t.Errorf("index has %d projects, want 9", len(idx.Projects))
	}
	for _, p := range idx.Projects {
		if p.Slug == "repo4" && p.Repo != "neworg/shiny" {
			t.Errorf("renamed project = %s, want neworg/shiny", p.Repo)
		}
	}
}

func TestRateLimitStormRun(t *testing.T) {
	e := newEnv(t, 150)
	e.gh.Quota = 400
	for i, name := range e.gh.Names() {
		if i%7 == 0 {
			e.gh.Accept(name, 2)
		}
	}
	e.gh.Inject = ghtest.Storm(
		ghtest.Every{N: 97, Fault: ghtest.Fault{Kind: ghtest.Secondary}},
		ghtest.Every{N: 89, Fault: ghtest.Fault{Kind: ghtest.Secondary, Wait: 30 * time.Second}},
		ghtest.Every{N: 61, Fault: ghtest.Fault{Kind: ghtest.TooMany, Wait: 9 * time.Second}},
		ghtest.Every{N: 67, Fault: ghtest.Fault{Kind: ghtest.TooMany}},
		ghtest.Every{N: 41, Fault: ghtest.Fault{Kind: ghtest.ServerError}},
	)
	rep, err := e.run()
	if err != nil {
		t.Fatalf("run: %v\n%s", err, e.out.String())
	}
	if rep.Collected != 150 || len(rep.Failed) != 0 || rep.Pending != 0 {
		t.Errorf("collected %d, failed %v, activity pending %d; want all 150", rep.Collected, rep.Failed, rep.Pending)
	}
	if v := e.gh.Violations(); v != 0 {
		t.Errorf("%d requests were sent while a known limit was in force", v)
	}
	if rep.Stats.Waits < 5 {
		t.Errorf("only %d limit waits: the storm did not happen", rep.Stats.Waits)
	}
	_, idx := e.latest()
	for _, p := range idx.Projects {
		if p.Stale || p.Activity == nil {
			t.Errorf("%s: stale %v, activity %v", p.Repo, p.Stale, p.Activity)
		}
	}
}

func TestSummaryShown(t *testing.T) {
	e := newEnv(t, 5)
	if _, err := e.run(); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + e.out.String() + e.log.String())
}

// TestLostOrCorruptState checks that a missing or corrupt star history or
// ETag cache only warns: the run publishes, the history starts over in the
// store's own format, and the next run reads it.
func TestLostOrCorruptState(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(dir string) error
		warn  string
	}{
		{"history lost", func(dir string) error { return os.Remove(filepath.Join(dir, filepath.FromSlash(store.StarsName))) }, "no star history"},
		{"history not JSON", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, filepath.FromSlash(store.StarsName)), []byte(`{"org0/repo0":[`), 0o644)
		}, "star history in"},
		{"history of the old layout", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, filepath.FromSlash(store.StarsName)), []byte(`{"org0/repo0":[{"date":"2026-03-01T06:00:00Z","stars":1}]}`), 0o644)
		}, "is corrupt"},
		{"history bad gzip", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, filepath.FromSlash(store.StarsName)), []byte{0x1f, 0x8b, 1, 2}, 0o644)
		}, "is corrupt"},
		{"cache lost", func(dir string) error { return os.Remove(filepath.Join(dir, filepath.FromSlash(store.CacheName))) }, "no ETag cache"},
		{"cache not JSON", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, filepath.FromSlash(store.CacheName)), []byte("{{"), 0o644)
		}, "ETag cache in"},
		{"cache bad gzip", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, filepath.FromSlash(store.CacheName)), []byte{0x1f, 0x8b, 1, 2}, 0o644)
		}, "ETag cache in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, 3)
			e.noStarHistory() // star_history holds the recorded counts alone
			if _, err := e.run(); err != nil {
				t.Fatalf("first run: %v", err)
			}
			if err := tt.spoil(e.stateDir); err != nil {
				t.Fatal(err)
			}
			e.log.Reset()
			e.clock.Advance(24 * time.Hour)
			if _, err := e.run(); err != nil {
				t.Fatalf("run after %s: %v\n%s", tt.name, err, e.log.String())
			}
			if !strings.Contains(e.log.String(), tt.warn) {
				t.Errorf("log lacks a warning %q:\n%s", tt.warn, e.log.String())
			}
			stars, warning, err := store.LoadStars(context.Background(), e.cfg.State)
			if err != nil || warning != nil {
				t.Fatalf("LoadStars after the run = %v, %v", warning, err)
			}
			var days []string
			for _, r := range stars["org0/repo0"] {
				days = append(days, r.Day)
			}
			want := []string{"2026-03-01", "2026-03-02"}
			if strings.HasPrefix(tt.name, "history") {
				want = want[1:] // started over
			}
			if diff := cmp.Diff(want, days); diff != "" {
				t.Errorf("recorded days mismatch (-want +got):\n%s", diff)
			}
			ptr, idx := e.latest()
			d, err := store.Reader(e.cfg.Public).Detail(context.Background(), ptr.ID, idx.Projects[0].Repo)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.StarHistory) != len(want) {
				t.Errorf("star_history of %s has %d points, want %d", d.Repo, len(d.StarHistory), len(want))
			}
		})
	}
}
