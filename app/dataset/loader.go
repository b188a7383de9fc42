package dataset

import (
	"context"
	"fmt"
	"sync"
	"time"

	"versus/sync/snapshot"
)

// Fetch returns the bytes of the snapshot object with the given name
// ("latest.json", "snapshots/<id>/index.json" …), for transports that take
// no context (window.fetch, files in tests). A missing object is an error
// wrapping fs.ErrNotExist.
type Fetch func(name string) ([]byte, error)

// Reader returns the validating snapshot reader over f.
func (f Fetch) Reader() snapshot.Reader {
	return snapshot.Reader{Get: func(_ context.Context, name string) ([]byte, error) { return f(name) }}
}

// DecodeIndex turns index bytes into an Index. The browser plugs in a faster
// decoder than encoding/json.
type DecodeIndex func(b []byte) (*snapshot.Index, error)

// DefaultTimeout bounds one read of the store: a refresh, or the details of
// one project.
const DefaultTimeout = 20 * time.Second

// Loader loads the live snapshot and project details on demand, and keeps
// them. Everything it reads goes through a snapshot.Reader, so it never takes
// in a snapshot that Validate refuses. It is safe for concurrent use.
//
// Once a snapshot is loaded, Load never waits for the store: when the last
// look at the pointer is older than recheck, it starts one refresh in the
// background (never two at once, each with a deadline) and returns the
// current snapshot meanwhile. An invalid new snapshot is refused, reported
// once, and the current one stays live.
type Loader struct {
	read    snapshot.Reader
	recheck time.Duration
	timeout time.Duration
	report  func(error)
	now     func() time.Time

	refreshing sync.Mutex     // one refresh at a time
	bg         sync.WaitGroup // the background refresh, for tests

	mu         sync.Mutex // guards what follows; never held across I/O
	set        *Set
	checked    time.Time
	running    bool
	refused    string                      // id of the last snapshot refused as invalid …
	refusedErr error                       // … and why
	details    map[string]*snapshot.Detail // by repo, for set
}

// NewLoader returns a loader reading objects through fetch; see LoaderFor.
func NewLoader(fetch Fetch, recheck time.Duration) *Loader {
	return LoaderFor(fetch.Reader(), recheck)
}

// LoaderFor returns a loader reading through r. With recheck > 0 it looks at
// the pointer again when the last look is older than recheck, so that a
// long-running server picks up new snapshots; with 0 it loads once.
func LoaderFor(r snapshot.Reader, recheck time.Duration) *Loader {
	return &Loader{read: r, recheck: recheck, timeout: DefaultTimeout, now: time.Now}
}

// WithDecoder makes the loader decode indexes with d.
func (l *Loader) WithDecoder(d DecodeIndex) *Loader {
	l.read.DecodeIndex = d
	return l
}

// WithBinDecoder makes the loader read the binary index when the pointer
// names one, decoding it with d (indexbin.Decode): for the browser.
func (l *Loader) WithBinDecoder(d DecodeIndex) *Loader {
	l.read.DecodeIndexBin = d
	return l
}

// WithServedIndex makes the loader check only the schema version and id of
// an index, trusting the server to have validated it (see
// snapshot.Reader.Served): for the browser only.
func (l *Loader) WithServedIndex() *Loader {
	l.read.Served = true
	return l
}

// WithReport makes the loader tell report of each snapshot it refuses and of
// each refresh that fails while a snapshot is live; by default they are
// dropped (the live snapshot stays either way).
func (l *Loader) WithReport(report func(error)) *Loader {
	l.report = report
	return l
}

// WithTimeout sets the deadline of one read of the store.
func (l *Loader) WithTimeout(d time.Duration) *Loader {
	l.timeout = d
	return l
}

// Reader is the validating reader the loader reads through.
func (l *Loader) Reader() snapshot.Reader { return l.read }

// Cached returns the loaded set without loading anything, or nil.
func (l *Loader) Cached() *Set {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.set
}

// Load returns the live snapshot. The first call reads it from the store;
// later calls return at once (see Loader).
func (l *Loader) Load() (*Set, error) {
	l.mu.Lock()
	set := l.set
	stale := set != nil && l.recheck > 0 && !l.running && l.now().Sub(l.checked) >= l.recheck
	if stale {
		l.running = true
	}
	l.mu.Unlock()
	if stale {
		l.bg.Go(l.background)
	}
	if set != nil {
		return set, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), l.timeout)
	defer cancel()
	err := l.Refresh(ctx)
	if set := l.Cached(); set != nil {
		return set, nil
	}
	return nil, err
}

func (l *Loader) background() {
	ctx, cancel := context.WithTimeout(context.Background(), l.timeout)
	l.Refresh(ctx)
	cancel()
	l.mu.Lock()
	l.running = false
	l.mu.Unlock()
}

// Refresh reads the pointer and, when it names a snapshot other than the
// live one, reads and validates that snapshot and makes it live. An invalid
// snapshot is refused (and not read again: snapshot objects never change);
// the live one stays. Refreshes run one at a time. While a snapshot is
// live, errors also go to the report (a refused snapshot once).
func (l *Loader) Refresh(ctx context.Context) error {
	l.refreshing.Lock()
	defer l.refreshing.Unlock()
	err := l.refresh(ctx)
	if err != nil && l.report != nil && l.Cached() != nil {
		l.report(err)
	}
	return err
}

func (l *Loader) refresh(ctx context.Context) error {
	l.mu.Lock()
	l.checked = l.now()
	l.mu.Unlock()

	// A read of the store that fails is worth another try later; an object
	// read but refused stays refused.
	var readErr error
	r := l.read
	r.Get = func(ctx context.Context, name string) ([]byte, error) {
		b, err := l.read.Get(ctx, name)
		if err != nil {
			readErr = err
		}
		return b, err
	}
	ptr, err := r.Pointer(ctx)
	if err != nil {
		return err
	}
	l.mu.Lock()
	live, refused, refusedErr := l.set, l.refused, l.refusedErr
	l.mu.Unlock()
	switch {
	case live != nil && live.ID == ptr.ID:
		return nil
	case ptr.ID == refused && live != nil:
		return nil // reported when first seen
	case ptr.ID == refused:
		return refusedErr
	}
	idx, err := r.Index(ctx, ptr)
	if err != nil {
		if readErr == nil {
			if live != nil {
				err = fmt.Errorf("refused snapshot %s, still serving %s: %w", ptr.ID, live.ID, err)
			}
			l.mu.Lock()
			l.refused, l.refusedErr = ptr.ID, err
			l.mu.Unlock()
		}
		return err
	}
	set := New(idx)
	set.Pointer = ptr
	l.mu.Lock()
	l.set = set
	l.details = make(map[string]*snapshot.Detail)
	l.mu.Unlock()
	return nil
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

	ctx, cancel := context.WithTimeout(context.Background(), l.timeout)
	defer cancel()
	d, err := l.read.Detail(ctx, s.ID, repo)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	if l.set == s {
		l.details[repo] = d
	}
	l.mu.Unlock()
	return d, nil
}
