package compare

import (
	"sort"
	"strings"

	"versus/app/dataset"
	"versus/sync/snapshot"
)

// maxQuery caps the query of the project picker.
const maxQuery = 100

// Candidates returns up to n projects matching query, for adding to a
// comparison, leaving out the slugs in exclude. Names and slugs that start
// with the query come first, then those that contain it, then descriptions
// and topics that contain it; more stars first within each.
func Candidates(s *dataset.Set, query string, exclude []string, n int) []*snapshot.Project {
	q := strings.ToLower(strings.TrimSpace(query))
	if len(q) > maxQuery {
		q = q[:maxQuery]
	}
	if q == "" || n <= 0 {
		return nil
	}
	skip := make(map[string]bool, len(exclude))
	for _, e := range exclude {
		skip[e] = true
	}
	type hit struct {
		p    *snapshot.Project
		rank int
	}
	var hits []hit
	for i := range s.Projects {
		p := &s.Projects[i]
		if skip[p.Slug] {
			continue
		}
		name := strings.ToLower(p.Name)
		rank := -1
		switch {
		case name == q || p.Slug == q:
			rank = 0
		case strings.HasPrefix(name, q) || strings.HasPrefix(p.Slug, q):
			rank = 1
		case strings.Contains(name, q) || strings.Contains(strings.ToLower(p.Repo), q):
			rank = 2
		case len(q) >= 3 && (strings.Contains(strings.ToLower(p.Description), q) || hasTopic(p.Topics, q)):
			rank = 3
		}
		if rank >= 0 {
			hits = append(hits, hit{p, rank})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].rank != hits[j].rank {
			return hits[i].rank < hits[j].rank
		}
		return starsOf(hits[i].p) > starsOf(hits[j].p)
	})
	out := make([]*snapshot.Project, 0, min(n, len(hits)))
	for _, h := range hits[:min(n, len(hits))] {
		out = append(out, h.p)
	}
	return out
}

func hasTopic(topics []string, q string) bool {
	for _, t := range topics {
		if strings.Contains(strings.ToLower(t), q) {
			return true
		}
	}
	return false
}
