package indexbin_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/app/browse/synth"
	"versus/sync/snapshot"
	"versus/sync/snapshot/indexbin"
	"versus/sync/snapshot/internal/sampletest"
)

func sample(t testing.TB) *snapshot.Index {
	t.Helper()
	x, err := snapshot.DecodeIndex(bytes.NewReader(sampletest.Index(t)))
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// viaJSON is x as every reader of index.json sees it.
func viaJSON(t testing.TB, x *snapshot.Index) *snapshot.Index {
	t.Helper()
	var b bytes.Buffer
	if err := snapshot.Encode(&b, x); err != nil {
		t.Fatal(err)
	}
	y, err := snapshot.DecodeIndex(&b)
	if err != nil {
		t.Fatal(err)
	}
	return y
}

// same checks that the binary form of x reads back as its JSON does.
func same(t *testing.T, name string, x *snapshot.Index) []byte {
	t.Helper()
	b := indexbin.Encode(x)
	got, err := indexbin.Decode(b)
	if err != nil {
		t.Fatalf("%s: indexbin.Decode(indexbin.Encode(x)): %v", name, err)
	}
	if want := viaJSON(t, x); !reflect.DeepEqual(want, got) {
		t.Fatalf("%s: the binary index differs from the JSON one (-json +bin):\n%s", name, cmp.Diff(want, got))
	}
	return b
}

func TestSameAsJSON(t *testing.T) {
	same(t, "sample", sample(t))
	for _, n := range []int{0, 1, 100, 3000} {
		same(t, "synth", synth.Index(n, uint64(n)))
	}
}

func TestEdgeCases(t *testing.T) {
	at := func(s string) *time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return &v
	}
	num := func(v int) *int { return &v }
	dec := func(v float64) *float64 { return &v }
	x := &snapshot.Index{SchemaVersion: 1, ID: "2026-11-25T06-00-00Z", GeneratedAt: *at("2026-11-25T06:00:00Z")}
	same(t, "no categories, no projects", x)
	x.Categories, x.Projects = []snapshot.Category{}, []snapshot.Project{}
	same(t, "empty lists", x)
	x.Note = "Sample"
	x.Categories = []snapshot.Category{{Slug: "web", Name: "Web", Description: "é—ü 日本語"}}
	x.Projects = []snapshot.Project{
		{Repo: "a/b", Slug: "b", Name: "b", Owner: "a", Topics: []string{}, Categories: []string{"web"}, Alternatives: []string{"c", "b"}},
		{Repo: "a/c", Slug: "c", Name: "c", Owner: "a", Description: "bad \xff\xfe utf-8 \xe2\x82", Homepage: "https://c.example",
			Language: "Go", License: &snapshot.License{SPDX: "MIT", Name: "MIT License"},
			Stars: num(0), Growth: dec(math.Copysign(0, -1)), Stars7d: num(-3), Stars30d: num(1 << 40),
			Activity: dec(9.6), LastCommit: at("1969-12-31T23:59:59.5Z"), Created: at("2021-01-02T03:04:05.123+02:00"),
			Forks: num(math.MaxInt), OpenIssues: num(math.MinInt), Contributors: num(1),
			Release: &snapshot.Release{Tag: "v1", Date: *at("2026-11-24T00:00:00-05:30")}, Mentions: num(70),
			FetchedAt: at("2026-11-25T06:00:00Z"), Archived: true, Stale: true, StaleReason: "quota"},
		{Repo: "a/d", Slug: "d", Growth: dec(1.0 / 3), Activity: dec(-12.5), Categories: []string{"web", "web"}, Alternatives: []string{"b", "c"}},
		{Repo: "a/e", Slug: "e", Growth: dec(1e300), Activity: dec(5e-324), Topics: []string{"", "x"}},
	}
	same(t, "every field", x)
}

// TestSmallerThanJSON checks the point of the format on a synthetic catalog
// with real entropy: it must be at most two thirds of the JSON.
func TestSmallerThanJSON(t *testing.T) {
	x := synth.Index(2000, 7)
	var j bytes.Buffer
	if err := snapshot.Encode(&j, x); err != nil {
		t.Fatal(err)
	}
	if b := same(t, "synth", x); len(b)*3 > j.Len()*2 {
		t.Errorf("binary index is %d bytes, JSON %d: want at most two thirds", len(b), j.Len())
	}
}

