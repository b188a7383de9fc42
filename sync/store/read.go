package store

import (
	"bytes"
	"context"
	"fmt"

	"versus/sync/snapshot"
)

// ReadPointer reads and validates latest.json. It returns the generation
// even when the content is invalid, so that a publisher can replace it; a
// missing pointer gives an error wrapping fs.ErrNotExist and NoGen.
func ReadPointer(ctx context.Context, st Store) (*snapshot.Pointer, Gen, error) {
	b, gen, err := st.Get(ctx, snapshot.PointerName)
	if err != nil {
		return nil, NoGen, fmt.Errorf("read pointer: %w", err)
	}
	p, err := snapshot.DecodePointer(bytes.NewReader(b))
	if err == nil {
		err = p.Validate()
	}
	if err != nil {
		return nil, gen, fmt.Errorf("read pointer in %s: %w", st, err)
	}
	return p, gen, nil
}

// ReadLatest reads the live snapshot's pointer and index, both validated.
// Errors for a store without a snapshot wrap fs.ErrNotExist.
func ReadLatest(ctx context.Context, st Store) (*snapshot.Pointer, *snapshot.Index, error) {
	p, _, err := ReadPointer(ctx, st)
	if err != nil {
		return nil, nil, err
	}
	x, err := ReadIndex(ctx, st, p)
	if err != nil {
		return nil, nil, err
	}
	return p, x, nil
}

// ReadIndex reads and validates the index that p names.
func ReadIndex(ctx context.Context, st Store, p *snapshot.Pointer) (*snapshot.Index, error) {
	b, _, err := st.Get(ctx, p.Index)
	if err != nil {
		return nil, fmt.Errorf("read index: %w", err)
	}
	x, err := snapshot.DecodeIndex(bytes.NewReader(b))
	if err == nil {
		err = x.Validate()
	}
	if err == nil && x.ID != p.ID {
		err = fmt.Errorf("index id %q, the pointer says %q", x.ID, p.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p.Index, err)
	}
	return x, nil
}

// ReadDetail reads and validates the details of repo ("owner/name") in the
// snapshot p names. A project without details gives an error wrapping
// fs.ErrNotExist.
func ReadDetail(ctx context.Context, st Store, p *snapshot.Pointer, repo string) (*snapshot.Detail, error) {
	if !snapshot.ValidRepo(repo) {
		return nil, fmt.Errorf("read detail: invalid repo %q", repo)
	}
	name := snapshot.DetailName(p.ID, repo)
	b, _, err := st.Get(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("read detail: %w", err)
	}
	d, err := snapshot.DecodeDetail(bytes.NewReader(b))
	if err == nil {
		err = d.Validate()
	}
	if err == nil && d.Repo != repo {
		err = fmt.Errorf("detail of %q, want %q", d.Repo, repo)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return d, nil
}
