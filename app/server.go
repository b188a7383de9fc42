//go:build !(js && wasm)

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"versus/app/dataset"
	"versus/sync/store"
)

// config is what the server is told by its flags.
type config struct {
	web     string // folder of the static files and app.wasm
	data    string // the store of the snapshot: a folder or gs://bucket/prefix
	brotli  int    // brotli level for app.wasm.br when it must be written
	baseURL string // the site's canonical origin ("https://versus.example"); empty: the request's
	// recheck is how often the pointer is looked at again, so that a new
	// snapshot goes live; 0 loads once (the static export).
	recheck time.Duration
	// storeTimeout bounds one read of the store.
	storeTimeout time.Duration
	timeouts     timeouts
	log          *slog.Logger
}

// timeouts are the connection limits of the HTTP server.
type timeouts struct {
	readHeader, read, write, idle time.Duration
}

// defaultTimeouts fit the largest response, app.wasm (7.6 MB raw, 1.5 MB
// brotli): a minute of writing at 1 Mbit/s. Requests carry no body, so the
// whole request has little more time than its header.
var defaultTimeouts = timeouts{readHeader: 10 * time.Second, read: 15 * time.Second, write: 2 * time.Minute, idle: 2 * time.Minute}

// server serves the app, its static files and the snapshot.
type server struct {
	http.Handler
	src      *dataset.Loader
	cards    *cards
	web      string
	baseURL  string
	timeouts timeouts
	log      *slog.Logger
}

// newServer loads the snapshot of cfg.data and the wasm of cfg.web, and
// returns the site's handler. A missing or invalid snapshot is an error,
// said once at start rather than on every page. ctx bounds opening the
// store.
func newServer(ctx context.Context, cfg config) (*server, error) {
	st, err := store.Open(ctx, cfg.data)
	if err != nil {
		return nil, err
	}
	log := cfg.log
	src := dataset.LoaderFor(store.Reader(st), cfg.recheck).
		WithTimeout(cfg.storeTimeout).
		WithReport(func(err error) { log.Warn("snapshot not updated; the live one stays", "data", cfg.data, "err", err) })
	set, err := src.Load()
	if err != nil {
		return nil, fmt.Errorf("snapshot in %s: %w", cfg.data, err)
	}
	wasm, err := loadWasm(cfg.web, cfg.brotli, log)
	if err != nil {
		return nil, err
	}
	cs, err := newCards(src)
	if err != nil {
		return nil, err
	}
	routes(src)
	h := appHandler(cfg.web, wasm.version)
	srv := &server{src: src, cards: cs, web: cfg.web, baseURL: cfg.baseURL, timeouts: cfg.timeouts, log: log}
	mux := http.NewServeMux()
	data := newDataHandler(src, cfg.storeTimeout)
	data.warm(set)
	mux.Handle("GET /data/", http.StripPrefix("/data", data))
	mux.Handle("GET "+cardsPrefix, cs)
	mux.Handle("GET /web/app.wasm", wasm)
	mux.Handle("GET /manifest.webmanifest", manifest(h))
	mux.Handle("GET /manifest.json", manifest(h))
	mux.Handle("/", pages(h, srv.baseURL, cs.forPage))
	srv.Handler = secure(compressText(mux))
	return srv, nil
}

// snapshotID is the id of the live snapshot.
func (s *server) snapshotID() string {
	if set := s.src.Cached(); set != nil {
		return set.ID
	}
	return ""
}

// httpServer is the HTTP server of s, with its timeouts.
func (s *server) httpServer() *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.timeouts.readHeader,
		ReadTimeout:       s.timeouts.read,
		WriteTimeout:      s.timeouts.write,
		IdleTimeout:       s.timeouts.idle,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
}

// serve answers on ln until ctx is done, then lets requests in flight end.
func (s *server) serve(ctx context.Context, ln net.Listener) error {
	hs := s.httpServer()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(shutdown)
	}()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
