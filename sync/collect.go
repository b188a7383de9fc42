package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"versus/sync/catalog"
	"versus/sync/gh"
	"versus/sync/hn"
	"versus/sync/metrics"
	"versus/sync/snapshot"
	"versus/sync/store"
)

// Pending commit activity (202) is asked again activityRounds times, the
// wait between rounds doubling from activityWait, before the previous value
// is kept.
const (
	activityRounds = 4
	activityWait   = 2 * time.Second
)

// report is what a run did, for the summary and for tests.
type report struct {
	total, collected int
	failed           []string // "owner/name: error"
	dropped          []string // 404s
	renamed          []string // "old → new"
	hnFailed         int
	pending          int // activity still not ready: previous value kept
	stats            gh.Stats
	pointer          *snapshot.Pointer
	elapsed          time.Duration
}

// result is one catalog project after the GitHub pass.
type result struct {
	cp   catalog.Project
	repo *gh.Repo
	err  error
}

func run(ctx context.Context, cfg config, d deps) (*report, error) {
	log := newLogger(d.stderr)
	begin := d.clock.Now()
	cat, err := catalog.Load(cfg.catalog)
	if err != nil {
		return nil, fmt.Errorf("invalid catalog: %w", err)
	}
	if d.token == "" {
		log.Warn("GITHUB_TOKEN is not set: GitHub allows 60 requests an hour without it", "repositories", len(cat.Projects))
	}
	st, err := openStorage(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	prev, err := loadPrevious(ctx, st)
	if err != nil {
		log.Warn("previous snapshot unreadable; starting without it", "err", err)
	}
	cache, err := loadCache(ctx, st, d.clock, log)
	if err != nil {
		return nil, err
	}
	ref := loadReference(ctx, st, log)
	client, err := gh.New(gh.Options{
		BaseURL: cfg.githubAPI, Token: d.token, Concurrency: cfg.concurrency, MaxWait: cfg.maxWait,
		Clock: d.clock, Cache: cache, Transport: d.transport,
	})
	if err != nil {
		return nil, err
	}
	rep := &report{total: len(cat.Projects)}
	defer func() { // a summary ends every run, failed or not
		rep.stats = client.Stats()
		rep.elapsed = d.clock.Now().Sub(begin)
		summary(d.stdout, rep, cfg.store)
	}()
	prog := newProgress(d, log, len(cat.Projects), client)

	// Hacker News runs beside GitHub: different host, different limits.
	var hnFound map[string][]hn.Item
	var hnErrs map[string]error
	hnDone := make(chan struct{})
	go func() {
		defer close(hnDone)
		hnFound, hnErrs = searchHN(ctx, hn.New(cfg.hnAPI, d.hnHTTP), cat, cfg.concurrency)
	}()

	results := fetchAll(ctx, client, cat, 2*cfg.concurrency, prog)
	if err := retryActivity(ctx, client, d.clock, results); err != nil {
		log.Warn("commit activity retries stopped", "err", err)
	}
	<-hnDone
	prog.finish()
	saveCache := func() {
		if b, err := cache.Marshal(); err != nil {
			log.Warn("etag cache not saved", "err", err)
		} else if err := store.SaveCache(ctx, st.st, b); err != nil {
			log.Warn("etag cache not saved", "err", err)
		}
	}
	// Quota spent is worth keeping even when nothing is published: the
	// cache holds only well-formed answers.
	defer saveCache()
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	for _, r := range results {
		if errors.Is(r.err, gh.ErrLimitTooLong) {
			return rep, r.err
		}
	}
	rep.hnFailed = len(hnErrs)
	for repo, err := range hnErrs {
		log.Warn("hacker news search failed; keeping the previous posts", "repo", repo, "err", err)
	}

	// The snapshot is as of the start of the run: nothing in it is older.
	now := begin.UTC()
	hist, err := recordStars(ctx, st, results, now, log)
	if err != nil {
		return rep, err
	}
	idx, details := build(cat, results, prev, hist, hnFound, hnErrs, now, rep)
	idx.Note = cfg.note
	for i := range idx.Projects {
		if used := ref.apply(&idx.Projects[i]); len(used) > 0 {
			log.Info("reference figures used", "repo", idx.Projects[i].Repo, "figures", used, "source", ref.Source)
		}
	}
	for _, line := range rep.failed {
		log.Warn("repository failed; keeping its previous values", "detail", line)
	}
	if n := len(rep.failed); n > 0 && float64(n) > cfg.maxFailed*float64(rep.total) {
		return rep, fmt.Errorf("%d of %d repositories failed, more than -max-failed %.0f%%: nothing published", n, rep.total, cfg.maxFailed*100)
	}
	if prev.pointer != nil {
		for idx.ID <= prev.pointer.ID { // ids sort by time; never reuse a published one
			now = now.Add(time.Second)
			idx.ID, idx.GeneratedAt = snapshot.NewID(now), now
		}
	}
	ptr, err := publish(ctx, st, idx, details)
	if err != nil {
		return rep, err
	}
	rep.pointer = ptr
	return rep, nil
}

// loadCache returns the ETag cache of the last run. A missing or corrupt one
// starts cold with a warning; a store that cannot be read is an error.
func loadCache(ctx context.Context, st seam, clock gh.Clock, log *slog.Logger) (*gh.Cache, error) {
	b, warning, err := store.LoadCache(ctx, st.st)
	if err != nil {
		return nil, err
	}
	if warning != nil {
		log.Warn("etag cache: starting cold", "why", warning.Error())
		return gh.NewCache(clock.Now), nil
	}
	cache, err := gh.LoadCache(b, clock.Now)
	if err != nil {
		log.Warn("etag cache unreadable: starting cold", "err", err)
		return gh.NewCache(clock.Now), nil
	}
	return cache, nil
}

// recordStars adds this run's star counts to the recorded history, keyed by
// the catalog's name in lowercase (a rename keeps the history), and returns
// the whole history. A missing or corrupt history starts over with a
// warning; a store that cannot be read or written is an error, so that a
// run never writes over a history it could not read.
func recordStars(ctx context.Context, st seam, results []*result, now time.Time, log *slog.Logger) (store.Stars, error) {
	counts := map[string]int{}
	for _, r := range results {
		if r.err == nil && r.repo.Stars != nil {
			counts[strings.ToLower(r.cp.Repo)] = *r.repo.Stars
		}
	}
	hist, warning, err := store.RecordStars(ctx, st.st, now, counts)
	if err != nil {
		return nil, err
	}
	if warning != nil {
		log.Warn("star history", "why", warning.Error())
	}
	return hist, nil
}

// before looks up the recorded history of a lowercase repo for metrics.Growth.
func before(hist store.Stars, key string) metrics.Before {
	return func(t time.Time) (snapshot.StarPoint, bool) {
		r, ok := hist.Before(key, t)
		if !ok {
			return snapshot.StarPoint{}, false
		}
		day, err := time.Parse(time.DateOnly, r.Day)
		return snapshot.StarPoint{Date: day, Stars: r.Stars}, err == nil
	}
}

// fetchAll reads every catalog project with a pool of workers; the client's
// gate caps the requests in flight.
func fetchAll(ctx context.Context, client *gh.Client, cat *catalog.Catalog, workers int, prog *progress) []*result {
	results := make([]*result, len(cat.Projects))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				cp := cat.Projects[i]
				r, err := client.Fetch(ctx, cp.Repo)
				results[i] = &result{cp: cp, repo: r, err: err}
				prog.done(cp.Repo, err)
			}
		}()
	}
	for i := range cat.Projects {
		select {
		case jobs <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			for j := i; j < len(cat.Projects); j++ {
				if results[j] == nil {
					results[j] = &result{cp: cat.Projects[j], err: ctx.Err()}
				}
			}
			break
		}
	}
	close(jobs)
	wg.Wait()
	for i, r := range results {
		if r == nil {
			results[i] = &result{cp: cat.Projects[i], err: ctx.Err()}
		}
	}
	return results
}

