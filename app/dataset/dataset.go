// Package dataset holds the snapshot the app shows: the projects of one
// index, looked up by slug or repo, and a loader that fetches and caches
// snapshot objects through any transport (files on the server, window.fetch
// in the browser).
package dataset

import (
	"sort"
	"strings"
	"sync"
	"time"

	"versus/sync/snapshot"
)

// Set is one loaded index with its lookups. Its projects never change after
// New; the lookups are built on first use. It is safe for concurrent use.
type Set struct {
	*snapshot.Index
	// Pointer is the latest.json that named the index, when a Loader read it.
	Pointer *snapshot.Pointer

	categories map[string]int

	// The lookups by slug and repo, built on first use: the home page needs
	// none, and at 100,000 projects they cost 70 ms in WebAssembly.
	lookup sync.Once
	bySlug map[string]int
	byRepo map[string]int

	// The lookups of Closest, built on first use.
	suggest     sync.Once
	sortedSlugs []string
	byLen       [][]int // project indexes by slug length
}

// New indexes idx for lookups.
func New(idx *snapshot.Index) *Set {
	s := &Set{Index: idx, categories: make(map[string]int, len(idx.Categories))}
	for i, c := range idx.Categories {
		s.categories[c.Slug] = i
	}
	return s
}

func (s *Set) indexLookups() {
	s.bySlug = make(map[string]int, len(s.Projects))
	s.byRepo = make(map[string]int, len(s.Projects))
	for i := range s.Projects {
		p := &s.Projects[i]
		s.bySlug[p.Slug] = i
		s.byRepo[strings.ToLower(p.Repo)] = i
	}
}

// Date is when the snapshot was generated: relative ages count from it, so
// that "6 days ago" stays true for the data shown.
func (s *Set) Date() time.Time { return s.GeneratedAt }

// Project returns the project with the given slug.
func (s *Set) Project(slug string) (*snapshot.Project, bool) {
	s.lookup.Do(s.indexLookups)
	i, ok := s.bySlug[slug]
	if !ok {
		return nil, false
	}
	return &s.Projects[i], true
}

// Repo returns the project of an "owner/name" repo, ignoring case.
func (s *Set) Repo(repo string) (*snapshot.Project, bool) {
	s.lookup.Do(s.indexLookups)
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

// Closest returns up to n projects whose slugs are nearest to name, best
// first, for "did you mean" suggestions: by edit distance, or by length
// difference when one is a prefix of the other, at most max(2, len/2) away;
// more stars first among equals.
//
// It costs far less than a distance to every slug: only slugs of a length
// within reach get an edit distance, computed in a band that gives up past
// the limit; prefixes come from the slug table and a sorted list.
func (s *Set) Closest(name string, n int) []*snapshot.Project {
	name = strings.ToLower(name)
	if len(name) > 100 {
		name = name[:100]
	}
	s.lookup.Do(s.indexLookups)
	s.suggest.Do(s.indexSlugs)
	limit := max(2, len(name)/2)
	best := map[int]int{} // project index → distance
	consider := func(i, d int) {
		if d <= limit {
			if old, ok := best[i]; !ok || d < old {
				best[i] = d
			}
		}
	}
	// Slugs that are a prefix of name, or that name is a prefix of.
	for l := 0; l <= len(name); l++ {
		if i, ok := s.bySlug[name[:l]]; ok {
			consider(i, prefixDistance(len(name), l))
		}
	}
	from := sort.SearchStrings(s.sortedSlugs, name)
	for j := from; j < len(s.sortedSlugs) && strings.HasPrefix(s.sortedSlugs[j], name); j++ {
		slug := s.sortedSlugs[j]
		consider(s.bySlug[slug], prefixDistance(len(slug), len(name)))
	}
	// Every other slug of a length within reach.
	for l := max(1, len(name)-limit); l <= len(name)+limit && l < len(s.byLen); l++ {
		for _, i := range s.byLen[l] {
			if _, ok := best[i]; !ok {
				consider(i, distance(name, s.Projects[i].Slug, limit))
			}
		}
	}
	type scored struct{ i, d int }
	ranked := make([]scored, 0, len(best))
	for i, d := range best {
		ranked = append(ranked, scored{i, d})
	}
	sort.Slice(ranked, func(a, b int) bool {
		if ranked[a].d != ranked[b].d {
			return ranked[a].d < ranked[b].d
		}
		if sa, sb := starsOf(&s.Projects[ranked[a].i]), starsOf(&s.Projects[ranked[b].i]); sa != sb {
			return sa > sb
		}
		return ranked[a].i < ranked[b].i
	})
	out := make([]*snapshot.Project, 0, min(n, len(ranked)))
	for _, b := range ranked[:min(n, len(ranked))] {
		out = append(out, &s.Projects[b.i])
	}
	return out
}

// prefixDistance scores a slug and a name one of which is a prefix of the
// other, of lengths long ≥ short: a longer name is closer than its edit
// distance says ("tok" for "tokio").
func prefixDistance(long, short int) int {
	if long == short {
		return 0
	}
	return 1 + (long-short)/4
}

// indexSlugs builds the lookups of Closest, once per set and only when a
// suggestion is asked for.
func (s *Set) indexSlugs() {
	s.sortedSlugs = make([]string, 0, len(s.Projects))
	for i := range s.Projects {
		slug := s.Projects[i].Slug
		s.sortedSlugs = append(s.sortedSlugs, slug)
		for len(s.byLen) <= len(slug) {
			s.byLen = append(s.byLen, nil)
		}
		s.byLen[len(slug)] = append(s.byLen[len(slug)], i)
	}
	sort.Strings(s.sortedSlugs)
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

// distance is the Levenshtein distance between a and b in bytes, or
// limit+1 when it is more than limit: only cells within limit of the
// diagonal are computed, and it stops once a whole row is past the limit.
func distance(a, b string, limit int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	over := limit + 1
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = min(j, over)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-limit), min(len(b), i+limit)
		cur[0] = min(i, over)
		if lo > 1 {
			cur[lo-1] = over
		}
		rowMin := cur[0]
		if lo > 1 {
			rowMin = over
		}
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost, over)
			rowMin = min(rowMin, cur[j])
		}
		if hi < len(b) {
			cur[hi+1] = over
		}
		if rowMin > limit {
			return over
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