// TestDamage checks that damaged input gives an error, never a panic or a
// result that differs from what was encoded without saying so.
func TestDamage(t *testing.T) {
	base := indexbin.Encode(sample(t))
	r := rand.New(rand.NewPCG(3, 4))
	for n := range len(base) {
		if _, err := indexbin.Decode(base[:n]); !errors.Is(err, indexbin.ErrFormat) {
			t.Fatalf("Decode of the first %d of %d bytes: error %v, want indexbin.ErrFormat", n, len(base), err)
		}
	}
	if _, err := indexbin.Decode(append(bytes.Clone(base), 0)); !errors.Is(err, indexbin.ErrFormat) {
		t.Errorf("a byte after the end: error %v, want indexbin.ErrFormat", err)
	}
	for range 5000 {
		b := bytes.Clone(base)
		for range 1 + r.IntN(3) {
			b[r.IntN(len(b))] = byte(r.Uint32())
		}
		x, err := indexbin.Decode(b)
		if err != nil && !errors.Is(err, indexbin.ErrFormat) {
			t.Fatalf("error %v does not wrap indexbin.ErrFormat", err)
		}
		if err == nil && !bytes.Equal(indexbin.Encode(x), indexbin.Encode(mustDecode(t, indexbin.Encode(x)))) {
			t.Fatal("a damaged index decodes to one that does not survive its own round trip")
		}
	}
}

func mustDecode(t *testing.T, b []byte) *snapshot.Index {
	t.Helper()
	x, err := indexbin.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestHugeCounts(t *testing.T) {
	// A header claiming 2^62 projects in a few bytes.
	b := []byte("VSXI" + "\x01\x02\x00\x00\x00\x00")
	b = append(b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f)
	if _, err := indexbin.Decode(b); !errors.Is(err, indexbin.ErrFormat) {
		t.Errorf("error %v, want indexbin.ErrFormat", err)
	}
	if _, err := indexbin.Decode([]byte(`{"schema_version":1}`)); !errors.Is(err, indexbin.ErrFormat) {
		t.Errorf("JSON: error %v, want indexbin.ErrFormat", err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(indexbin.Encode(sample(f)))
	f.Add(indexbin.Encode(synth.Index(3, 1)))
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := indexbin.Decode(b)
		if err != nil {
			if !errors.Is(err, indexbin.ErrFormat) {
				t.Fatalf("error %v does not wrap indexbin.ErrFormat", err)
			}
			return
		}
		y := mustDecode(t, indexbin.Encode(x))
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("decode, encode, decode differs:\n%s", cmp.Diff(x, y))
		}
	})
}

func BenchmarkDecode10k(b *testing.B) {
	enc := indexbin.Encode(synth.Index(10000, 1))
	b.SetBytes(int64(len(enc)))
	for b.Loop() {
		if _, err := indexbin.Decode(enc); err != nil {
			b.Fatal(err)
		}
	}
}

// TestReaderPrefersTheBinaryIndex: a reader that can decode the binary
// index reads it, and only it, when the pointer names it; index.json
// otherwise, or when the binary one is damaged or missing.
func TestReaderPrefersTheBinaryIndex(t *testing.T) {
	x := sample(t)
	var js bytes.Buffer
	if err := snapshot.Encode(&js, x); err != nil {
		t.Fatal(err)
	}
	objects := map[string][]byte{snapshot.IndexName(x.ID): js.Bytes(), snapshot.IndexBinName(x.ID): indexbin.Encode(x)}
	var read []string
	r := snapshot.Reader{
		Get: func(_ context.Context, name string) ([]byte, error) {
			read = append(read, name)
			return objects[name], nil
		},
		DecodeIndexBin: indexbin.Decode,
	}
	withBin := snapshot.NewPointer(x)
	withoutBin := *withBin
	withoutBin.IndexBin = ""
	for _, tc := range []struct {
		ptr  *snapshot.Pointer
		want string
	}{{withBin, withBin.IndexBin}, {&withoutBin, withBin.Index}} {
		read = nil
		got, err := r.Index(context.Background(), tc.ptr)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(read, []string{tc.want}) {
			t.Errorf("read %q, want only %q", read, tc.want)
		}
		if !reflect.DeepEqual(got, viaJSON(t, x)) {
			t.Errorf("reading %s gave another index", tc.want)
		}
	}
	for name, bin := range map[string][]byte{"damaged": objects[withBin.IndexBin][:100], "of another snapshot": indexbin.Encode(synth.Index(3, 1)), "missing": nil} {
		objects[withBin.IndexBin] = bin
		read = nil
		got, err := r.Index(context.Background(), withBin)
		if err != nil || !reflect.DeepEqual(got, viaJSON(t, x)) {
			t.Errorf("binary index %s: error %v, want index.json read instead", name, err)
		}
		if want := []string{withBin.IndexBin, withBin.Index}; !reflect.DeepEqual(read, want) {
			t.Errorf("binary index %s: read %q, want %q", name, read, want)
		}
	}
	objects[withBin.Index] = []byte("{")
	if _, err := r.Index(context.Background(), withBin); err == nil || !strings.Contains(err.Error(), "corrupt snapshot "+x.ID) {
		t.Errorf("both indexes damaged: error %v, want it named corrupt", err)
	}
}
