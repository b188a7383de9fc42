package catalog

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const cats = `categories:
  - slug: web
    name: Web
    description: Web frameworks.
  - slug: db
    name: Databases
    description: Stores.
`

func TestParseSlugs(t *testing.T) {
	c, err := Parse([]byte(cats + `projects:
  - repo: launchbadge/sqlx
    slug: sqlx
    categories: [db]
  - repo: jmoiron/sqlx
    categories: [db]
  - repo: a/log
    categories: [db]
  - repo: b/Log
    categories: [db]
  - repo: rwf2/Rocket
    categories: [web]
    alternatives: [actix/actix-web]
  - repo: actix/actix-web
    categories: [web]
`))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	var got []string
	for _, p := range c.Projects {
		got = append(got, p.Slug)
	}
	want := []string{"sqlx", "jmoiron--sqlx", "a--log", "b--log", "rocket", "actix-web"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("slugs mismatch (-want +got):\n%s", diff)
	}
	if got := c.SuggestedCount()["actix/actix-web"]; got != 1 {
		t.Errorf("SuggestedCount()[actix/actix-web] = %d, want 1", got)
	}
	if c.Projects[4].Line != 18 {
		t.Errorf("Rocket line = %d, want 18", c.Projects[4].Line)
	}
}

func TestParseProblems(t *testing.T) {
	in := cats + `  - slug: web
    name: Again
    description: Twice.
projects:
  - repo: tokio-rs/tokio
    categories: [async]
  - repo: Tokio-rs/tokio
    categories: [web]
  - repo: not a repo
    categories: [web]
  - repo: a/x-vs-y
    categories: [web]
  - repo: a/b
    slug: c
    categories: [web]
    alternatives: [nobody/here]
  - repo: x/c
    categories: [web]
    categoris: [db]
  - repo: y/c
    slug: c
    categories: [web]
`
	_, err := Parse([]byte(in))
	if err == nil {
		t.Fatal("Parse: no error, want problems")
	}
	want := []string{
		`line 8: category "web" is already defined on line 2`,
		`line 12: repo "tokio-rs/tokio": unknown category "async"`,
		`line 14: repo "Tokio-rs/tokio" is already listed on line 12`,
		`line 16: repo "not a repo" is not of the form owner/name`,
		`line 26: unknown key "categoris" (want one of repo, slug, categories, alternatives)`,
		`line 20: repo "a/b": alternative "nobody/here" is not a tracked project`,
		`line 18: repo "a/x-vs-y": its slug "x-vs-y" is not valid (set slug: explicitly)`,
		`line 27: repo "y/c": slug "c" clashes with the project on line 20`,
	}
	got := strings.Split(err.Error(), "\n")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}
	var p Problem
	if !errors.As(err, &p) || p.Line != 8 {
		t.Errorf("errors.As(err, Problem) = %v, want line 8", p)
	}
}

func TestLoadRepoCatalog(t *testing.T) {
	c, err := Load("../catalog.yaml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(c.Projects) < 164 || len(c.Categories) < 10 {
		t.Errorf("catalog has %d projects in %d categories, want at least 164 in 10", len(c.Projects), len(c.Categories))
	}
	if p, ok := c.ByRepo("launchbadge/sqlx"); !ok || p.Slug != "sqlx" {
		t.Errorf("ByRepo(launchbadge/sqlx) = %+v, %v; want slug sqlx", p, ok)
	}
}
