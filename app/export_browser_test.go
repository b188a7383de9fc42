//go:build !(js && wasm)

package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"flag"
	"fmt"
	"image"
	_ "image/png" // registers the decoder
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"versus/app/chart"
	"versus/app/compare"
	"versus/app/dataset"
	"versus/app/export"
	"versus/app/export/exporttest"
	"versus/sync/snapshot"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenBase stands for the test server's address in golden files.
const goldenBase = "http://versus.test"

// shareStub replaces the Web Share API with one that records what it was
// given, as the browser under test has no share sheet.
const shareStub = `
window.__shared = null;
Object.defineProperty(navigator, "canShare", {configurable: true, value: data => true});
Object.defineProperty(navigator, "share", {configurable: true, value: async data => {
	window.__shared = {title: data.title, text: data.text, url: data.url,
		files: data.files.map(f => ({name: f.name, type: f.type, size: f.size}))};
}});`

// exportTab is a browser tab on a compare page of the hard-text snapshot,
// with downloads going to a folder.
type exportTab struct {
	t     testing.TB
	ctx   context.Context
	base  string
	dir   string
	files chan string // names of completed downloads
}

func newExportTab(t testing.TB, base string) *exportTab {
	t.Helper()
	ctx := newBrowser(t)
	tab := &exportTab{t: t, ctx: ctx, base: base, dir: t.TempDir(), files: make(chan string, 16)}
	names := map[string]string{}
	err := chromedp.ListenBrowser(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *browser.EventDownloadWillBegin:
			names[ev.GUID] = ev.SuggestedFilename
		case *browser.EventDownloadProgress:
			if ev.State == browser.DownloadProgressStateCompleted {
				tab.files <- names[ev.GUID]
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: tab.dir, EventsEnabled: ptr(true),
	}); err != nil {
		t.Fatal(err)
	}
	// The clipboard works only in a focused document, which a headless tab is not.
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name}, Setting: browser.PermissionSettingGranted, Origin: base,
		}); err != nil {
			t.Fatal(err)
		}
	}
	return tab
}

func ptr[T any](v T) *T { return &v }

// asUser runs an evaluation as a user's action: browsers let a page start
// several downloads, share, or write the clipboard only after one.
func asUser(p *runtime.EvaluateParams) { p.UserGesture = ptr(true) }

