//go:build !(js && wasm)

package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/dataset"
	"versus/sync/store"
)

// Theme colours, shared by the manifest and the page's meta tags.
const (
	themeColor      = "#4f46e5"
	backgroundColor = "#ffffff"
)

// wasmLengthHeader carries the uncompressed size of app.wasm, so that the
// loading progress stays right when the wasm is sent compressed.
const wasmLengthHeader = "X-Wasm-Content-Length"

// workerTemplate is our service worker: go-app's default is cache-first for
// everything, which would freeze the snapshot.
//
//go:embed app-worker.js
var workerTemplate string

// lazyJS defers go-app's wasm start to the first interaction; patchAppJS
// puts it into go-app's app.js.
//
//go:embed lazy.js
var lazyJS string

// siteJS applies the chosen theme and shows the "data older than a day"
// warning by the visitor's clock before the wasm starts; patchAppJS puts it
// into go-app's app.js too.
//
//go:embed site.js
var siteJS string

// server serves the app, its static files and the snapshot.
type server struct {
	http.Handler
	snapshotID string
	set        *dataset.Set
	fetch      dataset.Fetch
	// baseURL is the site's canonical origin ("https://versus.example"), used
	// in og:url; empty means the request's own.
	baseURL string
}

// newServer checks the snapshot in dataDir and the wasm in webDir, and returns
// the site's handler. A missing or invalid snapshot is an error, said once at
// start rather than on every page.
//
// dataDir is a folder or gs://bucket/prefix; ctx bounds the reads from it.
func newServer(ctx context.Context, webDir, dataDir string, brotliLevel int, log *slog.Logger) (*server, error) {
	st, err := store.Open(ctx, dataDir)
	if err != nil {
		return nil, err
	}
	fetch := storeFetch(ctx, st)
	src := dataset.NewLoader(fetch, time.Second)
	set, err := src.Load()
	if err != nil {
		return nil, fmt.Errorf("snapshot in %s: %w", dataDir, err)
	}
	if err := set.Validate(); err != nil {
		return nil, fmt.Errorf("snapshot %s in %s is invalid:\n%w", set.ID, dataDir, err)
	}
	wasm, err := loadWasm(webDir, brotliLevel, log)
	if err != nil {
		return nil, err
	}
	routes(src)
	h := &app.Handler{
		Name:            "versus",
		ShortName:       "versus",
		Title:           "versus · compare open-source projects",
		Description:     "Compare open-source projects side by side: stars, growth, activity, last commit, mentions and alternatives.",
		Lang:            "en",
		ThemeColor:      themeColor,
		BackgroundColor: backgroundColor,
		Icon: app.Icon{
			Default:    "/web/icon-192.png",
			Large:      "/web/icon-512.png",
			SVG:        "/web/icon.svg",
			AppleTouch: "/web/icon-192.png",
		},
		Styles:                  []string{"/web/app.css"},
		CacheableResources:      []string{"/web/icon.svg", "/web/icon-maskable-512.png"},
		ServiceWorkerTemplate:   workerTemplate,
		LoadingLabel:            "Loading the app… {progress}%",
		Resources:               webResources{dir: webDir},
		Version:                 wasm.version,
		WasmContentLengthHeader: wasmLengthHeader,
	}
	mux := http.NewServeMux()
	mux.Handle("GET /data/", http.StripPrefix("/data", dataHandler(fetch)))
	mux.Handle("GET /web/app.wasm", wasm)
	mux.Handle("GET /manifest.webmanifest", manifest(h))
	mux.Handle("GET /manifest.json", manifest(h))
	srv := &server{snapshotID: set.ID, set: set, fetch: fetch}
	mux.Handle("/", pages(h, srv))
	srv.Handler = secure(compressText(mux))
	return srv, nil
}

// storeFetch reads snapshot objects from a store (a folder or a bucket).
func storeFetch(ctx context.Context, st store.Store) dataset.Fetch {
	return func(name string) ([]byte, error) {
		if !fs.ValidPath(name) {
			return nil, fmt.Errorf("bad object name %q: %w", name, fs.ErrNotExist)
		}
		b, _, err := st.Get(ctx, name)
		return b, err
	}
}

// dataHandler serves snapshot objects: the pointer is never cached, the
// snapshot objects, which never change, for a year.
func dataHandler(fetch dataset.Fetch) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if !strings.HasSuffix(name, ".json") || !(name == "latest.json" || strings.HasPrefix(name, "snapshots/")) {
			http.NotFound(w, r)
			return
		}
		b, err := fetch(name)
		if errors.Is(err, fs.ErrNotExist) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			http.Error(w, "cannot read "+name, http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		if name == "latest.json" {
			h.Set("Cache-Control", "no-cache")
		} else {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		writeMaybeGzip(w, r, b)
	})
}

// writeMaybeGzip sends b gzip-encoded when the client takes it and b is
// large enough to gain.
func writeMaybeGzip(w http.ResponseWriter, r *http.Request, b []byte) {
	w.Header().Add("Vary", "Accept-Encoding")
	if len(b) < 1024 || !acceptsEncoding(r, "gzip") {
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
		return
	}
	w.Header().Set("Content-Encoding", "gzip")
	gz := gzip.NewWriter(w)
	gz.Write(b)
	gz.Close()
}

