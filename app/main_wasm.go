//go:build js && wasm

package main

import (
	"runtime"
	"runtime/debug"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/dataset"
	"versus/sync/snapshot"
	"versus/sync/snapshot/indexbin"
	"versus/sync/snapshot/indexjson"
)

func main() {
	markOnce("__goStart")
	resumeGC := pauseGC()
	// The binary index when the snapshot has one; index.json, without
	// reflection, for those written before it.
	src := dataset.NewLoader(browserFetch, 0).
		WithBinDecoder(timed(withRoom(indexbin.Decode, 8))).
		WithDecoder(timed(indexjson.Decode)).
		WithServedIndex()
	prefetch(src, app.Window().URL().Path)
	markOnce("__loaded")
	resumeGC()
	routes(src)
	app.RunWhenOnBrowser()
}

// pauseGC turns the collector off while the snapshot loads and the first
// page mounts: in WebAssembly a cycle during the decode and the search
// index cost more than the work itself (at 10k, decode 116 ms with it, 69
// without), and the first page would wait for it. The resume it returns
// turns it back on after the next paint, or 5 s later in a tab that does
// not paint (a hidden one).
func pauseGC() (resume func()) {
	gc := debug.SetGCPercent(-1)
	on := func() { debug.SetGCPercent(gc) } // twice is harmless
	return func() {
		afterPaint(on)
		var timer app.Func
		timer = app.FuncOf(func(app.Value, []app.Value) any { timer.Release(); on(); return nil })
		app.Window().Call("setTimeout", timer, 5000)
	}
}

// withRoom grows the heap in one step by k bytes for each byte of a large
// index, about what decoding it and building the search index allocate,
// before decoding it with decode. In WebAssembly a heap that grows as
// allocations come is slow to allocate from: in Node, decoding 100k
// projects took 430–525 ms into such a heap, and 275–295 ms after growing
// it by 128 MB at once (about 18 ms, most of it the collection that frees
// the room). At 10k there was no gain to pay the collection for.
func withRoom(decode dataset.DecodeIndex, k int) dataset.DecodeIndex {
	const least = 32 << 20 // about 25k projects
	return func(b []byte) (*snapshot.Index, error) {
		if k*len(b) >= least {
			runtime.KeepAlive(make([]byte, k*len(b)))
			runtime.GC() // frees it, and the decoder reuses its pages
		}
		return decode(b)
	}
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
