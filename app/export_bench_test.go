//go:build !(js && wasm)

package main

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"

	"github.com/chromedp/chromedp"

	"versus/app/compare"
	"versus/app/dataset"
	"versus/app/export"
	"versus/app/export/exporttest"
)

// timeExport clicks an export button and resolves, in the page, with the
// milliseconds (performance.now) until the menu reports the export done:
// rendering, encoding, and handing the file to the browser or clipboard.
const timeExport = `kind => new Promise(resolve => {
	const s = document.querySelector(".export-status"), seq = s.dataset.seq;
	let t0;
	const obs = new MutationObserver(() => {
		if (s.dataset.seq === seq) return;
		obs.disconnect();
		resolve(s.dataset.state === "done" ? performance.now() - t0 : -1);
	});
	obs.observe(s, {attributes: true, attributeFilter: ["data-seq"]});
	t0 = performance.now();
	document.querySelector('button[data-export="' + kind + '"]').click();
})`

// BenchmarkExport times each export in headless Chromium (median of 5, on
// the hard-text snapshot with star histories) and prints the PNG sizes.
func BenchmarkExport(b *testing.B) {
	data := b.TempDir()
	if err := exporttest.Write(data); err != nil {
		b.Fatal(err)
	}
	base := startServer(b, "../web", data)
	set := dataset.New(exporttest.Index())
	for range b.N {
		for _, slugs := range [][]string{{"quote", "nihongo"}, exporttest.Slugs} {
			n := len(slugs)
			cmpn := exportComparison(b, set, slugs)
			var tab *exportTab
			for _, kind := range []string{"link", "markdown", "csv", "svg", "png", "png-full", "share"} {
				// A fresh browser for each kind: Chromium stops a tab's
				// downloads after a few.
				tab = newExportTab(b, base)
				// The stub stands for the share sheet: "share" times the PNG and the call.
				if _, err := chromedp.Call(tab.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: shareStub}); err != nil {
					b.Fatal(err)
				}
				tab.open(compare.Path(slugs...))
				var ms []float64
				for range 5 {
					v, err := chromedp.Run(tab.ctx, chromedp.Evaluate[float64]("("+timeExport+")("+fmt.Sprintf("%q", kind)+")", chromedp.EvalAwaitPromise, asUser))
					if err != nil || v < 0 {
						b.Fatalf("export %s: %v (%v)", kind, err, v)
					}
					ms = append(ms, v)
					if kind != "link" && kind != "markdown" && kind != "share" {
						select {
						case <-tab.files:
						case <-time.After(30 * time.Second):
							b.Fatalf("export %s: no download completed", kind)
						}
					}
				}
				sort.Float64s(ms)
				row(fmt.Sprintf("export %s, %d projects, median of 5 (ms)", kind, n), fmt.Sprintf("%.0f", ms[2]))
			}
			for _, s := range []export.Size{export.Social, export.Full} {
				tab = newExportTab(b, base)
				tab.open(compare.Path(slugs...))
				card := export.SVG(cmpn, s)
				kind := map[export.Size]string{export.Social: "png", export.Full: "png-full"}[s]
				png := tab.download(kind, export.FileName(cmpn, "-"+s.String()+".png"))
				row(fmt.Sprintf("PNG %d×%d @2x, %d projects (bytes)", card.Width, card.Height, n), fmt.Sprint(len(png)))
				b.ReportMetric(float64(len(png)), fmt.Sprintf("%s-%dp-png-bytes", s, n))
			}
		}
	}
}
