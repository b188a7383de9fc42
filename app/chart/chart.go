// Package chart is the one chart engine of versus: it lays out the star
// history, the stars gained per week and per day (bars), weekly commits and
// sparklines, for the page and for the image card, and holds the one
// palette. A Chart is geometry in user units (points, bars and their path
// data, ticks, labels) inside a Frame; the page renders it as
// go-app SVG elements, the export card as SVG shapes, and a raster drawer can
// draw the same points. It is pure Go: no DOM, no syscall/js.
//
// Colours follow the project's position on the page: series i is drawn with
// Color(i) everywhere (page, SVG card, PNG), so one project keeps one colour.
package chart

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"versus/sync/snapshot"
)

// Size of a page chart's drawing in SVG user units; pages scale it to fit.
const (
	Width  = 880.0
	Height = 300.0
)

// Frame is where a chart is drawn: its box, the margins around the plot
// (room for the axis labels) and how many ticks its axes get.
type Frame struct {
	Box                      Rect
	Left, Right, Top, Bottom float64
	YSteps                   int // about this many steps on a linear y axis
	MaxXTicks                int // at most this many x labels; 0 for no limit
}

// Page is the frame of the page's charts.
var Page = Frame{Box: Rect{W: Width, H: Height}, Left: 56, Right: 16, Top: 12, Bottom: 30, YSteps: 5}

// plot is the plot area of f.
func (f Frame) plot() Rect {
	return Rect{f.Box.X + f.Left, f.Box.Y + f.Top, f.Box.W - f.Left - f.Right, f.Box.H - f.Top - f.Bottom}
}

// maxPoints caps the points of one drawn line; longer series are thinned.
const maxPoints = 320

// Palette holds one colour per project position on a light background (the
// page's light theme and every image), at least 3:1 against white. The
// stylesheet's --s0…--s5 hold the same values (a test checks web/app.css).
var Palette = []string{"#6366f1", "#d97706", "#059669", "#db2777", "#0891b2", "#9333ea"}

// DarkPalette is Palette on the page's dark theme, at least 3:1 against
// #12141c: the same hues, lighter.
var DarkPalette = []string{"#818cf8", "#fbbf24", "#34d399", "#f472b6", "#22d3ee", "#c084fc"}

// Series returns the palette position of the series at position i.
func Series(i int) int { return ((i % len(Palette)) + len(Palette)) % len(Palette) }

// Color returns the colour of the series at position i.
func Color(i int) string { return Palette[Series(i)] }

// Scale is how the y axis maps values.
type Scale int

// The y scales.
const (
	Linear Scale = iota
	Log
)

// Chart is a laid-out chart.
type Chart struct {
	ID            string  // prefix of element ids, unique in a page
	Title         string  // short, for <title>
	Desc          string  // a sentence, for <desc>
	Width, Height float64 // of the frame's box
	Plot          Rect    // the plot area
	XTicks        []Tick  // Pos in user units along x
	YTicks        []Tick  // Pos in user units along y
	Lines         []Line
	Bars          []Bars
}

// Rect is an area in user units.
type Rect struct{ X, Y, W, H float64 }

// Tick is one labelled position on an axis.
type Tick struct {
	Pos   float64
	Label string
}

// Line is one series drawn as a path.
type Line struct {
	Series int    // position of the project: picks the colour
	Name   string // the project's name
	Color  string
	Points []Point // in user units, oldest first
	D      string  // Points as SVG path data
	End    Point   // the last point, marked with a dot
}

// Point is a position in user units.
type Point struct{ X, Y float64 }

// Stars is one project's recorded star counts, oldest first.
type Stars struct {
	Series  int
	Name    string
	History []snapshot.StarPoint
}

// StarOptions choose how StarHistory draws.
type StarOptions struct {
	Scale Scale
	// Align starts every series at x = 0 (its first record), so that
	// projects of different ages compare by how they grew.
	Align bool
	// Frame is where to draw; the zero Frame is Page.
	Frame Frame
}

// StarHistory lays out the star history of each project, or returns nil when
// no project has any record.
func StarHistory(id string, ss []Stars, o StarOptions) *Chart {
	var series []xy
	for _, s := range ss {
		if len(s.History) == 0 {
			continue
		}
		pts := make([]pt, len(s.History))
		t0 := s.History[0].Date
		for i, h := range s.History {
			x := float64(h.Date.Unix())
			if o.Align {
				x = h.Date.Sub(t0).Hours() / 24
			}
			pts[i] = pt{x, float64(h.Stars)}
		}
		series = append(series, xy{series: s.Series, name: s.Name, pts: pts})
	}
	if len(series) == 0 {
		return nil
	}
	names := make([]string, len(series))
	for i, s := range series {
		names[i] = s.name
	}
	desc := "Stars over time of " + strings.Join(names, ", ")
	if o.Align {
		desc += ", each from its first record (days since then on the x axis)"
	}
	if o.Scale == Log {
		desc += ", on a logarithmic scale"
	}
	xk := xDates
	if o.Align {
		xk = xDays
	}
	return layout(id, "Star history", desc+".", series, xk, o.Scale, o.Frame)
}

