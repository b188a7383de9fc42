package collect_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/sync/catalog"
	"versus/sync/collect"
	"versus/sync/gh"
	"versus/sync/gh/ghtest"
	"versus/sync/hn"
	"versus/sync/hn/hntest"
)

var start = time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)

// world is a fake GitHub of 4 repositories and a fake HN with one story
// linking org0/repo1, and a collector for them.
type world struct {
	gh *ghtest.Server
	hn *hntest.Server
	c  *collect.Collector
}

func newWorld(t *testing.T, prepare func(w *world)) *world {
	t.Helper()
	w := &world{gh: ghtest.New(4), hn: hntest.New(hntest.Story(1, "Show HN: repo1", "https://github.com/org0/repo1", 5, 2, start))}
	t.Cleanup(w.gh.Close)
	t.Cleanup(w.hn.Close)
	clock := ghtest.NewClock(start)
	w.gh.Now = clock.Now
	if prepare != nil {
		prepare(w)
	}
	client, err := gh.New(gh.Options{BaseURL: w.gh.BaseURL(), Clock: clock, MaxWait: time.Hour,
		Transport: ghtest.Transport(w.gh.Client().Transport)})
	if err != nil {
		t.Fatal(err)
	}
	w.c = &collect.Collector{GitHub: client, HN: hn.New(w.hn.URL, w.hn.Client()), Clock: clock, Workers: 3, HNWorkers: 2}
	return w
}

func projects(names ...string) []catalog.Project {
	ps := make([]catalog.Project, len(names))
	for i, n := range names {
		ps[i] = catalog.Project{Repo: n, Slug: n[strings.Index(n, "/")+1:], Categories: []string{"test"}}
	}
	return ps
}

// brief is what a test checks of a result.
type brief struct {
	Status, Error, FullName string
	Posts                   int
	PostsFailed, Pending    bool
	Commits                 bool
}

func briefs(p *collect.Part) []brief {
	var out []brief
	for _, r := range p.Results {
		b := brief{Status: r.Status, Posts: len(r.Posts), PostsFailed: r.PostsError != ""}
		if i := strings.Index(r.Error, ":"); i >= 0 {
			b.Error = r.Error[:i] // "fetch org0/repo3"
		}
		if r.Repo != nil {
			b.FullName, b.Pending, b.Commits = r.Repo.FullName, r.Repo.Pending, r.Repo.Commits != nil
		}
		out = append(out, b)
	}
	return out
}

