package gh

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"versus/sync/internal/jsonobj"
)

// cacheTTL is how long an entry that no run has used is kept.
const cacheTTL = 30 * 24 * time.Hour

// Cache keeps the last 200 answer of every GET with its ETag, so that every
// call can be conditional (If-None-Match) and a 304, which costs no quota,
// can be answered with the cached body. It serializes to JSON so that it
// persists between runs. It never holds credentials: entries are keyed by URL.
//
// A sync of thousands of repositories caches some 4 KB of JSON for each:
// the cache keeps bodies deflated, inflating one when it is answered.
type Cache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry
	now     func() time.Time
	// Deflaters and inflaters are reused: each holds hundreds of kilobytes.
	deflaters, inflaters sync.Pool
}

// cacheEntry is an entry in memory: its body deflated.
type cacheEntry struct {
	ETag, Link string
	z          []byte
	Used       time.Time
}

// fileEntry is an entry as the JSON of a cache holds it.
type fileEntry struct {
	ETag string          `json:"etag"`
	Link string          `json:"link,omitempty"`
	Body json.RawMessage `json:"body"`
	Used time.Time       `json:"used"`
}

const cacheVersion = 1

// NewCache returns an empty cache; now stamps entries when they are used.
func NewCache(now func() time.Time) *Cache {
	return &Cache{entries: map[string]*cacheEntry{}, now: now}
}

// LoadCache reads a cache written by Marshal, one entry at a time. Empty
// data gives an empty cache.
func LoadCache(data []byte, now func() time.Time) (*Cache, error) {
	c := NewCache(now)
	if len(data) == 0 {
		return c, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	version := 0
	err := jsonobj.Read(dec, func(field string) error {
		switch field {
		case "version":
			return dec.Decode(&version)
		case "entries":
			return jsonobj.Read(dec, func(key string) error {
				var e *fileEntry
				if err := dec.Decode(&e); err != nil {
					return err
				}
				if e != nil && e.ETag != "" && json.Valid(e.Body) {
					c.entries[key] = &cacheEntry{ETag: e.ETag, Link: e.Link, z: c.deflate(e.Body), Used: e.Used}
				}
				return nil
			})
		}
		var skip json.RawMessage
		return dec.Decode(&skip)
	})
	if err == nil {
		if _, end := dec.Token(); end != io.EOF {
			err = errors.New("data after the cache")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("decode etag cache: %w", err)
	}
	if version != cacheVersion {
		return NewCache(now), nil // an unknown layout costs one cold run, nothing more
	}
	return c, nil
}

// Marshal encodes the cache, leaving out entries unused for 30 days, one
// entry at a time.
func (c *Cache) Marshal() ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cutoff := c.now().Add(-cacheTTL)
	keys := make([]string, 0, len(c.entries))
	size := 0
	for k, e := range c.entries {
		if e.Used.After(cutoff) {
			keys = append(keys, k)
			size += len(k) + len(e.ETag) + len(e.Link) + 8*len(e.z) + 80
		}
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.Grow(size)
	fmt.Fprintf(&b, `{"version":%d,"entries":{`, cacheVersion)
	for i, k := range keys {
		e := c.entries[k]
		body, err := c.inflate(e.z)
		if err != nil {
			return nil, fmt.Errorf("encode etag cache: %s: %w", k, err)
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, fmt.Errorf("encode etag cache: %w", err)
		}
		eb, err := json.Marshal(fileEntry{ETag: e.ETag, Link: e.Link, Body: body, Used: e.Used})
		if err != nil {
			return nil, fmt.Errorf("encode etag cache: %w", err)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(eb)
	}
	b.WriteString("}}")
	return b.Bytes(), nil
}

// deflate returns body deflated, in a slice of its own length.
func (c *Cache) deflate(body []byte) []byte {
	var b bytes.Buffer
	w, _ := c.deflaters.Get().(*flate.Writer)
	if w == nil {
		w, _ = flate.NewWriter(nil, flate.BestSpeed)
	}
	defer c.deflaters.Put(w)
	w.Reset(&b)
	w.Write(body) // a bytes.Buffer does not fail
	w.Close()
	return bytes.Clone(b.Bytes())
}

func (c *Cache) inflate(z []byte) ([]byte, error) {
	r, _ := c.inflaters.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReader(nil)
	}
	defer c.inflaters.Put(r)
	if err := r.(flate.Resetter).Reset(bytes.NewReader(z), nil); err != nil {
		return nil, err
	}
	return io.ReadAll(r)
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
		body, err := t.cache.inflate(e.z)
		if err != nil {
			return nil, fmt.Errorf("etag cache: %w", err)
		}
		h := resp.Header.Clone() // keeps the fresh rate-limit headers
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("ETag", e.ETag)
		h.Set("Content-Length", strconv.Itoa(len(body)))
		if e.Link != "" {
			h.Set("Link", e.Link)
		}
		return &http.Response{
			Status: "200 OK", StatusCode: http.StatusOK,
			Proto: resp.Proto, ProtoMajor: resp.ProtoMajor, ProtoMinor: resp.ProtoMinor,
			Header: h, Body: io.NopCloser(bytes.NewReader(body)),
			ContentLength: int64(len(body)), Request: resp.Request,
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
			t.cache.put(key, &cacheEntry{ETag: resp.Header.Get("ETag"), Link: resp.Header.Get("Link"), z: t.cache.deflate(compact(body))})
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		return resp, nil
	}
	return resp, nil
}

// compact returns b without insignificant space.
func compact(b []byte) json.RawMessage {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return b
	}
	return buf.Bytes()
}
