package chart

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"versus/app/format"
	"versus/sync/snapshot"
)

// Gain is the stars a project gained from Start to End: a week, a day, or
// less for the newest, still running one.
type Gain struct {
	Start, End time.Time
	Stars      int
}

const (
	dayLen  = 24 * time.Hour
	weekLen = 7 * dayLen
)

// DailyDays is how far back the daily gains go: the sync keeps a point a day
// for the last 90 days and a point a week before.
const DailyDays = 90

// dailySlack is how much wider than a day the records around a day may be
// for its gain to count as daily: recorded counts come every few hours, not
// on the day's boundary.
const dailySlack = 12 * time.Hour

// WeeklyGains returns the stars gained in each week of h (oldest first, weeks
// counted from its first point, the newest one up to the last point). Counts
// between two points are read on the straight line between them, so a gap
// between records spreads its stars over the weeks it spans, and the daily
// points of the last days add up to their weeks. Nil with fewer than two points.
func WeeklyGains(h []snapshot.StarPoint) []Gain {
	if len(h) < 2 {
		return nil
	}
	last := h[len(h)-1].Date
	var out []Gain
	for t := h[0].Date; t.Before(last); t = t.Add(weekLen) {
		end := minTime(t.Add(weekLen), last)
		out = append(out, Gain{Start: t, End: end, Stars: countAt(h, end) - countAt(h, t)})
	}
	return out
}

// DailyGains returns the stars gained on each day of the last DailyDays days
// of h (days counted from its first point, the newest one up to the last
// point), leaving out the days that h does not record at least daily: a day
// inside a weekly stretch has no daily figure.
func DailyGains(h []snapshot.StarPoint) []Gain {
	if len(h) < 2 {
		return nil
	}
	first, last := h[0].Date, h[len(h)-1].Date
	from := last.Add(-DailyDays * dayLen)
	t := first
	if from.After(first) {
		t = first.Add((from.Sub(first) + dayLen - 1).Truncate(dayLen))
	}
	var out []Gain
	for ; t.Before(last); t = t.Add(dayLen) {
		end := minTime(t.Add(dayLen), last)
		if !recorded(h, t, end) {
			continue
		}
		out = append(out, Gain{Start: t, End: end, Stars: countAt(h, end) - countAt(h, t)})
	}
	return out
}

// recorded reports whether the points of h around [a, b] are at most a day
// (and the slack) apart.
func recorded(h []snapshot.StarPoint, a, b time.Time) bool {
	i := sort.Search(len(h), func(i int) bool { return h[i].Date.After(a) }) - 1 // last point at or before a
	j := sort.Search(len(h), func(i int) bool { return !h[i].Date.Before(b) })   // first point at or after b
	if i < 0 || j == len(h) {
		return false
	}
	return h[j].Date.Sub(h[i].Date) <= b.Sub(a)+dailySlack
}

