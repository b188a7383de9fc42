//go:build !(js && wasm)

package main

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"versus/app/browse"
)

// The take-over tests act on the prerendered page, as a visitor does, either
// right at load or 1.5 s after it, each time in a fresh profile, and check
// that nothing they did is lost when the wasm replaces the page's nodes (see
// lazy.js). The 1.5 s is the scenario (a visitor who reads first), not a
// timing assertion: every wait after acting polls for a condition.

// takeoverDelays are when the visitor acts, after the load event.
var takeoverDelays = []time.Duration{0, 1500 * time.Millisecond}

// sampleIndex is the search index of the sample snapshot in web/data.
func sampleIndex(t *testing.T) *browse.Index {
	t.Helper()
	return browse.New(sampleSet(t))
}

// actOn opens url in a fresh profile, waits delay after the load event, runs
// act, and waits until the wasm has taken over.
func actOn(t *testing.T, url string, delay time.Duration, act func(ctx context.Context)) context.Context {
	t.Helper()
	ctx := newBrowser(t)
	recordViolations(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	if eval[bool](t, ctx, `document.querySelector(".site[data-runtime]") !== null`) {
		t.Fatal("the wasm runs before any interaction: this test acts on the prerendered page")
	}
	time.Sleep(delay) // the scenario: the visitor reads before acting
	act(ctx)
	js := `document.querySelector('.site[data-runtime="wasm"]') !== null`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("waiting for the wasm to take over: %v", err)
	}
	return ctx
}

// clickAt clicks where the element sel is, as a visitor does: the wasm may
// replace the node at any time, which a click on a node would not survive.
func clickAt(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	p := eval[[]float64](t, ctx, `(e => (e.scrollIntoView({block: "center"}), (r => [r.x + r.width/2, r.y + r.height/2])(e.getBoundingClientRect())))(document.querySelector(`+strconv.Quote(sel)+`))`)
	do(t, ctx, chromedp.MouseClickXY(p[0], p[1]))
}

