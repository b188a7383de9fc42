package chart

import (
	"html"
	"strings"
)

// SVG renders c as a standalone SVG document: a title and a description for
// screen readers, axes, one line per project and a legend. Every text is
// escaped, so the result is safe to use as an image (a data: or blob: URL)
// or to save as a file; the page itself renders the model with go-app
// elements instead. Colours are written out, as an image cannot read the
// page's stylesheet.
func SVG(c *Chart) string {
	if c == nil {
		return ""
	}
	var b strings.Builder
	h := c.Height + legendHeight(c)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ` + num(c.Width) + " " + num(h) +
		`" width="` + num(c.Width) + `" height="` + num(h) + `" aria-labelledby="` + esc(c.ID) + `-t ` + esc(c.ID) + `-d" font-family="system-ui, sans-serif" font-size="12">`)
	b.WriteString(`<title id="` + esc(c.ID) + `-t">` + esc(c.Title) + `</title>`)
	b.WriteString(`<desc id="` + esc(c.ID) + `-d">` + esc(c.Desc) + `</desc>`)
	b.WriteString(`<rect width="100%" height="100%" fill="#ffffff"/>`)
	for _, t := range c.YTicks {
		b.WriteString(`<line x1="` + num(c.Plot.X) + `" x2="` + num(c.Plot.X+c.Plot.W) + `" y1="` + num(t.Pos) + `" y2="` + num(t.Pos) + `" stroke="#e3e6ee"/>`)
		b.WriteString(`<text x="` + num(c.Plot.X-6) + `" y="` + num(t.Pos+4) + `" text-anchor="end" fill="#5b6275">` + esc(t.Label) + `</text>`)
	}
	for _, t := range c.XTicks {
		b.WriteString(`<text x="` + num(t.Pos) + `" y="` + num(c.Plot.Y+c.Plot.H+18) + `" text-anchor="middle" fill="#5b6275">` + esc(t.Label) + `</text>`)
	}
	for _, l := range c.Lines {
		b.WriteString(`<path d="` + esc(l.D) + `" fill="none" stroke="` + esc(l.Color) + `" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>`)
		b.WriteString(`<circle cx="` + num(l.End.X) + `" cy="` + num(l.End.Y) + `" r="3" fill="` + esc(l.Color) + `"/>`)
	}
	y := c.Height + 4
	for i, l := range c.Lines {
		x := padLeft + float64(i%3)*190
		row := y + float64(i/3)*18
		b.WriteString(`<rect x="` + num(x) + `" y="` + num(row) + `" width="12" height="12" rx="2" fill="` + esc(l.Color) + `"/>`)
		b.WriteString(`<text x="` + num(x+18) + `" y="` + num(row+10) + `" fill="#1f2330">` + esc(clip(l.Name, 26)) + `</text>`)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func legendHeight(c *Chart) float64 { return float64((len(c.Lines)+2)/3) * 18 }

// esc escapes text for SVG (XML) content and attribute values.
func esc(s string) string { return html.EscapeString(strings.ToValidUTF8(s, "")) }

// clip shortens s to n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
