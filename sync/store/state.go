package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
)

// StateURL returns the default state store of a sync that publishes to the
// store url: the sibling "state" of its last path element, web/data →
// web/state and gs://bucket/data → gs://bucket/state (gs://bucket →
// gs://bucket/state). It is private only where its parent is: the shipped
// deployment gives -state a bucket of its own.
func StateURL(url string) string {
	if rest, ok := strings.CutPrefix(url, "gs://"); ok {
		bucket, prefix, _ := strings.Cut(rest, "/")
		prefix = strings.Trim(prefix, "/")
		if prefix == "" {
			return "gs://" + bucket + "/state"
		}
		return "gs://" + bucket + "/" + strings.TrimPrefix(path.Join(path.Dir(prefix), "state"), "./")
	}
	dir := strings.TrimPrefix(url, "file://")
	return filepath.Join(filepath.Dir(filepath.Clean(dir)), "state")
}

// MoveState moves what earlier versions kept beside the public snapshots
// (the star history, the ETag cache, the star weeks) from public into state, so that an
// existing deployment loses nothing, and deletes the public copies. A
// history in both is merged (state's record wins on a day both hold); a
// cache or star weeks in both keep state's. It returns what it moved, for a warning; an
// error leaves the public copies in place.
func MoveState(ctx context.Context, public, state Store) ([]string, error) {
	if public.String() == state.String() {
		return nil, nil
	}
	var moved []string
	for _, name := range []string{StarsName, StarsName + ".corrupt", CacheName, StarWeeksName, RunStateName} {
		b, _, err := public.Get(ctx, name)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil && !errors.Is(err, ErrCorrupt):
			return moved, fmt.Errorf("move %s from %s to %s: %w", name, public, state, err)
		}
		if err := moveOne(ctx, state, name, b, err != nil); err != nil {
			return moved, fmt.Errorf("move %s from %s to %s: %w", name, public, state, err)
		}
		if err := public.Delete(ctx, name); err != nil {
			return moved, fmt.Errorf("move %s from %s to %s: %w", name, public, state, err)
		}
		moved = append(moved, name)
	}
	return moved, nil
}

// moveOne writes the bytes of the public object name into state.
func moveOne(ctx context.Context, state Store, name string, b []byte, corrupt bool) error {
	if name == StarsName {
		old, err := decodeStars(b)
		if corrupt || err != nil {
			return keep(ctx, state, StarsName+".corrupt", b)
		}
		_, _, err = updateStars(ctx, state, func(s Stars) {
			for repo, rs := range old {
				for _, r := range rs {
					if !s.has(repo, r.Day) {
						s.add(repo, r)
					}
				}
			}
		})
		return err
	}
	if corrupt {
		return nil // a broken cache is worth nothing
	}
	return keep(ctx, state, name, b)
}

// keep creates name in st unless it exists.
func keep(ctx context.Context, st Store, name string, b []byte) error {
	_, err := st.PutIf(ctx, name, b, NoGen)
	if errors.Is(err, ErrConflict) {
		return nil // the state's own copy wins
	}
	return err
}
