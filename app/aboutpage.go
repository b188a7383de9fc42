package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/compare"
	"versus/app/dataset"
	"versus/app/format"
)

// aboutPage explains every metric (formula and source), the data's date and
// where it comes from: /about, with an anchor per metric (/about#growth).
type aboutPage struct {
	app.Compo

	src *dataset.Loader

	ready bool
	data  loaded
}

func newAboutPage(src *dataset.Loader) *aboutPage { return &aboutPage{src: src} }

func (a *aboutPage) OnPreRender(ctx app.Context) { a.init(ctx) }
func (a *aboutPage) OnNav(ctx app.Context)       { a.init(ctx) }

func (a *aboutPage) init(ctx app.Context) {
	load(ctx, a.src, nil, func(ctx app.Context, r loaded) {
		a.ready, a.data = true, r
		ctx.Page().SetTitle("About the data and metrics · versus")
		ctx.Page().SetDescription("How versus computes stars, growth, activity, last commit, mentions and alternatives, and where the data comes from.")
	})
}

func (a *aboutPage) Render() app.UI {
	if !a.ready {
		return shell(nil, loadingView())
	}
	metrics := compare.Metrics()
	return shell(a.data.set, app.Article().Class("about").Body(
		app.H1().Text("About versus"),
		app.P().Class("lede").Text("versus compares open-source projects side by side. Every figure comes from public data, gathered by a sync job that runs on a schedule and publishes a snapshot; your browser does the comparing."),
		a.snapshotView(),
		app.H2().ID("metrics").Text("Metrics"),
		app.Dl().Class("metric-list").Body(app.Range(metrics).Slice(func(i int) app.UI {
			m := metrics[i]
			return app.Div().ID("%s", m.Key).Class("metric").Body(
				app.Dt().Body(app.A().Href("%s", "#"+m.Key).Text(m.Label)),
				app.Dd().Body(
					app.P().Text(m.Help),
					app.P().Class("source").Text("Source: "+m.Source),
				),
			)
		})),
		app.H2().ID("charts").Text("Charts"),
		app.P().Text("Star history draws each project's star count from its first week to the data's date: a point a week, and a point a day over the last 90 days. It is on a linear or a logarithmic scale, by date or from each project's first record so that young and old projects compare by how they grew. Stars gained draws, for each project on its own scale, the stars gained each week over its whole history and each day over the last 90 days: the difference between consecutive counts (a gap between records is spread evenly over the weeks it spans). Weekly commits draws the last 52 weeks. Each project keeps one colour across a page, and every chart has its numbers in a table below it."),
		app.H2().ID("warnings").Text("Warnings"),
		app.Ul().Body(
			app.Li().Text("Archived: the owners have archived the repository; it no longer takes changes."),
			app.Li().Text("No commit for over a year, counted from the data's date."),
			app.Li().ID("burst").Text(compare.HelpBurst),
			app.Li().Text("Licences that differ in kind: copyleft (GPL, AGPL: derived works stay open), weak copyleft (MPL, LGPL, EPL: changed files stay open), permissive (MIT, Apache, BSD: keep the notice) and public domain (CC0, Unlicense). With “A OR B” the least demanding choice counts, with “A AND B” the most demanding."),
			app.Li().Text("Data older than a day, by your device's clock."),
		),
		app.H2().ID("source").Text("Where the data comes from"),
		app.P().Text("The GitHub REST API gives each repository's stars, forks, issues, licence, language, topics, releases, last commit, contributors and weekly commit activity. The Hacker News search API gives the posts and comments that link to a repository. GitHub no longer lists who starred other people's repositories and when, but its stargazers/history endpoint gives the stars given each week and day that are still present: the sync counts back from today's star count to rebuild the curve, and merges it with the star count it stores at each run, which wins where both exist since it also counts stars removed since."),
		app.P().Text("Text shown from repositories (names, descriptions, topics, homepages, post titles) is shown as plain text, and only http and https links are followed."),
	))
}

func (a *aboutPage) snapshotView() app.UI {
	set := a.data.set
	if set == nil {
		msg := "no snapshot"
		if a.data.err != nil {
			msg = a.data.err.Error()
		}
		return app.P().Class("error").Text("The current snapshot could not be loaded: " + msg)
	}
	return app.Dl().Class("facts").Body(
		app.Div().Body(app.Dt().Text("Snapshot"), app.Dd().Body(
			app.Time().DateTime(set.Date().UTC().Format("2006-01-02T15:04:05Z")).Text(format.Date(set.Date())+" "+set.Date().UTC().Format("15:04")+" UTC"),
		)),
		app.Div().Body(app.Dt().Text("Projects"), app.Dd().Text(format.Int(len(set.Projects)))),
		app.Div().Body(app.Dt().Text("Categories"), app.Dd().Text(format.Int(len(set.Categories)))),
	)
}