func TestRun(t *testing.T) {
	names := []string{"org0/repo0", "org0/repo1", "org0/repo2", "org0/repo3"}
	ok := func(name string, posts int) brief {
		return brief{Status: collect.OK, FullName: name, Posts: posts, Commits: true}
	}
	tests := []struct {
		name    string
		prepare func(w *world)
		want    []brief
	}{
		{"every repository", nil, []brief{ok("org0/repo0", 0), ok("org0/repo1", 1), ok("org0/repo2", 0), ok("org0/repo3", 0)}},
		{"a 404 is not found, a 500 a failure", func(w *world) {
			w.gh.Remove("org0/repo2")
			w.gh.Inject = func(_ int64, r *http.Request) ghtest.Fault {
				if strings.HasPrefix(r.URL.Path, "/repos/org0/repo3") {
					return ghtest.Fault{Kind: ghtest.ServerError}
				}
				return ghtest.Fault{}
			}
		}, []brief{ok("org0/repo0", 0), ok("org0/repo1", 1),
			{Status: collect.NotFound, Error: "fetch org0/repo2"}, {Status: collect.Failed, Error: "fetch org0/repo3"}}},
		{"a rename shows in the full name", func(w *world) { w.gh.Rename("org0/repo0", "neworg/shiny") },
			[]brief{ok("neworg/shiny", 0), ok("org0/repo1", 1), ok("org0/repo2", 0), ok("org0/repo3", 0)}},
		{"activity still computed is asked again", func(w *world) { w.gh.Accept("org0/repo1", 2) },
			[]brief{ok("org0/repo0", 0), ok("org0/repo1", 1), ok("org0/repo2", 0), ok("org0/repo3", 0)}},
		{"activity that never comes stays pending", func(w *world) { w.gh.Accept("org0/repo1", 100) },
			[]brief{ok("org0/repo0", 0), {Status: collect.OK, FullName: "org0/repo1", Posts: 1, Pending: true}, ok("org0/repo2", 0), ok("org0/repo3", 0)}},
		{"a failed search keeps the fetch", func(w *world) { w.hn.Fail = func(q string) bool { return strings.HasSuffix(q, "repo1") } },
			[]brief{ok("org0/repo0", 0), {Status: collect.OK, FullName: "org0/repo1", PostsFailed: true, Commits: true}, ok("org0/repo2", 0), ok("org0/repo3", 0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, tt.prepare)
			var done []string
			w.c.Done = func(repo string, err error) { done = append(done, repo) }
			w.c.Workers = 1 // Done is then called in order
			part, err := w.c.Run(context.Background(), projects(names...))
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if diff := cmp.Diff(tt.want, briefs(part)); diff != "" {
				t.Errorf("results mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(names, done); diff != "" {
				t.Errorf("Done calls mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunStops checks the two ends that publish nothing: a cancelled
// context and a rate limit longer than MaxWait.
func TestRunStops(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(w *world, cancel context.CancelFunc)
		want    error
	}{
		{"cancelled", func(w *world, cancel context.CancelFunc) {
			w.gh.Inject = func(n int64, _ *http.Request) ghtest.Fault {
				if n == 3 {
					cancel()
				}
				return ghtest.Fault{}
			}
		}, context.Canceled},
		{"limit too long", func(w *world, _ context.CancelFunc) {
			w.gh.Inject = func(n int64, _ *http.Request) ghtest.Fault {
				if n == 1 {
					return ghtest.Fault{Kind: ghtest.Primary, Wait: 2 * time.Hour}
				}
				return ghtest.Fault{}
			}
		}, gh.ErrLimitTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			w := newWorld(t, func(w *world) { tt.prepare(w, cancel) })
			part, err := w.c.Run(ctx, projects("org0/repo0", "org0/repo1", "org0/repo2", "org0/repo3"))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Run = %v, want %v", err, tt.want)
			}
			if len(part.Results) != 4 {
				t.Fatalf("%d results, want one per project", len(part.Results))
			}
			failed := 0
			for _, r := range part.Results {
				if r.Status == collect.Failed {
					failed++
				}
			}
			if failed == 0 {
				t.Errorf("no result failed: %+v", briefs(part))
			}
		})
	}
}

// TestPartJSON checks that a part survives JSON, as parts written by
// separate tasks must.
func TestPartJSON(t *testing.T) {
	w := newWorld(t, func(w *world) { w.gh.Remove("org0/repo2") })
	part, err := w.c.Run(context.Background(), projects("org0/repo0", "org0/repo1", "org0/repo2"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(part); err != nil {
		t.Fatal(err)
	}
	var got collect.Part
	if err := json.NewDecoder(&buf).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(part, &got); diff != "" {
		t.Errorf("part after JSON mismatch (-want +got):\n%s", diff)
	}
}

func TestStarCounts(t *testing.T) {
	n := func(v int) *int { return &v }
	part := &collect.Part{Results: []collect.Result{
		{Project: catalog.Project{Repo: "Org/Renamed"}, Status: collect.OK, Repo: &gh.Repo{FullName: "new/name", Stars: n(7)}},
		{Project: catalog.Project{Repo: "o/nostars"}, Status: collect.OK, Repo: &gh.Repo{FullName: "o/nostars"}},
		{Project: catalog.Project{Repo: "o/failed"}, Status: collect.Failed, Error: "boom"},
	}}
	if diff := cmp.Diff(map[string]int{"org/renamed": 7}, part.StarCounts()); diff != "" {
		t.Errorf("StarCounts mismatch (-want +got):\n%s", diff)
	}
}
