//go:build !(js && wasm)

package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	xhtml "golang.org/x/net/html"

	"versus/app/browse"
	"versus/app/browse/synth"
	"versus/app/dataset"
)

// synthData writes a synthetic snapshot of n projects to a temporary data
// folder and returns the folder and its search index.
func synthData(t testing.TB, n, details int) (string, *browse.Index) {
	t.Helper()
	dir := t.TempDir()
	x := synth.Index(n, 1)
	if err := synth.WriteFolder(dir, x, details); err != nil {
		t.Fatal(err)
	}
	return dir, browse.New(dataset.New(x))
}

// press types one key the way a keyboard does: a keyDown that carries the
// text, so that preventing its default keeps the text out (chromedp's
// KeyEvent sends the text in a separate event that cannot be prevented).
func press(t *testing.T, ctx context.Context, key, code, text string, vk int64) {
	t.Helper()
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
		p := input.DispatchKeyEventParams{Type: typ, Key: key, Code: code, WindowsVirtualKeyCode: vk}
		if typ == input.DispatchKeyEventTypeKeyDown {
			p.Text = text
		}
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, p); err != nil {
			t.Fatalf("press %s: %v", key, err)
		}
	}
}

// until waits until js is true, with the page's state in the failure.
func until(t *testing.T, ctx context.Context, js, what string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " search=" + document.querySelector("#search")?.value + " focus=" + document.activeElement.id`))
		t.Fatalf("waiting until %s: %v (page: %s)", what, err, state)
	}
}

// view is what the browse page shows.
type view struct {
	Query string   // location.search without "?"
	Count string   // the number of results
	Slugs []string // the rows
}

const readView = `({
	Query: location.search.slice(1),
	Count: document.querySelector(".toolbar .count strong").textContent,
	Slugs: [...document.querySelectorAll(".rows .row")].map(r => r.dataset.slug),
})`

// settled reads the view once the page shows w, or as it stands after the
// wait: the URL changes before the rows are drawn again, so reading right
// after the URL moved could catch the rows of the previous query.
func settled(t *testing.T, ctx context.Context, w view) view {
	t.Helper()
	slugs, err := json.Marshal(w.Slugs)
	if err != nil {
		t.Fatal(err)
	}
	js := `(v => v.Query === ` + strconv.Quote(w.Query) + ` && v.Count === ` + strconv.Quote(w.Count) +
		` && JSON.stringify(v.Slugs) === ` + strconv.Quote(strings.Replace(string(slugs), "null", "[]", 1)) + `)(` + readView + `)`
	chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(20*time.Second)))
	return eval[view](t, ctx, readView)
}

// want is the view the index gives for a query string.
func want(x *browse.Index, raw string) view {
	r := x.Run(browse.Parse(raw))
	v := view{Query: r.Query.String(), Count: strconv.Itoa(r.Total)}
	if r.Total >= 1000 {
		v.Count = strconv.Itoa(r.Total/1000) + "," + strconv.Itoa(r.Total%1000 + 1000)[1:]
	}
	for _, p := range r.Rows {
		v.Slugs = append(v.Slugs, p.Slug)
	}
	return v
}

func TestBrowseTypingNarrowsAndUpdatesURL(t *testing.T) {
	dir, x := synthData(t, 2000, 0)
	base := startServer(t, testWeb(t), dir)
	ctx := newBrowser(t)
	recordViolations(t, ctx)
	startPage(t, ctx, base+"/")
	waitWasm(t, ctx, ".rows")

	// "/" focuses the search box.
	press(t, ctx, "/", "Slash", "/", 191)
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "search" {
		t.Fatalf("after /, the focus is on %q, want the search box", id)
	}
	prev := x.Run(browse.Query{}).Total
	for _, text := range []string{"a", "as", "asy", "asyn", "async"} {
		c := text[len(text)-1:]
		press(t, ctx, c, "Key"+strings.ToUpper(c), c, int64(strings.ToUpper(c)[0]))
		w := want(x, "q="+text)
		got := settled(t, ctx, w)
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("after typing %q (-want +got):\n%s", text, diff)
		}
		if n := x.Run(browse.Parse(w.Query)).Total; n > prev {
			t.Errorf("typing %q widened the results: %d > %d", text, n, prev)
		} else {
			prev = n
		}
	}

	// Arrows move through the results, "c" adds one to the tray, Enter opens it.
	first := want(x, "q=async").Slugs[0]
	press(t, ctx, "ArrowDown", "ArrowDown", "", 40)
	until(t, ctx, `document.querySelector(".row.active")?.dataset.slug === "`+first+`"`, "the first row is active")
	eval[bool](t, ctx, `document.activeElement.blur(), true`)
	press(t, ctx, "c", "KeyC", "c", 67)
	until(t, ctx, `location.search.includes("cmp=`+first+`")`, "the tray holds "+first)
	until(t, ctx, `document.querySelector(".tray") !== null`, "the tray shows")
	press(t, ctx, "ArrowDown", "ArrowDown", "", 40)
	press(t, ctx, "ArrowUp", "ArrowUp", "", 38)
	press(t, ctx, "Enter", "Enter", "\r", 13)
	until(t, ctx, `location.pathname === "/p/`+first+`"`, "Enter opens /p/"+first)
	if csp := eval[[]string](t, ctx, `window.__csp`); len(csp) > 0 {
		t.Errorf("CSP violations: %v", csp)
	}
}

func TestBrowseFacetRangeReloadAndHistory(t *testing.T) {
	dir, x := synthData(t, 2000, 0)
	base := startServer(t, testWeb(t), dir)
	ctx := newBrowser(t)
	startPage(t, ctx, base+"/?sort=-growth")
	waitWasm(t, ctx, ".rows")

	// A facet click, then a range: both apply.
	if err := chromedp.Do(ctx, chromedp.Click(`details[data-facet="lang"] a[data-value="Rust"]`)); err != nil {
		t.Fatal(err)
	}
	w := want(x, "lang=Rust&sort=-growth")
	if diff := cmp.Diff(w, settled(t, ctx, w)); diff != "" {
		t.Errorf("after the facet click (-want +got):\n%s", diff)
	}
	eval[bool](t, ctx, `(e => (e.value = "500", e.dispatchEvent(new Event("change", {bubbles: true}))))(document.querySelector("#stars-min"))`)
	w2 := want(x, "lang=Rust&stars=500..&sort=-growth")
	got := settled(t, ctx, w2)
	if diff := cmp.Diff(w2, got); diff != "" {
		t.Errorf("after the range (-want +got):\n%s", diff)
	}
	if len(got.Slugs) == 0 || w2.Count == w.Count {
		t.Fatalf("the range did not narrow the facet's %s results: %s", w.Count, w2.Count)
	}
	for _, s := range got.Slugs {
		p, _ := x.Set().Project(s)
		if p.Language != "Rust" || p.Stars == nil || *p.Stars < 500 {
			t.Errorf("row %s (%s, %v stars) does not match lang=Rust&stars=500..", s, p.Language, p.Stars)
		}
	}

	// Back undoes the range, forward brings it back.
	if err := chromedp.Do(ctx, chromedp.NavigateBack()); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, `location.search === "?`+w.Query+`" && document.querySelector(".toolbar .count strong").textContent === "`+w.Count+`"`, "back shows the facet alone")
	if v := eval[string](t, ctx, `document.querySelector("#stars-min").value`); v != "" {
		t.Errorf("after back, the stars minimum is %q, want empty", v)
	}
	if err := chromedp.Do(ctx, chromedp.NavigateForward()); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, `location.search === "?`+w2.Query+`" && document.querySelector(".toolbar .count strong").textContent === "`+w2.Count+`"`, "forward shows the range again")

	// A reload restores the view: the prerendered page and the wasm agree.
	deep := "q=a&lang=Rust&lang=Go&stars=100..&within=6&archived=hide&sort=name&page=2"
	startPage(t, ctx, base+"/?"+deep)
	waitWasm(t, ctx, ".rows")
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event("pointermove"))`)); err != nil {
		t.Fatal(err)
	}
	waitWasm(t, ctx, ".rows")
	w3 := want(x, deep)
	if diff := cmp.Diff(w3, settled(t, ctx, w3)); diff != "" {
		t.Errorf("after a reload (-want +got):\n%s", diff)
	}
	state := eval[map[string]any](t, ctx, `({q: document.querySelector("#search").value, min: document.querySelector("#stars-min").value,
		archived: document.querySelector("#hide-archived").checked, sort: document.querySelector("#sort").value, within: document.querySelector("#within").value})`)
	wantState := map[string]any{"q": "a", "min": "100", "archived": true, "sort": "name", "within": "6"}
	if diff := cmp.Diff(wantState, state); diff != "" {
		t.Errorf("form after a reload (-want +got):\n%s", diff)
	}

	// A hostile query string is ignored field by field.
	hostile := "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&lang=%00&lang=Rust&stars=abc&sort=;drop&page=-4&cmp=../../etc"
	startPage(t, ctx, base+"/?"+hostile)
	waitWasm(t, ctx, ".toolbar")
	w4 := want(x, hostile)
	if diff := cmp.Diff(w4, settled(t, ctx, w4), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("hostile query (-want +got):\n%s", diff)
	}
	if q, _ := url.ParseQuery(w4.Query); q.Get("lang") != "Rust" || !strings.Contains(q.Get("q"), "script") {
		t.Errorf("hostile query kept %q, want the search text and lang=Rust", w4.Query)
	}
}

