// Command sync collects every project of the catalog from GitHub and Hacker
// News, computes the metrics and publishes a snapshot to the store.
//
//	go run ./sync -catalog sync/catalog.yaml -store web/data
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "sync:", err)
		os.Exit(1)
	}
}
