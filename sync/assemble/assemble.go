// Package assemble turns collected parts, the previous snapshot and the
// recorded star history into the next snapshot: fresh figures for what was
// collected, the previous ones (marked stale) for what failed, posts and
// mentions, activity percentiles and ranked alternatives. It does no I/O.
package assemble

import (
	"cmp"
	"fmt"
	"sort"
	"strings"
	"time"

	"versus/sync/catalog"
	"versus/sync/collect"
	"versus/sync/gh"
	"versus/sync/hn"
	"versus/sync/metrics"
	"versus/sync/snapshot"
	"versus/sync/starhist"
	"versus/sync/store"
)

// Input is what a snapshot is assembled from.
type Input struct {
	Catalog  *catalog.Catalog
	Parts    []*collect.Part // together, every project of the catalog once
	Previous *Previous       // the live snapshot before this run; nil for none
	Stars    store.Stars     // the recorded history, this run's counts included
	Weeks    *starhist.Book  // GitHub's star history read so far; nil for none
	Now      time.Time       // the snapshot's time
}

// Report is what assembling found, for the run's summary.
type Report struct {
	Collected int
	Failed    []string // "owner/name: error": kept stale
	Skipped   []string // "owner/name: reason": not reached (quota), kept stale
	Dropped   []string // 404s
	Renamed   []string // "old → new"
	Pending   int      // activity still not ready: previous value kept
	HNFailed  int      // searches that failed: previous posts kept
}

// Previous is the live snapshot before this run, by lowercase repo.
type Previous struct {
	Pointer  *snapshot.Pointer
	Projects map[string]*snapshot.Project
	Details  map[string]*snapshot.Detail
}

// NewPrevious indexes a snapshot by lowercase repo; details may leave
// projects out.
func NewPrevious(p *snapshot.Pointer, x *snapshot.Index, details []*snapshot.Detail) *Previous {
	prev := &Previous{Pointer: p, Projects: map[string]*snapshot.Project{}, Details: map[string]*snapshot.Detail{}}
	for i := range x.Projects {
		prev.Projects[strings.ToLower(x.Projects[i].Repo)] = &x.Projects[i]
	}
	for _, d := range details {
		prev.Details[strings.ToLower(d.Repo)] = d
	}
	return prev
}

func (p *Previous) project(key string) *snapshot.Project {
	if p == nil {
		return nil
	}
	return p.Projects[key]
}

func (p *Previous) detail(key string) *snapshot.Detail {
	if p == nil {
		return nil
	}
	return p.Details[key]
}

