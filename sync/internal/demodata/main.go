// Command demodata regenerates the bundled sample snapshot (web/data) with
// the real sync (demo.Generate: sync/job on the recorded answers of
// sync/testdata/demo, in fresh stores) and copies the published snapshot
// out. Run it from the module root:
//
//	go run ./sync/internal/demodata -out web/data
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"

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
	public, err := store.NewFolder(storeDir)
	if err != nil {
		return err
	}
	state, err := store.NewFolder(filepath.Join(tmp, "state"))
	if err != nil {
		return err
	}
	if err := demo.Generate(ctx, *dir, public, state, os.Stdout, os.Stderr); err != nil {
		return err
	}
	if err := demo.Export(ctx, storeDir, *out); err != nil {
		return err
	}
	fmt.Println("sample snapshot written to", *out)
	return nil
}
