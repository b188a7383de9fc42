package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/dataset"
	"versus/sync/snapshot"
)

// loaded is what a page needs from the snapshot.
type loaded struct {
	set     *dataset.Set
	err     error                       // the snapshot could not be loaded
	details map[string]*snapshot.Detail // by repo
	derrs   map[string]error            // details that could not be loaded, by repo
}

// load gets the snapshot and the details of the repos that need names, then
// calls show. On the server, and in the browser when all is in memory, show
// runs at once, so the first render already has the data (no flash of a
// loading state over the prerendered page); otherwise it runs after a
// background fetch.
func load(ctx app.Context, src *dataset.Loader, need func(*dataset.Set) []string, show func(app.Context, loaded)) {
	if app.IsServer {
		show(ctx, fetchAll(src, need))
		return
	}
	if r, ok := cachedAll(src, need); ok {
		show(ctx, r)
		return
	}
	ctx.Async(func() {
		r := fetchAll(src, need)
		ctx.Dispatch(func(ctx app.Context) { show(ctx, r) })
	})
}

func fetchAll(src *dataset.Loader, need func(*dataset.Set) []string) loaded {
	set, err := src.Load()
	r := loaded{set: set, err: err, details: map[string]*snapshot.Detail{}, derrs: map[string]error{}}
	if err != nil || need == nil {
		return r
	}
	for _, repo := range need(set) {
		d, err := src.Detail(set, repo)
		if err != nil {
			r.derrs[repo] = err
			continue
		}
		r.details[repo] = d
	}
	return r
}

func cachedAll(src *dataset.Loader, need func(*dataset.Set) []string) (loaded, bool) {
	set := src.Cached()
	if set == nil {
		return loaded{}, false
	}
	r := loaded{set: set, details: map[string]*snapshot.Detail{}, derrs: map[string]error{}}
	if need == nil {
		return r, true
	}
	for _, repo := range need(set) {
		d, ok := src.CachedDetail(repo)
		if !ok {
			return loaded{}, false
		}
		r.details[repo] = d
	}
	return r, true
}
