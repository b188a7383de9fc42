package main

import (
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/chart"
)

// svgNS makes go-app create SVG elements with createElementNS.
const svgNS = "http://www.w3.org/2000/svg"

// svgEl returns an SVG element. Every one has a closing tag: go-app writes no
// "/>" on the server, and in SVG an unclosed element swallows its siblings.
// SVG elements get no class (go-app sets className, read-only on SVG):
// data-s attributes carry the series, which the stylesheet colours.
func svgEl(tag string) app.HTMLElem { return app.Elem(tag).XMLNS(svgNS) }

// chartView draws c with its legend, and the numbers as a table in a
// disclosure. c is never nil here.
func chartView(c *chart.Chart, t chart.Table) app.UI {
	return app.Figure().Class("chart").Body(
		app.Div().Class("chart-canvas").Body(chartSVG(c)),
		app.Ul().Class("chart-legend").Aria("label", "Legend").Body(app.Range(c.Lines).Slice(func(i int) app.UI {
			l := c.Lines[i]
			return app.Li().Body(
				app.Span().Class("swatch", "s"+strconv.Itoa(chart.Series(l.Series))),
				app.Text(l.Name),
			)
		})),
		tableView(c.Title, t),
	)
}

// chartSVG draws c: its grid, axis labels, lines and bars, titled and
// described for screen readers.
func chartSVG(c *chart.Chart) app.UI {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	var shapes []app.UI
	for _, tk := range c.YTicks {
		shapes = append(shapes,
			svgEl("line").DataSet("grid", "y").Attr("x1", f(c.Plot.X)).Attr("x2", f(c.Plot.X+c.Plot.W)).Attr("y1", f(tk.Pos)).Attr("y2", f(tk.Pos)),
			svgEl("text").Attr("x", f(c.Plot.X-6)).Attr("y", f(tk.Pos+4)).Attr("text-anchor", "end").Text(tk.Label),
		)
	}
	for _, tk := range c.XTicks {
		shapes = append(shapes,
			svgEl("text").Attr("x", f(tk.Pos)).Attr("y", f(c.Plot.Y+c.Plot.H+18)).Attr("text-anchor", "middle").Text(tk.Label),
		)
	}
	for _, b := range c.Bars {
		shapes = append(shapes, svgEl("path").DataSet("fill", strconv.Itoa(chart.Series(b.Series))).Attr("d", b.D).Attr("fill", b.Color))
	}
	for _, l := range c.Lines {
		s := strconv.Itoa(chart.Series(l.Series))
		shapes = append(shapes,
			svgEl("path").DataSet("s", s).Attr("d", l.D).Attr("fill", "none").Attr("stroke", l.Color).
				Attr("stroke-width", "2").Attr("stroke-linejoin", "round").Attr("stroke-linecap", "round"),
			svgEl("circle").DataSet("s", s).Attr("cx", f(l.End.X)).Attr("cy", f(l.End.Y)).Attr("r", "3").Attr("fill", l.Color),
		)
	}
	return svgEl("svg").Attr("viewBox", "0 0 "+f(c.Width)+" "+f(c.Height)).
		Attr("role", "img").Aria("labelledby", c.ID+"-t "+c.ID+"-d").
		Body(append([]app.UI{
			svgEl("title").ID("%s", c.ID+"-t").Text(c.Title),
			svgEl("desc").ID("%s", c.ID+"-d").Text(c.Desc),
		}, shapes...)...)
}

// tableView shows a chart's numbers in a disclosure.
func tableView(title string, t chart.Table) app.UI {
	return dataView("The numbers of the "+lower(title)+" chart", title, t)
}

// dataView shows a table in a disclosure opened by summary.
func dataView(summary, caption string, t chart.Table) app.UI {
	return app.Details().Class("chart-data").Body(
		app.Summary().Text(summary),
		app.Div().Class("table-wrap").Body(app.Table().Class("data").Body(
			app.Caption().Class("sr-only").Text(caption),
			app.THead().Body(app.Tr().Body(app.Range(t.Head).Slice(func(i int) app.UI {
				return app.Th().Scope("col").Text(t.Head[i])
			}))),
			app.TBody().Body(app.Range(t.Rows).Slice(func(i int) app.UI {
				row := t.Rows[i]
				return app.Tr().Body(app.Range(row).Slice(func(j int) app.UI {
					if j == 0 {
						return app.Th().Scope("row").Text(row[j])
					}
					if row[j] == "" {
						return app.Td().Class("num", "unknown").Text("–")
					}
					return app.Td().Class("num").Text(row[j])
				}))
			})),
		)),
	)
}

// noDataView stands where a chart would be when nothing is recorded yet.
func noDataView(what string) app.UI {
	return app.P().Class("muted", "no-data").Text("No " + what + " recorded yet: the sync records it from now on, and the chart appears once there is some.")
}

// sparkline is a small line of values in a table cell, labelled with what
// it shows (aria-hidden would be prerendered empty by go-app, so not hidden).
func sparkline(series int, label string, values []int) app.UI {
	d := chart.Sparkline(values, 100, 24)
	if d == "" {
		return nil
	}
	return svgEl("svg").DataSet("spark", "1").Attr("viewBox", "0 0 100 24").Attr("preserveAspectRatio", "none").
		Attr("role", "img").Aria("label", label).Attr("focusable", "false").Body(
		svgEl("path").DataSet("s", strconv.Itoa(series%len(chart.Palette))).Attr("d", d).
			Attr("fill", "none").Attr("stroke", chart.Color(series)).Attr("stroke-width", "1.5").Attr("vector-effect", "non-scaling-stroke"),
	)
}

func lower(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}

// commitsChart draws weekly commits, or says there are none yet.
func commitsChart(id string, cs []chart.Commits, end time.Time) app.UI {
	c := chart.WeeklyCommits(id, cs, end)
	if c == nil {
		return noDataView("weekly commits")
	}
	return chartView(c, chart.CommitTable(cs, end))
}
