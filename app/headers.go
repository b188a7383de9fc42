//go:build !(js && wasm)

package main

import (
	"net/http"
	"strings"
)

// contentSecurityPolicy allows our own files and the wasm, and nothing inline.
const contentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
	"img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders go on every response. A static host sends them from its
// CDN or load balancer: sync/deploy/headers.txt holds the same list (a test
// keeps them equal).
var securityHeaders = [][2]string{
	{"Content-Security-Policy", contentSecurityPolicy},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "strict-origin-when-cross-origin"},
	{"X-Frame-Options", "DENY"},
}

// metaPolicy is the policy a page's <meta> can carry: all but
// frame-ancestors, which browsers ignore there.
func metaPolicy() string {
	var keep []string
	for _, d := range strings.Split(contentSecurityPolicy, "; ") {
		if !strings.HasPrefix(d, "frame-ancestors ") {
			keep = append(keep, d)
		}
	}
	return strings.Join(keep, "; ")
}

// secure adds the security headers to every response.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, h := range securityHeaders {
			w.Header().Set(h[0], h[1])
		}
		next.ServeHTTP(w, r)
	})
}
