// Package export renders a comparison (the compare.Comparison model) in the
// forms people take it away in: an SVG card (which the browser also draws
// into a PNG), a Markdown table and CSV. The renderers are pure: the same
// input gives the same bytes, on the server, in tests and in the wasm.
package export

import (
	"fmt"
	"strings"

	"versus/app/compare"
	"versus/app/format"
	"versus/sync/snapshot"
)

// Size is one of the card's layouts.
type Size int

const (
	// Social is 1200×630, the size of link previews: the rows that fit, with
	// the star history beside the table.
	Social Size = iota
	// Full is 1200 wide and as tall as every row and the chart need.
	Full
)

// String names the size in file names and logs.
func (s Size) String() string {
	if s == Full {
		return "full"
	}
	return "1200x630"
}

// History holds star histories by repo, oldest point first. A project with
// no entry shows no line.
type History map[string][]snapshot.StarPoint

// Card is an SVG image of a comparison.
type Card struct {
	SVG           []byte
	Width, Height int
}

// Colours of the card. It is always light: it is an image, shown anywhere.
const (
	colBg     = "#ffffff"
	colSoft   = "#f6f7fb"
	colFg     = "#1f2330"
	colMuted  = "#5b6275"
	colLine   = "#e3e6ee"
	colAccent = "#4f46e5"
	colBest   = "#0f7b48"
	colBestBg = "#e6f6ee"
)

// Palette gives each compared project, in order, its colour in the card and
// the chart.
var Palette = []string{"#4f46e5", "#d9480f", "#0f7b48", "#c2255c", "#0b7285", "#7048e8"}

// fontFamily lists system fonts only: a web font would need a request, and a
// remote one would taint the canvas the PNG is drawn on.
const fontFamily = `system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK JP", "Helvetica Neue", Arial, sans-serif`

// Geometry shared by both layouts, in px.
const (
	cardW     = 1200
	socialH   = 630
	pad       = 40
	labelW    = 150
	rowH      = 36
	headTop   = 124
	footH     = 64
	chartGap  = 30
	fullChart = 300
)

// SVG draws c as a card of the given size, with the star histories in h
// (which may be nil).
func SVG(c *compare.Comparison, size Size, h History) Card {
	l := newLayout(c, size)
	w := &svgWriter{}
	w.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="%s">`,
		l.width, l.height, l.width, l.height, esc(fontFamily))
	w.printf(`<title>%s</title>`, esc(c.Title()+" · versus"))
	w.printf(`<desc>%s</desc>`, esc("Comparison of "+c.Title()+" on versus, data as of "+format.Date(c.Date)+"."))
	w.printf(`<rect width="%d" height="%d" fill="%s"/>`, l.width, l.height, colBg)
	w.printf(`<rect width="%d" height="8" fill="%s"/>`, l.width, colAccent)
	drawTitle(w, c)
	drawHeads(w, c, l)
	drawRows(w, c, l)
	starChart(w, l.chart, seriesOf(c, h), size == Full)
	drawFooter(w, c, l)
	w.printf(`</svg>`)
	return Card{SVG: []byte(w.String()), Width: l.width, Height: l.height}
}

// rect is a box on the card.
type rect struct{ x, y, w, h float64 }

// layout places the parts of a card.
type layout struct {
	width, height int
	tableW        float64 // label column included
	colW          float64 // one project's column
	headH         float64 // names, owners, descriptions
	descLines     int
	descSize      float64
	rows          int // how many rows fit
	chart         rect
}

func newLayout(c *compare.Comparison, size Size) layout {
	n := float64(len(c.Projects))
	l := layout{width: cardW}
	if size == Social {
		// More columns take room from the chart.
		l.tableW = 740
		if len(c.Projects) > 3 {
			l.tableW = 830
		}
		l.descLines, l.descSize = 2, 13
		l.headH = 104
		top := headTop + l.headH
		bottom := float64(socialH - footH)
		l.rows = min(len(c.Rows), int((bottom-top)/rowH))
		l.chart = rect{x: pad + l.tableW + chartGap, y: headTop, w: cardW - 2*pad - l.tableW - chartGap, h: bottom - headTop}
		l.height = socialH
	} else {
		l.tableW = cardW - 2*pad
		l.descLines, l.descSize = 4, 14
		l.headH = 72 + float64(l.descLines)*18
		l.rows = len(c.Rows)
		y := headTop + l.headH + float64(l.rows)*rowH + chartGap
		l.chart = rect{x: pad, y: y, w: cardW - 2*pad, h: fullChart}
		l.height = int(y + fullChart + footH + 10)
	}
	l.colW = (l.tableW - labelW) / n
	return l
}

// colX is the left edge of project i's column.
func (l layout) colX(i int) float64 { return pad + labelW + float64(i)*l.colW }

// drawTitle writes "a vs b vs c", each name in its colour, shrunk to fit.
func drawTitle(w *svgWriter, c *compare.Comparison) {
	const maxW, vs = cardW - 2*pad, " vs "
	full := c.Title()
	size := min(44, max(26, maxW/textWidth(full, 1, true)))
	names := make([]string, len(c.Projects))
	for i, p := range c.Projects {
		names[i] = p.Name
	}
	if textWidth(full, size, true) > maxW { // still too wide at the smallest size
		each := (maxW - float64(len(names)-1)*textWidth(vs, size, true)) / float64(len(names))
		for i := range names {
			names[i] = fit(names[i], each, size, true)
		}
	}
	w.printf(`<text x="%d" y="88" font-size="%s" font-weight="700" fill="%s">`, pad, num(size), colFg)
	for i, name := range names {
		if i > 0 {
			w.printf(`<tspan fill="%s" font-weight="400">%s</tspan>`, colMuted, vs)
		}
		w.printf(`<tspan fill="%s">%s</tspan>`, Palette[i%len(Palette)], esc(name))
	}
	w.printf(`</text>`)
}

// drawHeads writes each project's name, owner and description over its column.
func drawHeads(w *svgWriter, c *compare.Comparison, l layout) {
	inner := l.colW - 16
	nameSize := 20.0
	if l.colW < 120 {
		nameSize = 17
	}
	for i, p := range c.Projects {
		x := l.colX(i) + 8
		w.printf(`<rect x="%s" y="%d" width="%s" height="4" rx="2" fill="%s"/>`, num(x), headTop, num(inner), Palette[i%len(Palette)])
		w.text(x, headTop+30, nameSize, true, colFg, "", fit(p.Name, inner, nameSize, true))
		w.text(x, headTop+50, 14, false, colMuted, "", fit("by "+p.Owner, inner, 14, false))
		desc := oneLine(p.Description)
		if desc == "" {
			desc = "No description."
		}
		for j, line := range wrap(desc, inner, l.descSize, l.descLines) {
			w.text(x, headTop+72+float64(j)*(l.descSize+5), l.descSize, false, colFg, "", line)
		}
	}
}

// drawRows writes the metric table, the best value of each row marked.
func drawRows(w *svgWriter, c *compare.Comparison, l layout) {
	top := headTop + l.headH
	for r, row := range c.Rows[:l.rows] {
		y := top + float64(r)*rowH
		if r%2 == 0 {
			w.printf(`<rect x="%d" y="%s" width="%s" height="%d" fill="%s"/>`, pad, num(y), num(l.tableW), rowH, colSoft)
		}
		w.text(pad+10, y+24, 15, true, colMuted, "", fit(row.Label, labelW-16, 15, true))
		for i, cell := range row.Cells {
			x := l.colX(i) + 8
			text := fit(cell.Text, l.colW-24, 16, cell.Best)
			switch {
			case cell.Best:
				w.printf(`<rect x="%s" y="%s" width="%s" height="%d" rx="6" fill="%s"/>`, num(x-6), num(y+5), num(min(l.colW-8, textWidth(text, 16, true)+14)), rowH-10, colBestBg)
				w.text(x, y+24, 16, true, colBest, "", text)
			case !cell.Known:
				w.text(x, y+24, 16, false, colMuted, "", text)
			default:
				w.text(x, y+24, 16, false, colFg, "", text)
			}
		}
	}
	w.printf(`<line x1="%d" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, pad, num(top+float64(l.rows)*rowH), num(pad+l.tableW), num(top+float64(l.rows)*rowH), colLine)
}

