//go:build js && wasm

package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/dataset"
	"versus/app/indexjson"
	"versus/sync/snapshot"
)

func main() {
	markOnce("__goStart")
	src := dataset.NewLoader(browserFetch, 0).WithDecoder(timedDecode).WithServedIndex()
	prefetch(src, app.Window().URL().Path)
	markOnce("__loaded")
	routes(src)
	app.RunWhenOnBrowser()
}

// timedDecode decodes the index without reflection (see indexjson) and
// leaves when it started and ended in window.__decodeStart and
// __decodeEnd, for the benchmarks.
func timedDecode(b []byte) (*snapshot.Index, error) {
	perf := app.Window().Get("performance")
	app.Window().Set("__decodeStart", perf.Call("now"))
	x, err := indexjson.Decode(b)
	app.Window().Set("__decodeEnd", perf.Call("now"))
	return x, err
}

// markOnce leaves performance.now() in window[name] the first time it is
// called with name, for the benchmarks (bench_browse_test.go).
func markOnce(name string) {
	w := app.Window()
	if !w.Get(name).Truthy() {
		w.Set(name, w.Get("performance").Call("now"))
	}
}
