//go:build !(js && wasm)

package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"versus/sync/snapshot"
	"versus/sync/snapshot/indexbin"
)

// waitController waits until the service worker controls the page.
func waitController(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`navigator.serviceWorker.controller !== null`,
		chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("waiting for the service worker: %v", err)
	}
}

func navigate(t *testing.T, ctx context.Context, u string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("navigate %s: %v", u, err)
	}
}

func text(t *testing.T, ctx context.Context, js string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestInstallable(t *testing.T) {
	base := startServer(t, testWeb(t), "../web/data")
	ctx := newBrowser(t)
	navigate(t, ctx, base+"/")
	waitController(t, ctx)
	res, err := chromedp.Call(ctx, page.GetInstallabilityErrors, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.InstallabilityErrors {
		var args []string
		for _, a := range e.ErrorArguments {
			args = append(args, a.Name+"="+a.Value)
		}
		t.Errorf("installability error %s %v", e.ErrorID, args)
	}
	_, body := get(t, base+"/manifest.webmanifest")
	for _, want := range []string{`"display": "standalone"`, `"purpose": "maskable"`, `"/web/icon-512.png"`, `"short_name": "versus"`} {
		if !strings.Contains(body, want) {
			t.Errorf("manifest lacks %s", want)
		}
	}
}

func TestOfflineAfterOneVisit(t *testing.T) {
	base, stop := serveAt(t, testWeb(t), "../web/data", "127.0.0.1:0")
	ctx := newBrowser(t)
	navigate(t, ctx, base+"/")
	waitController(t, ctx)
	navigate(t, ctx, base+"/compare/tokio-vs-async-std")
	waitWasm(t, ctx, "table.metrics")
	navigate(t, ctx, base+"/p/tokio")
	waitWasm(t, ctx, "h1")

	stop()
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, sel, want string }{
		{"/", "main", "tokio"},
		{"/compare/tokio-vs-async-std", "table.metrics", "13,967"},
		{"/p/tokio", "h1", "A runtime for writing reliable asynchronous applications"},
		{"/compare/rayon-vs-smol", "table.metrics", "Rayon: A data parallelism library for Rust"}, // never visited
	} {
		navigate(t, ctx, base+tc.path)
		waitWasm(t, ctx, tc.sel)
		js := `document.querySelector('.site[data-runtime="wasm"] main').innerText.includes(` + strconv.Quote(tc.want) + `)`
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
			t.Errorf("offline %s: page lacks %q: %v", tc.path, tc.want, err)
		}
		if got, want := text(t, ctx, `(document.querySelector(".badge.offline") || {}).textContent || ""`), "offline · data as of 25 Nov 2021"; got != want {
			t.Errorf("offline %s: badge = %q, want %q", tc.path, got, want)
		}
	}
}

func TestNewSnapshotPickedUp(t *testing.T) {
	data := copyDir(t, "../web/data")
	srv, base, _ := serveConfig(t, testConfig(testWeb(t), data), "127.0.0.1:0")
	ctx := newBrowser(t)
	navigate(t, ctx, base+"/compare/tokio-vs-async-std")
	waitController(t, ctx)
	waitWasm(t, ctx, "table.metrics")

	publishCopy(t, data, "2021-11-26T12-00-00Z", "13967", "14100")
	// The server looks at the pointer again in the background; here at once.
	if err := srv.src.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}

	// The next load shows the new snapshot.
	navigate(t, ctx, base+"/compare/tokio-vs-async-std")
	waitWasm(t, ctx, "table.metrics")
	js := `document.querySelector('.site[data-runtime="wasm"] tr[data-row="stars"] td')?.firstChild.textContent === "14,100"`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("new snapshot not shown: %v; stars = %q", err, text(t, ctx, `document.querySelector('tr[data-row="stars"] td').textContent`))
	}
	if got := text(t, ctx, `document.querySelector("footer time").textContent`); got != "26 Nov 2021" {
		t.Errorf("data date = %q, want 26 Nov 2021", got)
	}
}

// publishCopy publishes a copy of the sample snapshot in dir under a new id,
// with one figure replaced, and moves the pointer to it.
func publishCopy(t testing.TB, dir, id, oldStars, newStars string) {
	t.Helper()
	publishEdited(t, dir, id, func(s string) string { return strings.Replace(s, `"stars":`+oldStars, `"stars":`+newStars, 1) })
}

// publishEdited publishes a copy of the sample snapshot in dir under a new
// id, each JSON object changed by edit and the binary index made from the
// new index.json, and then moves the pointer to it.
func publishEdited(t testing.TB, dir, id string, edit func(string) string) {
	t.Helper()
	const oldID, oldDate = "2021-11-25T12-00-00Z", "2021-11-25T12:00:00Z"
	date := id[:10] + "T" + strings.ReplaceAll(id[11:19], "-", ":") + "Z"
	err := filepath.WalkDir(filepath.Join(dir, "snapshots", oldID), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".json" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		s := strings.ReplaceAll(string(b), oldID, id)
		s = strings.ReplaceAll(s, oldDate, date)
		s = edit(s)
		np := strings.Replace(p, oldID, id, 1)
		if err := os.MkdirAll(filepath.Dir(np), 0o755); err != nil {
			return err
		}
		return os.WriteFile(np, []byte(s), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(snapshot.IndexName(id))))
	if err != nil {
		t.Fatal(err)
	}
	x, err := snapshot.DecodeIndex(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(snapshot.IndexBinName(id))), indexbin.Encode(x), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err = os.ReadFile(filepath.Join(dir, "latest.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := regexp.MustCompile(`[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}Z`).ReplaceAllString(string(b), id)
	s = regexp.MustCompile(`"generated_at":"[^"]*"`).ReplaceAllString(s, `"generated_at":"`+date+`"`)
	if err := os.WriteFile(filepath.Join(dir, "latest.json.tmp"), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "latest.json.tmp"), filepath.Join(dir, "latest.json")); err != nil {
		t.Fatal(err)
	}
}

// serveLikeBucket serves the app as a bucket would: every file but the
// snapshot with Cache-Control max-age=3600, its default for public objects.
func serveLikeBucket(t *testing.T, web, addr string) (string, func()) {
	t.Helper()
	srv, err := newServer(context.Background(), testConfig(web, "../web/data"))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/data/") || r.URL.Path == "/app-worker.js" {
			srv.ServeHTTP(w, r)
			return
		}
		srv.ServeHTTP(maxAge{w}, r)
	})}
	go hs.Serve(ln)
	stop := func() { hs.Close() }
	t.Cleanup(stop)
	return "http://" + ln.Addr().String(), stop
}

