//go:build !(js && wasm)

package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/andybalholm/brotli"
)

// wasmLengthHeader carries the uncompressed size of app.wasm, so that the
// loading progress stays right when the wasm is sent compressed.
const wasmLengthHeader = "X-Wasm-Content-Length"

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

// compressed returns the p+ext form of raw, writing it when it is missing or
// older than p.
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
	switch pickEncoding(r.Header.Get("Accept-Encoding")) {
	case "br":
		h.Set("Content-Encoding", "br")
		body = wf.br
	case "gzip":
		h.Set("Content-Encoding", "gzip")
		body = wf.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}
