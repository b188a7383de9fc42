//go:build !(js && wasm)

package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"versus/app/browse/synth"
	"versus/sync/snapshot"
	"versus/sync/snapshot/indexbin"
)

// The browse benchmarks run the real app in headless Chromium on synthetic
// snapshots. Times are read inside the page (performance.now() marks the
// wasm leaves; see timedDecode and browsePage.show), not across CDP.

func BenchmarkIndexSize(b *testing.B) {
	for range b.N {
		sample := sampleSet(b).Index
		indexSize(b, "sample", sample)
		// As many as the sample, so that the two compare like for like:
		// the more projects, the more a compressor finds again.
		n := len(sample.Projects)
		indexSize(b, fmt.Sprintf("%d synthetic", n), synth.Index(n, 1))
		indexSize(b, "10k synthetic", synth.Index(10000, 1))
	}
}

// indexSize prints the bytes a project of x's index costs, raw and
// compressed as the server sends it: the binary index, which the browser
// loads, and index.json.
func indexSize(b *testing.B, name string, x *snapshot.Index) {
	var js bytes.Buffer
	if err := snapshot.Encode(&js, x); err != nil {
		b.Fatal(err)
	}
	for _, f := range []struct {
		what string
		raw  []byte
	}{{"binary index", indexbin.Encode(x)}, {"index.json", js.Bytes()}} {
		var gz, br bytes.Buffer
		w := gzip.NewWriter(&gz)
		w.Write(f.raw)
		w.Close()
		bw := brotli.NewWriterLevel(&br, 11)
		bw.Write(f.raw)
		bw.Close()
		n := len(x.Projects)
		row(fmt.Sprintf("%s bytes per project, raw / gzip / brotli (%s)", f.what, name), fmt.Sprintf("%d / %d / %d", len(f.raw)/n, gz.Len()/n, br.Len()/n))
	}
}

func benchPage(b *testing.B, n int) (context.Context, string) {
	b.Helper()
	dir := b.TempDir()
	if err := synth.WriteFolder(dir, synth.Index(n, 1), 0); err != nil {
		b.Fatal(err)
	}
	return newBrowser(b), startServer(b, "../web", dir)
}

