package export

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"versus/app/compare"
	"versus/app/dataset"
	"versus/app/export/exporttest"
	"versus/sync/snapshot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sample compares projects of the bundled sample snapshot.
func sample(t *testing.T, slugs ...string) *compare.Comparison {
	t.Helper()
	l := dataset.NewLoader(func(name string) ([]byte, error) {
		return os.ReadFile(filepath.Join("..", "..", "web", "data", filepath.FromSlash(name)))
	}, 0)
	set, err := l.Load()
	if err != nil {
		t.Fatal(err)
	}
	c, err := compare.New(set, slugs, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// odd compares projects of the snapshot with hard-to-render text, without
// their details.
func odd(t *testing.T, slugs ...string) *compare.Comparison {
	t.Helper()
	return oddWith(t, nil, slugs...)
}

// oddDetailed compares them with their details (star histories).
func oddDetailed(t *testing.T, slugs ...string) *compare.Comparison {
	t.Helper()
	details := map[string]*snapshot.Detail{}
	for _, d := range exporttest.Details() {
		details[d.Repo] = d
	}
	return oddWith(t, details, slugs...)
}

func oddWith(t *testing.T, details map[string]*snapshot.Detail, slugs ...string) *compare.Comparison {
	t.Helper()
	idx := exporttest.Index()
	if err := idx.Validate(); err != nil {
		t.Fatal(err)
	}
	c, err := compare.New(dataset.New(idx), slugs, details)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func TestMarkdown(t *testing.T) {
	for _, tc := range []struct {
		golden string
		cmp    *compare.Comparison
		link   string
	}{
		{"tokio-vs-async-std.md", sample(t, "tokio", "async-std"), "https://versus.example/compare/tokio-vs-async-std"},
		{"odd-2.md", odd(t, "quote", "nihongo"), "https://versus.example/compare/quote-vs-nihongo?x=(1)"},
		{"odd-6.md", odd(t, exporttest.Slugs...), ""},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			md := Markdown(tc.cmp, tc.link)
			golden(t, tc.golden, md)
			// Every line of the table has one cell per project, plus the label.
			for _, line := range strings.Split(md, "\n") {
				if !strings.HasPrefix(line, "|") {
					continue
				}
				cells := len(strings.Split(strings.ReplaceAll(line, `\|`, ""), "|")) - 2
				if cells != len(tc.cmp.Projects)+1 {
					t.Errorf("line %q has %d cells, want %d", line, cells, len(tc.cmp.Projects)+1)
				}
			}
		})
	}
}

func TestEmbed(t *testing.T) {
	for _, tc := range []struct {
		cmp          *compare.Comparison
		origin, link string
		want         string
	}{
		{sample(t, "tokio", "async-std"), "https://versus.example/", "https://versus.example/compare/tokio-vs-async-std",
			"[![tokio vs async-std](https://versus.example/cards/tokio-vs-async-std.svg)](https://versus.example/compare/tokio-vs-async-std)"},
		{sample(t, "tokio", "smol"), "http://127.0.0.1:8123", "http://127.0.0.1:8123/compare/x?a=(1)",
			"[![tokio vs smol](http://127.0.0.1:8123/cards/tokio-vs-smol.svg)](http://127.0.0.1:8123/compare/x?a=%281%29)"},
	} {
		if got := Embed(tc.cmp, tc.origin, tc.link); got != tc.want {
			t.Errorf("Embed(%q) = %q, want %q", tc.cmp.Title(), got, tc.want)
		}
	}
}

// The themed SVG is the plain one with a dark style: same shapes, and a rule
// for each colour it recolours.
func TestThemedSVG(t *testing.T) {
	sc := Layout(odd(t, exporttest.Slugs...), Social)
	plain, themed := sc.SVG(), sc.ThemedSVG()
	style := regexp.MustCompile(`<style>@media \(prefers-color-scheme: dark\)\{[^<]*\}</style>`)
	if got := style.ReplaceAll(themed, nil); !bytes.Equal(got, plain) {
		t.Errorf("ThemedSVG without its style differs from SVG")
	}
	for _, want := range []string{`rect[fill="#ffffff"]{fill:#12141c}`, `text[fill="#1f2330"],tspan[fill="#1f2330"]{fill:#e6e8ef}`} {
		if !bytes.Contains(themed, []byte(want)) {
			t.Errorf("ThemedSVG lacks the rule %s", want)
		}
	}
	if bytes.Contains(plain, []byte("<style")) {
		t.Errorf("SVG (the download) carries a style")
	}
}

func TestMDEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"a | b", `a \| b`},
		{"two\nlines\r\n  here", "two lines here"},
		{"<script>alert(1)</script>", `\<script\>alert(1)\</script\>`},
		{"*bold* _it_ `code` ~s~", "\\*bold\\* \\_it\\_ \\`code\\` \\~s\\~"},
		{`[x](javascript:y) \`, `\[x\](javascript:y) \\`},
		{`"quotes" & 'apostrophes'`, `"quotes" & 'apostrophes'`},
		{"日本語 Ελληνικά", "日本語 Ελληνικά"},
		// Mentions and issue references would ping people on GitHub.
		{"thanks @someone, see #123 and acme/quote#7", "thanks @&#8203;someone, see #&#8203;123 and acme/quote#&#8203;7"},
		{"mail a@b.example, C# and #tag, 50% @ noon", "mail a@&#8203;b.example, C# and #tag, 50% @ noon"},
		{"@", "@"},
	} {
		if got := mdEscape(tc.in); got != tc.want {
			t.Errorf("mdEscape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCSV(t *testing.T) {
	c := odd(t, exporttest.Slugs...)
	recs, err := csv.NewReader(bytes.NewReader(CSV(c))).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	if len(recs) != 1+len(c.Projects) {
		t.Fatalf("CSV has %d lines, want a header and %d projects", len(recs), len(c.Projects))
	}
	wantHeader := []string{"name", "repo", "owner", "url", "description", "mentions", "stars", "growth_percent", "stars_7d", "stars_30d", "activity",
		"last_commit", "language", "license", "license_spdx", "contributors", "forks", "open_issues", "release_tag", "release_date", "best_in"}
	if diff := cmp.Diff(wantHeader, recs[0]); diff != "" {
		t.Errorf("header mismatch (-want +got):\n%s", diff)
	}
	byName := map[string]map[string]string{}
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		byName[rec[0]] = m
	}
	idx := exporttest.Index()
	for i, p := range idx.Projects {
		if recs[1+i][0] != p.Name {
			t.Errorf("line %d is %q, want %q (the order of the comparison)", i+1, recs[1+i][0], p.Name)
		}
	}
	for _, tc := range []struct{ project, column, want string }{
		{"quote", "stars", "13967"},
		{"quote", "description", idx.Projects[0].Description},
		{"quote", "language", "C++ & <Go>"},
		{"quote", "license", `"Fancy" | <License> & co`},
		{"quote", "release_tag", `v1.0.0 <rc> & "final"`},
		{"quote", "release_date", "2025-12-06T06:00:00Z"},
		{"quote", "best_in", "mentions;activity;forks"},
		{"nihongo", "description", idx.Projects[1].Description},
		{"ellinika", "growth_percent", "-2.5"},
		{"ellinika", "activity", "0"},
		{"arabiya", "growth_percent", ""},
		{"arabiya", "last_commit", ""},
		{"emoji", "growth_percent", "12.25"},
		{"emoji", "last_commit", "2026-01-15T06:00:00Z"},
		{"emoji", "description", idx.Projects[4].Description},
		{"formula", "description", `'=HYPERLINK("http://example.com","click")`},
		{"formula", "language", "'-Python"},
	} {
		if got := byName[tc.project][tc.column]; got != tc.want {
			t.Errorf("CSV %s %s = %q, want %q", tc.project, tc.column, got, tc.want)
		}
	}
}

