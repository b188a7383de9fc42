package store_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/sync/snapshot"
	"versus/sync/snapshot/indexbin"
	"versus/sync/store"
	"versus/sync/store/storetest"
)

// testTime returns the generation time of the i-th test snapshot.
func testTime(i int) time.Time {
	return time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC).Add(time.Duration(i) * 6 * time.Hour)
}

// ids returns the snapshot ids present in st.
func ids(t *testing.T, st store.Store) []string {
	t.Helper()
	names, err := st.List(context.Background(), "snapshots/")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range names {
		id, _, _ := strings.Cut(strings.TrimPrefix(n, "snapshots/"), "/")
		if len(out) == 0 || out[len(out)-1] != id {
			out = append(out, id)
		}
	}
	return out
}

// checkLive fails unless the pointer names snapshot want (by id) complete
// and valid.
func checkLive(t *testing.T, st store.Store, want store.Snapshot) {
	t.Helper()
	ctx := context.Background()
	p, x, err := store.ReadLatest(ctx, st)
	if err != nil {
		t.Fatalf("ReadLatest: %v", err)
	}
	if p.ID != want.Index.ID {
		t.Fatalf("live snapshot is %s, want %s", p.ID, want.Index.ID)
	}
	if diff := cmp.Diff(want.Index, x); diff != "" {
		t.Errorf("index mismatch (-want +got):\n%s", diff)
	}
	if p.IndexBin != snapshot.IndexBinName(p.ID) {
		t.Fatalf("the pointer names binary index %q, want %q", p.IndexBin, snapshot.IndexBinName(p.ID))
	}
	b, _, err := st.Get(ctx, p.IndexBin)
	if err != nil {
		t.Fatalf("read the binary index: %v", err)
	}
	bin, err := indexbin.Decode(b)
	if err != nil {
		t.Fatalf("decode the binary index: %v", err)
	}
	if diff := cmp.Diff(x, bin); diff != "" {
		t.Errorf("binary index mismatch (-json +bin):\n%s", diff)
	}
	for _, d := range want.Details {
		got, err := store.ReadDetail(ctx, st, p, d.Repo)
		if err != nil {
			t.Fatalf("ReadDetail(%s): %v", d.Repo, err)
		}
		if diff := cmp.Diff(d, got); diff != "" {
			t.Errorf("detail %s mismatch (-want +got):\n%s", d.Repo, diff)
		}
	}
}

func TestPublishAndRetention(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.open(t)
			if _, _, err := store.ReadLatest(ctx, st); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("ReadLatest(empty store) = %v, want fs.ErrNotExist", err)
			}
			var all []string
			for i := range 5 {
				snap := storetest.Snapshot(testTime(i), 3)
				var steps []string
				res, err := store.Publish(ctx, st, snap, store.PublishOptions{
					Keep:     3,
					Progress: func(step, name string) { steps = append(steps, step) },
				})
				if err != nil {
					t.Fatalf("Publish %d: %v", i, err)
				}
				checkLive(t, st, snap)
				all = append(all, snap.Index.ID)
				if i > 0 && res.Replaced != all[i-1] {
					t.Errorf("Publish %d: Replaced = %q, want %q", i, res.Replaced, all[i-1])
				}
				wantPruned := []string(nil)
				if i >= 3 {
					wantPruned = []string{all[i-3]}
				}
				if diff := cmp.Diff(wantPruned, res.Pruned); diff != "" {
					t.Errorf("Publish %d: pruned mismatch (-want +got):\n%s", i, diff)
				}
				if got := strings.Count(strings.Join(steps, " "), "write"); got != 5 {
					t.Errorf("Publish %d: %d writes reported, want 5: the index, its binary form and 3 details (steps %q)", i, got, steps)
				}
			}
			if diff := cmp.Diff(all[2:], ids(t, st)); diff != "" {
				t.Errorf("snapshots kept mismatch (-want +got):\n%s", diff)
			}

			// An older or the same snapshot never replaces the live one.
			for _, i := range []int{4, 1} {
				_, err := store.Publish(ctx, st, storetest.Snapshot(testTime(i), 3), store.PublishOptions{})
				if !errors.Is(err, store.ErrConflict) {
					t.Errorf("Publish(snapshot %d again) = %v, want ErrConflict", i, err)
				}
			}
		})
	}
}

func TestPublishRefusesInvalid(t *testing.T) {
	bad := func(edit func(*store.Snapshot)) store.Snapshot {
		s := storetest.Snapshot(testTime(0), 2)
		edit(&s)
		return s
	}
	tests := []struct {
		name string
		snap store.Snapshot
		want string
	}{
		{"no index", store.Snapshot{}, "no index"},
		{"bad id", bad(func(s *store.Snapshot) { s.Index.ID = "yesterday" }), "invalid index"},
		{"negative stars", bad(func(s *store.Snapshot) { *s.Index.Projects[0].Stars = -1 }), "stars is -1"},
		{"stray detail", bad(func(s *store.Snapshot) { s.Details[0].Repo = "someone/else" }), "not a project of the index"},
		{"twice", bad(func(s *store.Snapshot) { s.Details[1] = s.Details[0] }), "given twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := store.NewFolder(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			_, err = store.Publish(context.Background(), st, tt.snap, store.PublishOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Publish = %v, want an error holding %q", err, tt.want)
			}
			if got := ids(t, st); len(got) != 0 {
				t.Errorf("Publish wrote snapshots %q", got)
			}
		})
	}
}