// Commits is one project's weekly commit counts.
type Commits struct {
	Series int
	Name   string
	Weekly *snapshot.Weekly
}

// Week is the commit count of the week starting Start.
type Week struct {
	Start time.Time
	Count int
}

// LastWeeks returns the n weeks of w that start before end, newest last. Weeks
// the data does not cover are left out.
func LastWeeks(w *snapshot.Weekly, end time.Time, n int) []Week {
	if w == nil {
		return nil
	}
	var out []Week
	for i, c := range w.Counts {
		start := w.Start.AddDate(0, 0, 7*i)
		if !start.Before(end) {
			break
		}
		out = append(out, Week{start, c})
	}
	if len(out) > n {
		out = out[len(out)-n:]
	}
	return out
}

// Total adds up the counts of weeks.
func Total(weeks []Week) int {
	n := 0
	for _, w := range weeks {
		n += w.Count
	}
	return n
}

// WeeklyCommits lays out the commits per week of each project over the 52
// weeks before end, or returns nil when no project has weekly counts.
func WeeklyCommits(id string, cs []Commits, end time.Time) *Chart {
	var series []xy
	var names []string
	for _, c := range cs {
		weeks := LastWeeks(c.Weekly, end, 52)
		if len(weeks) == 0 {
			continue
		}
		pts := make([]pt, len(weeks))
		for i, w := range weeks {
			pts[i] = pt{float64(w.Start.Unix()), float64(w.Count)}
		}
		series = append(series, xy{series: c.Series, name: c.Name, pts: pts})
		names = append(names, c.Name)
	}
	if len(series) == 0 {
		return nil
	}
	return layout(id, "Weekly commits", "Commits per week over the last 52 weeks of "+strings.Join(names, ", ")+".", series, xDates, Linear, Page)
}

// Sparkline returns the path data of values drawn in a w×h box (the highest
// value touches the top, zero the bottom), or "" when there are fewer than two
// values.
func Sparkline(values []int, w, h float64) string {
	if len(values) < 2 {
		return ""
	}
	top := 0
	for _, v := range values {
		top = max(top, v)
	}
	pts := make([]Point, len(values))
	for i, v := range values {
		x := float64(i) / float64(len(values)-1) * w
		y := h - 1
		if top > 0 {
			y = 1 + (h-2)*(1-float64(v)/float64(top))
		}
		pts[i] = Point{x, y}
	}
	return pathData(pts)
}

// pathData writes points as SVG path data; a single point becomes a dot
// (with a round line cap).
func pathData(pts []Point) string {
	var b strings.Builder
	for i, p := range pts {
		if i == 0 {
			b.WriteString("M")
		} else {
			b.WriteString("L")
		}
		b.WriteString(Num(p.X) + " " + Num(p.Y))
	}
	if len(pts) == 1 {
		b.WriteString("h0")
	}
	return b.String()
}

// fewer keeps at most n of ticks (every k-th, from the first); n 0 keeps all.
func fewer(ticks []Tick, n int) []Tick {
	if n <= 0 || len(ticks) <= n {
		return ticks
	}
	k := (len(ticks) + n - 1) / n
	var out []Tick
	for i := 0; i < len(ticks); i += k {
		out = append(out, ticks[i])
	}
	return out
}

// xKind says what x values are.
type xKind int

const (
	xDates xKind = iota // unix seconds
	xDays               // days since each series' start
)

type pt struct{ x, y float64 }

type xy struct {
	series int
	name   string
	pts    []pt
}

// layout scales the series into the plot area and picks the ticks.
func layout(id, title, desc string, series []xy, xk xKind, scale Scale, f Frame) *Chart {
	if f == (Frame{}) {
		f = Page
	}
	c := &Chart{ID: id, Title: title, Desc: desc, Width: f.Box.W, Height: f.Box.H, Plot: f.plot()}
	xmin, xmax := math.Inf(1), math.Inf(-1)
	ymax := 0.0
	for _, s := range series {
		for _, p := range s.pts {
			xmin, xmax = math.Min(xmin, p.x), math.Max(xmax, p.x)
			ymax = math.Max(ymax, p.y)
		}
	}
	if xmax == xmin {
		// One moment only: widen by a day, so the points sit in the middle.
		span := 86400.0
		if xk == xDays {
			span = 1
		}
		xmin, xmax = xmin-span, xmax+span
	}
	var fy func(float64) float64
	var yticks []float64
	var ylabel func(float64) string
	if scale == Log {
		top := math.Max(1, math.Ceil(math.Log10(math.Max(ymax, 1))))
		if math.Pow(10, top) < ymax*1.001 && ymax >= 1 {
			top++
		}
		if math.Pow(10, top-1) >= ymax && top > 1 {
			top--
		}
		fy = func(v float64) float64 { return math.Log10(math.Max(v, 1)) / top }
		for e := 0.0; e <= top; e++ {
			yticks = append(yticks, math.Pow(10, e))
		}
		ylabel = func(v float64) string { return compact(v) }
	} else {
		step, top := niceStep(ymax, f.YSteps)
		fy = func(v float64) float64 { return v / top }
		for v := 0.0; v <= top+step/2; v += step {
			yticks = append(yticks, v)
		}
		ylabel = func(v float64) string { return compact(v) }
	}
	px := func(x float64) float64 { return c.Plot.X + (x-xmin)/(xmax-xmin)*c.Plot.W }
	py := func(y float64) float64 { return c.Plot.Y + c.Plot.H*(1-fy(y)) }
	for _, v := range yticks {
		c.YTicks = append(c.YTicks, Tick{Pos: round2(py(v)), Label: ylabel(v)})
	}
	if xk == xDates {
		c.XTicks = dateTicks(xmin, xmax, px)
	} else {
		c.XTicks = dayTicks(xmin, xmax, px)
	}
	c.XTicks = fewer(c.XTicks, f.MaxXTicks)
	sort.SliceStable(series, func(i, j int) bool { return series[i].series < series[j].series })
	for _, s := range series {
		pts := thin(s.pts, maxPoints)
		points := make([]Point, len(pts))
		for i, p := range pts {
			points[i] = Point{round2(px(p.x)), round2(py(p.y))}
		}
		c.Lines = append(c.Lines, Line{
			Series: s.series, Name: s.name, Color: Color(s.series),
			Points: points, D: pathData(points), End: points[len(points)-1],
		})
	}
	return c
}

