package snapshot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"
)

// objects is an in-memory store for Reader tests.
type objects map[string][]byte

func (o objects) get(_ context.Context, name string) ([]byte, error) {
	b, ok := o[name]
	if !ok {
		return nil, fmt.Errorf("get %s: %w", name, fs.ErrNotExist)
	}
	return b, nil
}

func encoded(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Encode(&b, v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// published returns the objects of example() published as a store holds them.
func published(t *testing.T) objects {
	x := example()
	p := &Pointer{SchemaVersion: SchemaVersion, ID: x.ID, GeneratedAt: x.GeneratedAt, Index: IndexName(x.ID), Projects: len(x.Projects)}
	d := &Detail{SchemaVersion: SchemaVersion, Repo: "tokio-rs/tokio", StarHistory: []StarPoint{{Date: time.Unix(5, 0), Stars: 1}}}
	return objects{
		PointerName:                        encoded(t, p),
		p.Index:                            encoded(t, x),
		DetailName(x.ID, "tokio-rs/tokio"): encoded(t, d),
	}
}

func TestReaderLatest(t *testing.T) {
	for _, tc := range []struct {
		name     string
		change   func(t *testing.T, o objects)
		want     string // "" for success
		notExist bool
	}{
		{name: "valid", change: func(*testing.T, objects) {}},
		{name: "no pointer", change: func(_ *testing.T, o objects) { delete(o, PointerName) }, want: "no snapshot", notExist: true},
		{name: "pointer not JSON", change: func(_ *testing.T, o objects) { o[PointerName] = []byte("{") }, want: "corrupt snapshot pointer"},
		{name: "pointer escapes", change: func(t *testing.T, o objects) {
			o[PointerName] = bytes.Replace(o[PointerName], []byte(`"snapshots/`), []byte(`"../snapshots/`), 1)
		}, want: "corrupt snapshot pointer"},
		{name: "index missing", change: func(_ *testing.T, o objects) { delete(o, IndexName(example().ID)) }, want: "read snapshot 2021-11-25T12-00-00Z", notExist: true},
		{name: "index invalid", change: func(t *testing.T, o objects) {
			x := example()
			x.Projects[0].Slug = "BAD SLUG"
			o[IndexName(x.ID)] = encoded(t, x)
		}, want: `project "tokio-rs/tokio": slug "BAD SLUG"`},
		{name: "index of another snapshot", change: func(t *testing.T, o objects) {
			x := example()
			x.ID = "2021-11-26T12-00-00Z"
			o[IndexName(example().ID)] = encoded(t, x)
		}, want: `the index says it is "2021-11-26T12-00-00Z"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := published(t)
			tc.change(t, o)
			p, x, err := Reader{Get: o.get}.Latest(context.Background())
			if tc.want == "" {
				if err != nil || p.ID != example().ID || len(x.Projects) != 2 {
					t.Fatalf("Latest() = %v, %v, %v; want the example snapshot", p, x, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Latest() error = %v, want it to say %q", err, tc.want)
			}
			if got := errors.Is(err, fs.ErrNotExist); got != tc.notExist {
				t.Errorf("errors.Is(%v, fs.ErrNotExist) = %v, want %v", err, got, tc.notExist)
			}
		})
	}
}

func TestReaderUsesItsDecoder(t *testing.T) {
	o := published(t)
	calls := 0
	r := Reader{Get: o.get, DecodeIndex: func(b []byte) (*Index, error) {
		calls++
		x := example()
		x.Projects[1].Repo = "not a repo"
		return x, nil
	}}
	if _, _, err := r.Latest(context.Background()); err == nil || !strings.Contains(err.Error(), `repo "not a repo"`) {
		t.Errorf("Latest() with a decoder giving an invalid index = %v, want it refused by Validate", err)
	}
	if calls != 1 {
		t.Errorf("decoder called %d times, want 1", calls)
	}
}

func TestReaderDetail(t *testing.T) {
	id := example().ID
	for _, tc := range []struct {
		name, repo string
		change     func(t *testing.T, o objects)
		want       string
		notExist   bool
	}{
		{name: "valid", repo: "tokio-rs/tokio", change: func(*testing.T, objects) {}},
		{name: "missing", repo: "async-rs/async-std", change: func(*testing.T, objects) {}, want: "read details of async-rs/async-std", notExist: true},
		{name: "invalid repo", repo: "../x", change: func(*testing.T, objects) {}, want: `invalid repo "../x"`},
		{name: "of another repo", repo: "tokio-rs/tokio", change: func(t *testing.T, o objects) {
			o[DetailName(id, "tokio-rs/tokio")] = encoded(t, &Detail{SchemaVersion: SchemaVersion, Repo: "a/b"})
		}, want: `they are of "a/b"`},
		{name: "invalid", repo: "tokio-rs/tokio", change: func(t *testing.T, o objects) {
			o[DetailName(id, "tokio-rs/tokio")] = encoded(t, &Detail{SchemaVersion: SchemaVersion, Repo: "tokio-rs/tokio",
				StarHistory: []StarPoint{{Date: time.Unix(10, 0), Stars: 1}, {Date: time.Unix(5, 0), Stars: 2}}})
		}, want: "dates are not increasing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := published(t)
			tc.change(t, o)
			d, err := Reader{Get: o.get}.Detail(context.Background(), id, tc.repo)
			if tc.want == "" {
				if err != nil || d.Repo != tc.repo {
					t.Fatalf("Detail(%q) = %v, %v", tc.repo, d, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Detail(%q) error = %v, want it to say %q", tc.repo, err, tc.want)
			}
			if got := errors.Is(err, fs.ErrNotExist); got != tc.notExist {
				t.Errorf("errors.Is(%v, fs.ErrNotExist) = %v, want %v", err, got, tc.notExist)
			}
		})
	}
}

func TestReaderServed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(x *Index)
		want   string // "" for success
	}{
		{name: "an index Validate refuses is taken", change: func(x *Index) { x.Projects[1].Repo = "not a repo" }},
		{name: "another schema version", change: func(x *Index) { x.SchemaVersion = 2 }, want: "schema_version is 2"},
		{name: "another snapshot", change: func(x *Index) { x.ID = "2021-11-26T12-00-00Z" }, want: `the index says it is "2021-11-26T12-00-00Z"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := published(t)
			r := Reader{Get: o.get, Served: true, DecodeIndex: func([]byte) (*Index, error) {
				x := example()
				tc.change(x)
				return x, nil
			}}
			_, x, err := r.Latest(context.Background())
			if tc.want == "" {
				if err != nil || len(x.Projects) != 2 {
					t.Fatalf("Latest() = %v, %v; want the index as decoded", x, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Latest() error = %v, want it to say %q", err, tc.want)
			}
		})
	}
}