// open loads path and opens the export menu once the wasm runs.
func (tab *exportTab) open(path string) {
	tab.t.Helper()
	if err := chromedp.Do(tab.ctx, chromedp.Navigate(tab.base+path)); err != nil {
		tab.t.Fatal(err)
	}
	// The wasm starts on the first interaction.
	if err := chromedp.Do(tab.ctx, chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event("pointermove"))`)); err != nil {
		tab.t.Fatal(err)
	}
	js := `document.querySelector('.site[data-runtime="wasm"] details.export button[data-export="csv"]') !== null`
	if _, err := chromedp.Run(tab.ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		tab.t.Fatalf("waiting for the wasm to render the export menu: %v", err)
	}
	tab.eval(`document.querySelector("details.export").open = true`)
}

func (tab *exportTab) eval(js string) string {
	tab.t.Helper()
	v, err := chromedp.Run(tab.ctx, chromedp.Evaluate[any](js))
	if err != nil {
		tab.t.Fatalf("%s: %v", js, err)
	}
	return fmt.Sprint(v)
}

// run clicks the export button of kind and waits until it finished; it
// fails the test when the menu reports an error.
func (tab *exportTab) run(kind string) string {
	tab.t.Helper()
	seq := tab.eval(`document.querySelector(".export-status").dataset.seq`)
	js := `document.querySelector('button[data-export="` + kind + `"]').click()`
	if _, err := chromedp.Run(tab.ctx, chromedp.Evaluate[any](js, asUser)); err != nil {
		tab.t.Fatalf("click %s: %v", kind, err)
	}
	status, err := chromedp.Run(tab.ctx, chromedp.Poll[string](
		`(s => s.dataset.seq !== "`+seq+`" && s.dataset.state + ": " + s.textContent)(document.querySelector(".export-status"))`,
		chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		tab.t.Fatalf("export %s did not finish: %v", kind, err)
	}
	if !strings.HasPrefix(status, "done: ") {
		tab.t.Fatalf("export %s: %s", kind, status)
	}
	return status
}

// download runs the export of kind and returns the bytes of the file it saved.
func (tab *exportTab) download(kind, name string) []byte {
	tab.t.Helper()
	tab.run(kind)
	select {
	case got := <-tab.files:
		if got != name {
			tab.t.Fatalf("export %s saved %q, want %q", kind, got, name)
		}
	case <-time.After(30 * time.Second):
		tab.t.Fatalf("export %s: no download of %s completed", kind, name)
	}
	b, err := os.ReadFile(filepath.Join(tab.dir, name))
	if err != nil {
		tab.t.Fatal(err)
	}
	return b
}

func (tab *exportTab) clipboard() string {
	tab.t.Helper()
	v, err := chromedp.Run(tab.ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if err != nil {
		tab.t.Fatalf("read the clipboard: %v", err)
	}
	return v
}

func TestExportInBrowser(t *testing.T) {
	data := t.TempDir()
	if err := exporttest.Write(data); err != nil {
		t.Fatal(err)
	}
	set := dataset.New(exporttest.Index())
	base := startServer(t, testWeb(t), data)
	tab := newExportTab(t, base)
	recordViolations(t, tab.ctx)

	// The share button shows only where the browser can share files.
	tab.open(compare.Path("quote", "nihongo"))
	native := tab.eval(`String(typeof navigator.share === "function" && typeof navigator.canShare === "function")`)
	if got := tab.eval(`String(document.querySelector('button[data-export="share"]') !== null)`); got != native {
		t.Errorf("share button shown: %s, want %s (the browser can share: %s)", got, native, native)
	}
	if _, err := chromedp.Call(tab.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: shareStub}); err != nil {
		t.Fatal(err)
	}

	for _, slugs := range [][]string{{"quote", "nihongo"}, exporttest.Slugs} {
		t.Run(fmt.Sprint(len(slugs)), func(t *testing.T) {
			tab.t = t
			cmpn := exportComparison(t, set, slugs)
			path := compare.Path(slugs...)
			// Tracking parameters go; the view's own options stay.
			tab.open(path + "?utm_source=test&chart=stars")
			wantLink := base + path + "?chart=stars"
			// Each project has one colour: on the page (light theme), in the
			// SVG and in the PNGs.
			colours := tab.pageColours(t, len(slugs))
			for i, c := range colours {
				if c != chart.Color(i) {
					t.Errorf("project %d is %s on the page, want %s", i, c, chart.Color(i))
				}
			}

			t.Run("csv", func(t *testing.T) {
				tab.t = t
				b := tab.download("csv", export.FileName(cmpn, ".csv"))
				recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
				if err != nil {
					t.Fatalf("CSV does not parse: %v", err)
				}
				if len(recs) != 1+len(slugs) {
					t.Fatalf("CSV has %d lines, want a header and %d projects", len(recs), len(slugs))
				}
				for i, p := range cmpn.Projects {
					if recs[i+1][0] != p.Name || recs[i+1][4] != noFormulaWant(p.Description) {
						t.Errorf("CSV line %d = %q, want %s with its description %q", i+1, recs[i+1][:5], p.Name, p.Description)
					}
				}
			})
			t.Run("svg", func(t *testing.T) {
				tab.t = t
				b := tab.download("svg", export.FileName(cmpn, ".svg"))
				svg := exporttest.ReadSVG(t, b)
				checkSVGColours(t, b, colours, 2)
				want := export.SVG(cmpn, export.Full)
				if svg.Width != "1200" || svg.Height != fmt.Sprint(want.Height) {
					t.Errorf("SVG is %s×%s, want 1200×%d", svg.Width, svg.Height, want.Height)
				}
				// quote and nihongo have a star history.
				if n := svg.Polylines; n != 2 {
					t.Errorf("SVG chart has %d lines, want 2", n)
				}
				for _, s := range []string{`He said "hello"`, "versus", "Data as of 15 Jan 2026"} {
					if !strings.Contains(svg.Text, s) {
						t.Errorf("SVG text lacks %q", s)
					}
				}
			})
			for _, size := range []export.Size{export.Social, export.Full} {
				kind := map[export.Size]string{export.Social: "png", export.Full: "png-full"}[size]
				t.Run(kind, func(t *testing.T) {
					tab.t = t
					b := tab.download(kind, export.FileName(cmpn, "-"+size.String()+".png"))
					checkPNG(t, b, export.SVG(cmpn, size))
					checkPNGColours(t, b, export.Layout(cmpn, size), colours)
				})
			}
			t.Run("markdown", func(t *testing.T) {
				tab.t = t
				tab.run("markdown")
				md := strings.ReplaceAll(tab.clipboard(), base, goldenBase)
				golden(t, fmt.Sprintf("export-%d.md", len(slugs)), md)
			})
			t.Run("embed", func(t *testing.T) {
				tab.t = t
				tab.run("embed")
				name := strings.Join(slugs, "-vs-")
				want := "[![" + cmpn.Title() + "](" + base + "/cards/" + name + ".svg)](" + wantLink + ")"
				if got := tab.clipboard(); got != want {
					t.Errorf("Embed in README copied %q, want %q", got, want)
				}
				// The snippet's image is served.
				if resp, body := get(t, base+"/cards/"+name+".svg"); resp.StatusCode != http.StatusOK {
					t.Errorf("the embedded card answers %s: %s", resp.Status, body)
				}
			})
			t.Run("share", func(t *testing.T) {
				tab.t = t
				tab.run("share")
				got := tab.eval(`JSON.stringify(window.__shared)`)
				for _, want := range []string{
					`"url":"` + wantLink + `"`,
					`"name":"` + export.FileName(cmpn, ".png") + `","type":"image/png"`,
					`"title":"` + cmpn.Title() + ` · versus"`,
				} {
					if !strings.Contains(got, want) {
						t.Errorf("shared %s, want it to hold %s", got, want)
					}
				}
			})
			t.Run("link", func(t *testing.T) {
				tab.t = t
				tab.run("link")
				link := tab.clipboard()
				if link != wantLink {
					t.Fatalf("copied link %q, want %q", link, wantLink)
				}
				if err := chromedp.Do(tab.ctx, chromedp.Navigate(link)); err != nil {
					t.Fatal(err)
				}
				waitWasm(t, tab.ctx, "table.metrics")
				names := tab.eval(`[...document.querySelectorAll("table.metrics thead th")].map(th => th.textContent).join(",")`)
				if want := strings.Join(slugs, ","); names != want {
					t.Errorf("the link opens %s, want %s", names, want)
				}
			})
			if csp := tab.eval(`window.__csp.join(";")`); csp != "" {
				t.Errorf("CSP violations: %s", csp)
			}
		})
	}
}

// exportComparison is the comparison the page of slugs shows: the projects
// of the hard-text snapshot with their details.
func exportComparison(t testing.TB, set *dataset.Set, slugs []string) *compare.Comparison {
	t.Helper()
	details := map[string]*snapshot.Detail{}
	for _, d := range exporttest.Details() {
		details[d.Repo] = d
	}
	c, err := compare.New(set, slugs, details)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// pageColours reads each project's colour on the compare page in the light
// theme, as a hex colour: the swatch of its head, which must equal its line
// in the star history chart where it has one.
func (tab *exportTab) pageColours(t *testing.T, n int) []string {
	t.Helper()
	if _, err := chromedp.Call(tab.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}},
	}); err != nil {
		t.Fatal(err)
	}
	v, err := chromedp.Run(tab.ctx, chromedp.Evaluate[[][]string](`[...Array(`+fmt.Sprint(n)+`).keys()].map(i => {
		const sw = getComputedStyle(document.querySelector(".head.s" + i + " .swatch")).backgroundColor;
		const line = document.querySelector('figure.chart path[data-s="' + i + '"]');
		return [sw, line ? getComputedStyle(line).stroke : sw];
	})`))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, n)
	for i, pair := range v {
		swatch, line := rgbHex(t, pair[0]), rgbHex(t, pair[1])
		if swatch != line {
			t.Errorf("project %d: swatch %s, chart line %s", i, swatch, line)
		}
		out[i] = swatch
	}
	return out
}

// rgbHex turns a computed colour "rgb(99, 102, 241)" into "#6366f1".
func rgbHex(t *testing.T, css string) string {
	t.Helper()
	var r, g, b int
	if _, err := fmt.Sscanf(css, "rgb(%d, %d, %d)", &r, &g, &b); err != nil {
		t.Fatalf("computed colour %q: %v", css, err)
	}
	return fmt.Sprintf("#%02x%02x%02x", r, g, b)
}

// checkSVGColours checks that the SVG card names each project in the title
// in its page colour, and draws the star history lines (lines of them, the
// first projects) in it.
func checkSVGColours(t *testing.T, b []byte, colours []string, lines int) {
	t.Helper()
	var title, strokes []string
	dec := xml.NewDecoder(bytes.NewReader(b))
	first := true // the first text is the title
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			if ee, ok := tok.(xml.EndElement); ok && ee.Name.Local == "text" {
				first = false
			}
			continue
		}
		get := func(name string) string {
			for _, a := range se.Attr {
				if a.Name.Local == name {
					return a.Value
				}
			}
			return ""
		}
		switch {
		case se.Name.Local == "tspan" && first && get("font-weight") == "700":
			title = append(title, get("fill"))
		case se.Name.Local == "polyline":
			strokes = append(strokes, get("stroke"))
		}
	}
	if diff := cmp.Diff(colours, title); diff != "" {
		t.Errorf("SVG title colours mismatch (-page +svg):\n%s", diff)
	}
	if diff := cmp.Diff(colours[:lines], strokes); diff != "" {
		t.Errorf("SVG chart line colours mismatch (-page +svg):\n%s", diff)
	}
}

// checkPNGColours checks that each project's colour bar over its column (a
// 4 px high rect of the card's scene) has the project's page colour in the
// PNG, drawn at twice the size.
func checkPNGColours(t *testing.T, b []byte, sc export.Scene, colours []string) {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sc.Shapes {
		if r, ok := s.(export.Rect); ok && r.H == 4 {
			cr, cg, cb, _ := img.At(int(2*(r.X+r.W/2)), int(2*(r.Y+r.H/2))).RGBA()
			got = append(got, fmt.Sprintf("#%02x%02x%02x", cr>>8, cg>>8, cb>>8))
		}
	}
	if diff := cmp.Diff(colours, got); diff != "" {
		t.Errorf("PNG colour bars mismatch (-page +png):\n%s", diff)
	}
}

// noFormulaWant is the description as the CSV writes it.
func noFormulaWant(s string) string {
	if strings.HasPrefix(s, "=") {
		return "'" + s
	}
	return s
}

// checkPNG decodes b and checks that it is card drawn at twice its size, and
// not blank: its pixels vary, and the card's accent bar is at the top.
func checkPNG(t *testing.T, b []byte, card export.Card) {
	t.Helper()
	img, kind, err := image.Decode(bytes.NewReader(b))
	if err != nil || kind != "png" {
		t.Fatalf("the file is not a PNG (%s): %v", kind, err)
	}
	want := image.Rect(0, 0, 2*card.Width, 2*card.Height)
	if img.Bounds() != want {
		t.Fatalf("PNG is %v, want %v (2× the card)", img.Bounds().Size(), want.Size())
	}
	var sum, sum2, n float64
	for y := 0; y < want.Dy(); y += 7 {
		for x := 0; x < want.Dx(); x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			l := (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(bl)) / 257
			sum, sum2, n = sum+l, sum2+l*l, n+1
		}
	}
	if sd := math.Sqrt(sum2/n - (sum/n)*(sum/n)); sd < 10 {
		t.Errorf("PNG looks blank: luminance standard deviation %.1f", sd)
	}
	if r, g, bl, _ := img.At(20, 6).RGBA(); r>>8 != 0x4f || g>>8 != 0x46 || bl>>8 != 0xe5 {
		t.Errorf("pixel (20,6) is #%02x%02x%02x, want the accent bar #4f46e5", r>>8, g>>8, bl>>8)
	}
	t.Logf("PNG %v: %d bytes", want.Size(), len(b))
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -run TestExportInBrowser -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}
