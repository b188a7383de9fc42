package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"versus/sync/snapshot"
)

// Fetch returns the bytes of the snapshot object with the given name
// ("latest.json", "snapshots/<id>/index.json" …). A missing object is an
// error wrapping fs.ErrNotExist.
type Fetch func(name string) ([]byte, error)

// DecodeIndex turns index bytes into an Index. The browser plugs in a faster
// decoder than encoding/json.
type DecodeIndex func(b []byte) (*snapshot.Index, error)

// Loader loads the live snapshot and project details on demand, and keeps
// them. It is safe for concurrent use.
type Loader struct {
	fetch   Fetch
	decode  DecodeIndex
	recheck time.Duration
	now     func() time.Time

	mu      sync.Mutex
	set     *Set
	checked time.Time
	details map[string]*snapshot.Detail // by repo, for set
}

// NewLoader returns a loader reading objects through fetch. With recheck > 0
// it reads the pointer again when the last read is older than recheck, so a
// long-running server picks up new snapshots; with 0 it loads once.
func NewLoader(fetch Fetch, recheck time.Duration) *Loader {
	return &Loader{
		fetch:   fetch,
		recheck: recheck,
		now:     time.Now,
		decode: func(b []byte) (*snapshot.Index, error) {
			return snapshot.DecodeIndex(bytes.NewReader(b))
		},
	}
}

// WithDecoder makes the loader decode indexes with d.
func (l *Loader) WithDecoder(d DecodeIndex) *Loader {
	l.decode = d
	return l
}

// Cached returns the loaded set without loading anything, or nil.
func (l *Loader) Cached() *Set {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.set
}

// Load returns the live snapshot, fetching it when not loaded yet or when the
// pointer has moved.
func (l *Loader) Load() (*Set, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.set != nil && (l.recheck == 0 || l.now().Sub(l.checked) < l.recheck) {
		return l.set, nil
	}
	b, err := l.fetch(snapshot.PointerName)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return l.keep(fmt.Errorf("no snapshot: %s is missing (run the sync, or `make demo-data`)", snapshot.PointerName))
		}
		return l.keep(fmt.Errorf("read %s: %w", snapshot.PointerName, err))
	}
	ptr, err := snapshot.DecodePointer(bytes.NewReader(b))
	if err == nil {
		err = ptr.Validate()
	}
	if err != nil {
		return l.keep(fmt.Errorf("corrupt snapshot pointer %s: %w", snapshot.PointerName, err))
	}
	l.checked = l.now()
	if l.set != nil && l.set.ID == ptr.ID {
		return l.set, nil
	}
	b, err = l.fetch(ptr.Index)
	if err != nil {
		return l.keep(fmt.Errorf("read snapshot %s: %w", ptr.ID, err))
	}
	idx, err := l.decode(b)
	if err != nil {
		return l.keep(fmt.Errorf("corrupt snapshot %s: %w", ptr.ID, err))
	}
	if idx.ID != ptr.ID {
		return l.keep(fmt.Errorf("corrupt snapshot %s: the index says it is %q", ptr.ID, idx.ID))
	}
	l.set = New(idx)
	l.details = make(map[string]*snapshot.Detail)
	return l.set, nil
}

// keep returns the set already loaded, if any, so a transient failure never
// takes away data that was shown; else err.
func (l *Loader) keep(err error) (*Set, error) {
	if l.set != nil {
		return l.set, nil
	}
	return nil, err
}

// CachedDetail returns the details of repo when they are loaded.
func (l *Loader) CachedDetail(repo string) (*snapshot.Detail, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	d, ok := l.details[repo]
	return d, ok
}

// Detail returns the details of repo in set s, fetching them when needed.
func (l *Loader) Detail(s *Set, repo string) (*snapshot.Detail, error) {
	l.mu.Lock()
	if d, ok := l.details[repo]; ok && l.set == s {
		l.mu.Unlock()
		return d, nil
	}
	l.mu.Unlock()

	b, err := l.fetch(snapshot.DetailName(s.ID, repo))
	if err != nil {
		return nil, fmt.Errorf("read details of %s: %w", repo, err)
	}
	d, err := snapshot.DecodeDetail(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("corrupt details of %s: %w", repo, err)
	}
	if d.Repo != repo {
		return nil, fmt.Errorf("corrupt details of %s: they are of %q", repo, d.Repo)
	}
	l.mu.Lock()
	if l.set == s {
		l.details[repo] = d
	}
	l.mu.Unlock()
	return d, nil
}
