//go:build !(js && wasm)

package main

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"versus/sync/snapshot"
)

// Payloads a stranger can put in a repository's free-text fields. Each one
// that ran would set window.pwned.
var (
	payloads = []string{
		`<script>window.pwned=1</script>`,
		`<img src=x onerror="window.pwned=1">`,
		`" onmouseover="window.pwned=1" x="`,
		`' onfocus='window.pwned=1' autofocus x='`,
		`<svg onload="window.pwned=1"><script>window.pwned=1</script></svg>`,
		`<svg><a xlink:href="javascript:window.pwned=1"><text>x</text></a></svg>`,
		`<iframe srcdoc="<script>parent.pwned=1</script>"></iframe>`,
		"\u202egnp.exe\u202c right-to-left \u200b\u200b\u200bzero\u200dwidth\ufeff",
		`{{.}} ${window.pwned=1} %s%s%n`,
	}
	evilLinks = []string{
		"javascript:window.pwned=1",
		"JaVaScRiPt:window.pwned=1",
		" javascript:window.pwned=1",
		"data:text/html,<script>window.pwned=1</script>",
		"vbscript:msgbox(1)",
		`https://example.com/"><script>window.pwned=1</script>`,
		"//evil.example/x",
	}
	huge = strings.Repeat("W", 100_000)
	// hugeWords is 100 KB of long words, to test wrapping too.
	hugeWords = strings.Repeat("Supercalifragilisticexpialidocious"+strings.Repeat("x", 60)+" ", 1100)
)

func evil(i int) string { return strings.Join(payloads, " ") + " " + payloads[i%len(payloads)] }

// hostileSnapshot carries payloads in every free-text field while staying
// valid: repos, slugs and names are what GitHub allows.
func hostileSnapshot() (*snapshot.Index, []*snapshot.Detail) {
	idx, details := syntheticSnapshot()
	idx.Note = evil(0) + huge
	idx.Categories[0].Name = evil(1) + huge
	idx.Categories[0].Description = evil(2)
	for i := range idx.Projects {
		p := &idx.Projects[i]
		p.Description = evil(i) + []string{huge, hugeWords}[i%2]
		p.Homepage = evilLinks[i%len(evilLinks)]
		p.Language = evil(i+1) + huge
		p.Topics = append(p.Topics, payloads...)
		p.Topics = append(p.Topics, huge)
		p.License = &snapshot.License{SPDX: payloads[2] + huge, Name: evil(i+2) + hugeWords}
		p.Release.Tag = evil(i+3) + huge
	}
	for i, d := range details {
		d.Posts = nil
		for j, l := range evilLinks {
			d.Posts = append(d.Posts, snapshot.Post{
				Title: evil(i+j) + huge, URL: l, Date: syntheticDate.AddDate(0, 0, -j-1),
				Projects: 1, Excerpt: evil(j) + hugeWords,
			})
		}
	}
	return idx, details
}

// hostilePages are the pages that show third-party text.
var hostilePages = []struct{ path, sel string }{
	{"/", "main"},
	{"/compare/alpha-vs-beta-vs-gamma-vs-delta-vs-epsilon", "figure.chart"},
	{"/compare/alpha-vs-nosuch", ".problem"},
	{"/p/alpha", "article.project figure.chart"},
	{"/p/beta", "article.project"},
	{"/p/epsilon", "article.project"},
	{"/p/nosuch", ".problem"},
	{"/about", "article.about"},
}

func TestHostileSnapshotInBrowser(t *testing.T) {
	data := t.TempDir()
	idx, details := hostileSnapshot()
	writeSnapshot(t, data, idx, details) // fails unless the snapshot is valid
	base := startServer(t, testWeb(t), data)

	// The prerendered HTML: no handler attributes, no inline or foreign
	// script, no link that is not http(s) or our own.
	for _, pg := range hostilePages {
		checkPrerendered(t, base+pg.path)
	}

	ctx := newBrowser(t)
	recordViolations(t, ctx)
	for _, width := range []int64{1280, 360} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
			t.Fatal(err)
		}
		for _, pg := range hostilePages {
			visit(t, ctx, base+pg.path, pg.sel)
			got := eval[map[string]any](t, ctx, `(() => {
				const bad = [...document.querySelectorAll("a[href]")].map(a => a.getAttribute("href"))
					.filter(h => !(/^https?:\/\//i.test(h) || (h.startsWith("/") && !h.startsWith("//")) || h.startsWith("#")));
				const handlers = [...document.querySelectorAll("*")].flatMap(e => [...e.attributes].filter(a => a.name.startsWith("on")).map(a => e.tagName + " " + a.name));
				return {
					pwned: typeof window.pwned,
					csp: window.__csp.join(";"),
					badLinks: bad.join(" | "),
					handlers: handlers.join(","),
					inlineScripts: document.querySelectorAll("script:not([src])").length,
					foreign: document.querySelectorAll("iframe, object, embed, main img, main script, foreignObject").length,
					overflow: document.documentElement.scrollWidth > window.innerWidth,
				};
			})()`)
			want := map[string]any{"pwned": "undefined", "csp": "", "badLinks": "", "handlers": "", "inlineScripts": float64(0), "foreign": float64(0), "overflow": false}
			if got["overflow"] == true {
				t.Logf("%s at %d: %s", pg.path, width, eval[string](t, ctx, `[...document.querySelectorAll("body *")].filter(e => !e.closest(".table-wrap, .chart-canvas") && e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right) + " " + (e.parentElement ? e.parentElement.className : "")).join("\n")`))
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s at %d px: %s = %v, want %v", pg.path, width, k, got[k], v)
				}
			}
		}
	}
}

var goodHref = regexp.MustCompile(`^(https?://[^\s"'<>]+|/[^/][^\s"'<>]*|/|#[\w-]*)$`)

// checkPrerendered parses the server's HTML of url and reports what could run.
func checkPrerendered(t *testing.T, url string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attrs := map[string]string{}
			for _, a := range n.Attr {
				attrs[a.Key] = a.Val
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("%s: <%s> has a handler attribute %s=%q", url, n.Data, a.Key, a.Val)
				}
			}
			switch n.Data {
			case "script":
				if attrs["src"] == "" || !strings.HasPrefix(attrs["src"], "/") {
					t.Errorf("%s: a script that is not ours: %v", url, attrs)
				}
			case "iframe", "object", "embed", "foreignObject", "foreignobject":
				t.Errorf("%s: a <%s>", url, n.Data)
			case "img":
				if !strings.HasPrefix(attrs["src"], "/web/") {
					t.Errorf("%s: an image that is not ours: %v", url, attrs)
				}
			case "a":
				if h, ok := attrs["href"]; ok && !goodHref.MatchString(h) {
					t.Errorf("%s: a link that is neither http(s) nor ours: %q", url, h)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}