// maxAge replaces the Cache-Control of a response with an hour's max-age.
type maxAge struct{ http.ResponseWriter }

func (m maxAge) WriteHeader(code int) {
	m.Header().Set("Cache-Control", "public, max-age=3600")
	m.Header().Del("ETag")
	m.ResponseWriter.WriteHeader(code)
}

func (m maxAge) Write(b []byte) (int, error) {
	if m.Header().Get("Cache-Control") != "public, max-age=3600" {
		m.WriteHeader(http.StatusOK)
	}
	return m.ResponseWriter.Write(b)
}

// TestUpdatePrompt: a new build is offered as an update, and its shell is
// fetched past the HTTP cache, which still holds the old files.
func TestUpdatePrompt(t *testing.T) {
	web := testWeb(t)
	base, stop := serveLikeBucket(t, web, "127.0.0.1:0")
	ctx := newBrowser(t)
	navigate(t, ctx, base+"/compare/tokio-vs-async-std")
	waitController(t, ctx)
	waitWasm(t, ctx, "table.metrics")
	stop()

	// A new build: same wasm, changed styles, hence a new version.
	web2 := copyDir(t, web)
	css, err := os.ReadFile(filepath.Join(web2, "app.css"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(web2, "app.css"), append(css, "\n/* v2 */\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(base)
	serveLikeBucket(t, web2, u.Host)

	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`navigator.serviceWorker.getRegistration().then(r => r.update())`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector(".badge.update") !== null`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("no update prompt: %v", err)
	}
	if got := text(t, ctx, `document.querySelector(".badge.update").innerText`); !strings.Contains(got, "New version available") {
		t.Errorf("update prompt = %q", got)
	}

	// The new shell holds the new styles, not the copy in the HTTP cache.
	check := `async () => {
		for (const k of await caches.keys()) {
			const r = k.startsWith("versus-shell-") && await caches.match("/web/app.css", {cacheName: k});
			if (r && (await r.text()).includes("/* v2 */")) return "v2";
		}
		return "old";
	}`
	if got := awaitValue(t, ctx, check, "v2"); got != "v2" {
		t.Errorf("the new version's shell holds the old app.css")
	}
}

// TestCachesKeepTwoSnapshots: as snapshots go live, the service worker keeps
// the data and pages of the live one and the one before it, no more.
func TestCachesKeepTwoSnapshots(t *testing.T) {
	data := copyDir(t, "../web/data")
	srv, base, _ := serveConfig(t, testConfig(testWeb(t), data), "127.0.0.1:0")
	ctx := newBrowser(t)
	navigate(t, ctx, base+"/")
	waitController(t, ctx)
	visit := func() {
		t.Helper()
		for _, p := range []string{"/compare/tokio-vs-async-std", "/p/tokio"} {
			navigate(t, ctx, base+p)
			waitWasm(t, ctx, "main")
		}
	}
	visit()
	ids := []string{"2021-11-25T12-00-00Z", "2021-11-26T12-00-00Z", "2021-11-27T12-00-00Z"}
	for i, id := range ids[1:] {
		publishCopy(t, data, id, "13967", strconv.Itoa(14000+i))
		if err := srv.src.Refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
		visit()
	}
	// What the caches hold, by snapshot: data objects and page caches.
	check := `async () => {
		const ids = new Set();
		for (const r of await (await caches.open("versus-data")).keys()) {
			const m = /\/data\/snapshots\/([^/]+)\//.exec(new URL(r.url).pathname);
			if (m) ids.add("data " + m[1]);
		}
		for (const k of await caches.keys()) {
			if (k.startsWith("versus-pages")) ids.add("pages " + k.slice("versus-pages-".length));
		}
		return [...ids].sort().join(",");
	}`
	want := "data " + ids[1] + ",data " + ids[2] + ",pages " + ids[1] + ",pages " + ids[2]
	if got := awaitValue(t, ctx, check, want); got != want {
		t.Errorf("caches hold %s, want %s", got, want)
	}
}

// awaitValue runs the async function check in the page until it returns
// want, for at most 30 s, and returns its last value.
func awaitValue(t *testing.T, ctx context.Context, check, want string) string {
	t.Helper()
	js := `(async () => {
		const check = ` + check + `, end = Date.now() + 30000;
		for (;;) {
			const got = await check();
			if (got === ` + strconv.Quote(want) + ` || Date.now() > end) return got;
			await new Promise((r) => setTimeout(r, 100));
		}
	})()`
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return got
}
