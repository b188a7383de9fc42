// Package metrics computes the figures of DESIGN.md from collected data:
// growth and stars gained from recorded star history, activity as a
// recency-weighted commit percentile, and ranked alternatives. The functions
// are pure; unknown figures are nil, never 0.
package metrics

import (
	"math"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"versus/sync/snapshot"
)

// HalfLifeWeeks is the recency half-life of weekly commits in Activity.
const HalfLifeWeeks = 13

// Before returns the newest recorded star count on or before t (by UTC
// day), and false when there is none. store.Stars.Before gives it.
type Before func(t time.Time) (snapshot.StarPoint, bool)

// Growth returns the stars gained over the last 30 and 7 days and the growth
// in % month over month: (stars now − stars 30 days ago) ÷ stars 30 days ago
// × 100, one decimal. "30 days ago" is the newest record at least 30 days old
// (7 for the week); a record more than twice that old is too old to stand for
// it, and then the figure is nil. Growth is also nil when that record holds 0.
func Growth(before Before, now time.Time, stars int) (growth *float64, gained7, gained30 *int) {
	if old, ok := atLeast(before, now, 30*24*time.Hour); ok {
		g := stars - old
		gained30 = &g
		if old > 0 {
			v := round1(float64(stars-old) / float64(old) * 100)
			growth = &v
		}
	}
	if old, ok := atLeast(before, now, 7*24*time.Hour); ok {
		g := stars - old
		gained7 = &g
	}
	return growth, gained7, gained30
}

// atLeast returns the stars of the newest record at least age old, and at
// most twice that.
func atLeast(before Before, now time.Time, age time.Duration) (int, bool) {
	if before == nil {
		return 0, false
	}
	p, ok := before(now.Add(-age))
	if !ok || now.Sub(p.Date) > 2*age {
		return 0, false
	}
	return p.Stars, true
}

// Score weighs weekly commit counts (oldest first, the last being the
// current week) by recency: a commit counts 2^(−age/13) where age is in
// weeks. Nil when the counts are unknown.
func Score(w *snapshot.Weekly) *float64 {
	if w == nil || len(w.Counts) == 0 {
		return nil
	}
	var s float64
	n := len(w.Counts)
	for i, c := range w.Counts {
		age := float64(n - 1 - i)
		s += float64(c) * math.Pow(0.5, age/HalfLifeWeeks)
	}
	return &s
}

// Activity turns scores into percentile ranks on 0–10 with one decimal:
// the share of the other projects with a lower score (ties count half), so
// that 9.0 means more active than 90% of them. Nil scores stay nil, and so
// does everything when fewer than two projects have a score.
func Activity(scores []*float64) []*float64 {
	out := make([]*float64, len(scores))
	var known []float64
	for _, s := range scores {
		if s != nil {
			known = append(known, *s)
		}
	}
	if len(known) < 2 {
		return out
	}
	sort.Float64s(known)
	for i, s := range scores {
		if s == nil {
			continue
		}
		below := sort.SearchFloat64s(known, *s)
		equal := sort.SearchFloat64s(known, math.Nextafter(*s, math.Inf(1))) - below - 1 // others with the same score
		v := round1(10 * (float64(below) + float64(equal)/2) / float64(len(known)-1))
		out[i] = &v
	}
	return out
}

// Candidate is what Alternatives knows about a project.
type Candidate struct {
	Slug       string
	Repo       string
	Categories []string
	Topics     []string
	Suggested  []string // repos users suggested as its alternatives
	Stars      int
}

// MaxAlternatives caps the computed alternatives listed per project;
// user-suggested ones are all listed.
const MaxAlternatives = 10

