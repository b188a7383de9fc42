package job

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/sync/catalog"
	"versus/sync/snapshot"
	"versus/sync/store"
	"versus/sync/store/storetest"
)

func TestShardFromEnv(t *testing.T) {
	tests := []struct {
		env     map[string]string
		want    Shard
		wantErr string
	}{
		{nil, Shard{}, ""},
		{map[string]string{envTaskCount: "1", envTaskIndex: "0", envExecution: "sync-x"}, Shard{}, ""},
		{map[string]string{envTaskCount: "4", envTaskIndex: "2", envExecution: "versus-sync-abc12"}, Shard{2, 4, "versus-sync-abc12"}, ""},
		{map[string]string{envTaskCount: "four"}, Shard{}, "CLOUD_RUN_TASK_COUNT=\"four\""},
		{map[string]string{envTaskCount: "4", envTaskIndex: "4", envExecution: "e"}, Shard{}, "want CLOUD_RUN_TASK_INDEX from 0 to 3"},
		{map[string]string{envTaskCount: "4", envTaskIndex: "1"}, Shard{}, "CLOUD_RUN_EXECUTION"},
		{map[string]string{envTaskCount: "4", envTaskIndex: "1", envExecution: "../x"}, Shard{}, "cannot name a run folder"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.env), func(t *testing.T) {
			got, err := ShardFromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ShardFromEnv = %v, want an error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ShardFromEnv mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestShardSlices checks that the tasks' slices split the catalog: every
// project in exactly one, whatever the case of its name.
func TestShardSlices(t *testing.T) {
	var projects []catalog.Project
	for i := range 200 {
		projects = append(projects, catalog.Project{Repo: fmt.Sprintf("Org%d/Repo%d", i/10, i)})
	}
	for _, n := range []int{2, 4, 7} {
		seen := map[string]int{}
		for i := range n {
			mine := Shard{Index: i, Count: n, Execution: "e"}.slice(projects)
			if len(mine) == 0 {
				t.Errorf("task %d of %d has no project", i, n)
			}
			for _, p := range mine {
				seen[p.Repo]++
				if shardOf(strings.ToLower(p.Repo), n) != i {
					t.Errorf("%s goes to task %d of %d, and lowercase elsewhere", p.Repo, i, n)
				}
			}
		}
		for _, p := range projects {
			if seen[p.Repo] != 1 {
				t.Errorf("%s is in %d slices of %d, want 1", p.Repo, seen[p.Repo], n)
			}
		}
	}
	if got := (Shard{}).slice(projects); len(got) != len(projects) {
		t.Errorf("an unsharded run collects %d projects, want %d", len(got), len(projects))
	}
}

// task is one task of a sharded execution run in process.
type task struct {
	cfg Config
	out bytes.Buffer
	log bytes.Buffer
}

// tasks returns the n tasks of execution exec in e's world, each with its
// own outputs.
func (e *env) tasks(exec string, n int) []*task {
	ts := make([]*task, n)
	for i := range n {
		ts[i] = &task{cfg: e.cfg}
		ts[i].cfg.Shard = Shard{Index: i, Count: n, Execution: exec}
		ts[i].cfg.Stdout, ts[i].cfg.Stderr = &ts[i].out, &ts[i].log
	}
	return ts
}

// runAll runs the tasks at once and returns their reports and errors.
func runAll(ctx context.Context, ts []*task) ([]*Report, []error) {
	reps, errs := make([]*Report, len(ts)), make([]error, len(ts))
	var wg sync.WaitGroup
	for i, tk := range ts {
		wg.Go(func() { reps[i], errs[i] = Run(ctx, tk.cfg) })
	}
	wg.Wait()
	return reps, errs
}

// TestShardedRun runs an execution of four tasks at once, in process, on a
// folder and on fake GCS: each succeeds, exactly one publishes, once, a
// snapshot of every project; the parts are gone afterwards. Then an
// execution in which one task fails before writing its part publishes
// nothing, and a rerun of that task completes it.
func TestShardedRun(t *testing.T) {
	const n, tasks = 40, 4
	for _, kind := range []string{"folder", "gcs"} {
		t.Run(kind, func(t *testing.T) {
			e, first, _ := published(t, n)
			if kind == "gcs" {
				// Both stores on fake GCS, the first run's snapshot copied.
				pub, _ := storetest.GCS(t, "data")
				state, _ := storetest.GCS(t, "state")
				copyStore(t, e.cfg.Public, pub)
				copyStore(t, e.cfg.State, state)
				e.cfg.Public, e.cfg.State = pub, state
			}
			ctx := context.Background()
			reps, errs := runAll(ctx, e.tasks("exec-1", tasks))
			var publishers []int
			for i := range tasks {
				if errs[i] != nil {
					t.Fatalf("task %d: %v", i, errs[i])
				}
				if reps[i].Pointer != nil {
					publishers = append(publishers, i)
				}
			}
			if len(publishers) != 1 {
				t.Fatalf("tasks %v published, want exactly one", publishers)
			}
			ptr, idx := e.latestIn(e.cfg.Public)
			if ptr.ID == first.ID || len(idx.Projects) != n {
				t.Fatalf("published %s with %d projects, want a new snapshot of %d", ptr.ID, len(idx.Projects), n)
			}
			for _, p := range idx.Projects {
				if p.Stale || p.Stars == nil || p.Activity == nil {
					t.Errorf("%s: stale %v, stars %v, activity %v", p.Repo, p.Stale, p.Stars, p.Activity)
				}
			}
			if ids := snapshotIDs(t, e.cfg.Public); len(ids) != 2 {
				t.Errorf("snapshots %v, want the first run's and one more", ids)
			}
			if left := names(t, e.cfg.State, store.RunsPrefix); !cmp.Equal(left, []string{"runs/exec-1/assembler"}) {
				t.Errorf("left in the run folders: %v, want only the marker", left)
			}

			// One task fails before writing its part: the others succeed,
			// nothing is published.
			e.clock.Advance(6 * time.Hour)
			ts := e.tasks("exec-2", tasks)
			down := 3
			ctx3, cancel := context.WithCancel(ctx)
			defer cancel()
			ts[down].cfg.Transport = roundTripper(func(r *http.Request) (*http.Response, error) {
				cancel() // the task is stopped at its first request, as a kill would
				return nil, context.Canceled
			})
			var wg sync.WaitGroup
			errs = make([]error, tasks)
			for i, tk := range ts {
				c := ctx
				if i == down {
					c = ctx3
				}
				wg.Go(func() { _, errs[i] = Run(c, tk.cfg) })
			}
			wg.Wait()
			for i := range tasks {
				if i == down {
					if !errors.Is(errs[i], context.Canceled) {
						t.Errorf("the stopped task = %v, want it cancelled", errs[i])
					}
				} else if errs[i] != nil {
					t.Errorf("task %d: %v", i, errs[i])
				}
			}
			if now, _ := e.latestIn(e.cfg.Public); now.ID != ptr.ID {
				t.Fatalf("published %s with a part missing; want %s still live", now.ID, ptr.ID)
			}
			if have, _ := store.PartsPresent(ctx, e.cfg.State, "exec-2", tasks); have != tasks-1 {
				t.Errorf("%d parts present, want %d", have, tasks-1)
			}

			// Cloud Run retries the task: it completes the set and publishes.
			rerun := ts[down]
			rerun.cfg.Transport = e.cfg.Transport
			rerun.out.Reset()
			rep, err := Run(ctx, rerun.cfg)
			if err != nil || rep.Pointer == nil {
				t.Fatalf("rerun of task %d = %v, published %v\n%s", down, err, rep.Pointer, rerun.log.String())
			}
			ptr2, idx2 := e.latestIn(e.cfg.Public)
			if ptr2.ID == ptr.ID || len(idx2.Projects) != n {
				t.Fatalf("after the rerun: %s with %d projects, want a new snapshot of %d", ptr2.ID, len(idx2.Projects), n)
			}
			for _, p := range idx2.Projects {
				if p.Stale {
					t.Errorf("%s is stale after the rerun", p.Repo)
				}
			}
			if !strings.Contains(rerun.out.String(), "assembled the 4 parts") {
				t.Errorf("the rerun's summary does not say it assembled:\n%s", rerun.out.String())
			}
		})
	}
}

// TestUncollected checks that a project no part holds (the catalog changed
// during the execution) keeps its previous figures rather than vanish.
func TestUncollected(t *testing.T) {
	e, _, _ := published(t, 12)
	ts := e.tasks("exec-1", 2)
	// Task 1 reads a catalog without its first project.
	mine := ts[1].cfg.Shard.slice(e.catalog(t))
	var others []string
	for _, name := range e.gh.Names() {
		if name != mine[0].Repo {
			others = append(others, name)
		}
	}
	ts[1].cfg.Catalog = filepath.Join(t.TempDir(), "catalog.yaml")
	writeCatalog(t, ts[1].cfg.Catalog, others)
	if _, err := Run(context.Background(), ts[1].cfg); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), ts[0].cfg)
	if err != nil || rep.Pointer == nil {
		t.Fatalf("task 0 = %v, published %v", err, rep.Pointer)
	}
	_, idx := e.latest()
	if len(idx.Projects) != 12 {
		t.Fatalf("%d projects published, want 12", len(idx.Projects))
	}
	for _, p := range idx.Projects {
		if stale := p.Repo == mine[0].Repo; p.Stale != stale || p.Stars == nil || stale && p.StaleReason != snapshot.StaleNotCollected {
			t.Errorf("%s: stale %v (%q), stars %v; want stale only for the uncollected %s, with its figures", p.Repo, p.Stale, p.StaleReason, p.Stars, mine[0].Repo)
		}
	}
}

func (e *env) catalog(t *testing.T) []catalog.Project {
	t.Helper()
	cat, err := catalog.Load(e.cfg.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	return cat.Projects
}

func copyStore(t *testing.T, from, to store.Store) {
	t.Helper()
	ctx := context.Background()
	for _, name := range names(t, from, "") {
		b, _, err := from.Get(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if err := to.Put(ctx, name, b); err != nil {
			t.Fatal(err)
		}
	}
}

func names(t *testing.T, st store.Store, prefix string) []string {
	t.Helper()
	ns, err := st.List(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

func snapshotIDs(t *testing.T, st store.Store) []string {
	t.Helper()
	seen := map[string]bool{}
	var ids []string
	for _, name := range names(t, st, "snapshots/") {
		id := strings.Split(name, "/")[1]
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
