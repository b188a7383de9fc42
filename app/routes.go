package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/dataset"
)

// routes registers every page. The server and the browser share it, so the
// server prerenders exactly what the browser shows.
func routes(src *dataset.Loader) {
	indexes := &browseIndexes{}
	app.RouteFunc("/", func() app.Composer { return newBrowsePage(src, indexes) })
	app.RouteWithRegexpFunc(`^/compare/`, func() app.Composer { return newComparePage(src) })
}
