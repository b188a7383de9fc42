//go:build !(js && wasm)

package main

import (
	"context"
	"mime"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

// exportSite writes the static site of the snapshot in dataDir into a new
// folder and returns it with the names written.
func exportSite(t *testing.T, dataDir string, withData bool) (string, []string) {
	t.Helper()
	cfg := testConfig(testWeb(t), dataDir)
	cfg.recheck = 0 // as main sets it for -static
	cfg.baseURL = "https://versus.example"
	srv, err := newServer(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files, err := exportStatic(srv, dir, withData)
	if err != nil {
		t.Fatal(err)
	}
	return dir, files
}

// readPageList reads the export's list of pages.
func readPageList(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, pageList))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(b))
}

// bucket serves dir as a bucket's website does: each object with the
// Content-Type it was uploaded with (text/html for the pages the upload
// reads from pages.txt, else by extension, else application/octet-stream),
// the 404 page for a missing object, and data/ from dataDir, which the sync
// writes.
func bucket(t *testing.T, dir, dataDir string) string {
	t.Helper()
	pages := readPageList(t, dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name == "" {
			name = "index.html"
		}
		root := dir
		if rest, ok := strings.CutPrefix(name, "data/"); ok {
			root, name = dataDir, rest
		}
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		code := http.StatusOK
		if err != nil {
			name, code = "404.html", http.StatusNotFound
			if b, err = os.ReadFile(filepath.Join(dir, name)); err != nil {
				t.Errorf("bucket: %v", err)
			}
		}
		ct := mime.TypeByExtension(path.Ext(name))
		switch {
		case slices.Contains(pages, name):
			ct = "text/html; charset=utf-8"
		case ct == "":
			ct = "application/octet-stream"
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(code)
		w.Write(b)
	})}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return "http://" + ln.Addr().String()
}

// TestStaticExport writes the static site, serves it as a bucket would, and
// checks that deep links render.
func TestStaticExport(t *testing.T) {
	dir, files := exportSite(t, "../web/data", false)
	for name, want := range map[string]string{
		"index.html":                 "tokio",
		"compare/tokio-vs-async-std": "13,967",
		"404.html":                   "<!DOCTYPE html>",
		"app.js":                     "goappLazyWebAssembly();",
		"app-worker.js":              "versus-shell-",
		"manifest.webmanifest":       `"maskable"`,
		"web/app.css":                ".compare",
	} {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Errorf("static site lacks %s: %v", name, err)
			continue
		}
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %q", name, want)
		}
	}
	page, _ := os.ReadFile(filepath.Join(dir, "compare", "tokio-vs-async-std"))
	if !strings.Contains(string(page), `<meta property="og:url" content="https://versus.example/compare/tokio-vs-async-std">`) {
		t.Errorf("og:url is not the canonical URL: %s", regexp.MustCompile(`<meta property="og:url"[^>]*>`).FindString(string(page)))
	}
	if !strings.Contains(string(page), `<meta http-equiv="Content-Security-Policy" content="`+metaPolicy()+`">`) {
		t.Errorf("the page carries no CSP of its own for a host without headers")
	}
	if _, err := os.Stat(filepath.Join(dir, "web", "app.wasm")); err != nil {
		t.Errorf("static site lacks web/app.wasm")
	}

	// The site never carries the snapshot: the sync owns data/.
	for _, f := range files {
		if strings.HasPrefix(f, "data/") || strings.HasPrefix(f, "web/data/") || strings.HasSuffix(f, "latest.json") {
			t.Errorf("the site export holds snapshot object %s", f)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); err == nil {
		t.Errorf("the site export has a data/ folder")
	}

	// pages.txt lists every page: each exported route, and every HTML file.
	var html []string
	for _, f := range files {
		b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		if strings.HasPrefix(string(b), "<!DOCTYPE html>") {
			html = append(html, f)
		}
	}
	slices.Sort(html)
	if diff := cmp.Diff(html, readPageList(t, dir)); diff != "" {
		t.Errorf("pages.txt mismatch (-HTML files +listed):\n%s", diff)
	}
	for _, route := range []string{"about", "p/tokio", "compare/tokio-vs-async-std"} {
		if !slices.Contains(readPageList(t, dir), route) {
			t.Errorf("pages.txt lacks %s", route)
		}
	}

	base := bucket(t, dir, "../web/data")
	for _, p := range []string{"/about", "/p/tokio", "/compare/tokio-vs-async-std"} {
		if resp, _ := get(t, base+p); !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("the bucket serves %s as %q", p, resp.Header.Get("Content-Type"))
		}
	}
	checkStaticCards(t, dir, base)
	ctx := newBrowser(t)
	for _, tc := range []struct{ path, sel, want string }{
		{"/compare/tokio-vs-async-std", "table.metrics", "13,967"},
		{"/compare/rayon-vs-smol", "table.metrics", "A small and fast async runtime for Rust"}, // not exported: the shell renders it
		{"/about", "article.about", "activity"},                                                // "main" is there while the data loads,
		{"/p/tokio", "h1", "A runtime for writing reliable asynchronous applications"},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+tc.path)); err != nil {
			t.Fatal(err)
		}
		waitWasm(t, ctx, tc.sel)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("static %s: page lacks %q", tc.path, tc.want)
		}
	}
}

