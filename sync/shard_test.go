package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"versus/sync/gh/ghtest"
	"versus/sync/hn/hntest"
	"versus/sync/snapshot"
	"versus/sync/store"
	"versus/sync/store/storetest"
)

// childArgs makes this test binary the sync command: the arguments, one a
// line, of a child process that runs Run (with the CLOUD_RUN_* variables of
// its environment) and exits with its status.
const childArgs = "VERSUS_SYNC_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(childArgs); ok {
		if err := Run(context.Background(), strings.Split(args, "\n")); err != nil {
			fmt.Fprintln(os.Stderr, "sync:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// world is a fake GitHub and Hacker News, a catalog and the two stores the
// sync processes share.
type world struct {
	gh            *ghtest.Server
	hn            *hntest.Server
	catalog       string
	public, state string // store URLs
	env           []string
}

// child is one sync process of the world.
type child struct {
	cmd      *exec.Cmd
	out, err bytes.Buffer
}

// start starts a sync process with the CLOUD_RUN_* variables of task i of
// n of execution (none when n is 0), against the GitHub at api.
func (w *world) start(t *testing.T, api, execution string, i, n int) *child {
	t.Helper()
	args := []string{"-catalog", w.catalog, "-store", w.public, "-state", w.state,
		"-github-api", api, "-hn-api", w.hn.URL, "-request-timeout", "1h"}
	c := &child{cmd: exec.Command(os.Args[0], "-test.run=^$")}
	c.cmd.Env = append(os.Environ(), w.env...)
	c.cmd.Env = append(c.cmd.Env, childArgs+"="+strings.Join(args, "\n"), "GITHUB_TOKEN=",
		"GORACE=atexit_sleep_ms=0") // under -race, else every exit waits 1 s
	if n > 0 {
		c.cmd.Env = append(c.cmd.Env, fmt.Sprintf("CLOUD_RUN_TASK_INDEX=%d", i), fmt.Sprintf("CLOUD_RUN_TASK_COUNT=%d", n), "CLOUD_RUN_EXECUTION="+execution)
	}
	c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.err
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return c
}

// wait waits for the process and fails the test unless it succeeded.
func (c *child) wait(t *testing.T, what string) {
	t.Helper()
	if err := c.cmd.Wait(); err != nil {
		t.Fatalf("%s: %v\n%s%s", what, err, c.out.String(), c.err.String())
	}
}

func (c *child) published() bool { return strings.Contains(c.out.String(), "published snapshot") }

// TestShardedProcesses runs executions of four sync processes with Cloud
// Run's variables on one store, a folder and fake GCS (reached as
// production reaches GCS): exactly one process publishes, one snapshot with
// every project. Then one task is killed while it waits on GitHub: the
// other three succeed, nothing is published, and a rerun of the killed
// task completes the execution.
func TestShardedProcesses(t *testing.T) {
	const n, tasks = 24, 4
	for _, kind := range []string{"folder", "gcs-emulator"} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			w := &world{gh: ghtest.New(n), hn: hntest.New()}
			t.Cleanup(w.gh.Close)
			t.Cleanup(w.hn.Close)
			dir := t.TempDir()
			w.catalog = filepath.Join(dir, "catalog.yaml")
			writeCatalog(t, w.catalog, w.gh.Names())
			w.public, w.state = filepath.Join(dir, "data"), filepath.Join(dir, "state")
			if kind == "gcs-emulator" {
				host, _ := storetest.Emulator(t)
				t.Setenv("STORAGE_EMULATOR_HOST", host) // the children inherit it
				w.public, w.state = "gs://"+storetest.Bucket+"/data", "gs://"+storetest.Bucket+"/state"
			}
			public, state := open(t, w.public), open(t, w.state)

			w.start(t, w.gh.BaseURL(), "", 0, 0).wait(t, "the first, whole run")
			first := latest(t, public, n)

			// Four tasks at once: one publishes.
			var cs []*child
			for i := range tasks {
				cs = append(cs, w.start(t, w.gh.BaseURL(), "exec-1", i, tasks))
			}
			var publishers []int
			for i, c := range cs {
				c.wait(t, fmt.Sprintf("task %d", i))
				if c.published() {
					publishers = append(publishers, i)
				}
			}
			if len(publishers) != 1 {
				t.Fatalf("tasks %v published, want exactly one", publishers)
			}
			second := latest(t, public, n)
			if second.ID == first.ID {
				t.Fatal("the sharded execution published nothing")
			}
			if got := snapshotCount(t, public); got != 2 {
				t.Errorf("%d snapshots in the store, want 2: the first run's and the execution's", got)
			}

			// Task 3 waits on a GitHub that never answers and is killed.
			hang := newHangServer(t)
			const down = 3
			cs = nil
			for i := range tasks {
				api := w.gh.BaseURL()
				if i == down {
					api = hang.URL + "/"
				}
				cs = append(cs, w.start(t, api, "exec-2", i, tasks))
			}
			for i, c := range cs {
				if i != down {
					c.wait(t, fmt.Sprintf("task %d", i))
				}
			}
			<-hang.arrived // it is waiting on GitHub
			if err := cs[down].cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			if err := cs[down].cmd.Wait(); err == nil {
				t.Fatal("the killed task exited with success")
			}
			if now := latest(t, public, n); now.ID != second.ID {
				t.Fatalf("%s was published with a part missing; want %s still live", now.ID, second.ID)
			}
			if have, err := store.PartsPresent(ctx, state, "exec-2", tasks); have != tasks-1 || err != nil {
				t.Errorf("%d parts present (%v), want %d", have, err, tasks-1)
			}

			// Cloud Run retries the task, GitHub answering again.
			rerun := w.start(t, w.gh.BaseURL(), "exec-2", down, tasks)
			rerun.wait(t, "the rerun")
			if !rerun.published() {
				t.Fatalf("the rerun completing the set did not publish:\n%s%s", rerun.out.String(), rerun.err.String())
			}
			if third := latest(t, public, n); third.ID == second.ID {
				t.Fatal("the rerun's snapshot is not live")
			}
		})
	}
}

