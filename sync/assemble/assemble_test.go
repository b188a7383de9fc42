package assemble_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"versus/sync/assemble"
	"versus/sync/catalog"
	"versus/sync/collect"
	"versus/sync/gh"
	"versus/sync/hn"
	"versus/sync/snapshot"
	"versus/sync/store"
)

var (
	now     = time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
	earlier = now.AddDate(0, 0, -1)
)

func i(v int) *int              { return &v }
func f(v float64) *float64      { return &v }
func tm(t time.Time) *time.Time { return &t }

var cat = &catalog.Catalog{
	Categories: []snapshot.Category{{Slug: "web", Name: "Web", Description: "Web."}, {Slug: "db", Name: "DB", Description: "DB."}},
	Projects: []catalog.Project{
		{Repo: "o/a", Slug: "a", Categories: []string{"web"}},
		{Repo: "o/b", Slug: "b", Categories: []string{"web"}, Alternatives: []string{"o/c"}},
		{Repo: "o/c", Slug: "c", Categories: []string{"db"}},
	},
}

// repo is a fetched repository with commit counts rising by n a week.
func repo(name string, stars, n int) *gh.Repo {
	counts := make([]int, 52)
	for w := range counts {
		counts[w] = n
	}
	return &gh.Repo{FullName: name, Description: name + " does things", Topics: []string{}, Stars: i(stars),
		Commits: &snapshot.Weekly{Start: now.AddDate(0, 0, -7*52), Counts: counts}}
}

func ok(cp catalog.Project, r *gh.Repo, posts ...hn.Item) collect.Result {
	return collect.Result{Project: cp, Status: collect.OK, Repo: r, Posts: posts}
}

// previous is a snapshot in which o/b has figures.
func previous() *assemble.Previous {
	x := &snapshot.Index{ID: snapshot.NewID(earlier), Projects: []snapshot.Project{{
		Repo: "o/b", Slug: "old-b", Name: "b", Owner: "o", Description: "b before", Topics: []string{"x"},
		Categories: []string{"db"}, Stars: i(90), Activity: f(7.5), Mentions: i(4), FetchedAt: tm(earlier),
	}}}
	details := []*snapshot.Detail{{Repo: "o/b", Commits: &snapshot.Weekly{Start: earlier, Counts: []int{9}},
		Posts: []snapshot.Post{{Title: "old post", URL: "https://news.ycombinator.com/item?id=1", Date: earlier}}}}
	return assemble.NewPrevious(&snapshot.Pointer{ID: x.ID}, x, details)
}

// row is what a test checks of a project and its details.
type row struct {
	Repo, Slug, Description string
	Stars, Mentions         *int
	Activity, Growth        *float64
	Stale                   bool
	StaleReason             string
	Alternatives            []string
	Posts                   int
	Commits                 bool
}

func rows(s store.Snapshot) []row {
	var out []row
	for k, p := range s.Index.Projects {
		d := s.Details[k]
		out = append(out, row{Repo: p.Repo, Slug: p.Slug, Description: p.Description, Stars: p.Stars, Mentions: p.Mentions,
			Activity: p.Activity, Growth: p.Growth, Stale: p.Stale, StaleReason: p.StaleReason, Alternatives: p.Alternatives, Posts: len(d.Posts), Commits: d.Commits != nil})
	}
	return out
}

