//go:build !(js && wasm)

package main

import (
	"os"
	"testing"
	"time"

	"versus/sync/snapshot"
	"versus/sync/store"
)

// syntheticDate is when the synthetic snapshot was generated: in the past,
// so the "data older than a day" warning shows.
var syntheticDate = time.Date(2026, 1, 10, 6, 0, 0, 0, time.UTC)

// syntheticSnapshot is a snapshot with everything the sample lacks: star
// history, weekly commits, an archived and inactive project, licences of
// different kinds, topics, releases and posts.
func syntheticSnapshot() (*snapshot.Index, []*snapshot.Detail) {
	date := syntheticDate
	days := func(n int) *time.Time { return ptr(date.AddDate(0, 0, -n)) }
	cat := []snapshot.Category{{Slug: "runtime", Name: "Runtimes", Description: "Things that run things."}}
	mk := func(name string, stars int, growth, activity float64, last *time.Time, spdx, lname string, alts ...string) snapshot.Project {
		p := snapshot.Project{
			Repo: "acme/" + name, Slug: name, Name: name, Owner: "acme",
			Description: "The " + name + " runtime for asynchronous things.", Homepage: "https://" + name + ".example.org",
			Language: "Rust", Topics: []string{"async", name}, Categories: []string{"runtime"},
			Stars: ptr(stars), Stars7d: ptr(stars / 200), Stars30d: ptr(stars / 40), Growth: ptr(growth), Activity: ptr(activity), LastCommit: last,
			Created: days(2000), Forks: ptr(stars / 10), OpenIssues: ptr(stars / 50), Contributors: ptr(stars / 100),
			Release: &snapshot.Release{Tag: "v1." + name, Date: date.AddDate(0, -1, 0)}, Mentions: ptr(stars / 300),
			Alternatives: alts, FetchedAt: ptr(date),
		}
		if spdx != "" {
			p.License = &snapshot.License{SPDX: spdx, Name: lname}
		}
		return p
	}
	projects := []snapshot.Project{
		mk("alpha", 20000, 4.2, 9.1, days(2), "MIT", "MIT License", "beta", "gamma", "delta", "epsilon"),
		mk("beta", 8000, 0.1, 1.2, days(800), "GPL-3.0", "GNU General Public License v3.0", "alpha", "gamma"),
		mk("gamma", 3000, 12.5, 7.7, days(20), "Apache-2.0 OR MIT", "Apache License 2.0 or MIT License", "alpha", "delta"),
		mk("delta", 500, 2.0, 5.0, days(5), "MPL-2.0", "Mozilla Public License 2.0", "alpha"),
		mk("epsilon", 50, 0, 0.5, days(90), "", "", "alpha"),
	}
	projects[1].Archived = true
	idx := &snapshot.Index{
		SchemaVersion: snapshot.SchemaVersion, ID: snapshot.NewID(date), GeneratedAt: date,
		Categories: cat, Projects: projects,
	}
	var details []*snapshot.Detail
	for i, p := range projects {
		d := &snapshot.Detail{SchemaVersion: snapshot.SchemaVersion, Repo: p.Repo}
		// Star history: weekly records, older projects recorded longer.
		weeks := []int{150, 260, 52, 8, 0}[i]
		for w := range weeks {
			frac := float64(w+1) / float64(weeks)
			d.StarHistory = append(d.StarHistory, snapshot.StarPoint{
				Date:  date.AddDate(0, 0, -7*(weeks-1-w)),
				Stars: int(float64(*p.Stars) * frac * frac),
			})
		}
		if i < 4 {
			start := date.AddDate(0, 0, -7*60)
			start = start.AddDate(0, 0, -int(start.Weekday())) // a Sunday
			d.Commits = &snapshot.Weekly{Start: start}
			for w := range 60 {
				d.Commits.Counts = append(d.Commits.Counts, (w*(i+3))%17+[]int{20, 0, 8, 3}[i])
			}
		}
		d.Posts = []snapshot.Post{{
			Title: "Show HN: " + p.Name, URL: "https://news.ycombinator.com/item?id=" + p.Name,
			Date: date.AddDate(0, 0, -10), Points: ptr(42), Comments: ptr(7), Projects: 1, Mentions: []string{p.Repo},
			Excerpt: "We built " + p.Name + ".",
		}}
		details = append(details, d)
	}
	return idx, details
}

// writeSnapshot publishes idx and its details to the folder dir as the sync
// does; it fails unless they are valid.
func writeSnapshot(t testing.TB, dir string, idx *snapshot.Index, details []*snapshot.Detail) {
	t.Helper()
	if err := store.PublishFolder(dir, store.Snapshot{Index: idx, Details: details}); err != nil {
		t.Fatalf("the test snapshot: %v", err)
	}
}

// TestSyntheticSnapshot checks the synthetic snapshot is valid. With
// VERSUS_SYNTHETIC=<dir> it also writes it there, to look at by hand:
// go run ./app -data <dir>.
func TestSyntheticSnapshot(t *testing.T) {
	dir := t.TempDir()
	if keep := os.Getenv("VERSUS_SYNTHETIC"); keep != "" {
		dir = keep
	}
	idx, details := syntheticSnapshot()
	writeSnapshot(t, dir, idx, details)
}