// Assemble builds the index and the details of the next snapshot.
func Assemble(in Input) (store.Snapshot, Report) {
	var results []collect.Result
	for _, p := range in.Parts {
		results = append(results, p.Results...)
	}
	var rep Report
	tracked := map[string]string{}
	found := map[string][]hn.Item{}
	for _, r := range results {
		key := strings.ToLower(r.Project.Repo)
		tracked[key] = r.Project.Repo
		if r.Repo != nil {
			tracked[strings.ToLower(r.Repo.FullName)] = r.Repo.FullName
		}
		if r.PostsError == "" {
			found[key] = r.Posts
		} else {
			rep.HNFailed++
		}
	}
	posts, co := hn.Posts(found, tracked)
	suggested := in.Catalog.SuggestedCount()

	now := in.Now
	idx := &snapshot.Index{SchemaVersion: snapshot.SchemaVersion, ID: snapshot.NewID(now), GeneratedAt: now,
		Categories: in.Catalog.Categories}
	var details []*snapshot.Detail
	var scores []*float64
	var keepActivity []*float64 // previous activity of stale projects
	seen := map[string]bool{}
	curves := map[string]curve{} // by detail repo
	for _, r := range results {
		key := strings.ToLower(r.Project.Repo)
		var p snapshot.Project
		var det *snapshot.Detail
		switch r.Status {
		case collect.NotFound:
			rep.Dropped = append(rep.Dropped, r.Project.Repo+": not found on GitHub (404); dropped, remove it from the catalog")
			continue
		case collect.OK:
			rep.Collected++
			if r.Repo.Renamed(r.Project.Repo) {
				rep.Renamed = append(rep.Renamed, fmt.Sprintf("%s → %s (update the catalog)", r.Project.Repo, r.Repo.FullName))
			}
			p, det = fresh(r.Project, r.Repo, in.Previous, in.Stars, now, &rep)
		case collect.Skipped:
			rep.Skipped = append(rep.Skipped, fmt.Sprintf("%s: %s", r.Project.Repo, r.Error))
			p, det = stale(r.Project, in.Previous, cmp.Or(r.Stale, snapshot.StaleQuota))
		default:
			rep.Failed = append(rep.Failed, fmt.Sprintf("%s: %s", r.Project.Repo, r.Error))
			p, det = stale(r.Project, in.Previous, cmp.Or(r.Stale, snapshot.StaleError))
		}
		lk := strings.ToLower(p.Repo)
		if seen[lk] {
			rep.Failed = append(rep.Failed, fmt.Sprintf("%s: is now %s, which the catalog already lists; left out", r.Project.Repo, p.Repo))
			continue
		}
		seen[lk] = true
		// Posts: this run's, or the previous ones when the search failed.
		if r.PostsError != "" {
			if pd := in.Previous.detail(lk); pd != nil {
				det.Posts = pd.Posts
			}
			if pp := in.Previous.project(lk); pp != nil && pp.Mentions != nil {
				m := *pp.Mentions
				p.Mentions = &m
			}
		} else {
			det.Posts = posts[key]
			if key != lk { // renamed: posts may link to either name
				det.Posts = mergePosts(det.Posts, posts[lk])
			}
			if r.Carry { // only this run's harvest: the earlier posts stay
				det.Posts = carry(det.Posts, in.Previous.detail(lk), tracked, co)
			}
			m := len(det.Posts) + suggested[key]
			p.Mentions = &m
		}
		if det.Posts == nil {
			det.Posts = []snapshot.Post{}
		}
		if r.Status == collect.OK {
			recent(&p, in.Weeks, key, now)
		}
		curves[det.Repo] = curve{key, p.Stars}
		idx.Projects = append(idx.Projects, p)
		details = append(details, det)
		if r.Status == collect.OK {
			scores = append(scores, metrics.Score(det.Commits))
			keepActivity = append(keepActivity, nil)
		} else {
			scores = append(scores, nil)
			keepActivity = append(keepActivity, p.Activity)
		}
	}
	// Activity ranks every project with fresh commit counts among them.
	for i, a := range metrics.Activity(scores) {
		if keepActivity[i] != nil || scores[i] == nil {
			idx.Projects[i].Activity = keepActivity[i]
			continue
		}
		idx.Projects[i].Activity = a
	}
	cands := make([]metrics.Candidate, len(idx.Projects))
	for i, p := range idx.Projects {
		cp, _ := in.Catalog.ByRepo(p.Repo)
		if cp.Repo == "" {
			for _, r := range results {
				if r.Repo != nil && strings.EqualFold(r.Repo.FullName, p.Repo) {
					cp = r.Project
				}
			}
		}
		cands[i] = metrics.Candidate{Slug: p.Slug, Repo: p.Repo, Categories: p.Categories, Topics: p.Topics,
			Suggested: cp.Alternatives, Stars: deref(p.Stars)}
	}
	for i, alts := range metrics.Alternatives(cands, co) {
		idx.Projects[i].Alternatives = alts
	}
	// Each curve is built as its detail is written, and let go.
	fill := func(d *snapshot.Detail) {
		if c, ok := curves[d.Repo]; ok {
			d.StarHistory = starHistory(in.Weeks, in.Stars, c.key, c.stars, now)
		}
	}
	return store.Snapshot{Index: idx, Details: details, Fill: fill}, rep
}

// curve is what a detail's star history is built from: the project's
// catalog key and its star count now.
type curve struct {
	key   string
	stars *int
}

