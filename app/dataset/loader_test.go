package dataset

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"time"

	"versus/sync/snapshot"
)

// objects is an in-memory snapshot store.
type objects map[string]string

func (o objects) fetch(name string) ([]byte, error) {
	b, ok := o[name]
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	return []byte(b), nil
}

func snap(id, stars string) objects {
	gen := id[:10] + "T" + strings.ReplaceAll(id[11:19], "-", ":") + "Z"
	return objects{
		"latest.json": `{"schema_version":1,"id":"` + id + `","generated_at":"` + gen + `","index":"snapshots/` + id + `/index.json","projects":1}`,
		"snapshots/" + id + "/index.json": `{"schema_version":1,"id":"` + id + `","generated_at":"` + gen + `","categories":[],` +
			`"projects":[{"repo":"a/b","slug":"b","name":"b","owner":"a","stars":` + stars + `}]}`,
		"snapshots/" + id + "/p/a/b.json": `{"schema_version":1,"repo":"a/b","posts":[]}`,
	}
}

func TestLoaderPicksUpNewSnapshot(t *testing.T) {
	store := snap("2021-11-25T12-00-00Z", "1")
	now := time.Date(2021, 11, 25, 12, 0, 0, 0, time.UTC)
	l := NewLoader(store.fetch, time.Minute)
	l.now = func() time.Time { return now }
	s, err := l.Load()
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Project("b"); *p.Stars != 1 {
		t.Fatalf("stars = %d, want 1", *p.Stars)
	}
	for k, v := range snap("2021-11-26T12-00-00Z", "2") {
		store[k] = v
	}
	if s2, _ := l.Load(); s2 != s {
		t.Errorf("Load within the recheck period read the pointer again")
	}
	now = now.Add(2 * time.Minute)
	// After the recheck period Load starts one refresh in the background
	// and serves what it has meanwhile.
	if s2, _ := l.Load(); s2 != s {
		t.Errorf("Load waited for the store")
	}
	l.bg.Wait()
	s3, err := l.Load()
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := s3.Project("b"); s3.ID != "2021-11-26T12-00-00Z" || *p.Stars != 2 {
		t.Errorf("after the recheck period: snapshot %s, want the new one", s3.ID)
	}
	if d, err := l.Detail(s3, "a/b"); err != nil || d.Repo != "a/b" {
		t.Errorf("Detail = %v, %v", d, err)
	}
	if _, ok := l.CachedDetail("a/b"); !ok {
		t.Errorf("details not kept after loading")
	}
}

func TestLoaderKeepsDataOnFailure(t *testing.T) {
	store := snap("2021-11-25T12-00-00Z", "1")
	now := time.Date(2021, 11, 25, 12, 0, 0, 0, time.UTC)
	l := NewLoader(store.fetch, time.Minute)
	l.now = func() time.Time { return now }
	s, err := l.Load()
	if err != nil {
		t.Fatal(err)
	}
	store["latest.json"] = "{garbage"
	now = now.Add(time.Hour)
	if got, err := l.Load(); err != nil || got != s {
		t.Errorf("Load after the pointer broke = %v, %v; want the data already shown", got, err)
	}
}

