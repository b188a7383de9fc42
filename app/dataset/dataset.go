// Package dataset holds the snapshot the app shows: the projects of one
// index, looked up by slug or repo, and a loader that fetches and caches
// snapshot objects through any transport (files on the server, window.fetch
// in the browser).
package dataset

import (
	"sort"
	"strings"
	"time"

	"versus/sync/snapshot"
)

// Set is one loaded index with its lookups. It is never changed after New.
type Set struct {
	*snapshot.Index
	bySlug     map[string]int
	byRepo     map[string]int
	categories map[string]int
}

// New indexes idx for lookups.
func New(idx *snapshot.Index) *Set {
	s := &Set{
		Index:      idx,
		bySlug:     make(map[string]int, len(idx.Projects)),
		byRepo:     make(map[string]int, len(idx.Projects)),
		categories: make(map[string]int, len(idx.Categories)),
	}
	for i := range idx.Projects {
		p := &idx.Projects[i]
		s.bySlug[p.Slug] = i
		s.byRepo[strings.ToLower(p.Repo)] = i
	}
	for i, c := range idx.Categories {
		s.categories[c.Slug] = i
	}
	return s
}

// Date is when the snapshot was generated: relative ages count from it, so
// that "6 days ago" stays true for the data shown.
func (s *Set) Date() time.Time { return s.GeneratedAt }

// Project returns the project with the given slug.
func (s *Set) Project(slug string) (*snapshot.Project, bool) {
	i, ok := s.bySlug[slug]
	if !ok {
		return nil, false
	}
	return &s.Projects[i], true
}

// Repo returns the project of an "owner/name" repo, ignoring case.
func (s *Set) Repo(repo string) (*snapshot.Project, bool) {
	i, ok := s.byRepo[strings.ToLower(repo)]
	if !ok {
		return nil, false
	}
	return &s.Projects[i], true
}

// Category returns the category with the given slug.
func (s *Set) Category(slug string) (*snapshot.Category, bool) {
	i, ok := s.categories[slug]
	if !ok {
		return nil, false
	}
	return &s.Categories[i], true
}

// Closest returns up to n projects whose slugs or names are nearest to name,
// best first, for "did you mean" suggestions.
func (s *Set) Closest(name string, n int) []*snapshot.Project {
	name = strings.ToLower(name)
	if len(name) > 100 {
		name = name[:100]
	}
	type scored struct {
		i, d int
	}
	var best []scored
	for i := range s.Projects {
		p := &s.Projects[i]
		d := distance(name, p.Slug)
		if strings.HasPrefix(p.Slug, name) || strings.HasPrefix(name, p.Slug) {
			d = min(d, 1+abs(len(p.Slug)-len(name))/4)
		}
		if d > max(2, len(name)/2) {
			continue
		}
		best = append(best, scored{i, d})
	}
	sort.SliceStable(best, func(a, b int) bool {
		if best[a].d != best[b].d {
			return best[a].d < best[b].d
		}
		return starsOf(&s.Projects[best[a].i]) > starsOf(&s.Projects[best[b].i])
	})
	out := make([]*snapshot.Project, 0, min(n, len(best)))
	for _, b := range best[:min(n, len(best))] {
		out = append(out, &s.Projects[b.i])
	}
	return out
}

func starsOf(p *snapshot.Project) int {
	if p.Stars == nil {
		return -1
	}
	return *p.Stars
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
