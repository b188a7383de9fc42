//go:build !(js && wasm)

package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"versus/app/dataset"
	"versus/sync/store"
)

// TestObjectCacheKeepsWhatIsUsed: over its budget the cache lets go of the
// object used least recently, not the one read first (the index, read
// first and asked for by every visitor, would otherwise go).
func TestObjectCacheKeepsWhatIsUsed(t *testing.T) {
	c := newObjectCache(100)
	reads := map[string]int{}
	get := func(name string, size int) {
		t.Helper()
		_, err := c.get(context.Background(), name, func(context.Context) ([]byte, error) {
			reads[name]++
			return []byte(strings.Repeat("x", size)), nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	get("index", 60)
	get("a", 30)
	get("index", 60) // used again: now a is the least recent
	get("b", 30)     // 120 bytes: one must go
	get("index", 60)
	get("a", 30)
	if reads["index"] != 1 || reads["a"] != 2 || reads["b"] != 1 {
		t.Errorf("reads = %v, want the index read once and a read again", reads)
	}
}

// TestDataHandlerWarmsTheIndex: the server reads and gzips the live index
// before anyone asks for it, and serving the pointer never pushes it out.
func TestDataHandlerWarmsTheIndex(t *testing.T) {
	st, err := store.Open(context.Background(), "../web/data")
	if err != nil {
		t.Fatal(err)
	}
	r := store.Reader(st)
	var counting atomic.Bool
	var indexReads atomic.Int32
	get := r.Get
	var index string
	r.Get = func(ctx context.Context, name string) ([]byte, error) {
		if counting.Load() && name == index {
			indexReads.Add(1)
		}
		return get(ctx, name)
	}
	src := dataset.LoaderFor(r, 0)
	set, err := src.Load()
	if err != nil {
		t.Fatal(err)
	}
	index = set.Pointer.IndexBin
	counting.Store(true) // the reads of the handler's cache from here on
	h := newDataHandler(src, time.Minute)
	<-h.warm(set)
	if indexReads.Load() != 1 {
		t.Fatalf("warm read the index %d times, want once", indexReads.Load())
	}
	for _, name := range []string{"latest.json", index, "latest.json", index} {
		req := httptest.NewRequest(http.MethodGet, "/"+name, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", name, w.Code)
		}
		if name == index && w.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("GET %s: Content-Encoding %q, want gzip", name, w.Header().Get("Content-Encoding"))
		}
	}
	if n := indexReads.Load(); n != 1 {
		t.Errorf("the index was read %d times from the store, want once (ahead of the visitors)", n)
	}
}
