package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"strings"

	"cloud.google.com/go/storage"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/iterator"
)

// GCS is a Store in a Google Cloud Storage bucket, under a prefix. Objects
// are written gzip-encoded with Content-Type, Content-Encoding: gzip and the
// Cache-Control of CacheControl; reads return them decompressed.
type GCS struct {
	client *storage.Client
	bucket *storage.BucketHandle
	name   string // bucket name
	prefix string // "" or ending in "/"
	owned  bool   // Close closes client
}

var _ Store = (*GCS)(nil)

// maxChunk caps the upload buffer of one writer; smaller objects get a buffer
// of their own size and go up in one request.
const maxChunk = 16 << 20

// OpenGCS opens gs://bucket/prefix with the default credentials, or with the
// emulator that STORAGE_EMULATOR_HOST names.
func OpenGCS(ctx context.Context, bucket, prefix string) (*GCS, error) {
	if bucket == "" {
		return nil, errors.New("open gcs store: no bucket in the url")
	}
	client, err := storage.NewClient(ctx)
	if err != nil {
		return nil, fmt.Errorf("open gcs store: %w", err)
	}
	g := NewGCS(client, bucket, prefix)
	g.owned = true
	return g, nil
}

// NewGCS returns the store under prefix in bucket, using client (which Close
// leaves open).
func NewGCS(client *storage.Client, bucket, prefix string) *GCS {
	prefix = strings.Trim(prefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	return &GCS{client: client, bucket: client.Bucket(bucket), name: bucket, prefix: prefix}
}

// String returns "gs://bucket/prefix".
func (g *GCS) String() string { return "gs://" + g.name + "/" + strings.TrimSuffix(g.prefix, "/") }

// Close closes the client if the store opened it.
func (g *GCS) Close() error {
	if g.owned {
		return g.client.Close()
	}
	return nil
}

func (g *GCS) object(name string) *storage.ObjectHandle { return g.bucket.Object(g.prefix + name) }

// Get reads an object, decompressed.
func (g *GCS) Get(ctx context.Context, name string) ([]byte, Gen, error) {
	if err := checkName(name); err != nil {
		return nil, NoGen, err
	}
	r, err := g.object(name).NewReader(ctx)
	if err != nil {
		return nil, NoGen, fmt.Errorf("get %s: %w", name, notExist(err))
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, NoGen, fmt.Errorf("get %s: %w", name, err)
	}
	gen := Gen(strconv.FormatInt(r.Attrs.Generation, 10))
	if b, err = plain(b); err != nil { // in case the transport did not decompress
		return nil, gen, fmt.Errorf("get %s: %w", name, err)
	}
	return b, gen, nil
}

// Put writes an object whatever is there. Writing the same bytes twice does
// no harm, so it is retried like an idempotent call.
func (g *GCS) Put(ctx context.Context, name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	obj := g.object(name).Retryer(storage.WithPolicy(storage.RetryAlways))
	if _, err := g.write(ctx, obj, name, data); err != nil {
		return fmt.Errorf("put %s: %w", name, err)
	}
	return nil
}

// PutIf writes an object with an ifGenerationMatch precondition (0 for
// NoGen), which makes the upload safe to retry. A retry that meets 412
// because its first attempt had succeeded is recognised by reading back.
func (g *GCS) PutIf(ctx context.Context, name string, data []byte, match Gen) (Gen, error) {
	if err := checkName(name); err != nil {
		return NoGen, err
	}
	cond := storage.Conditions{DoesNotExist: true}
	if match != NoGen {
		n, err := strconv.ParseInt(string(match), 10, 64)
		if err != nil {
			return NoGen, fmt.Errorf("put %s: generation %q is not a gcs generation", name, match)
		}
		cond = storage.Conditions{GenerationMatch: n}
	}
	obj := g.object(name).If(cond).Retryer(storage.WithPolicy(storage.RetryIdempotent))
	gen, err := g.write(ctx, obj, name, data)
	if err == nil {
		return gen, nil
	}
	if !preconditionFailed(err) {
		return NoGen, fmt.Errorf("put %s: %w", name, err)
	}
	cur, curGen, gerr := g.Get(ctx, name)
	if gerr == nil && bytes.Equal(cur, data) {
		return curGen, nil
	}
	return NoGen, fmt.Errorf("put %s: generation %q is no longer current: %w", name, match, ErrConflict)
}

// write uploads data gzip-encoded and checks the error of Close, where
// upload errors appear.
func (g *GCS) write(ctx context.Context, obj *storage.ObjectHandle, name string, data []byte) (Gen, error) {
	gz, err := compress(data)
	if err != nil {
		return NoGen, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // aborts the upload if Write failed
	w := obj.NewWriter(ctx)
	w.ContentType = ContentType(name)
	w.ContentEncoding = "gzip"
	w.CacheControl = CacheControl(name)
	w.ChunkSize = min(maxChunk, len(gz)+1)
	w.CRC32C = crc32.Checksum(gz, crc32.MakeTable(crc32.Castagnoli))
	w.SendCRC32C = true
	if _, err := w.Write(gz); err != nil {
		cancel()
		_ = w.Close() // the write error is the one to report
		return NoGen, err
	}
	if err := w.Close(); err != nil {
		return NoGen, err
	}
	return Gen(strconv.FormatInt(w.Attrs().Generation, 10)), nil
}

// List returns the objects under prefix, sorted.
func (g *GCS) List(ctx context.Context, prefix string) ([]string, error) {
	q := &storage.Query{Prefix: g.prefix + prefix}
	if err := q.SetAttrSelection([]string{"Name"}); err != nil {
		return nil, fmt.Errorf("list %s: %w", prefix, err)
	}
	var names []string
	it := g.bucket.Objects(ctx, q)
	for {
		attrs, err := it.Next()
		if errors.Is(err, iterator.Done) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", prefix, err)
		}
		names = append(names, strings.TrimPrefix(attrs.Name, g.prefix))
	}
	return names, nil // the API lists in lexicographic order
}

// Delete removes an object. Deleting twice does no harm, so it is retried.
func (g *GCS) Delete(ctx context.Context, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	err := g.object(name).Retryer(storage.WithPolicy(storage.RetryAlways)).Delete(ctx)
	if err != nil && !errors.Is(err, storage.ErrObjectNotExist) {
		return fmt.Errorf("delete %s: %w", name, err)
	}
	return nil
}

// notExist makes a missing object wrap fs.ErrNotExist too.
func notExist(err error) error {
	if errors.Is(err, storage.ErrObjectNotExist) {
		return fmt.Errorf("%w (%w)", fs.ErrNotExist, err)
	}
	return err
}

func preconditionFailed(err error) bool {
	var e *googleapi.Error
	return errors.As(err, &e) && e.Code == http.StatusPreconditionFailed
}
