//go:build !(js && wasm)

package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"versus/app/compare"
	"versus/app/export/exporttest"
)

// The bounds every card keeps.
const (
	maxPNGCard = 300_000
	maxSVGCard = 30_000
	maxSVGAge  = 86400
)

// checkPNGCard decodes a PNG card and checks its size and that it is drawn:
// many colours, and most pixels not the background.
func checkPNGCard(t *testing.T, name string, b []byte) {
	t.Helper()
	if len(b) > maxPNGCard {
		t.Errorf("%s is %d bytes, want at most %d", name, len(b), maxPNGCard)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s does not decode: %v", name, err)
	}
	if got := img.Bounds().Size(); got != image.Pt(1200, 630) {
		t.Errorf("%s is %v px, want 1200×630", name, got)
	}
	colours, drawn := map[color.RGBA]bool{}, 0
	for y := 0; y < img.Bounds().Dy(); y += 3 {
		for x := 0; x < img.Bounds().Dx(); x += 3 {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			colours[c] = true
			if c != (color.RGBA{0xff, 0xff, 0xff, 0xff}) {
				drawn++
			}
		}
	}
	if len(colours) < 50 || drawn < 400*210/10 {
		t.Errorf("%s looks blank: %d colours, %d of %d sampled pixels drawn", name, len(colours), drawn, 400*210)
	}
}

// svgElements are all the elements a card may hold.
var svgElements = map[string]bool{"svg": true, "title": true, "desc": true, "style": true, "rect": true,
	"line": true, "polyline": true, "circle": true, "text": true, "tspan": true}

// checkSVGCard parses an SVG card as XML and checks that it holds only
// drawing elements (no script, no link, no handler), its dark theme and its
// size; it returns the card's text.
func checkSVGCard(t *testing.T, name string, b []byte) string {
	t.Helper()
	if len(b) > maxSVGCard {
		t.Errorf("%s is %d bytes, want at most %d", name, len(b), maxSVGCard)
	}
	if !bytes.Contains(b, []byte("@media (prefers-color-scheme: dark){")) {
		t.Errorf("%s has no dark theme", name)
	}
	var text strings.Builder
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s is not XML: %v", name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if !svgElements[tok.Name.Local] {
				t.Errorf("%s holds a <%s>", name, tok.Name.Local)
			}
			for _, a := range tok.Attr {
				if k := strings.ToLower(a.Name.Local); strings.HasPrefix(k, "on") || strings.Contains(k, "href") {
					t.Errorf("%s: <%s %s=%q>", name, tok.Name.Local, a.Name.Local, a.Value)
				}
			}
		case xml.CharData:
			text.Write(tok)
		case xml.ProcInst, xml.Directive:
			t.Errorf("%s holds %T", name, tok)
		}
	}
	return text.String()
}

