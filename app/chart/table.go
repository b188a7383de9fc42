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
	p := newPivot(len(ss))
	for col, s := range ss {
		t.Head = append(t.Head, s.Name)
		for _, h := range s.History {
			p.put(format.ISODate(h.Date), col, format.Int(h.Stars))
		}
	}
	t.Rows = p.rows(spread(p.sortedKeys(), maxRows))
	return t
}

// CommitTable lists the weekly commits of cs over the 52 weeks before end.
func CommitTable(cs []Commits, end time.Time) Table {
	t := Table{Head: []string{"Week of"}}
	p := newPivot(len(cs))
	for col, c := range cs {
		t.Head = append(t.Head, c.Name)
		for _, w := range LastWeeks(c.Weekly, end, 52) {
			p.put(format.ISODate(w.Start), col, format.Int(w.Count))
		}
	}
	t.Rows = p.rows(p.sortedKeys())
	return t
}

// pivot gathers the values of n series into rows by key (an ISO date), a
// column a series.
type pivot struct {
	n     int
	byKey map[string][]string
}

func newPivot(n int) *pivot { return &pivot{n: n, byKey: map[string][]string{}} }

// put sets the value of series col at key; a later value wins.
func (p *pivot) put(key string, col int, v string) {
	row, ok := p.byKey[key]
	if !ok {
		row = make([]string, p.n)
		p.byKey[key] = row
	}
	row[col] = v
}

func (p *pivot) sortedKeys() []string {
	keys := make([]string, 0, len(p.byKey))
	for k := range p.byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// rows returns the rows of keys: the key, then a value a series.
func (p *pivot) rows(keys []string) [][]string {
	var out [][]string
	for _, k := range keys {
		out = append(out, append([]string{k}, p.byKey[k]...))
	}
	return out
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