func TestBrowseTrayLeadsToCompare(t *testing.T) {
	base := startServer(t, testWeb(t), "../web/data")
	ctx := newBrowser(t)
	startPage(t, ctx, base+"/")
	waitWasm(t, ctx, ".rows")
	for i, slug := range []string{"tokio", "async-std"} {
		if err := chromedp.Do(ctx, chromedp.Click(`li[data-slug="`+slug+`"] .add`)); err != nil {
			t.Fatal(err)
		}
		until(t, ctx, `document.querySelectorAll(".tray li").length === `+strconv.Itoa(i+1), "the tray holds "+slug)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`.tray .compare-link`)); err != nil {
		t.Fatal(err)
	}
	waitWasm(t, ctx, "table.metrics")
	if path := eval[string](t, ctx, `location.pathname`); path != "/compare/tokio-vs-async-std" {
		t.Errorf("the tray led to %s, want /compare/tokio-vs-async-std", path)
	}
}

// TestBrowsePrerender checks the server's page: the same rows as the index
// gives, and boolean attributes the browser reads right before the wasm runs.
func TestBrowsePrerender(t *testing.T) {
	dir, x := synthData(t, 500, 0)
	base := startServer(t, testWeb(t), dir)
	for _, raw := range []string{"", "q=http&sort=-growth&within=6", "lang=Go&archived=hide&page=2", "q=%22+autofocus+onfocus%3D%22window.pwned%3D1"} {
		resp, err := http.Get(base + "/?" + raw)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		html := string(b)
		if strings.Contains(html, ` selected="false"`) || strings.Contains(html, ` checked="false"`) || strings.Contains(html, ` open="false"`) {
			t.Errorf("/?%s: a boolean attribute is written as \"false\", which browsers read as true", raw)
		}
		// The search text goes into an attribute: it must not leave it.
		if doc, err := xhtml.Parse(strings.NewReader(html)); err != nil {
			t.Fatal(err)
		} else if attrs := attrsOf(doc, "search"); attrs["onfocus"] != "" || attrs["autofocus"] != "" {
			t.Errorf("/?%s: the search text escaped its attribute: %v", raw, attrs)
		}
		w := want(x, raw)
		for _, s := range w.Slugs {
			if !strings.Contains(html, `id="row-`+s+`"`) {
				t.Errorf("/?%s: the prerendered page lacks row %s", raw, s)
			}
		}
		q := browse.Parse(raw)
		if n := strings.Count(html, " selected"); n != 2 {
			t.Errorf("/?%s: %d selected options, want 2 (sort and last commit)", raw, n)
		}
		if q.HideArchived != strings.Contains(html, "checked") {
			t.Errorf("/?%s: the hide-archived box is checked=%v, want %v", raw, !q.HideArchived, q.HideArchived)
		}
	}
}

