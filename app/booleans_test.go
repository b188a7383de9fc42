//go:build !(js && wasm)

package main

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// booleanAttrs are HTML's boolean attributes: present means true, whatever
// the value, so "false" there means true.
var booleanAttrs = map[string]bool{
	"allowfullscreen": true, "async": true, "autofocus": true, "autoplay": true, "checked": true,
	"controls": true, "default": true, "defer": true, "disabled": true, "formnovalidate": true,
	"hidden": true, "inert": true, "ismap": true, "itemscope": true, "loop": true, "multiple": true,
	"muted": true, "nomodule": true, "novalidate": true, "open": true, "playsinline": true,
	"readonly": true, "required": true, "reversed": true, "selected": true,
}

// TestNoFalseBooleanAttributes fetches the prerendered HTML of every route,
// found and not found, and fails on a boolean attribute written "false"
// (go-app writes Disabled(false) as disabled="false").
func TestNoFalseBooleanAttributes(t *testing.T) {
	base := startServer(t, testWeb(t), "../web/data")
	for _, path := range []string{
		"/", "/?q=tokio&language=Rust&sort=stars", "/?archived=1&page=2",
		"/compare/tokio-vs-async-std", "/compare/tokio-vs-async-std-vs-rayon-vs-smol-vs-hyper-vs-bevy",
		"/compare/tokio", "/compare/tokoi-vs-async-std",
		"/p/tokio", "/p/no-such-project",
		"/about",
	} {
		_, body := get(t, base+path)
		z := html.NewTokenizer(strings.NewReader(body))
		elems := 0
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			elems++
			tok := z.Token()
			for _, a := range tok.Attr {
				if booleanAttrs[a.Key] && a.Val != "" && !strings.EqualFold(a.Val, a.Key) {
					t.Errorf("%s: <%s %s=%q>: a boolean attribute is true whatever its value", path, tok.Data, a.Key, a.Val)
				}
			}
		}
		if elems < 20 {
			t.Errorf("%s: %d elements, want a prerendered page", path, elems)
		}
	}
}