func TestLoaderErrors(t *testing.T) {
	good := snap("2021-11-25T12-00-00Z", "1")
	for _, tc := range []struct {
		name  string
		store objects
		want  string
	}{
		{"empty store", objects{}, "no snapshot: latest.json is missing"},
		{"garbage pointer", objects{"latest.json": "nope"}, "corrupt snapshot pointer"},
		{"missing index", objects{"latest.json": good["latest.json"]}, "read snapshot 2021-11-25T12-00-00Z"},
		{"index of another snapshot", objects{
			"latest.json": good["latest.json"],
			"snapshots/2021-11-25T12-00-00Z/index.json": snap("2021-11-26T12-00-00Z", "1")["snapshots/2021-11-26T12-00-00Z/index.json"],
		}, `the index says it is "2021-11-26T12-00-00Z"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewLoader(tc.store.fetch, 0).Load()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load() error = %v, want it to say %q", err, tc.want)
			}
		})
	}
	l := NewLoader(good.fetch, 0)
	s, err := l.Load()
	if err != nil {
		t.Fatal(err)
	}
	good["snapshots/2021-11-25T12-00-00Z/p/a/b.json"] = `{"schema_version":1,"repo":"x/y"}`
	if _, err := l.Detail(s, "a/b"); err == nil || !strings.Contains(err.Error(), `they are of "x/y"`) {
		t.Errorf("Detail of mismatched details: %v", err)
	}
	if _, err := l.Detail(s, "c/d"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Detail of a missing project = %v, want fs.ErrNotExist", err)
	}
}

func TestClosest(t *testing.T) {
	store := snap("2021-11-25T12-00-00Z", "1")
	s, err := NewLoader(store.fetch, 0).Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Closest("bb", 3); len(got) != 1 || got[0].Slug != "b" {
		t.Errorf("Closest(bb) = %v", got)
	}
	if got := s.Closest(strings.Repeat("z", 500), 3); len(got) != 0 {
		t.Errorf("Closest(long garbage) = %v, want none", got)
	}
}

// badSnapshot is a snapshot whose index fails Validate: the first project's
// slug has a space and its repo carries markup.
func badSnapshot(id string) objects {
	o := snap(id, "5")
	idx := "snapshots/" + id + "/index.json"
	o[idx] = strings.Replace(o[idx], `"repo":"a/b","slug":"b"`, `"repo":"evil\"><script>alert(1)</script>","slug":"BAD SLUG"`, 1)
	return o
}

// counting wraps a store and counts reads by name.
type counting struct {
	mu    sync.Mutex
	o     objects
	reads map[string]int
}

func (c *counting) get(_ context.Context, name string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reads == nil {
		c.reads = map[string]int{}
	}
	c.reads[name]++
	return c.o.fetch(name)
}

func (c *counting) put(o objects) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range o {
		c.o[k] = v
	}
}

func TestLoaderRefusesInvalidSnapshot(t *testing.T) {
	st := &counting{o: snap("2021-11-25T12-00-00Z", "1")}
	var reports []error
	l := LoaderFor(snapshot.Reader{Get: st.get}, time.Minute).WithReport(func(err error) { reports = append(reports, err) })
	s, err := l.Load()
	if err != nil {
		t.Fatal(err)
	}
	const bad = "2021-11-26T12-00-00Z"
	st.put(badSnapshot(bad))
	err = l.Refresh(context.Background())
	for _, want := range []string{"refused snapshot " + bad, "still serving 2021-11-25T12-00-00Z", `slug "BAD SLUG"`, `repo "evil\"><script>`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Refresh to an invalid snapshot: error %v, want it to say %s", err, want)
		}
	}
	if got, _ := l.Load(); got != s {
		t.Errorf("Load after a refused snapshot = %s, want the previous one", got.ID)
	}
	// Snapshot objects never change: a refused one is not read again.
	if err := l.Refresh(context.Background()); err != nil {
		t.Errorf("second Refresh to the refused snapshot = %v, want nil (said once)", err)
	}
	if n := st.reads["snapshots/"+bad+"/index.json"]; n != 1 {
		t.Errorf("the refused index was read %d times, want 1", n)
	}
	// The next valid snapshot goes live.
	st.put(snap("2021-11-27T12-00-00Z", "3"))
	if err := l.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := l.Load(); got.ID != "2021-11-27T12-00-00Z" || got.Pointer.ID != got.ID {
		t.Errorf("after a valid snapshot: live %s, want 2021-11-27T12-00-00Z", got.ID)
	}
}

// TestLoaderSlowStore: a store that hangs never holds up Load once a
// snapshot is live, only one refresh runs at a time, each ends at its
// deadline, and a failed refresh is not retried by every Load.
func TestLoaderSlowStore(t *testing.T) {
	st := &counting{o: snap("2021-11-25T12-00-00Z", "1")}
	hang := make(chan struct{})
	var hung sync.WaitGroup
	get := func(ctx context.Context, name string) ([]byte, error) {
		select {
		case <-hang:
			return st.get(ctx, name)
		default:
		}
		hung.Add(1)
		defer hung.Done()
		st.get(ctx, name)
		<-ctx.Done()
		return nil, ctx.Err()
	}
	close(hang) // the first load answers
	now := time.Date(2021, 11, 25, 12, 0, 0, 0, time.UTC)
	reported := make(chan error, 10)
	l := LoaderFor(snapshot.Reader{Get: func(ctx context.Context, name string) ([]byte, error) {
		return get(ctx, name)
	}}, time.Second).WithTimeout(50 * time.Millisecond).WithReport(func(err error) { reported <- err })
	l.now = func() time.Time { return now }
	s, err := l.Load()
	if err != nil {
		t.Fatal(err)
	}
	hang = make(chan struct{}) // from now on the store hangs
	now = now.Add(time.Hour)
	for range 100 {
		if got, err := l.Load(); got != s || err != nil {
			t.Fatalf("Load while the store hangs = %v, %v; want the live snapshot at once", got, err)
		}
	}
	if err := <-reported; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the hung refresh reported %v, want a deadline", err)
	}
	l.bg.Wait()
	if n := st.reads["latest.json"]; n != 2 {
		t.Errorf("100 Loads while the store hangs read the pointer %d times, want 1 refresh (2 reads in all)", n)
	}
	for range 10 {
		l.Load()
	}
	l.bg.Wait()
	if n := st.reads["latest.json"]; n != 2 {
		t.Errorf("Loads within the recheck period after a failure read the store again (%d reads)", n)
	}
}