// retryActivity asks again for commit activity GitHub was still computing,
// a bounded number of times with growing waits between rounds.
func retryActivity(ctx context.Context, client *gh.Client, clock gh.Clock, results []*result) error {
	for round := range activityRounds {
		wait := activityWait << round
		var pending []*result
		for _, r := range results {
			if r.err == nil && r.repo.Pending {
				pending = append(pending, r)
			}
		}
		if len(pending) == 0 {
			return nil
		}
		if err := clock.Sleep(ctx, wait); err != nil {
			return err
		}
		var wg sync.WaitGroup
		sem := make(chan struct{}, 8)
		for _, r := range pending {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				w, ready, err := client.Activity(ctx, r.repo.FullName)
				if err == nil && ready {
					r.repo.Commits, r.repo.Pending = w, false
				}
			}()
		}
		wg.Wait()
	}
	return nil
}

func searchHN(ctx context.Context, c *hn.Client, cat *catalog.Catalog, workers int) (map[string][]hn.Item, map[string]error) {
	found := map[string][]hn.Item{}
	errs := map[string]error{}
	var mu sync.Mutex
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for repo := range jobs {
				items, err := c.Search(ctx, repo)
				mu.Lock()
				if err != nil {
					errs[strings.ToLower(repo)] = err
				} else {
					found[strings.ToLower(repo)] = items
				}
				mu.Unlock()
			}
		}()
	}
	for _, p := range cat.Projects {
		jobs <- p.Repo
	}
	close(jobs)
	wg.Wait()
	return found, errs
}

