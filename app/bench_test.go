//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The benchmarks measure the build in ../web that `make wasm` writes (brotli
// at its best level), and print their results as table rows: `make bench`
// keeps the lines that start with "|".

func row(name, value string) { fmt.Printf("| %-52s | %18s |\n", name, value) }

func BenchmarkWasmSize(b *testing.B) {
	for range b.N {
		for _, f := range []struct{ name, file string }{
			{"app.wasm raw (bytes)", "app.wasm"},
			{"app.wasm gzip (bytes)", "app.wasm.gz"},
			{"app.wasm brotli (bytes)", "app.wasm.br"},
		} {
			st, err := os.Stat(filepath.Join("..", "web", f.file))
			if err != nil {
				b.Fatalf("%v (run `make wasm` first)", err)
			}
			row(f.name, fmt.Sprint(st.Size()))
			b.ReportMetric(float64(st.Size()), f.file+"-bytes")
		}
	}
}

// BenchmarkFirstRender times, in headless Chromium, from navigation start to
// the wasm-rendered compare page, on a fresh profile each time (nothing
// cached), and prints the median of 5. The pointer moves as soon as the page
// has loaded, since the wasm waits for an interaction.
func BenchmarkFirstRender(b *testing.B) {
	base := startServer(b, "../web", "../web/data")
	for range b.N {
		var times []float64
		for range 5 {
			ctx := newBrowser(b)
			if err := chromedp.Do(ctx, chromedp.Navigate(base+"/compare/tokio-vs-async-std")); err != nil {
				b.Fatal(err)
			}
			// The wasm starts on the first interaction: interact at once.
			if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event("pointermove"))`)); err != nil {
				b.Fatal(err)
			}
			ms, err := chromedp.Run(ctx, chromedp.Poll[float64](
				`document.querySelector('.site[data-runtime="wasm"] table.metrics') && performance.now()`,
				chromedp.WithPollingTimeout(60*time.Second)))
			if err != nil {
				b.Fatal(err)
			}
			times = append(times, ms)
		}
		sort.Float64s(times)
		row("first render, compare page, median of 5 (ms)", fmt.Sprintf("%.0f", times[2]))
		b.ReportMetric(times[2], "ms/first-render")
	}
}
