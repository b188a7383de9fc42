package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/sync/store"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestRecordStars(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.open(t)
			runs := []struct {
				at     string
				counts map[string]int
				warns  bool
			}{
				{"2026-11-01 06:00", map[string]int{"a/x": 10, "b/y": 5}, true}, // no history yet
				{"2026-11-01 12:00", map[string]int{"a/x": 12}, false},          // same day: replaces
				{"2026-11-02 06:00", map[string]int{"a/x": 15, "b/y": 6}, false},
				{"2026-10-31 06:00", map[string]int{"c/z": 1}, false}, // out of order: sorted in
			}
			var got store.Stars
			for _, r := range runs {
				s, warn, err := store.RecordStars(ctx, st, day(r.at), r.counts)
				if err != nil {
					t.Fatalf("RecordStars(%s): %v", r.at, err)
				}
				if (warn != nil) != r.warns {
					t.Errorf("RecordStars(%s) warning = %v, want one: %v", r.at, warn, r.warns)
				}
				got = s
			}
			want := store.Stars{
				"a/x": {{"2026-11-01", 12}, {"2026-11-02", 15}},
				"b/y": {{"2026-11-01", 5}, {"2026-11-02", 6}},
				"c/z": {{"2026-10-31", 1}},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("RecordStars mismatch (-want +got):\n%s", diff)
			}
			loaded, warn, err := store.LoadStars(ctx, st)
			if err != nil || warn != nil {
				t.Fatalf("LoadStars = %v, %v", warn, err)
			}
			if diff := cmp.Diff(want, loaded); diff != "" {
				t.Errorf("LoadStars mismatch (-want +got):\n%s", diff)
			}
			raw, _, _ := st.Get(ctx, store.StarsName)
			if !strings.Contains(string(raw), `"a/x":[["2026-11-01",12],["2026-11-02",15]]`) {
				t.Errorf("stored history is not compact: %s", raw)
			}
		})
	}
}

func TestStarsSurviveCorruption(t *testing.T) {
	tests := []struct {
		name    string
		content string // "" leaves the file missing
		want    store.Stars
		warns   bool
	}{
		{"missing", "", store.Stars{"a/x": {{"2026-11-02", 3}}}, true},
		{"truncated", `{"schema_version":1,"stars":{"a/x":[["2026-11-01",`, store.Stars{"a/x": {{"2026-11-02", 3}}}, true},
		{"bad gzip", "\x1f\x8b\x08garbage", store.Stars{"a/x": {{"2026-11-02", 3}}}, true},
		{"not json", "\x00\x01garbage", store.Stars{"a/x": {{"2026-11-02", 3}}}, true},
		{"other version", `{"schema_version":7,"stars":{}}`, store.Stars{"a/x": {{"2026-11-02", 3}}}, true},
		{"bad records dropped", `{"schema_version":1,"stars":{"a/x":[["nope",1],["2026-11-01",-4],["2026-11-01",2]],"b/y":[["x",1]]}}`,
			store.Stars{"a/x": {{"2026-11-01", 2}, {"2026-11-02", 3}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.NewFolder(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if tt.content != "" {
				if err := st.Put(ctx, store.StarsName, []byte(tt.content)); err != nil {
					t.Fatal(err)
				}
			}
			got, warn, err := store.RecordStars(ctx, st, day("2026-11-02 06:00"), map[string]int{"a/x": 3})
			if err != nil {
				t.Fatalf("RecordStars = %v, want success", err)
			}
			if (warn != nil) != tt.warns {
				t.Errorf("warning = %v, want one: %v", warn, tt.warns)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("RecordStars mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// broken is a store that cannot be reached.
type broken struct{ store.Store }

func (broken) Get(context.Context, string) ([]byte, store.Gen, error) {
	return nil, store.NoGen, errors.New("connection refused")
}

func TestStarsUnreachableIsAnError(t *testing.T) {
	st, err := store.NewFolder(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// Writing over a history that could not be read would lose it.
	if _, _, err := store.RecordStars(context.Background(), broken{st}, day("2026-11-02 06:00"), map[string]int{"a/x": 1}); err == nil {
		t.Error("RecordStars on an unreachable store succeeded, want an error")
	}
	if _, _, err := store.LoadCache(context.Background(), broken{st}); err == nil {
		t.Error("LoadCache on an unreachable store succeeded, want an error")
	}
}

func TestStarsBeforeAndPoints(t *testing.T) {
	s := store.Stars{"a/x": {{"2026-10-01", 100}, {"2026-10-20", 120}, {"2026-11-02", 150}}}
	tests := []struct {
		at    string
		want  int
		found bool
	}{
		{"2026-09-30 23:00", 0, false},
		{"2026-10-01 00:00", 100, true},
		{"2026-10-19 12:00", 100, true},
		{"2026-10-25 12:00", 120, true},
		{"2026-12-01 12:00", 150, true},
	}
	for _, tt := range tests {
		r, ok := s.Before("a/x", day(tt.at))
		if ok != tt.found || r.Stars != tt.want {
			t.Errorf("Before(%s) = %v, %v, want %d, %v", tt.at, r, ok, tt.want, tt.found)
		}
	}
	pts := s.Points("a/x")
	if len(pts) != 3 || !pts[0].Date.Equal(day("2026-10-01 00:00")) || pts[2].Stars != 150 {
		t.Errorf("Points = %v", pts)
	}
}

func TestCache(t *testing.T) {
	ctx := context.Background()
	st, err := store.NewFolder(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if b, warn, err := store.LoadCache(ctx, st); b != nil || warn == nil || err != nil {
		t.Errorf("LoadCache(missing) = %q, %v, %v, want nil, a warning, nil", b, warn, err)
	}
	if err := store.SaveCache(ctx, st, []byte(`{"etag":"x"}`)); err != nil {
		t.Fatal(err)
	}
	if b, warn, err := store.LoadCache(ctx, st); string(b) != `{"etag":"x"}` || warn != nil || err != nil {
		t.Errorf("LoadCache = %q, %v, %v", b, warn, err)
	}
	if err := st.Put(ctx, store.CacheName, []byte(`{"etag":`)); err != nil {
		t.Fatal(err)
	}
	if b, warn, err := store.LoadCache(ctx, st); b != nil || warn == nil || err != nil {
		t.Errorf("LoadCache(corrupt) = %q, %v, %v, want nil, a warning, nil", b, warn, err)
	}
	if err := store.SaveCache(ctx, st, []byte("not json")); err == nil {
		t.Error("SaveCache(not json) succeeded")
	}
}
