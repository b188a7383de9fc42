//go:build !(js && wasm)

package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/browse"
	"versus/app/dataset"
	"versus/app/format"
)

func TestJSONStrings(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []string
		want []string // nil: in
	}{
		{"none", []string{}, nil},
		{"plain", []string{"li", "2", "class", "row"}, nil},
		{"quotes and backslashes", []string{`"a" \ \" \\`}, nil},
		{"controls", []string{"\x00\x01\t\n\r\x1f\x7f"}, nil},
		{"markup", []string{`<img src=x onerror="window.pwned=1">`, `</script><script>`}, nil},
		{"unicode", []string{"日本 ✓ \u2028\u2029 \u202e \U0001F600"}, nil},
		{"invalid UTF-8", []string{"a\xffb", "\xc3"}, []string{"a\ufffdb", "\ufffd"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := jsonStrings(tc.in)
			var got []string
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("jsonStrings(%q) = %s: %v", tc.in, b, err)
			}
			want := tc.want
			if want == nil {
				want = tc.in
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("jsonStrings(%q) decodes to another list (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

// TestElRenderings checks that go-app's rendering of an el (the server's)
// and the spec versusBuild reads (the browser's) say the same.
func TestElRenderings(t *testing.T) {
	e := elem("li", "class", "row", "data-slug", "x").with(
		elem("a", "href", "/p/x", "title", " padded ").withText("<b>x</b>"),
		el{}, // nothing: left out
		elem("span").with(textEl("1"), textEl(" project")),
	)
	wantSpec := []string{"li", "2", "class", "row", "data-slug", "x", "2",
		"a", "2", "href", "/p/x", "title", "padded", "1", "", "<b>x</b>",
		"span", "0", "2", "", "1", "", " project"}
	if diff := cmp.Diff(wantSpec, e.flat(nil)); diff != "" {
		t.Errorf("flat (-want +got):\n%s", diff)
	}
	html := app.HTMLString(e.ui())
	for _, s := range []string{`<li `, `class="row"`, `data-slug="x"`, `href="/p/x"`, `title="padded"`, `&lt;b&gt;x&lt;/b&gt;`, `<span>`, "1", " project"} {
		if !strings.Contains(html, s) {
			t.Errorf("go-app's rendering %s lacks %s", html, s)
		}
	}
}

// TestBrowseDrawsInTheEvent checks the page's own drawing of its results:
// by the time a keystroke's or a facet click's event returns, the list, the
// count, the facets' counts and the URL show the new view (go-app would
// draw them on a later tick), and third-party text in redrawn rows is text.
func TestBrowseDrawsInTheEvent(t *testing.T) {
	data := t.TempDir()
	idx, details := hostileSnapshot()
	writeSnapshot(t, data, idx, details)
	x := browse.New(dataset.New(idx))
	base := startServer(t, testWeb(t), data)
	ctx := newBrowser(t)
	recordViolations(t, ctx)
	startPage(t, ctx, base+"/")
	waitWasm(t, ctx, ".rows")

	// The page as the event leaves it, read in the same task.
	type drawnView struct {
		View   view
		Facets []string // every facet value's count and whether it is on
		Descs  []string // the rows' descriptions
		Hrefs  []string // the first category's link
		Unsafe int      // elements third-party text could have made
		Pwned  string
	}
	const read = `({View: ` + readView + `,
		Facets: [...document.querySelectorAll("details[data-facet] a.facet-value")].map(a => a.querySelector(".count").textContent + " " + a.dataset.selected),
		Descs: [...document.querySelectorAll(".rows .row .desc")].map(e => e.textContent),
		Hrefs: [...document.querySelectorAll('details[data-facet="cat"] a.facet-value')].slice(0, 1).map(a => a.getAttribute("href")),
		Unsafe: document.querySelectorAll("main img, main script, main svg, main iframe, main [onerror], main [onload]").length,
		Pwned: typeof window.pwned})`
	expect := func(raw string) drawnView {
		r := x.Run(browse.Parse(raw))
		w := drawnView{View: want(x, raw), Pwned: "undefined"}
		for _, f := range browse.Facets {
			for _, c := range r.Facets[f] {
				w.Facets = append(w.Facets, format.Int(c.N)+" "+strconv.FormatBool(c.Selected))
			}
		}
		if cats := r.Facets[browse.Category]; len(cats) > 0 {
			w.Hrefs = []string{r.Query.Toggle(browse.Category, cats[0].Value).URL()}
		}
		for _, p := range r.Rows {
			w.Descs = append(w.Descs, descriptionOf(p))
		}
		return w
	}

	for _, text := range []string{"g", "ga", "gamma", "e", ""} {
		got := eval[drawnView](t, ctx, `(e => (e.value = `+strconv.Quote(text)+`, e.dispatchEvent(new Event("input", {bubbles: true})), `+read+`))(document.getElementById("search"))`)
		raw := ""
		if text != "" {
			raw = "q=" + text
		}
		if diff := cmp.Diff(expect(raw), got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("as typing %q returns (-want +got):\n%s", text, diff)
		}
	}
	href := eval[string](t, ctx, `document.querySelector('details[data-facet="cat"] a.facet-value').getAttribute("href")`)
	got := eval[drawnView](t, ctx, `(document.querySelector('details[data-facet="cat"] a.facet-value').click(), `+read+`)`)
	w := expect(strings.TrimPrefix(href, "/?"))
	if diff := cmp.Diff(w, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("as the click on %s returns (-want +got):\n%s", href, diff)
	}
	if w.View.Query != "cat=runtime" || len(w.View.Slugs) == 0 {
		t.Errorf("the click on %s led to %+v, want the runtime category's projects", href, w.View)
	}
	// go-app's later tick leaves the drawn parts alone.
	settled(t, ctx, w.View)
	if diff := cmp.Diff(w, eval[drawnView](t, ctx, read), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("once go-app has drawn the page (-want +got):\n%s", diff)
	}
	if csp := eval[[]string](t, ctx, `window.__csp`); len(csp) > 0 {
		t.Errorf("CSP violations: %v", csp)
	}
}
