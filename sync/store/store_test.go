package store_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"versus/sync/snapshot"
	"versus/sync/store"
	"versus/sync/store/storetest"
)

// backend opens an empty store of one kind.
type backend struct {
	name string
	open func(t *testing.T) store.Store
}

// backends are the stores every behaviour is checked against: a folder,
// fake GCS in process, and fake GCS reached as production reaches GCS
// (store.Open with STORAGE_EMULATOR_HOST).
func backends() []backend {
	return []backend{
		{"folder", func(t *testing.T) store.Store {
			st, err := store.NewFolder(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return st
		}},
		{"gcs", func(t *testing.T) store.Store {
			st, _ := storetest.GCS(t, "site/data")
			return st
		}},
		{"gcs-emulator", func(t *testing.T) store.Store {
			host, _ := storetest.Emulator(t)
			t.Setenv("STORAGE_EMULATOR_HOST", host)
			st, err := store.Open(context.Background(), "gs://"+storetest.Bucket+"/data")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		}},
	}
}

func TestObjects(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.open(t)

			if _, _, err := st.Get(ctx, "a/missing.json"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Get(missing) error = %v, want fs.ErrNotExist", err)
			}
			if err := st.Put(ctx, "cache/x.json", []byte(`{"a":1}`)); err != nil {
				t.Fatalf("Put: %v", err)
			}
			if err := st.Put(ctx, "cache/x.json", []byte(`{"a":2}`)); err != nil {
				t.Fatalf("Put again: %v", err)
			}
			got, _, err := st.Get(ctx, "cache/x.json")
			if err != nil || string(got) != `{"a":2}` {
				t.Errorf("Get = %q, %v, want {\"a\":2}", got, err)
			}

			gen, err := st.PutIf(ctx, "p.json", []byte(`"one"`), store.NoGen)
			if err != nil {
				t.Fatalf("PutIf(create): %v", err)
			}
			if _, err := st.PutIf(ctx, "p.json", []byte(`"one"`), store.NoGen); err != nil {
				t.Errorf("PutIf(create the same bytes again) = %v, want success", err)
			}
			if _, err := st.PutIf(ctx, "p.json", []byte(`"other"`), store.NoGen); !errors.Is(err, store.ErrConflict) {
				t.Errorf("PutIf(create over other bytes) = %v, want ErrConflict", err)
			}
			gen2, err := st.PutIf(ctx, "p.json", []byte(`"two"`), gen)
			if err != nil {
				t.Fatalf("PutIf(current generation): %v", err)
			}
			if _, err := st.PutIf(ctx, "p.json", []byte(`"three"`), gen); !errors.Is(err, store.ErrConflict) {
				t.Errorf("PutIf(stale generation) = %v, want ErrConflict", err)
			}
			got, g, err := st.Get(ctx, "p.json")
			if err != nil || string(got) != `"two"` || g != gen2 {
				t.Errorf("Get = %q, %q, %v, want \"two\", %q", got, g, err, gen2)
			}

			for _, n := range []string{"snapshots/b/2.json", "snapshots/a/1.json", "snapshots/a/p/x/y.json", "snapshotsx.json"} {
				if _, err := st.PutIf(ctx, n, []byte("{}"), store.NoGen); err != nil {
					t.Fatal(err)
				}
			}
			names, err := st.List(ctx, "snapshots/")
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"snapshots/a/1.json", "snapshots/a/p/x/y.json", "snapshots/b/2.json"}
			if diff := cmp.Diff(want, names); diff != "" {
				t.Errorf("List mismatch (-want +got):\n%s", diff)
			}
			for _, n := range []string{"snapshots/a/p/x/y.json", "snapshots/a/p/x/y.json"} {
				if err := st.Delete(ctx, n); err != nil {
					t.Errorf("Delete(%q) = %v", n, err)
				}
			}
			if names, _ := st.List(ctx, "snapshots/a/"); !cmp.Equal(names, []string{"snapshots/a/1.json"}) {
				t.Errorf("List after Delete = %q", names)
			}
			for _, bad := range []string{"../x.json", "/abs.json", "a//b.json", `a\b.json`, ""} {
				if err := st.Put(ctx, bad, []byte("{}")); err == nil {
					t.Errorf("Put(%q) succeeded, want an error", bad)
				}
			}
		})
	}
}

