package gh

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// cacheTTL is how long an entry that no run has used is kept.
const cacheTTL = 30 * 24 * time.Hour

// Cache keeps the last 200 answer of every GET with its ETag, so that every
// call can be conditional (If-None-Match) and a 304, which costs no quota,
// can be answered with the cached body. It serializes to JSON so that it
// persists between runs. It never holds credentials: entries are keyed by URL.
type Cache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry
	now     func() time.Time
}

type cacheEntry struct {
	ETag string          `json:"etag"`
	Link string          `json:"link,omitempty"`
	Body json.RawMessage `json:"body"`
	Used time.Time       `json:"used"`
}

type cacheFile struct {
	Version int                    `json:"version"`
	Entries map[string]*cacheEntry `json:"entries"`
}

// NewCache returns an empty cache; now stamps entries when they are used.
func NewCache(now func() time.Time) *Cache {
	return &Cache{entries: map[string]*cacheEntry{}, now: now}
}

// LoadCache reads a cache written by Marshal. Empty data gives an empty cache.
func LoadCache(data []byte, now func() time.Time) (*Cache, error) {
	c := NewCache(now)
	if len(data) == 0 {
		return c, nil
	}
	var f cacheFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("decode etag cache: %w", err)
	}
	if f.Version != 1 {
		return c, nil // an unknown layout costs one cold run, nothing more
	}
	for k, e := range f.Entries {
		if e != nil && e.ETag != "" && json.Valid(e.Body) {
			c.entries[k] = e
		}
	}
	return c, nil
}

// Marshal encodes the cache, leaving out entries unused for 30 days.
func (c *Cache) Marshal() ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := cacheFile{Version: 1, Entries: make(map[string]*cacheEntry, len(c.entries))}
	cutoff := c.now().Add(-cacheTTL)
	for k, e := range c.entries {
		if e.Used.After(cutoff) {
			f.Entries[k] = e
		}
	}
	b, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("encode etag cache: %w", err)
	}
	return b, nil
}

// Len returns the number of entries.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

func (c *Cache) get(key string) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e != nil {
		e.Used = c.now()
	}
	return e
}

func (c *Cache) put(key string, e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e.Used = c.now()
	c.entries[key] = e
}

// Transport returns a RoundTripper that makes every GET conditional and
// turns a 304 into the cached 200: go-github would otherwise return an
// *ErrorResponse for it.
func (c *Cache) Transport(next http.RoundTripper) http.RoundTripper {
	return &cacheTransport{cache: c, next: next}
}

type cacheTransport struct {
	cache *Cache
	next  http.RoundTripper
}

// noCacheKey marks a request's context: its answer is never asked again,
// so the cache keeps nothing of it.
type noCacheKey struct{}

func uncached(ctx context.Context) context.Context { return context.WithValue(ctx, noCacheKey{}, true) }

func (t *cacheTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet || req.Context().Value(noCacheKey{}) != nil {
		return t.next.RoundTrip(req)
	}
	key := req.URL.String()
	e := t.cache.get(key)
	if e != nil {
		req = req.Clone(req.Context())
		req.Header.Set("If-None-Match", e.ETag)
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && e != nil:
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		h := resp.Header.Clone() // keeps the fresh rate-limit headers
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("ETag", e.ETag)
		h.Set("Content-Length", strconv.Itoa(len(e.Body)))
		if e.Link != "" {
			h.Set("Link", e.Link)
		}
		return &http.Response{
			Status: "200 OK", StatusCode: http.StatusOK,
			Proto: resp.Proto, ProtoMajor: resp.ProtoMajor, ProtoMinor: resp.ProtoMinor,
			Header: h, Body: io.NopCloser(bytes.NewReader(e.Body)),
			ContentLength: int64(len(e.Body)), Request: resp.Request,
		}, nil
	case resp.StatusCode == http.StatusOK && resp.Header.Get("ETag") != "":
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read response body: %w", err)
		}
		// A malformed body must never be cached: its ETag would make every
		// later run replay it.
		if json.Valid(body) {
			t.cache.put(key, &cacheEntry{ETag: resp.Header.Get("ETag"), Link: resp.Header.Get("Link"), Body: compact(body)})
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		return resp, nil
	}
	return resp, nil
}

// compact returns b without insignificant space, in a slice of its own
// length: the cache holds thousands.
func compact(b []byte) json.RawMessage {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return b
	}
	return bytes.Clone(buf.Bytes())
}
