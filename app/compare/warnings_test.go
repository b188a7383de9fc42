package compare

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/app/chart"
	"versus/app/chart/historytest"
	"versus/app/dataset"
	"versus/app/format"
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
			{Repo: "c/c", Slug: "c", Name: "c", Owner: "c", License: &snapshot.License{SPDX: "Apache-2.0"}, Stale: true, StaleReason: snapshot.StaleQuota, FetchedAt: &recent},
		}}
	c, err := New(dataset.New(idx), []string{"a", "b", "c"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	type kv struct{ Kind, Slug string }
	var got []kv
	var license, stale string
	for _, w := range c.Warnings(date.Add(time.Hour)) {
		got = append(got, kv{w.Kind, w.Slug})
		switch w.Kind {
		case "license":
			license = w.Text
		case "stale":
			stale = w.Text
		}
	}
	want := []kv{{"archived", "b"}, {"inactive", "b"}, {"stale", "c"}, {"license", ""}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(license, "b (GPL-3.0) is copyleft; a (MIT), c (Apache-2.0) are permissive") {
		t.Errorf("licence warning = %q", license)
	}
	if want := "c was not read at the last sync: the sync ran out of GitHub quota before reaching it. Its figures are from 22 Nov 2021."; stale != want {
		t.Errorf("stale warning = %q, want %q", stale, want)
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

// weekly returns a star history with a point at the start of each week
// from w0, gaining gains[i] stars in week i.
func weekly(w0 time.Time, gains ...int) []snapshot.StarPoint {
	h := []snapshot.StarPoint{{Date: w0}}
	n := 0
	for i, g := range gains {
		n += g
		h = append(h, snapshot.StarPoint{Date: w0.AddDate(0, 0, 7*(i+1)), Stars: n})
	}
	return h
}

func repeat(n, v int, more ...int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return append(out, more...)
}

func TestBursts(t *testing.T) {
	w0 := time.Date(2024, 1, 7, 0, 0, 0, 0, time.UTC)
	// Weekly points for 30 weeks, then a point a day: 200 stars on each of
	// days 2..5 of week 31, 10 on the other days.
	daily := weekly(w0, repeat(30, 40)...)
	n := daily[len(daily)-1].Stars
	for d := range 14 {
		if g := 10; d >= 2 && d < 6 {
			n += 200
		} else {
			n += g
		}
		daily = append(daily, snapshot.StarPoint{Date: w0.AddDate(0, 0, 7*30+d+1), Stars: n})
	}
	type burst struct {
		Week   string
		Stars  int
		Median float64
	}
	for _, tc := range []struct {
		name string
		h    []snapshot.StarPoint
		want []burst
	}{
		{"no history", nil, nil},
		{"over 500 and 10 × the median", weekly(w0, repeat(26, 40, 600)...), []burst{{"2024-07-07", 600, 40}}},
		{"10 × the median but under 500", weekly(w0, repeat(26, 40, 450)...), nil},
		{"over 500 but not 10 × the median", weekly(w0, repeat(26, 100, 900)...), nil},
		{"exactly 10 × the median is not more", weekly(w0, append(repeat(13, 10), repeat(13, 90, 500)...)...), nil},
		{"just over 10 × an even median", weekly(w0, append(repeat(13, 10), repeat(13, 90, 501)...)...), []burst{{"2024-07-07", 501, 50}}},
		{"a median of nothing", weekly(w0, repeat(26, 0, 500)...), []burst{{"2024-07-07", 500, 0}}},
		{"fewer than 26 weeks before: not judged", weekly(w0, repeat(25, 0, 5000)...), nil},
		{"two weeks in a row", weekly(w0, repeat(26, 40, 600, 600, 40)...), []burst{{"2024-07-07", 600, 40}, {"2024-07-14", 600, 40}}},
		{"a run of big weeks raises the median", weekly(w0, append(repeat(13, 40), repeat(14, 600)...)...), nil},
		{"the days add up to their week", daily, []burst{{"2024-08-04", 830, 40}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []burst
			for _, b := range Bursts(tc.h) {
				got = append(got, burst{b.Week.Start.Format("2006-01-02"), b.Week.Stars, b.Median})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Bursts mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBurstWarning(t *testing.T) {
	w0 := time.Date(2024, 1, 7, 0, 0, 0, 0, time.UTC)
	p := &snapshot.Project{Slug: "q", Name: "quill"}
	if _, ok := BurstWarning(p, weekly(w0, repeat(40, 30)...)); ok {
		t.Error("a steady history warns of a burst")
	}
	w, ok := BurstWarning(p, weekly(w0, repeat(26, 30, 700, 30, 30, 2000)...))
	want := "quill had an unusual star burst in the week of 28 Jul 2024: 2,000 stars, over 10× its median week (30) of the 26 weeks before. One other week did too."
	if !ok || w.Kind != "burst" || w.Slug != "q" || w.Text != want {
		t.Errorf("BurstWarning = %+v, %v, want %q", w, ok, want)
	}
}

// TestBurstOnTheFixture compares the three long histories: only quill,
// whose burst lies in its daily stretch, is warned about.
func TestBurstOnTheFixture(t *testing.T) {
	c, err := New(dataset.New(historytest.Index()), historytest.Slugs, historyDetails())
	if err != nil {
		t.Fatal(err)
	}
	var bursts []Warning
	for _, w := range c.Warnings(historytest.Date) {
		if w.Kind == "burst" {
			bursts = append(bursts, w)
		}
	}
	if len(bursts) != 1 || bursts[0].Slug != "quill" {
		t.Fatalf("burst warnings = %+v, want one for quill", bursts)
	}
	weeks := chart.WeeklyGains(historytest.History("quill"))
	var of string
	for _, w := range weeks {
		if !w.Start.After(historytest.Burst) && w.End.After(historytest.Burst) {
			of = format.Date(w.Start)
		}
	}
	if !strings.Contains(bursts[0].Text, "in the week of "+of+":") {
		t.Errorf("burst warning %q, want the week of %s", bursts[0].Text, of)
	}
}

func historyDetails() map[string]*snapshot.Detail {
	out := map[string]*snapshot.Detail{}
	for _, d := range historytest.Details() {
		out[d.Repo] = d
	}
	return out
}

// TestStaleWarningSaysWhy checks the stale warning's text for each kind of
// reason: a known one in words, none (an older snapshot) or an unknown one
// as before.
func TestStaleWarningSaysWhy(t *testing.T) {
	date := time.Date(2021, 11, 25, 12, 0, 0, 0, time.UTC)
	fetched := date.AddDate(0, 0, -1)
	for _, tc := range []struct{ reason, want string }{
		{snapshot.StaleTimeout, "x was not read at the last sync: GitHub did not answer in time. Its figures are from 24 Nov 2021."},
		{"", "x could not be read at the last sync. Its figures are from 24 Nov 2021."},
		{"<b>made up</b>", "x could not be read at the last sync. Its figures are from 24 Nov 2021."},
	} {
		p := &snapshot.Project{Repo: "x/x", Slug: "x", Name: "x", Stale: true, StaleReason: tc.reason, FetchedAt: &fetched}
		ws := ProjectWarnings(p, date)
		if len(ws) != 1 || ws[0].Kind != "stale" || ws[0].Text != tc.want {
			t.Errorf("reason %q: warnings %+v, want one stale warning %q", tc.reason, ws, tc.want)
		}
	}
}
