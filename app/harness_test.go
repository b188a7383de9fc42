//go:build !(js && wasm)

package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The tests of this package share one go-app router (go-app keeps routes in
// a package variable), so none of them runs in parallel.

var buildWeb = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "versus-web-")
	if err != nil {
		return "", err
	}
	entries, err := os.ReadDir("../web")
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) == ".wasm" || filepath.Ext(e.Name()) == ".br" || filepath.Ext(e.Name()) == ".gz" {
			continue
		}
		b, err := os.ReadFile(filepath.Join("../web", e.Name()))
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			return "", err
		}
	}
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "app.wasm"), ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", &buildError{out: string(out), err: err}
	}
	// A fast brotli level: tests check that compression works, not its size.
	if _, err := loadWasm(dir, 4, quietLog()); err != nil {
		return "", err
	}
	return dir, nil
})

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return "build app.wasm: " + e.err.Error() + "\n" + e.out }

// testWeb returns a copy of web/ with an app.wasm built from this source.
func testWeb(t testing.TB) string {
	t.Helper()
	dir, err := buildWeb()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if dir, err := buildWeb(); err == nil {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// startServer serves the app with the snapshot in dataDir on 127.0.0.1 and
// returns its base URL.
func startServer(t testing.TB, web, dataDir string) string {
	t.Helper()
	base, _ := serveAt(t, web, dataDir, "127.0.0.1:0")
	return base
}

// testConfig is the server's configuration in tests: a fast brotli level,
// a quiet log, and a snapshot looked at again every second.
func testConfig(web, dataDir string) config {
	return config{web: web, data: dataDir, brotli: 4, recheck: time.Second, storeTimeout: 10 * time.Second,
		timeouts: defaultTimeouts, log: quietLog()}
}

// serveAt serves the app on addr and returns its base URL and a func that
// stops the server (also called at the end of the test).
func serveAt(t testing.TB, web, dataDir, addr string) (string, func()) {
	t.Helper()
	_, base, stop := serveConfig(t, testConfig(web, dataDir), addr)
	return base, stop
}

// serveConfig serves the app configured by cfg on addr, as main does, and
// returns the server, its base URL and a func that stops it.
func serveConfig(t testing.TB, cfg config, addr string) (*server, string, func()) {
	t.Helper()
	srv, err := newServer(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	hs := srv.httpServer()
	go hs.Serve(ln)
	stop := func() { hs.Close() }
	t.Cleanup(stop)
	return srv, "http://" + ln.Addr().String(), stop
}

// copyDir copies the files of src into a new temporary folder.
func copyDir(t testing.TB, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// chromiumPath finds Debian's Chromium.
func chromiumPath(t testing.TB) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Fatal("chromium not found: install Debian's chromium package (apt-get install chromium) or set CHROMIUM")
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile and returns a
// context for its first tab.
func newBrowser(t testing.TB) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}