// TestStaticDemoExport: the demo export carries one snapshot, the one the
// export started with, even when a sync publishes during the export.
func TestStaticDemoExport(t *testing.T) {
	data := copyDir(t, "../web/data")
	cfg := testConfig(testWeb(t), data)
	cfg.recheck = 0
	srv, err := newServer(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	publishCopy(t, data, "2021-11-26T12-00-00Z", "13967", "14100") // a sync publishes meanwhile
	dir := t.TempDir()
	files, err := exportStatic(srv, dir, true)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"data/latest.json": `"id":"2021-11-25T12-00-00Z"`,
		"data/snapshots/2021-11-25T12-00-00Z/index.json":                `"stars":13967`,
		"data/snapshots/2021-11-25T12-00-00Z/index.bin":                 "VSXI",
		"data/snapshots/2021-11-25T12-00-00Z/p/async-rs/async-std.json": "Why asynchronous Rust",
		"compare/tokio-vs-async-std":                                    "13,967",
	} {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("demo export: %s lacks %q (%v)", name, want, err)
		}
	}
	for _, f := range files {
		if strings.Contains(f, "2021-11-26") {
			t.Errorf("demo export holds %s, of the snapshot published during the export", f)
		}
	}
}

// TestUploadSite runs `make upload-site` with a gcloud that records its
// calls: every page of pages.txt is set to text/html, nothing under data/
// is touched, and a demo export is refused.
func TestUploadSite(t *testing.T) {
	dir, _ := exportSite(t, "../web/data", false)
	bin := t.TempDir()
	calls := filepath.Join(bin, "calls")
	fake := "#!/bin/sh\nprintf '%s\\n' \"$*\" >> " + calls + "\n"
	if err := os.WriteFile(filepath.Join(bin, "gcloud"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	upload := func(site string) ([]byte, error) {
		cmd := exec.Command("make", "-s", "-C", "..", "upload-site", "SITE="+site, "BUCKET=b", "GCLOUD="+filepath.Join(bin, "gcloud"))
		return cmd.CombinedOutput()
	}
	if out, err := upload(dir); err != nil {
		t.Fatalf("make upload-site: %v\n%s", err, out)
	}
	b, err := os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	var update string
	for _, line := range strings.Split(log, "\n") {
		if strings.HasPrefix(line, "storage objects update") {
			update += line + " "
		}
		if strings.Contains(line, "gs://b/data") {
			t.Errorf("the upload touches data/: %s", line)
		}
		if strings.HasPrefix(line, "storage rsync") && !strings.Contains(line, "^(data/|") {
			t.Errorf("rsync does not leave data/ alone: %s", line)
		}
	}
	if !strings.Contains(update, "--content-type=text/html") {
		t.Errorf("no page is set to text/html: %s", log)
	}
	for _, want := range []string{"gs://b/cards/*.png --content-type=image/png --cache-control=public, max-age=3600",
		"gs://b/cards/*.svg --content-type=image/svg+xml --cache-control=public, max-age=3600"} {
		if !strings.Contains(update, want) {
			t.Errorf("the upload does not set the cards' type: no %q in %s", want, log)
		}
	}
	for _, p := range readPageList(t, dir) {
		if !strings.Contains(update, " gs://b/"+p+" ") {
			t.Errorf("page %s is not set to text/html", p)
		}
	}

	demo, _ := exportSite(t, "../web/data", true)
	if out, err := upload(demo); err == nil {
		t.Errorf("make upload-site uploaded a demo export that holds data/:\n%s", out)
	}
}

// TestCDNHeadersMatchServer: the headers the CDN adds to the static site
// (sync/deploy/headers.txt) are the server's.
func TestCDNHeadersMatchServer(t *testing.T) {
	b, err := os.ReadFile("../sync/deploy/headers.txt")
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]string
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, ": ")
		if !ok {
			t.Fatalf("headers.txt: %q is not \"Name: value\"", line)
		}
		got = append(got, [2]string{name, value})
	}
	if diff := cmp.Diff(securityHeaders, got); diff != "" {
		t.Errorf("CDN headers mismatch (-server +sync/deploy/headers.txt):\n%s", diff)
	}
}

// checkStaticCards: the export holds a PNG and an SVG card for every card it
// should, none of them listed as a page, and every page names a card it
// holds, at the canonical origin.
func checkStaticCards(t *testing.T, dir, base string) {
	t.Helper()
	srv, err := newServer(context.Background(), testConfig(testWeb(t), "../web/data"))
	if err != nil {
		t.Fatal(err)
	}
	set, err := srv.src.Load()
	if err != nil {
		t.Fatal(err)
	}
	names := staticCards(set)
	if !slices.Contains(names, "tokio-vs-async-std") || !slices.Contains(names, "tokio") {
		t.Errorf("static cards %v lack tokio or tokio-vs-async-std", names)
	}
	for _, name := range names {
		png, err := os.ReadFile(filepath.Join(dir, "cards", name+".png"))
		if err != nil {
			t.Errorf("static site lacks its card: %v", err)
			continue
		}
		checkPNGCard(t, name+".png", png)
		svg, err := os.ReadFile(filepath.Join(dir, "cards", name+".svg"))
		if err != nil {
			t.Errorf("static site lacks its card: %v", err)
			continue
		}
		checkSVGCard(t, name+".svg", svg)
	}
	for _, ext := range []string{"png", "svg"} {
		resp, _ := get(t, base+"/cards/tokio-vs-async-std."+ext)
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != cardTypes[ext] {
			t.Errorf("the bucket serves the %s card as %s %q", ext, resp.Status, ct)
		}
	}
	for _, page := range readPageList(t, dir) {
		if strings.HasPrefix(page, "cards/") {
			t.Errorf("pages.txt lists card %s", page)
		}
		if !strings.HasPrefix(page, "compare/") && !strings.HasPrefix(page, "p/") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(page)))
		if err != nil {
			t.Fatal(err)
		}
		img := metaTags(string(b))["og:image"]
		name, ok := strings.CutPrefix(img, "https://versus.example/cards/")
		if !ok || !slices.Contains(names, strings.TrimSuffix(name, ".png")) {
			t.Errorf("static %s names card %q, which the export does not hold", page, img)
		}
	}
}
