// Package job runs one sync: it loads the catalog and the state the last run
// left, collects every project (sync/collect), assembles the snapshot
// (sync/assemble) and publishes it (sync/store), with a summary of what it
// did. The public store holds only what readers need (latest.json and
// snapshots/); the star history and the ETag cache go to a private state
// store.
package job

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"versus/sync/assemble"
	"versus/sync/catalog"
	"versus/sync/collect"
	"versus/sync/gh"
	"versus/sync/hn"
	"versus/sync/snapshot"
	"versus/sync/store"
)

// saveTimeout bounds saving the ETag cache, which happens even when the run
// was cancelled.
const saveTimeout = 30 * time.Second

// DefaultMemoryLimit is the memory a run keeps within unless told
// otherwise: below the 512 MiB of the Cloud Run job, with room for what
// the runtime does not count.
const DefaultMemoryLimit = 400 << 20

// Config is one sync and the outside world it runs in. Start from Defaults.
type Config struct {
	Catalog string      // path of the catalog file
	Public  store.Store // where snapshots are published
	State   store.Store // private: star history and ETag cache

	GitHubAPI, HNAPI string
	Token            string        // GitHub token; never logged or stored
	Concurrency      int           // GitHub requests in flight
	MaxWait          time.Duration // longest rate-limit wait before giving up
	MaxFailed        float64       // share of repositories that may fail before nothing is published
	StarReserve      float64       // share of the quota left that older pages of star history leave
	Keep             int           // snapshots to keep
	Timeout          time.Duration // for each GitHub request's whole answer; 0 for gh's default
	Shard            Shard         // this task's place in a sharded execution; zero for a whole run
	// Reserve is the token's quota a run leaves untouched: it stops asking
	// when GitHub shows no more than this left, publishes what it has and
	// the next run resumes where it stopped.
	Reserve collect.Reserve
	// HNRequests bounds the run's Hacker News harvest.
	HNRequests int
	// MemoryLimit is the memory, in bytes, the Go runtime keeps the run
	// within by collecting sooner (debug.SetMemoryLimit, for the run's
	// duration); 0 leaves the runtime's own (GOMEMLIMIT). The Cloud Run job
	// has 512 MiB.
	MemoryLimit int64
	Note        string // the index's note ("Sample data: …")
	// Amend, when set, changes the assembled index before it is published:
	// the demo fills in another tracker's figures with it.
	Amend func(x *snapshot.Index, log *slog.Logger)

	Clock     gh.Clock          // the wall clock unless set
	Transport http.RoundTripper // below the GitHub client; nil for http.DefaultTransport
	HNHTTP    *http.Client      // nil for a client with a 30 s timeout
	Stdout    io.Writer         // the summary
	Stderr    io.Writer         // the log
	TTY       bool              // Stderr is a terminal: progress as one status line
}

// Defaults returns the configuration of the command's flag defaults, with
// no catalog and no stores.
func Defaults() Config {
	return Config{
		GitHubAPI: gh.DefaultBaseURL, HNAPI: hn.DefaultBaseURL,
		Concurrency: 4, MaxWait: time.Hour, Timeout: 30 * time.Second, MaxFailed: 0.2, StarReserve: 0.25, Keep: store.DefaultKeep,
		Reserve: collect.Reserve{REST: 100, GraphQL: 50}, HNRequests: 50, MemoryLimit: DefaultMemoryLimit,
		Clock: gh.RealClock{}, Stdout: io.Discard, Stderr: io.Discard,
	}
}

// Report is what a run did, for the summary and for tests.
type Report struct {
	assemble.Report
	Total   int
	Task    string // what a task of a sharded execution did; "" for a whole run
	Stats   gh.Stats
	History HistoryReport
	// Resume is where the next run starts when this one stopped for the
	// quota; Deferred the REST reads it put off; HNRequests its requests
	// to Hacker News.
	Resume     string
	Deferred   int
	HNRequests int
	Pointer    *snapshot.Pointer // nil unless it published
	Elapsed    time.Duration
	// AssembleCPU is the CPU time of assembling the snapshot, no I/O
	// involved (measured, never asserted; zero where unknown).
	AssembleCPU time.Duration
}