// fresh builds a project from this run's answers.
func fresh(cp catalog.Project, r *gh.Repo, prev *Previous, hist store.Stars, now time.Time, rep *Report) (snapshot.Project, *snapshot.Detail) {
	owner, name, _ := strings.Cut(r.FullName, "/")
	fetched := now
	p := snapshot.Project{
		Repo: r.FullName, Slug: cp.Slug, Name: name, Owner: owner,
		Description: r.Description, Homepage: r.Homepage, Language: r.Language, License: r.License,
		Topics: r.Topics, Categories: cp.Categories, Stars: r.Stars,
		LastCommit: r.LastCommit, Created: r.Created, Archived: r.Archived, Forks: r.Forks, OpenIssues: r.OpenIssues,
		Contributors: r.Contributors, Release: r.Release, FetchedAt: &fetched,
	}
	if r.Stars != nil { // history is keyed by the catalog name, so a rename keeps it
		p.Growth, p.Stars7d, p.Stars30d = metrics.Growth(before(hist, strings.ToLower(cp.Repo)), now, *r.Stars)
	}
	det := &snapshot.Detail{SchemaVersion: snapshot.SchemaVersion, Repo: r.FullName, Commits: r.Commits}
	if r.Pending {
		rep.Pending++
		if pd := prev.detail(strings.ToLower(r.FullName)); pd != nil {
			det.Commits = pd.Commits // GitHub never finished: keep the last value
		} else if pd := prev.detail(strings.ToLower(cp.Repo)); pd != nil {
			det.Commits = pd.Commits
		}
	}
	return p, det
}

// stale keeps a failed project's previous figures, marked stale with the
// time of its last good fetch and why it was not read (a snapshot.Stale*
// reason); with no previous figures everything is unknown.
func stale(cp catalog.Project, prev *Previous, reason string) (snapshot.Project, *snapshot.Detail) {
	key := strings.ToLower(cp.Repo)
	if pp := prev.project(key); pp != nil {
		p := *pp
		p.Slug, p.Categories, p.Stale, p.StaleReason = cp.Slug, cp.Categories, true, reason
		det := &snapshot.Detail{SchemaVersion: snapshot.SchemaVersion, Repo: p.Repo}
		if pd := prev.detail(key); pd != nil {
			det.Commits = pd.Commits
		}
		return p, det
	}
	owner, name, _ := strings.Cut(cp.Repo, "/")
	p := snapshot.Project{Repo: cp.Repo, Slug: cp.Slug, Name: name, Owner: owner, Topics: []string{},
		Categories: cp.Categories, Stale: true, StaleReason: reason}
	return p, &snapshot.Detail{SchemaVersion: snapshot.SchemaVersion, Repo: cp.Repo}
}

// before looks up the recorded history of a lowercase repo for metrics.Growth.
func before(hist store.Stars, key string) metrics.Before {
	return func(t time.Time) (snapshot.StarPoint, bool) {
		r, ok := hist.Before(key, t)
		if !ok {
			return snapshot.StarPoint{}, false
		}
		day, err := time.Parse(time.DateOnly, r.Day)
		return snapshot.StarPoint{Date: day, Stars: r.Stars}, err == nil
	}
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// mergePosts joins two lists of posts without duplicates, newest first.
func mergePosts(a, b []snapshot.Post) []snapshot.Post {
	seen := map[string]bool{}
	var out []snapshot.Post
	for _, p := range append(append([]snapshot.Post(nil), a...), b...) {
		if !seen[p.URL] {
			seen[p.URL] = true
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.After(out[j].Date) })
	return out
}

// carry adds the previous posts of a project to this run's, without
// duplicates, and counts the co-mentions of the ones it adds in co.
func carry(fresh []snapshot.Post, prev *snapshot.Detail, tracked map[string]string, co map[string]map[string]int) []snapshot.Post {
	if prev == nil || len(prev.Posts) == 0 {
		return fresh
	}
	key := strings.ToLower(prev.Repo)
	seen := map[string]bool{}
	for _, p := range fresh {
		seen[p.URL] = true
	}
	out := fresh
	for _, p := range prev.Posts {
		if p.URL != "" && seen[p.URL] {
			continue
		}
		out = append(out, p)
		for _, m := range p.Mentions {
			if o := strings.ToLower(m); o != key && tracked[o] != "" {
				if co[key] == nil {
					co[key] = map[string]int{}
				}
				co[key][o]++
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.After(out[j].Date) })
	return out
}
