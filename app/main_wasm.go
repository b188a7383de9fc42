//go:build js && wasm

package main

import (
	"runtime/debug"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/dataset"
	"versus/sync/snapshot"
	"versus/sync/snapshot/indexbin"
	"versus/sync/snapshot/indexjson"
)

func main() {
	markOnce("__goStart")
	// No collection while the snapshot loads and the first page mounts:
	// in WebAssembly a cycle while the index is decoded and indexed costs
	// more than the work itself (write barriers on every string stored),
	// and the first page would wait for it. It runs once, after the first
	// paint.
	gc := debug.SetGCPercent(-1)
	// The binary index when the snapshot has one; index.json, without
	// reflection, for those written before it.
	src := dataset.NewLoader(browserFetch, 0).
		WithBinDecoder(timed(indexbin.Decode)).
		WithDecoder(timed(indexjson.Decode)).
		WithServedIndex()
	prefetch(src, app.Window().URL().Path)
	markOnce("__loaded")
	afterPaint(func() { debug.SetGCPercent(gc) })
	routes(src)
	app.RunWhenOnBrowser()
}

// timed decodes with decode and leaves when it started and ended in
// window.__decodeStart and __decodeEnd, for the benchmarks.
func timed(decode dataset.DecodeIndex) dataset.DecodeIndex {
	return func(b []byte) (*snapshot.Index, error) {
		perf := app.Window().Get("performance")
		app.Window().Set("__decodeStart", perf.Call("now"))
		x, err := decode(b)
		app.Window().Set("__decodeEnd", perf.Call("now"))
		return x, err
	}
}

// markOnce leaves performance.now() in window[name] the first time it is
// called with name, for the benchmarks (bench_browse_test.go).
func markOnce(name string) {
	w := app.Window()
	if !w.Get(name).Truthy() {
		w.Set(name, w.Get("performance").Call("now"))
	}
}
