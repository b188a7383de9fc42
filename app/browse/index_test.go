package browse

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/app/browse/synth"
	"versus/app/dataset"
	"versus/sync/snapshot"
)

func ip(n int) *int             { return &n }
func fp(f float64) *float64     { return &f }
func tp(t time.Time) *time.Time { return &t }

var day = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func testSet() *dataset.Set {
	mit := &snapshot.License{SPDX: "MIT", Name: "MIT License"}
	dual := &snapshot.License{SPDX: "Apache-2.0 OR MIT", Name: "Apache License 2.0 or MIT License"}
	return dataset.New(&snapshot.Index{
		GeneratedAt: day,
		Categories:  []snapshot.Category{{Slug: "async-runtime", Name: "Async runtimes"}, {Slug: "http", Name: "HTTP"}},
		Projects: []snapshot.Project{
			{Repo: "tokio-rs/tokio", Slug: "tokio", Name: "tokio", Description: "A runtime for writing reliable asynchronous applications", Language: "Rust", License: mit, Topics: []string{"async", "io"}, Categories: []string{"async-runtime"}, Stars: ip(13967), Growth: fp(3.8), Activity: fp(9.6), LastCommit: tp(day.AddDate(0, 0, -6))},
			{Repo: "async-rs/async-std", Slug: "async-std", Name: "async-std", Description: "Async version of the Rust standard library", Language: "Rust", License: dual, Topics: []string{"async"}, Categories: []string{"async-runtime"}, Stars: ip(3056), Growth: fp(1.6), Activity: fp(5.5), LastCommit: tp(day.AddDate(0, 0, -19))},
			{Repo: "someone/async", Slug: "async", Name: "async", Description: "Tiny helpers", Language: "Go", License: mit, Stars: ip(10), LastCommit: tp(day.AddDate(-2, 0, 0))},
			{Repo: "rust-lang/futures-async", Slug: "futures-async", Name: "futures-async", Description: "Futures", Language: "Rust", Categories: []string{"async-runtime"}, Stars: ip(500), Activity: fp(2), Archived: true},
			{Repo: "m/masync", Slug: "masync", Name: "masync", Description: "Mostly sync", Language: "Python", License: mit, Topics: []string{"io"}, Categories: []string{"http"}, Stars: ip(5), Growth: fp(-1)},
			{Repo: "x/hyper", Slug: "hyper", Name: "hyper", Description: "A fast HTTP implementation", Language: "Rust", License: mit, Topics: []string{"http"}, Categories: []string{"http"}, Stars: nil, Growth: fp(10), Activity: fp(8.1), LastCommit: tp(day.AddDate(0, -1, 0))},
		},
	})
}

func slugs(r Result) []string {
	var out []string
	for _, p := range r.Rows {
		out = append(out, p.Slug)
	}
	return out
}

func TestRun(t *testing.T) {
	x := New(testSet())
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"default is most stars first, unknown last", "", []string{"tokio", "async-std", "futures-async", "async", "masync", "hyper"}},
		{"search ranks exact, prefix, word, then the rest", "q=async", []string{"async", "async-std", "futures-async", "tokio", "masync"}},
		{"search is case-insensitive and covers repo", "q=TOKIO-RS", []string{"tokio"}},
		{"every word must match", "q=async+rust", []string{"async-std", "futures-async"}},
		{"search covers topics", "q=http", []string{"hyper"}},
		{"no match", "q=zzz", nil},
		{"explicit sort overrides relevance", "q=async&sort=name", []string{"async", "async-std", "futures-async", "masync", "tokio"}},
		{"facet values within a facet are alternatives", "lang=Go&lang=Python", []string{"async", "masync"}},
		{"facets combine", "lang=Rust&license=MIT", []string{"tokio", "hyper"}},
		{"multi-valued facets", "topic=io", []string{"tokio", "masync"}},
		{"category", "cat=http&sort=-growth", []string{"hyper", "masync"}},
		{"range and facet combine", "lang=Rust&stars=1000..", []string{"tokio", "async-std"}},
		{"unknown never satisfies a range", "activity=..100", []string{"tokio", "async-std", "futures-async", "hyper"}},
		{"growth range with negatives", "growth=-5..2", []string{"async-std", "masync"}},
		{"last commit within", "within=1", []string{"tokio", "async-std", "hyper"}},
		{"hide archived", "archived=hide&lang=Rust", []string{"tokio", "async-std", "hyper"}},
		{"ascending keeps unknown last", "sort=growth", []string{"masync", "async-std", "tokio", "hyper", "async", "futures-async"}},
		{"descending keeps unknown last", "sort=-activity", []string{"tokio", "hyper", "async-std", "futures-async", "async", "masync"}},
		{"unknown facet values are ignored", "lang=Cobol&q=hyper", []string{"hyper"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := x.Run(Parse(tt.query))
			if diff := cmp.Diff(tt.want, slugs(r)); diff != "" {
				t.Errorf("Run(%q) mismatch (-want +got):\n%s", tt.query, diff)
			}
			if r.Total != len(tt.want) {
				t.Errorf("Run(%q).Total = %d, want %d", tt.query, r.Total, len(tt.want))
			}
		})
	}
}