// build assembles the index and the details from this run's results and,
// for what failed, the previous snapshot.
func build(cat *catalog.Catalog, results []*result, prev *previous, hist store.Stars,
	hnFound map[string][]hn.Item, hnErrs map[string]error, now time.Time, rep *report) (*snapshot.Index, []*snapshot.Detail) {
	tracked := map[string]string{}
	for _, r := range results {
		tracked[strings.ToLower(r.cp.Repo)] = r.cp.Repo
		if r.repo != nil {
			tracked[strings.ToLower(r.repo.FullName)] = r.repo.FullName
		}
	}
	posts, co := hn.Posts(hnFound, tracked)
	suggested := cat.SuggestedCount()

	idx := &snapshot.Index{SchemaVersion: snapshot.SchemaVersion, ID: snapshot.NewID(now), GeneratedAt: now,
		Categories: cat.Categories}
	var details []*snapshot.Detail
	var scores []*float64
	var keepActivity []*float64 // previous activity of stale projects
	seen := map[string]bool{}
	for _, r := range results {
		key := strings.ToLower(r.cp.Repo)
		var p snapshot.Project
		var det *snapshot.Detail
		switch {
		case errors.Is(r.err, gh.ErrNotFound):
			rep.dropped = append(rep.dropped, r.cp.Repo+": not found on GitHub (404); dropped, remove it from the catalog")
			continue
		case r.err != nil:
			rep.failed = append(rep.failed, fmt.Sprintf("%s: %v", r.cp.Repo, r.err))
			p, det = stale(r.cp, prev)
		default:
			rep.collected++
			if r.repo.Renamed(r.cp.Repo) {
				rep.renamed = append(rep.renamed, fmt.Sprintf("%s → %s (update the catalog)", r.cp.Repo, r.repo.FullName))
			}
			p, det = fresh(r.cp, r.repo, prev, hist, now, rep)
		}
		lk := strings.ToLower(p.Repo)
		if seen[lk] {
			rep.failed = append(rep.failed, fmt.Sprintf("%s: is now %s, which the catalog already lists; left out", r.cp.Repo, p.Repo))
			continue
		}
		seen[lk] = true
		// Posts: this run's, or the previous ones when the search failed.
		if _, failed := hnErrs[key]; failed {
			if pd := prev.details[lk]; pd != nil {
				det.Posts = pd.Posts
			}
			if pp := prev.byRepo[lk]; pp != nil && pp.Mentions != nil {
				m := *pp.Mentions
				p.Mentions = &m
			}
		} else {
			det.Posts = posts[key]
			if key != lk { // renamed: posts may link to either name
				det.Posts = mergePosts(det.Posts, posts[lk])
			}
			m := len(det.Posts) + suggested[key]
			p.Mentions = &m
		}
		if det.Posts == nil {
			det.Posts = []snapshot.Post{}
		}
		det.StarHistory = hist.Points(key)
		idx.Projects = append(idx.Projects, p)
		details = append(details, det)
		if r.err == nil {
			scores = append(scores, metrics.Score(det.Commits))
			keepActivity = append(keepActivity, nil)
		} else {
			scores = append(scores, nil)
			keepActivity = append(keepActivity, p.Activity)
		}
	}
	// Activity ranks every project with fresh commit counts among them.
	for i, a := range metrics.Activity(scores) {
		if keepActivity[i] != nil || scores[i] == nil {
			idx.Projects[i].Activity = keepActivity[i]
			continue
		}
		idx.Projects[i].Activity = a
	}
	cands := make([]metrics.Candidate, len(idx.Projects))
	for i, p := range idx.Projects {
		cp, _ := cat.ByRepo(p.Repo)
		if cp.Repo == "" {
			for _, r := range results {
				if r.repo != nil && strings.EqualFold(r.repo.FullName, p.Repo) {
					cp = r.cp
				}
			}
		}
		cands[i] = metrics.Candidate{Slug: p.Slug, Repo: p.Repo, Categories: p.Categories, Topics: p.Topics,
			Suggested: cp.Alternatives, Stars: deref(p.Stars)}
	}
	for i, alts := range metrics.Alternatives(cands, co) {
		idx.Projects[i].Alternatives = alts
	}
	return idx, details
}

