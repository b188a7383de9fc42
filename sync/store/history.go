package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"versus/sync/snapshot"
)

// The objects a sync carries from one run to the next, in its private state
// store (never beside the public snapshots: the cache holds whole API
// answers fetched with the token). Neither is needed: a run that finds one
// missing or corrupt starts it over and warns.
const (
	StarsName = "history/stars.json"
	CacheName = "cache/etags.json"
	// RunStateName is what one sync run tells the next (sync/job): the
	// signals its REST calls depend on, where a run cut short stopped,
	// when Hacker News was last harvested, what discovery found.
	RunStateName = "collect/state.json"
)

// dayLayout is how a StarRecord writes its day.
const dayLayout = "2006-01-02"

// recordTries bounds how often RecordStars re-reads and merges when another
// sync wrote the history at the same time.
const recordTries = 5

// Stars is the recorded star history: repo ("owner/name") → one record per
// day, oldest first.
type Stars map[string][]StarRecord

// StarRecord is the star count of a project on a day (UTC). It is written
// compactly as ["2026-11-25",13967].
type StarRecord struct {
	Day   string // "2006-01-02"
	Stars int
}

// MarshalJSON writes the record as a two-element array.
func (r StarRecord) MarshalJSON() ([]byte, error) {
	return json.Marshal([2]any{r.Day, r.Stars})
}

// UnmarshalJSON reads a two-element array.
func (r *StarRecord) UnmarshalJSON(b []byte) error {
	var a [2]json.RawMessage
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	if err := json.Unmarshal(a[0], &r.Day); err != nil {
		return err
	}
	return json.Unmarshal(a[1], &r.Stars)
}

// starsFile is the layout of StarsName.
type starsFile struct {
	SchemaVersion int   `json:"schema_version"`
	Stars         Stars `json:"stars"`
}

// LoadStars reads the star history. A missing or corrupt history gives an
// empty one and a warning. Any other failure (the store unreachable) is an
// error: a run must not write over a history it could not read.
func LoadStars(ctx context.Context, st Store) (s Stars, warning, err error) {
	s, _, warning, err = loadStars(ctx, st)
	return s, warning, err
}

func loadStars(ctx context.Context, st Store) (Stars, Gen, error, error) {
	b, gen, err := st.Get(ctx, StarsName)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Stars{}, NoGen, fmt.Errorf("no star history in %s: growth starts over from this run", st), nil
	case errors.Is(err, ErrCorrupt):
		return Stars{}, gen, fmt.Errorf("star history in %s is corrupt (%v): growth starts over from this run", st, err), nil
	case err != nil:
		return nil, NoGen, nil, fmt.Errorf("load star history: %w", err)
	}
	s, err := decodeStars(b)
	if err != nil {
		// Keep the bad bytes for a post-mortem; losing them is no worse.
		_ = st.Put(ctx, StarsName+".corrupt", b)
		return Stars{}, gen, fmt.Errorf("star history in %s is corrupt (%v), kept as %s.corrupt: growth starts over from this run", st, err, StarsName), nil
	}
	return s, gen, nil, nil
}

// decodeStars reads the layout of StarsName.
func decodeStars(b []byte) (Stars, error) {
	var f starsFile
	err := json.Unmarshal(b, &f)
	if err == nil && f.SchemaVersion != 1 {
		err = fmt.Errorf("schema_version %d, want 1", f.SchemaVersion)
	}
	if err != nil {
		return nil, err
	}
	if f.Stars == nil {
		f.Stars = Stars{}
	}
	f.Stars.clean()
	return f.Stars, nil
}

// RecordStars adds the star count of each project (repo → stars) at time at
// to the history, one record per day (a later count of the same day replaces
// the earlier), and returns the whole history. It merges with what another
// sync may have written meanwhile. A missing or corrupt history is started
// over with a warning.
func RecordStars(ctx context.Context, st Store, at time.Time, counts map[string]int) (s Stars, warning, err error) {
	day := at.UTC().Format(dayLayout)
	return updateStars(ctx, st, func(s Stars) {
		for repo, n := range counts {
			s.add(repo, StarRecord{Day: day, Stars: n})
		}
	})
}

