//go:build !(js && wasm)

package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// A transport that does not ask for gzip, so bodies come as sent.
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestPrerenderedComparePage(t *testing.T) {
	base := startServer(t, testWeb(t), "../web/data")
	resp, body := get(t, base+"/compare/tokio-vs-async-std")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /compare/tokio-vs-async-std: status %d", resp.StatusCode)
	}
	for _, want := range []string{
		"tokio", "async-std", "(by tokio-rs)", "(by async-rs)",
		"13,967", "3,056", "3.8%", "1.6%", "9.6", "5.5", "6 days ago", "19 days ago",
		"MIT License", "Why asynchronous Rust doesn&#39;t work", "3 projects", "13 Nov 2021",
		"What are some alternatives?", `href="/compare/tokio-vs-async-std-vs-rayon"`,
		"Sample data", "<title>tokio vs async-std · versus</title>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("prerendered compare page lacks %q", want)
		}
	}
	if strings.Contains(body, "user-scalable=0") {
		t.Errorf("viewport still forbids zooming")
	}
	for h, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "strict-origin-when-cross-origin",
	} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("header %s = %q, want %q", h, got, want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "'wasm-unsafe-eval'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
	if resp.Header.Get("ETag") != "" {
		t.Errorf("pages carry an ETag; a new snapshot could come back as 304")
	}
}

func TestAppJSStartsWasmLazily(t *testing.T) {
	base := startServer(t, testWeb(t), "../web/data")
	_, body := get(t, base+"/app.js")
	if !strings.Contains(body, "\ngoappLazyWebAssembly();\n") || strings.Contains(body, "\ngoappInitWebAssembly();\n") {
		t.Errorf("app.js starts the wasm eagerly")
	}
	// The loading progress counts against the uncompressed size, which the
	// wasm response carries in this header.
	if !strings.Contains(body, `const goappWasmContentLengthHeader = "`+wasmLengthHeader+`"`) {
		t.Errorf("app.js does not read the wasm's uncompressed size from %s", wasmLengthHeader)
	}
	if _, err := patchAppJS([]byte("no call here")); err == nil {
		t.Errorf("patchAppJS accepted an app.js it cannot patch")
	}
}