// Alternatives ranks, for each project, the others: user-suggested ones
// first, in the order the catalog gives them (their author ranked them),
// then by shared categories, then by shared topics, then by posts that
// mention both (coMentions[a][b], by lowercase repo), then by stars. A
// project qualifies when suggested, sharing a category, sharing two topics,
// or co-mentioned. It returns slugs, best first, per project: every
// suggested one, then computed ones up to MaxAlternatives in all.
//
// Only the projects an index of categories, topics and repos names can
// qualify, so they alone are scored, and only the best are kept in order.
func Alternatives(ps []Candidate, coMentions map[string]map[string]int) [][]string {
	out := make([][]string, len(ps))
	lower := make([]string, len(ps))
	byLower := map[string][]int{} // lowercase repo, as coMentions names them
	byFold := map[string][]int{}  // repo, category or topic folded as strings.EqualFold compares
	for i, p := range ps {
		lower[i] = strings.ToLower(p.Repo)
		byLower[lower[i]] = append(byLower[lower[i]], i)
		byFold["r:"+foldKey(p.Repo)] = append(byFold["r:"+foldKey(p.Repo)], i)
		for _, c := range p.Categories {
			byFold["c:"+foldKey(c)] = append(byFold["c:"+foldKey(c)], i)
		}
		for _, t := range p.Topics {
			byFold["t:"+foldKey(t)] = append(byFold["t:"+foldKey(t)], i)
		}
	}
	mark := make([]int, len(ps)) // mark[j] == i+1: j is a candidate of i already
	var cands []int
	var list, top []alternative // reused
	for i, p := range ps {
		cands = cands[:0]
		add := func(js []int) {
			for _, j := range js {
				if j != i && mark[j] != i+1 {
					mark[j] = i + 1
					cands = append(cands, j)
				}
			}
		}
		for _, a := range p.Suggested {
			add(byFold["r:"+foldKey(a)])
		}
		for _, c := range p.Categories {
			add(byFold["c:"+foldKey(c)])
		}
		for _, t := range p.Topics {
			add(byFold["t:"+foldKey(t)])
		}
		co := coMentions[lower[i]]
		for repo := range co {
			add(byLower[repo])
		}
		list = list[:0]
		nSuggested := 0
		for _, j := range cands {
			if s, ok := score(p, ps[j], co[lower[j]]); ok {
				list = append(list, s)
				if s.suggested > 0 {
					nSuggested++
				}
			}
		}
		top = best(top[:0], list, max(nSuggested, MaxAlternatives))
		out[i] = make([]string, len(top))
		for k, s := range top {
			out[i][k] = s.slug
		}
	}
	return out
}

// score scores q as an alternative to p, co being the posts that mention
// both; ok reports whether q qualifies.
func score(p, q Candidate, co int) (s alternative, ok bool) {
	s = alternative{slug: q.Slug, stars: q.Stars, co: co}
	for k, a := range p.Suggested {
		if strings.EqualFold(a, q.Repo) {
			s.suggested = len(p.Suggested) - k
			break
		}
	}
	s.cats = overlap(p.Categories, q.Categories)
	s.topics = overlap(p.Topics, q.Topics)
	return s, s.suggested > 0 || s.cats > 0 || s.topics >= 2 || s.co > 0
}

// alternative is one project scored as an alternative to another.
type alternative struct {
	slug             string
	suggested        int // 0: not suggested; else len(Suggested) − position
	cats, topics, co int
	stars            int
}

// better reports whether x ranks before y.
func (x alternative) better(y alternative) bool {
	switch {
	case x.suggested != y.suggested:
		return x.suggested > y.suggested
	case x.cats != y.cats:
		return x.cats > y.cats
	case x.topics != y.topics:
		return x.topics > y.topics
	case x.co != y.co:
		return x.co > y.co
	case x.stars != y.stars:
		return x.stars > y.stars
	}
	return x.slug < y.slug
}

// best appends to top the n best of list, best first.
func best(top, list []alternative, n int) []alternative {
	for _, s := range list {
		if len(top) == n && !s.better(top[n-1]) {
			continue
		}
		if len(top) < n {
			top = append(top, s)
		} else {
			top[n-1] = s
		}
		for k := len(top) - 1; k > 0 && top[k].better(top[k-1]); k-- {
			top[k], top[k-1] = top[k-1], top[k]
		}
	}
	return top
}

// foldKey returns s with every rune replaced by the least of those
// strings.EqualFold takes as equal to it: two strings are equal under
// EqualFold exactly when their keys are equal.
func foldKey(s string) string {
	ascii := true
	for i := range len(s) {
		ascii = ascii && s[i] < utf8.RuneSelf
	}
	if ascii { // an ASCII letter's least fold is its capital (k's too, with K)
		return strings.ToUpper(s)
	}
	var b strings.Builder
	for _, r := range s {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}

func overlap(a, b []string) int {
	n := 0
	for _, x := range a {
		for _, y := range b {
			if strings.EqualFold(x, y) {
				n++
				break
			}
		}
	}
	return n
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
