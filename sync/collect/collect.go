// Package collect reads the tracked repositories from GitHub and their Hacker
// News mentions into a Part: one Result per catalog project, a plain value
// that encodes to JSON, so that collecting can be split across tasks and the
// parts assembled once (sync/assemble).
//
// Repository fields come in GraphQL batches of gh.MaxBatch; REST is asked
// only for what GraphQL lacks and only when a cheap signal changed against
// what the last run left (Prior): commit activity when pushedAt moved,
// contributors at most weekly. A run stops asking before it would use up
// what the token has left (Reserve) and says where the next one resumes.
// Hacker News is one harvest of what was posted since the last run
// (HNAfter), matched locally; a repository never searched gets one full
// search. Without a GraphQL endpoint (404) every repository is read through
// REST, five requests each.
package collect

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"versus/sync/catalog"
	"versus/sync/gh"
	"versus/sync/hn"
	"versus/sync/snapshot"
)

// Pending commit activity (202) is asked again activityRounds times, the
// wait between rounds doubling from activityWait, before the previous value
// is kept; activityWorkers asks at once.
const (
	activityRounds  = 4
	activityWait    = 2 * time.Second
	activityWorkers = 8
)

// ContributorsEvery is how often a repository's contributors are counted
// again; in between the last count is kept.
const ContributorsEvery = 7 * 24 * time.Hour

// HNOverlap is how far before the last harvest's newest item the next
// harvest starts, so that an item indexed late is not missed; items are
// deduplicated by id.
const HNOverlap = time.Hour

// The status of a Result.
const (
	OK       = "ok"        // Repo holds this run's figures
	NotFound = "not_found" // GitHub answered 404: the project is dropped
	Failed   = "failed"    // the fetch failed: the project keeps its previous figures
	Skipped  = "skipped"   // not reached within the token's quota: previous figures, stale
)

// Part is what collecting a list of catalog projects learnt.
type Part struct {
	Results []Result `json:"results"` // in the order of the projects
	// Resume is the catalog repo the next run should start from, the first
	// one this run did not reach; "" when it reached every project.
	Resume string `json:"resume,omitempty"`
	// Deferred counts REST reads put off because the quota was low (their
	// previous values are kept and asked again next run).
	Deferred int `json:"deferred,omitempty"`
	// HNNewest is where the next harvest starts: the newest item harvested,
	// or this run's start after full searches; zero when the harvest
	// failed or did not finish (the next run asks again from HNAfter).
	HNNewest time.Time `json:"hn_newest,omitzero"`
	// HNRequests counts the requests made to Hacker News.
	HNRequests int `json:"hn_requests"`
}

// Result is what collecting learnt of one catalog project.
type Result struct {
	Project catalog.Project `json:"project"`
	Status  string          `json:"status"`
	Error   string          `json:"error,omitempty"` // why it failed or was not found
	// Stale is why a Failed or Skipped project was not read, a
	// snapshot.Stale* reason.
	Stale string   `json:"stale,omitempty"`
	Repo  *gh.Repo `json:"repo,omitempty"` // when OK
	// Posts are the HN stories and comments linking to the project, unless
	// PostsError says why the search failed (its previous posts are kept).
	// With Carry they are only those posted since the last run: the
	// previous snapshot's posts are to be added.
	Posts      []hn.Item `json:"posts"`
	PostsError string    `json:"posts_error,omitempty"`
	Carry      bool      `json:"carry,omitempty"`
	// Searched: the project has had its one full HN search.
	Searched bool `json:"searched,omitempty"`
	// The signals the next run compares against (see Prior).
	Pushed         *time.Time `json:"pushed,omitempty"`
	ContributorsAt *time.Time `json:"contributors_at,omitempty"`
}

// Prior is what the last run left of a project: its figures from the
// previous snapshot and the signals it read them at.
type Prior struct {
	Stars          *int
	Commits        *snapshot.Weekly
	Contributors   *int
	Pushed         *time.Time // the push Commits were read after
	ContributorsAt *time.Time // when Contributors were counted
	Searched       bool       // had its full HN search
}

// Reserve is what a run leaves of the token's quota: it stops asking when
// GitHub says no more than this is left (REST requests, GraphQL points).
type Reserve struct {
	REST, GraphQL int
}

