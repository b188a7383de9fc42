package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/chart"
)

// starHistory is the star history chart with its scale and alignment
// switches, which only change the drawing, so they stay out of the URL.
type starHistory struct {
	app.Compo

	ID     string // prefix of the chart's element ids
	Series []chart.Stars

	log   bool
	align bool
}

func newStarHistory(id string, series []chart.Stars) *starHistory {
	return &starHistory{ID: id, Series: series}
}

func (s *starHistory) Render() app.UI {
	c := chart.StarHistory(s.ID, s.Series, chart.StarOptions{Scale: s.scale(), Align: s.align})
	if c == nil {
		return app.Div().Class("star-history").Body(noDataView("star history"))
	}
	return app.Div().Class("star-history").Body(
		app.Div().Class("chart-controls").Body(
			app.FieldSet().Class("seg").Body(
				app.Legend().Text("Scale"),
				s.radio("scale", "Linear", !s.log, func() { s.log = false }),
				s.radio("scale", "Log", s.log, func() { s.log = true }),
			),
			app.FieldSet().Class("seg").Body(
				app.Legend().Text("Time axis"),
				s.radio("axis", "By date", !s.align, func() { s.align = false }),
				s.radio("axis", "From first record", s.align, func() { s.align = true }),
			),
		),
		chartView(c, chart.StarTable(s.Series, 60)),
	)
}

func (s *starHistory) scale() chart.Scale {
	if s.log {
		return chart.Log
	}
	return chart.Linear
}

// radio is one choice of a switch. Radios rather than buttons with
// aria-pressed: go-app prerenders an attribute valued "true" as a bare
// attribute, which leaves aria-pressed empty.
func (s *starHistory) radio(group, label string, on bool, set func()) app.UI {
	input := app.Input().Type("radio").Name(s.ID + "-" + group).
		OnChange(func(ctx app.Context, e app.Event) { set() })
	if on {
		// Only when on: go-app prerenders Checked(false) as checked="false",
		// which HTML reads as checked.
		input = input.Checked(true)
	}
	return app.Label().Body(input, app.Text(" "+label))
}
