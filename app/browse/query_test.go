package browse

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		raw  string
		want Query
	}{
		{"", Query{}},
		{"q=async&lang=Rust&sort=-growth", Query{Text: "async", Values: [numFacets][]string{Language: {"Rust"}}, Sort: Sort{Growth, true}}},
		{"q=++tokio+++rs+&lang=Rust&lang=Go&lang=Rust", Query{Text: "tokio rs", Values: [numFacets][]string{Language: {"Rust", "Go"}}}},
		{"license=MIT&cat=http&topic=async", Query{Values: [numFacets][]string{License: {"MIT"}, Category: {"http"}, Topic: {"async"}}}},
		{"stars=1000..&activity=..5.5&growth=-2..10", Query{Ranges: [numRanges]Range{
			StarsRange:    {Min: 1000, HasMin: true},
			ActivityRange: {Max: 5.5, HasMax: true},
			GrowthRange:   {Min: -2, Max: 10, HasMin: true, HasMax: true},
		}}},
		{"within=6&archived=hide&cmp=tokio,Async-Std,tokio&page=3", Query{Within: 6, HideArchived: true, Tray: []string{"tokio", "async-std"}, Page: 3}},
		// Garbage is dropped field by field, the rest kept.
		{"q=ok&stars=lots&activity=5..1&growth=NaN..&within=-1&sort=stars;drop&page=0&lang=%ZZ", Query{Text: "ok"}},
		{"q=a%00b%1Fc&sort=bogus&page=99999999999&within=9999&archived=yes", Query{Text: "a b c"}},
		{"stars=1e999..&cmp=,,,&lang=" + strings.Repeat("x", 101), Query{}},
		{"cmp=a,b,c,d,e,f,g,h", Query{Tray: []string{"a", "b", "c", "d", "e", "f"}}},
		{"q=" + strings.Repeat("é", 150), Query{Text: strings.Repeat("é", MaxText)}},
		{"q=%FF%FEabc", Query{Text: "abc"}},
		{"<script>=1&q=<b>x</b>", Query{Text: "<b>x</b>"}},
	}
	for _, tt := range tests {
		got := Parse(tt.raw)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.raw, diff)
		}
	}
}

func TestQueryStringRoundTrip(t *testing.T) {
	tests := []struct {
		q    Query
		want string
	}{
		{Query{}, ""},
		{Query{Text: "async io", Values: [numFacets][]string{Language: {"C++", "Rust"}}, Sort: Sort{Growth, true}}, "q=async+io&lang=C%2B%2B&lang=Rust&sort=-growth"},
		{Query{Ranges: [numRanges]Range{StarsRange: {Min: 100, HasMin: true}, GrowthRange: {Min: -1.5, Max: 3, HasMin: true, HasMax: true}}, Within: 12, HideArchived: true}, "stars=100..&growth=-1.5..3&within=12&archived=hide"},
		{Query{Tray: []string{"tokio", "async-std"}, Page: 2, Sort: Sort{Name, false}}, "sort=name&cmp=tokio%2Casync-std&page=2"},
	}
	for _, tt := range tests {
		got := tt.q.String()
		if got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.q, got, tt.want)
		}
		if diff := cmp.Diff(tt.q, Parse(got)); diff != "" {
			t.Errorf("Parse(%q) does not give the query back (-want +got):\n%s", got, diff)
		}
	}
}

func TestToggle(t *testing.T) {
	q := Query{Page: 3}
	q1 := q.Toggle(Language, "Go")
	q2 := q1.Toggle(Language, "Rust").Toggle(Language, "Go")
	if diff := cmp.Diff([]string{"Rust"}, q2.Values[Language]); diff != "" {
		t.Errorf("toggled languages mismatch (-want +got):\n%s", diff)
	}
	if q1.Page != 0 || len(q1.Values[Language]) != 1 {
		t.Errorf("Toggle changed the original or kept the page: %+v", q1)
	}
	tr := Query{}.ToggleTray("a").ToggleTray("b").ToggleTray("a")
	if diff := cmp.Diff([]string{"b"}, tr.Tray); diff != "" {
		t.Errorf("tray mismatch (-want +got):\n%s", diff)
	}
	full := Query{Tray: []string{"a", "b", "c", "d", "e", "f"}}
	if got := full.ToggleTray("g"); len(got.Tray) != MaxTray {
		t.Errorf("a full tray took a seventh project: %v", got.Tray)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("q=async&lang=Rust&sort=-growth&stars=10..&cmp=a,b")
	f.Add("%%%&&==;;")
	f.Fuzz(func(t *testing.T, raw string) {
		q := Parse(raw)
		// What Parse keeps survives a round trip through the URL.
		if diff := cmp.Diff(q, Parse(q.String())); diff != "" {
			t.Errorf("Parse(%q) round trip mismatch (-want +got):\n%s", raw, diff)
		}
	})
}

func TestWithRange(t *testing.T) {
	tests := []struct {
		lo, hi string
		want   Range
	}{
		{"", "", Range{}},
		{"100", "", Range{Min: 100, HasMin: true}},
		{" 9 ", "2", Range{Min: 2, Max: 9, HasMin: true, HasMax: true}},
		{"abc", "5", Range{Max: 5, HasMax: true}},
		{"Inf", "1e20", Range{}},
	}
	for _, tt := range tests {
		got := Query{Page: 4}.WithRange(StarsRange, tt.lo, tt.hi)
		if diff := cmp.Diff(tt.want, got.Ranges[StarsRange]); diff != "" || got.Page != 0 {
			t.Errorf("WithRange(%q, %q) mismatch, page %d (-want +got):\n%s", tt.lo, tt.hi, got.Page, diff)
		}
	}
}