// gate holds every pointer write until all publishers reached it, so that
// they all read the same generation first.
type gate struct {
	store.Store
	arrived *sync.WaitGroup
}

func (g gate) PutIf(ctx context.Context, name string, data []byte, match store.Gen) (store.Gen, error) {
	if name == snapshot.PointerName {
		g.arrived.Done()
		g.arrived.Wait()
	}
	return g.Store.PutIf(ctx, name, data, match)
}

func TestPublishRace(t *testing.T) {
	for _, b := range backends() {
		for _, first := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/existing=%v", b.name, first), func(t *testing.T) {
				ctx := context.Background()
				st := b.open(t)
				old := storetest.Snapshot(testTime(0), 2)
				if first {
					if _, err := store.Publish(ctx, st, old, store.PublishOptions{}); err != nil {
						t.Fatal(err)
					}
				}
				const n = 3
				snaps := make([]store.Snapshot, n)
				errs := make([]error, n)
				var arrived, done sync.WaitGroup
				arrived.Add(n)
				for i := range n {
					snaps[i] = storetest.Snapshot(testTime(i+1), 4)
					done.Go(func() {
						_, errs[i] = store.Publish(ctx, gate{st, &arrived}, snaps[i], store.PublishOptions{Keep: 1})
					})
				}
				done.Wait()
				winner := -1
				for i, err := range errs {
					switch {
					case err == nil && winner >= 0:
						t.Fatalf("publishers %d and %d both won", winner, i)
					case err == nil:
						winner = i
					case !errors.Is(err, store.ErrConflict):
						t.Errorf("loser %d: error %v, want ErrConflict", i, err)
					}
				}
				if winner < 0 {
					t.Fatalf("no publisher won: %v", errs)
				}
				checkLive(t, st, snaps[winner])
				// Losers removed what they wrote; the winner pruned the old one.
				if diff := cmp.Diff([]string{snaps[winner].Index.ID}, ids(t, st)); diff != "" {
					t.Errorf("snapshots left mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestPruneSparesNewer checks that retention leaves alone a snapshot newer
// than the pointer (a publication in progress) and the live one.
func TestPruneSparesNewer(t *testing.T) {
	ctx := context.Background()
	st, err := store.NewFolder(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := store.Publish(ctx, st, storetest.Snapshot(testTime(i), 1), store.PublishOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	pending := storetest.Snapshot(testTime(9), 1).Index
	if _, err := st.PutIf(ctx, snapshot.IndexName(pending.ID), []byte("{}"), store.NoGen); err != nil {
		t.Fatal(err)
	}
	pruned, err := store.Prune(ctx, st, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{snapshot.NewID(testTime(0)), snapshot.NewID(testTime(1))}, pruned); diff != "" {
		t.Errorf("pruned mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{snapshot.NewID(testTime(2)), pending.ID}, ids(t, st)); diff != "" {
		t.Errorf("kept mismatch (-want +got):\n%s", diff)
	}
}

// TestPublishFill checks that Fill completes each detail as it is written,
// leaving the caller's details as they were, and that a detail Fill makes
// invalid fails the publication, the pointer untouched.
func TestPublishFill(t *testing.T) {
	ctx := context.Background()
	st, err := store.NewFolder(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	snap := storetest.Snapshot(testTime(0), 3)
	want := storetest.Snapshot(testTime(0), 3)
	for _, d := range snap.Details {
		d.StarHistory = nil
	}
	snap.Fill = func(d *snapshot.Detail) {
		for _, w := range want.Details {
			if w.Repo == d.Repo {
				d.StarHistory = w.StarHistory
			}
		}
	}
	if _, err := store.Publish(ctx, st, snap, store.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	checkLive(t, st, want)
	for _, d := range snap.Details {
		if d.StarHistory != nil {
			t.Errorf("%s: Publish changed the caller's detail", d.Repo)
		}
	}

	next := storetest.Snapshot(testTime(1), 3)
	next.Fill = func(d *snapshot.Detail) {
		d.StarHistory = []snapshot.StarPoint{{Date: testTime(1), Stars: -5}}
	}
	if _, err := store.Publish(ctx, st, next, store.PublishOptions{}); err == nil || !strings.Contains(err.Error(), "invalid detail") {
		t.Errorf("Publish with an invalid Fill = %v, want an invalid detail", err)
	}
	checkLive(t, st, want)
}

// TestPublishRefusesABinaryIndexThatDiffers: a binary index that decodes
// and validates but holds other figures than index.json is caught before
// the pointer moves.
func TestPublishRefusesABinaryIndexThatDiffers(t *testing.T) {
	t.Cleanup(store.SetEncodeBin(func(x *snapshot.Index) []byte {
		y := *x
		y.Projects = append([]snapshot.Project(nil), x.Projects...)
		stars := 1
		if y.Projects[0].Stars != nil {
			stars += *y.Projects[0].Stars
		}
		y.Projects[0].Stars = &stars
		return indexbin.Encode(&y)
	}))
	st, err := store.NewFolder(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, err = store.Publish(context.Background(), st, storetest.Snapshot(testTime(0), 3), store.PublishOptions{})
	if err == nil || !strings.Contains(err.Error(), "does not read as") {
		t.Fatalf("Publish = %v, want the binary index refused", err)
	}
	if _, _, err := store.ReadPointer(context.Background(), st); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadPointer after the refusal = %v, want no pointer", err)
	}
}
