package job

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"golang.org/x/sync/errgroup"

	"versus/sync/assemble"
	"versus/sync/gh"
	"versus/sync/snapshot"
	"versus/sync/store"
)

// A read of the previous snapshot that fails for another reason than a
// missing or corrupt object is tried readTries times, readWait apart and
// doubling, before the run fails: publishing without it would turn every
// repository that fails this run into unknowns.
const (
	readTries   = 3
	readWait    = 2 * time.Second
	readWorkers = 8
)

// readError marks a failure of the store itself (not a missing or corrupt
// object): worth a retry, and never mistaken for a broken snapshot.
type readError struct{ err error }

func (e readError) Error() string { return e.err.Error() }
func (e readError) Unwrap() error { return e.err }

// loadPrevious reads the live snapshot through the validating
// snapshot.Reader. A missing one is nil; a broken one (invalid, or its
// index missing) is reported and is nil too: it cannot be trusted. A store
// that keeps failing is an error.
func loadPrevious(ctx context.Context, st store.Store, clock gh.Clock, log *slog.Logger) (*assemble.Previous, error) {
	r := store.Reader(st)
	get := r.Get
	r.Get = func(ctx context.Context, name string) ([]byte, error) {
		b, err := get(ctx, name)
		if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, store.ErrCorrupt) {
			err = readError{err}
		}
		return b, err
	}
	var err error
	for try := range readTries {
		if try > 0 {
			if err := clock.Sleep(ctx, readWait<<(try-1)); err != nil {
				return nil, err
			}
		}
		var prev *assemble.Previous
		prev, err = readPrevious(ctx, r)
		switch {
		case errors.As(err, new(readError)):
			log.Warn("previous snapshot: read failed", "try", try+1, "of", readTries, "err", err)
			continue
		case err != nil:
			log.Warn("previous snapshot unreadable; starting without it", "err", err)
			return nil, nil
		}
		return prev, nil
	}
	return nil, fmt.Errorf("previous snapshot: %d reads failed, publishing nothing rather than losing its figures: %w", readTries, err)
}

// readPrevious reads the pointer, the index and every detail once, without
// their star histories. A
// missing pointer is no snapshot: nil, nil. Details are optional (a project
// without them keeps its index figures), unless the store fails.
func readPrevious(ctx context.Context, r snapshot.Reader) (*assemble.Previous, error) {
	p, err := r.Pointer(ctx)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	x, err := r.Index(ctx, p)
	if err != nil {
		return nil, err
	}
	details := make([]*snapshot.Detail, len(x.Projects))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(readWorkers)
	for i, pr := range x.Projects {
		g.Go(func() error {
			d, err := r.Detail(gctx, p.ID, pr.Repo)
			if errors.As(err, new(readError)) {
				return err
			}
			if d != nil {
				// The next snapshot rebuilds every star history from the
				// state store: the previous one is never read.
				d.StarHistory = nil
			}
			details[i] = d // nil when missing or corrupt
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var found []*snapshot.Detail
	for _, d := range details {
		if d != nil {
			found = append(found, d)
		}
	}
	return assemble.NewPrevious(p, x, found), nil
}