func TestGCSObjectAttrs(t *testing.T) {
	ctx := context.Background()
	st, srv := storetest.GCS(t, "data")
	snap := storetest.Snapshot(testTime(0), 2)
	if _, err := store.Publish(ctx, st, snap, store.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	id := snap.Index.ID
	tests := []struct {
		name, cacheControl string
	}{
		{snapshot.PointerName, "no-cache"},
		{snapshot.IndexName(id), "public, max-age=31536000, immutable"},
		{snapshot.DetailName(id, "owner1/repo1"), "public, max-age=31536000, immutable"},
	}
	for _, tt := range tests {
		obj, err := srv.GetObject(storetest.Bucket, "data/"+tt.name)
		if err != nil {
			t.Fatalf("GetObject(%q): %v", tt.name, err)
		}
		got := []string{obj.ContentType, obj.ContentEncoding, obj.CacheControl}
		want := []string{"application/json", "gzip", tt.cacheControl}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: type, encoding, cache-control mismatch (-want +got):\n%s", tt.name, diff)
		}
		if len(obj.Content) < 2 || obj.Content[0] != 0x1f || obj.Content[1] != 0x8b {
			t.Errorf("%s: stored bytes are not gzip: %q", tt.name, obj.Content[:min(10, len(obj.Content))])
		}
	}
}

func TestFolderWritesPlainJSON(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.NewFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	snap := storetest.Snapshot(testTime(0), 1)
	if _, err := store.Publish(ctx, st, snap, store.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{snapshot.PointerName, snapshot.IndexName(snap.Index.ID)} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !strings.HasPrefix(string(b), "{") {
			t.Errorf("%s = %.20q, %v, want plain JSON", name, b, err)
		}
	}
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		url, want string
		fails     bool
	}{
		{url: "/tmp/x", want: "/tmp/x"},
		{url: "file:///tmp/y", want: "/tmp/y"},
		{url: "gs://bucket/a/b/", want: "gs://bucket/a/b"},
		{url: "gs://bucket", want: "gs://bucket/"},
		{url: "s3://bucket/x", fails: true},
		{url: "gs:///x", fails: true},
		{url: "", fails: true},
	}
	t.Setenv("STORAGE_EMULATOR_HOST", "http://127.0.0.1:1") // never dialled
	for _, tt := range tests {
		st, err := store.Open(ctx, tt.url)
		if tt.fails {
			if err == nil {
				t.Errorf("Open(%q) succeeded, want an error", tt.url)
			}
			continue
		}
		if err != nil {
			t.Errorf("Open(%q) = %v", tt.url, err)
			continue
		}
		if got := st.String(); got != tt.want {
			t.Errorf("Open(%q).String() = %q, want %q", tt.url, got, tt.want)
		}
		st.Close()
	}
}

// TestReadSample reads the committed sample the app serves by default.
func TestReadSample(t *testing.T) {
	ctx := context.Background()
	st, err := store.NewFolder("../../web/data")
	if err != nil {
		t.Fatal(err)
	}
	p, x, err := store.ReadLatest(ctx, st)
	if err != nil {
		t.Fatalf("ReadLatest(web/data): %v", err)
	}
	if p.Projects != len(x.Projects) {
		t.Errorf("pointer says %d projects, the index holds %d", p.Projects, len(x.Projects))
	}
	d, err := store.ReadDetail(ctx, st, p, "tokio-rs/tokio")
	if err != nil {
		t.Fatalf("ReadDetail(tokio-rs/tokio): %v", err)
	}
	if d.Repo != "tokio-rs/tokio" {
		t.Errorf("ReadDetail(tokio-rs/tokio).Repo = %q", d.Repo)
	}
	if _, err := store.ReadDetail(ctx, st, p, "nobody/nothing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadDetail(nobody/nothing) = %v, want fs.ErrNotExist", err)
	}
}
