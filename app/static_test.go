//go:build !(js && wasm)

package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestStaticExport writes the static site, serves it with a plain file
// server (as a bucket would), and checks that the compare page renders.
func TestStaticExport(t *testing.T) {
	web := testWeb(t)
	srv, err := newServer(context.Background(), web, "../web/data", 4, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	srv.baseURL = "https://versus.example"
	dir := t.TempDir()
	if _, err := exportStatic(srv, srv.set, web, dir); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"index.html":                 "tokio",
		"compare/tokio-vs-async-std": "13,967",
		"404.html":                   "<!DOCTYPE html>",
		"app.js":                     "goappLazyWebAssembly();",
		"app-worker.js":              "versus-shell-",
		"manifest.webmanifest":       `"maskable"`,
		"web/app.css":                ".compare",
		"data/latest.json":           `"schema_version":1`,
		"data/snapshots/2021-11-25T12-00-00Z/p/async-rs/async-std.json": "Why asynchronous Rust",
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
	if _, err := os.Stat(filepath.Join(dir, "web", "app.wasm")); err != nil {
		t.Errorf("static site lacks web/app.wasm")
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	files := http.FileServer(http.Dir(dir))
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(r.URL.Path))); err != nil {
			// As a bucket's website configuration does: the 404 page, here
			// the app shell.
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			http.ServeFile(w, r, filepath.Join(dir, "404.html"))
			return
		}
		files.ServeHTTP(w, r)
	})}
	go hs.Serve(ln)
	defer hs.Close()
	base := "http://" + ln.Addr().String()

	ctx := newBrowser(t)
	for _, tc := range []struct{ path, want string }{
		{"/compare/tokio-vs-async-std", "13,967"},
		{"/compare/rayon-vs-smol", "A small and fast async runtime for Rust"}, // not exported: the shell renders it
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+tc.path)); err != nil {
			t.Fatal(err)
		}
		waitWasm(t, ctx, "table.metrics")
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("static %s: page lacks %q", tc.path, tc.want)
		}
	}
}
