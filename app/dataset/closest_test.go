package dataset

import (
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"versus/app/browse/synth"
	"versus/sync/snapshot"
)

// closestEverywhere is Closest as it was: an edit distance to every slug.
// The bounded Closest must give the same answers.
func closestEverywhere(s *Set, name string, n int) []string {
	name = strings.ToLower(name)
	if len(name) > 100 {
		name = name[:100]
	}
	type scored struct{ i, d int }
	var best []scored
	for i := range s.Projects {
		p := &s.Projects[i]
		d := levenshtein(name, p.Slug)
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
	out := []string{}
	for _, b := range best[:min(n, len(best))] {
		out = append(out, s.Projects[b.i].Slug)
	}
	return out
}

func levenshtein(a, b string) int {
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

func slugsOf(ps []*snapshot.Project) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Slug)
	}
	return out
}

func TestClosestSameAsEveryDistance(t *testing.T) {
	s := New(synth.Index(1000, 7))
	r := rand.New(rand.NewPCG(1, 2))
	mutate := func(slug string) string {
		b := []byte(slug)
		for range r.IntN(4) {
			switch i := r.IntN(len(b) + 1); r.IntN(3) {
			case 0:
				b = append(b[:i], append([]byte{byte('a' + r.IntN(26))}, b[i:]...)...)
			case 1:
				if i < len(b) {
					b = append(b[:i], b[i+1:]...)
				}
			default:
				if i < len(b) {
					b[i] = byte('a' + r.IntN(26))
				}
			}
		}
		return string(b)
	}
	names := []string{"", "a", "to", "tokoi", strings.Repeat("z", 500), "BAD SLUG"}
	for range 150 {
		slug := s.Projects[r.IntN(len(s.Projects))].Slug
		names = append(names, mutate(slug), slug[:r.IntN(len(slug)+1)], slug+mutate("xyz"))
	}
	for _, name := range names {
		if diff := cmp.Diff(closestEverywhere(s, name, 5), slugsOf(s.Closest(name, 5))); diff != "" {
			t.Errorf("Closest(%q) mismatch (-every distance +bounded):\n%s", name, diff)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"tokio", "tokio", 2, 0},
		{"tokoi", "tokio", 2, 2},
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 2, 3}, // past the limit: limit+1
		{"", "abc", 5, 3},
		{"abcdefgh", "a", 3, 4},
		{"abcdefgh", "hgfedcba", 2, 3},
	} {
		if got := distance(tc.a, tc.b, tc.limit); got != tc.want {
			t.Errorf("distance(%q, %q, %d) = %d, want %d", tc.a, tc.b, tc.limit, got, tc.want)
		}
	}
}

// BenchmarkClosest10k suggests slugs for a six-slug URL of typos, and of
// names of 100 letters, among 10,000 projects.
func BenchmarkClosest10k(b *testing.B) {
	s := New(synth.Index(10000, 1))
	s.Closest("warm", 3)
	for _, tc := range []struct{ name, slug string }{
		{"typos", "tokoi"},
		{"long", strings.Repeat("qx", 50)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				for range 6 {
					s.Closest(tc.slug, 3)
				}
			}
		})
	}
}