// StarCounts returns the star count of every project fetched, by the
// catalog's repo in lowercase (a rename keeps its history).
func (p *Part) StarCounts() map[string]int {
	counts := map[string]int{}
	for _, r := range p.Results {
		if r.Status == OK && r.Repo.Stars != nil {
			counts[strings.ToLower(r.Project.Repo)] = *r.Repo.Stars
		}
	}
	return counts
}

// Collector collects repositories with its clients.
type Collector struct {
	GitHub *gh.Client
	HN     *hn.Client
	Clock  gh.Clock // waits between rounds of pending commit activity
	// Workers is how many repositories are fetched at once (the client's
	// gate caps the requests in flight); HNWorkers how many HN searches
	// run at once.
	Workers, HNWorkers int
	// Prior is what the last run left, by lowercase catalog repo; a
	// project without one is read in full.
	Prior map[string]Prior
	// Resume is the catalog repo to start from (Part.Resume of the last
	// run); "" or unknown starts at the first project.
	Resume string
	// Reserve is the quota left untouched.
	Reserve Reserve
	// HNAfter is when the last harvest stopped; zero for none: every
	// project then gets its full search. HNRequests bounds the harvest.
	HNAfter    time.Time
	HNRequests int
	// Done, when set, is called after each repository's GitHub fetch, from
	// any goroutine.
	Done func(repo string, err error)
	// History, when set, reads star history: the newest page with each
	// repository, older pages after them all (see History.Backfill).
	History *History
}

// Run collects every project: GitHub and Hacker News side by side, then
// the commit activity GitHub was still computing. A repository that fails
// is a Failed result, not an error. The error is the context's when it
// ended, or one wrapping gh.ErrLimitTooLong: the run should then publish
// nothing.
func (c *Collector) Run(ctx context.Context, projects []catalog.Project) (*Part, error) {
	part := &Part{Results: make([]Result, len(projects))}
	errs := make([]error, len(projects))
	// Hacker News runs beside GitHub: different host, different limits.
	posts := make([]Result, len(projects)) // only the posts fields
	var hnPass errgroup.Group
	hnPass.Go(func() error {
		part.HNNewest, part.HNRequests = c.mentions(ctx, projects, posts)
		return nil
	})
	pushed := make([]*time.Time, len(projects)) // this run's pushedAt while activity is pending
	c.github(ctx, projects, part, errs, pushed)
	c.retryActivity(ctx, part.Results, pushed) // stops early only when ctx ends
	if c.History != nil {
		c.newestStars(ctx, part.Results)
		c.History.Backfill(ctx, part.Fetched(), c.Workers)
	}
	hnPass.Wait()
	for i := range part.Results {
		r, p := &part.Results[i], posts[i]
		r.Posts, r.PostsError, r.Carry, r.Searched = p.Posts, p.PostsError, p.Carry, p.Searched
	}
	if err := ctx.Err(); err != nil {
		return part, err
	}
	for _, err := range errs {
		if errors.Is(err, gh.ErrLimitTooLong) {
			return part, err
		}
	}
	return part, nil
}

