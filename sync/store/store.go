// Package store owns where snapshots live: a small object-store interface
// with a folder and a Google Cloud Storage backend, the atomic publication of
// a snapshot, its retention, the read API of the app, and the files a sync
// keeps between runs (star history and the ETag cache).
package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"versus/sync/snapshot"
)

// Store is a flat namespace of objects under a prefix. Names are
// slash-separated and relative ("snapshots/<id>/index.json").
//
// Every method takes the context first. Errors for a missing object wrap
// fs.ErrNotExist; a failed precondition wraps ErrConflict.
type Store interface {
	// Get returns the (decompressed) bytes of the object and its generation.
	// An object whose gzip is broken gives an error wrapping ErrCorrupt
	// and still its generation, so that it can be replaced.
	Get(ctx context.Context, name string) ([]byte, Gen, error)
	// Put writes the object whatever is there. Use it only for objects whose
	// loss of a concurrent write does not matter (the ETag cache).
	Put(ctx context.Context, name string, data []byte) error
	// PutIf writes the object only if its generation is match; NoGen means
	// "only if it does not exist". It returns the new generation, or an
	// error wrapping ErrConflict when the precondition fails. Writing the
	// very same bytes again with NoGen succeeds, so a retried create is safe.
	PutIf(ctx context.Context, name string, data []byte, match Gen) (Gen, error)
	// List returns the names of the objects under prefix, sorted.
	List(ctx context.Context, prefix string) ([]string, error)
	// Delete removes the object; a missing object is not an error.
	Delete(ctx context.Context, name string) error
	// Close releases the resources of the store.
	Close() error
	// String describes the store for messages ("gs://bucket/prefix").
	String() string
}

// Gen identifies one version of an object: the generation number on GCS, a
// content hash in a folder. NoGen stands for "no object".
type Gen string

// NoGen is the generation of an object that does not exist.
const NoGen Gen = ""

// ErrConflict reports that another writer changed an object first: another
// sync published, or a snapshot with the same id exists.
var ErrConflict = errors.New("conflict with a concurrent writer")

// ErrCorrupt reports an object whose encoding is broken (bad gzip).
var ErrCorrupt = errors.New("corrupt object")

// Open opens the store named by url: "gs://bucket/prefix" for Google Cloud
// Storage (honouring STORAGE_EMULATOR_HOST), "file:///dir" or a plain path
// for a folder.
func Open(ctx context.Context, url string) (Store, error) {
	switch {
	case strings.HasPrefix(url, "gs://"):
		bucket, prefix, _ := strings.Cut(strings.TrimPrefix(url, "gs://"), "/")
		return OpenGCS(ctx, bucket, prefix)
	case strings.HasPrefix(url, "file://"):
		return NewFolder(strings.TrimPrefix(url, "file://"))
	case strings.Contains(url, "://"):
		return nil, fmt.Errorf("open store %q: unknown scheme, want gs:// or a folder", url)
	default:
		return NewFolder(url)
	}
}

// checkName refuses names that could escape the prefix.
func checkName(name string) error {
	if !fs.ValidPath(name) || name == "." || strings.Contains(name, `\`) {
		return fmt.Errorf("invalid object name %q", name)
	}
	return nil
}

// CacheControl returns the Cache-Control of an object: snapshot objects never
// change, everything else (the pointer, history, cache) may.
func CacheControl(name string) string {
	if strings.HasPrefix(name, "snapshots/") {
		return "public, max-age=31536000, immutable"
	}
	return "no-cache"
}

// ContentType returns the Content-Type of an object, by its extension.
func ContentType(name string) string {
	if path.Ext(name) == ".json" {
		return "application/json"
	}
	return "application/octet-stream"
}

// gzipped reports whether b starts with the gzip magic number. JSON never
// does, so readers accept both plain and gzip-encoded bytes.
func gzipped(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// plain returns b decompressed when it is gzip-encoded.
func plain(b []byte) ([]byte, error) {
	if !gzipped(b) {
		return b, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w: %w", ErrCorrupt, err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w: %w", ErrCorrupt, err)
	}
	return out, nil
}

// compress returns b gzip-encoded.
func compress(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return buf.Bytes(), nil
}

// encode returns the JSON encoding of a snapshot value.
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := snapshot.Encode(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
