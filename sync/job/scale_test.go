package job

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"versus/sync/gh/ghtest"
	"versus/sync/hn/hntest"
	"versus/sync/snapshot"
	"versus/sync/store"
)

// counts is what one run cost, from the fakes' counters.
type counts struct {
	rest, points, hn int64 // REST answers counted against the quota, GraphQL points, HN requests
}

func (e *env) counts() counts { return countsOf(e.gh, e.hn) }

func countsOf(gh *ghtest.Server, hn *hntest.Server) counts {
	// Star-history pages after the first are read once, ever, within their
	// own budget: issue 15's budgets leave them out.
	return counts{rest: gh.QuotaCounted() - gh.OlderHistoryPages(), points: gh.Points(), hn: hn.Requests()}
}

// resetCounts zeroes both fakes' counters.
func (e *env) resetCounts() {
	e.gh.ResetCounts()
	e.hn.ResetCounts()
}

// change changes every fifth repository as a day of GitHub does: a push
// (new commits, so pushedAt moves) and new stars.
func (e *env) change(at time.Time) []string { return change(e.gh, at) }

func change(gh *ghtest.Server, at time.Time) []string {
	var changed []string
	for i, name := range gh.Names() {
		if i%5 != 2 {
			continue
		}
		changed = append(changed, name)
		gh.Update(name, func(r *ghtest.Repo) {
			r.LastCommit, r.Stars = at, r.Stars+7
			r.Weeks = append(r.Weeks[1:], 9)
			r.WeekStart = r.WeekStart.AddDate(0, 0, 7)
		})
	}
	return changed
}

// details reads every detail of the published snapshot, by repo.
func (e *env) details() map[string]*snapshot.Detail {
	e.t.Helper()
	ctx := context.Background()
	r := store.Reader(e.cfg.Public)
	ptr, idx, err := r.Latest(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]*snapshot.Detail{}
	for _, p := range idx.Projects {
		d, err := r.Detail(ctx, ptr.ID, p.Repo)
		if err != nil {
			e.t.Fatal(err)
		}
		out[p.Repo] = d
	}
	return out
}

// TestRequestBudgets runs a cold sync of 1,000 repositories and a warm one
// six hours later with a fifth of them changed, and checks the requests
// and points per repository against the budgets of issue 15, and that the
// warm run read what changed and kept what did not.
func TestRequestBudgets(t *testing.T) {
	const n = 1000
	e := newEnv(t, n)
	e.hn.Hits = []hntest.Hit{hntest.Story(1, "Show HN: repo1", "https://github.com/org0/repo1", 50, 10, start.Add(-time.Hour))}
	if _, err := e.run(); err != nil {
		t.Fatalf("cold run: %v\n%s", err, e.log.String())
	}
	cold := e.counts()
	if per := float64(cold.rest) / n; per > 3.0 {
		t.Errorf("cold run: %.2f REST requests a repository, want at most 3.0", per)
	}
	if per := float64(cold.points) / n; per > 0.1 {
		t.Errorf("cold run: %.3f GraphQL points a repository, want at most 0.1", per)
	}
	before := e.details()

	e.resetCounts()
	e.clock.Advance(6 * time.Hour)
	changed := e.change(e.clock.Now().Add(-time.Hour))
	e.hn.Hits = append(e.hn.Hits,
		hntest.Story(10, "repo7 1.0", "https://github.com/org0/repo7.git", 20, 3, e.clock.Now().Add(-2*time.Hour)),
		hntest.Comment(12, "Runtimes", `see <a href="https:&#x2F;&#x2F;github.com&#x2F;org0&#x2F;repo1&#x2F;tree&#x2F;main">this</a> and www.github.com/org0/repo7#readme`, e.clock.Now().Add(-time.Hour)))
	rep, err := e.run()
	if err != nil {
		t.Fatalf("warm run: %v\n%s", err, e.log.String())
	}
	warm := e.counts()
	t.Logf("cold %+v, warm %+v (%d changed)", cold, warm, len(changed))
	if rep.Collected != n {
		t.Errorf("warm run collected %d, want %d", rep.Collected, n)
	}
	if per := float64(warm.rest) / n; per > 0.6 {
		t.Errorf("warm run: %.2f REST requests a repository, want at most 0.6", per)
	}
	if per := float64(warm.points) / n; per > 0.05 {
		t.Errorf("warm run: %.3f GraphQL points a repository, want at most 0.05", per)
	}
	if warm.hn > 100 {
		t.Errorf("warm run: %d HN requests, want at most 100", warm.hn)
	}
	if want := int64(len(changed)); warm.rest < want {
		t.Errorf("warm run: %d REST requests for %d changed repositories: their commit activity was not read", warm.rest, want)
	}
	after := e.details()
	for _, name := range []string{changed[0], "org0/repo0"} {
		b, a := before[name].Commits, after[name].Commits
		moved := a != nil && b != nil && !a.Start.Equal(b.Start)
		if (name == changed[0]) != moved {
			t.Errorf("%s: commits start %v → %v; want moved only for a changed repository", name, b.Start, a.Start)
		}
	}
	_, idx := e.latest()
	mentions := map[string]int{}
	for _, p := range idx.Projects {
		if p.Mentions != nil {
			mentions[p.Repo] = *p.Mentions
		}
	}
	// repo1: the first story (carried over) and the comment; repo7: the
	// story (.git) and the comment (www., #readme); repo0 is suggested.
	if mentions["org0/repo1"] != 2 || mentions["org0/repo7"] != 2 {
		t.Errorf("mentions of repo1 %d, repo7 %d; want 2 and 2", mentions["org0/repo1"], mentions["org0/repo7"])
	}
}

