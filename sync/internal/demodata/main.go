// Command demodata regenerates the bundled sample snapshot (web/data) with
// the real sync: it serves the recorded answers of sync/testdata/demo as a
// fake GitHub and a fake HN search, seeds a fresh store with the star
// history and reference figures, runs `go run ./sync` against them, and
// copies the published snapshot out. Run it from the module root:
//
//	go run ./sync/internal/demodata -out web/data
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"

	"versus/sync/internal/demo"
	"versus/sync/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "demodata:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("demodata", flag.ContinueOnError)
	out := fs.String("out", "web/data", "where the sample snapshot goes")
	dir := fs.String("testdata", "sync/testdata/demo", "the recorded answers, catalog and seeds")
	if err := fs.Parse(args); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "versus-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	storeDir := filepath.Join(tmp, "store")
	st, err := store.NewFolder(storeDir)
	if err != nil {
		return err
	}
	if err := demo.Seed(ctx, st, *dir); err != nil {
		return err
	}
	srv := demo.Serve(*dir)
	defer srv.Close()

	cmd := exec.CommandContext(ctx, "go", append([]string{"run", "./sync"}, srv.Args(filepath.Join(*dir, "catalog.yaml"), storeDir)...)...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	for _, kv := range os.Environ() { // a token has no business with a fake
		if !strings.HasPrefix(kv, "GITHUB_TOKEN=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("sync: %w", err)
	}
	if err := demo.Export(ctx, storeDir, *out); err != nil {
		return err
	}
	fmt.Println("sample snapshot written to", *out)
	return nil
}
