//go:build !(js && wasm)

package main

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
)

// minCompress is the smallest body worth compressing.
const minCompress = 1024

// encodingQ is the weight that an Accept-Encoding header gives to enc
// (RFC 9110 §12.5.3): its own q-value, else the one of "*", else 0. A
// coding listed without q has 1; q=0 refuses it.
func encodingQ(header, enc string) float64 {
	own, star := -1.0, -1.0
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.TrimSpace(name)
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
				continue
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 {
				f = 0 // a weight that does not parse accepts nothing
			}
			q = f
		}
		switch {
		case strings.EqualFold(name, enc):
			own = max(own, q)
		case name == "*":
			star = max(star, q)
		}
	}
	switch {
	case own >= 0:
		return own
	case star >= 0:
		return star
	}
	return 0
}

// acceptsEncoding reports whether the request takes enc.
func acceptsEncoding(r *http.Request, enc string) bool {
	return encodingQ(r.Header.Get("Accept-Encoding"), enc) > 0
}

// pickEncoding chooses between brotli and gzip by the client's weights,
// brotli on a tie; "" means neither.
func pickEncoding(header string) string {
	br, gz := encodingQ(header, "br"), encodingQ(header, "gzip")
	switch {
	case br > 0 && br >= gz:
		return "br"
	case gz > 0:
		return "gzip"
	}
	return ""
}

// gzipBytes is the one gzip of the server: pages and scripts on their way
// out, snapshot objects once when cached.
func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	gz.Write(b)
	gz.Close()
	return buf.Bytes()
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
		body := rec.body.Bytes()
		if len(body) >= minCompress && h.Get("Content-Encoding") == "" && isText(h.Get("Content-Type")) {
			body = gzipBytes(body)
			h.Set("Content-Encoding", "gzip")
			h.Set("Content-Length", strconv.Itoa(len(body)))
		}
		w.WriteHeader(rec.code)
		w.Write(body)
	})
}

func isText(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	return strings.HasPrefix(mt, "text/") || mt == "application/javascript" || mt == "application/json" ||
		mt == "application/manifest+json" || mt == "image/svg+xml"
}
