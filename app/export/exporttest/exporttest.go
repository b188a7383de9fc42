// Package exporttest makes a small snapshot whose text is hard to render:
// quotes, ampersands, angle brackets, Markdown and CSV syntax, spreadsheet
// formulas, GitHub mentions and issue references, and non-Latin scripts (CJK, Greek, Cyrillic, Arabic, emoji). Tests
// of the export formats and of the pages use it.
package exporttest

import (
	"time"

	"versus/sync/snapshot"
	"versus/sync/store"
)

// Date is when the snapshot was generated.
var Date = time.Date(2026, 1, 15, 6, 0, 0, 0, time.UTC)

// Slugs are the projects of the snapshot, in the order of the index.
var Slugs = []string{"quote", "nihongo", "ellinika", "arabiya", "emoji", "formula"}

// Index returns the snapshot's index; it passes Validate.
func Index() *snapshot.Index {
	day := func(n int) *time.Time { t := Date.AddDate(0, 0, -n); return &t }
	i := func(n int) *int { return &n }
	f := func(x float64) *float64 { return &x }
	ps := []snapshot.Project{
		{Repo: "acme/quote", Slug: "quote", Name: "quote", Owner: "acme",
			Description: `He said "hello" & left <b>bold</b> | a pipe, it's 'quoted'`,
			Language:    "C++ & <Go>", License: &snapshot.License{SPDX: "MIT", Name: `"Fancy" | <License> & co`},
			Stars: i(13967), Growth: f(3.8), Activity: f(9.6), LastCommit: day(6), Mentions: i(70), Forks: i(1200),
			OpenIssues: i(30), Contributors: i(400), Release: &snapshot.Release{Tag: "v1.0.0 <rc> & \"final\"", Date: *day(40)}},
		{Repo: "acme/nihongo", Slug: "nihongo", Name: "nihongo", Owner: "acme",
			Description: "日本語のライブラリ：高速で安全な非同期ランタイム。中文说明也在这里，한국어 설명도 있습니다。",
			Language:    "Rust", License: &snapshot.License{SPDX: "Apache-2.0", Name: "Apache License 2.0"},
			Stars: i(3056), Growth: f(1.6), Activity: f(5.5), LastCommit: day(19), Mentions: i(13), Forks: i(300)},
		{Repo: "acme/ellinika", Slug: "ellinika", Name: "ellinika", Owner: "acme",
			Description: "Ελληνικά: γρήγορη βιβλιοθήκη — и Кириллица тоже",
			Language:    "Go", Stars: i(870), Growth: f(-2.5), Activity: f(0), LastCommit: day(400), Mentions: i(2)},
		{Repo: "acme/arabiya", Slug: "arabiya", Name: "arabiya", Owner: "acme",
			Description: "مكتبة عربية للشبكات (Arabic, right to left), thanks @someone, fixes #123",
			Stars:       i(12), Mentions: i(0)},
		{Repo: "acme/emoji", Slug: "emoji", Name: "emoji", Owner: "acme",
			Description: "🚀 fast\nmultiline *markdown* _chars_ `code` [link](x) ~strike~ \\ backslash, a\ttab",
			Language:    "TypeScript", Stars: i(42000), Growth: f(12.25), Activity: f(7.1), LastCommit: day(0), Mentions: i(5)},
		{Repo: "acme/formula", Slug: "formula", Name: "formula", Owner: "acme",
			Description: `=HYPERLINK("http://example.com","click")`,
			Language:    "-Python", Stars: i(5), Mentions: i(1), Alternatives: []string{"quote"}},
	}
	return &snapshot.Index{
		SchemaVersion: snapshot.SchemaVersion,
		ID:            snapshot.NewID(Date),
		GeneratedAt:   Date,
		Note:          "Synthetic test data.",
		Categories:    []snapshot.Category{},
		Projects:      ps,
	}
}

// Details returns the details of every project; quote and nihongo have a
// star history, the others none.
func Details() []*snapshot.Detail {
	var out []*snapshot.Detail
	for _, p := range Index().Projects {
		d := &snapshot.Detail{SchemaVersion: snapshot.SchemaVersion, Repo: p.Repo, Posts: []snapshot.Post{}}
		switch p.Slug {
		case "quote":
			d.StarHistory = history(11000, 13967, 12)
		case "nihongo":
			d.StarHistory = history(2500, 3056, 8)
		}
		out = append(out, d)
	}
	return out
}

// history rises from 'from' to 'to' stars over n weekly points ending at Date.
func history(from, to, n int) []snapshot.StarPoint {
	out := make([]snapshot.StarPoint, n)
	for k := range n {
		out[k] = snapshot.StarPoint{
			Date:  Date.AddDate(0, 0, -7*(n-1-k)),
			Stars: from + (to-from)*k*k/((n-1)*(n-1)),
		}
	}
	return out
}

// Write publishes the snapshot to the folder dir as the sync does.
func Write(dir string) error {
	return store.PublishFolder(dir, store.Snapshot{Index: Index(), Details: Details()})
}