func open(t *testing.T, url string) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// latest reads the live snapshot and checks that it is whole: n projects,
// none stale, each with its details.
func latest(t *testing.T, st store.Store, n int) *snapshot.Pointer {
	t.Helper()
	ctx := context.Background()
	r := store.Reader(st)
	ptr, idx, err := r.Latest(ctx)
	if err != nil {
		t.Fatalf("read the live snapshot: %v", err)
	}
	if len(idx.Projects) != n {
		t.Fatalf("snapshot %s has %d projects, want %d", ptr.ID, len(idx.Projects), n)
	}
	for _, p := range idx.Projects {
		if p.Stale || p.Stars == nil {
			t.Errorf("snapshot %s: %s is stale %v, stars %v", ptr.ID, p.Repo, p.Stale, p.Stars)
		}
		if _, err := r.Detail(ctx, ptr.ID, p.Repo); err != nil {
			t.Errorf("snapshot %s: %v", ptr.ID, err)
		}
	}
	return ptr
}

func snapshotCount(t *testing.T, st store.Store) int {
	t.Helper()
	names, err := st.List(context.Background(), "snapshots/")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, name := range names {
		ids[strings.Split(name, "/")[1]] = true
	}
	return len(ids)
}

func writeCatalog(t *testing.T, path string, repos []string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("categories:\n  - slug: all\n    name: All\n    description: Every project.\nprojects:\n")
	for _, r := range repos {
		fmt.Fprintf(&b, "  - repo: %s\n    categories: [all]\n", r)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// hangServer never answers; arrived closes at its first request.
type hangServer struct {
	*httptest.Server
	arrived chan struct{}
}

func newHangServer(t *testing.T) *hangServer {
	t.Helper()
	h := &hangServer{arrived: make(chan struct{})}
	stop := make(chan struct{})
	var once sync.Once
	h.Server = httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(h.arrived) })
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	t.Cleanup(func() { close(stop); h.Close() })
	return h
}
