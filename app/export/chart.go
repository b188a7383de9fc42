package export

import (
	"math"
	"time"

	"versus/app/compare"
	"versus/app/format"
	"versus/sync/snapshot"
)

// The star-history chart of the card lives here, behind starChart and Series,
// so that a shared chart package can take its place without touching the
// layout.

// Series is one project's star history.
type Series struct {
	Name   string
	Color  string
	Points []snapshot.StarPoint // oldest first
}

// seriesOf pairs the compared projects with their histories, in order.
func seriesOf(c *compare.Comparison, h History) []Series {
	out := make([]Series, len(c.Projects))
	for i, p := range c.Projects {
		out[i] = Series{Name: p.Name, Color: Palette[i%len(Palette)], Points: h[p.Repo]}
	}
	return out
}

// starChart draws the series as lines over a shared time axis in box b; with
// legend it names the series under the title. Without any recorded point it
// says so instead of drawing empty axes.
func starChart(w *svgWriter, b rect, series []Series, legend bool) {
	w.printf(`<rect x="%s" y="%s" width="%s" height="%s" rx="10" fill="%s" stroke="%s"/>`, num(b.x), num(b.y), num(b.w), num(b.h), colBg, colLine)
	w.text(b.x+16, b.y+30, 16, true, colFg, "", "Star history")
	var first, last time.Time
	top := 0
	for _, s := range series {
		for _, p := range s.Points {
			if first.IsZero() || p.Date.Before(first) {
				first = p.Date
			}
			if p.Date.After(last) {
				last = p.Date
			}
			top = max(top, p.Stars)
		}
	}
	if first.IsZero() {
		w.text(b.x+b.w/2, b.y+b.h/2+6, 16, false, colMuted, "middle", "no history yet")
		return
	}
	if legend {
		x := b.x + 140
		for _, s := range series {
			name := fit(s.Name, 150, 14, false)
			w.printf(`<rect x="%s" y="%s" width="12" height="12" rx="2" fill="%s"/>`, num(x), num(b.y+19), s.Color)
			w.text(x+18, b.y+30, 14, false, colFg, "", name)
			x += 18 + textWidth(name, 14, false) + 20
		}
	}
	// The plot area, leaving room for the axis labels.
	p := rect{x: b.x + 60, y: b.y + 50, w: b.w - 80, h: b.h - 90}
	ymax := niceCeil(float64(top))
	for i := 0; i <= 4; i++ {
		v := ymax * float64(i) / 4
		y := p.y + p.h - p.h*float64(i)/4
		w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, num(p.x), num(y), num(p.x+p.w), num(y), colLine)
		w.text(p.x-8, y+4, 12, false, colMuted, "end", format.Compact(int(v)))
	}
	span := last.Sub(first).Seconds()
	xOf := func(t time.Time) float64 {
		if span == 0 {
			return p.x + p.w/2
		}
		return p.x + p.w*t.Sub(first).Seconds()/span
	}
	yOf := func(n int) float64 { return p.y + p.h - p.h*float64(n)/ymax }
	w.text(p.x, p.y+p.h+20, 12, false, colMuted, "", format.Date(first))
	if span > 0 {
		w.text(p.x+p.w, p.y+p.h+20, 12, false, colMuted, "end", format.Date(last))
	}
	for _, s := range series {
		switch len(s.Points) {
		case 0:
			continue
		case 1:
			pt := s.Points[0]
			w.printf(`<circle cx="%s" cy="%s" r="4" fill="%s"/>`, num(xOf(pt.Date)), num(yOf(pt.Stars)), s.Color)
			continue
		}
		w.printf(`<polyline fill="none" stroke="%s" stroke-width="3" stroke-linejoin="round" stroke-linecap="round" points="`, s.Color)
		for i, pt := range s.Points {
			if i > 0 {
				w.printf(" ")
			}
			w.printf("%s,%s", num(xOf(pt.Date)), num(yOf(pt.Stars)))
		}
		w.printf(`"/>`)
	}
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten (at least 1), so
// that the axis labels are round numbers.
func niceCeil(v float64) float64 {
	if v <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}
