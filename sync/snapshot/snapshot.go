// Package snapshot is the contract between the sync job and the app: the
// types of a published snapshot, their validation and their JSON encoding.
//
// It uses the standard library only, so that it builds for WebAssembly.
//
// A snapshot is a set of objects under a store prefix:
//
//	latest.json                          Pointer (tiny, never cached)
//	snapshots/<id>/index.json            Index: every project, compact
//	snapshots/<id>/index.bin             the same Index for the browser (package indexbin)
//	snapshots/<id>/p/<owner>/<repo>.json Detail: posts, commits, star history
package snapshot

import (
	"strings"
	"time"
)

// SchemaVersion is the version of the layout described by this package.
// Readers refuse any other version.
const SchemaVersion = 1

// PointerName is the object name of the pointer to the live snapshot.
const PointerName = "latest.json"

// Pointer names the live snapshot. It is the only object ever overwritten.
type Pointer struct {
	SchemaVersion int       `json:"schema_version"`
	ID            string    `json:"id"`
	GeneratedAt   time.Time `json:"generated_at"`
	Index         string    `json:"index"`    // object name of the Index
	Projects      int       `json:"projects"` // number of projects in the Index
	// IndexBin is the object name of the Index in binary form (package
	// indexbin), which the browser reads instead; empty in snapshots
	// written before it existed.
	IndexBin string `json:"index_bin,omitempty"`
}

// Index holds every project of a snapshot, with all that browsing, filtering
// and the compare table need.
type Index struct {
	SchemaVersion int        `json:"schema_version"`
	ID            string     `json:"id"`
	GeneratedAt   time.Time  `json:"generated_at"`
	Note          string     `json:"note,omitempty"` // e.g. that the data is a sample
	Categories    []Category `json:"categories"`
	Projects      []Project  `json:"projects"`
}

// Category groups projects that do the same job.
type Category struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Project is one tracked repository. Pointers are nil when the figure is
// unknown: unknown is never 0.
type Project struct {
	Repo         string     `json:"repo"` // "tokio-rs/tokio"
	Slug         string     `json:"slug"` // "tokio", or "owner--repo" when names clash
	Name         string     `json:"name"`
	Owner        string     `json:"owner"`
	Description  string     `json:"description"`
	Homepage     string     `json:"homepage"`
	Language     string     `json:"language"`
	License      *License   `json:"license"`
	Topics       []string   `json:"topics"`
	Categories   []string   `json:"categories"`
	Stars        *int       `json:"stars"`
	Growth       *float64   `json:"growth"` // % month over month
	Stars7d      *int       `json:"stars_7d"`
	Stars30d     *int       `json:"stars_30d"`
	Activity     *float64   `json:"activity"` // 0–10, one decimal
	LastCommit   *time.Time `json:"last_commit"`
	Created      *time.Time `json:"created"`
	Archived     bool       `json:"archived"`
	Forks        *int       `json:"forks"`
	OpenIssues   *int       `json:"open_issues"`
	Contributors *int       `json:"contributors"`
	Release      *Release   `json:"release"`
	Mentions     *int       `json:"mentions"`
	Alternatives []string   `json:"alternatives"` // slugs, best first
	FetchedAt    *time.Time `json:"fetched_at"`   // last good fetch from GitHub
	Stale        bool       `json:"stale"`        // the last fetch failed; figures are from FetchedAt
	// StaleReason says why a stale project was not read, one of the
	// Stale* reasons (StaleMessage says it in words); omitted when the
	// project is fresh, and in snapshots written before it existed.
	StaleReason string `json:"stale_reason,omitempty"`
}

// Why a project is stale: the values of Project.StaleReason.
const (
	StaleQuota       = "quota"       // the token's quota ran out before the sync reached it
	StaleRateLimit   = "rate_limit"  // a GitHub rate limit lasted longer than the sync waits
	StaleTimeout     = "timeout"     // GitHub did not answer in time
	StaleError       = "error"       // GitHub answered with an error, or an answer that could not be read
	StaleInterrupted = "interrupted" // the sync was stopped before it was read
	// StaleNotCollected: no task of a sharded sync collected it (their
	// catalogs differed).
	StaleNotCollected = "not_collected"
)

var staleMessages = map[string]string{
	StaleQuota:        "the sync ran out of GitHub quota before reaching it",
	StaleRateLimit:    "GitHub's rate limit lasted longer than the sync could wait",
	StaleTimeout:      "GitHub did not answer in time",
	StaleError:        "GitHub's answer was an error",
	StaleInterrupted:  "the sync was stopped before reaching it",
	StaleNotCollected: "no task of the sync collected it",
}

// StaleMessage returns why a project is stale, in words (lowercase, no
// final stop), and false for a reason it does not know.
func StaleMessage(reason string) (string, bool) {
	m, ok := staleMessages[reason]
	return m, ok
}

// License is a repository's licence as GitHub detects it.
type License struct {
	SPDX string `json:"spdx"` // "MIT", "Apache-2.0 OR MIT"
	Name string `json:"name"` // "MIT License"
}

// Release is the newest published release.
type Release struct {
	Tag  string    `json:"tag"`
	Date time.Time `json:"date"`
}

// Detail is what a project page loads on demand.
type Detail struct {
	SchemaVersion int         `json:"schema_version"`
	Repo          string      `json:"repo"`
	Posts         []Post      `json:"posts"` // newest first
	Commits       *Weekly     `json:"commits"`
	StarHistory   []StarPoint `json:"star_history"` // oldest first
}

// Post is a discussion that mentions a project.
type Post struct {
	Title    string    `json:"title"`
	URL      string    `json:"url"` // the discussion; may be empty
	Date     time.Time `json:"date"`
	Points   *int      `json:"points"`
	Comments *int      `json:"comments"`
	Excerpt  string    `json:"excerpt"`
	// Projects counts the projects the post mentions; Mentions lists the
	// tracked ones among them, by repo.
	Projects int      `json:"projects"`
	Mentions []string `json:"mentions"`
}

// Weekly is a run of weekly commit counts, oldest week first.
type Weekly struct {
	Start  time.Time `json:"start"` // the Sunday that starts Counts[0]
	Counts []int     `json:"counts"`
}

// StarPoint is one recorded star count.
type StarPoint struct {
	Date  time.Time `json:"date"`
	Stars int       `json:"stars"`
}

// IndexName returns the object name of the index of snapshot id.
func IndexName(id string) string { return "snapshots/" + id + "/index.json" }

// NewPointer returns the pointer to index x and its binary form.
func NewPointer(x *Index) *Pointer {
	return &Pointer{
		SchemaVersion: SchemaVersion,
		ID:            x.ID,
		GeneratedAt:   x.GeneratedAt,
		Index:         IndexName(x.ID),
		Projects:      len(x.Projects),
		IndexBin:      IndexBinName(x.ID),
	}
}

// IndexBinName returns the object name of the binary index of snapshot id.
func IndexBinName(id string) string { return "snapshots/" + id + "/index.bin" }

// DetailName returns the object name of the details of repo in snapshot id.
func DetailName(id, repo string) string { return "snapshots/" + id + "/p/" + repo + ".json" }

// NewID returns the snapshot id for a snapshot generated at t:
// "2026-11-25T06-00-00Z", which sorts by time and is safe in object names.
func NewID(t time.Time) string {
	return strings.ReplaceAll(t.UTC().Format("2006-01-02T15:04:05Z"), ":", "-")
}
