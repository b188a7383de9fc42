package main

import (
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/compare"
	"versus/app/format"
)

// warningsView lists what to know before choosing. date is the snapshot's:
// when ws holds no "data older than a day" warning, a hidden one is rendered
// with the date, and site.js shows it if the visitor's clock finds the data
// old (the wasm starts only on the first interaction, and a static export is
// prerendered long before it is read).
func warningsView(ws []compare.Warning, date time.Time) app.UI {
	old := false
	for _, w := range ws {
		old = old || w.Kind == "old-data"
	}
	var pending app.UI
	if !old && !date.IsZero() {
		pending = app.Li().DataSet("warning", "old-data").DataSet("date", date.UTC().Format(time.RFC3339)).Hidden(true).Body(
			app.Span().Class("warn-icon").Text("⚠ "),
			app.Text("This data is from "+format.Date(date)+": figures may have changed since."),
		)
	}
	return app.Div().Class("warnings").Body(app.Ul().Body(
		app.Range(ws).Slice(func(i int) app.UI {
			w := ws[i]
			text, how := w.Text, app.UI(nil)
			if w.Kind == "burst" {
				text += " "
				how = app.A().Href("/about#burst").Text("How is a burst found?")
			}
			return app.Li().DataSet("warning", w.Kind).Body(
				app.Span().Class("warn-icon").Text("⚠ "),
				app.Text(text),
				how,
			)
		}),
		pending,
	))
}
