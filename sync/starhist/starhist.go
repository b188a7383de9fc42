// Package starhist rebuilds a repository's star curve from GitHub's star
// history (the stars still present, by the day they were given, in weeks)
// and today's star count, and derives the stars gained over the last days
// and the growth month over month. It is pure: it knows neither GitHub's
// client nor the store.
package starhist

import (
	"math"
	"sort"
	"time"

	"versus/sync/snapshot"
)

// DailyDays is how far back the curve has a point a day; older weeks have
// one point a week. 90 days a day and weekly before keeps a ten-year history
// at about 600 points.
const DailyDays = 90

const (
	day  = 24 * time.Hour
	week = 7 * day
)

// Week is one week of star history: Days[i] stars given on the day that
// starts i days after Start and still present. GitHub's week and day
// boundaries need not fall on UTC midnight; they are taken as given.
type Week struct {
	Start time.Time
	Days  [7]int
}

// Total returns the stars of the week.
func (w Week) Total() int {
	n := 0
	for _, d := range w.Days {
		n += d
	}
	return n
}

// History is what is known of a repository's stars.
type History struct {
	Now   time.Time // when Stars was read
	Stars int       // stargazers_count at Now
	// Weeks, newest first as GitHub pages them; a week listed twice (by
	// Start) counts once, its first listing winning. Days after the newest
	// week count as no stars.
	Weeks []Week
	// Complete reports that Weeks reach back to the first star (the last
	// page was read): the count before the oldest week is then known too.
	Complete bool
}

// buckets are the days of a history, oldest first, with the stars given
// on each day and on every later one. A history's days number thousands,
// and every project's are bucketed at each run: a day is 16 bytes.
type buckets struct {
	start []int64 // unix nanoseconds
	after []int   // after[i]: stars given on day i and later
}

func (h History) buckets() buckets {
	weeks, newestFirst := h.unique()
	n := len(weeks)
	b := buckets{start: make([]int64, 7*n), after: make([]int, 7*n)}
	for k := range n {
		w := weeks[k]
		if newestFirst {
			w = weeks[n-1-k]
		}
		for i, c := range w.Days {
			b.start[7*k+i] = w.Start.Add(time.Duration(i) * day).UnixNano()
			b.after[7*k+i] = c
		}
	}
	for i := len(b.after) - 2; i >= 0; i-- {
		b.after[i] += b.after[i+1]
	}
	return b
}

// unique returns the weeks of h, each start once (its first listing
// winning): h.Weeks themselves, newest first, when they are listed so once
// each, as a Book gives them; else a copy, oldest first.
func (h History) unique() (weeks []Week, newestFirst bool) {
	ordered := true
	for i := 1; i < len(h.Weeks) && ordered; i++ {
		ordered = h.Weeks[i].Start.Before(h.Weeks[i-1].Start)
	}
	if ordered {
		return h.Weeks, true
	}
	weeks = make([]Week, 0, len(h.Weeks))
	seen := make(map[int64]bool, len(h.Weeks))
	for _, w := range h.Weeks {
		if k := w.Start.UnixNano(); !seen[k] {
			seen[k] = true
			weeks = append(weeks, w)
		}
	}
	sort.Slice(weeks, func(i, j int) bool { return weeks[i].Start.Before(weeks[j].Start) })
	return weeks, false
}

func (b buckets) day(i int) time.Time { return time.Unix(0, b.start[i]).UTC() }

// gainedFrom returns the stars given from t on, and whether that is known:
// t is within or after the history, or before it when it is complete.
func (b buckets) gainedFrom(t time.Time, complete bool) (int, bool) {
	if len(b.start) == 0 {
		return 0, false
	}
	at := t.UnixNano()
	i := sort.Search(len(b.start), func(i int) bool { return b.start[i] >= at })
	switch {
	case i == len(b.start):
		return 0, true
	case i == 0 && b.start[0] > at && !complete:
		return 0, false
	}
	return b.after[i], true
}

