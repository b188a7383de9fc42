package snapshot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
)

// Reader reads the objects of a published snapshot and validates each one:
// it is the only way the app server, the static export, the browser and the
// sync read a snapshot, so none of them can take in one that Validate
// refuses. It is safe for concurrent use.
type Reader struct {
	// Get returns the bytes of the object name ("latest.json",
	// "snapshots/<id>/index.json" …). A missing object is an error wrapping
	// fs.ErrNotExist.
	Get func(ctx context.Context, name string) ([]byte, error)
	// DecodeIndex decodes index bytes; nil means DecodeIndex of this package.
	// The browser plugs in a faster decoder with the same result.
	DecodeIndex func(b []byte) (*Index, error)
	// DecodeIndexBin, when set, decodes the binary index (package
	// indexbin), which Index then reads instead of index.json when the
	// pointer names one; index.json remains the fallback.
	DecodeIndexBin func(b []byte) (*Index, error)
	// Served, when set, trusts an index to be one that the sync validated
	// before publishing it (index.json and index.bin both) and, for
	// index.json, a server validated before serving it: Index then checks
	// only its schema version and id, not Validate. Only the
	// browser sets it, where Validate costs as much as decoding (about
	// 400 ms at 10,000 projects) and everything third-party is rendered as
	// text with links vetted anyway.
	Served bool
}

// Pointer reads and validates latest.json.
func (r Reader) Pointer(ctx context.Context) (*Pointer, error) {
	b, err := r.Get(ctx, PointerName)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no snapshot: %s is missing: %w", PointerName, err)
		}
		return nil, fmt.Errorf("read %s: %w", PointerName, err)
	}
	return ParsePointer(b)
}

// ParsePointer decodes and validates pointer bytes.
func ParsePointer(b []byte) (*Pointer, error) {
	p, err := DecodePointer(bytes.NewReader(b))
	if err == nil {
		err = p.Validate()
	}
	if err != nil {
		return nil, fmt.Errorf("corrupt snapshot pointer %s: %w", PointerName, err)
	}
	return p, nil
}

// Index reads and validates the index that p names: its binary form when
// r can decode one and p names one, else (or when that fails) index.json.
func (r Reader) Index(ctx context.Context, p *Pointer) (*Index, error) {
	if r.DecodeIndexBin == nil || p.IndexBin == "" {
		return r.index(ctx, p, p.Index, r.DecodeIndex)
	}
	if x, err := r.index(ctx, p, p.IndexBin, r.DecodeIndexBin); err == nil {
		return x, nil
	}
	// The sync checked both before publishing; index.json is the contract.
	return r.index(ctx, p, p.Index, r.DecodeIndex)
}

func (r Reader) index(ctx context.Context, p *Pointer, name string, decode func([]byte) (*Index, error)) (*Index, error) {
	if decode == nil {
		decode = func(b []byte) (*Index, error) { return DecodeIndex(bytes.NewReader(b)) }
	}
	b, err := r.Get(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("read snapshot %s: %w", p.ID, err)
	}
	x, err := decode(b)
	switch {
	case err != nil:
	case !r.Served:
		err = x.Validate()
	case x.SchemaVersion != SchemaVersion:
		err = fmt.Errorf("schema_version is %d, want %d", x.SchemaVersion, SchemaVersion)
	}
	if err == nil && x.ID != p.ID {
		err = fmt.Errorf("the index says it is %q", x.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("corrupt snapshot %s: %w", p.ID, err)
	}
	return x, nil
}

// Latest reads the live snapshot's pointer and index, both validated.
func (r Reader) Latest(ctx context.Context) (*Pointer, *Index, error) {
	p, err := r.Pointer(ctx)
	if err != nil {
		return nil, nil, err
	}
	x, err := r.Index(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	return p, x, nil
}

// Detail reads and validates the details of repo ("owner/name") in the
// snapshot with the given id. A project without details gives an error
// wrapping fs.ErrNotExist.
func (r Reader) Detail(ctx context.Context, id, repo string) (*Detail, error) {
	if !ValidRepo(repo) {
		return nil, fmt.Errorf("read details: invalid repo %q", repo)
	}
	b, err := r.Get(ctx, DetailName(id, repo))
	if err != nil {
		return nil, fmt.Errorf("read details of %s: %w", repo, err)
	}
	d, err := DecodeDetail(bytes.NewReader(b))
	if err == nil {
		err = d.Validate()
	}
	if err == nil && d.Repo != repo {
		err = fmt.Errorf("they are of %q", d.Repo)
	}
	if err != nil {
		return nil, fmt.Errorf("corrupt details of %s: %w", repo, err)
	}
	return d, nil
}