func TestAssemble(t *testing.T) {
	a, b, c := cat.Projects[0], cat.Projects[1], cat.Projects[2]
	post := hn.Item{ID: "7", Title: "a and b", URL: "https://news.ycombinator.com/item?id=7", Date: now, Links: []string{"o/a", "o/b"}}
	stars := store.Stars{"o/a": {{Day: "2026-01-30", Stars: 100}}}
	tests := []struct {
		name   string
		prev   *assemble.Previous
		parts  []*collect.Part
		want   []row
		report assemble.Report
	}{
		{"all fresh", nil, []*collect.Part{{Results: []collect.Result{
			ok(a, repo("o/a", 110, 1), post), ok(b, repo("o/b", 100, 2), post), ok(c, repo("o/c", 50, 3)),
		}}}, []row{
			{Repo: "o/a", Slug: "a", Description: "o/a does things", Stars: i(110), Mentions: i(1), Activity: f(0), Growth: f(10), Alternatives: []string{"b"}, Posts: 1, Commits: true},
			{Repo: "o/b", Slug: "b", Description: "o/b does things", Stars: i(100), Mentions: i(1), Activity: f(5), Alternatives: []string{"c", "a"}, Posts: 1, Commits: true},
			{Repo: "o/c", Slug: "c", Description: "o/c does things", Stars: i(50), Mentions: i(1), Activity: f(10), Alternatives: nil, Posts: 0, Commits: true},
		}, assemble.Report{Collected: 3}},
		{"parts of separate tasks join in order", nil, []*collect.Part{
			{Results: []collect.Result{ok(a, repo("o/a", 110, 1))}},
			{Results: []collect.Result{ok(b, repo("o/b", 100, 2)), ok(c, repo("o/c", 50, 3))}},
		}, []row{
			{Repo: "o/a", Slug: "a", Description: "o/a does things", Stars: i(110), Mentions: i(0), Activity: f(0), Growth: f(10), Alternatives: []string{"b"}, Commits: true},
			{Repo: "o/b", Slug: "b", Description: "o/b does things", Stars: i(100), Mentions: i(0), Activity: f(5), Alternatives: []string{"c", "a"}, Commits: true},
			{Repo: "o/c", Slug: "c", Description: "o/c does things", Stars: i(50), Mentions: i(1), Activity: f(10), Commits: true},
		}, assemble.Report{Collected: 3}},
		{"a failure keeps the previous figures, marked stale", previous(), []*collect.Part{{Results: []collect.Result{
			ok(a, repo("o/a", 110, 1)), {Project: b, Status: collect.Failed, Error: "fetch o/b: boom", Stale: snapshot.StaleTimeout}, ok(c, repo("o/c", 50, 3)),
		}}}, []row{
			{Repo: "o/a", Slug: "a", Description: "o/a does things", Stars: i(110), Mentions: i(0), Activity: f(0), Growth: f(10), Alternatives: []string{"b"}, Commits: true},
			{Repo: "o/b", Slug: "b", Description: "b before", Stars: i(90), Mentions: i(0), Activity: f(7.5), Stale: true, StaleReason: snapshot.StaleTimeout, Alternatives: []string{"c", "a"}, Commits: true},
			{Repo: "o/c", Slug: "c", Description: "o/c does things", Stars: i(50), Mentions: i(1), Activity: f(10), Commits: true},
		}, assemble.Report{Collected: 2, Failed: []string{"o/b: fetch o/b: boom"}}},
		{"a failure with no previous figures is unknown", nil, []*collect.Part{{Results: []collect.Result{
			ok(a, repo("o/a", 110, 1)), {Project: b, Status: collect.Failed, Error: "boom"},
		}}}, []row{
			{Repo: "o/a", Slug: "a", Description: "o/a does things", Stars: i(110), Mentions: i(0), Growth: f(10), Alternatives: []string{"b"}, Commits: true},
			{Repo: "o/b", Slug: "b", Mentions: i(0), Stale: true, StaleReason: snapshot.StaleError, Alternatives: []string{"a"}}, // a part without a reason
		}, assemble.Report{Collected: 1, Failed: []string{"o/b: boom"}}},
		{"a failed search keeps the previous posts and mentions", previous(), []*collect.Part{{Results: []collect.Result{
			ok(b, repo("o/b", 100, 2)), {Project: c, Status: collect.OK, Repo: repo("o/c", 50, 3), PostsError: "503"},
		}}}, []row{
			{Repo: "o/b", Slug: "b", Description: "o/b does things", Stars: i(100), Mentions: i(0), Activity: f(0), Alternatives: []string{"c"}, Commits: true},
			{Repo: "o/c", Slug: "c", Description: "o/c does things", Stars: i(50), Activity: f(10), Alternatives: nil, Commits: true},
		}, assemble.Report{Collected: 2, HNFailed: 1}},
		{"pending activity keeps the previous commits", previous(), []*collect.Part{{Results: []collect.Result{
			ok(b, &gh.Repo{FullName: "o/b", Topics: []string{}, Stars: i(100), Pending: true}),
		}}}, []row{
			{Repo: "o/b", Slug: "b", Stars: i(100), Mentions: i(0), Commits: true},
		}, assemble.Report{Collected: 1, Pending: 1}},
		{"404 dropped, rename followed, a rename onto a listed repo left out", nil, []*collect.Part{{Results: []collect.Result{
			{Project: a, Status: collect.NotFound, Error: "not found"}, ok(b, repo("n/bee", 100, 2)), ok(c, repo("N/Bee", 50, 3)),
		}}}, []row{
			{Repo: "n/bee", Slug: "b", Description: "n/bee does things", Stars: i(100), Mentions: i(0), Commits: true},
		}, assemble.Report{Collected: 2,
			Dropped: []string{"o/a: not found on GitHub (404); dropped, remove it from the catalog"},
			Renamed: []string{"o/b → n/bee (update the catalog)", "o/c → N/Bee (update the catalog)"},
			Failed:  []string{"o/c: is now N/Bee, which the catalog already lists; left out"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap, rep := assemble.Assemble(assemble.Input{Catalog: cat, Parts: tt.parts, Previous: tt.prev, Stars: stars, Now: now})
			if diff := cmp.Diff(tt.want, rows(snap), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("projects mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.report, rep); diff != "" {
				t.Errorf("report mismatch (-want +got):\n%s", diff)
			}
			if err := snap.Index.Validate(); err != nil {
				t.Errorf("the assembled index is invalid: %v", err)
			}
			if snap.Index.ID != snapshot.NewID(now) || len(snap.Details) != len(snap.Index.Projects) {
				t.Errorf("index %s with %d details for %d projects", snap.Index.ID, len(snap.Details), len(snap.Index.Projects))
			}
		})
	}
}

// TestCarriedPosts checks that a result holding only this run's harvest
// keeps the previous posts, without duplicates and newest first, and that
// a skipped project is stale apart from the failures.
func TestCarriedPosts(t *testing.T) {
	fresh := hn.Item{ID: "5", Title: "new post", URL: "https://news.ycombinator.com/item?id=5", Date: now, Links: []string{"o/b"}}
	again := hn.Item{ID: "1", Title: "old post", URL: "https://news.ycombinator.com/item?id=1", Date: earlier, Links: []string{"o/b"}}
	tests := []struct {
		name  string
		items []hn.Item
	}{
		{"only new posts harvested", []hn.Item{fresh}},
		{"an old post harvested again", []hn.Item{again, fresh}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ok(cat.Projects[1], repo("o/b", 100, 1), tt.items...)
			b.Carry = true
			skipped := collect.Result{Project: cat.Projects[2], Status: collect.Skipped, Error: "quota: 10 GraphQL points left"}
			snap, rep := assemble.Assemble(assemble.Input{Catalog: cat, Previous: previous(), Now: now,
				Parts: []*collect.Part{{Results: []collect.Result{ok(cat.Projects[0], repo("o/a", 10, 1)), b, skipped}}}})
			var titles []string
			for _, p := range snap.Details[1].Posts {
				titles = append(titles, p.Title)
			}
			if diff := cmp.Diff([]string{"new post", "old post"}, titles); diff != "" {
				t.Errorf("posts of o/b mismatch (-want +got):\n%s", diff)
			}
			if m := snap.Index.Projects[1].Mentions; m == nil || *m != 2 {
				t.Errorf("mentions of o/b = %v, want 2", m)
			}
			if p := snap.Index.Projects[2]; len(rep.Failed) != 0 || len(rep.Skipped) != 1 || !p.Stale || p.StaleReason != snapshot.StaleQuota {
				t.Errorf("failed %v, skipped %v, o/c stale %v (%q); want o/c skipped and stale for the quota", rep.Failed, rep.Skipped, p.Stale, p.StaleReason)
			}
		})
	}
}