func TestUnknownSlugSuggestsClosest(t *testing.T) {
	base := startServer(t, testWeb(t), "../web/data")
	_, body := get(t, base+"/compare/tokoi-vs-async-std")
	for _, want := range []string{"No project named “tokoi”", `href="/compare/tokio-vs-async-std"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page for an unknown slug lacks %q", want)
		}
	}
	_, body = get(t, base+"/compare/tokio")
	if !strings.Contains(body, "Pick 2 to 6 projects") {
		t.Errorf("page for one slug does not explain the 2 to 6 rule")
	}
}

func TestWasmPrecompressed(t *testing.T) {
	web := testWeb(t)
	base := startServer(t, web, "../web/data")
	raw, err := os.ReadFile(filepath.Join(web, "app.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ accept, encoding, file string }{
		{"gzip, deflate, br", "br", "app.wasm.br"},
		{"gzip", "gzip", "app.wasm.gz"},
		{"", "", "app.wasm"},
	} {
		resp, body := get(t, base+"/web/app.wasm", "Accept-Encoding", tc.accept)
		want, err := os.ReadFile(filepath.Join(web, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if got := resp.Header.Get("Content-Encoding"); got != tc.encoding {
			t.Errorf("Accept-Encoding %q: Content-Encoding = %q, want %q", tc.accept, got, tc.encoding)
		}
		if body != string(want) {
			t.Errorf("Accept-Encoding %q: body is not %s", tc.accept, tc.file)
		}
		if got, want := resp.Header.Get(wasmLengthHeader), len(raw); got != itoa(want) {
			t.Errorf("%s = %s, want %d", wasmLengthHeader, got, want)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestDataHandler(t *testing.T) {
	base := startServer(t, testWeb(t), "../web/data")
	resp, body := get(t, base+"/data/latest.json")
	if resp.StatusCode != 200 || !strings.Contains(body, `"schema_version":1`) {
		t.Fatalf("GET /data/latest.json: %d %q", resp.StatusCode, body)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-cache" {
		t.Errorf("latest.json Cache-Control = %q, want no-cache", got)
	}
	for _, path := range []string{"/data/../go.mod", "/data/snapshots/x/../../../go.mod", "/data/nope.json", "/web/data/latest.json", "/web/"} {
		resp, body := get(t, base+path)
		if resp.StatusCode == 200 || strings.Contains(body, "module versus") || strings.Contains(body, "schema_version") {
			t.Errorf("GET %s: status %d, serves a file it must not", path, resp.StatusCode)
		}
	}
}

func TestServerRefusesBadSnapshot(t *testing.T) {
	good, err := os.ReadFile("../web/data/latest.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"missing", map[string]string{}, "no snapshot: latest.json is missing"},
		{"garbage pointer", map[string]string{"latest.json": "{not json"}, "corrupt snapshot pointer"},
		{"missing index", map[string]string{"latest.json": string(good)}, "read snapshot 2021-11-25T12-00-00Z"},
		{"truncated index", map[string]string{
			"latest.json": string(good),
			"snapshots/2021-11-25T12-00-00Z/index.json": `{"schema_version":1,"id":"2021-11-25T12-00-00Z","projects":[{"repo":"a/b"`,
		}, "corrupt snapshot 2021-11-25T12-00-00Z"},
		{"invalid project", map[string]string{
			"latest.json": string(good),
			"snapshots/2021-11-25T12-00-00Z/index.json": `{"schema_version":1,"id":"2021-11-25T12-00-00Z","generated_at":"2021-11-25T12:00:00Z","categories":[],` +
				`"projects":[{"repo":"a/b","slug":"b","name":"b","owner":"a","stars":-3}]}`,
		}, `project "a/b": stars is -3`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tc.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := newServer(context.Background(), testConfig(t.TempDir(), dir))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("newServer error = %v, want it to say %q", err, tc.want)
			}
		})
	}
}

func TestTextIsCompressed(t *testing.T) {
	base := startServer(t, testWeb(t), "../web/data")
	for _, path := range []string{"/compare/tokio-vs-async-std", "/app.js", "/wasm_exec.js", "/web/app.css"} {
		resp, body := get(t, base+path, "Accept-Encoding", "gzip")
		if got := resp.Header.Get("Content-Encoding"); got != "gzip" {
			t.Errorf("GET %s: Content-Encoding = %q, want gzip", path, got)
			continue
		}
		zr, err := gzip.NewReader(strings.NewReader(body))
		if err != nil {
			t.Errorf("GET %s: %v", path, err)
			continue
		}
		plain, err := io.ReadAll(zr)
		if err != nil || len(plain) < 1024 {
			t.Errorf("GET %s: gzip body of %d bytes, %v", path, len(plain), err)
		}
	}
	if resp, _ := get(t, base+"/compare/tokio-vs-async-std"); resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("a client without gzip got Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
}

func TestHomeSearchLandmark(t *testing.T) {
	base := startServer(t, testWeb(t), "../web/data")
	_, body := get(t, base+"/")
	if !strings.Contains(body, `role="search"`) || strings.Contains(body, "aria-role") {
		t.Errorf("the home page's search form is not a search landmark (role=\"search\")")
	}
}

func TestShellVersion(t *testing.T) {
	web := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(web, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("app.css", "a{}")
	write("icon-192.png", "png")
	v1, err := shellVersion(web, []byte("wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := shellVersion(web, []byte("wasm")); again != v1 {
		t.Errorf("the same build has two versions: %s, %s", v1, again)
	}
	write("app.wasm.br", "compressed again")
	if v, _ := shellVersion(web, []byte("wasm")); v != v1 {
		t.Errorf("recompressing the wasm changed the version")
	}
	if v, _ := shellVersion(web, []byte("wasm2")); v == v1 {
		t.Errorf("a new wasm kept the version")
	}
	write("icon-192.png", "new png")
	if v, _ := shellVersion(web, []byte("wasm")); v == v1 {
		t.Errorf("a new icon kept the version")
	}
}

func TestCanonicalOGURL(t *testing.T) {
	r, err := http.NewRequest("GET", "http://versus.test/compare/a-vs-b", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := `<head><meta property="og:url" content="https://versus.example/compare/a-vs-b?chart=stars"></head>`
	// go-app prints attributes in map order: both orders occur.
	for _, in := range []string{
		`<head><meta property="og:url" content="http://versus.test/compare/a-vs-b?chart=stars"></head>`,
		`<head><meta content="http://versus.test/compare/a-vs-b?chart=stars" property="og:url"></head>`,
	} {
		if got := string(canonicalOGURL([]byte(in), r, "https://versus.example/")); got != want {
			t.Errorf("canonicalOGURL(%s) = %s, want %s", in, got, want)
		}
	}
	r.Header.Set("X-Forwarded-Proto", "https")
	in := `<meta content="http://versus.test/p/x" property="og:url">`
	if got, want := string(canonicalOGURL([]byte(in), r, "")), `<meta property="og:url" content="https://versus.test/p/x">`; got != want {
		t.Errorf("behind https: %s, want %s", got, want)
	}
	if got := string(canonicalOGURL([]byte("<p>no tag</p>"), r, "")); got != "<p>no tag</p>" {
		t.Errorf("a page without og:url changed: %s", got)
	}
}

func TestEncodingQ(t *testing.T) {
	for _, tc := range []struct {
		header, enc string
		want        float64
		pick        string
	}{
		{"gzip", "gzip", 1, "gzip"},
		{"gzip;q=0.5", "gzip", 0.5, "gzip"},
		{"gzip; q=0.5, br;q=0.8", "br", 0.8, "br"},
		{"br;q=0.2, gzip;q=0.9", "gzip", 0.9, "gzip"},
		{"gzip;q=0", "gzip", 0, ""},
		{"gzip;q=0.0, br", "gzip", 0, "br"},
		{"GZIP;Q=0.3", "gzip", 0.3, "gzip"},
		{"*", "gzip", 1, "br"},
		{"*;q=0.1, gzip;q=0", "gzip", 0, "br"},
		{"*;q=0", "br", 0, ""},
		{"deflate, identity", "gzip", 0, ""},
		{"", "gzip", 0, ""},
		{"gzip;q=abc", "gzip", 0, ""},
		{"gzip;q=2", "gzip", 0, ""},
		{"x-gzip", "gzip", 0, ""},
		{"gzip, deflate, br", "br", 1, "br"},
	} {
		if got := encodingQ(tc.header, tc.enc); got != tc.want {
			t.Errorf("encodingQ(%q, %q) = %v, want %v", tc.header, tc.enc, got, tc.want)
		}
		if got := pickEncoding(tc.header); got != tc.pick {
			t.Errorf("pickEncoding(%q) = %q, want %q", tc.header, got, tc.pick)
		}
	}
}

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// publishBad publishes, in the data folder dir, a snapshot whose index is
// invalid: its first project has the slug "BAD SLUG" and a repo holding
// markup.
func publishBad(t testing.TB, dir, id string) {
	t.Helper()
	spoiled := false
	publishEdited(t, dir, id, func(s string) string {
		if !strings.Contains(s, `"categories":`) { // details, not the index
			return s
		}
		out := strings.Replace(s, `"repo":"tokio-rs/tokio","slug":"tokio"`, `"repo":"evil\"><script>alert(1)</script>","slug":"BAD SLUG"`, 1)
		spoiled = out != s
		return out
	})
	if !spoiled {
		t.Fatal("publishBad: the index has no tokio-rs/tokio to spoil")
	}
}

// TestServerRefusesInvalidSnapshotAfterStart: a running server that finds a
// new, invalid snapshot says so in its log (project and field) and keeps
// serving the previous one.
func TestServerRefusesInvalidSnapshotAfterStart(t *testing.T) {
	data := copyDir(t, "../web/data")
	logs := &syncBuffer{}
	cfg := testConfig(testWeb(t), data)
	cfg.log = slog.New(slog.NewTextHandler(logs, nil))
	cfg.recheck = time.Hour // only the Refresh below looks at the pointer
	srv, base, _ := serveConfig(t, cfg, "127.0.0.1:0")

	publishBad(t, data, "2021-11-26T12-00-00Z")
	if err := srv.src.Refresh(context.Background()); err == nil {
		t.Errorf("Refresh took the invalid snapshot")
	}
	for _, want := range []string{"snapshot not updated", "2021-11-26T12-00-00Z", `slug \"BAD SLUG\"`, `project \"evil`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, logs.String())
		}
	}
	for _, p := range []string{"/", "/compare/tokio-vs-async-std", "/data/latest.json"} {
		_, body := get(t, base+p)
		if strings.Contains(body, "BAD SLUG") || strings.Contains(body, "<script>alert") || strings.Contains(body, "2021-11-26") {
			t.Errorf("GET %s serves the refused snapshot", p)
		}
	}
	if _, body := get(t, base+"/"); !strings.Contains(body, "tokio") || !strings.Contains(body, "13,967") {
		t.Errorf("GET / does not serve the previous snapshot")
	}
}

// TestServerTimeouts: an idle keep-alive connection is closed, and so are
// requests whose header never ends (configured short here, as main does
// with its defaults).
func TestServerTimeouts(t *testing.T) {
	cfg := testConfig(testWeb(t), "../web/data")
	cfg.timeouts = timeouts{readHeader: 200 * time.Millisecond, read: time.Second, write: 10 * time.Second, idle: 300 * time.Millisecond}
	_, base, _ := serveConfig(t, cfg, "127.0.0.1:0")
	addr := strings.TrimPrefix(base, "http://")

	// closed reads c until the server closes it; a read that runs into our
	// own (generous) deadline means it never did.
	closed := func(c net.Conn) error {
		c.SetReadDeadline(time.Now().Add(30 * time.Second))
		_, err := io.ReadAll(c)
		return err
	}

	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "GET /data/latest.json HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Close {
		t.Fatalf("keep-alive request: status %d, close %v", resp.StatusCode, resp.Close)
	}
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.ReadAll(br); err != nil {
		t.Errorf("idle keep-alive connection not closed: %v", err)
	}

	var half []net.Conn
	for range 50 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "); err != nil {
			t.Fatal(err)
		}
		half = append(half, c)
	}
	for i, c := range half {
		if err := closed(c); err != nil {
			t.Errorf("half-sent request %d not dropped: %v", i, err)
		}
	}
}

