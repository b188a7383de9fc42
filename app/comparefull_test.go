//go:build !(js && wasm)

package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// visit opens path and waits for the wasm to render sel.
func visit(t *testing.T, ctx context.Context, url, sel string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	waitWasm(t, ctx, sel)
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func poll(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

func TestFourProjectComparisonInBrowser(t *testing.T) {
	data := t.TempDir()
	idx, details := syntheticSnapshot()
	writeSnapshot(t, data, idx, details)
	base := startServer(t, testWeb(t), data)
	ctx := newBrowser(t)
	recordViolations(t, ctx)
	visit(t, ctx, base+"/compare/alpha-vs-beta-vs-gamma-vs-delta", "figure.chart svg path[data-s]")

	facts := eval[map[string]any](t, ctx, `(() => {
		const best = k => [...document.querySelectorAll('tr[data-row="'+k+'"] td')].map(td => td.classList.contains("best"));
		const charts = [...document.querySelectorAll("figure.chart")].map(f => {
			const svg = f.querySelector("svg");
			const ids = svg.getAttribute("aria-labelledby").split(" ");
			return {
				role: svg.getAttribute("role"),
				title: document.getElementById(ids[0]).textContent,
				desc: document.getElementById(ids[1]).textContent.length > 20,
				ns: svg.namespaceURI,
				lines: svg.querySelectorAll("path[data-s]").length,
				tableRows: f.querySelectorAll("details table tbody tr").length > 0,
			};
		});
		return {
			heads: [...document.querySelectorAll(".head h2 a")].map(a => a.textContent),
			warnings: [...document.querySelectorAll(".warnings li")].map(li => li.dataset.warning),
			stars: best("stars"), growth: best("growth"), lastCommit: best("last_commit"), commits: best("commits"),
			sparklines: document.querySelectorAll('tr[data-row="commits"] svg[data-spark] path').length,
			charts,
			help: document.querySelector('tr[data-row="growth"] th a').title.startsWith("Growth: month over month"),
			helpLink: document.querySelector('tr[data-row="growth"] th a').getAttribute("href"),
			csp: window.__csp.join(";"),
		};
	})()`)
	want := map[string]any{
		"heads":      []any{"alpha", "beta", "gamma", "delta"},
		"warnings":   []any{"archived", "inactive", "license", "old-data"},
		"stars":      []any{true, false, false, false},
		"growth":     []any{false, false, true, false},
		"lastCommit": []any{true, false, false, false},
		"commits":    []any{true, false, false, false},
		"sparklines": float64(4),
		"charts": []any{
			map[string]any{"role": "img", "title": "Star history", "desc": true, "ns": svgNS, "lines": float64(4), "tableRows": true},
			map[string]any{"role": "img", "title": "Weekly commits", "desc": true, "ns": svgNS, "lines": float64(4), "tableRows": true},
		},
		"help":     true,
		"helpLink": "/about#growth",
		"csp":      "",
	}
	if diff := cmp.Diff(want, facts); diff != "" {
		t.Errorf("comparison mismatch (-want +got):\n%s", diff)
	}

	// The log scale relabels the y axis by powers of ten.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.star-history fieldset:first-of-type input:not(:checked)`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "log ticks", `[...document.querySelectorAll(".star-history svg text")].some(t => t.textContent === "10k")`)

	// Add a project with the picker: type, follow the first match.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#pick"), "eps")); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "a match", `document.querySelector("#pick-results a") !== null`)
	if got := eval[string](t, ctx, `document.querySelector("#pick-results a").getAttribute("href")`); got != "/compare/alpha-vs-beta-vs-gamma-vs-delta-vs-epsilon" {
		t.Errorf("first match links to %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#pick-results a"))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "five projects", `location.pathname === "/compare/alpha-vs-beta-vs-gamma-vs-delta-vs-epsilon" && document.querySelectorAll(".head").length === 5`)
	// epsilon has no commits: its cell is unknown and never best.
	if got := eval[string](t, ctx, `document.querySelectorAll('tr[data-row="commits"] td')[4].className`); got != "unknown" {
		t.Errorf("epsilon's commits cell has class %q, want unknown", got)
	}

	// Remove beta.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.head:nth-child(2) .remove`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "beta removed", `location.pathname === "/compare/alpha-vs-gamma-vs-delta-vs-epsilon" && document.querySelectorAll(".head").length === 4`)
	if got := eval[string](t, ctx, `[...document.querySelectorAll(".warnings li")].map(li => li.dataset.warning).join(",")`); got != "license,old-data" {
		t.Errorf("warnings without beta = %q, want license,old-data", got)
	}
	if got := eval[string](t, ctx, `window.__csp.join(";")`); got != "" {
		t.Errorf("CSP violations: %s", got)
	}
}

func TestProjectAndAboutPagesInBrowser(t *testing.T) {
	data := t.TempDir()
	idx, details := syntheticSnapshot()
	writeSnapshot(t, data, idx, details)
	base := startServer(t, testWeb(t), data)
	ctx := newBrowser(t)
	recordViolations(t, ctx)

	// Before the wasm runs, the theme toggle works (site.js) and the wasm
	// keeps the choice when it starts.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/p/alpha"), chromedp.Click(chromedp.CSS(".theme-toggle"))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "light theme", `document.documentElement.dataset.theme === "light" && localStorage.getItem("versus-theme") === '"light"'`)
	waitWasm(t, ctx, "article.project figure.chart")
	poll(t, ctx, "light theme kept by the wasm", `document.documentElement.dataset.theme === "light" && document.querySelector(".theme-toggle").textContent === "Theme: light"`)

	facts := eval[map[string]any](t, ctx, `({
		title: document.title,
		h1: document.querySelector("h1").textContent,
		charts: document.querySelectorAll("figure.chart").length,
		alts: [...document.querySelectorAll(".ranked li")].map(li => [li.querySelector(".alt-name").textContent, li.querySelector(".add").getAttribute("href")]),
		topics: [...document.querySelectorAll(".chips li")].map(li => li.textContent).join(","),
		stars: document.querySelector('tr[data-row="stars"] td').textContent,
		posts: document.querySelectorAll(".postlist li").length,
	})`)
	want := map[string]any{
		"title":  "alpha: stars, activity and alternatives · versus",
		"h1":     "alpha",
		"charts": float64(2),
		"alts": []any{
			[]any{"beta", "/compare/alpha-vs-beta"}, []any{"gamma", "/compare/alpha-vs-gamma"},
			[]any{"delta", "/compare/alpha-vs-delta"}, []any{"epsilon", "/compare/alpha-vs-epsilon"},
		},
		"topics": "Runtimes,async,alpha",
		"stars":  "20,000",
		"posts":  float64(1),
	}
	if diff := cmp.Diff(want, facts); diff != "" {
		t.Errorf("project page mismatch (-want +got):\n%s", diff)
	}

	// epsilon has no history and no commits: the page says so.
	visit(t, ctx, base+"/p/epsilon", "article.project")
	if n := eval[int](t, ctx, `document.querySelectorAll(".no-data").length`); n != 2 {
		t.Errorf("epsilon shows %d no-data notes, want 2", n)
	}

	visit(t, ctx, base+"/about", "article.about")
	about := eval[map[string]any](t, ctx, `({
		anchors: ["mentions", "stars", "growth", "activity", "last_commit", "commits"].every(id => document.getElementById(id) !== null),
		projects: [...document.querySelectorAll(".facts dd")][1].textContent,
	})`)
	if diff := cmp.Diff(map[string]any{"anchors": true, "projects": "5"}, about); diff != "" {
		t.Errorf("about page mismatch (-want +got):\n%s", diff)
	}
	if got := eval[string](t, ctx, `window.__csp.join(";")`); got != "" {
		t.Errorf("CSP violations: %s", got)
	}

	// The theme toggle goes on from light to dark, and the choice is kept.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".theme-toggle"))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "dark theme", `document.documentElement.dataset.theme === "dark"`)
	visit(t, ctx, base+"/p/alpha", "article.project")
	poll(t, ctx, "dark theme kept", `document.documentElement.dataset.theme === "dark" && document.querySelector(".theme-toggle").textContent === "Theme: dark"`)
	if bg := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`); !strings.Contains(bg, "18, 20, 28") {
		t.Errorf("dark body background = %s, want rgb(18, 20, 28)", bg)
	}
}

// TestPrerenderedPages checks what the server sends before the wasm runs,
// which is what most visitors see first (the wasm starts on interaction).
func TestPrerenderedPages(t *testing.T) {
	data := t.TempDir()
	idx, details := syntheticSnapshot()
	writeSnapshot(t, data, idx, details)
	base := startServer(t, testWeb(t), data)
	for _, tc := range []struct {
		path string
		want []string
	}{
		// One choice checked per switch: go-app writes checked="false" for
		// Checked(false), which HTML reads as checked.
		{"/p/alpha", []string{"Linear", "By date"}},
		{"/compare/alpha-vs-beta-vs-gamma-vs-delta", []string{`data-warning="archived"`, `data-warning="license"`, `data-spark=`, `role="img"`}},
		{"/about", []string{`id="growth"`, `id="commits"`, "5</dd>"}},
	} {
		_, body := get(t, base+tc.path)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", tc.path, w)
			}
		}
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		checked := map[string][]string{}
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "input" {
				a := map[string]string{}
				has := false
				for _, at := range n.Attr {
					a[at.Key] = at.Val
					has = has || at.Key == "checked"
				}
				if a["type"] == "radio" && has {
					checked[a["name"]] = append(checked[a["name"]], strings.TrimSpace(n.Parent.LastChild.Data))
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		for name, labels := range checked {
			if len(labels) != 1 {
				t.Errorf("%s: radios %s have %d checked (%q), want 1", tc.path, name, len(labels), labels)
			}
		}
		if tc.path == "/p/alpha" {
			want := map[string][]string{"stars-alpha-scale": {"Linear"}, "stars-alpha-axis": {"By date"}}
			if diff := cmp.Diff(want, checked); diff != "" {
				t.Errorf("%s: checked radios mismatch (-want +got):\n%s", tc.path, diff)
			}
		}
	}
}
