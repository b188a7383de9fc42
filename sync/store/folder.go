package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Folder is a Store in a local directory. Objects are plain files holding
// plain JSON (never gzip), so the folder can be served as it is, like the
// sample in web/data; gzip files are still read.
//
// Every write goes to a temporary file under .tmp/ that is synced and then
// renamed (or hard-linked, for creates) into place, so a reader or a crash
// never sees half a file. Conditional replaces hold an flock on .lock.
type Folder struct {
	dir       string
	cleanOnce sync.Once
}

var _ Store = (*Folder)(nil)

// tmpDir and lockFile are hidden: List never returns them.
const (
	tmpDir   = ".tmp"
	lockFile = ".lock"
	// staleTemp is how old a temporary file must be before it is removed
	// as debris of a crashed writer.
	staleTemp = time.Hour
)

// NewFolder returns the folder store rooted at dir. The directory is created
// on the first write.
func NewFolder(dir string) (*Folder, error) {
	if dir == "" {
		return nil, errors.New("open folder store: empty path")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open folder store: %w", err)
	}
	return &Folder{dir: abs}, nil
}

// String returns the directory.
func (f *Folder) String() string { return f.dir }

// Close does nothing: a folder holds no resources.
func (f *Folder) Close() error { return nil }

func (f *Folder) path(name string) string { return filepath.Join(f.dir, filepath.FromSlash(name)) }

// Get reads an object.
func (f *Folder) Get(ctx context.Context, name string) ([]byte, Gen, error) {
	if err := checkName(name); err != nil {
		return nil, NoGen, err
	}
	b, err := os.ReadFile(f.path(name))
	if err != nil {
		return nil, NoGen, fmt.Errorf("get %s: %w", name, err)
	}
	gen := hashGen(b)
	b, err = plain(b)
	if err != nil {
		return nil, gen, fmt.Errorf("get %s: %w", name, err)
	}
	return b, gen, nil
}

// hashGen is the generation of a file: a hash of its bytes. Snapshot ids
// only grow, so the pointer never returns to an earlier content.
func hashGen(b []byte) Gen {
	sum := sha256.Sum256(b)
	return Gen(hex.EncodeToString(sum[:12]))
}

// Put replaces an object atomically.
func (f *Folder) Put(ctx context.Context, name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	tmp, err := f.writeTemp(data)
	if err != nil {
		return fmt.Errorf("put %s: %w", name, err)
	}
	if err := f.rename(tmp, name); err != nil {
		return fmt.Errorf("put %s: %w", name, err)
	}
	return nil
}

// PutIf writes an object if its generation is match. Creates (NoGen) link
// the temporary file into place, which fails when the name exists, so they
// need no lock; replaces compare and rename under the folder's lock.
func (f *Folder) PutIf(ctx context.Context, name string, data []byte, match Gen) (Gen, error) {
	if err := checkName(name); err != nil {
		return NoGen, err
	}
	tmp, err := f.writeTemp(data)
	if err != nil {
		return NoGen, fmt.Errorf("put %s: %w", name, err)
	}
	defer os.Remove(tmp) // after a link or a failure; gone after a rename
	if match == NoGen {
		if err := f.link(tmp, name); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return f.sameAs(name, data)
			}
			return NoGen, fmt.Errorf("put %s: %w", name, err)
		}
		return hashGen(data), nil
	}
	unlock, err := f.lock(ctx)
	if err != nil {
		return NoGen, fmt.Errorf("put %s: %w", name, err)
	}
	defer unlock()
	cur, err := os.ReadFile(f.path(name))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return NoGen, fmt.Errorf("put %s: it was deleted since generation %s: %w", name, match, ErrConflict)
	case err != nil:
		return NoGen, fmt.Errorf("put %s: %w", name, err)
	case hashGen(cur) != match:
		return NoGen, fmt.Errorf("put %s: generation %s is no longer current: %w", name, match, ErrConflict)
	}
	if err := f.rename(tmp, name); err != nil {
		return NoGen, fmt.Errorf("put %s: %w", name, err)
	}
	return hashGen(data), nil
}

// sameAs succeeds when the existing object holds data: a create retried
// after it had succeeded.
func (f *Folder) sameAs(name string, data []byte) (Gen, error) {
	cur, err := os.ReadFile(f.path(name))
	if err != nil {
		return NoGen, fmt.Errorf("put %s: %w", name, err)
	}
	if !bytes.Equal(cur, data) {
		return NoGen, fmt.Errorf("put %s: it exists with other content: %w", name, ErrConflict)
	}
	return hashGen(cur), nil
}

// List returns the objects under prefix, sorted, skipping hidden files.
func (f *Folder) List(ctx context.Context, prefix string) ([]string, error) {
	root := f.dir
	if i := strings.LastIndex(prefix, "/"); i >= 0 {
		root = f.path(prefix[:i])
	}
	var names []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // a prefix with no objects, or a file removed meanwhile
			}
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != root {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return ctx.Err()
		}
		rel, err := filepath.Rel(f.dir, p)
		if err != nil {
			return err
		}
		if name := filepath.ToSlash(rel); strings.HasPrefix(name, prefix) {
			names = append(names, name)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", prefix, err)
	}
	sort.Strings(names)
	return names, nil
}

// Delete removes an object and the directories it leaves empty.
func (f *Folder) Delete(ctx context.Context, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := os.Remove(f.path(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete %s: %w", name, err)
	}
	for dir := filepath.Dir(f.path(name)); dir != f.dir && strings.HasPrefix(dir, f.dir); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil {
			break // not empty
		}
	}
	return nil
}

// writeTemp writes data to a new synced temporary file and returns its path.
func (f *Folder) writeTemp(data []byte) (string, error) {
	dir := filepath.Join(f.dir, tmpDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	f.cleanOnce.Do(func() { removeStale(dir, time.Now().Add(-staleTemp)) })
	name := filepath.Join(dir, rand.Text())
	t, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	_, err = t.Write(data)
	if err == nil {
		err = t.Sync()
	}
	if cerr := t.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// removeStale removes temporary files left by writers that died.
func removeStale(dir string, before time.Time) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.ModTime().Before(before) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// rename moves a synced temporary file into place and syncs the directory.
func (f *Folder) rename(tmp, name string) error {
	dst := f.path(name)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	return syncDir(filepath.Dir(dst))
}

// link hard-links a synced temporary file into place; it fails with
// fs.ErrExist when the name exists.
func (f *Folder) link(tmp, name string) error {
	dst := f.path(name)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Link(tmp, dst); err != nil {
		return err
	}
	return syncDir(filepath.Dir(dst))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// lock takes the folder's lock, waiting until ctx is done.
func (f *Folder) lock(ctx context.Context) (unlock func(), err error) {
	if err := os.MkdirAll(f.dir, 0o755); err != nil {
		return nil, err
	}
	l, err := os.OpenFile(filepath.Join(f.dir, lockFile), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		ok, err := tryLock(l)
		if err != nil {
			l.Close()
			return nil, fmt.Errorf("lock %s: %w", l.Name(), err)
		}
		if ok {
			return func() { l.Close() }, nil // closing releases the lock
		}
		select {
		case <-ctx.Done():
			l.Close()
			return nil, fmt.Errorf("lock %s: %w", l.Name(), ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}
