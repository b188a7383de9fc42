package main

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/chart"
)

// gainsView draws the stars each project of ss gained: per week over its
// whole history and per day over the last 90 days, one small pair of bar
// charts per project in its colour, each on its own scale (projects differ
// by orders of magnitude), the weekly ones on one time axis, with their
// numbers, under a heading. Without any history it is left out: the star
// history above already says there is none.
func gainsView(id string, ss []chart.Stars) app.UI {
	pgs := chart.StarGains(id, ss)
	if len(pgs) == 0 {
		return nil
	}
	return app.Div().Class("gains").Body(
		app.H2().Text("Stars gained"),
		app.P().Class("muted", "gains-note").Text("Each project on its own scale; the weekly bars of all projects share one time axis."),
		app.Range(pgs).Slice(func(i int) app.UI {
			pg := pgs[i]
			s := "s" + strconv.Itoa(chart.Series(pg.Series))
			var daily app.UI = app.P().Class("muted", "no-data").Text("No daily record in the last " + strconv.Itoa(chart.DailyDays) + " days.")
			var dailyTable app.UI
			if pg.Daily != nil {
				daily = app.Div().Class("chart-canvas").Body(chartSVG(pg.Daily))
				dailyTable = dataView("The stars "+pg.Name+" gained each day", pg.Daily.Title+" of "+pg.Name, pg.DailyTable)
			}
			return app.Figure().Class("gain", s).DataSet("gains", pg.Name).Aria("label", "Stars gained by "+pg.Name).Body(
				app.P().Class("gain-name").Body(app.Span().Class("swatch", s), app.Text(pg.Name)),
				app.Div().Class("gain-panels").Body(
					app.Div().Body(
						app.P().Class("gain-label").Text("per week, whole history"),
						app.Div().Class("chart-canvas").Body(chartSVG(pg.Weekly)),
					),
					app.Div().Body(
						app.P().Class("gain-label").Text("per day, last "+strconv.Itoa(chart.DailyDays)+" days"),
						daily,
					),
				),
				dataView("The stars "+pg.Name+" gained each week", pg.Weekly.Title+" of "+pg.Name, pg.WeeklyTable),
				dailyTable,
			)
		}),
	)
}