// github reads every project in batches, from Resume on and round the
// catalog, until the GraphQL budget or ctx ends; the projects not reached
// are Skipped and the first of them is where the next run resumes.
func (c *Collector) github(ctx context.Context, projects []catalog.Project, part *Part, errs []error, pushed []*time.Time) {
	order := make([]int, len(projects))
	first := 0
	for i, p := range projects {
		if c.Resume != "" && strings.EqualFold(p.Repo, c.Resume) {
			first = i
		}
	}
	for k := range order {
		order[k] = (first + k) % len(projects)
	}
	var g errgroup.Group // a failed repository never stops the others
	g.SetLimit(max(c.Workers, 1))
	var deferred sync.Mutex
	rest := false // no GraphQL endpoint: every repository through REST
	stop := ""    // why the remaining projects are skipped
	lastCost := 0
	for from := 0; from < len(order); from += gh.MaxBatch {
		batch := order[from:min(from+gh.MaxBatch, len(order))]
		if stop == "" && ctx.Err() == nil && !rest {
			if left := c.GitHub.Stats().GraphQLLeft; left >= 0 && int(left) <= c.Reserve.GraphQL+lastCost {
				stop = fmt.Sprintf("quota: %d GraphQL points left, keeping %d", left, c.Reserve.GraphQL)
			}
		}
		if stop != "" || ctx.Err() != nil {
			if part.Resume == "" && stop != "" {
				part.Resume = projects[batch[0]].Repo
			}
			for _, i := range batch {
				if stop != "" {
					part.Results[i] = Result{Project: projects[i], Status: Skipped, Error: stop, Stale: snapshot.StaleQuota}
				} else {
					part.Results[i], errs[i] = result(projects[i], nil, ctx.Err())
				}
			}
			continue
		}
		var answers []gh.Batched
		var err error
		if !rest {
			names := make([]string, len(batch))
			for k, i := range batch {
				names[k] = projects[i].Repo
			}
			var cost gh.Cost
			answers, cost, err = c.GitHub.Batch(ctx, names)
			lastCost = cost.Points
			rest = errors.Is(err, gh.ErrNoGraphQL)
		}
		viaREST := rest
		for k, i := range batch {
			p := projects[i]
			g.Go(func() error {
				var r Result
				var rerr error
				switch {
				case viaREST:
					r, rerr = c.Repo(ctx, p)
				case err != nil:
					r, rerr = result(p, nil, fmt.Errorf("fetch %s: %w", p.Repo, err))
				default:
					var n int
					r, n, rerr = c.complete(ctx, p, answers[k])
					if r.Status == OK && r.Repo.Pending {
						pushed[i] = answers[k].Pushed
					}
					deferred.Lock()
					part.Deferred += n
					deferred.Unlock()
				}
				if !viaREST && c.Done != nil {
					c.Done(p.Repo, rerr)
				}
				part.Results[i], errs[i] = r, rerr
				return nil
			})
		}
		if rest || errors.Is(err, gh.ErrLimitTooLong) {
			g.Wait() // the REST path, or a run that is over, goes one batch at a time
		}
	}
	g.Wait()
}

// complete turns one batched answer into a Result, reading through REST
// what GraphQL lacks when its signal changed. It returns how many reads it
// put off for the quota.
func (c *Collector) complete(ctx context.Context, p catalog.Project, b gh.Batched) (Result, int, error) {
	fail := func(err error) (Result, int, error) {
		r, err := result(p, nil, err)
		return r, 0, err
	}
	if b.Err != nil {
		return fail(b.Err)
	}
	r, prior := b.Repo, c.Prior[strings.ToLower(p.Repo)]
	res := Result{Project: p, Status: OK, Repo: r, Pushed: prior.Pushed, ContributorsAt: prior.ContributorsAt}
	r.Commits, r.Contributors = prior.Commits, prior.Contributors
	deferred := 0
	if b.Pushed == nil || prior.Pushed == nil || !b.Pushed.Equal(*prior.Pushed) {
		if !c.restLeft() {
			deferred++
		} else {
			w, ready, err := c.GitHub.Activity(ctx, r.FullName)
			if err != nil {
				return fail(fmt.Errorf("fetch %s: %w", p.Repo, err))
			}
			if ready {
				r.Commits, res.Pushed = w, b.Pushed
			} else {
				r.Commits, r.Pending = nil, true
			}
		}
	}
	now := c.Clock.Now()
	if prior.ContributorsAt == nil || now.Sub(*prior.ContributorsAt) >= ContributorsEvery {
		if !c.restLeft() {
			deferred++
		} else {
			n, err := c.GitHub.Contributors(ctx, r.FullName)
			if err != nil {
				return fail(fmt.Errorf("fetch %s: contributors: %w", p.Repo, err))
			}
			r.Contributors, res.ContributorsAt = n, &now
		}
	}
	return res, deferred, nil
}

// newestStars reads the newest star-history page of every repository
// whose stargazerCount moved, after the figures and commit activity of all
// of them (they matter more); with no quota to spare above the reserve the
// page waits for a run that has some. A failure waits for the next run.
func (c *Collector) newestStars(ctx context.Context, results []Result) {
	var g errgroup.Group
	g.SetLimit(max(c.Workers, 1))
	for _, r := range results {
		if r.Status != OK || ctx.Err() != nil || !c.restLeft() {
			continue
		}
		g.Go(func() error {
			c.History.Fetch(ctx, r.Project.Repo, c.History.Previous(r.Project.Repo), r.Repo.Stars, nil)
			return nil
		})
	}
	g.Wait()
}