// TestQuotaStopsAndResumes gives the token GraphQL points for about two
// batches a run: the run publishes what it read, marks the rest stale with
// their previous figures, and the next run starts where it stopped.
func TestQuotaStopsAndResumes(t *testing.T) {
	const n = 500
	e := newEnv(t, n)
	if _, err := e.run(); err != nil {
		t.Fatalf("first run: %v", err)
	}
	perBatch := e.gh.Points() / 5
	_, first := e.latest()
	e.gh.GraphQLQuota = 5000
	e.cfg.Reserve.GraphQL = 5000 - int(perBatch*5/2)
	for i, name := range e.gh.Names() {
		e.gh.Update(name, func(r *ghtest.Repo) { r.Stars = 1_000_000 + i })
	}
	for run, want := range []int{200, 400} { // the first project each run should reach, after its start
		e.clock.Advance(2 * time.Hour) // a new GraphQL window
		rep, err := e.run()
		if err != nil {
			t.Fatalf("run %d: %v\n%s", run, err, e.out.String())
		}
		if rep.Collected != 200 || len(rep.Skipped) != 300 || len(rep.Failed) != 0 {
			t.Fatalf("run %d: collected %d, skipped %d, failed %v; want 200, 300, none", run, rep.Collected, len(rep.Skipped), rep.Failed)
		}
		if wantResume := fmt.Sprintf("org%d/repo%d", want/100, want); rep.Resume != wantResume {
			t.Errorf("run %d resumes at %q, want %q", run, rep.Resume, wantResume)
		}
		if !strings.Contains(e.out.String(), "quota reserve reached: 300 repositories not reached") {
			t.Errorf("run %d: the summary does not say it stopped:\n%s", run, e.out.String())
		}
		_, idx := e.latest()
		for i, p := range idx.Projects {
			read := i >= want-200 && i < want
			if fresh := *p.Stars >= 1_000_000; fresh != read && (run == 0 || i >= 200) {
				t.Errorf("run %d: %s stars %d, read this run %v", run, p.Repo, *p.Stars, read)
			}
			if p.Stale == read {
				t.Errorf("run %d: %s stale %v, read this run %v", run, p.Repo, p.Stale, read)
			}
			if want := map[bool]string{false: snapshot.StaleQuota}[read]; p.StaleReason != want {
				t.Errorf("run %d: %s stale reason %q, want %q", run, p.Repo, p.StaleReason, want)
			}
			if p.Stale && (p.Stars == nil || *p.Stars < *first.Projects[i].Stars) {
				t.Errorf("run %d: stale %s lost its previous figures: stars %v", run, p.Repo, p.Stars)
			}
		}
	}
}

