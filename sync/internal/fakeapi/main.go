// Command fakeapi serves a fake GitHub of N synthetic repositories and a
// fake HN search, and writes a catalog of those repositories, so that
// `go run ./sync` can be tried end to end without the network:
//
//	go run ./sync/internal/fakeapi -repos 1000 -catalog /tmp/fake-catalog.yaml
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"versus/sync/gh/ghtest"
	"versus/sync/hn/hntest"
)

func main() {
	n := flag.Int("repos", 1000, "synthetic repositories to serve")
	catalog := flag.String("catalog", "fake-catalog.yaml", "where to write their catalog")
	latency := flag.Duration("latency", 0, "added to every GitHub answer")
	flag.Parse()
	gh := ghtest.New(*n)
	defer gh.Close()
	gh.Latency = *latency
	day := time.Now().AddDate(0, 0, -2)
	hnSrv := hntest.New(
		hntest.Story(1, "Show HN: repo1", "https://github.com/org0/repo1", 42, 7, day),
		hntest.Comment(3, "What do you use?", `I like https:&#x2F;&#x2F;github.com&#x2F;org0&#x2F;repo1 and github.com/org0/repo2`, day),
	)
	defer hnSrv.Close()
	var b strings.Builder
	b.WriteString("categories:\n")
	for c := range 10 {
		fmt.Fprintf(&b, "  - slug: cat%d\n    name: Category %d\n    description: Synthetic category %d.\n", c, c, c)
	}
	b.WriteString("projects:\n")
	for i, name := range gh.Names() {
		fmt.Fprintf(&b, "  - repo: %s\n    categories: [cat%d]\n", name, i%10)
	}
	if err := os.WriteFile(*catalog, []byte(b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "fakeapi:", err)
		os.Exit(1)
	}
	fmt.Printf("go run ./sync -catalog %s -github-api %s -hn-api %s -store /tmp/versus-store\n", *catalog, gh.BaseURL(), hnSrv.URL)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	<-sig
}
