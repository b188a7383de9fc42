package metrics

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/sync/snapshot"
)

func fp(v float64) *float64 { return &v }
func ip(v int) *int         { return &v }

var now = time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)

func daysAgo(d int) time.Time { return now.AddDate(0, 0, -d) }

func sp(days, stars int) snapshot.StarPoint {
	return snapshot.StarPoint{Date: daysAgo(days), Stars: stars}
}

func TestGrowth(t *testing.T) {
	tests := []struct {
		name    string
		history []snapshot.StarPoint
		stars   int
		growth  *float64
		g7, g30 *int
	}{
		{"no history", nil, 100, nil, nil, nil},
		{"only recent records", []snapshot.StarPoint{sp(3, 90)}, 100, nil, nil, nil},
		{"a week, not a month", []snapshot.StarPoint{sp(20, 80), sp(9, 95), sp(2, 99)}, 100, nil, ip(5), nil},
		{"nearest record at least 30 days old", []snapshot.StarPoint{
			sp(45, 900), sp(31, 1000), sp(20, 1050), sp(8, 1080), sp(1, 1095),
		}, 1100, fp(10), ip(20), ip(100)},
		{"exactly 30 days", []snapshot.StarPoint{sp(30, 3000)}, 3114, fp(3.8), nil, ip(114)},
		{"shrinking", []snapshot.StarPoint{sp(30, 200)}, 150, fp(-25), nil, ip(-50)},
		{"too old to stand for a month", []snapshot.StarPoint{sp(61, 50)}, 100, nil, nil, nil},
		{"from zero stars", []snapshot.StarPoint{sp(35, 0)}, 7, nil, nil, ip(7)},
		{"a record of today does not count", []snapshot.StarPoint{sp(30, 1000), sp(0, 1100)}, 1100, fp(10), nil, ip(100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, g7, g30 := Growth(lookup(tt.history), now, tt.stars)
			if diff := cmp.Diff([]any{tt.growth, tt.g7, tt.g30}, []any{g, g7, g30}); diff != "" {
				t.Errorf("Growth() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// lookup is store.Stars.Before over a history sorted oldest first: the
// newest record on or before the day of t.
func lookup(history []snapshot.StarPoint) Before {
	return func(t time.Time) (snapshot.StarPoint, bool) {
		day := t.UTC().Format(time.DateOnly)
		for i := len(history) - 1; i >= 0; i-- {
			if history[i].Date.UTC().Format(time.DateOnly) <= day {
				return history[i], true
			}
		}
		return snapshot.StarPoint{}, false
	}
}

func weeks(set map[int]int) *snapshot.Weekly {
	w := &snapshot.Weekly{Start: daysAgo(364), Counts: make([]int, 52)}
	for i, n := range set {
		w.Counts[i] = n
	}
	return w
}

func TestScore(t *testing.T) {
	tests := []struct {
		name string
		w    *snapshot.Weekly
		want *float64
	}{
		{"unknown", nil, nil},
		{"no commits", weeks(nil), fp(0)},
		{"this week counts fully", weeks(map[int]int{51: 4}), fp(4)},
		{"13 weeks ago counts half", weeks(map[int]int{38: 4}), fp(2)},
		{"26 weeks ago counts a quarter", weeks(map[int]int{25: 4}), fp(1)},
		{"sum", weeks(map[int]int{51: 1, 38: 2, 25: 4}), fp(3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Score(tt.w)
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 })); diff != "" {
				t.Errorf("Score() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestActivity(t *testing.T) {
	eleven := make([]*float64, 11)
	wantEleven := make([]*float64, 11)
	for i := range eleven {
		eleven[i] = fp(float64(i * i))
		wantEleven[i] = fp(float64(i))
	}
	tests := []struct {
		name   string
		scores []*float64
		want   []*float64
	}{
		{"none", nil, []*float64{}},
		{"alone has no rank", []*float64{fp(3)}, []*float64{nil}},
		{"ranks and unknowns", []*float64{fp(1), fp(2), nil, fp(3), fp(4)}, []*float64{fp(0), fp(3.3), nil, fp(6.7), fp(10)}},
		{"ties count half", []*float64{fp(5), fp(5), fp(1)}, []*float64{fp(7.5), fp(7.5), fp(0)}},
		{"9.0 is the top 10%", eleven, wantEleven},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Activity(tt.scores)); diff != "" {
				t.Errorf("Activity() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAlternatives(t *testing.T) {
	ps := []Candidate{
		{Slug: "tokio", Repo: "tokio-rs/tokio", Categories: []string{"async"}, Topics: []string{"rust", "async"}, Suggested: []string{"smol-rs/smol"}, Stars: 100},
		{Slug: "async-std", Repo: "async-rs/async-std", Categories: []string{"async"}, Topics: []string{"rust"}, Stars: 50},
		{Slug: "smol", Repo: "smol-rs/smol", Categories: []string{"async"}, Topics: []string{"rust", "async"}, Stars: 10},
		{Slug: "glommio", Repo: "x/glommio", Categories: []string{"io"}, Topics: []string{"rust", "async"}, Stars: 5},
		{Slug: "hyper", Repo: "hyperium/hyper", Categories: []string{"http"}, Topics: []string{"rust"}, Stars: 70},
		{Slug: "flask", Repo: "pallets/flask", Categories: []string{"web"}, Topics: []string{"python"}, Stars: 90},
	}
	co := map[string]map[string]int{"tokio-rs/tokio": {"hyperium/hyper": 3}}
	got := Alternatives(ps, co)
	want := [][]string{
		{"smol", "async-std", "glommio", "hyper"}, // suggested, same category, two topics, co-mentioned
		{"tokio", "smol"},                         // same category; ties broken by stars
		{"tokio", "async-std", "glommio"},
		{"tokio", "smol"}, // two shared topics each, then by stars
		{},
		{},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Alternatives() mismatch (-want +got):\n%s", diff)
	}
}

func TestAlternativesSuggested(t *testing.T) {
	var ps []Candidate
	var repos []string
	for i := range MaxAlternatives + 3 {
		repo := fmt.Sprintf("o/r%02d", i)
		ps = append(ps, Candidate{Slug: fmt.Sprintf("r%02d", i), Repo: repo, Categories: []string{"c"}, Stars: i})
		repos = append(repos, repo)
	}
	tests := []struct {
		name      string
		suggested []string
		want      []string
	}{
		{"in the catalog's order, before better-starred ones", []string{"o/r03", "o/r01"},
			[]string{"r03", "r01", "r12", "r11", "r10", "r09", "r08", "r07", "r06", "r05"}},
		{"never cut", repos[1:],
			[]string{"r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09", "r10", "r11", "r12"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := append([]Candidate(nil), ps...)
			ps[0].Suggested = tt.suggested
			if diff := cmp.Diff(tt.want, Alternatives(ps, nil)[0]); diff != "" {
				t.Errorf("Alternatives()[0] mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// bruteAlternatives is Alternatives as it was before its index: every
// pair scored (by the same score), every list sorted.
func bruteAlternatives(ps []Candidate, coMentions map[string]map[string]int) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		var list []alternative
		co := coMentions[strings.ToLower(p.Repo)]
		nSuggested := 0
		for j, q := range ps {
			if i == j {
				continue
			}
			if s, ok := score(p, q, co[strings.ToLower(q.Repo)]); ok {
				list = append(list, s)
				if s.suggested > 0 {
					nSuggested++
				}
			}
		}
		sort.Slice(list, func(a, b int) bool { return list[a].better(list[b]) })
		out[i] = []string{}
		for k := 0; k < len(list) && (k < nSuggested || k < MaxAlternatives); k++ {
			out[i] = append(out[i], list[k].slug)
		}
	}
	return out
}

// TestAlternativesIndexed compares Alternatives with every pair scored, on
// seeded synthetic catalogs: names in mixed case and folds that only
// strings.EqualFold takes as equal (K and k, ſ and s), repeated topics,
// suggestions and co-mentions.
func TestAlternativesIndexed(t *testing.T) {
	words := []string{"go", "Go", "rust", "kv", "KV", "\u212av", "sql", "ſql", "SQL", "web", "db", "cli", "é", "É"}
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 15))
		n := 50 + rng.IntN(250)
		pick := func(k int) []string {
			out := make([]string, rng.IntN(k+1))
			for i := range out {
				out[i] = words[rng.IntN(len(words))]
			}
			return out
		}
		repo := func(i int) string { return fmt.Sprintf("Org%d/Repo%d", i%7, i) }
		ps := make([]Candidate, n)
		for i := range ps {
			ps[i] = Candidate{Slug: fmt.Sprintf("p%d", i), Repo: repo(i), Categories: pick(2), Topics: pick(4), Stars: rng.IntN(20)}
			if rng.IntN(5) == 0 {
				for range rng.IntN(15) {
					ps[i].Suggested = append(ps[i].Suggested, strings.ToUpper(repo(rng.IntN(n))))
				}
			}
		}
		co := map[string]map[string]int{}
		for range n {
			a, b := strings.ToLower(repo(rng.IntN(n))), strings.ToLower(repo(rng.IntN(n)))
			if co[a] == nil {
				co[a] = map[string]int{}
			}
			co[a][b] += 1 + rng.IntN(3)
		}
		if diff := cmp.Diff(bruteAlternatives(ps, co), Alternatives(ps, co)); diff != "" {
			t.Fatalf("seed %d: Alternatives differs from every pair scored (-want +got):\n%s", seed, diff)
		}
	}
}

func TestFoldKey(t *testing.T) {
	for _, s := range []string{"kv", "KV", "\u212av", "ſql", "SQL", "é", "É", "\xff", "\ufffd", "Straße"} {
		for _, u := range []string{"kv", "KV", "\u212av", "ſql", "SQL", "é", "É", "\xff", "\ufffd", "STRASSE"} {
			if got, want := foldKey(s) == foldKey(u), strings.EqualFold(s, u); got != want {
				t.Errorf("foldKey(%q) == foldKey(%q) is %v, EqualFold %v", s, u, got, want)
			}
		}
	}
}
