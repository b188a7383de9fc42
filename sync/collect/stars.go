package collect

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"versus/sync/gh"
	"versus/sync/starhist"
)

// MissingFor is how long a repository whose star history GitHub answered
// 404 is not asked again: a 404 carries no ETag, so asking costs every time.
const MissingFor = 30 * 24 * time.Hour

// Budget is the share of the quota a run may spend on older pages of star
// history: they are read only while more than Reserve × the quota left when
// the first of them was asked remains, pages in flight counted as spent, so
// the rest of the run (and the next runs within the hour) keep the rest. A
// nil Budget reads no older pages.
type Budget struct {
	Left    func() int64 // the quota left now; -1 when unknown
	Reserve float64      // share of the quota left kept, 0–1

	mu       sync.Mutex
	floor    int64 // set by the first older page asked
	set      bool
	inFlight int64
}

// take reports whether one more older page fits the budget; when it does,
// the caller calls done once the page is answered.
func (b *Budget) take() bool {
	if b == nil || b.Left == nil {
		return false
	}
	left := b.Left()
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case left < 0 && b.inFlight > 0:
		return false // unknown until the first answer: that one tells
	case left >= 0 && !b.set:
		b.floor, b.set = int64(float64(left)*min(max(b.Reserve, 0), 1)), true
	}
	if left >= 0 && left-b.inFlight <= b.floor {
		return false
	}
	b.inFlight++
	return true
}

func (b *Budget) done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.inFlight--
}

// open reports whether the budget has room for a page now, without taking it.
func (b *Budget) open() bool {
	if !b.take() {
		return false
	}
	b.done()
	return true
}

// History reads star history pages into a Book: a repository's newest page
// when its star count changed, then older pages newest first within a
// Budget. It is safe for concurrent use.
type History struct {
	GitHub *gh.Client
	Book   *starhist.Book
	Clock  gh.Clock
	Budget *Budget // for the older pages of Backfill

	newest, olderPages, missing atomic.Int64
	mu                          sync.Mutex
	failed                      []string
}

// HistoryStats is what History did in a run.
type HistoryStats struct {
	Newest, Older int64    // pages read
	Missing       int64    // repositories GitHub answered 404 for
	Failed        []string // "owner/name: error"; their history waits for a later run
}

// Stats returns what h did so far.
func (h *History) Stats() HistoryStats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return HistoryStats{Newest: h.newest.Load(), Older: h.olderPages.Load(), Missing: h.missing.Load(),
		Failed: append([]string(nil), h.failed...)}
}

// Previous returns the star count repo's newest page was read with, nil
// when none was: the prev of Fetch.
func (h *History) Previous(repo string) *int {
	if n, ok := h.Book.Stars(repo); ok {
		return &n
	}
	return nil
}

// Fetch reads repo's star history as far as it needs and b allows: the
// newest page when the count changed from prev to cur (or prev is unknown,
// or none was read), then older pages newest first while b allows (none
// for a nil b), each once. It asks nothing when cur is unknown or GitHub
// answered 404 within MissingFor. A 404 is remembered and is not an error;
// another failure is recorded in Stats, and returned. The GraphQL path
// calls it as Fetch(ctx, repo, h.Previous(repo), stargazerCount, nil).
func (h *History) Fetch(ctx context.Context, repo string, prev, cur *int, b *Budget) error {
	now := h.Clock.Now()
	if cur == nil || h.Book.Missing(repo, now, MissingFor) {
		return nil // nothing to rebuild from, or nothing to ask for
	}
	if _, read := h.Book.Stars(repo); !read || prev == nil || *prev != *cur {
		if ok, err := h.page(ctx, repo, 1, *cur, now); !ok {
			return err
		}
	}
	return h.older(ctx, repo, now, b)
}

// older reads repo's older pages newest first while b allows, each once.
func (h *History) older(ctx context.Context, repo string, now time.Time, b *Budget) error {
	asked := map[int]bool{}
	for {
		p := h.Book.Next(repo, now, gh.StarWeeksPerPage, gh.MaxStarPage)
		if p <= 1 || asked[p] || !b.take() {
			return nil // done, or never read: the newest page is Fetch's
		}
		asked[p] = true
		ok, err := h.page(ctx, repo, p, 0, now)
		b.done()
		if !ok {
			return err
		}
	}
}

// page reads page p of repo's history into the book (stars: the count now,
// kept with page 1), and reports whether there is more to ask: not after a
// 404 (remembered) or a failure (recorded in Stats, and returned).
func (h *History) page(ctx context.Context, repo string, p, stars int, now time.Time) (bool, error) {
	pg, err := h.GitHub.StarHistory(ctx, repo, p)
	switch {
	case errors.Is(err, gh.ErrNoHistory):
		h.missing.Add(1)
		h.Book.SetMissing(repo, now)
		return false, nil
	case err != nil:
		h.mu.Lock()
		h.failed = append(h.failed, fmt.Sprintf("%s: %v", repo, err))
		h.mu.Unlock()
		return false, err
	}
	if p == 1 {
		h.newest.Add(1)
	} else {
		h.olderPages.Add(1)
	}
	h.Book.Add(repo, p, gh.StarWeeksPerPage, pg.Weeks, pg.More, stars, now)
	return true, nil
}

// Backfill reads older pages of the repositories' histories, newest first,
// while the Budget allows, workers at once, in the order of the names; a
// repository whose newest page was never read waits for the next run.
func (h *History) Backfill(ctx context.Context, repos []string, workers int) {
	repos = slices.Clone(repos)
	sort.Strings(repos)
	var g errgroup.Group
	g.SetLimit(max(workers, 1))
	for _, repo := range repos {
		if ctx.Err() != nil || !h.Budget.open() {
			break
		}
		g.Go(func() error {
			h.older(ctx, repo, h.Clock.Now(), h.Budget) // failures are in Stats
			return nil
		})
	}
	g.Wait()
}

// Fetched returns the catalog repos of the projects fetched.
func (p *Part) Fetched() []string {
	var repos []string
	for _, r := range p.Results {
		if r.Status == OK {
			repos = append(repos, r.Project.Repo)
		}
	}
	return repos
}
