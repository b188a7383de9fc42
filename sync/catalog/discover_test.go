package catalog

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const handListed = `projects:
  - repo: launchbadge/sqlx
    categories: [db]
  - repo: tokio-rs/axum
    categories: [web]
`

func TestParseRules(t *testing.T) {
	c, err := Parse([]byte(cats + handListed + `discover:
  - topic: Rust
    min_stars: 1000
    category: web
    max: 500
  - language: Go
    min_stars: 5000
  - language: Common Lisp
    min_stars: 10
`))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []Rule{
		{Topic: "rust", MinStars: 1000, Category: "web", Max: 500, Line: 14},
		{Language: "Go", MinStars: 5000, Max: 1000, Line: 18},
		{Language: "Common Lisp", MinStars: 10, Max: 1000, Line: 20},
	}
	if diff := cmp.Diff(want, c.Discover); diff != "" {
		t.Errorf("rules mismatch (-want +got):\n%s", diff)
	}
	for i, q := range []string{"topic:rust", "language:Go", `language:"Common Lisp"`} {
		if got := c.Discover[i].Qualifiers(); got != q {
			t.Errorf("rule %d Qualifiers() = %q, want %q", i, got, q)
		}
	}
}

func TestParseRuleProblems(t *testing.T) {
	_, err := Parse([]byte(cats + handListed + `discover:
  - min_stars: 10
  - topic: "has space"
    min_stars: 10
  - language: 'Go stars:>1'
    min_stars: 10
  - topic: go
  - topic: go
    min_stars: 10
    max: 0
  - topic: go
    min_stars: 10
    category: nope
  - topic: go
    min_star: 10
`))
	if err == nil {
		t.Fatal("Parse of bad rules = nil error")
	}
	for _, w := range []string{
		"line 14: a discover rule needs a topic or a language",
		`line 15: topic "has space" is not lowercase letters`,
		`line 17: language "Go stars:>1" holds a quote, a colon`,
		"line 19: a discover rule needs min_stars of at least 1",
		"line 20: max 0 is outside 1 to 20000",
		`line 23: discover: unknown category "nope"`,
		`line 27: unknown key "min_star"`,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("Parse error = %v\nwant it to say %q", err, w)
		}
	}
}

func TestWithDiscovered(t *testing.T) {
	c, err := Parse([]byte(cats + handListed + `discover:
  - topic: rust
    min_stars: 100
    category: web
    max: 3
  - language: Rust
    min_stars: 100
    category: db
`))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	got := c.WithDiscovered([][]string{
		// sqlx is listed by hand; someone/axum clashes with axum's slug; the
		// fourth is past the rule's max.
		{"LaunchBadge/SQLx", "someone/axum", "a/new", "past/max"},
		{"a/new", "b/other", "not a repo", "c/New"},
	})
	type row struct {
		Repo, Slug string
		Categories []string
		Discovered bool
	}
	var rows []row
	for _, p := range got.Projects {
		rows = append(rows, row{p.Repo, p.Slug, p.Categories, p.Discovered})
	}
	want := []row{
		{"launchbadge/sqlx", "sqlx", []string{"db"}, false},
		{"tokio-rs/axum", "axum", []string{"web"}, false},
		{"someone/axum", "someone--axum", []string{"web"}, true},
		{"a/new", "new", []string{"web", "db"}, true},
		{"b/other", "other", []string{"db"}, true},
		{"c/New", "c--new", []string{"db"}, true},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("WithDiscovered mismatch (-want +got):\n%s", diff)
	}
	if len(c.Projects) != 2 {
		t.Errorf("WithDiscovered changed the catalog it was called on: %d projects", len(c.Projects))
	}
}
