package store_test

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"versus/sync/store"
	"versus/sync/store/storetest"
)

func TestStateURL(t *testing.T) {
	tests := []struct{ store, want string }{
		{"web/data", "web/state"},
		{"/srv/versus/data/", "/srv/versus/state"},
		{"file:///srv/data", "/srv/state"},
		{"data", "state"},
		{"gs://bucket/data", "gs://bucket/state"},
		{"gs://bucket/site/data/", "gs://bucket/site/state"},
		{"gs://bucket", "gs://bucket/state"},
		{"gs://bucket/", "gs://bucket/state"},
	}
	for _, tt := range tests {
		if got := store.StateURL(tt.store); got != tt.want {
			t.Errorf("StateURL(%q) = %q, want %q", tt.store, got, tt.want)
		}
	}
}

// TestMoveState checks that the star history and ETag cache of the old
// layout leave the public store for the state store, merged with what the
// state already holds, and that a second call moves nothing.
func TestMoveState(t *testing.T) {
	const history = `{"schema_version":1,"stars":{"a/x":[["2026-11-01",10],["2026-11-02",11]],"b/y":[["2026-11-01",5]]}}`
	tests := []struct {
		name      string
		public    map[string]string
		state     map[string]string
		moved     []string
		wantStars store.Stars
		wantCache string
	}{
		{"nothing to move", nil, nil, nil, store.Stars{}, ""},
		{"old layout", map[string]string{store.StarsName: history, store.CacheName: `{"version":1}`}, nil,
			[]string{store.StarsName, store.CacheName},
			store.Stars{"a/x": {{"2026-11-01", 10}, {"2026-11-02", 11}}, "b/y": {{"2026-11-01", 5}}}, `{"version":1}`},
		{"both places: merged, the state's record and cache win",
			map[string]string{store.StarsName: history, store.CacheName: `{"version":1,"old":true}`},
			map[string]string{store.StarsName: `{"schema_version":1,"stars":{"a/x":[["2026-11-02",12],["2026-11-03",13]]}}`, store.CacheName: `{"version":1}`},
			[]string{store.StarsName, store.CacheName},
			store.Stars{"a/x": {{"2026-11-01", 10}, {"2026-11-02", 12}, {"2026-11-03", 13}}, "b/y": {{"2026-11-01", 5}}}, `{"version":1}`},
		{"corrupt public history is kept aside", map[string]string{store.StarsName: `{"stars":`}, nil,
			[]string{store.StarsName}, store.Stars{}, ""},
	}
	pairs := []struct {
		name string
		open func(t *testing.T) (public, state store.Store)
	}{
		{"folder", func(t *testing.T) (store.Store, store.Store) {
			dir := t.TempDir()
			public, err := store.NewFolder(filepath.Join(dir, "data"))
			if err != nil {
				t.Fatal(err)
			}
			state, err := store.NewFolder(filepath.Join(dir, "state"))
			if err != nil {
				t.Fatal(err)
			}
			return public, state
		}},
		{"gcs", func(t *testing.T) (store.Store, store.Store) {
			public, srv := storetest.GCS(t, "data")
			return public, store.NewGCS(srv.Client(), storetest.Bucket, "state")
		}},
	}
	for _, pair := range pairs {
		for _, tt := range tests {
			t.Run(pair.name+"/"+tt.name, func(t *testing.T) {
				ctx := context.Background()
				public, state := pair.open(t)
				put(t, public, tt.public)
				put(t, state, tt.state)
				moved, err := store.MoveState(ctx, public, state)
				if err != nil {
					t.Fatalf("MoveState: %v", err)
				}
				if diff := cmp.Diff(tt.moved, moved); diff != "" {
					t.Errorf("moved mismatch (-want +got):\n%s", diff)
				}
				for name := range tt.public {
					if _, _, err := public.Get(ctx, name); !errors.Is(err, fs.ErrNotExist) {
						t.Errorf("%s is still in the public store: %v", name, err)
					}
				}
				stars, _, err := store.LoadStars(ctx, state)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.wantStars, stars); diff != "" {
					t.Errorf("state's star history mismatch (-want +got):\n%s", diff)
				}
				cache, _, err := store.LoadCache(ctx, state)
				if err != nil {
					t.Fatal(err)
				}
				if string(cache) != tt.wantCache {
					t.Errorf("state's cache = %q, want %q", cache, tt.wantCache)
				}
				if moved, err := store.MoveState(ctx, public, state); err != nil || moved != nil {
					t.Errorf("second MoveState = %v, %v, want nothing moved", moved, err)
				}
			})
		}
	}
}

func TestMoveStateCorruptKept(t *testing.T) {
	ctx := context.Background()
	public, state := backends()[0].open(t), backends()[0].open(t) // two folders
	put(t, public, map[string]string{store.StarsName: `{"stars":`})
	if _, err := store.MoveState(ctx, public, state); err != nil {
		t.Fatal(err)
	}
	b, _, err := state.Get(ctx, store.StarsName+".corrupt")
	if err != nil || string(b) != `{"stars":` {
		t.Errorf("state's %s.corrupt = %q, %v, want the public bytes", store.StarsName, b, err)
	}
}

// TestMoveStateSameStore checks that a state store that is the public one
// (the old layout, chosen on purpose) keeps its objects.
func TestMoveStateSameStore(t *testing.T) {
	ctx := context.Background()
	st := backends()[0].open(t)
	put(t, st, map[string]string{store.CacheName: `{"version":1}`})
	if moved, err := store.MoveState(ctx, st, st); err != nil || moved != nil {
		t.Fatalf("MoveState(st, st) = %v, %v, want nothing", moved, err)
	}
	if _, _, err := st.Get(ctx, store.CacheName); err != nil {
		t.Errorf("the cache is gone: %v", err)
	}
}

func put(t *testing.T, st store.Store, objects map[string]string) {
	t.Helper()
	for name, b := range objects {
		if err := st.Put(context.Background(), name, []byte(b)); err != nil {
			t.Fatal(err)
		}
	}
}