// drawFooter writes the site's mark and name, the data's date and the key.
func drawFooter(w *svgWriter, c *compare.Comparison, l layout) {
	y := float64(l.height) - 26
	w.printf(`<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="%s"/>`, pad, num(y-30), cardW-pad, num(y-30), colLine)
	// The mark of web/icon.svg, at 24 px.
	w.printf(`<g transform="translate(%d %s) scale(0.046875)"><rect width="512" height="512" rx="112" fill="%s"/><rect x="104" y="136" width="128" height="256" rx="28" fill="#ffffff"/><rect x="280" y="216" width="128" height="176" rx="28" fill="#c7d2fe"/></g>`, pad, num(y-18), colAccent)
	w.text(pad+32, y, 20, true, colAccent, "", "versus")
	w.text(pad+120, y, 14, false, colMuted, "", "compare open-source projects")
	right := "Data as of " + format.Date(c.Date) + " · GitHub API and Hacker News"
	w.text(cardW-pad, y, 14, false, colMuted, "end", right)
	kx := cardW - pad - textWidth(right, 14, false) - 110
	w.printf(`<rect x="%s" y="%s" width="14" height="14" rx="3" fill="%s" stroke="%s"/>`, num(kx), num(y-12), colBestBg, colBest)
	w.text(kx+20, y, 14, false, colMuted, "", "best value")
}

// svgWriter builds the card's text.
type svgWriter struct{ strings.Builder }

func (w *svgWriter) printf(f string, args ...any) { fmt.Fprintf(w, f, args...) }

// text writes s, escaped, with its baseline at y; anchor is "", "middle" or "end".
func (w *svgWriter) text(x, y, size float64, bold bool, fill, anchor, s string) {
	w.printf(`<text x="%s" y="%s" font-size="%s" fill="%s"`, num(x), num(y), num(size), fill)
	if bold {
		w.printf(` font-weight="700"`)
	}
	if anchor != "" {
		w.printf(` text-anchor="%s"`, anchor)
	}
	w.printf(`>%s</text>`, esc(s))
}

// num writes a coordinate with at most one decimal.
func num(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	return strings.TrimSuffix(s, ".0")
}