// cardMaxAgeOf reads the max-age of a Cache-Control header.
func cardMaxAgeOf(t *testing.T, cc string) int {
	t.Helper()
	m := regexp.MustCompile(`^public, max-age=(\d+)$`).FindStringSubmatch(cc)
	if m == nil {
		t.Fatalf("Cache-Control %q, want public with a max-age", cc)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestCardRoutes(t *testing.T) {
	data := t.TempDir()
	if err := exporttest.Write(data); err != nil {
		t.Fatal(err)
	}
	base := startServer(t, testWeb(t), data)
	for _, slugs := range [][]string{{"quote"}, {"quote", "nihongo"}, exporttest.Slugs} {
		name := strings.Join(slugs, "-vs-")
		t.Run(name, func(t *testing.T) {
			resp, body := get(t, base+"/cards/"+name+".png")
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
				t.Fatalf("PNG card: %s %s: %s", resp.Status, resp.Header.Get("Content-Type"), body)
			}
			checkPNGCard(t, name+".png", []byte(body))
			if age := cardMaxAgeOf(t, resp.Header.Get("Cache-Control")); age <= 0 {
				t.Errorf("PNG card max-age = %d", age)
			}
			etag := resp.Header.Get("ETag")
			if !strings.HasPrefix(etag, `"`+exporttest.Index().ID) || !strings.Contains(etag, name+".png") {
				t.Errorf("ETag %s, want the snapshot id and the card's name", etag)
			}
			resp, body = get(t, base+"/cards/"+name+".png", "If-None-Match", etag)
			if resp.StatusCode != http.StatusNotModified || body != "" {
				t.Errorf("with its ETag: %s, %d bytes, want 304 and none", resp.Status, len(body))
			}

			resp, body = get(t, base+"/cards/"+name+".svg")
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" {
				t.Fatalf("SVG card: %s %s: %s", resp.Status, resp.Header.Get("Content-Type"), body)
			}
			text := checkSVGCard(t, name+".svg", []byte(body))
			if !strings.Contains(text, slugs[len(slugs)-1]) || !strings.Contains(text, "Star history") {
				t.Errorf("SVG card text lacks its projects or chart: %q", text)
			}
			if age := cardMaxAgeOf(t, resp.Header.Get("Cache-Control")); age <= 0 || age > maxSVGAge {
				t.Errorf("SVG card max-age = %d, want at most a day", age)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'") || strings.Contains(csp, "script") {
				t.Errorf("SVG card policy %q, want nothing but its style", csp)
			}
		})
	}

	for _, tc := range []struct {
		path, location string
		code           int
		body           string
	}{
		{"/cards/nosuch-vs-quote.png", "", http.StatusNotFound, `no project named "nosuch"`},
		{"/cards/quotes.svg", "", http.StatusNotFound, "did you mean quote"},
		{"/cards/" + strings.Join(append(exporttest.Slugs, "quote2"), "-vs-") + ".png", "", http.StatusNotFound, "1 to 6 projects"},
		{"/cards/.png", "", http.StatusNotFound, "1 to 6 projects"},
		{"/cards/quote.gif", "", http.StatusNotFound, ".png or an .svg"},
		{"/cards/quote", "", http.StatusNotFound, ".png or an .svg"},
		// The compare URL's canonical form: lower case, each project once, in the order given.
		{"/cards/Nihongo-vs-quote-vs-nihongo.svg", "/cards/nihongo-vs-quote.svg", http.StatusMovedPermanently, ""},
	} {
		resp, body := get(t, base+tc.path)
		if resp.StatusCode != tc.code || !strings.Contains(body, tc.body) || resp.Header.Get("Location") != tc.location {
			t.Errorf("GET %s = %s (Location %q): %q, want %d %q (Location %q)", tc.path, resp.Status, resp.Header.Get("Location"), body, tc.code, tc.body, tc.location)
		}
	}
}

// metaTags reads the meta tags of a page by name or property (go-app writes
// a tag's attributes in any order); a bare content attribute reads as "".
func metaTags(body string) map[string]string {
	got := map[string]string{}
	for _, tag := range metaRE.FindAllString(body, -1) {
		k := keyRE.FindStringSubmatch(tag)
		if k == nil {
			continue
		}
		v := ""
		if m := valRE.FindStringSubmatch(tag); m != nil {
			v = html.UnescapeString(m[1])
		}
		got[k[1]] = v
	}
	return got
}

func TestCardMetaTags(t *testing.T) {
	data := t.TempDir()
	if err := exporttest.Write(data); err != nil {
		t.Fatal(err)
	}
	base := startServer(t, testWeb(t), data)
	for _, tc := range []struct {
		path string
		want map[string]string // nil: the page claims no card
	}{
		{"/compare/Quote-vs-nihongo?utm_source=x", map[string]string{
			"og:image": base + "/cards/quote-vs-nihongo.png", "og:image:width": "1200", "og:image:height": "630",
			"og:image:type": "image/png", "og:image:alt": "quote vs nihongo: stars, growth, activity, last commit and star history, side by side",
			"twitter:card": "summary_large_image", "twitter:image": base + "/cards/quote-vs-nihongo.png",
		}},
		{"/p/nihongo", map[string]string{
			"og:image": base + "/cards/nihongo.png", "og:image:width": "1200", "og:image:height": "630",
			"og:image:alt": "nihongo: stars, growth, activity, last commit and star history", "twitter:card": "summary_large_image",
		}},
		{"/", nil},
		{"/about", nil},
		{"/compare/quote-vs-nosuch", nil},
		{"/p/nosuch", nil},
	} {
		_, body := get(t, base+tc.path)
		got := metaTags(body)
		if tc.want == nil {
			for _, k := range []string{"og:image", "og:image:width", "twitter:image", "twitter:card"} {
				if v, ok := got[k]; ok {
					t.Errorf("%s claims a card: %s = %q", tc.path, k, v)
				}
			}
			continue
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%s: meta %s = %q, want %q", tc.path, k, got[k], v)
			}
		}
		// The card each page names is served.
		resp, b := get(t, got["og:image"])
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s names %s, which answers %s", tc.path, got["og:image"], resp.Status)
		} else {
			checkPNGCard(t, got["og:image"], []byte(b))
		}
	}

	// With a canonical origin, the image is named there.
	page := []byte(`<head><meta property="og:image" content><meta name="twitter:card" content="summary"></head>`)
	r, _ := http.NewRequest("GET", "http://127.0.0.1:1/p/quote", nil)
	out := string(cardMeta(page, origin(r, "https://versus.example/"), pageCard{name: "quote", alt: `a "b" <c>`}, true))
	if m := metaTags(out); m["og:image"] != "https://versus.example/cards/quote.png" || m["og:image:alt"] != "a ”b” <c>" || m["twitter:card"] != "summary_large_image" {
		t.Errorf("cardMeta with -base-url = %s", out)
	}
	if strings.Count(out, "twitter:card") != 1 || strings.Contains(out, "<c>") {
		t.Errorf("cardMeta left go-app's twitter:card or unescaped text: %s", out)
	}
}