// Run runs one sync. It publishes nothing, and returns an error, when the
// catalog is invalid, a store cannot be read, a rate limit outlasts
// MaxWait, ctx ends, or more than MaxFailed of the repositories failed.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	log := slog.New(slog.NewTextHandler(cfg.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	begin := cfg.Clock.Now()
	if cfg.MemoryLimit > 0 {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(cfg.MemoryLimit))
	}
	if err := cfg.Shard.check(); err != nil {
		return nil, err
	}
	cat, err := catalog.Load(cfg.Catalog)
	if err != nil {
		return nil, fmt.Errorf("invalid catalog: %w", err)
	}
	if cfg.Token == "" {
		log.Warn("GITHUB_TOKEN is not set: GitHub allows 60 requests an hour without it", "repositories", len(cat.Projects))
	}
	moved, err := store.MoveState(ctx, cfg.Public, cfg.State)
	if err != nil {
		return nil, err
	}
	if len(moved) > 0 {
		log.Warn("moved the sync's state out of the public store", "objects", moved, "from", cfg.Public.String(), "to", cfg.State.String())
	}
	prev, err := loadPrevious(ctx, cfg.Public, cfg.Clock, log)
	if err != nil {
		return nil, err
	}
	cache, err := loadCache(ctx, cfg.State, cfg.Shard, cfg.Clock, log)
	if err != nil {
		return nil, err
	}
	weeks, err := loadWeeks(ctx, cfg.State, log)
	if err != nil {
		return nil, err
	}
	client, err := gh.New(gh.Options{
		BaseURL: cfg.GitHubAPI, Token: cfg.Token, Concurrency: cfg.Concurrency, MaxWait: cfg.MaxWait,
		Timeout: cfg.Timeout, Clock: cfg.Clock, Cache: cache, Transport: cfg.Transport, Log: log,
	})
	if err != nil {
		return nil, err
	}
	rs, err := loadRunState(ctx, cfg.State, log)
	if err != nil {
		return nil, err
	}
	cat = rs.discover(ctx, cat, client, begin, log)
	rep := &Report{Total: len(cat.Projects)}
	defer func() { // a summary ends every run, failed or not
		rep.Stats = client.Stats()
		rep.Elapsed = cfg.Clock.Now().Sub(begin)
		summary(cfg.Stdout, rep, cfg.Public.String())
	}()
	projects := cfg.Shard.slice(cat.Projects)
	prog := newProgress(cfg, log, len(projects), client)
	hist := newHistory(cfg, client, weeks)
	hnc := hn.New(cfg.HNAPI, cfg.HNHTTP)
	hnc.Log = log
	c := collect.Collector{
		GitHub: client, HN: hnc, Clock: cfg.Clock,
		Workers: 2 * cfg.Concurrency, HNWorkers: cfg.Concurrency, Done: prog.done, History: hist,
		Prior: rs.priors(prev), Resume: rs.Resume, Reserve: cfg.Reserve,
		HNAfter: rs.HNAfter, HNRequests: cfg.HNRequests,
	}
	part, err := cfg.Shard.collect(ctx, cfg.State, begin, projects, c.Run)
	prog.finish()
	rep.History = saveWeeks(context.WithoutCancel(ctx), cfg.State, hist, part, log) // pages read are kept, as the cache
	rep.Resume, rep.Deferred, rep.HNRequests = part.Resume, part.Deferred, part.HNRequests
	// The signals of what this run read are kept only with the snapshot
	// that holds the figures they guard (so, in a sharded execution, by the
	// task that publishes, for every task's part); discovery's lists always.
	var gathered []*collect.Part
	defer func() {
		if rep.Pointer != nil {
			for _, pt := range gathered {
				rs.record(cat.Projects, pt)
			}
		}
		rs.save(context.WithoutCancel(ctx), cfg.State, log)
	}()
	// Quota spent is worth keeping even when nothing is published (the
	// cache holds only well-formed answers), and even when the run was
	// cancelled: the save gets a context of its own.
	defer saveCache(context.WithoutCancel(ctx), cfg.State, cfg.Shard, cache, log)
	if err != nil {
		return rep, err
	}
	for _, r := range part.Results {
		if r.PostsError != "" {
			log.Warn("hacker news search failed; keeping the previous posts", "repo", r.Project.Repo, "err", r.PostsError)
		}
	}

	parts, began, err := cfg.Shard.gather(ctx, cfg.State, cat.Projects, part, begin, rep, log)
	if parts == nil { // a task whose part is all it had to do
		return rep, err
	}
	// The snapshot is as of the start of the run: nothing in it is older.
	now := began.UTC()
	stars, warning, err := store.RecordStars(ctx, cfg.State, now, starCounts(parts))
	if err != nil {
		return rep, err
	}
	if warning != nil {
		log.Warn("star history", "why", warning.Error())
	}
	if len(parts) > 1 { // other tasks saved the weeks they read: assemble with all of them
		if weeks, err = loadWeeks(ctx, cfg.State, log); err != nil {
			return rep, err
		}
	}
	gathered = parts
	cpu := processCPU() // nothing else runs meanwhile: the process's CPU is assembling's
	snap, arep := assemble.Assemble(assemble.Input{Catalog: cat, Parts: parts, Previous: prev, Stars: stars, Weeks: weeks, Now: now})
	rep.Report, rep.AssembleCPU = arep, processCPU()-cpu
	idx := snap.Index
	idx.Note = cfg.Note
	if cfg.Amend != nil {
		cfg.Amend(idx, log)
	}
	for _, line := range rep.Failed {
		log.Warn("repository failed; keeping its previous values", "detail", line)
	}
	if n := len(rep.Failed); n > 0 && float64(n) > cfg.MaxFailed*float64(rep.Total) {
		return rep, fmt.Errorf("%d of %d repositories failed, more than -max-failed %.0f%%: nothing published", n, rep.Total, cfg.MaxFailed*100)
	}
	if prev != nil {
		for idx.ID <= prev.Pointer.ID { // ids sort by time; never reuse a published one
			now = now.Add(time.Second)
			idx.ID, idx.GeneratedAt = snapshot.NewID(now), now
		}
	}
	// store.Publish writes every object under the snapshot's own id, reads
	// them back and validates them, moves the pointer with a precondition,
	// then prunes. When another sync published first, the error wraps
	// store.ErrConflict.
	res, err := store.Publish(ctx, cfg.Public, snap, store.PublishOptions{Keep: cfg.Keep})
	if err != nil {
		return rep, err
	}
	for _, w := range res.Warnings {
		log.Warn("publish", "warning", w)
	}
	if len(res.Pruned) > 0 {
		log.Info("old snapshots deleted", "ids", res.Pruned)
	}
	rep.Pointer = res.Pointer
	cfg.Shard.finish(ctx, cfg.State, res.Pointer.ID, cfg.Clock.Now(), log)
	return rep, nil
}

// loadCache returns the ETag cache of the last run. A missing or corrupt one
// starts cold with a warning; a store that cannot be read is an error.
func loadCache(ctx context.Context, st store.Store, sh Shard, clock gh.Clock, log *slog.Logger) (*gh.Cache, error) {
	b, warning, err := store.LoadTaskCache(ctx, st, sh.Index, sh.Count)
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

// saveCache stores the ETag cache for the next run, within saveTimeout.
func saveCache(ctx context.Context, st store.Store, sh Shard, cache *gh.Cache, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(ctx, saveTimeout)
	defer cancel()
	if b, err := cache.Marshal(); err != nil {
		log.Warn("etag cache not saved", "err", err)
	} else if err := store.SaveTaskCache(ctx, st, sh.Index, sh.Count, b); err != nil {
		log.Warn("etag cache not saved", "err", err)
	}
}