func acceptsEncoding(r *http.Request, enc string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(name, enc) && !strings.Contains(strings.ReplaceAll(params, " ", ""), "q=0") {
			return true
		}
	}
	return false
}

// wasmFile is app.wasm with its precompressed forms, served by
// Accept-Encoding.
type wasmFile struct {
	raw, br, gz []byte
	version     string
}

// loadWasm reads webDir/app.wasm and its .br and .gz forms, writing those
// when they are missing or older than the wasm (brotli at its best level, 11,
// takes about 20 s, once per build).
func loadWasm(webDir string, brotliLevel int, log *slog.Logger) (*wasmFile, error) {
	p := filepath.Join(webDir, "app.wasm")
	raw, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s is missing: build it with `make build`", p)
	}
	if err != nil {
		return nil, err
	}
	w := &wasmFile{raw: raw}
	w.br, err = compressed(p, ".br", raw, log, func(dst io.Writer) io.WriteCloser { return brotli.NewWriterLevel(dst, brotliLevel) })
	if err != nil {
		return nil, err
	}
	w.gz, err = compressed(p, ".gz", raw, log, func(dst io.Writer) io.WriteCloser {
		gz, _ := gzip.NewWriterLevel(dst, gzip.BestCompression)
		return gz
	})
	if err != nil {
		return nil, err
	}
	w.version, err = shellVersion(webDir, raw)
	return w, err
}

// shellVersion hashes everything the service worker caches as the app shell:
// the wasm, the scripts embedded in the server (app.js carries lazy.js and
// site.js) and the files of webDir. Any change makes a new version, which
// clients see as an update; an unchanged build keeps its version.
func shellVersion(webDir string, wasm []byte) (string, error) {
	sum := sha256.New()
	for _, s := range []string{workerTemplate, lazyJS, siteJS} {
		sum.Write([]byte(s))
	}
	sum.Write(wasm)
	entries, err := os.ReadDir(webDir)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, "app.wasm") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(webDir, name))
		if err != nil {
			return "", err
		}
		sum.Write([]byte(name))
		sum.Write(b)
	}
	return hex.EncodeToString(sum.Sum(nil))[:16], nil
}

func compressed(p, ext string, raw []byte, log *slog.Logger, newWriter func(io.Writer) io.WriteCloser) ([]byte, error) {
	src, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(p + ext); err == nil && !st.ModTime().Before(src.ModTime()) {
		return os.ReadFile(p + ext)
	}
	log.Info("compressing app.wasm, once per build", "file", p+ext)
	var b bytes.Buffer
	w := newWriter(&b)
	if _, err := w.Write(raw); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	tmp := p + ext + ".tmp"
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		return nil, err
	}
	return b.Bytes(), os.Rename(tmp, p+ext)
}

func (wf *wasmFile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/wasm")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", `"`+wf.version+`"`)
	h.Set("Vary", "Accept-Encoding")
	h.Set(wasmLengthHeader, strconv.Itoa(len(wf.raw)))
	h.Set("Access-Control-Expose-Headers", wasmLengthHeader)
	if r.Header.Get("If-None-Match") == `"`+wf.version+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := wf.raw
	switch {
	case acceptsEncoding(r, "br"):
		h.Set("Content-Encoding", "br")
		body = wf.br
	case acceptsEncoding(r, "gzip"):
		h.Set("Content-Encoding", "gzip")
		body = wf.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// webResources serves /web/ from a folder and keeps every URL under /, which
// app.LocalDir does not when the folder is elsewhere.
type webResources struct{ dir string }

func (webResources) Package() string { return "" }
func (webResources) Static() string  { return "" }
func (webResources) AppWASM() string { return "/web/app.wasm" }

func (res webResources) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/web/")
	if strings.HasSuffix(r.URL.Path, "/") || strings.HasPrefix(name, "data/") || !fs.ValidPath(name) {
		http.NotFound(w, r)
		return
	}
	http.ServeFile(w, r, filepath.Join(res.dir, filepath.FromSlash(name)))
}

// goappFiles are the files app.Handler generates; everything else it answers
// is a page.
var goappFiles = map[string]bool{
	"/app.js": true, "/wasm_exec.js": true, "/app-worker.js": true, "/app.css": true,
	"/manifest.webmanifest": true, "/manifest.json": true, "/goapp.js": true,
}

