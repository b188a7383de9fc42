package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"versus/sync/snapshot"
)

// This file is the seam to storage; sync/store will replace it.

// Object names next to the snapshots.
const (
	historyName = "history/stars.json"
	cacheName   = "cache/etags.json"
)

// storage is what the sync needs from a store. Get's error wraps
// fs.ErrNotExist when the object is missing.
type storage interface {
	Get(ctx context.Context, name string) ([]byte, error)
	Put(ctx context.Context, name string, data []byte) error
}

// folder is storage in a local directory; every Put is atomic (a temporary
// file renamed into place).
type folder struct{ dir string }

var _ storage = folder{}

func (f folder) path(name string) (string, error) {
	if name == "" || strings.Contains(name, "..") || filepath.IsAbs(name) {
		return "", fmt.Errorf("object name %q is not a relative path", name)
	}
	return filepath.Join(f.dir, filepath.FromSlash(name)), nil
}

func (f folder) Get(ctx context.Context, name string) ([]byte, error) {
	p, err := f.path(name)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return b, nil
}

func (f folder) Put(ctx context.Context, name string, data []byte) error {
	p, err := f.path(name)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
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

// history is the recorded star counts per lowercase repo, oldest first.
type history map[string][]snapshot.StarPoint

func loadHistory(ctx context.Context, st storage) (history, error) {
	h := history{}
	b, err := st.Get(ctx, historyName)
	if errors.Is(err, fs.ErrNotExist) {
		return h, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("decode %s: %w", historyName, err)
	}
	return h, nil
}

// record adds a count at t, keeping one record per UTC day (the last).
func (h history) record(repo string, t time.Time, stars int) {
	k := strings.ToLower(repo)
	pts := h[k]
	p := snapshot.StarPoint{Date: t.UTC(), Stars: stars}
	if n := len(pts); n > 0 && pts[n-1].Date.Format(time.DateOnly) == p.Date.Format(time.DateOnly) {
		pts[n-1] = p
	} else if n == 0 || p.Date.After(pts[n-1].Date) {
		pts = append(pts, p)
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].Date.Before(pts[j].Date) })
	h[k] = pts
}

// publish writes a snapshot: every detail, the index, and last the pointer,
// so that readers never see half a snapshot. Everything is validated first.
func publish(ctx context.Context, st storage, idx *snapshot.Index, details []*snapshot.Detail) (*snapshot.Pointer, error) {
	if err := idx.Validate(); err != nil {
		return nil, fmt.Errorf("invalid snapshot: %w", err)
	}
	for _, d := range details {
		if err := d.Validate(); err != nil {
			return nil, fmt.Errorf("invalid snapshot: %w", err)
		}
	}
	ptr := &snapshot.Pointer{SchemaVersion: snapshot.SchemaVersion, ID: idx.ID, GeneratedAt: idx.GeneratedAt,
		Index: snapshot.IndexName(idx.ID), Projects: len(idx.Projects)}
	if err := ptr.Validate(); err != nil {
		return nil, fmt.Errorf("invalid snapshot: %w", err)
	}
	put := func(name string, v any) error {
		var b bytes.Buffer
		if err := snapshot.Encode(&b, v); err != nil {
			return err
		}
		return st.Put(ctx, name, b.Bytes())
	}
	for _, d := range details {
		if err := put(snapshot.DetailName(idx.ID, d.Repo), d); err != nil {
			return nil, fmt.Errorf("publish: %w", err)
		}
	}
	if err := put(ptr.Index, idx); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if err := put(snapshot.PointerName, ptr); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	return ptr, nil
}