// attrsOf returns the attributes of the element with the given id.
func attrsOf(n *xhtml.Node, id string) map[string]string {
	if n.Type == xhtml.ElementNode {
		attrs := map[string]string{}
		for _, a := range n.Attr {
			attrs[a.Key] = a.Val
		}
		if attrs["id"] == id {
			return attrs
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if a := attrsOf(c, id); a != nil {
			return a
		}
	}
	return nil
}

// TestPrerenderedSelectionIsShown: before the wasm runs, a chosen facet
// value and a project in the tray look chosen. go-app writes an attribute
// whose value is "true" bare (data-selected, not data-selected="true"), so
// the styles must take both forms.
func TestPrerenderedSelectionIsShown(t *testing.T) {
	base := startServer(t, testWeb(t), "../web/data")
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/?lang=Rust&cmp=tokio")); err != nil {
		t.Fatal(err)
	}
	got := eval[[]string](t, ctx, `[
		document.querySelector('.site[data-runtime]') ? "wasm ran" : "prerendered",
		getComputedStyle(document.querySelector('details[data-facet="lang"] a.facet-value[data-value="Rust"]')).fontWeight,
		getComputedStyle(document.querySelector('#row-async-std a.add')).backgroundColor !==
			getComputedStyle(document.querySelector('#row-tokio a.add')).backgroundColor ? "tray shown" : "tray not shown"]`)
	if diff := cmp.Diff([]string{"prerendered", "600", "tray shown"}, got); diff != "" {
		t.Errorf("prerendered selection (-want +got):\n%s", diff)
	}
}
