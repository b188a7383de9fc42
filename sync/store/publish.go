package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"versus/sync/snapshot"
	"versus/sync/snapshot/indexbin"
)

// DefaultKeep is how many snapshots Publish keeps unless told otherwise.
const DefaultKeep = 14

// Snapshot is what a sync publishes: the index and the details of its
// projects, one Detail per project at most.
type Snapshot struct {
	Index   *snapshot.Index
	Details []*snapshot.Detail
	// Fill, when set, completes a copy of each detail (its star history)
	// as Publish writes it, and the copy is let go once written: the
	// heavy part of thousands of details is never held at once.
	Fill func(d *snapshot.Detail)
}

// PublishOptions tune Publish. The zero value is ready to use.
type PublishOptions struct {
	// Keep is how many snapshots to keep, the new one included
	// (DefaultKeep when 0).
	Keep int
	// Workers is how many objects are written or read at once (8 when 0).
	Workers int
	// Progress, when set, is called after each step, one call at a time:
	// "write" and "verify" for each object, "pointer" once the pointer
	// moved, "delete" for each object retention removes.
	Progress func(step, name string)
}

// Result is what a successful Publish did.
type Result struct {
	Pointer *snapshot.Pointer
	// Replaced is the id of the snapshot the pointer named before, or "".
	Replaced string
	// Pruned lists the ids of the snapshots retention deleted.
	Pruned []string
	// Warnings are problems that did not stop the publication (a corrupt
	// old pointer, a retention that failed).
	Warnings []error
}

// Publish makes snap the live snapshot of st, atomically:
//
//  1. it validates snap and reads the pointer (and its generation);
//  2. it creates every object under snapshots/<id>/ (create-only, so it
//     never overwrites a snapshot someone else wrote);
//  3. it reads every object back, compares and validates it;
//  4. it replaces latest.json if the pointer still has the generation read
//     in step 1;
//  5. it deletes the snapshots beyond the newest Keep older than the pointer.
//
// When another sync moved the pointer first, Publish deletes what it wrote
// and returns an error wrapping ErrConflict; the pointer and the snapshot it
// names are untouched. A Publish that dies at any moment leaves the previous
// snapshot live.
func Publish(ctx context.Context, st Store, snap Snapshot, opt PublishOptions) (*Result, error) {
	if opt.Keep <= 0 {
		opt.Keep = DefaultKeep
	}
	if opt.Workers <= 0 {
		opt.Workers = 8
	}
	var mu sync.Mutex
	progress := func(step, name string) {
		if opt.Progress != nil {
			mu.Lock()
			defer mu.Unlock()
			opt.Progress(step, name)
		}
	}

	ptr, objects, err := prepare(snap)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	id := ptr.ID
	res := &Result{Pointer: ptr}

	cur, gen, err := ReadPointer(ctx, st)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil && gen != NoGen:
		res.Warnings = append(res.Warnings, fmt.Errorf("the old pointer is broken and gets replaced: %w", err))
	case err != nil:
		return nil, fmt.Errorf("publish %s: %w", id, err)
	case cur.ID >= id:
		return nil, fmt.Errorf("publish %s: snapshot %s is live already, as new or newer: %w", id, cur.ID, ErrConflict)
	default:
		res.Replaced = cur.ID
	}

	names := make([]string, 0, len(objects))
	for name := range objects {
		names = append(names, name)
	}
	sort.Strings(names)
	// Each object is encoded as it is written, and only its digest kept
	// for the read back: thousands of details are never all encoded at once.
	written := make(map[string]digest, len(names))
	err = parallel(ctx, opt.Workers, names, func(ctx context.Context, name string) error {
		v := objects[name]
		if d, ok := v.(*snapshot.Detail); ok && snap.Fill != nil {
			c := *d
			snap.Fill(&c)
			if err := c.Validate(); err != nil {
				return fmt.Errorf("invalid detail: %w", err)
			}
			v = &c
		}
		b, ok := v.([]byte)
		if !ok {
			var err error
			if b, err = encode(v); err != nil {
				return err
			}
		}
		if _, err := st.PutIf(ctx, name, b, NoGen); err != nil {
			return err
		}
		mu.Lock()
		written[name] = digestOf(b)
		mu.Unlock()
		progress("write", name)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("publish %s: write snapshot: %w", id, err)
	}
	var indexes [2]*snapshot.Index // as read back: index.json, index.bin
	err = parallel(ctx, opt.Workers, names, func(ctx context.Context, name string) error {
		x, err := verify(ctx, st, name, written[name], id)
		if err != nil {
			return err
		}
		switch name {
		case ptr.Index:
			indexes[0] = x
		case ptr.IndexBin:
			indexes[1] = x
		}
		progress("verify", name)
		return nil
	})
	if err == nil && !reflect.DeepEqual(indexes[0], indexes[1]) {
		err = fmt.Errorf("%s does not read as %s does", ptr.IndexBin, ptr.Index)
	}
	if err != nil {
		return nil, fmt.Errorf("publish %s: verify snapshot: %w", id, err)
	}

	pb, err := encode(ptr)
	if err != nil {
		return nil, fmt.Errorf("publish %s: %w", id, err)
	}
	if _, err := st.PutIf(ctx, snapshot.PointerName, pb, gen); err != nil {
		if errors.Is(err, ErrConflict) {
			err = fmt.Errorf("another sync moved %s first: %w", snapshot.PointerName, err)
			if cerr := abandon(ctx, st, id, names); cerr != nil {
				err = errors.Join(err, cerr)
			}
		}
		return nil, fmt.Errorf("publish %s: %w", id, err)
	}
	progress("pointer", snapshot.PointerName)

	pruned, err := Prune(ctx, st, opt.Keep, func(name string) { progress("delete", name) })
	res.Pruned = pruned
	if err != nil {
		res.Warnings = append(res.Warnings, err)
	}
	return res, nil
}

