// Package collect reads the tracked repositories from GitHub and their Hacker
// News mentions into a Part: one Result per catalog project, a plain value
// that encodes to JSON, so that collecting can be split across tasks and the
// parts assembled once (sync/assemble).
package collect

import (
	"context"
	"errors"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"versus/sync/catalog"
	"versus/sync/gh"
	"versus/sync/hn"
)

// Pending commit activity (202) is asked again activityRounds times, the
// wait between rounds doubling from activityWait, before the previous value
// is kept; activityWorkers asks at once.
const (
	activityRounds  = 4
	activityWait    = 2 * time.Second
	activityWorkers = 8
)

// The status of a Result.
const (
	OK       = "ok"        // Repo holds this run's figures
	NotFound = "not_found" // GitHub answered 404: the project is dropped
	Failed   = "failed"    // the fetch failed: the project keeps its previous figures
)

// Part is what collecting a list of catalog projects learnt.
type Part struct {
	Results []Result `json:"results"` // in the order of the projects
}

// Result is what collecting learnt of one catalog project.
type Result struct {
	Project catalog.Project `json:"project"`
	Status  string          `json:"status"`
	Error   string          `json:"error,omitempty"` // why it failed or was not found
	Repo    *gh.Repo        `json:"repo,omitempty"`  // when OK
	// Posts are the HN stories and comments linking to the project, unless
	// PostsError says why the search failed (its previous posts are kept).
	Posts      []hn.Item `json:"posts"`
	PostsError string    `json:"posts_error,omitempty"`
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
		c.searchAll(ctx, projects, posts)
		return nil
	})

	var g errgroup.Group // a failed repository never stops the others
	g.SetLimit(max(c.Workers, 1))
	for i, p := range projects {
		if ctx.Err() != nil {
			part.Results[i], errs[i] = result(p, nil, ctx.Err())
			continue
		}
		g.Go(func() error {
			part.Results[i], errs[i] = c.Repo(ctx, p)
			return nil
		})
	}
	g.Wait()
	c.retryActivity(ctx, part.Results) // stops early only when ctx ends
	if c.History != nil {
		c.History.Backfill(ctx, part.Fetched(), c.Workers)
	}
	hnPass.Wait()
	for i := range part.Results {
		part.Results[i].Posts, part.Results[i].PostsError = posts[i].Posts, posts[i].PostsError
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

// Repo fetches one project from GitHub: its Result (without posts) and the
// fetch error, nil when OK.
func (c *Collector) Repo(ctx context.Context, p catalog.Project) (Result, error) {
	r, err := c.GitHub.Fetch(ctx, p.Repo)
	if c.History != nil && err == nil { // a failure waits for the next run
		c.History.Fetch(ctx, p.Repo, c.History.Previous(p.Repo), r.Stars, nil)
	}
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
		return Result{Project: p, Status: Failed, Error: err.Error()}, err
	}
	return Result{Project: p, Status: OK, Repo: r}, nil
}

// searchAll sets the posts fields of found[i] for every project i.
func (c *Collector) searchAll(ctx context.Context, projects []catalog.Project, found []Result) {
	var g errgroup.Group
	g.SetLimit(max(c.HNWorkers, 1))
	for i, p := range projects {
		g.Go(func() error {
			items, err := c.HN.Search(ctx, p.Repo)
			if err != nil {
				found[i].PostsError = err.Error()
			} else {
				found[i].Posts = items
			}
			return nil
		})
	}
	g.Wait()
}

// retryActivity asks again for commit activity GitHub was still computing,
// a bounded number of times with growing waits between rounds, until ctx
// ends.
func (c *Collector) retryActivity(ctx context.Context, results []Result) {
	for round := range activityRounds {
		var pending []*gh.Repo
		for _, r := range results {
			if r.Status == OK && r.Repo.Pending {
				pending = append(pending, r.Repo)
			}
		}
		if len(pending) == 0 || c.Clock.Sleep(ctx, activityWait<<round) != nil {
			return
		}
		var g errgroup.Group
		g.SetLimit(activityWorkers)
		for _, r := range pending {
			g.Go(func() error {
				w, ready, err := c.GitHub.Activity(ctx, r.FullName)
				if err == nil && ready {
					r.Commits, r.Pending = w, false
				}
				return nil
			})
		}
		g.Wait()
	}
}
