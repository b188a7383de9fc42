//go:build !(js && wasm)

package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"versus/app/compare"
	"versus/app/dataset"
	"versus/sync/store"
)

// recordViolations makes every page of the tab log Content-Security-Policy
// violations in window.__csp.
func recordViolations(t *testing.T, ctx context.Context) {
	t.Helper()
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`,
	})
	if err != nil {
		t.Fatal(err)
	}
}

// sampleSet is the sample snapshot in web/data.
func sampleSet(t testing.TB) *dataset.Set {
	t.Helper()
	st, err := store.Open(context.Background(), "../web/data")
	if err != nil {
		t.Fatal(err)
	}
	set, err := dataset.LoaderFor(store.Reader(st), 0).Load()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// waitWasm starts the wasm as a visitor would, by moving the pointer (it
// starts on the first interaction), and waits until it has rendered sel (the
// prerendered page has no data-runtime attribute).
func waitWasm(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event("pointermove"))`)); err != nil {
		t.Fatal(err)
	}
	js := `document.querySelector('.site[data-runtime="wasm"] ` + sel + `') !== null`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("waiting for the wasm to render %s: %v", sel, err)
	}
}

func TestComparePageInBrowser(t *testing.T) {
	base := startServer(t, testWeb(t), "../web/data")
	ctx := newBrowser(t)
	recordViolations(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/compare/tokio-vs-async-std")); err != nil {
		t.Fatal(err)
	}
	waitWasm(t, ctx, "table.metrics")

	rows, err := chromedp.Run(ctx, chromedp.Evaluate[map[string][]string](`
		Object.fromEntries([...document.querySelectorAll("table.metrics tbody tr")].map(tr =>
			[tr.dataset.row, [...tr.querySelectorAll("td")].map(td => td.firstChild.textContent)]))`))
	if err != nil {
		t.Fatal(err)
	}
	// The model's own test holds its rows to the seed page's figures.
	cmpn, err := compare.New(sampleSet(t), []string{"tokio", "async-std"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{}
	for _, r := range cmpn.Rows {
		for _, cell := range r.Cells {
			want[r.Key] = append(want[r.Key], cell.Text)
		}
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("metric rows mismatch (-want +got):\n%s", diff)
	}

	facts, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`({
		title: document.title,
		lastCommitHover: document.querySelector('tr[data-row="last_commit"] td').title,
		best: [...document.querySelectorAll('tr[data-row="stars"] td.best')].map(td => td.firstChild.textContent).join(","),
		owners: [...document.querySelectorAll(".head .owner")].map(e => e.textContent).join(","),
		firstPost: document.querySelectorAll(".postlist")[1].querySelector("li").innerText,
		posts: String(document.querySelectorAll(".postlist")[1].querySelectorAll("li").length),
		alternatives: String(document.querySelectorAll(".alternatives li").length),
		csp: window.__csp.join(";"),
	})`))
	if err != nil {
		t.Fatal(err)
	}
	wantFacts := map[string]string{
		"title":           "tokio vs async-std · versus",
		"lastCommitHover": "2021-11-19 00:00 UTC",
		"best":            "13,967",
		"owners":          " (by tokio-rs), (by async-rs)",
		"firstPost":       "Why asynchronous Rust doesn't work\n\n3 projects · 13 Nov 2021\n\nGo's solution is for the scheduler to notice after a while when a goroutine has blocked execution and to shift goroutines waiting their turn to another thread. async-std pondered a similar approach with tasks, but it proved controversial and was never merged.",
		"posts":           "8",
		"alternatives":    "12",
		"csp":             "",
	}
	if diff := cmp.Diff(wantFacts, facts); diff != "" {
		t.Errorf("page mismatch (-want +got):\n%s", diff)
	}
}

// TestBrokenBinaryIndexInBrowser: when the binary index is damaged, the
// browser reads index.json instead and shows the same data.
func TestBrokenBinaryIndexInBrowser(t *testing.T) {
	data := copyDir(t, "../web/data")
	bin := filepath.Join(data, "snapshots", "2021-11-25T12-00-00Z", "index.bin")
	if err := os.WriteFile(bin, []byte("VSXI\x01 damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := startServer(t, testWeb(t), data)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/compare/tokio-vs-async-std")); err != nil {
		t.Fatal(err)
	}
	waitWasm(t, ctx, "table.metrics")
	got := eval[map[string]any](t, ctx, `({
		stars: document.querySelector('tr[data-row="stars"] td').firstChild.textContent,
		read: performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.includes("/index.")).sort(),
	})`)
	want := map[string]any{
		"stars": "13,967",
		"read":  []any{"/data/snapshots/2021-11-25T12-00-00Z/index.bin", "/data/snapshots/2021-11-25T12-00-00Z/index.json"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("with a damaged index.bin (-want +got):\n%s", diff)
	}
}