func TestSVG(t *testing.T) {
	for _, tc := range []struct {
		name      string
		cmp       *compare.Comparison
		size      Size
		height    int // 0: taller than the social card
		polylines int
		contains  []string
	}{
		{name: "sample social", cmp: sample(t, "tokio", "async-std"), size: Social, height: 630,
			contains: []string{"tokio", "async-std", "by tokio-rs", "13,967", "no history yet", "Data as of 25 Nov 2021 · GitHub API and Hacker News", "versus"}},
		{name: "sample full", cmp: sample(t, "tokio", "async-std"), size: Full,
			contains: []string{"Last commit", "6 days ago", "no history yet"}},
		{name: "odd 2 social", cmp: oddDetailed(t, "quote", "nihongo"), size: Social, height: 630, polylines: 2,
			contains: []string{`He said "hello" & left <b>bold</b> | a`, "日本語のライブラリ", "C++ & <Go>", "Star history"}},
		{name: "odd 2 full", cmp: oddDetailed(t, "quote", "nihongo"), size: Full, polylines: 2,
			contains: []string{`"Fancy" | <License> & co`, "13,967"}},
		{name: "odd 6 social", cmp: oddDetailed(t, exporttest.Slugs...), size: Social, height: 630, polylines: 2,
			contains: []string{"Ελληνικά", "مكتبة", "🚀", "formula"}},
		{name: "odd 6 full", cmp: odd(t, exporttest.Slugs...), size: Full,
			contains: []string{"Ελληνικά", "Ελληνικά: γρήγορη", "no history yet", "=HYPERLINK("}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			card := SVG(tc.cmp, tc.size)
			doc := exporttest.ReadSVG(t, card.SVG)
			if card.Width != 1200 || doc.Width != "1200" {
				t.Errorf("width = %d (attribute %q), want 1200", card.Width, doc.Width)
			}
			if tc.height != 0 && card.Height != tc.height {
				t.Errorf("height = %d, want %d", card.Height, tc.height)
			}
			if tc.height == 0 && card.Height <= 630 {
				t.Errorf("full height = %d, want more than the social card", card.Height)
			}
			if doc.Height != strings.TrimSpace(doc.Height) || doc.Height == "" {
				t.Errorf("height attribute %q", doc.Height)
			}
			if doc.Polylines != tc.polylines {
				t.Errorf("%d chart lines, want %d", doc.Polylines, tc.polylines)
			}
			for _, s := range tc.contains {
				if !strings.Contains(doc.Text, s) {
					t.Errorf("card text lacks %q; it has:\n%s", s, doc.Text)
				}
			}
			if tc.size == Full {
				for _, row := range tc.cmp.Rows {
					if !strings.Contains(doc.Text, row.ShortLabel()) {
						t.Errorf("full card lacks the row %q", row.ShortLabel())
					}
				}
			}
			// Nothing that would make a request: no href, no url(), no @import.
			for _, bad := range []string{"href", "url(", "@import", "<image", "<foreignObject"} {
				if bytes.Contains(card.SVG, []byte(bad)) {
					t.Errorf("card holds %q, which would load something", bad)
				}
			}
		})
	}
}

