package starhist_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/sync/snapshot"
	"versus/sync/starhist"
)

const day = 24 * time.Hour

// anchor starts a week at 07:00 UTC: GitHub's boundaries need not fall on
// midnight, and nothing may assume they do.
var anchor = time.Date(2020, 1, 5, 7, 0, 0, 0, time.UTC)

// synthetic is a made-up history: the time of every star, oldest first.
type synthetic struct {
	stars []time.Time
	now   time.Time
}

func newSynthetic(seed uint64, n int, from, now time.Time) synthetic {
	r := rand.New(rand.NewPCG(seed, 1))
	s := synthetic{now: now}
	span := now.Sub(from)
	for range n {
		s.stars = append(s.stars, from.Add(time.Duration(r.Int64N(int64(span)))))
	}
	sort.Slice(s.stars, func(i, j int) bool { return s.stars[i].Before(s.stars[j]) })
	return s
}

// before counts the stars given before t.
func (s synthetic) before(t time.Time) int {
	return sort.Search(len(s.stars), func(i int) bool { return !s.stars[i].Before(t) })
}

// weeks buckets the stars into weeks on the anchor's grid, newest first,
// from the week holding from to the one holding now (a partial week).
func (s synthetic) weeks(from time.Time) []starhist.Week {
	first := anchor.Add(from.Sub(anchor).Truncate(7 * day))
	var out []starhist.Week
	for start := first; !start.After(s.now); start = start.Add(7 * day) {
		w := starhist.Week{Start: start}
		for d := range 7 {
			t := start.Add(time.Duration(d) * day)
			w.Days[d] = s.before(t.Add(day)) - s.before(t)
		}
		out = append([]starhist.Week{w}, out...)
	}
	return out
}

// boundary is the last day boundary of the grid at least n days before now.
func (s synthetic) boundary(n int) time.Time {
	t := s.now.Add(-time.Duration(n) * day)
	return anchor.Add(t.Sub(anchor).Truncate(day))
}

