package job

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"versus/sync/gh"
	"versus/sync/gh/ghtest"
	"versus/sync/snapshot"
	"versus/sync/store"
	"versus/sync/store/storetest"
)

// flaky is a store whose reads of snapshot objects fail, as a store that
// is briefly unreachable does, until fails of them have failed (forever
// when fails < 0).
type flaky struct {
	store.Store
	fails  int64
	failed atomic.Int64
}

func (f *flaky) Get(ctx context.Context, name string) ([]byte, store.Gen, error) {
	if name == snapshot.PointerName || strings.HasPrefix(name, "snapshots/") {
		if f.fails < 0 || f.failed.Add(1) <= f.fails {
			return nil, store.NoGen, errors.New("get " + name + ": 503 backend error")
		}
	}
	return f.Store.Get(ctx, name)
}

// TestPreviousReadFails checks that a previous snapshot the store fails to
// read is tried again, and that a store that keeps failing fails the run
// rather than publish a failed repository as unknown.
func TestPreviousReadFails(t *testing.T) {
	tests := []struct {
		name    string
		fails   int64
		wantErr string
	}{
		{"fails once", 1, ""},
		{"fails twice", 2, ""},
		{"keeps failing", -1, "previous snapshot: 3 reads failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, before, _ := published(t, 10)
			e.gh.NoGraphQL = true // the failure is on REST
			e.gh.Inject = serverError("/repos/org0/repo3")
			e.cfg.Public = &flaky{Store: e.cfg.Public, fails: tt.fails}
			_, err := e.run()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("run = %v, want %q", err, tt.wantErr)
				}
				if after, _ := e.latest(); after.ID != before.ID {
					t.Errorf("latest.json moved to %s after a failed read", after.ID)
				}
				return
			}
			if err != nil {
				t.Fatalf("run: %v\n%s", err, e.log.String())
			}
			_, idx := e.latest()
			for _, p := range idx.Projects {
				if p.Repo == "org0/repo3" && (!p.Stale || p.Stars == nil || p.Activity == nil) {
					t.Errorf("the failed repository lost its previous figures: stale %v, stars %v, activity %v", p.Stale, p.Stars, p.Activity)
				}
			}
		})
	}
}

// TestCancelledRunSavesCache checks that a run cancelled half way still
// saves the ETag cache of what it fetched, on GCS, whose writes honour the
// context.
func TestCancelledRunSavesCache(t *testing.T) {
	e := newEnv(t, 20)
	e.cfg.State, _ = storetest.GCS(t, "state")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e.gh.Inject = func(n int64, _ *http.Request) ghtest.Fault {
		if n == 30 {
			cancel()
		}
		return ghtest.Fault{}
	}
	if _, err := Run(ctx, e.cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("run = %v, want it cancelled", err)
	}
	b, warning, err := store.LoadCache(context.Background(), e.cfg.State)
	if err != nil || warning != nil {
		t.Fatalf("LoadCache after a cancelled run = %v, %v\n%s", warning, err, e.log.String())
	}
	cache, err := gh.LoadCache(b, e.clock.Now)
	if err != nil || cache.Len() < 20 {
		t.Errorf("the saved cache holds %d answers (%v), want those of the 30 requests", cache.Len(), err)
	}
}

// TestStateIsPrivate checks that the public store holds only latest.json
// and snapshots/, and that a store of the old layout, with the history and
// cache beside the snapshots, has them moved to the state store with a
// warning, and nothing lost: growth is still known a month later.
func TestStateIsPrivate(t *testing.T) {
	e := newEnv(t, 5)
	e.noStarHistory() // growth from the recorded counts alone
	state := e.cfg.State
	e.cfg.State = e.cfg.Public // the old layout
	if _, err := e.run(); err != nil {
		t.Fatalf("run of the old layout: %v", err)
	}
	for _, name := range []string{store.StarsName, store.CacheName} {
		if _, _, err := e.cfg.Public.Get(context.Background(), name); err != nil {
			t.Fatalf("the old layout: %v", err)
		}
	}
	e.cfg.State = state
	e.clock.Advance(31 * 24 * time.Hour)
	e.gh.Update("org0/repo1", func(r *ghtest.Repo) { r.Stars += r.Stars / 10 })
	e.log.Reset()
	if _, err := e.run(); err != nil {
		t.Fatalf("run: %v", err)
	}
	if !strings.Contains(e.log.String(), "moved the sync's state out of the public store") {
		t.Errorf("no warning of the move:\n%s", e.log.String())
	}
	for _, name := range e.publicNames() {
		if name != snapshot.PointerName && !strings.HasPrefix(name, "snapshots/") {
			t.Errorf("%s is in the public store", name)
		}
	}
	for _, name := range []string{store.StarsName, store.CacheName} {
		if _, _, err := state.Get(context.Background(), name); err != nil {
			t.Errorf("state store: %v", err)
		}
	}
	_, idx := e.latest()
	for _, p := range idx.Projects {
		if p.Repo == "org0/repo1" && (p.Growth == nil || *p.Growth < 9.9 || *p.Growth > 10.1) {
			t.Errorf("repo1 growth = %v, want about 10%%: the moved history was lost", p.Growth)
		}
	}
	// The next run moves nothing.
	e.log.Reset()
	e.clock.Advance(time.Hour)
	if _, err := e.run(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.log.String(), "moved") {
		t.Errorf("a second run moved state again:\n%s", e.log.String())
	}
}

func (e *env) publicNames() []string {
	e.t.Helper()
	names, err := e.cfg.Public.List(context.Background(), "")
	if err != nil {
		e.t.Fatal(err)
	}
	return names
}

// TestPreviousBroken checks that a previous snapshot that does not validate
// is not retried nor trusted: the run publishes without it, with a warning.
func TestPreviousBroken(t *testing.T) {
	e, _, _ := published(t, 10)
	if err := os.WriteFile(filepath.Join(e.storeDir, snapshot.PointerName), []byte(`{"schema_version":1,"id":"BAD ID"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	e.gh.Inject = serverError("/repos/org0/repo3")
	e.log.Reset()
	if _, err := e.run(); err != nil {
		t.Fatalf("run: %v", err)
	}
	if !strings.Contains(e.log.String(), "previous snapshot unreadable; starting without it") || strings.Contains(e.log.String(), "read failed") {
		t.Errorf("log does not say the previous snapshot was refused once:\n%s", e.log.String())
	}
	_, idx := e.latest()
	for _, p := range idx.Projects {
		if p.Repo == "org0/repo3" && (!p.Stale || p.Stars != nil) {
			t.Errorf("repo3: stale %v, stars %v, want stale and unknown", p.Stale, p.Stars)
		}
	}
}
