package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/sync/store"
)

// TestClaim checks that of tasks claiming an execution's assembly at once
// exactly one wins, that a retry of the winner wins again, and that after
// the run published nobody does.
func TestClaim(t *testing.T) {
	const n = 8
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.open(t)
			won := make([]bool, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { won[i], errs[i] = store.Claim(ctx, st, "exec-1", i, n) })
			}
			wg.Wait()
			winner := -1
			for i := range n {
				if errs[i] != nil {
					t.Fatalf("Claim by task %d: %v", i, errs[i])
				}
				if won[i] {
					if winner >= 0 {
						t.Fatalf("tasks %d and %d both won the claim", winner, i)
					}
					winner = i
				}
			}
			if winner < 0 {
				t.Fatal("no task won the claim")
			}
			if ok, err := store.Claim(ctx, st, "exec-1", winner, n); !ok || err != nil {
				t.Errorf("a retry of the winner = %v, %v, want it to win again", ok, err)
			}
			if ok, err := store.Claim(ctx, st, "exec-1", (winner+1)%n, n); ok || err != nil {
				t.Errorf("a retry of a loser = %v, %v, want it to lose", ok, err)
			}
			if ok, err := store.Claim(ctx, st, "exec-2", (winner+1)%n, n); !ok || err != nil {
				t.Errorf("a claim of another execution = %v, %v, want it to win", ok, err)
			}
			if _, err := store.FinishRun(ctx, st, "exec-1", winner, n, "20260301T060000Z", time.Now()); err != nil {
				t.Fatal(err)
			}
			if ok, err := store.Claim(ctx, st, "exec-1", winner, n); ok || err != nil {
				t.Errorf("a claim after the run published = %v, %v, want it to lose", ok, err)
			}
		})
	}
}

// TestParts checks that parts round-trip, are counted, and that finishing
// a run deletes its parts (keeping its marker) and the run folders of other
// executions older than a day, but not younger ones.
func TestParts(t *testing.T) {
	now := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.open(t)
			put := func(exec string, i, n int, at time.Time) {
				t.Helper()
				f := store.PartFile{Execution: exec, Task: i, Count: n, Time: at, Part: json.RawMessage(fmt.Sprintf(`{"task":%d}`, i))}
				if err := store.PutPart(ctx, st, f); err != nil {
					t.Fatal(err)
				}
			}
			put("old", 0, 2, now.Add(-25*time.Hour))
			put("recent", 1, 2, now.Add(-2*time.Hour))
			put("this", 0, 3, now)
			put("this", 2, 3, now)
			if got, err := store.PartsPresent(ctx, st, "this", 3); got != 2 || err != nil {
				t.Fatalf("PartsPresent = %d, %v, want 2", got, err)
			}
			put("this", 1, 3, now)
			put("this", 1, 3, now) // a retried task writes again
			if got, err := store.PartsPresent(ctx, st, "this", 3); got != 3 || err != nil {
				t.Fatalf("PartsPresent = %d, %v, want 3", got, err)
			}
			f, err := store.GetPart(ctx, st, "this", 1, 3)
			if err != nil || string(f.Part) != `{"task":1}` || !f.Time.Equal(now) {
				t.Fatalf("GetPart = %+v, %v", f, err)
			}
			if _, err := store.GetPart(ctx, st, "this", 1, 4); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("GetPart of a part never written = %v, want fs.ErrNotExist", err)
			}
			if _, err := store.Claim(ctx, st, "this", 1, 3); err != nil {
				t.Fatal(err)
			}
			deleted, err := store.FinishRun(ctx, st, "this", 1, 3, "20260302T060000Z", now)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"runs/old/part-0-of-2.json", "runs/this/part-0-of-3.json", "runs/this/part-1-of-3.json", "runs/this/part-2-of-3.json"}
			if diff := cmp.Diff(want, deleted); diff != "" {
				t.Errorf("FinishRun deleted mismatch (-want +got):\n%s", diff)
			}
			left, err := st.List(ctx, store.RunsPrefix)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"runs/recent/part-1-of-2.json", "runs/this/assembler"}, left); diff != "" {
				t.Errorf("left after FinishRun mismatch (-want +got):\n%s", diff)
			}
			// A day later the marker and the recent run go too.
			if _, err := store.FinishRun(ctx, st, "next", 0, 2, "20260303T060000Z", now.Add(25*time.Hour)); err != nil {
				t.Fatal(err)
			}
			left, _ = st.List(ctx, store.RunsPrefix)
			if diff := cmp.Diff([]string{"runs/next/assembler"}, left); diff != "" {
				t.Errorf("left a day later mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTaskCache checks that a task keeps its own ETag cache and starts
// from the single-task one when it has none.
func TestTaskCache(t *testing.T) {
	ctx := context.Background()
	st, err := store.NewFolder(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, warning, err := store.LoadTaskCache(ctx, st, 1, 4); warning == nil || err != nil {
		t.Fatalf("LoadTaskCache with no cache = %v, %v, want a warning", warning, err)
	}
	if err := store.SaveCache(ctx, st, []byte(`{"whole":1}`)); err != nil {
		t.Fatal(err)
	}
	b, warning, err := store.LoadTaskCache(ctx, st, 1, 4)
	if string(b) != `{"whole":1}` || warning != nil || err != nil {
		t.Fatalf("LoadTaskCache without its own = %s, %v, %v, want the single-task cache", b, warning, err)
	}
	if err := store.SaveTaskCache(ctx, st, 1, 4, []byte(`{"task":1}`)); err != nil {
		t.Fatal(err)
	}
	if b, _, _ := store.LoadTaskCache(ctx, st, 1, 4); string(b) != `{"task":1}` {
		t.Errorf("LoadTaskCache = %s, want the task's own", b)
	}
	if b, _, _ := store.LoadCache(ctx, st); string(b) != `{"whole":1}` {
		t.Errorf("LoadCache = %s, want the single-task cache untouched", b)
	}
}
