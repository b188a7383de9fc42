// Command sync collects every project of the catalog from GitHub and Hacker
// News, computes the metrics and publishes a snapshot to the store; the
// work is sync/job's, this command only wires its flags.
//
//	go run ./sync -catalog sync/catalog.yaml -store web/data
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"versus/sync/job"
	"versus/sync/schedule"
	"versus/sync/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "sync:", err)
		os.Exit(1)
	}
}

// Run runs the sync with the command-line args (without the program name).
func Run(ctx context.Context, args []string) error {
	f, err := parseFlags(args, os.Stderr)
	if err != nil {
		return err
	}
	public, err := store.Open(ctx, f.store)
	if err != nil {
		return err
	}
	defer public.Close()
	state, err := store.Open(ctx, f.state)
	if err != nil {
		return err
	}
	defer state.Close()
	cfg := f.cfg
	cfg.Public, cfg.State = public, state
	cfg.Token = os.Getenv("GITHUB_TOKEN")
	if cfg.Shard, err = job.ShardFromEnv(os.Getenv); err != nil {
		return err
	}
	cfg.Stdout, cfg.Stderr, cfg.TTY = os.Stdout, os.Stderr, isTerminal(os.Stderr)
	if f.every == 0 {
		_, err = job.Run(ctx, cfg)
		return err
	}
	// One sync per period, never two at once; a signal cancels the running
	// one (the live snapshot stays as it was) and ends the loop.
	return schedule.Every(ctx, f.every, func(ctx context.Context) error {
		_, err := job.Run(ctx, cfg)
		return err
	}, func(err error) { fmt.Fprintln(os.Stderr, "sync:", err) })
}

// flags are what the command line says.
type flags struct {
	cfg          job.Config // without stores, token or outputs
	store, state string
	every        time.Duration // 0: one sync; else one per period
}

func parseFlags(args []string, stderr io.Writer) (flags, error) {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := flags{cfg: job.Defaults()}
	c := &f.cfg
	fs.StringVar(&c.Catalog, "catalog", "sync/catalog.yaml", "the catalog of tracked projects")
	fs.StringVar(&f.store, "store", "web/data", "where the public snapshot goes (latest.json, snapshots/): a folder or gs://bucket/prefix")
	fs.StringVar(&f.state, "state", "", "where the sync's private state goes (star history, ETag cache): a folder or gs://bucket/prefix, never public; default the sibling \"state\" of -store")
	fs.IntVar(&c.Keep, "keep", c.Keep, "snapshots to keep, the live one included")
	fs.DurationVar(&f.every, "every", 0, "keep running, one sync per period (e.g. 6h); 0 runs one sync")
	fs.StringVar(&c.GitHubAPI, "github-api", c.GitHubAPI, "GitHub REST API base URL")
	fs.StringVar(&c.HNAPI, "hn-api", c.HNAPI, "Hacker News Algolia API base URL")
	fs.IntVar(&c.Concurrency, "concurrency", c.Concurrency, "GitHub requests in flight")
	fs.DurationVar(&c.MaxWait, "max-wait", c.MaxWait, "longest rate-limit wait before giving up")
	fs.DurationVar(&c.Timeout, "request-timeout", c.Timeout, "longest wait for one GitHub answer, per attempt")
	fs.Float64Var(&c.MaxFailed, "max-failed", c.MaxFailed, "share of repositories that may fail before nothing is published")
	fs.Float64Var(&c.StarReserve, "star-reserve", c.StarReserve, "share of the GitHub quota left that older pages of star history leave for the rest of the run")
	fs.Int64Var(&c.MemoryLimit, "memory-limit", c.MemoryLimit, "memory in bytes the Go runtime keeps the sync within, collecting sooner; 0 for the runtime's own (GOMEMLIMIT)")
	fs.StringVar(&c.Note, "note", "", "a note published with the snapshot, shown with the data (e.g. that it is a sample)")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if f.state == "" {
		f.state = store.StateURL(f.store)
	}
	switch {
	case fs.NArg() > 0:
		return f, fmt.Errorf("unexpected arguments: %v", fs.Args())
	case c.Concurrency < 1:
		return f, errors.New("-concurrency must be at least 1")
	case c.MaxWait <= 0:
		return f, errors.New("-max-wait must be positive")
	case c.Timeout <= 0:
		return f, errors.New("-request-timeout must be positive")
	case c.Keep < 1:
		return f, errors.New("-keep must be at least 1")
	case f.every < 0:
		return f, errors.New("-every must not be negative")
	case c.StarReserve < 0 || c.StarReserve > 1:
		return f, errors.New("-star-reserve must be between 0 and 1")
	case c.MemoryLimit < 0:
		return f, errors.New("-memory-limit must not be negative")
	case c.MaxFailed < 0 || c.MaxFailed > 1:
		return f, errors.New("-max-failed must be between 0 and 1")
	}
	return f, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
