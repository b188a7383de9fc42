package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"

	"versus/sync/snapshot"
	"versus/sync/store"
)

// This file is the seam to storage: sync/store does the work.

// storage is what the sync reads from a store. Get's error wraps
// fs.ErrNotExist when the object is missing.
type storage interface {
	Get(ctx context.Context, name string) ([]byte, error)
}

// seam is the store named by -store (a folder or gs://bucket/prefix).
type seam struct {
	st   store.Store
	keep int // snapshots to keep; 0 for store.DefaultKeep
	log  *slog.Logger
}

var _ storage = seam{}

func openStorage(ctx context.Context, cfg config, log *slog.Logger) (seam, error) {
	st, err := store.Open(ctx, cfg.store)
	if err != nil {
		return seam{}, err
	}
	return seam{st: st, keep: cfg.keep, log: log}, nil
}

func (s seam) Get(ctx context.Context, name string) ([]byte, error) {
	b, _, err := s.st.Get(ctx, name)
	return b, err
}

func (s seam) Close() error { return s.st.Close() }

// folder reads a store folder (the tests look into what a run published).
type folder struct{ dir string }

func (f folder) Get(ctx context.Context, name string) ([]byte, error) {
	st, err := store.NewFolder(f.dir)
	if err != nil {
		return nil, err
	}
	b, _, err := st.Get(ctx, name)
	return b, err
}

// previous is the live snapshot before this run.
type previous struct {
	pointer *snapshot.Pointer
	byRepo  map[string]*snapshot.Project // lowercase repo
	details map[string]*snapshot.Detail  // lowercase repo
}

// loadPrevious reads the live snapshot; a missing one is an empty previous.
// A broken one is reported and treated as missing: it cannot be trusted.
func loadPrevious(ctx context.Context, st storage) (*previous, error) {
	prev := &previous{byRepo: map[string]*snapshot.Project{}, details: map[string]*snapshot.Detail{}}
	b, err := st.Get(ctx, snapshot.PointerName)
	if errors.Is(err, fs.ErrNotExist) {
		return prev, nil
	}
	if err != nil {
		return prev, err
	}
	ptr, err := snapshot.DecodePointer(bytes.NewReader(b))
	if err == nil {
		err = ptr.Validate()
	}
	if err != nil {
		return prev, fmt.Errorf("previous snapshot: %w", err)
	}
	b, err = st.Get(ctx, ptr.Index)
	if err != nil {
		return prev, fmt.Errorf("previous snapshot: %w", err)
	}
	idx, err := snapshot.DecodeIndex(bytes.NewReader(b))
	if err != nil {
		return prev, fmt.Errorf("previous snapshot: %w", err)
	}
	prev.pointer = ptr
	for i := range idx.Projects {
		p := &idx.Projects[i]
		prev.byRepo[strings.ToLower(p.Repo)] = p
		b, err := st.Get(ctx, snapshot.DetailName(ptr.ID, p.Repo))
		if err != nil {
			continue // details are optional: the project keeps its index figures
		}
		if d, err := snapshot.DecodeDetail(bytes.NewReader(b)); err == nil {
			prev.details[strings.ToLower(p.Repo)] = d
		}
	}
	return prev, nil
}

// publish makes the snapshot live with store.Publish: every object under its
// own id, read back and validated, then the pointer moved with a
// precondition, then old snapshots pruned. When another sync published
// first, the error wraps store.ErrConflict and this run exits non-zero.
func publish(ctx context.Context, s seam, idx *snapshot.Index, details []*snapshot.Detail) (*snapshot.Pointer, error) {
	res, err := store.Publish(ctx, s.st, store.Snapshot{Index: idx, Details: details}, store.PublishOptions{Keep: s.keep})
	if err != nil {
		return nil, err
	}
	for _, w := range res.Warnings {
		s.log.Warn("publish", "warning", w)
	}
	if len(res.Pruned) > 0 {
		s.log.Info("old snapshots deleted", "ids", res.Pruned)
	}
	return res.Pointer, nil
}
