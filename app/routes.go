package main

import (
	"sync"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/dataset"
)

// routes registers every page. The server and the browser share it, so the
// server prerenders exactly what the browser shows.
func routes(src *dataset.Loader) {
	indexes := &browseIndexes{}
	app.RouteFunc("/", func() app.Composer { return newBrowsePage(src, indexes) })
	routePrefix(`^/compare/`, func() app.Composer { return newComparePage(src) })
	routePrefix(`^/p/`, func() app.Composer { return newProjectPage(src) })
	app.RouteFunc("/about", func() app.Composer { return newAboutPage(src) })
}

// prefixRoutes works around go-app's router, which keeps regexp routes in a
// package-level list where the first match wins: registering a pattern again
// (a second server in one process, as in tests) would keep building pages
// with the first server's data. Each pattern is registered once and builds
// its pages with the newest constructor.
var prefixRoutes = struct {
	sync.Mutex
	newPage map[string]func() app.Composer
}{newPage: map[string]func() app.Composer{}}

func routePrefix(pattern string, newPage func() app.Composer) {
	prefixRoutes.Lock()
	defer prefixRoutes.Unlock()
	if _, ok := prefixRoutes.newPage[pattern]; !ok {
		app.RouteWithRegexpFunc(pattern, func() app.Composer {
			prefixRoutes.Lock()
			defer prefixRoutes.Unlock()
			return prefixRoutes.newPage[pattern]()
		})
	}
	prefixRoutes.newPage[pattern] = newPage
}