func do(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// caret is the search box's state.
type caret struct {
	Value      string
	Focus      string
	Start, End int
}

const readCaret = `(e => ({Value: e.value, Focus: document.activeElement.id, Start: e.selectionStart, End: e.selectionEnd}))(document.getElementById("search"))`

// TestTakeoverKeepsSearch types a word, moves the caret two places back and
// checks, once the wasm runs, the text, the caret, the focus and the list;
// the next key lands at the caret. On the sample the visitor clicks into
// the box; on 10,000 synthetic projects they press "/".
func TestTakeoverKeepsSearch(t *testing.T) {
	synthDir, synthIndex := synthData(t, 10000, 0)
	for _, c := range []struct {
		name, data, word string
		index            func() *browse.Index
		slash            bool
	}{
		{"sample", "../web/data", "tokio", func() *browse.Index { return sampleIndex(t) }, false},
		{"10k", synthDir, "cache", func() *browse.Index { return synthIndex }, true},
	} {
		x := c.index()
		base := startServer(t, testWeb(t), c.data)
		for _, delay := range takeoverDelays {
			t.Run(c.name+"/"+delay.String(), func(t *testing.T) {
				ctx := actOn(t, base+"/", delay, func(ctx context.Context) {
					if c.slash {
						press(t, ctx, "/", "Slash", "/", 191)
					} else {
						clickAt(t, ctx, "#search")
					}
					do(t, ctx, chromedp.KeyEvent(c.word))
					press(t, ctx, "ArrowLeft", "ArrowLeft", "", 37)
					press(t, ctx, "ArrowLeft", "ArrowLeft", "", 37)
				})
				w := want(x, "q="+c.word)
				if diff := cmp.Diff(w, settled(t, ctx, w)); diff != "" {
					t.Errorf("the list after the take-over (-want +got):\n%s", diff)
				}
				n := len(c.word) - 2
				if diff := cmp.Diff(caret{c.word, "search", n, n}, eval[caret](t, ctx, readCaret)); diff != "" {
					t.Errorf("the search box after the take-over (-want +got):\n%s", diff)
				}
				do(t, ctx, chromedp.KeyEvent("x"))
				next := c.word[:n] + "x" + c.word[n:]
				w = want(x, "q="+next)
				if diff := cmp.Diff(w, settled(t, ctx, w), cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("the list after one more key (-want +got):\n%s", diff)
				}
				if got := eval[caret](t, ctx, readCaret); got != (caret{next, "search", n + 1, n + 1}) {
					t.Errorf("after one more key, the search box is %+v, want %q with the caret at %d", got, next, n+1)
				}
				if csp := eval[[]string](t, ctx, `window.__csp`); len(csp) > 0 {
					t.Errorf("CSP violations: %v", csp)
				}
			})
		}
	}
}

// filterState is what the browse page's filters show.
type filterState struct {
	Query                 string
	LicenseOpen, LangOpen bool
	Archived              bool
	Sort, StarsMin, Focus string
}

const readFilters = `({
	Query: location.search.slice(1),
	LicenseOpen: document.querySelector('details[data-facet="license"]').open,
	LangOpen: document.querySelector('details[data-facet="lang"]').open,
	Archived: document.getElementById("hide-archived").checked,
	Sort: document.getElementById("sort").value,
	StarsMin: document.getElementById("stars-min").value,
	Focus: document.activeElement.id,
})`

// TestTakeoverKeepsFilters opens a closed facet, closes an open one, ticks
// "hide archived", picks the next sort with the keyboard and types a minimum
// of stars without leaving the field; once the wasm runs, all of it is on
// screen, and the committed changes are in the URL and the list.
func TestTakeoverKeepsFilters(t *testing.T) {
	x := sampleIndex(t)
	base := startServer(t, testWeb(t), "../web/data")
	sortValue := sortChoices()[1].value
	for _, delay := range takeoverDelays {
		t.Run(delay.String(), func(t *testing.T) {
			ctx := actOn(t, base+"/", delay, func(ctx context.Context) {
				clickAt(t, ctx, `details[data-facet="license"] > summary`)
				clickAt(t, ctx, `details[data-facet="lang"] > summary`)
				clickAt(t, ctx, "#hide-archived")
				eval[bool](t, ctx, `document.getElementById("sort").focus(), true`)
				press(t, ctx, "ArrowDown", "ArrowDown", "", 40)
				clickAt(t, ctx, "#stars-min")
				do(t, ctx, chromedp.KeyEvent("500"))
			})
			w := want(x, "archived=hide&sort="+sortValue)
			if diff := cmp.Diff(w, settled(t, ctx, w)); diff != "" {
				t.Errorf("the list after the take-over (-want +got):\n%s", diff)
			}
			wantState := filterState{Query: w.Query, LicenseOpen: true, Archived: true, Sort: sortValue, StarsMin: "500", Focus: "stars-min"}
			if diff := cmp.Diff(wantState, eval[filterState](t, ctx, readFilters)); diff != "" {
				t.Errorf("the filters after the take-over (-want +got):\n%s", diff)
			}
			// The minimum typed before the wasm applies when committed.
			press(t, ctx, "Tab", "Tab", "", 9)
			w = want(x, "stars=500..&archived=hide&sort="+sortValue)
			if diff := cmp.Diff(w, settled(t, ctx, w)); diff != "" {
				t.Errorf("the list after leaving the stars minimum (-want +got):\n%s", diff)
			}
		})
	}
}

// exportState is what the compare page's export menu and scroll show.
type exportState struct {
	Open       bool
	Seq, State string
	Focus      string
	ScrollY    int
}

const readExport = `(s => ({
	Open: document.querySelector("details.export").open,
	Seq: s.dataset.seq, State: s.dataset.state,
	Focus: document.activeElement.dataset.export || "",
	ScrollY: Math.round(window.scrollY),
}))(document.querySelector(".export-status"))`

// TestTakeoverKeepsExportMenu opens "Export & share", clicks CSV, which
// needs the wasm, and scrolls; once the wasm runs the menu is still open,
// the CSV export ran exactly once, the button has the focus and the page is
// where it was scrolled to.
func TestTakeoverKeepsExportMenu(t *testing.T) {
	base := startServer(t, testWeb(t), "../web/data")
	for _, delay := range takeoverDelays {
		t.Run(delay.String(), func(t *testing.T) {
			ctx := actOn(t, base+"/compare/tokio-vs-async-std", delay, func(ctx context.Context) {
				clickAt(t, ctx, "details.export > summary")
				clickAt(t, ctx, `button[data-export="csv"]`)
				eval[bool](t, ctx, `window.scrollTo(0, 300), true`)
			})
			poll(t, ctx, "the CSV export", `document.querySelector(".export-status").dataset.seq !== "0"`)
			if diff := cmp.Diff(exportState{true, "1", "done", "csv", 300}, eval[exportState](t, ctx, readExport)); diff != "" {
				t.Errorf("the export menu after the take-over (-want +got):\n%s", diff)
			}
			// One more export is the second: the first click ran once.
			do(t, ctx, chromedp.Click(`button[data-export="svg"]`))
			poll(t, ctx, "the SVG export", `document.querySelector(".export-status").textContent.includes(".svg")`)
			if seq := eval[string](t, ctx, `document.querySelector(".export-status").dataset.seq`); seq != "2" {
				t.Errorf("after one more export, %s exports ran, want 2", seq)
			}
		})
	}
}

// TestTakeoverLinksNavigate clicks a facet, a plain link, before the wasm:
// the browser goes to its view.
func TestTakeoverLinksNavigate(t *testing.T) {
	x := sampleIndex(t)
	base := startServer(t, testWeb(t), "../web/data")
	for _, delay := range takeoverDelays {
		t.Run(delay.String(), func(t *testing.T) {
			ctx := newBrowser(t)
			do(t, ctx, chromedp.Navigate(base+"/"))
			time.Sleep(delay) // the scenario: the visitor reads before acting
			clickAt(t, ctx, `details[data-facet="lang"] a[data-value="Rust"]`)
			acrossLoads(t, ctx, `location.search === "?lang=Rust" && document.readyState === "complete"`, "the facet link is followed")
			w := want(x, "lang=Rust")
			if diff := cmp.Diff(w, settled(t, ctx, w)); diff != "" {
				t.Errorf("after the facet link (-want +got):\n%s", diff)
			}
		})
	}
}

// acrossLoads waits until js is true in the tab, through page loads (a poll
// fails when its page goes away).
func acrossLoads(t *testing.T, ctx context.Context, js, what string) {
	t.Helper()
	var err error
	for end := time.Now().Add(60 * time.Second); time.Now().Before(end); {
		if _, err = chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(5*time.Second))); err == nil {
			return
		}
	}
	t.Fatalf("waiting until %s: %v", what, err)
}

