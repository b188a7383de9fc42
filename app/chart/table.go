package chart

import (
	"sort"
	"time"

	"versus/app/format"
)

// Table holds the numbers behind a chart, for a data table next to it.
type Table struct {
	Head []string   // "Date", then one column per project
	Rows [][]string // oldest first; "" where a project has no record
}

// StarTable lists the star counts of ss by day (the last record of a day),
// at most maxRows days, evenly spread, always keeping the newest.
func StarTable(ss []Stars, maxRows int) Table {
	t := Table{Head: []string{"Date"}}
	byDay := map[string][]string{}
	var days []string
	for col, s := range ss {
		t.Head = append(t.Head, s.Name)
		for _, h := range s.History {
			d := format.ISODate(h.Date)
			row, ok := byDay[d]
			if !ok {
				row = make([]string, len(ss))
				byDay[d] = row
				days = append(days, d)
			}
			row[col] = format.Int(h.Stars)
		}
	}
	sort.Strings(days)
	days = spread(days, maxRows)
	for _, d := range days {
		t.Rows = append(t.Rows, append([]string{d}, byDay[d]...))
	}
	return t
}

// CommitTable lists the weekly commits of cs over the 52 weeks before end.
func CommitTable(cs []Commits, end time.Time) Table {
	t := Table{Head: []string{"Week of"}}
	byWeek := map[string][]string{}
	var weeks []string
	for col, c := range cs {
		t.Head = append(t.Head, c.Name)
		for _, w := range LastWeeks(c.Weekly, end, 52) {
			d := format.ISODate(w.Start)
			row, ok := byWeek[d]
			if !ok {
				row = make([]string, len(cs))
				byWeek[d] = row
				weeks = append(weeks, d)
			}
			row[col] = format.Int(w.Count)
		}
	}
	sort.Strings(weeks)
	for _, d := range weeks {
		t.Rows = append(t.Rows, append([]string{d}, byWeek[d]...))
	}
	return t
}

// GainTable lists gains, oldest first: the day or week (head names it) and
// the stars gained.
func GainTable(head string, gains []Gain) Table {
	t := Table{Head: []string{head, "Stars gained"}}
	for _, g := range gains {
		t.Rows = append(t.Rows, []string{format.ISODate(g.Start), format.Int(g.Stars)})
	}
	return t
}

// spread keeps at most n of xs, evenly spread, always the first and last.
func spread(xs []string, n int) []string {
	if n < 2 || len(xs) <= n {
		return xs
	}
	out := make([]string, 0, n)
	for i := range n {
		out = append(out, xs[i*(len(xs)-1)/(n-1)])
	}
	return out
}