// startPage opens url and starts the wasm at once (it waits for a first
// interaction otherwise; see lazy.js).
func startPage(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event("pointermove"))`)); err != nil {
		t.Fatal(err)
	}
}

// sizes runs f as one sub-benchmark per catalog size ("10k", "100k"), so
// that -bench 'Browse/10k' runs one.
func sizes(b *testing.B, f func(b *testing.B, n int, k string)) {
	for _, n := range []int{10000, 100000} {
		k := strconv.Itoa(n/1000) + "k"
		b.Run(k, func(b *testing.B) { f(b, n, k) })
	}
}

func waitFor(b *testing.B, ctx context.Context, js string) float64 {
	b.Helper()
	v, err := chromedp.Run(ctx, chromedp.Poll[float64](js, chromedp.WithPollingTimeout(120*time.Second)))
	if err != nil {
		b.Fatalf("waiting for %s: %v", js, err)
	}
	return v
}

// BenchmarkBrowseFirstResults loads the home page on a fresh profile and
// reads how long the index took to decode, and to decode and show the first
// results.
func BenchmarkBrowseFirstResults(b *testing.B) {
	sizes(b, func(b *testing.B, n int, k string) {
		for range b.N {
			var decode, index, first, total []float64
			for range 3 {
				ctx, base := benchPage(b, n)
				startPage(b, ctx, base+"/")
				waitFor(b, ctx, `window.__browseFirst || 0`)
				m, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](`({s: __decodeStart, e: __decodeEnd, f: __browseFirst, i: __browseIndexMs})`))
				if err != nil {
					b.Fatal(err)
				}
				decode = append(decode, m["e"]-m["s"])
				index = append(index, m["i"])
				first = append(first, m["f"]-m["s"])
				total = append(total, m["f"])
			}
			row("index decode in wasm, "+k+", median of 3 (ms)", fmt.Sprintf("%.0f", median(decode)))
			row("building the search index, "+k+", median of 3 (ms)", fmt.Sprintf("%.0f", median(index)))
			row("decode + first results, "+k+", median of 3 (ms)", fmt.Sprintf("%.0f", median(first)))
			row("navigation to first results, "+k+", median of 3 (ms)", fmt.Sprintf("%.0f", median(total)))
		}
	})
}

// BenchmarkBrowseFirstAction opens the home page in a fresh profile, waits
// (as a visitor reading would) 0 or 1.5 s after load, clicks into the search
// box and types a word at a person's pace, and reads the time from where a
// person's last key falls to the matching list on screen, and where the
// time since Go started went.
func BenchmarkBrowseFirstAction(b *testing.B) {
	const word = "cache"
	sizes(b, func(b *testing.B, n int, k string) {
		for _, delay := range []time.Duration{1500 * time.Millisecond, 0} {
			b.Run(delay.String(), func(b *testing.B) {
				for range b.N {
					var ms []float64
					var parts [len(firstActionParts)][]float64
					for range 3 {
						ctx, base := benchPage(b, n)
						_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
							Source: `addEventListener("keydown", (e) => (window.__lastKey = e.timeStamp), true);
								addEventListener("pointerdown", (e) => (window.__click = window.__click || e.timeStamp), true)`,
						})
						if err != nil {
							b.Fatal(err)
						}
						if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
							b.Fatal(err)
						}
						time.Sleep(delay) // the scenario: the visitor reads first
						p, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(r => [r.x + 10, r.y + r.height/2])(document.getElementById("search").getBoundingClientRect())`))
						if err != nil {
							b.Fatal(err)
						}
						if err := chromedp.Do(ctx, chromedp.MouseClickXY(p[0], p[1])); err != nil {
							b.Fatal(err)
						}
						typeAsPerson(b, ctx, word)
						// A person's last key falls len(word)-1 gaps after the click.
						lastKey := float64((len(word) - 1) * int(keyGap/time.Millisecond))
						ms = append(ms, waitFor(b, ctx, fmt.Sprintf(`window.__browseQuery === "q=`+word+`" && window.__browseRendered - window.__click - %f`, lastKey)))
						for i, part := range firstActionParts {
							v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(`+part.js+`) || 0`))
							if err != nil {
								b.Fatal(err)
							}
							parts[i] = append(parts[i], v)
						}
					}
					row(fmt.Sprintf("first action: typing %v after load, %s: a person's last key to list, median of 3 (ms)", delay, k), fmt.Sprintf("%.0f", median(ms)))
					for i, part := range firstActionParts {
						row(fmt.Sprintf("  %s (ms)", part.name), fmt.Sprintf("%.0f", median(parts[i])))
					}
				}
			})
		}
	})
}

// keyGap is a person's pace: a key every 150 ms is 80 words a minute.
const keyGap = 150 * time.Millisecond

// typeAsPerson types word a key every keyGap from now. CDP sends a key
// only once the page has handled the one before, so a busy page holds the
// robot's keys back, which a person's are not: the browser stamps those
// when they are pressed. The figure that counts is therefore from where a
// person's last key falls (len(word)-1 gaps after the click) to the list;
// the last key as CDP sent it is a part row.
func typeAsPerson(b *testing.B, ctx context.Context, word string) {
	b.Helper()
	start := time.Now()
	for i, r := range word {
		time.Sleep(time.Until(start.Add(time.Duration(i) * keyGap)))
		if err := chromedp.Do(ctx, chromedp.KeyEvent(string(r))); err != nil {
			b.Fatal(err)
		}
	}
}

// firstActionParts split the time from Go's start to the first list, from
// the marks the wasm leaves (browsemarks.go, main_wasm.go).
var firstActionParts = [...]struct{ name, js string }{
	{"click to matching list", `window.__browseRendered - window.__click`},
	{"last key as CDP sent it (held while the page is busy) to list", `window.__browseRendered - window.__lastKey`},
	{"click to the index fully received", `(performance.getEntriesByType("resource").find((e) => /\/index\.(bin|json)$/.test(e.name)) || {responseEnd: NaN}).responseEnd - window.__click`},
	{"click to Go start", `window.__goStart - window.__click`},
	{"Go start to decode start", `window.__decodeStart - window.__goStart`},
	{"decode", `window.__decodeEnd - window.__decodeStart`},
	{"decode end to data loaded (checks)", `window.__loaded - window.__decodeEnd`},
	{"data loaded to list on screen", `window.__browseFirst - window.__loaded`},
	{"  of which search index build", `window.__browseIndexMs`},
}

// BenchmarkBrowseLatency types in the search box and clicks facets, and
// reads the time from each input to the updated list.
func BenchmarkBrowseLatency(b *testing.B) {
	sizes(b, func(b *testing.B, n int, k string) {
		for range b.N {
			ctx, base := benchPage(b, n)
			startPage(b, ctx, base+"/")
			waitFor(b, ctx, `window.__browseFirst || 0`)
			// How often this Chromium paints when idle: the floor of the
			// time to a painted frame.
			frame, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`new Promise((done) => {
				const ts = [];
				const tick = (t) => (ts.push(t), ts.length < 31 ? requestAnimationFrame(tick) : done(ts.slice(1).map((t, i) => t - ts[i]).sort((a, b) => a - b)[15]));
				requestAnimationFrame(tick);
			})`, chromedp.EvalAwaitPromise))
			if err != nil {
				b.Fatal(err)
			}
			// Type words and delete them again, one key at a time.
			var keys, keyPaints, keyRuns, clicks, clickPaints, clickRuns []float64
			for _, word := range []string{"http", "json", "async", "cache", "router", "lib", "web", "db"} {
				for _, step := range append(prefixes(word), reverse(prefixes(word[:len(word)-1]))...) {
					measure(b, ctx, &keys, &keyPaints, &keyRuns, `(() => { const e = document.getElementById("search");
						const t0 = performance.now(); e.value = `+strconv.Quote(step)+`;
						e.dispatchEvent(new Event("input", {bubbles: true})); return t0 })()`)
				}
				measure(b, ctx, &keys, &keyPaints, &keyRuns, `(() => { const e = document.getElementById("search");
					const t0 = performance.now(); e.value = ""; e.dispatchEvent(new Event("input", {bubbles: true})); return t0 })()`)
			}
			// Click a language on, then off, for several languages.
			for range 3 {
				for _, lang := range []string{"JavaScript", "Python", "Go", "TypeScript", "Rust", "Java", "C++", "C", "PHP"} {
					for range 2 {
						measure(b, ctx, &clicks, &clickPaints, &clickRuns, `(() => { const a = document.querySelector('details[data-facet="lang"] a[data-value=`+strconv.Quote(lang)+`]');
							const t0 = performance.now(); a.click(); return t0 })()`)
					}
				}
			}
			row(fmt.Sprintf("animation frame interval when idle, %s, median of 30 (ms)", k), fmt.Sprintf("%.1f", frame))
			for _, m := range []struct {
				what             string
				dom, paint, runs []float64
			}{{"keystroke", keys, keyPaints, keyRuns}, {"facet click", clicks, clickPaints, clickRuns}} {
				row(fmt.Sprintf("%s to updated list, %s, median of %d (ms)", m.what, k, len(m.dom)), fmt.Sprintf("%.1f", median(m.dom)))
				row(fmt.Sprintf("%s to updated list, %s, p95 of %d (ms)", m.what, k, len(m.dom)), fmt.Sprintf("%.1f", p95(m.dom)))
				row(fmt.Sprintf("  of which search and filter in Go, %s, median (ms)", k), fmt.Sprintf("%.1f", median(m.runs)))
				row(fmt.Sprintf("  to the frame painted, %s, median (ms)", k), fmt.Sprintf("%.1f", median(m.paint)))
				row(fmt.Sprintf("  to the frame painted, %s, p95 (ms)", k), fmt.Sprintf("%.1f", p95(m.paint)))
			}
		}
	})
}

// measure runs js, which starts an update and returns performance.now() from
// just before it, and appends the time from then to the list updated in the
// DOM to dom, to the frame that shows it painted to paint, and the time the
// search took to runs.
func measure(b *testing.B, ctx context.Context, dom, paint, runs *[]float64, js string) {
	b.Helper()
	t0, err := chromedp.Run(ctx, chromedp.Evaluate[float64](js))
	if err != nil {
		b.Fatal(err)
	}
	t1 := waitFor(b, ctx, fmt.Sprintf(`window.__browseRendered > %f ? window.__browseRendered : 0`, t0))
	t2 := waitFor(b, ctx, fmt.Sprintf(`window.__browsePainted > %f ? window.__browsePainted : 0`, t1))
	run, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.__browseRunMs`))
	if err != nil {
		b.Fatal(err)
	}
	*dom = append(*dom, t1-t0)
	*paint = append(*paint, t2-t0)
	*runs = append(*runs, run)
}

func prefixes(w string) []string {
	var out []string
	for i := 1; i <= len(w); i++ {
		out = append(out, w[:i])
	}
	return out
}

func reverse(s []string) []string {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	return s
}

func median(xs []float64) float64 { return quantile(xs, 0.5) }
func p95(xs []float64) float64    { return quantile(xs, 0.95) }

func quantile(xs []float64, q float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}