// Curve returns the star count over time, oldest first, rebuilt backwards
// from Stars: at the start of the oldest week, at the end of every older
// week, at the end of every day of the weeks that end within the last
// DailyDays days, and Stars at Now. Each count is Stars less the stars
// given since, never below 0. Nil without weeks.
func (h History) Curve() []snapshot.StarPoint {
	b := h.buckets()
	if len(b.start) == 0 {
		return nil
	}
	at := func(t time.Time) snapshot.StarPoint {
		n, _ := b.gainedFrom(t, true)
		return snapshot.StarPoint{Date: t.UTC(), Stars: max(h.Stars-n, 0)}
	}
	points := make([]snapshot.StarPoint, 1, len(b.start)/7+DailyDays+3)
	points[0] = at(b.day(0))
	add := func(t time.Time) {
		if t.Before(h.Now) && t.After(points[len(points)-1].Date) {
			points = append(points, at(t))
		}
	}
	daily := h.Now.Add(-DailyDays * day)
	for i := 0; i < len(b.start); i += 7 {
		if end := b.day(i).Add(week); !end.After(daily) {
			add(end)
			continue
		}
		for d := range 7 {
			add(b.day(i + d).Add(day))
		}
	}
	if last := points[len(points)-1]; h.Now.After(last.Date) {
		points = append(points, snapshot.StarPoint{Date: h.Now.UTC(), Stars: h.Stars})
	} else {
		points[len(points)-1].Stars = h.Stars
	}
	return points
}

// Recent is what the index shows of the last days; nil when unknown.
type Recent struct {
	Stars7d, Stars30d *int
	Growth            *float64 // % month over month, one decimal
}

// Recent returns the stars gained over the last 7 and 30 days and the
// growth (stars now − stars 30 days ago) ÷ stars 30 days ago × 100. "N days
// ago" is the last day boundary at least N days before Now (as
// metrics.Growth takes the newest record at least N days old); a figure is
// unknown when the history does not reach back to it, and the growth also
// when there were no stars then.
func (h History) Recent() Recent {
	b := h.buckets()
	var r Recent
	if len(b.start) == 0 {
		return r
	}
	// The start of the day holding Now on the history's grid of days (Now
	// is after the history's first day).
	today := b.day(0).Add(h.Now.Sub(b.day(0)).Truncate(day))
	gained := func(days int) *int {
		n, ok := b.gainedFrom(today.Add(-time.Duration(days)*day), h.Complete)
		if !ok {
			return nil
		}
		n = min(n, h.Stars)
		return &n
	}
	r.Stars7d, r.Stars30d = gained(7), gained(30)
	if r.Stars30d != nil {
		if then := h.Stars - *r.Stars30d; then > 0 {
			g := math.Round(float64(*r.Stars30d)/float64(then)*1000) / 10
			r.Growth = &g
		}
	}
	return r
}

// PageOf returns the page, from 1, that holds the week starting at w when
// pages of perPage weeks run newest first from the week starting at newest
// (GitHub lists every week, those without stars too). As weeks pass, pages
// shift: a caller that keeps the weeks it has asks next for
// PageOf(newest, oldestKept.Add(-7 days), perPage). 0 when w is after newest.
func PageOf(newest, w time.Time, perPage int) int {
	if w.After(newest) || perPage <= 0 {
		return 0
	}
	return int(newest.Sub(w)/week)/perPage + 1
}

// Merge joins a rebuilt curve with the counts the sync recorded, both
// oldest first. Recorded counts win where both exist, for they include
// stars removed since: the rebuilt curve is kept only before the first
// recorded count.
func Merge(rebuilt, recorded []snapshot.StarPoint) []snapshot.StarPoint {
	if len(recorded) == 0 {
		return rebuilt
	}
	first := recorded[0].Date
	n := sort.Search(len(rebuilt), func(i int) bool { return !rebuilt[i].Date.Before(first) })
	out := make([]snapshot.StarPoint, 0, n+len(recorded))
	return append(append(out, rebuilt[:n]...), recorded...)
}