// thin keeps at most n points, evenly spread, always the first and the last.
func thin(pts []pt, n int) []pt {
	if len(pts) <= n {
		return pts
	}
	out := make([]pt, 0, n)
	for i := range n {
		out = append(out, pts[i*(len(pts)-1)/(n-1)])
	}
	return out
}

// niceStep picks a round step (1, 2 or 5 × 10^k) giving about n ticks up to
// at least max, and the top of the axis.
func niceStep(max float64, n int) (step, top float64) {
	if max <= 0 {
		return 1, 1
	}
	raw := max / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	if step < 1 {
		step = 1
	}
	top = math.Ceil(max/step) * step
	return step, top
}

// dateTicks puts labels on round dates between unix times a and b.
func dateTicks(a, b float64, px func(float64) float64) []Tick {
	ta, tb := time.Unix(int64(a), 0).UTC(), time.Unix(int64(b), 0).UTC()
	days := tb.Sub(ta).Hours() / 24
	var ticks []Tick
	add := func(t time.Time, label string) {
		if x := float64(t.Unix()); x >= a && x <= b {
			ticks = append(ticks, Tick{Pos: round2(px(x)), Label: label})
		}
	}
	switch {
	case days > 3*365:
		step := max(1, int(math.Ceil(days/365/6)))
		for y := ta.Year(); y <= tb.Year(); y += step {
			add(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), strconv.Itoa(y))
		}
	case days > 60:
		months := int(math.Ceil(days / 30.44 / 6))
		for _, m := range []int{1, 2, 3, 6, 12} {
			if m >= months {
				months = m
				break
			}
		}
		t := time.Date(ta.Year(), ta.Month(), 1, 0, 0, 0, 0, time.UTC)
		for ; !t.After(tb); t = t.AddDate(0, months, 0) {
			if (int(t.Month())-1)%months != 0 {
				continue
			}
			add(t, t.Format("Jan 2006"))
		}
	default:
		step := 1
		for _, d := range []int{1, 2, 7, 14, 28} {
			step = d
			if days/float64(d) <= 6 {
				break
			}
		}
		t := time.Date(ta.Year(), ta.Month(), ta.Day(), 0, 0, 0, 0, time.UTC)
		for ; !t.After(tb); t = t.AddDate(0, 0, step) {
			add(t, t.Format("2 Jan"))
		}
	}
	return ticks
}

// dayTicks labels days since the start: "0", "30 d", "2 y".
func dayTicks(a, b float64, px func(float64) float64) []Tick {
	step, _ := niceStep(b, 5)
	if b > 2*365 {
		step = math.Ceil(b/365/5) * 365
	}
	var ticks []Tick
	for d := 0.0; d <= b; d += step {
		if d < a {
			continue
		}
		label := strconv.Itoa(int(d)) + " d"
		switch {
		case d == 0:
			label = "0"
		case int(d)%365 == 0:
			label = strconv.Itoa(int(d)/365) + " y"
		}
		ticks = append(ticks, Tick{Pos: round2(px(d)), Label: label})
	}
	return ticks
}

// compact writes an axis value briefly: 950, 14k, 1.2M.
func compact(v float64) string {
	switch a := math.Abs(v); {
	case a < 1000:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case a < 1e6:
		return strconv.FormatFloat(math.Round(v/100)/10, 'f', -1, 64) + "k"
	default:
		return strconv.FormatFloat(math.Round(v/1e5)/10, 'f', -1, 64) + "M"
	}
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// Num writes a coordinate with at most two decimals, as every SVG of versus
// writes them.
func Num(x float64) string { return strconv.FormatFloat(round2(x), 'f', -1, 64) }
