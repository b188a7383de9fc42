//go:build js && wasm

package main

import (
	"strings"
	"sync"

	"versus/app/compare"
	"versus/app/dataset"
)

// prefetch loads the snapshot and the details the page at path shows, before
// the app mounts, so that the first render replaces the prerendered page with
// the same content. Errors are left for the page to load again and show.
func prefetch(src *dataset.Loader, path string) {
	set, err := src.Load()
	if err != nil {
		return
	}
	var repos []string
	if slugs, err := compare.ParsePath(path); err == nil {
		for _, s := range slugs {
			if p, ok := set.Project(s); ok {
				repos = append(repos, p.Repo)
			}
		}
	} else if slug, ok := strings.CutPrefix(path, "/p/"); ok {
		if p, ok := set.Project(slug); ok {
			repos = append(repos, p.Repo)
		}
	}
	var wg sync.WaitGroup
	for _, r := range repos {
		wg.Go(func() { src.Detail(set, r) })
	}
	wg.Wait()
}