// A static export names only cards it writes: a comparison it has no card
// for names its first project's.
func TestStaticCardFallback(t *testing.T) {
	data := t.TempDir()
	if err := exporttest.Write(data); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(testWeb(t), data)
	srv, err := newServer(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv.cards.only = map[string]bool{"quote": true, "nihongo": true, "quote-vs-nihongo": true}
	for path, want := range map[string]string{
		"/compare/quote-vs-nihongo":           "quote-vs-nihongo",
		"/compare/nihongo-vs-quote":           "nihongo",
		"/compare/quote-vs-emoji-vs-nihongo":  "quote",
		"/p/nihongo":                          "nihongo",
		"/compare/Quote-vs-NIHONGO-vs-quote/": "quote-vs-nihongo",
	} {
		c, ok := srv.cards.forPage(path)
		if !ok || c.name != want {
			t.Errorf("forPage(%q) = %q, %v; want %q", path, c.name, ok, want)
		}
	}
}

func TestStaticCardsList(t *testing.T) {
	data := t.TempDir()
	if err := exporttest.Write(data); err != nil {
		t.Fatal(err)
	}
	srv, err := newServer(context.Background(), testConfig(testWeb(t), data))
	if err != nil {
		t.Fatal(err)
	}
	set, err := srv.src.Load()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range set.Projects {
		want = append(want, p.Slug)
		for _, a := range p.Alternatives[:min(3, len(p.Alternatives))] {
			want = append(want, p.Slug+"-vs-"+a)
		}
	}
	if diff := cmp.Diff(want, staticCards(set)); diff != "" {
		t.Errorf("staticCards mismatch (-want +got):\n%s", diff)
	}
	for _, name := range staticCards(set) {
		slugs, _ := compare.ParsePath("/compare/" + name)
		if compare.Path(slugs...) != "/compare/"+name {
			t.Errorf("card %s is not in the compare URL's canonical form", name)
		}
	}
}

// Third-party text reaches a card as text only: fitted to its room, no
// markup, no bidi override; the cards stay within their sizes.
func TestHostileCards(t *testing.T) {
	data := t.TempDir()
	idx, details := hostileSnapshot()
	writeSnapshot(t, data, idx, details)
	base := startServer(t, testWeb(t), data)
	for _, name := range []string{"alpha", "beta", "alpha-vs-beta", "alpha-vs-beta-vs-gamma-vs-delta-vs-epsilon"} {
		resp, body := get(t, base+"/cards/"+name+".png")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s.png: %s: %s", name, resp.Status, body)
		}
		checkPNGCard(t, name+".png", []byte(body))
		resp, body = get(t, base+"/cards/"+name+".svg")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s.svg: %s: %s", name, resp.Status, body)
		}
		text := checkSVGCard(t, name+".svg", []byte(body))
		if strings.Contains(body, "<script") || strings.Contains(body, "<img") || strings.Contains(body, "<iframe") {
			t.Errorf("%s.svg holds markup from the snapshot", name)
		}
		if !strings.Contains(text, "<script>window.pwned=1</script>") && !strings.Contains(text, "<script>") {
			t.Errorf("%s.svg does not show the description as text: %.300q", name, text)
		}
		if strings.ContainsAny(text, "\u202e\u202c\u2066\u2067\u2068\u2069") {
			t.Errorf("%s.svg keeps a bidi control", name)
		}
	}
}