// countAt reads the star count of h at t on the line between the points
// around it, rounded; before the first point it is the first count, after
// the last the last.
func countAt(h []snapshot.StarPoint, t time.Time) int {
	j := sort.Search(len(h), func(i int) bool { return !h[i].Date.Before(t) })
	switch {
	case j == len(h):
		return h[len(h)-1].Stars
	case j == 0 || h[j].Date.Equal(t):
		return h[j].Stars
	}
	a, b := h[j-1], h[j]
	f := float64(t.Sub(a.Date)) / float64(b.Date.Sub(a.Date))
	return int(math.Round(float64(a.Stars) + f*float64(b.Stars-a.Stars)))
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// Bars is one series drawn as bars.
type Bars struct {
	Series int
	Name   string
	Color  string
	Rects  []Rect // one per gain, oldest first, in user units
	D      string // Rects as SVG path data (bars of no height left out)
}

// gainsFrame is the frame of a project's weekly or daily chart: the two sit
// side by side on a wide page and one above the other on a narrow one, at
// one scale.
func gainsFrame(xticks int) Frame {
	return Frame{Box: Rect{W: 440, H: 170}, Left: 50, Right: 24, Top: 10, Bottom: 26, YSteps: 3, MaxXTicks: xticks}
}

// GainBars lays out gains as bars over the time from..to (several projects'
// charts then share an axis), each bar as wide as its period, on a y axis
// from zero (or the largest loss) to the largest gain. Nil without gains.
func GainBars(id, title, desc string, s Stars, gains []Gain, from, to time.Time, f Frame) *Chart {
	if len(gains) == 0 {
		return nil
	}
	if !to.After(from) {
		to = from.Add(dayLen)
	}
	c := &Chart{ID: id, Title: title, Desc: desc, Width: f.Box.W, Height: f.Box.H, Plot: f.plot()}
	lo, hi := 0, 0
	for _, g := range gains {
		lo, hi = min(lo, g.Stars), max(hi, g.Stars)
	}
	step, top := niceStep(float64(hi), f.YSteps)
	bottom := 0.0
	if lo < 0 {
		step, _ = niceStep(float64(hi-lo), f.YSteps)
		top = math.Ceil(float64(hi)/step) * step
		bottom = -math.Ceil(float64(-lo)/step) * step
	}
	py := func(v float64) float64 { return c.Plot.Y + c.Plot.H*(top-v)/(top-bottom) }
	x0, x1 := float64(from.Unix()), float64(to.Unix())
	px := func(x float64) float64 { return c.Plot.X + (x-x0)/(x1-x0)*c.Plot.W }
	for v := bottom; v <= top+step/2; v += step {
		c.YTicks = append(c.YTicks, Tick{Pos: round2(py(v)), Label: compact(v)})
	}
	c.XTicks = fewer(dateTicks(x0, x1, px), f.MaxXTicks)
	b := Bars{Series: s.Series, Name: s.Name, Color: Color(s.Series)}
	var d strings.Builder
	zero := round2(py(0))
	for _, g := range gains {
		l, r := px(float64(g.Start.Unix())), px(float64(g.End.Unix()))
		if w := r - l; w > 3 {
			l, r = l+w*0.15, r-w*0.15 // room between wide bars
		}
		y := round2(py(float64(g.Stars)))
		rc := Rect{X: round2(l), Y: min(y, zero), W: round2(r - l), H: round2(math.Abs(zero - y))}
		b.Rects = append(b.Rects, rc)
		if rc.H > 0 {
			d.WriteString("M" + Num(rc.X) + " " + Num(zero) + "V" + Num(y) + "H" + Num(rc.X+rc.W) + "V" + Num(zero) + "Z")
		}
	}
	b.D = d.String()
	c.Bars = []Bars{b}
	return c
}

// ProjectGains is one project's stars gained, laid out: a weekly chart of its
// whole history and a daily one of the last DailyDays days (nil when its
// history has no daily records), with their numbers.
type ProjectGains struct {
	Series                  int
	Name                    string
	Weekly, Daily           *Chart
	WeeklyTable, DailyTable Table
}

// StarGains lays out the stars gained of every project of ss that has at
// least two records, in order: the weekly charts share one time axis (the
// oldest record to the newest), the daily charts the last DailyDays days.
func StarGains(id string, ss []Stars) []ProjectGains {
	type gains struct {
		s           Stars
		weeks, days []Gain
	}
	var all []gains
	var from, to time.Time
	for _, s := range ss {
		weeks := WeeklyGains(s.History)
		if len(weeks) == 0 {
			continue
		}
		all = append(all, gains{s, weeks, DailyGains(s.History)})
		if first := s.History[0].Date; from.IsZero() || first.Before(from) {
			from = first
		}
		if final := s.History[len(s.History)-1].Date; final.After(to) {
			to = final
		}
	}
	out := make([]ProjectGains, len(all))
	for i, g := range all {
		s, sid := g.s, id+"-"+strconv.Itoa(g.s.Series)
		first, final := s.History[0].Date, s.History[len(s.History)-1].Date
		out[i] = ProjectGains{Series: s.Series, Name: s.Name,
			Weekly: GainBars(sid+"-w", "Stars gained per week",
				"Bars of the stars "+s.Name+" gained each week, from its first record on "+format.Date(first)+" to "+format.Date(final)+".",
				s, g.weeks, from, to, gainsFrame(5)),
			WeeklyTable: GainTable("Week of", g.weeks),
		}
		if len(g.days) > 0 {
			out[i].Daily = GainBars(sid+"-d", "Stars gained per day",
				"Bars of the stars "+s.Name+" gained each day over the last "+strconv.Itoa(DailyDays)+" days; days without a daily record are left out.",
				s, g.days, to.Add(-DailyDays*dayLen), to, gainsFrame(4))
			out[i].DailyTable = GainTable("Day", g.days)
		}
	}
	return out
}
