//go:build !(js && wasm)

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// lighthouseBin is where `make bench` installs Lighthouse (npm
// lighthouse@12.2.3).
var lighthouseBin = filepath.Join("..", ".cache", "lighthouse", "node_modules", ".bin", "lighthouse")

// BenchmarkLighthouse runs Lighthouse with Debian's Chromium on the main
// pages, desktop and mobile presets, and prints the scores and timings.
func BenchmarkLighthouse(b *testing.B) {
	if _, err := os.Stat(lighthouseBin); err != nil {
		b.Fatalf("%v: install it with `make bench`", err)
	}
	chromium := chromiumPath(b)
	base := startServer(b, "../web", "../web/data")
	for range b.N {
		fmt.Printf("| %-40s | %5s | %5s | %5s | %5s | %7s | %7s | %7s | %9s |\n", "lighthouse page, preset", "perf", "a11y", "bp", "seo", "FCP ms", "LCP ms", "TBT ms", "bytes")
		for _, path := range []string{"/", "/compare/tokio-vs-async-std", "/p/tokio"} {
			for _, preset := range []string{"desktop", "mobile"} {
				r, err := lighthouse(b, chromium, base+path, preset)
				if err != nil {
					b.Fatal(err)
				}
				score := func(k string) string { return fmt.Sprintf("%.2f", r.Categories[k].Score) }
				ms := func(k string) string { return fmt.Sprintf("%.0f", r.Audits[k].NumericValue) }
				fmt.Printf("| %-40s | %5s | %5s | %5s | %5s | %7s | %7s | %7s | %9s |\n", path+", "+preset,
					score("performance"), score("accessibility"), score("best-practices"), score("seo"),
					ms("first-contentful-paint"), ms("largest-contentful-paint"), ms("total-blocking-time"), ms("total-byte-weight"))
			}
		}
	}
}

type lighthouseReport struct {
	Categories map[string]struct {
		Score float64 `json:"score"`
	} `json:"categories"`
	Audits map[string]struct {
		NumericValue float64 `json:"numericValue"`
	} `json:"audits"`
}

func lighthouse(b *testing.B, chromium, url, preset string) (*lighthouseReport, error) {
	out := filepath.Join(b.TempDir(), "report.json")
	args := []string{url, "--output=json", "--output-path=" + out, "--quiet",
		"--only-categories=performance,accessibility,best-practices,seo",
		"--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-quic --disable-background-networking --disable-component-update --disable-sync"}
	if preset == "desktop" {
		args = append(args, "--preset=desktop")
	}
	cmd := exec.Command(lighthouseBin, args...)
	cmd.Env = append(os.Environ(), "CHROME_PATH="+chromium)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("lighthouse %s (%s): %v\n%s", url, preset, err, msg)
	}
	f, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	var r lighthouseReport
	if err := json.Unmarshal(f, &r); err != nil {
		return nil, fmt.Errorf("lighthouse report of %s: %w", url, err)
	}
	return &r, nil
}
