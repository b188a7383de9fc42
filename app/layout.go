package main

import (
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/dataset"
	"versus/app/format"
	"versus/app/safe"
)

// shell wraps a page's content in the site's header and footer. set may be nil
// when the snapshot could not be loaded.
func shell(set *dataset.Set, content ...app.UI) app.UI {
	var notice, data app.UI
	var date time.Time
	if set != nil {
		date = set.Date()
		if set.Note != "" {
			notice = app.P().Class("notice").Text(safe.Text(set.Note, 300))
		}
		data = app.P().Body(
			app.Text("Data as of "),
			app.Time().DateTime(set.Date().UTC().Format("2006-01-02T15:04:05Z")).Text(format.Date(set.Date())),
			app.Text(" · "+format.Int(len(set.Projects))+" projects · from the GitHub API and Hacker News"),
		)
	}
	root := app.Div().Class("site")
	if app.IsClient {
		// Browser tests wait for this: only the wasm renders it.
		root = root.DataSet("runtime", "wasm")
	}
	return root.Body(
		app.Header().Class("top").Body(
			app.A().Href("/").Class("brand").Body(
				app.Img().Src("/web/icon.svg").Alt("").Width(28).Height(28),
				app.Span().Text("versus"),
			),
			newNetStatus(date),
			app.Nav().Aria("label", "Site").Body(
				app.A().Href("/").Text("Projects"),
				app.A().Href("/about").Text("About"),
				newThemeToggle(),
			),
		),
		notice,
		app.Main().ID("main").Body(content...),
		app.Footer().Class("bottom").Body(data),
	)
}

// problem is the view of a page that cannot show what was asked.
func problem(title string, body ...app.UI) app.UI {
	return app.Section().Class("problem").Body(
		app.H1().Text(title),
		app.Div().Body(body...),
	)
}

// loadingView is shown while data loads in the background.
func loadingView() app.UI {
	return app.P().Class("loading").Aria("busy", "true").Text("Loading…")
}

// link renders a third-party URL as a link when it is http(s), else as text.
func link(raw, text string) app.UI {
	if u, ok := safe.URL(raw); ok {
		return app.A().Href("%s", u).Rel("noopener noreferrer nofollow").Text(text)
	}
	return app.Span().Text(text)
}