func TestFacetCounts(t *testing.T) {
	x := New(testSet())
	r := x.Run(Parse("lang=Rust&license=MIT"))
	// Languages count every filter but the language one: MIT projects.
	want := []Count{
		{Value: "Rust", Label: "Rust", N: 2, Selected: true},
		{Value: "Go", Label: "Go", N: 1},
		{Value: "Python", Label: "Python", N: 1},
	}
	if diff := cmp.Diff(want, r.Facets[Language]); diff != "" {
		t.Errorf("language counts mismatch (-want +got):\n%s", diff)
	}
	wantLic := []Count{
		{Value: "MIT", Label: "MIT License", N: 2, Selected: true},
		{Value: "Apache-2.0 OR MIT", Label: "Apache License 2.0 or MIT License", N: 1},
	}
	if diff := cmp.Diff(wantLic, r.Facets[License]); diff != "" {
		t.Errorf("license counts mismatch (-want +got):\n%s", diff)
	}
	wantCat := []Count{{Value: "async-runtime", Label: "Async runtimes", N: 1}, {Value: "http", Label: "HTTP", N: 1}}
	if diff := cmp.Diff(wantCat, r.Facets[Category]); diff != "" {
		t.Errorf("category counts mismatch (-want +got):\n%s", diff)
	}
}

// TestFacetCountsTopOfAll checks the values a result lists against every
// value counted and sorted in full, on a catalog with thousands of topics.
func TestFacetCountsTopOfAll(t *testing.T) {
	x := New(dataset.New(synth.Index(3000, 1)))
	for _, raw := range []string{"", "q=a", "topic=" + x.facets[Topic].vals[0], "lang=Go&topic=" + x.facets[Topic].vals[5] + "&topic=" + x.facets[Topic].vals[7]} {
		r := x.Run(Parse(raw))
		for _, f := range Facets {
			all := map[string]int{}
			others := r.Query.clone()
			others.Values[f] = nil
			for _, p := range allRows(x, others) {
				for _, v := range valuesOf(f, p) {
					all[v]++
				}
			}
			var want []Count
			for v, n := range all {
				want = append(want, Count{Value: v, Label: x.Label(f, v), N: n, Selected: r.Query.Has(f, v)})
			}
			for _, v := range r.Query.Values[f] {
				if all[v] == 0 {
					want = append(want, Count{Value: v, Label: x.Label(f, v), Selected: true})
				}
			}
			slices.SortFunc(want, func(a, b Count) int {
				switch {
				case a.Selected && !b.Selected:
					return -1
				case b.Selected && !a.Selected:
					return 1
				}
				if a.N != b.N {
					return b.N - a.N
				}
				if c := strings.Compare(a.Label, b.Label); c != 0 {
					return c
				}
				return strings.Compare(a.Value, b.Value)
			})
			want = want[:min(len(want), max(FacetLimit, len(r.Query.Values[f])))]
			if diff := cmp.Diff(want, r.Facets[f]); diff != "" {
				t.Errorf("%q: %s counts mismatch (-want +got):\n%s", raw, f.Title(), diff)
			}
		}
	}
}

// allRows is every project matching q, page after page.
func allRows(x *Index, q Query) []*snapshot.Project {
	var out []*snapshot.Project
	for page := 1; ; page++ {
		q.Page = page
		r := x.Run(q)
		out = append(out, r.Rows...)
		if page >= r.Pages {
			return out
		}
	}
}

// valuesOf is what project p counts for in facet f.
func valuesOf(f Facet, p *snapshot.Project) []string {
	switch f {
	case Language:
		if p.Language != "" {
			return []string{p.Language}
		}
	case License:
		if p.License != nil && p.License.SPDX != "" {
			return []string{p.License.SPDX}
		}
	case Category:
		return p.Categories
	case Topic:
		return p.Topics
	}
	return nil
}

func TestCleanAndPages(t *testing.T) {
	x := New(testSet())
	r := x.Run(Parse("lang=Cobol&lang=Rust&cmp=tokio,nope,hyper&page=7"))
	want := Query{Values: [numFacets][]string{Language: {"Rust"}}, Tray: []string{"tokio", "hyper"}}
	if diff := cmp.Diff(want, r.Query); diff != "" {
		t.Errorf("cleaned query mismatch (-want +got):\n%s", diff)
	}
	if r.Pages != 1 {
		t.Errorf("Pages = %d, want 1", r.Pages)
	}
}

