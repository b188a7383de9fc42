//go:build !(js && wasm)

package main

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"versus/app/export/exporttest"
)

func TestCanonicalURL(t *testing.T) {
	for _, tc := range []struct {
		page  string
		slugs []string
		want  string
	}{
		{"https://versus.example/compare/Tokio-vs-async-std-vs-tokio?utm_source=x&fbclid=y", []string{"tokio", "async-std"}, "https://versus.example/compare/tokio-vs-async-std"},
		{"http://127.0.0.1:8000/compare/a-vs-b?chart=stars&range=1y", []string{"a", "b"}, "http://127.0.0.1:8000/compare/a-vs-b?chart=stars&range=1y"},
		{"http://localhost/compare/a-vs-b?b=2&a=1&UTM_medium=z&ref=hn", []string{"a", "b"}, "http://localhost/compare/a-vs-b?a=1&b=2"},
		{"http://[::1]:9/compare/a-vs-b?x=" + strings.Repeat("v", 300), []string{"a", "b"}, "http://[::1]:9/compare/a-vs-b"},
	} {
		u, err := url.Parse(tc.page)
		if err != nil {
			t.Fatal(err)
		}
		if got := canonicalURL(u, tc.slugs); got != tc.want {
			t.Errorf("canonicalURL(%q) = %q, want %q", tc.page, got, tc.want)
		}
	}
}

// go-app writes a tag's attributes in any order.
var (
	metaRE = regexp.MustCompile(`<meta [^>]*>`)
	keyRE  = regexp.MustCompile(` (?:name|property)="([^"]+)"`)
	valRE  = regexp.MustCompile(` content="([^"]*)"`)
)

// The prerendered compare page is what link previews read.
func TestShareMetaTags(t *testing.T) {
	data := t.TempDir()
	if err := exporttest.Write(data); err != nil {
		t.Fatal(err)
	}
	base := startServer(t, testWeb(t), data)
	_, body := get(t, base+"/compare/Quote-vs-nihongo-vs-quote?utm_source=newsletter&chart=stars")
	got := metaTags(body)
	desc := "Compare quote and nihongo: stars, growth, activity, last commit, mentions, licence and alternatives, side by side."
	want := map[string]string{
		"og:url":              base + "/compare/quote-vs-nihongo?chart=stars",
		"og:title":            "quote vs nihongo · versus",
		"og:description":      desc,
		"og:type":             "website",
		"twitter:card":        "summary_large_image",
		"twitter:title":       "quote vs nihongo · versus",
		"twitter:description": desc,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("meta %s = %q, want %q", k, got[k], v)
		}
	}

	// Behind a proxy that speaks https, og:url says so.
	_, body = get(t, base+"/compare/quote-vs-nihongo?utm_source=x", "X-Forwarded-Proto", "https")
	wantURL := `<meta property="og:url" content="https://` + strings.TrimPrefix(base, "http://") + `/compare/quote-vs-nihongo">`
	if !strings.Contains(body, wantURL) {
		t.Errorf("behind https, the page lacks %s", wantURL)
	}
}
