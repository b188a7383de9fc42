// Package export renders a comparison (the compare.Comparison model) in the
// forms people take it away in: a card, laid out once as a Scene of shapes
// (its star history by package chart) and written as SVG (which the browser
// draws into a PNG, and which a server-side raster drawer can paint from the
// same Scene), a Markdown table and CSV. The renderers are pure: the same
// input gives the same bytes, on the server, in tests and in the wasm.
package export

import (
	"fmt"
	"strings"

	"versus/app/chart"
	"versus/app/compare"
	"versus/app/format"
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

// fontFamily lists system fonts only: a web font would need a request, and a
// remote one would taint the canvas the PNG is drawn on.
const fontFamily = `system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK JP", "Helvetica Neue", Arial, sans-serif`

// Geometry shared by both layouts, in px.
const (
	cardW     = 1200
	socialH   = 630
	pad       = 40
	labelW    = 150 // the label column, at least; at most maxLabelW
	maxLabelW = 200
	rowH      = 36
	headTop   = 124
	footH     = 64
	chartGap  = 30
	fullChart = 300
)

// SVG draws c as a card of the given size.
func SVG(c *compare.Comparison, size Size) Card {
	sc := Layout(c, size)
	return Card{SVG: sc.SVG(), Width: sc.Width, Height: sc.Height}
}

// Layout lays out the card of c at the given size: the title, each project's
// head, the metric rows, the star history and the footer.
func Layout(c *compare.Comparison, size Size) Scene {
	l := newLayout(c, size)
	sc := Scene{
		Width: l.width, Height: l.height,
		Title: c.Title() + " · versus",
		Desc:  "Comparison of " + c.Title() + " on versus, data as of " + format.Date(c.Date) + ".",
	}
	sc.add(
		Rect{W: float64(l.width), H: float64(l.height), Fill: colBg},
		Rect{W: float64(l.width), H: 8, Fill: colAccent},
	)
	drawTitle(&sc, c)
	drawHeads(&sc, c, l)
	drawRows(&sc, c, l)
	starChart(&sc, l.chart, c, size == Full)
	drawFooter(&sc, c, l)
	return sc
}

// rect is a box on the card.
type rect struct{ x, y, w, h float64 }

// layout places the parts of a card.
type layout struct {
	width, height int
	tableW        float64 // label column included
	labelW        float64 // the label column
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
	// The label column widens for a long label ("Commits, 52 weeks").
	l.labelW = labelW
	for _, row := range c.Rows[:l.rows] {
		l.labelW = max(l.labelW, min(maxLabelW, textWidth(row.ShortLabel(), 15, true)+16))
	}
	l.colW = (l.tableW - l.labelW) / n
	return l
}

// colX is the left edge of project i's column.
func (l layout) colX(i int) float64 { return pad + l.labelW + float64(i)*l.colW }

// drawTitle writes "a vs b vs c", each name in its colour, shrunk to fit.
func drawTitle(sc *Scene, c *compare.Comparison) {
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
	t := Text{X: pad, Y: 88, Size: size}
	for i, name := range names {
		if i > 0 {
			t.Spans = append(t.Spans, Span{Text: vs, Fill: colMuted})
		}
		t.Spans = append(t.Spans, Span{Text: name, Fill: chart.Color(i), Bold: true})
	}
	sc.add(t)
}

// drawHeads writes each project's name, owner and description over its column.
func drawHeads(sc *Scene, c *compare.Comparison, l layout) {
	inner := l.colW - 16
	nameSize := 20.0
	if l.colW < 120 {
		nameSize = 17
	}
	for i, p := range c.Projects {
		x := l.colX(i) + 8
		sc.add(Rect{X: x, Y: headTop, W: inner, H: 4, R: 2, Fill: chart.Color(i)})
		sc.text(x, headTop+30, nameSize, true, colFg, Start, fit(p.Name, inner, nameSize, true))
		sc.text(x, headTop+50, 14, false, colMuted, Start, fit("by "+p.Owner, inner, 14, false))
		desc := oneLine(p.Description)
		if desc == "" {
			desc = "No description."
		}
		for j, line := range wrap(desc, inner, l.descSize, l.descLines) {
			sc.text(x, headTop+72+float64(j)*(l.descSize+5), l.descSize, false, colFg, Start, line)
		}
	}
}

// drawRows writes the metric table, the best value of each row marked.
func drawRows(sc *Scene, c *compare.Comparison, l layout) {
	top := headTop + l.headH
	for r, row := range c.Rows[:l.rows] {
		y := top + float64(r)*rowH
		if r%2 == 0 {
			sc.add(Rect{X: pad, Y: y, W: l.tableW, H: rowH, Fill: colSoft})
		}
		sc.text(pad+10, y+24, 15, true, colMuted, Start, fit(row.ShortLabel(), l.labelW-16, 15, true))
		for i, cell := range row.Cells {
			x := l.colX(i) + 8
			text := fit(cell.Text, l.colW-24, 16, cell.Best)
			switch {
			case cell.Best:
				sc.add(Rect{X: x - 6, Y: y + 5, W: min(l.colW-8, textWidth(text, 16, true)+14), H: rowH - 10, R: 6, Fill: colBestBg})
				sc.text(x, y+24, 16, true, colBest, Start, text)
			case !cell.Known:
				sc.text(x, y+24, 16, false, colMuted, Start, text)
			default:
				sc.text(x, y+24, 16, false, colFg, Start, text)
			}
		}
	}
	end := top + float64(l.rows)*rowH
	sc.add(Line{X1: pad, Y1: end, X2: pad + l.tableW, Y2: end, Stroke: colLine})
}

// starChart draws the star history of c in box b, laid out by package chart;
// with legend it names the projects under the title. Without any recorded
// point it says so instead of drawing empty axes.
func starChart(sc *Scene, b rect, c *compare.Comparison, legend bool) {
	sc.add(Rect{X: b.x, Y: b.y, W: b.w, H: b.h, R: 10, Fill: colBg, Stroke: colLine})
	sc.text(b.x+16, b.y+30, 16, true, colFg, Start, "Star history")
	f := chart.Frame{Box: chart.Rect{X: b.x, Y: b.y, W: b.w, H: b.h}, Left: 60, Right: 20, Top: 50, Bottom: 40, YSteps: 4}
	f.MaxXTicks = int((b.w - f.Left - f.Right) / 90)
	ch := chart.StarHistory("card", c.Stars, chart.StarOptions{Frame: f})
	if ch == nil {
		sc.text(b.x+b.w/2, b.y+b.h/2+6, 16, false, colMuted, Middle, "no history yet")
		return
	}
	if legend {
		x := b.x + 140
		for i, p := range c.Projects {
			name := fit(p.Name, 150, 14, false)
			sc.add(Rect{X: x, Y: b.y + 19, W: 12, H: 12, R: 2, Fill: chart.Color(i)})
			sc.text(x+18, b.y+30, 14, false, colFg, Start, name)
			x += 18 + textWidth(name, 14, false) + 20
		}
	}
	p := ch.Plot
	for _, t := range ch.YTicks {
		sc.add(Line{X1: p.X, Y1: t.Pos, X2: p.X + p.W, Y2: t.Pos, Stroke: colLine})
		sc.text(p.X-8, t.Pos+4, 12, false, colMuted, End, t.Label)
	}
	for _, t := range ch.XTicks {
		sc.text(t.Pos, p.Y+p.H+20, 12, false, colMuted, Middle, t.Label)
	}
	for _, line := range ch.Lines {
		if len(line.Points) == 1 {
			sc.add(Circle{X: line.End.X, Y: line.End.Y, R: 4, Fill: line.Color})
			continue
		}
		sc.add(Polyline{Points: line.Points, Stroke: line.Color, Width: 3})
	}
}

// drawFooter writes the site's mark and name, the data's date and the key.
func drawFooter(sc *Scene, c *compare.Comparison, l layout) {
	y := float64(l.height) - 26
	sc.add(Line{X1: pad, Y1: y - 30, X2: cardW - pad, Y2: y - 30, Stroke: colLine})
	// The mark of web/icon.svg (512 units), at 24 px.
	const u = 24.0 / 512
	mx, my := float64(pad), y-18
	sc.add(
		Rect{X: mx, Y: my, W: 512 * u, H: 512 * u, R: 112 * u, Fill: colAccent},
		Rect{X: mx + 104*u, Y: my + 136*u, W: 128 * u, H: 256 * u, R: 28 * u, Fill: "#ffffff"},
		Rect{X: mx + 280*u, Y: my + 216*u, W: 128 * u, H: 176 * u, R: 28 * u, Fill: "#c7d2fe"},
	)
	sc.text(pad+32, y, 20, true, colAccent, Start, "versus")
	sc.text(pad+120, y, 14, false, colMuted, Start, "compare open-source projects")
	right := "Data as of " + format.Date(c.Date) + " · GitHub API and Hacker News"
	sc.text(cardW-pad, y, 14, false, colMuted, End, right)
	kx := cardW - pad - textWidth(right, 14, false) - 110
	sc.add(Rect{X: kx, Y: y - 12, W: 14, H: 14, R: 3, Fill: colBestBg, Stroke: colBest})
	sc.text(kx+20, y, 14, false, colMuted, Start, "best value")
}

// SVG writes the scene as a standalone SVG document. Every text is escaped,
// and nothing in it loads anything (no href, no url(), no web font), so it
// can be drawn onto a canvas without tainting it.
func (sc Scene) SVG() []byte { return sc.svg("") }

// ThemedSVG writes the scene as SVG that follows its reader's colour scheme:
// a style block recolours it in dark mode (CSS outranks the fill and stroke
// attributes, which stay for viewers without CSS). It is the card people
// embed in a README; the style is the only thing it adds, and it loads
// nothing.
func (sc Scene) ThemedSVG() []byte { return sc.svg(darkStyle()) }

// darkStyle maps each colour of the card to the page's dark theme.
func darkStyle() string {
	var b strings.Builder
	b.WriteString("@media (prefers-color-scheme: dark){")
	rule := func(elems, prop, from, to string) {
		sels := strings.Split(elems, ",")
		for i, e := range sels {
			sels[i] = fmt.Sprintf(`%s[%s="%s"]`, e, prop, from)
		}
		fmt.Fprintf(&b, "%s{%s:%s}", strings.Join(sels, ","), prop, to)
	}
	for _, c := range [][2]string{{colBg, "#12141c"}, {colSoft, "#1b1e29"}, {colBestBg, "#123526"}, {"#c7d2fe", "#a5b4fc"}} {
		rule("rect", "fill", c[0], c[1])
	}
	for _, c := range [][2]string{{colFg, "#e6e8ef"}, {colMuted, "#a3a9bb"}, {colAccent, "#a5b4fc"}, {colBest, "#6ee7a8"}} {
		rule("text,tspan", "fill", c[0], c[1])
	}
	for i, c := range chart.Palette {
		rule("text,tspan,circle,rect", "fill", c, chart.DarkPalette[i])
		rule("polyline", "stroke", c, chart.DarkPalette[i])
	}
	rule("rect,line", "stroke", colLine, "#2c3040")
	rule("rect", "stroke", colBest, "#6ee7a8")
	b.WriteString("}")
	return b.String()
}

func (sc Scene) svg(style string) []byte {
	w := &svgWriter{}
	w.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="%s">`,
		sc.Width, sc.Height, sc.Width, sc.Height, esc(fontFamily))
	if style != "" { // made of our constants only: no text of anyone else's
		w.printf(`<style>%s</style>`, style)
	}
	w.printf(`<title>%s</title>`, esc(sc.Title))
	w.printf(`<desc>%s</desc>`, esc(sc.Desc))
	for _, s := range sc.Shapes {
		switch s := s.(type) {
		case Rect:
			w.printf(`<rect x="%s" y="%s" width="%s" height="%s"`, num(s.X), num(s.Y), num(s.W), num(s.H))
			if s.R > 0 {
				w.printf(` rx="%s"`, num(s.R))
			}
			w.printf(` fill="%s"`, esc(s.Fill))
			if s.Stroke != "" {
				w.printf(` stroke="%s"`, esc(s.Stroke))
			}
			w.printf(`/>`)
		case Line:
			w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, num(s.X1), num(s.Y1), num(s.X2), num(s.Y2), esc(s.Stroke))
		case Circle:
			w.printf(`<circle cx="%s" cy="%s" r="%s" fill="%s"/>`, num(s.X), num(s.Y), num(s.R), esc(s.Fill))
		case Polyline:
			w.printf(`<polyline fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round" stroke-linecap="round" points="`, esc(s.Stroke), num(s.Width))
			for i, p := range s.Points {
				if i > 0 {
					w.printf(" ")
				}
				w.printf("%s,%s", num(p.X), num(p.Y))
			}
			w.printf(`"/>`)
		case Text:
			w.text(s)
		}
	}
	w.printf(`</svg>`)
	return []byte(w.String())
}