// pages fixes what app.Handler gets wrong for pages: it answers 304 to any
// request carrying its version as ETag, which would show an old prerendered
// snapshot, and its viewport tag forbids zooming.
func pages(h *app.Handler, srv *server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/app.js" {
			rec := &recorder{header: http.Header{}}
			h.ServeHTTP(rec, r)
			body, err := patchAppJS(rec.body.Bytes())
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/javascript")
			w.Header().Set("Cache-Control", "no-cache")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.Write(body)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/web/") || goappFiles[r.URL.Path] {
			h.ServeHTTP(w, r)
			return
		}
		r.Header.Del("If-None-Match")
		rec := &recorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		body := bytes.Replace(rec.body.Bytes(), []byte("maximum-scale=1, user-scalable=0, "), nil, 1)
		body = canonicalOGURL(body, r, srv.baseURL)
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.Header().Del("ETag")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		if rec.code == 0 {
			rec.code = http.StatusOK
		}
		w.WriteHeader(rec.code)
		w.Write(body)
	})
}

// canonicalOGURL fixes og:url, which go-app always writes as http://host:
// the canonical origin when one is set, else the scheme the request came by.
// go-app prints attributes in map order, so the tag is matched either way.
func canonicalOGURL(html []byte, r *http.Request, baseURL string) []byte {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	origin := scheme + "://" + r.Host
	if baseURL != "" {
		origin = strings.TrimSuffix(baseURL, "/")
	}
	loc := ogURLTag.FindSubmatchIndex(html)
	if loc == nil {
		return html
	}
	start, end := loc[2], loc[3]
	if start < 0 {
		start, end = loc[4], loc[5]
	}
	content := html[start:end]
	rest, ok := bytes.CutPrefix(content, []byte("http://"+r.Host))
	if !ok {
		return html
	}
	tag := `<meta property="og:url" content="` + origin + string(rest) + `">`
	return append(append(append([]byte{}, html[:loc[0]]...), tag...), html[loc[1]:]...)
}

// ogURLTag matches go-app's og:url meta tag, attributes in either order.
var ogURLTag = regexp.MustCompile(`<meta (?:property="og:url" content="([^"]*)"|content="([^"]*)" property="og:url")>`)

// patchAppJS makes go-app's app.js start the wasm lazily.
func patchAppJS(js []byte) ([]byte, error) {
	call := []byte("\ngoappInitWebAssembly();\n")
	if bytes.Count(js, call) != 1 {
		return nil, errors.New("app.js: cannot find go-app's wasm start call to defer")
	}
	js = bytes.Replace(js, call, []byte("\ngoappLazyWebAssembly();\n"), 1)
	js = append(js, lazyJS...)
	return append(js, siteJS...), nil
}

// recorder buffers a response.
type recorder struct {
	header http.Header
	body   bytes.Buffer
	code   int
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}

// compressText gzips text responses (pages, scripts, styles, SVG, the
// manifest) for clients that take it. The wasm and the snapshot objects set
// their own encoding and pass through untouched.
func compressText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !acceptsEncoding(r, "gzip") || r.URL.Path == "/web/app.wasm" || strings.HasPrefix(r.URL.Path, "/data/") {
			next.ServeHTTP(w, r)
			return
		}
		rec := &recorder{header: w.Header()}
		next.ServeHTTP(rec, r)
		if rec.code == 0 {
			rec.code = http.StatusOK
		}
		h := w.Header()
		h.Add("Vary", "Accept-Encoding")
		if rec.body.Len() < 1024 || h.Get("Content-Encoding") != "" || !isText(h.Get("Content-Type")) {
			w.WriteHeader(rec.code)
			w.Write(rec.body.Bytes())
			return
		}
		var b bytes.Buffer
		gz := gzip.NewWriter(&b)
		gz.Write(rec.body.Bytes())
		gz.Close()
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.Itoa(b.Len()))
		w.WriteHeader(rec.code)
		w.Write(b.Bytes())
	})
}

func isText(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	switch mt = strings.TrimSpace(mt); {
	case strings.HasPrefix(mt, "text/"):
		return true
	}
	return mt == "application/javascript" || mt == "application/json" || mt == "application/manifest+json" || mt == "image/svg+xml"
}

// contentSecurityPolicy allows our own files and the wasm, and nothing inline.
const contentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
	"img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secure adds the security headers to every response.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// manifest is the web app manifest. go-app's has no maskable icon and no id.
func manifest(h *app.Handler) http.Handler {
	type icon struct {
		Src     string `json:"src"`
		Sizes   string `json:"sizes"`
		Type    string `json:"type"`
		Purpose string `json:"purpose,omitempty"`
	}
	b, _ := json.MarshalIndent(map[string]any{
		"id":               "/",
		"name":             h.Name,
		"short_name":       h.ShortName,
		"description":      h.Description,
		"start_url":        "/",
		"scope":            "/",
		"display":          "standalone",
		"theme_color":      h.ThemeColor,
		"background_color": h.BackgroundColor,
		"categories":       []string{"developer", "productivity"},
		"icons": []icon{
			{Src: "/web/icon-192.png", Sizes: "192x192", Type: "image/png"},
			{Src: "/web/icon-512.png", Sizes: "512x512", Type: "image/png"},
			{Src: "/web/icon-maskable-512.png", Sizes: "512x512", Type: "image/png", Purpose: "maskable"},
			{Src: "/web/icon.svg", Sizes: "any", Type: "image/svg+xml"},
		},
	}, "", "  ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/manifest+json")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(b)
	})
}