func TestSVGIsDeterministic(t *testing.T) {
	c := oddDetailed(t, exporttest.Slugs...)
	a, b := SVG(c, Full), SVG(c, Full)
	if !bytes.Equal(a.SVG, b.SVG) {
		t.Error("two renderings of the same comparison differ")
	}
}

func TestFitAndWrap(t *testing.T) {
	for _, s := range []string{
		"a short one",
		"A description that goes on for much longer than the column is wide, with words",
		"日本語のライブラリ：高速で安全な非同期ランタイム。中文说明也在这里",
		"Supercalifragilisticexpialidocious-without-any-spaces-at-all-in-it",
		"🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀",
	} {
		for _, width := range []float64{20, 90, 300} {
			if got := fit(s, width, 16, true); textWidth(got, 16, true) > width && len([]rune(got)) > 2 {
				t.Errorf("fit(%q, %v) = %q, %v px wide", s, width, got, textWidth(got, 16, true))
			}
			lines := wrap(s, width, 14, 3)
			if len(lines) == 0 || len(lines) > 3 {
				t.Errorf("wrap(%q, %v) gave %d lines", s, width, len(lines))
			}
			for _, l := range lines {
				if textWidth(l, 14, false) > width && len([]rune(l)) > 2 {
					t.Errorf("wrap(%q, %v): line %q is %v px wide", s, width, l, textWidth(l, 14, false))
				}
			}
			if len(lines) < 3 && !strings.HasSuffix(strings.Join(lines, ""), "…") && strings.ReplaceAll(strings.Join(lines, " "), " ", "") != strings.ReplaceAll(s, " ", "") {
				t.Errorf("wrap(%q, %v) = %q lost text", s, width, lines)
			}
		}
	}
	if got := wrap("one two three", 1000, 14, 2); !cmp.Equal(got, []string{"one two three"}) {
		t.Errorf("wrap of a short text = %q", got)
	}
}

func TestFileName(t *testing.T) {
	c := sample(t, "tokio", "async-std")
	if got, want := FileName(c, "-full.png"), "versus-tokio-vs-async-std-full.png"; got != want {
		t.Errorf("FileName = %q, want %q", got, want)
	}
}

// The snapshot fixture must stay valid, or the page tests load nothing.
func TestFixtureIsValid(t *testing.T) {
	if err := exporttest.Index().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, d := range exporttest.Details() {
		if err := d.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	if err := exporttest.Write(dir); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, snapshot.PointerName))
	if err != nil {
		t.Fatal(err)
	}
	ptr, err := snapshot.DecodePointer(bytes.NewReader(b))
	if err != nil || ptr.Validate() != nil {
		t.Fatalf("pointer %s: %v", b, err)
	}
}