func TestObjectCache(t *testing.T) {
	c := newObjectCache(3000)
	reads := map[string]int{}
	var mu sync.Mutex
	read := func(name string, err error) func(context.Context) ([]byte, error) {
		return func(context.Context) ([]byte, error) {
			mu.Lock()
			reads[name]++
			mu.Unlock()
			return bytes.Repeat([]byte(name), 1000/len(name)), err
		}
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if o, err := c.get(ctx, "aa", read("aa", nil)); err != nil || len(o.raw) != 1000 {
				t.Errorf("get(aa) = %v, %v", o, err)
			}
		})
	}
	wg.Wait()
	if reads["aa"] != 1 {
		t.Errorf("20 gets of one object read it %d times, want 1", reads["aa"])
	}
	if _, err := c.get(ctx, "bb", read("bb", fs.ErrNotExist)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("failed read: %v", err)
	}
	c.get(ctx, "bb", read("bb", nil))
	if reads["bb"] != 2 {
		t.Errorf("a failed read was kept (%d reads)", reads["bb"])
	}
	for _, n := range []string{"cc", "dd", "ee"} {
		c.get(ctx, n, read(n, nil))
	}
	c.get(ctx, "aa", read("aa", nil))
	if reads["aa"] != 2 || c.size > 3000 {
		t.Errorf("over budget: %d bytes kept, the oldest read %d times", c.size, reads["aa"])
	}
}

