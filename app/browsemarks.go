package main

import (
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/browse"
)

// The browse benchmarks (bench_browse_test.go) read marks the wasm leaves on
// window, in performance.now() time: nothing else reads them.

// markRendered leaves, once the list of q is on screen, when that was
// (__browseRendered, and __browseFirst the first time), how long the search
// took (__browseRunMs) and the query (__browseQuery).
func markRendered(ctx app.Context, run time.Duration, q browse.Query) {
	if !app.IsClient {
		return
	}
	query := q.String()
	ctx.Defer(func(ctx app.Context) {
		w := app.Window()
		now := w.Get("performance").Call("now")
		w.Set("__browseRendered", now)
		w.Set("__browseRunMs", float64(run.Microseconds())/1000)
		w.Set("__browseQuery", query)
		if !w.Get("__browseFirst").Truthy() {
			w.Set("__browseFirst", now)
		}
	})
}

// markIndexBuilt leaves how long building the search index took
// (__browseIndexMs).
func markIndexBuilt(d time.Duration) {
	if app.IsClient {
		app.Window().Set("__browseIndexMs", float64(d.Microseconds())/1000)
	}
}
