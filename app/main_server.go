//go:build !(js && wasm)

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"versus/app/dataset"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "versus:", err)
		os.Exit(1)
	}
}

// run parses flags, then serves until ctx is done or writes the static site.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("versus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8000", "address to listen on")
	data := fs.String("data", "web/data", "where the snapshot's latest.json is: a folder or gs://bucket/prefix")
	web := fs.String("web", "web", "folder of the static files and app.wasm")
	compress := fs.Bool("compress", false, "only write app.wasm.br and app.wasm.gz next to app.wasm, then exit")
	static := fs.String("static", "", "write the site for static hosting into this folder, then exit")
	withData := fs.Bool("with-data", false, "with -static: also copy the live snapshot under data/, for a self-contained demo (never upload it over a bucket the sync writes)")
	baseURL := fs.String("base-url", "", "the site's canonical origin for link previews, e.g. https://versus.example")
	brotliLevel := fs.Int("brotli", 11, "brotli level (0–11) for app.wasm.br when it must be written")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if *compress {
		_, err := loadWasm(*web, *brotliLevel, log)
		return err
	}
	cfg := config{web: *web, data: *data, brotli: *brotliLevel, baseURL: *baseURL, recheck: time.Second,
		storeTimeout: dataset.DefaultTimeout, timeouts: defaultTimeouts, log: log}
	if *static != "" {
		cfg.recheck = 0 // one snapshot for the whole export
	}
	srv, err := newServer(ctx, cfg)
	if err != nil {
		return err
	}
	if *static != "" {
		files, err := exportStatic(srv, *static, *withData)
		if err != nil {
			return err
		}
		log.Info("wrote the static site", "folder", *static, "files", len(files), "snapshot", srv.snapshotID(), "with_data", *withData)
		return nil
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	log.Info("serving versus", "url", "http://"+ln.Addr().String(), "data", *data, "snapshot", srv.snapshotID())
	return srv.serve(ctx, ln)
}