// TestRESTReserve gives the token few REST requests: the run puts off what
// it cannot afford instead of waiting for the quota's reset.
func TestRESTReserve(t *testing.T) {
	e := newEnv(t, 300)
	e.gh.Quota = 400
	e.cfg.Reserve.REST = 100
	rep, err := e.run()
	if err != nil {
		t.Fatalf("run: %v\n%s", err, e.out.String())
	}
	if rep.Deferred == 0 || rep.Stats.Waits != 0 || rep.Collected != 300 {
		t.Errorf("deferred %d, limit waits %d, collected %d; want some deferred, no wait, all 300 collected", rep.Deferred, rep.Stats.Waits, rep.Collected)
	}
	if rep.Stats.QuotaLeft < 90 {
		t.Errorf("REST quota left %d, want about the reserve of 100", rep.Stats.QuotaLeft)
	}
}

// TestGraphQLPartialError checks that a repository the batch answers with
// an error fails alone and keeps its previous figures, stale.
func TestGraphQLPartialError(t *testing.T) {
	e, _, before := published(t, 20)
	e.gh.Update("org0/repo3", func(r *ghtest.Repo) { r.GraphQLError = "INTERNAL" })
	rep, err := e.run()
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0], "org0/repo3: fetch org0/repo3: graphql") || rep.Collected != 19 {
		t.Fatalf("failed %v, collected %d; want org0/repo3 alone", rep.Failed, rep.Collected)
	}
	_, after := e.latest()
	if p := after.Projects[3]; !p.Stale || p.StaleReason != snapshot.StaleError || *p.Stars != *before.Projects[3].Stars {
		t.Errorf("org0/repo3: stale %v (%q), stars %v; want its previous figures, stale for an error", p.Stale, p.StaleReason, p.Stars)
	}
}

// TestNewProjectSearchedOnce checks that a project added to the catalog
// gets one full HN search, and later runs only harvest.
func TestNewProjectSearchedOnce(t *testing.T) {
	e := newEnv(t, 11)
	e.hn.Hits = []hntest.Hit{hntest.Story(1, "repo10", "https://github.com/org0/repo10", 1, 1, start.AddDate(-1, 0, 0))}
	writeCatalog(t, e.cfg.Catalog, e.gh.Names()[:10])
	if _, err := e.run(); err != nil {
		t.Fatal(err)
	}
	for run, wantSearches := range []int64{1, 0} {
		writeCatalog(t, e.cfg.Catalog, e.gh.Names())
		e.resetCounts()
		e.clock.Advance(time.Hour)
		if _, err := e.run(); err != nil {
			t.Fatal(err)
		}
		if got := e.hn.PathCount("/search"); got != wantSearches {
			t.Errorf("run %d: %d full searches, want %d", run, got, wantSearches)
		}
		if got := e.hn.PathCount("/search_by_date"); got != 1 {
			t.Errorf("run %d: %d harvests, want 1", run, got)
		}
		_, idx := e.latest()
		if p := idx.Projects[10]; p.Mentions == nil || *p.Mentions != 1 {
			t.Errorf("run %d: repo10 mentions %v, want its one story", run, p.Mentions)
		}
	}
}

// TestDiscovery tracks what the catalog's rules find beside the
// hand-listed projects, searching GitHub at most once a day.
func TestDiscovery(t *testing.T) {
	e := newEnv(t, 300)
	writeCatalog(t, e.cfg.Catalog, e.gh.Names()[:10])
	f, err := os.OpenFile(e.cfg.Catalog, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("discover:\n  - {topic: topic3, min_stars: 100, category: odd, max: 40}\n")
	f.Close()
	for run, tt := range []struct {
		after    time.Duration
		searched bool
	}{{0, true}, {time.Hour, false}, {25 * time.Hour, true}} {
		e.clock.Advance(tt.after)
		e.log.Reset()
		rep, err := e.run()
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if searched := strings.Contains(e.log.String(), "msg=discovered"); searched != tt.searched {
			t.Errorf("run %d: searched GitHub %v, want %v", run, searched, tt.searched)
		}
		_, idx := e.latest()
		// topic3 is i%7 == 3; those among the first ten are hand-listed.
		if rep.Total != 10+40-1 || len(idx.Projects) != rep.Total {
			t.Errorf("run %d: %d projects tracked, %d published; want 49", run, rep.Total, len(idx.Projects))
		}
	}
}
