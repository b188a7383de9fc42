package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/compare"
)

// warningsView lists what to know before choosing, or nothing.
func warningsView(ws []compare.Warning) app.UI {
	if len(ws) == 0 {
		return nil
	}
	return app.Section().Class("warnings").Aria("label", "Warnings").Body(
		app.Ul().Body(app.Range(ws).Slice(func(i int) app.UI {
			w := ws[i]
			return app.Li().DataSet("warning", w.Kind).Body(
				app.Span().Class("warn-icon").Text("⚠ "),
				app.Text(w.Text),
			)
		})),
	)
}