// fresh builds a project from this run's answers and records its stars.
func fresh(cp catalog.Project, r *gh.Repo, prev *previous, hist store.Stars, now time.Time, rep *report) (snapshot.Project, *snapshot.Detail) {
	owner, name, _ := strings.Cut(r.FullName, "/")
	fetched := now
	p := snapshot.Project{
		Repo: r.FullName, Slug: cp.Slug, Name: name, Owner: owner,
		Description: r.Description, Homepage: r.Homepage, Language: r.Language, License: r.License,
		Topics: r.Topics, Categories: cp.Categories, Stars: r.Stars,
		LastCommit: r.LastCommit, Created: r.Created, Archived: r.Archived, Forks: r.Forks, OpenIssues: r.OpenIssues,
		Contributors: r.Contributors, Release: r.Release, FetchedAt: &fetched,
	}
	if r.Stars != nil { // history is keyed by the catalog name, so a rename keeps it
		p.Growth, p.Stars7d, p.Stars30d = metrics.Growth(before(hist, strings.ToLower(cp.Repo)), now, *r.Stars)
	}
	det := &snapshot.Detail{SchemaVersion: snapshot.SchemaVersion, Repo: r.FullName, Commits: r.Commits}
	if r.Pending {
		rep.pending++
		if pd := prev.details[strings.ToLower(r.FullName)]; pd != nil {
			det.Commits = pd.Commits // GitHub never finished: keep the last value
		} else if pd := prev.details[strings.ToLower(cp.Repo)]; pd != nil {
			det.Commits = pd.Commits
		}
	}
	return p, det
}

// stale keeps a failed project's previous figures, marked stale with the
// time of its last good fetch; with no previous figures everything is
// unknown.
func stale(cp catalog.Project, prev *previous) (snapshot.Project, *snapshot.Detail) {
	key := strings.ToLower(cp.Repo)
	if pp := prev.byRepo[key]; pp != nil {
		p := *pp
		p.Slug, p.Categories, p.Stale = cp.Slug, cp.Categories, true
		det := &snapshot.Detail{SchemaVersion: snapshot.SchemaVersion, Repo: p.Repo}
		if pd := prev.details[key]; pd != nil {
			det.Commits = pd.Commits
		}
		return p, det
	}
	owner, name, _ := strings.Cut(cp.Repo, "/")
	p := snapshot.Project{Repo: cp.Repo, Slug: cp.Slug, Name: name, Owner: owner, Topics: []string{},
		Categories: cp.Categories, Stale: true}
	return p, &snapshot.Detail{SchemaVersion: snapshot.SchemaVersion, Repo: cp.Repo}
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// mergePosts joins two lists of posts without duplicates, newest first.
func mergePosts(a, b []snapshot.Post) []snapshot.Post {
	seen := map[string]bool{}
	var out []snapshot.Post
	for _, p := range append(append([]snapshot.Post(nil), a...), b...) {
		if !seen[p.URL] {
			seen[p.URL] = true
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.After(out[j].Date) })
	return out
}
