package compare

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/app/dataset"
	"versus/sync/snapshot"
)

func TestKind(t *testing.T) {
	for _, tc := range []struct {
		spdx string
		want LicenseKind
	}{
		{"MIT", KindPermissive},
		{"Apache-2.0", KindPermissive},
		{"BSD-3-Clause", KindPermissive},
		{"Apache-2.0 OR MIT", KindPermissive},
		{"GPL-3.0-only", KindCopyleft},
		{"GPL-2.0+", KindCopyleft},
		{"AGPL-3.0-or-later", KindCopyleft},
		{"LGPL-2.1", KindWeakCopyleft},
		{"MPL-2.0", KindWeakCopyleft},
		{"GPL-2.0 WITH Classpath-exception-2.0", KindWeakCopyleft},
		{"MIT OR GPL-3.0", KindPermissive},
		{"MIT AND GPL-3.0", KindCopyleft},
		{"(MIT OR Apache-2.0) AND Unicode-DFS-2016", KindPermissive},
		{"CC0-1.0", KindPublicDomain},
		{"Unlicense", KindPublicDomain},
		{"NOASSERTION", KindUnknown},
		{"", KindUnknown},
		{"<script>", KindUnknown},
	} {
		if got := Kind(tc.spdx); got != tc.want {
			t.Errorf("Kind(%q) = %v, want %v", tc.spdx, got, tc.want)
		}
	}
}

func TestWarnings(t *testing.T) {
	date := time.Date(2021, 11, 25, 12, 0, 0, 0, time.UTC)
	old := date.AddDate(-2, 0, 0)
	recent := date.AddDate(0, 0, -3)
	idx := &snapshot.Index{SchemaVersion: 1, ID: "2021-11-25T12-00-00Z", GeneratedAt: date,
		Projects: []snapshot.Project{
			{Repo: "a/a", Slug: "a", Name: "a", Owner: "a", License: &snapshot.License{SPDX: "MIT"}, LastCommit: &recent},
			{Repo: "b/b", Slug: "b", Name: "b", Owner: "b", License: &snapshot.License{SPDX: "GPL-3.0"}, Archived: true, LastCommit: &old},
			{Repo: "c/c", Slug: "c", Name: "c", Owner: "c", License: &snapshot.License{SPDX: "Apache-2.0"}, Stale: true, FetchedAt: &recent},
		}}
	c, err := New(dataset.New(idx), []string{"a", "b", "c"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	type kv struct{ Kind, Slug string }
	var got []kv
	var license string
	for _, w := range c.Warnings(date.Add(time.Hour)) {
		got = append(got, kv{w.Kind, w.Slug})
		if w.Kind == "license" {
			license = w.Text
		}
	}
	want := []kv{{"archived", "b"}, {"inactive", "b"}, {"stale", "c"}, {"license", ""}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(license, "b (GPL-3.0) is copyleft; a (MIT), c (Apache-2.0) are permissive") {
		t.Errorf("licence warning = %q", license)
	}
	ws := c.Warnings(date.Add(25 * time.Hour))
	if last := ws[len(ws)-1]; last.Kind != "old-data" || !strings.Contains(last.Text, "25 Nov 2021") {
		t.Errorf("a day later, last warning = %+v, want old-data", last)
	}
}

func TestFactsAndMetrics(t *testing.T) {
	s := sample(t)
	one, err := One(s, "tokio", nil)
	if err != nil {
		t.Fatal(err)
	}
	rows := one.Rows
	if len(rows) == 0 || rows[1].Key != "stars" || rows[1].Cells[0].Text != "13,967" || rows[1].Cells[0].Best {
		t.Errorf("One(tokio).Rows = %+v", rows)
	}
	for _, m := range Metrics() {
		if m.Help == "" || m.Source == "" || m.Key == "" {
			t.Errorf("metric %+v lacks a help or a source", m)
		}
	}
}

func TestCandidates(t *testing.T) {
	s := sample(t)
	for _, tc := range []struct {
		q       string
		exclude []string
		want    []string
	}{
		{"", nil, nil},
		{"ro", nil, []string{"rocket"}},
		{"async", []string{"tokio"}, []string{"async-std", "async-std-hyper", "sqlx"}},
		{"async", []string{"async-std"}, []string{"async-std-hyper", "tokio", "sqlx"}},
		{"TOKIO", nil, []string{"tokio"}},
		{"zzzz", nil, nil},
	} {
		var got []string
		for _, p := range Candidates(s, tc.q, tc.exclude, 3) {
			got = append(got, p.Slug)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Candidates(%q, %q) mismatch (-want +got):\n%s", tc.q, tc.exclude, diff)
		}
	}
}