func TestCurveIsExact(t *testing.T) {
	type testCase struct {
		name  string
		s     synthetic
		weeks []starhist.Week
	}
	var tests []testCase
	// Every day of the week, and a history that ends days before now.
	for off := range 8 {
		now := time.Date(2026, 11, 25, 6, 30, 0, 0, time.UTC).Add(time.Duration(off)*day + time.Duration(off)*3*time.Hour)
		created := now.AddDate(-3, 0, -17)
		s := newSynthetic(uint64(off), 5000, created, now)
		weeks := s.weeks(created)
		tests = append(tests,
			testCase{fmt.Sprintf("whole history, now %v", now), s, weeks},
			testCase{fmt.Sprintf("newest 30 weeks only, now %v", now), s, weeks[:30]},
			testCase{fmt.Sprintf("pages overlap, now %v", now), s, append(append([]starhist.Week{}, weeks[:40]...), weeks[30:]...)})
		later := s
		later.now = now.Add(time.Duration(off) * 2 * day) // no star since s.now
		tests = append(tests, testCase{fmt.Sprintf("history %d days old", 2*off), later, weeks})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, now := tc.s, tc.s.now
			h := starhist.History{Now: now, Stars: len(s.stars), Weeks: tc.weeks, Complete: true}
			curve := h.Curve()
			if len(curve) < 2 {
				t.Fatalf("Curve() has %d points", len(curve))
			}
			oldest := tc.weeks[len(tc.weeks)-1].Start
			if !curve[0].Date.Equal(oldest) {
				t.Errorf("first point at %v, want the oldest week's start %v", curve[0].Date, oldest)
			}
			if last := curve[len(curve)-1]; !last.Date.Equal(now) || last.Stars != len(s.stars) {
				t.Errorf("last point = %+v, want %d stars at %v", last, len(s.stars), now)
			}
			daily := 0
			for i, p := range curve[:len(curve)-1] {
				if want := s.before(p.Date); p.Stars != want {
					t.Fatalf("point %d at %v: %d stars, want %d", i, p.Date, p.Stars, want)
				}
				if i == 0 {
					continue
				}
				switch gap := p.Date.Sub(curve[i-1].Date); {
				case gap == day:
					daily++
					if now.Sub(p.Date) > (starhist.DailyDays+7)*day {
						t.Errorf("point %d at %v: daily older than %d days", i, p.Date, starhist.DailyDays+7)
					}
				case gap == 7*day && i > 1:
					if now.Sub(p.Date) < starhist.DailyDays*day {
						t.Errorf("point %d at %v: weekly within the last %d days", i, p.Date, starhist.DailyDays)
					}
				case i > 1:
					t.Errorf("point %d at %v: %v after the one before, want a day or a week", i, p.Date, gap)
				}
			}
			// Days after the newest week are not drawn: nothing is known of them.
			stale := max(now.Sub(tc.weeks[0].Start.Add(7*day)), 0)
			if want := starhist.DailyDays - int(stale/day) - 1; daily < want {
				t.Errorf("%d daily points, want at least %d", daily, want)
			}
			r := h.Recent()
			then := s.before(s.boundary(30))
			want := starhist.Recent{Stars7d: ptr(len(s.stars) - s.before(s.boundary(7))), Stars30d: ptr(len(s.stars) - then),
				Growth: ptr(math.Round(float64(len(s.stars)-then)/float64(then)*1000) / 10)}
			if diff := cmp.Diff(want, r); diff != "" {
				t.Errorf("Recent() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestRecent(t *testing.T) {
	now := time.Date(2026, 11, 25, 6, 30, 0, 0, time.UTC)
	young := newSynthetic(2, 40, now.AddDate(0, 0, -10), now)
	old := newSynthetic(3, 900, now.AddDate(-1, 0, 0), now)
	// A week of zeros then the current, partial week: 3 stars today, 4 the day before.
	zeros := starhist.Week{Start: anchor.Add(now.Sub(anchor).Truncate(7 * day)).Add(-7 * day)}
	current := starhist.Week{Start: zeros.Start.Add(7 * day)}
	today := int(now.Sub(current.Start) / day)
	current.Days[today], current.Days[today-1] = 3, 4
	for _, tc := range []struct {
		name string
		h    starhist.History
		want starhist.Recent
	}{
		{"young and complete: all its stars, no growth from nothing",
			starhist.History{Now: now, Stars: 40, Weeks: young.weeks(now.AddDate(0, 0, -10)), Complete: true},
			starhist.Recent{Stars7d: ptr(40 - young.before(young.boundary(7))), Stars30d: ptr(40)}},
		{"young, history not known to be complete",
			starhist.History{Now: now, Stars: 40, Weeks: young.weeks(now.AddDate(0, 0, -10))},
			starhist.Recent{Stars7d: ptr(40 - young.before(young.boundary(7)))}},
		{"only the newest week: 30 days ago unknown",
			starhist.History{Now: now, Stars: 900, Weeks: old.weeks(now.AddDate(0, 0, -1))[:1]},
			starhist.Recent{}},
		{"a week of zeros and the partial week",
			starhist.History{Now: now, Stars: 1000, Weeks: []starhist.Week{current, zeros}, Complete: true},
			starhist.Recent{Stars7d: ptr(7), Stars30d: ptr(7), Growth: ptr(0.7)}},
		{"more stars given than counted now",
			starhist.History{Now: now, Stars: 5, Weeks: []starhist.Week{current, zeros}, Complete: true},
			starhist.Recent{Stars7d: ptr(5), Stars30d: ptr(5)}},
		{"no history", starhist.History{Now: now, Stars: 10}, starhist.Recent{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.h.Recent()); diff != "" {
				t.Errorf("Recent() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCurveEdges(t *testing.T) {
	now := time.Date(2026, 11, 25, 6, 30, 0, 0, time.UTC)
	if c := (starhist.History{Now: now, Stars: 3}).Curve(); c != nil {
		t.Errorf("Curve() without weeks = %v, want nil", c)
	}
	// More stars in the buckets than counted now: never below 0.
	w := starhist.Week{Start: now.Add(-2 * day), Days: [7]int{5, 5}}
	got := starhist.History{Now: now, Stars: 7, Weeks: []starhist.Week{w}}.Curve()
	want := []snapshot.StarPoint{{Date: w.Start, Stars: 0}, {Date: w.Start.Add(day), Stars: 2}, {Date: now, Stars: 7}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Curve() mismatch (-want +got):\n%s", diff)
	}
	if w.Total() != 10 {
		t.Errorf("Total() = %d, want 10", w.Total())
	}
}

func TestMerge(t *testing.T) {
	d := func(n int) time.Time { return time.Date(2026, 1, n, 0, 0, 0, 0, time.UTC) }
	rebuilt := []snapshot.StarPoint{{Date: d(1), Stars: 1}, {Date: d(2), Stars: 2}, {Date: d(3), Stars: 3}, {Date: d(4), Stars: 4}}
	for _, tc := range []struct {
		name     string
		recorded []snapshot.StarPoint
		want     []snapshot.StarPoint
	}{
		{"nothing recorded", nil, rebuilt},
		{"recorded from day 3 wins", []snapshot.StarPoint{{Date: d(3), Stars: 5}, {Date: d(4), Stars: 6}},
			[]snapshot.StarPoint{{Date: d(1), Stars: 1}, {Date: d(2), Stars: 2}, {Date: d(3), Stars: 5}, {Date: d(4), Stars: 6}}},
		{"recorded before all", []snapshot.StarPoint{{Date: d(1).Add(-time.Hour), Stars: 9}}, []snapshot.StarPoint{{Date: d(1).Add(-time.Hour), Stars: 9}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, starhist.Merge(rebuilt, tc.recorded)); diff != "" {
				t.Errorf("Merge() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPageOf(t *testing.T) {
	newest := anchor.AddDate(0, 0, 7*100)
	for _, tc := range []struct {
		weeksBack, want int
	}{{0, 1}, {29, 1}, {30, 2}, {59, 2}, {60, 3}, {-1, 0}} {
		w := newest.AddDate(0, 0, -7*tc.weeksBack)
		if got := starhist.PageOf(newest, w, 30); got != tc.want {
			t.Errorf("PageOf(newest, %d weeks back, 30) = %d, want %d", tc.weeksBack, got, tc.want)
		}
	}
}