// loads counts the wasm modules workers compiled for the page and the
// page's own fetches of the wasm, the pointer and the index.
type loads struct{ Modules, Wasm, Pointer, Index int }

const readLoads = `(n => ({Modules: window.__modules, Wasm: n("/web/app.wasm"), Pointer: n("/data/latest.json"), Index: n("/index.bin")}))(
	s => performance.getEntriesByType("resource").filter(e => new URL(e.name).pathname.endsWith(s)).length)`

// countModules makes the page count in window.__modules the
// WebAssembly.Module values its workers post to it.
func countModules(t *testing.T, ctx context.Context) {
	t.Helper()
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__modules = 0; window.Worker = (W => function (url, opts) {
			const w = new W(url, opts);
			w.addEventListener("message", e => { if (e.data instanceof WebAssembly.Module) window.__modules++; });
			return w;
		})(window.Worker);`,
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestIdlePreload checks that an idle page has the wasm downloaded and
// compiled off its main thread (by a worker, so the page fetches no wasm
// itself) and fetches the snapshot without starting Go, and that Go,
// started by an interaction, uses them rather than fetching them again.
func TestIdlePreload(t *testing.T) {
	base := startServer(t, testWeb(t), "../web/data")
	ctx := newBrowser(t)
	countModules(t, ctx)
	do(t, ctx, chromedp.Navigate(base+"/"))
	until(t, ctx, `(l => l.Modules === 1 && l.Index === 1)(`+readLoads+`)`, "the idle page compiles the wasm and loads the index")
	if eval[bool](t, ctx, `document.querySelector(".site[data-runtime]") !== null`) {
		t.Fatal("Go started before any interaction")
	}
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event("pointermove"))`))
	waitWasm(t, ctx, ".rows")
	if diff := cmp.Diff(loads{1, 0, 1, 1}, eval[loads](t, ctx, readLoads)); diff != "" {
		t.Errorf("fetches once Go runs (-want +got):\n%s", diff)
	}
}