// svgWriter builds the card's text.
type svgWriter struct{ strings.Builder }

func (w *svgWriter) printf(f string, args ...any) { fmt.Fprintf(w, f, args...) }

// text writes t, escaped; a text of several runs writes each as a tspan.
func (w *svgWriter) text(t Text) {
	if len(t.Spans) == 0 {
		return
	}
	first := t.Spans[0]
	w.printf(`<text x="%s" y="%s" font-size="%s" fill="%s"`, num(t.X), num(t.Y), num(t.Size), esc(first.Fill))
	if len(t.Spans) == 1 && first.Bold {
		w.printf(` font-weight="700"`)
	}
	switch t.Anchor {
	case Middle:
		w.printf(` text-anchor="middle"`)
	case End:
		w.printf(` text-anchor="end"`)
	}
	w.printf(`>`)
	if len(t.Spans) == 1 {
		w.printf(`%s</text>`, esc(first.Text))
		return
	}
	for _, s := range t.Spans {
		weight := "400"
		if s.Bold {
			weight = "700"
		}
		w.printf(`<tspan fill="%s" font-weight="%s">%s</tspan>`, esc(s.Fill), weight, esc(s.Text))
	}
	w.printf(`</text>`)
}

// num writes a coordinate as the charts do.
func num(f float64) string { return chart.Num(f) }
