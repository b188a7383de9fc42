package store_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"versus/sync/snapshot"
	"versus/sync/store"
	"versus/sync/store/storetest"
)

// The crash test runs this test binary as a publishing child process
// (crashChild) and kills it with SIGKILL after a random number of the lines
// it prints, one per step. Counting lines rather than sleeping makes the
// outcome the same on any machine.
const (
	childEnv      = "VERSUS_STORE_CRASH_CHILD" // the store URL
	childRunEnv   = "VERSUS_STORE_CRASH_RUN"   // which snapshot to publish
	crashKills    = 50
	crashProjects = 10
	crashKeep     = 3
	crashSeed     = 4 // fixed: a failure replays
)

func TestMain(m *testing.M) {
	if url := os.Getenv(childEnv); url != "" {
		if err := crashChild(url, os.Getenv(childRunEnv)); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashChild does what a sync does to the store: it records the stars,
// saves the ETag cache and publishes a snapshot, printing a line after each
// step.
func crashChild(url, run string) error {
	ctx := context.Background()
	i, err := strconv.Atoi(run)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	defer st.Close()
	say := func(step, name string) { fmt.Printf("%s %s\n", step, name) }

	snap := storetest.Snapshot(testTime(i), crashProjects)
	counts := map[string]int{}
	for _, p := range snap.Index.Projects {
		counts[p.Repo] = *p.Stars + i
	}
	if _, _, err := store.RecordStars(ctx, st, testTime(i), counts); err != nil {
		return err
	}
	say("stars", store.StarsName)
	if err := store.SaveCache(ctx, st, []byte(fmt.Sprintf(`{"run":%d}`, i))); err != nil {
		return err
	}
	say("cache", store.CacheName)
	if _, err := store.Publish(ctx, st, snap, store.PublishOptions{Keep: crashKeep, Progress: say}); err != nil {
		return err
	}
	say("done", "")
	return nil
}

// TestCrashSafety kills a publishing process at random moments, 50 times per
// store, and checks after every kill that the pointer names a complete,
// valid snapshot, that the history is intact, and that the next run
// succeeds.
func TestCrashSafety(t *testing.T) {
	tests := []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"folder", func(t *testing.T) string { return t.TempDir() }},
		{"gcs-emulator", func(t *testing.T) string {
			host, _ := storetest.Emulator(t)
			t.Setenv("STORAGE_EMULATOR_HOST", host) // the children inherit it
			return "gs://" + storetest.Bucket + "/crash"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			url := tt.url(t)
			st, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()

			// Lines of a full run: stars, cache, a write and a verify per
			// object, the pointer, the deletes of a pruned snapshot, done.
			objects := crashProjects + 1
			lines := 2 + 2*objects + 1 + objects + 1
			rng := rand.New(rand.NewPCG(crashSeed, 0))
			phases := map[string]int{}
			for kill := range crashKills {
				run := 2 * kill
				k := rng.IntN(lines)
				last, err := runChild(t, url, run, k)
				if err != nil {
					t.Fatalf("kill %d (after %d lines): %v", kill, k, err)
				}
				phases[last]++
				if kill > 0 {
					// The run before this one completed, so a snapshot is live.
					checkAfterKill(t, st, run, last)
				}

				next := run + 1
				if last, err := runChild(t, url, next, -1); err != nil || last != "done" {
					t.Fatalf("run after kill %d: last step %q, %v", kill, last, err)
				}
				p, _, err := store.ReadPointer(ctx, st)
				if err != nil || p.ID != snapshot.NewID(testTime(next)) {
					t.Fatalf("run after kill %d: pointer %v, %v, want %s", kill, p, err, snapshot.NewID(testTime(next)))
				}
			}
			t.Logf("%d kills by last step seen: %v", crashKills, phases)
			if phases["pointer"]+phases["delete"] == 0 || phases["write"] == 0 || phases["verify"] == 0 {
				t.Errorf("kills did not cover writing, verifying and after the pointer moved: %v", phases)
			}
			if got := ids(t, st); len(got) > crashKeep+1 {
				// The live one, crashKeep-1 older ones, and at most the
				// debris of the last killed run, older than the pointer.
				t.Errorf("%d snapshots left, want at most %d: %q", len(got), crashKeep+1, got)
			}
		})
	}
}

// runChild runs one publishing child and kills it after k lines (never when
// k < 0). It returns the step of the last line read.
func runChild(t *testing.T, url string, run, k int) (last string, err error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+url, childRunEnv+"="+strconv.Itoa(run),
		"GORACE=atexit_sleep_ms=0") // under -race, else every exit waits 1 s
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	killed := false
	if k == 0 {
		killed = cmd.Process.Kill() == nil
	}
	sc := bufio.NewScanner(out)
	for n := 1; sc.Scan(); n++ {
		last, _, _ = strings.Cut(sc.Text(), " ")
		if n == k {
			killed = cmd.Process.Kill() == nil
		}
	}
	err = cmd.Wait()
	if killed || err == nil {
		return last, nil
	}
	return last, fmt.Errorf("child failed: %v: %s", err, stderr.String())
}

// checkAfterKill checks the store after the child publishing snapshot run
// was killed: the pointer names either the run before it or this one, and
// that snapshot is complete and valid; the star history is readable.
func checkAfterKill(t *testing.T, st store.Store, run int, last string) {
	t.Helper()
	ctx := context.Background()
	p, x, err := store.ReadLatest(ctx, st)
	if err != nil {
		t.Fatalf("after a kill at %q: %v", last, err)
	}
	before, this := snapshot.NewID(testTime(run-1)), snapshot.NewID(testTime(run))
	if p.ID != before && p.ID != this {
		t.Fatalf("after a kill at %q: pointer names %s, want %s or %s", last, p.ID, before, this)
	}
	if last == "pointer" || last == "delete" {
		if p.ID != this {
			t.Fatalf("after a kill at %q: pointer names %s, want %s", last, p.ID, this)
		}
	}
	for _, pr := range x.Projects {
		if _, err := store.ReadDetail(ctx, st, p, pr.Repo); err != nil {
			t.Fatalf("after a kill at %q: snapshot %s is incomplete: %v", last, p.ID, err)
		}
	}
	if len(x.Projects) != crashProjects {
		t.Fatalf("after a kill at %q: %d projects, want %d", last, len(x.Projects), crashProjects)
	}
	s, warn, err := store.LoadStars(ctx, st)
	if err != nil || warn != nil {
		t.Fatalf("after a kill at %q: star history: %v, %v", last, warn, err)
	}
	if len(s) != crashProjects {
		t.Fatalf("after a kill at %q: star history of %d projects, want %d", last, len(s), crashProjects)
	}
	if _, warn, err := store.LoadCache(ctx, st); err != nil || warn != nil {
		t.Fatalf("after a kill at %q: etag cache: %v, %v", last, warn, err)
	}
}
