package compare

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/app/dataset"
	"versus/sync/snapshot"
)

// sample loads the bundled sample snapshot, the seed page's data.
func sample(t *testing.T) *dataset.Set {
	t.Helper()
	dir := filepath.Join("..", "..", "web", "data")
	l := dataset.NewLoader(func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, name)) }, 0)
	s, err := l.Load()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSeedComparison(t *testing.T) {
	c, err := New(sample(t), []string{"tokio", "async-std"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	best := map[string][]bool{}
	for _, r := range c.Rows {
		for _, cell := range r.Cells {
			got[r.Key] = append(got[r.Key], cell.Text)
			best[r.Key] = append(best[r.Key], cell.Best)
		}
	}
	want := map[string][]string{
		"mentions":     {"70", "13"},
		"stars":        {"13,967", "3,056"},
		"growth":       {"3.8%", "1.6%"},
		"stars_recent": {"– / 511", "– / 48"},
		"activity":     {"9.6", "5.5"},
		"last_commit":  {"6 days ago", "19 days ago"},
		"language":     {"Rust", "Rust"},
		"license":      {"MIT License", "Apache License 2.0 or MIT License"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows mismatch (-want +got):\n%s", diff)
	}
	for _, k := range []string{"mentions", "stars", "growth", "stars_recent", "activity", "last_commit"} {
		if !best[k][0] || best[k][1] {
			t.Errorf("row %s: best = %v, want tokio only", k, best[k])
		}
	}
	if best["language"][0] || best["language"][1] {
		t.Errorf("language row marks a winner")
	}
	if got, want := c.Title(), "tokio vs async-std"; got != want {
		t.Errorf("Title() = %q, want %q", got, want)
	}
	var alts []string
	for _, a := range c.Alternatives {
		alts = append(alts, a.Slug)
	}
	wantAlts := []string{"rayon", "rocket", "sqlx", "smol", "hyper", "bevy", "warp", "reqwest", "actix-web", "winit", "sled", "async-std-hyper"}
	if diff := cmp.Diff(wantAlts, alts); diff != "" {
		t.Errorf("alternatives mismatch (-want +got):\n%s", diff)
	}
}

func TestUnknownSlug(t *testing.T) {
	_, err := New(sample(t), []string{"tokoi", "async-std"}, nil)
	var u *UnknownError
	if !errors.As(err, &u) {
		t.Fatalf("New(tokoi) error = %v, want *UnknownError", err)
	}
	if u.Slug != "tokoi" || len(u.Closest) == 0 || u.Closest[0].Slug != "tokio" {
		t.Errorf("UnknownError = %+v, want slug tokoi with tokio first", u)
	}
}

func TestParsePath(t *testing.T) {
	for _, tc := range []struct {
		path    string
		want    []string
		wantErr bool
	}{
		{"/compare/tokio-vs-async-std", []string{"tokio", "async-std"}, false},
		{"/compare/Tokio-vs-async-std/", []string{"tokio", "async-std"}, false},
		{"/compare/a-vs-b-vs-c-vs-d-vs-e-vs-f", []string{"a", "b", "c", "d", "e", "f"}, false},
		{"/compare/a-vs-a-vs-b", []string{"a", "b"}, false},
		{"/compare/tokio", []string{"tokio"}, true},
		{"/compare/a-vs-b-vs-c-vs-d-vs-e-vs-f-vs-g", []string{"a", "b", "c", "d", "e", "f", "g"}, true},
		{"/compare/", nil, true},
		{"/elsewhere/a-vs-b", nil, true},
	} {
		got, err := ParsePath(tc.path)
		if (err != nil) != tc.wantErr || !cmp.Equal(got, tc.want) {
			t.Errorf("ParsePath(%q) = %q, %v; want %q, error %v", tc.path, got, err, tc.want, tc.wantErr)
		}
	}
	if got := Path("tokio", "async-std"); got != "/compare/tokio-vs-async-std" {
		t.Errorf("Path = %q", got)
	}
}

func TestMarkBest(t *testing.T) {
	known := func(v float64) Cell { return Cell{Known: true, value: v} }
	for _, tc := range []struct {
		name   string
		cells  []Cell
		better int
		want   []bool
	}{
		{"higher wins", []Cell{known(1), known(3), known(2)}, +1, []bool{false, true, false}},
		{"lower wins", []Cell{known(1), known(3)}, -1, []bool{true, false}},
		{"ties share", []Cell{known(3), known(3), known(1)}, +1, []bool{true, true, false}},
		{"all equal: none", []Cell{known(3), known(3)}, +1, []bool{false, false}},
		{"unknown never wins", []Cell{{}, known(-5), known(-9)}, +1, []bool{false, true, false}},
		{"one known: none", []Cell{{}, known(2)}, +1, []bool{false, false}},
		{"no direction", []Cell{known(1), known(2)}, 0, []bool{false, false}},
	} {
		markBest(tc.cells, tc.better)
		var got []bool
		for _, c := range tc.cells {
			got = append(got, c.Best)
		}
		if !cmp.Equal(got, tc.want) {
			t.Errorf("%s: best = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestRowsHideAllUnknownOptional(t *testing.T) {
	stars := 5
	idx := &snapshot.Index{SchemaVersion: 1, ID: "2021-11-25T12-00-00Z", GeneratedAt: time.Date(2021, 11, 25, 12, 0, 0, 0, time.UTC),
		Projects: []snapshot.Project{
			{Repo: "a/a", Slug: "a", Name: "a", Owner: "a", Stars: &stars},
			{Repo: "b/b", Slug: "b", Name: "b", Owner: "b"},
		}}
	c, err := New(dataset.New(idx), []string{"a", "b"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range c.Rows {
		keys = append(keys, r.Key)
	}
	want := []string{"mentions", "stars", "growth", "stars_recent", "activity", "last_commit", "language", "license"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("rows mismatch (-want +got):\n%s", diff)
	}
}

// TestRowsCarryRawValuesAndCommits checks the raw values of each row and the
// weekly commits row built from the details: total, sparkline and best.
func TestRowsCarryRawValuesAndCommits(t *testing.T) {
	date := time.Date(2021, 11, 25, 12, 0, 0, 0, time.UTC)
	stars, growth := 5, -2.5
	last := date.AddDate(0, 0, -3)
	idx := &snapshot.Index{SchemaVersion: 1, ID: "2021-11-25T12-00-00Z", GeneratedAt: date,
		Projects: []snapshot.Project{
			{Repo: "a/a", Slug: "a", Name: "a", Owner: "a", Stars: &stars, Growth: &growth, LastCommit: &last,
				License: &snapshot.License{SPDX: "MIT", Name: ""}, Release: &snapshot.Release{Tag: "v1", Date: last}},
			{Repo: "b/b", Slug: "b", Name: "b", Owner: "b"},
			{Repo: "c/c", Slug: "c", Name: "c", Owner: "c"},
		}}
	start := date.AddDate(0, 0, -7*3)
	details := map[string]*snapshot.Detail{
		"a/a": {Repo: "a/a", Commits: &snapshot.Weekly{Start: start, Counts: []int{1, 2, 3, 99}}}, // the last week starts after date
		"b/b": {Repo: "b/b", Commits: &snapshot.Weekly{Start: start, Counts: []int{4, 4, 4}}},
	}
	c, err := New(dataset.New(idx), []string{"a", "b", "c"}, details)
	if err != nil {
		t.Fatal(err)
	}
	type raw struct {
		Fields []Field
		Raw    [][]string
		Text   []string
		Best   []bool
		Spark  [][]int
	}
	got := map[string]raw{}
	for _, r := range c.Rows {
		x := raw{Fields: r.Fields}
		for _, cell := range r.Cells {
			x.Raw = append(x.Raw, cell.Raw)
			x.Text = append(x.Text, cell.Text)
			x.Best = append(x.Best, cell.Best)
			x.Spark = append(x.Spark, cell.Spark)
		}
		got[r.Key] = x
	}
	for _, tc := range []struct {
		key  string
		want raw
	}{
		{"stars", raw{Fields: []Field{{Name: "stars"}}, Raw: [][]string{{"5"}, {""}, {""}}, Text: []string{"5", "–", "–"}, Best: []bool{false, false, false}, Spark: [][]int{nil, nil, nil}}},
		{"growth", raw{Fields: []Field{{Name: "growth_percent"}}, Raw: [][]string{{"-2.5"}, {""}, {""}}, Text: []string{"-2.5%", "–", "–"}, Best: []bool{false, false, false}, Spark: [][]int{nil, nil, nil}}},
		{"last_commit", raw{Fields: []Field{{Name: "last_commit"}}, Raw: [][]string{{"2021-11-22T12:00:00Z"}, {""}, {""}}, Text: []string{"3 days ago", "–", "–"}, Best: []bool{false, false, false}, Spark: [][]int{nil, nil, nil}}},
		{"license", raw{Fields: []Field{{Name: "license", Text: true}, {Name: "license_spdx", Text: true}}, Raw: [][]string{{"", "MIT"}, {"", ""}, {"", ""}}, Text: []string{"MIT", "–", "–"}, Best: []bool{false, false, false}, Spark: [][]int{nil, nil, nil}}},
		{"release", raw{Fields: []Field{{Name: "release_tag", Text: true}, {Name: "release_date"}}, Raw: [][]string{{"v1", "2021-11-22T12:00:00Z"}, {"", ""}, {"", ""}}, Text: []string{"v1 · 3 days ago", "–", "–"}, Best: []bool{false, false, false}, Spark: [][]int{nil, nil, nil}}},
		{"commits", raw{Fields: []Field{{Name: "commits"}}, Raw: [][]string{{"6"}, {"12"}, {""}}, Text: []string{"6", "12", "–"}, Best: []bool{false, true, false}, Spark: [][]int{{1, 2, 3}, {4, 4, 4}, nil}}},
	} {
		if diff := cmp.Diff(tc.want, got[tc.key]); diff != "" {
			t.Errorf("row %s mismatch (-want +got):\n%s", tc.key, diff)
		}
	}
	if c.Stars[0].Name != "a" || c.Commits[1].Weekly != details["b/b"].Commits || c.Stars[2].History != nil {
		t.Errorf("chart series = %+v, %+v", c.Stars, c.Commits)
	}
	if one, err := One(dataset.New(idx), "c", details); err != nil || one.Rows[len(one.Rows)-1].Key == "commits" {
		t.Errorf("One(c), without commits, has a commits row (error %v)", err)
	}
	if one, err := One(dataset.New(idx), "b", details); err != nil || one.Rows[len(one.Rows)-1].Key != "commits" || one.Rows[len(one.Rows)-1].Cells[0].Best {
		t.Errorf("One(b), with commits, lacks the commits row or marks it best (error %v)", err)
	}
}

func TestOne(t *testing.T) {
	s := sample(t)
	c, err := One(s, "tokio", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Projects) != 1 || c.Title() != "tokio" || len(c.Stars) != 1 {
		t.Fatalf("One(tokio) = %d projects, title %q, %d series", len(c.Projects), c.Title(), len(c.Stars))
	}
	// The rows of the two-project comparison, for tokio alone, none best.
	two, err := New(s, []string{"tokio", "async-std"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Rows) != len(two.Rows) {
		t.Fatalf("One(tokio) has %d rows, the comparison %d", len(c.Rows), len(two.Rows))
	}
	for i, r := range c.Rows {
		if r.Key != two.Rows[i].Key || r.Cells[0].Text != two.Rows[i].Cells[0].Text || r.Cells[0].Best {
			t.Errorf("row %d = %s %q (best %v), want %s %q", i, r.Key, r.Cells[0].Text, r.Cells[0].Best, two.Rows[i].Key, two.Rows[i].Cells[0].Text)
		}
	}
	if len(c.Alternatives) == 0 {
		t.Error("One(tokio) has no alternatives")
	}
	var u *UnknownError
	if _, err := One(s, "tokoi", nil); !errors.As(err, &u) {
		t.Errorf("One(tokoi) error = %v, want *UnknownError", err)
	}
}

// TestRecentStarsRow checks the row of the stars of the last 7 and 30 days:
// both figures in one cell, unknown as a dash, the most in 30 days best, and
// a cell that knows only its 7 days never best.
func TestRecentStarsRow(t *testing.T) {
	n := func(v int) *int { return &v }
	for _, tc := range []struct {
		name  string
		ps    [][2]*int // 7 days, 30 days
		texts []string
		best  []bool
		raw   [][]string
	}{
		{"both known", [][2]*int{{n(1200), n(4100)}, {n(80), n(350)}}, []string{"1,200 / 4,100", "80 / 350"}, []bool{true, false}, [][]string{{"1200", "4100"}, {"80", "350"}}},
		{"unknown", [][2]*int{{nil, nil}, {n(3), n(9)}}, []string{"–", "3 / 9"}, []bool{false, false}, [][]string{{"", ""}, {"3", "9"}}},
		{"30 days unknown: not ranked", [][2]*int{{n(900), nil}, {n(3), n(9)}, {n(1), n(5)}}, []string{"900 / –", "3 / 9", "1 / 5"}, []bool{false, true, false}, [][]string{{"900", ""}, {"3", "9"}, {"1", "5"}}},
		{"a tie: no winner", [][2]*int{{n(1), n(9)}, {n(3), n(9)}}, []string{"1 / 9", "3 / 9"}, []bool{false, false}, [][]string{{"1", "9"}, {"3", "9"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idx := &snapshot.Index{SchemaVersion: 1, ID: "x", GeneratedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			var slugs []string
			for i, p := range tc.ps {
				s := string(rune('a' + i))
				idx.Projects = append(idx.Projects, snapshot.Project{Repo: s + "/" + s, Slug: s, Name: s, Owner: s, Stars7d: p[0], Stars30d: p[1]})
				slugs = append(slugs, s)
			}
			c, err := New(dataset.New(idx), slugs, nil)
			if err != nil {
				t.Fatal(err)
			}
			var texts []string
			var best []bool
			var raw [][]string
			for _, r := range c.Rows {
				if r.Key != "stars_recent" {
					continue
				}
				if diff := cmp.Diff([]Field{{Name: "stars_7d"}, {Name: "stars_30d"}}, r.Fields); diff != "" {
					t.Errorf("fields mismatch (-want +got):\n%s", diff)
				}
				for _, cell := range r.Cells {
					texts, best, raw = append(texts, cell.Text), append(best, cell.Best), append(raw, cell.Raw)
				}
			}
			if diff := cmp.Diff(tc.texts, texts); diff != "" {
				t.Errorf("texts mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.best, best); diff != "" {
				t.Errorf("best mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.raw, raw); diff != "" {
				t.Errorf("raw mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