func TestRunOnSynthetic(t *testing.T) {
	s := dataset.New(synth.Index(10000, 1))
	x := New(s)
	all := x.Run(Query{})
	if all.Total != 10000 || len(all.Rows) != PageSize || all.Pages != 10000/PageSize {
		t.Fatalf("Run(all) = %d rows of %d, %d pages", len(all.Rows), all.Total, all.Pages)
	}
	// Typing narrows; each step's results are within the previous ones.
	prev := all.Total
	for _, q := range []string{"a", "as", "asy", "asyn", "async", "async h"} {
		r := x.Run(Query{Text: q})
		if r.Total > prev {
			t.Errorf("Run(%q).Total = %d, more than the shorter text's %d", q, r.Total, prev)
		}
		prev = r.Total
	}
	// The incremental path agrees with a fresh index.
	got := x.Run(Query{Text: "async h", Sort: Sort{Stars, false}, Page: 2})
	fresh := New(s).Run(Query{Text: "async h", Sort: Sort{Stars, false}, Page: 2})
	if diff := cmp.Diff(slugs(fresh), slugs(got)); diff != "" {
		t.Errorf("incremental search differs from a fresh one (-want +got):\n%s", diff)
	}
	// Every sort gives each page in order, walking or sorting.
	for _, m := range Metrics {
		for _, desc := range []bool{false, true} {
			r := x.Run(Query{Sort: Sort{m, desc}, Page: 3})
			if len(r.Rows) != PageSize {
				t.Errorf("sort %v: %d rows", Sort{m, desc}, len(r.Rows))
			}
			small := x.Run(Query{Sort: Sort{m, desc}, Values: [numFacets][]string{Language: {"Zig"}}})
			if small.Total == 0 {
				t.Errorf("no Zig projects")
			}
		}
	}
}

func BenchmarkRun(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		x := New(dataset.New(synth.Index(n, 1)))
		x.Run(Query{Sort: Sort{Growth, true}})
		for _, tc := range []struct {
			name string
			q    Query
		}{
			{"all", Query{}},
			{"text-a", Query{Text: "a"}},
			{"text-fresh", Query{Text: "http"}},
			{"facet", Query{Values: [numFacets][]string{Language: {"Rust"}}}},
			{"sorted", Query{Sort: Sort{Growth, true}, Ranges: [numRanges]Range{StarsRange: {Min: 100, HasMin: true}}}},
		} {
			b.Run(fmt.Sprintf("%s/%d", tc.name, n), func(b *testing.B) {
				for range b.N {
					x.last.text = "" // no incremental help
					x.Run(tc.q)
				}
			})
		}
	}
}

func BenchmarkNew(b *testing.B) {
	s := dataset.New(synth.Index(10000, 1))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		x := New(s)
		x.Run(Query{})
	}
}

func TestAppendLower(t *testing.T) {
	var ascii []byte
	for c := range 0x80 {
		ascii = append(ascii, byte(c))
	}
	for _, s := range []string{
		"", "A", "Tokio", "HTTP/2 Client", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "@[`{AZaz@[`{AZaz@",
		string(ascii), "Straße ÄÖÜ", "Eight!!!Ünicode", "ÉCOLE", "ascii first, then İ",
	} {
		got := string(appendLower([]byte("x"), s))
		if want := "x" + strings.ToLower(s); got != want {
			t.Errorf("appendLower(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestValues(t *testing.T) {
	var v values
	if got := v.id("x"); got != -1 {
		t.Errorf("id in an empty table = %d, want -1", got)
	}
	for round := range 2 { // the second round finds every value again
		for i := range 1000 {
			s := fmt.Sprint("v", i)
			if got := v.add(s, "label "+s); got != int32(i) {
				t.Fatalf("round %d: add(%q) = %d, want %d", round, s, got, i)
			}
		}
	}
	for i := range 1000 {
		s := fmt.Sprint("v", i)
		if got := v.id(s); got != int32(i) || v.vals[i] != s || v.labels[i] != "label "+s {
			t.Errorf("id(%q) = %d (value %q, label %q), want %d", s, got, v.vals[i], v.labels[i], i)
		}
	}
	if got := v.id("v1000"); got != -1 {
		t.Errorf("id of a value never added = %d, want -1", got)
	}
}

func TestRadixOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	special := []float64{math.NaN(), 0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), 1e-300, -1e300, 0.5, 3}
	for _, n := range []int{0, 1, 2, 7, 1000} {
		col := make([]float64, n)
		for i := range col {
			switch r.IntN(3) {
			case 0:
				col[i] = special[r.IntN(len(special))]
			case 1:
				col[i] = float64(r.IntN(20) - 5) // many ties
			default:
				col[i] = r.NormFloat64() * 1e6
			}
		}
		// What the order must be: by value, NaN last, ties by index.
		want := make([]int32, n)
		for i := range want {
			want[i] = int32(i)
		}
		slices.SortStableFunc(want, func(a, b int32) int {
			va, vb := col[a], col[b]
			switch na, nb := math.IsNaN(va), math.IsNaN(vb); {
			case na && nb, !na && !nb && va == vb:
				return 0
			case na, !nb && va > vb:
				return 1
			}
			return -1
		})
		if diff := cmp.Diff(want, radixOrder(col)); diff != "" {
			t.Errorf("%d values: order differs (-want +got):\n%s", n, diff)
		}
	}
}
