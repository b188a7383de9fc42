package main

import (
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/browse"
)

// The browse benchmarks (bench_browse_test.go) read marks the wasm leaves on
// window, in performance.now() time: nothing else reads them. afterPaint,
// below, also tells main_wasm.go when the first page is painted.

// markRendered leaves, once the list of q is in the DOM, when that was
// (__browseRendered, and __browseFirst the first time), how long the search
// took (__browseRunMs) and the query (__browseQuery); and, once the frame
// that shows it has been painted, when that was (__browsePainted: a task
// queued from the next animation frame runs after its paint).
func markRendered(run time.Duration, q browse.Query) {
	if !app.IsClient {
		return
	}
	w := app.Window()
	now := w.Get("performance").Call("now")
	w.Set("__browseRendered", now)
	w.Set("__browseRunMs", float64(run.Microseconds())/1000)
	w.Set("__browseQuery", q.String())
	if !w.Get("__browseFirst").Truthy() {
		w.Set("__browseFirst", now)
	}
	afterPaint(func() { w.Set("__browsePainted", w.Get("performance").Call("now")) })
}

// markIndexBuilt leaves how long building the search index took
// (__browseIndexMs).
func markIndexBuilt(d time.Duration) {
	if app.IsClient {
		app.Window().Set("__browseIndexMs", float64(d.Microseconds())/1000)
	}
}

// afterPaint calls f once the browser has painted the next frame: Go's
// first mount is synchronous, so that is after the first page shows.
func afterPaint(f func()) {
	w := app.Window()
	var frame, painted app.Func
	frame = app.FuncOf(func(app.Value, []app.Value) any {
		frame.Release()
		w.Call("setTimeout", painted)
		return nil
	})
	painted = app.FuncOf(func(app.Value, []app.Value) any {
		painted.Release()
		f()
		return nil
	})
	w.Call("requestAnimationFrame", frame)
}
