//go:build !(js && wasm)

package main

import (
	"bytes"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/safe"
)

// appHandler is go-app's handler for the pages and its own files, with our
// icons, service worker and styles, at the given shell version.
func appHandler(webDir, version string) *app.Handler {
	return &app.Handler{
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
		Version:                 version,
		WasmContentLengthHeader: wasmLengthHeader,
	}
}

// webResources serves /web/ from a folder and keeps every URL under /, which
// app.LocalDir does not when the folder is elsewhere.
type webResources struct{ dir string }

func (webResources) Package() string { return "" }
func (webResources) Static() string  { return "" }
func (webResources) AppWASM() string { return "/web/app.wasm" }

func (res webResources) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/web/")
	// data/ and state/ are the sync's (the snapshot is served under /data/;
	// the state, with its API answers, never).
	if strings.HasSuffix(r.URL.Path, "/") || strings.HasPrefix(name, "data/") || strings.HasPrefix(name, "state/") || !fs.ValidPath(name) {
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

// pages fixes what app.Handler gets wrong: it answers 304 to any page
// request carrying its version as ETag, which would show an old prerendered
// snapshot; its viewport tag forbids zooming; its og:url holds the address it
// was asked on; its app.js starts the wasm at once.
func pages(h *app.Handler, baseURL string, card func(path string) (pageCard, bool)) http.Handler {
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
		body = canonicalOGURL(body, r, baseURL)
		c, ok := card(r.URL.Path)
		body = cardMeta(body, origin(r, baseURL), c, ok)
		body = metaCSP(body)
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
	tag := `<meta property="og:url" content="` + origin(r, baseURL) + string(rest) + `">`
	return append(append(append([]byte{}, html[:loc[0]]...), tag...), html[loc[1]:]...)
}

// origin is the site's canonical origin when one is set, else the one the
// request came by.
func origin(r *http.Request, baseURL string) string {
	if baseURL != "" {
		return strings.TrimSuffix(baseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// cardMeta names the page's card in its link preview: og:image (absolute),
// its size and words, and a large Twitter card in place of go-app's. A page
// without a card loses go-app's empty og:image rather than claim one.
func cardMeta(html []byte, origin string, c pageCard, ok bool) []byte {
	html = twitterCardTag.ReplaceAll(html, nil)
	var tags string
	if ok {
		src := template.HTMLEscapeString(origin + cardsPrefix + c.name + ".png")
		alt := template.HTMLEscapeString(safe.Attr(c.alt, 420))
		tags = `<meta property="og:image" content="` + src + `">` +
			`<meta property="og:image:type" content="image/png">` +
			`<meta property="og:image:width" content="` + strconv.Itoa(cardW) + `">` +
			`<meta property="og:image:height" content="` + strconv.Itoa(cardH) + `">` +
			`<meta property="og:image:alt" content="` + alt + `">` +
			`<meta name="twitter:card" content="summary_large_image">` +
			`<meta name="twitter:image" content="` + src + `">` +
			`<meta name="twitter:image:alt" content="` + alt + `">`
	}
	loc := ogImageTag.FindIndex(html)
	if loc == nil {
		return html
	}
	return append(append(append([]byte{}, html[:loc[0]]...), tags...), html[loc[1]:]...)
}

// The size of every card a page names: export.Social.
const cardW, cardH = 1200, 630

// ogImageTag matches go-app's og:image tag (empty, written as a bare
// content attribute: the handler sets no image), and twitterCardTag its twitter:card tag, attributes in either order.
var (
	ogImageTag     = regexp.MustCompile(`<meta (?:property="og:image" content(?:="[^"]*")?|content(?:="[^"]*")? property="og:image")>`)
	twitterCardTag = regexp.MustCompile(`<meta (?:name="twitter:card" content="[^"]*"|content="[^"]*" name="twitter:card")>`)
)

// ogURLTag matches go-app's og:url meta tag, attributes in either order.
var ogURLTag = regexp.MustCompile(`<meta (?:property="og:url" content="([^"]*)"|content="([^"]*)" property="og:url")>`)

// metaCSP puts the Content-Security-Policy into the page's head, for hosts
// that send no headers (a bare bucket). A meta policy cannot say
// frame-ancestors: that one needs the header.
func metaCSP(html []byte) []byte {
	head := []byte("<head>")
	i := bytes.Index(html, head)
	if i < 0 {
		return html
	}
	i += len(head)
	tag := `<meta http-equiv="Content-Security-Policy" content="` + metaPolicy() + `">`
	return append(append(append([]byte{}, html[:i]...), tag...), html[i:]...)
}

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