// TestDataObjectsCached: a snapshot object is read from the store once,
// then served from memory, gzip-encoded for clients that take it.
func TestDataObjectsCached(t *testing.T) {
	data := copyDir(t, "../web/data")
	base := startServer(t, testWeb(t), data)
	const index = "/data/snapshots/2021-11-25T12-00-00Z/index.json"
	_, first := get(t, base+index)
	if err := os.Remove(filepath.Join(data, filepath.FromSlash(strings.TrimPrefix(index, "/data/")))); err != nil {
		t.Fatal(err)
	}
	resp, again := get(t, base+index)
	if resp.StatusCode != 200 || again != first {
		t.Errorf("GET %s after the file went: %d, want the kept copy", index, resp.StatusCode)
	}
	resp, body := get(t, base+index, "Accept-Encoding", "gzip;q=0.5")
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Accept-Encoding gzip;q=0.5: Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if plain, _ := io.ReadAll(zr); string(plain) != first {
		t.Errorf("gzip body differs from the plain one")
	}
}

// TestWebResourcesKeepTheSyncsFiles holds web/data and web/state (where
// `make sync` keeps the ETag cache and star history) out of /web/.
func TestWebResourcesKeepTheSyncsFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"icon.svg", "data/latest.json", "state/cache/etags.json"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for path, want := range map[string]int{
		"/web/icon.svg": 200, "/web/data/latest.json": 404, "/web/state/cache/etags.json": 404, "/web/./state/cache/etags.json": 404,
	} {
		rec := httptest.NewRecorder()
		webResources{dir: dir}.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != want {
			t.Errorf("GET %s = %d, want %d", path, rec.Code, want)
		}
	}
}
