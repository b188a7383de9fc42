package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"versus/sync/gh"
	"versus/sync/hn"
	"versus/sync/schedule"
	"versus/sync/store"
)

// config is what the flags say.
type config struct {
	catalog     string
	store       string
	githubAPI   string
	hnAPI       string
	concurrency int
	maxWait     time.Duration
	maxFailed   float64
	keep        int           // snapshots to keep
	every       time.Duration // 0: one sync; else one per period
	note        string        // the index's note ("Sample data: …")
	now         time.Time     // zero: the wall clock; else a reproducible clock from then
}

// deps are the outside world, replaced in tests.
type deps struct {
	clock     gh.Clock
	transport http.RoundTripper // below the GitHub client
	hnHTTP    *http.Client
	token     string
	tty       bool
	stdout    io.Writer
	stderr    io.Writer
}

// Run runs one sync with the command-line args (without the program name).
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	var clock gh.Clock = gh.RealClock{}
	if !cfg.now.IsZero() {
		clock = &fixedClock{now: cfg.now}
	}
	d := deps{
		clock:     clock,
		transport: http.DefaultTransport,
		hnHTTP:    &http.Client{Timeout: 30 * time.Second},
		token:     os.Getenv("GITHUB_TOKEN"),
		tty:       isTerminal(stderr),
		stdout:    stdout,
		stderr:    stderr,
	}
	if cfg.every == 0 {
		_, err = run(ctx, cfg, d)
		return err
	}
	// One sync per period, never two at once; a signal cancels the running
	// one (the live snapshot stays as it was) and ends the loop.
	return schedule.Every(ctx, cfg.every, func(ctx context.Context) error {
		_, err := run(ctx, cfg, d)
		return err
	}, func(err error) { fmt.Fprintln(stderr, "sync:", err) })
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.catalog, "catalog", "sync/catalog.yaml", "the catalog of tracked projects")
	fs.StringVar(&c.store, "store", "web/data", "where the snapshot, star history and ETag cache go: a folder or gs://bucket/prefix")
	fs.IntVar(&c.keep, "keep", store.DefaultKeep, "snapshots to keep, the live one included")
	fs.DurationVar(&c.every, "every", 0, "keep running, one sync per period (e.g. 6h); 0 runs one sync")
	fs.StringVar(&c.githubAPI, "github-api", gh.DefaultBaseURL, "GitHub REST API base URL")
	fs.StringVar(&c.hnAPI, "hn-api", hn.DefaultBaseURL, "Hacker News Algolia API base URL")
	fs.IntVar(&c.concurrency, "concurrency", 4, "GitHub requests in flight")
	fs.DurationVar(&c.maxWait, "max-wait", time.Hour, "longest rate-limit wait before giving up")
	fs.Float64Var(&c.maxFailed, "max-failed", 0.2, "share of repositories that may fail before nothing is published")
	fs.StringVar(&c.note, "note", "", "a note published with the snapshot, shown with the data (e.g. that it is a sample)")
	now := fs.String("now", "", "run as if at this RFC 3339 time, on a clock that moves only by its own waits: reproducible runs against a fake API (make demo-data)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if *now != "" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			return c, fmt.Errorf("-now: %w", err)
		}
		c.now = t.UTC()
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	case c.concurrency < 1:
		return c, errors.New("-concurrency must be at least 1")
	case c.maxWait <= 0:
		return c, errors.New("-max-wait must be positive")
	case c.keep < 1:
		return c, errors.New("-keep must be at least 1")
	case c.every < 0:
		return c, errors.New("-every must not be negative")
	case c.maxFailed < 0 || c.maxFailed > 1:
		return c, errors.New("-max-failed must be between 0 and 1")
	case !c.now.IsZero() && c.every > 0:
		return c, errors.New("-now runs one sync; it cannot go with -every")
	}
	return c, nil
}

// fixedClock starts at a given time and moves only when slept on, at once:
// a run against a fake API then gives the same snapshot every time.
type fixedClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fixedClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.now = c.now.Add(d)
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