// updateStars applies change to the history in st and writes it back with
// a precondition, again when another sync wrote it meanwhile.
func updateStars(ctx context.Context, st Store, change func(Stars)) (Stars, error, error) {
	for range recordTries {
		s, gen, warn, err := loadStars(ctx, st)
		if err != nil {
			return nil, nil, err
		}
		change(s)
		b, err := json.Marshal(starsFile{SchemaVersion: 1, Stars: s})
		if err != nil {
			return nil, nil, fmt.Errorf("record stars: %w", err)
		}
		_, err = st.PutIf(ctx, StarsName, append(b, '\n'), gen)
		if errors.Is(err, ErrConflict) {
			continue // another sync wrote it: merge again
		}
		if err != nil {
			return nil, nil, fmt.Errorf("record stars: %w", err)
		}
		return s, warn, nil
	}
	return nil, nil, fmt.Errorf("record stars: %d concurrent writers in a row: %w", recordTries, ErrConflict)
}

// add inserts or replaces the record of its day.
func (s Stars) add(repo string, r StarRecord) {
	rs := s[repo]
	i := sort.Search(len(rs), func(i int) bool { return rs[i].Day >= r.Day })
	if i < len(rs) && rs[i].Day == r.Day {
		rs[i] = r
		return
	}
	s[repo] = append(rs[:i], append([]StarRecord{r}, rs[i:]...)...)
}

// has reports whether repo has a record on day.
func (s Stars) has(repo, day string) bool {
	rs := s[repo]
	i := sort.Search(len(rs), func(i int) bool { return rs[i].Day >= day })
	return i < len(rs) && rs[i].Day == day
}

// clean drops unreadable records and restores the order, one per day.
func (s Stars) clean() {
	for repo, rs := range s {
		ok := rs[:0]
		for _, r := range rs {
			if _, err := time.Parse(dayLayout, r.Day); err == nil && r.Stars >= 0 {
				ok = append(ok, r)
			}
		}
		sort.SliceStable(ok, func(i, j int) bool { return ok[i].Day < ok[j].Day })
		out := ok[:0]
		for _, r := range ok {
			if n := len(out); n > 0 && out[n-1].Day == r.Day {
				out[n-1] = r
				continue
			}
			out = append(out, r)
		}
		if len(out) == 0 {
			delete(s, repo)
			continue
		}
		s[repo] = out
	}
}

// Before returns the newest record of repo on or before the day of t, for
// growth: s.Before(repo, now.AddDate(0, 0, -30)).
func (s Stars) Before(repo string, t time.Time) (StarRecord, bool) {
	rs := s[repo]
	day := t.UTC().Format(dayLayout)
	i := sort.Search(len(rs), func(i int) bool { return rs[i].Day > day })
	if i == 0 {
		return StarRecord{}, false
	}
	return rs[i-1], true
}

// Points returns the history of repo as the star_history of a Detail.
func (s Stars) Points(repo string) []snapshot.StarPoint {
	rs := s[repo]
	pts := make([]snapshot.StarPoint, 0, len(rs))
	for _, r := range rs {
		t, _ := time.Parse(dayLayout, r.Day) // clean checked every day
		pts = append(pts, snapshot.StarPoint{Date: t, Stars: r.Stars})
	}
	return pts
}

// LoadCache returns the ETag cache the last run saved: opaque JSON bytes. A
// missing or corrupt cache gives nil and a warning (the run is cold).
func LoadCache(ctx context.Context, st Store) (b []byte, warning, err error) {
	return loadCache(ctx, st, CacheName)
}

func loadCache(ctx context.Context, st Store, name string) (b []byte, warning, err error) {
	b, _, err = st.Get(ctx, name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("no ETag cache in %s: every request of this run is a full one: %w", st, err), nil
	case err != nil && !errors.Is(err, ErrCorrupt):
		return nil, nil, fmt.Errorf("load etag cache: %w", err)
	case err != nil || !json.Valid(b):
		return nil, fmt.Errorf("the ETag cache in %s is corrupt: every request of this run is a full one", st), nil
	}
	return b, nil, nil
}

// SaveCache stores the ETag cache (JSON bytes) for the next run.
func SaveCache(ctx context.Context, st Store, b []byte) error {
	return saveCache(ctx, st, CacheName, b)
}

func saveCache(ctx context.Context, st Store, name string, b []byte) error {
	if !json.Valid(b) {
		return errors.New("save etag cache: not JSON")
	}
	if err := st.Put(ctx, name, b); err != nil {
		return fmt.Errorf("save etag cache: %w", err)
	}
	return nil
}
