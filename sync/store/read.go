package store

import (
	"context"
	"fmt"

	"versus/sync/snapshot"
)

// Reader returns the validating snapshot reader over st.
func Reader(st Store) snapshot.Reader {
	return snapshot.Reader{Get: func(ctx context.Context, name string) ([]byte, error) {
		b, _, err := st.Get(ctx, name)
		return b, err
	}}
}

// ReadPointer reads and validates latest.json. It returns the generation
// even when the content is invalid, so that a publisher can replace it; a
// missing pointer gives an error wrapping fs.ErrNotExist and NoGen.
func ReadPointer(ctx context.Context, st Store) (*snapshot.Pointer, Gen, error) {
	b, gen, err := st.Get(ctx, snapshot.PointerName)
	if err != nil {
		return nil, NoGen, fmt.Errorf("read pointer: %w", err)
	}
	p, err := snapshot.ParsePointer(b)
	if err != nil {
		return nil, gen, fmt.Errorf("read pointer in %s: %w", st, err)
	}
	return p, gen, nil
}

// ReadLatest reads the live snapshot's pointer and index, both validated.
// Errors for a store without a snapshot wrap fs.ErrNotExist.
func ReadLatest(ctx context.Context, st Store) (*snapshot.Pointer, *snapshot.Index, error) {
	return Reader(st).Latest(ctx)
}

// ReadDetail reads and validates the details of repo ("owner/name") in the
// snapshot p names. A project without details gives an error wrapping
// fs.ErrNotExist.
func ReadDetail(ctx context.Context, st Store, p *snapshot.Pointer, repo string) (*snapshot.Detail, error) {
	return Reader(st).Detail(ctx, p.ID, repo)
}