// restLeft reports whether the REST quota GitHub last showed is above the
// reserve (or unknown).
func (c *Collector) restLeft() bool {
	left := c.GitHub.Stats().QuotaLeft
	return left < 0 || int(left) > c.Reserve.REST
}

// Repo fetches one project from GitHub: its Result (without posts) and the
// fetch error, nil when OK.
func (c *Collector) Repo(ctx context.Context, p catalog.Project) (Result, error) {
	r, err := c.GitHub.Fetch(ctx, p.Repo)
	if c.Done != nil {
		c.Done(p.Repo, err)
	}
	return result(p, r, err)
}

func result(p catalog.Project, r *gh.Repo, err error) (Result, error) {
	switch {
	case errors.Is(err, gh.ErrNotFound):
		return Result{Project: p, Status: NotFound, Error: err.Error()}, err
	case err != nil:
		return Result{Project: p, Status: Failed, Error: err.Error(), Stale: staleReason(err)}, err
	}
	return Result{Project: p, Status: OK, Repo: r}, nil
}

// staleReason says why err kept a project from being read.
func staleReason(err error) string {
	switch {
	case errors.Is(err, gh.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return snapshot.StaleTimeout
	case errors.Is(err, gh.ErrLimitTooLong):
		return snapshot.StaleRateLimit
	case errors.Is(err, context.Canceled):
		return snapshot.StaleInterrupted
	}
	return snapshot.StaleError
}

// mentions sets the posts fields of found[i] for every project i: one
// harvest of what was posted since HNAfter, matched to the projects
// already searched, and a full search for the others. It returns where the
// next harvest starts (zero: from HNAfter again) and the requests made.
func (c *Collector) mentions(ctx context.Context, projects []catalog.Project, found []Result) (time.Time, int) {
	begin := c.Clock.Now()
	var newest time.Time
	var mu sync.Mutex
	requests := 0
	var full []int // projects to search in full
	if c.HNAfter.IsZero() {
		for i := range projects {
			full = append(full, i)
		}
		newest = begin
	} else {
		h, err := c.HN.Since(ctx, c.HNAfter.Add(-HNOverlap), c.HNRequests)
		requests = h.Requests
		byLink := map[string][]hn.Item{}
		for _, it := range h.Items {
			for _, l := range it.Links {
				byLink[l] = append(byLink[l], it)
			}
		}
		for i, p := range projects {
			key := strings.ToLower(p.Repo)
			if !c.Prior[key].Searched {
				full = append(full, i)
				continue
			}
			found[i].Searched = true
			if err != nil {
				found[i].PostsError = err.Error()
				continue
			}
			found[i].Posts, found[i].Carry = byLink[key], true
		}
		if err == nil && h.Complete { // else the next run reads again from HNAfter
			newest = h.Newest
			if newest.Before(c.HNAfter) {
				newest = c.HNAfter
			}
		}
	}
	var g errgroup.Group
	g.SetLimit(max(c.HNWorkers, 1))
	for _, i := range full {
		g.Go(func() error {
			items, err := c.HN.Search(ctx, projects[i].Repo)
			mu.Lock()
			requests++
			mu.Unlock()
			if err != nil {
				found[i].PostsError = err.Error()
			} else {
				found[i].Posts, found[i].Searched = items, true
			}
			return nil
		})
	}
	g.Wait()
	return newest, requests
}

// retryActivity asks again for commit activity GitHub was still computing,
// a bounded number of times with growing waits between rounds, until ctx
// ends.
func (c *Collector) retryActivity(ctx context.Context, results []Result, pushed []*time.Time) {
	for round := range activityRounds {
		var pending []int
		for i, r := range results {
			if r.Status == OK && r.Repo.Pending {
				pending = append(pending, i)
			}
		}
		if len(pending) == 0 || c.Clock.Sleep(ctx, activityWait<<round) != nil {
			return
		}
		var g errgroup.Group
		g.SetLimit(activityWorkers)
		for _, i := range pending {
			g.Go(func() error {
				r := results[i].Repo
				w, ready, err := c.GitHub.Activity(ctx, r.FullName)
				if err == nil && ready {
					r.Commits, r.Pending = w, false
					if pushed[i] != nil { // the next run compares with this push
						results[i].Pushed = pushed[i]
					}
				}
				return nil
			})
		}
		g.Wait()
	}
}
