package dataset

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"
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
