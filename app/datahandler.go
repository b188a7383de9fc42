//go:build !(js && wasm)

package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"versus/app/dataset"
	"versus/sync/snapshot"
)

// dataCacheBytes bounds the snapshot objects the server keeps in memory:
// the index of 100,000 projects is 72 MB, 82 MB with its gzip, and a
// refresh keeps two for a while.
const dataCacheBytes = 256 << 20

// dataHandler serves the snapshot under /data/: latest.json is the pointer of
// the live snapshot (validated, so never one the server refused), never
// cached by clients; snapshot objects, which never change, are read from the
// store once, kept with their gzip form, and cached by clients for a year.
type dataHandler struct {
	src     *dataset.Loader
	timeout time.Duration
	cache   *objectCache
	warmed  atomic.Pointer[string] // the id of the snapshot whose index warm read
}

func newDataHandler(src *dataset.Loader, timeout time.Duration) *dataHandler {
	return &dataHandler{src: src, timeout: timeout, cache: newObjectCache(dataCacheBytes)}
}

func (h *dataHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	ext := path.Ext(name)
	object := name == snapshot.PointerName || strings.HasPrefix(name, "snapshots/") && (ext == ".json" || ext == ".bin")
	if !object || !fs.ValidPath(name) {
		http.NotFound(w, r)
		return
	}
	obj, err := h.object(r.Context(), name)
	if errors.Is(err, fs.ErrNotExist) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "cannot read "+name, http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	if ext == ".json" {
		hd.Set("Content-Type", "application/json")
	} else {
		hd.Set("Content-Type", "application/octet-stream")
	}
	if name == snapshot.PointerName {
		hd.Set("Cache-Control", "no-cache")
	} else {
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	hd.Add("Vary", "Accept-Encoding")
	body := obj.raw
	if obj.gz != nil && acceptsEncoding(r, "gzip") {
		hd.Set("Content-Encoding", "gzip")
		body = obj.gz
	}
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// object returns the named object: the live pointer, or a snapshot object
// from the cache or the store.
func (h *dataHandler) object(ctx context.Context, name string) (*object, error) {
	if name == snapshot.PointerName {
		// Encoded again each time (it is a few hundred bytes), so that it
		// never pushes the index out of the cache.
		set, err := h.src.Load()
		if err != nil {
			return nil, err
		}
		h.warm(set)
		var b bytes.Buffer
		if err := snapshot.Encode(&b, set.Pointer); err != nil {
			return nil, err
		}
		return &object{raw: b.Bytes()}, nil
	}
	return h.cache.get(ctx, name, func(ctx context.Context) ([]byte, error) {
		ctx, cancel := context.WithTimeout(ctx, h.timeout)
		defer cancel()
		return h.src.Reader().Get(ctx, name)
	})
}

// warm reads the index browsers read (the binary one when the snapshot
// has it) and gzips it in the background, once a snapshot, so that no
// visitor waits for it: the server calls it when it starts, and the pointer
// of a newer snapshot does when it is first served (a 100,000-project
// index.json takes about a second to gzip). The channel is closed when the
// index is kept, or at once if it was already warmed.
func (h *dataHandler) warm(set *dataset.Set) <-chan struct{} {
	done := make(chan struct{})
	if old := h.warmed.Swap(&set.ID); old != nil && *old == set.ID {
		close(done)
		return done
	}
	name := set.Pointer.IndexBin
	if name == "" {
		name = set.Pointer.Index
	}
	go func() {
		defer close(done)
		h.object(context.Background(), name)
	}()
	return done
}

// object is a body as sent, with its gzip form when worth it.
type object struct{ raw, gz []byte }

// objectCache keeps objects by name up to a number of bytes, the least
// recently used going first. Requests for an object being read wait for that one read.
type objectCache struct {
	budget int

	mu      sync.Mutex
	size    int
	entries map[string]*cacheEntry
	order   []string // names of the entries read, oldest first
}

type cacheEntry struct {
	ready chan struct{} // closed when obj or err is set
	obj   *object
	err   error
}

func newObjectCache(budget int) *objectCache {
	return &objectCache{budget: budget, entries: map[string]*cacheEntry{}}
}

// get returns the object name, reading it with read when it is not kept.
// Failed reads are not kept. The read is not cut short when the request
// that started it goes: others may be waiting for it.
func (c *objectCache) get(ctx context.Context, name string, read func(context.Context) ([]byte, error)) (*object, error) {
	c.mu.Lock()
	e, ok := c.entries[name]
	if !ok {
		e = &cacheEntry{ready: make(chan struct{})}
		c.entries[name] = e
	}
	c.mu.Unlock()
	if ok {
		select {
		case <-e.ready:
			c.touch(name)
			return e.obj, e.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	b, err := read(context.WithoutCancel(ctx))
	if err == nil {
		e.obj = &object{raw: b}
		if len(b) >= minCompress {
			e.obj.gz = gzipBytes(b)
		}
	}
	e.err = err
	close(e.ready)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		delete(c.entries, name)
		return nil, err
	}
	c.size += len(e.obj.raw) + len(e.obj.gz)
	c.order = append(c.order, name)
	for c.size > c.budget && len(c.order) > 1 { // the least recently used go first
		old := c.entries[c.order[0]]
		c.size -= len(old.obj.raw) + len(old.obj.gz)
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
	return e.obj, nil
}

// touch makes name the most recently used object.
func (c *objectCache) touch(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if i := slices.Index(c.order, name); i >= 0 {
		c.order = append(slices.Delete(c.order, i, i+1), name)
	}
}