// PublishFolder publishes snap to the folder dir, for tests and tools that
// make a data folder.
func PublishFolder(dir string, snap Snapshot) error {
	st, err := NewFolder(dir)
	if err != nil {
		return err
	}
	_, err = Publish(context.Background(), st, snap, PublishOptions{})
	return err
}

// encodeBin writes the binary index; a test makes it wrong.
var encodeBin = indexbin.Encode

// prepare validates snap and returns its objects by name.
func prepare(snap Snapshot) (*snapshot.Pointer, map[string]any, error) {
	x := snap.Index
	if x == nil {
		return nil, nil, errors.New("no index")
	}
	if err := x.Validate(); err != nil {
		return nil, nil, fmt.Errorf("invalid index: %w", err)
	}
	ptr := snapshot.NewPointer(x)
	if err := ptr.Validate(); err != nil {
		return nil, nil, err
	}
	repos := make(map[string]bool, len(x.Projects))
	for _, p := range x.Projects {
		repos[p.Repo] = true
	}
	objects := make(map[string]any, len(snap.Details)+1)
	for _, d := range snap.Details {
		if err := d.Validate(); err != nil {
			return nil, nil, fmt.Errorf("invalid detail: %w", err)
		}
		if !repos[d.Repo] {
			return nil, nil, fmt.Errorf("detail %q: not a project of the index", d.Repo)
		}
		name := snapshot.DetailName(x.ID, d.Repo)
		if objects[name] != nil {
			return nil, nil, fmt.Errorf("detail %q: given twice", d.Repo)
		}
		objects[name] = d
	}
	objects[ptr.Index] = x
	objects[ptr.IndexBin] = encodeBin(x)
	return ptr, objects, nil
}

// digest is what Publish keeps of an object it wrote, to check it when it
// reads it back.
type digest struct {
	sum  [sha256.Size]byte
	size int
}

func digestOf(b []byte) digest { return digest{sha256.Sum256(b), len(b)} }

// verify reads an object back and checks it holds what was written and that
// it decodes and validates. It returns an index (JSON or binary) as read.
func verify(ctx context.Context, st Store, name string, want digest, id string) (*snapshot.Index, error) {
	got, _, err := st.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	if digestOf(got) != want {
		return nil, fmt.Errorf("%s: read back %d bytes that differ from the %d written", name, len(got), want.size)
	}
	var x *snapshot.Index
	switch name {
	case snapshot.IndexName(id):
		x, err = snapshot.DecodeIndex(bytes.NewReader(got))
	case snapshot.IndexBinName(id):
		x, err = indexbin.Decode(got)
	default:
		var d *snapshot.Detail
		if d, err = snapshot.DecodeDetail(bytes.NewReader(got)); err == nil {
			err = d.Validate()
		}
	}
	if x != nil && err == nil {
		err = x.Validate()
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return x, nil
}

// abandon deletes the objects of a snapshot that lost the race for the
// pointer, unless the pointer names it after all.
func abandon(ctx context.Context, st Store, id string, names []string) error {
	if cur, _, err := ReadPointer(ctx, st); err != nil || cur.ID == id {
		return nil // cannot tell, or it is live: keep it
	}
	err := parallel(ctx, 8, names, func(ctx context.Context, name string) error { return st.Delete(ctx, name) })
	if err != nil {
		return fmt.Errorf("remove the abandoned snapshot: %w", err)
	}
	return nil
}

// Prune deletes the snapshots older than the live one beyond the newest keep
// (the live one included). It never deletes the live snapshot, nor any
// snapshot newer than it, which may be a publication in progress. It
// returns the ids it deleted, oldest first; deleted calls back for each
// object.
func Prune(ctx context.Context, st Store, keep int, deleted func(name string)) ([]string, error) {
	if keep < 1 {
		keep = 1
	}
	cur, _, err := ReadPointer(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("prune: %w", err)
	}
	names, err := st.List(ctx, "snapshots/")
	if err != nil {
		return nil, fmt.Errorf("prune: %w", err)
	}
	byID := map[string][]string{}
	var older []string
	for _, name := range names {
		id, _, ok := strings.Cut(strings.TrimPrefix(name, "snapshots/"), "/")
		if !ok || id >= cur.ID {
			continue
		}
		if byID[id] == nil {
			older = append(older, id)
		}
		byID[id] = append(byID[id], name)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(older)))
	if len(older) < keep {
		return nil, nil
	}
	victims := older[keep-1:]
	slices.Reverse(victims) // oldest first
	var pruned []string
	for _, id := range victims {
		objs := byID[id]
		// The index last: a half-deleted snapshot keeps its index, so a
		// later Prune still finds it by listing.
		idx := snapshot.IndexName(id)
		sort.SliceStable(objs, func(i, j int) bool { return objs[i] != idx && objs[j] == idx })
		for _, name := range objs {
			if err := st.Delete(ctx, name); err != nil {
				return pruned, fmt.Errorf("prune %s: %w", id, err)
			}
			if deleted != nil {
				deleted(name)
			}
		}
		pruned = append(pruned, id)
	}
	return pruned, nil
}

// parallel calls fn for every name with at most n calls at once, and
// returns the first error, which cancels the others.
func parallel(ctx context.Context, n int, names []string, fn func(context.Context, string) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(n)
	for _, name := range names {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error { return fn(gctx, name) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err() // cut short by the caller, with nothing failed

}
