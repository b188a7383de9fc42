package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/dataset"
)

// routes registers every page. The server and the browser share it, so the
// server prerenders exactly what the browser shows.
func routes(src *dataset.Loader) {
	app.RouteFunc("/", func() app.Composer { return newHomePage(src) })
	app.RouteWithRegexpFunc(`^/compare/`, func() app.Composer { return newComparePage(src) })
	app.RouteWithRegexpFunc(`^/p/`, func() app.Composer { return newProjectPage(src) })
	app.RouteFunc("/about", func() app.Composer { return newAboutPage(src) })
}
