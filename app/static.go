//go:build !(js && wasm)

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"versus/app/compare"
	"versus/app/dataset"
	"versus/sync/snapshot"
	"versus/sync/snapshot/indexbin"
)

// pageList names the file of the static export that lists its pages, one
// object name a line: the upload gives each of them Content-Type text/html
// (the pages are files named by their path, without extension). It is not
// part of the site.
const pageList = "pages.txt"

// exportStatic writes the site into dir for static hosting (a bucket behind a
// CDN): every page prerendered, go-app's files, web/, the cards pages name
// (staticCards), a 404.html that is the app shell (the wasm renders any
// address from it), and pages.txt. The site
// never carries the snapshot: the sync owns data/ in the bucket. withData
// adds a copy of the live snapshot under data/, for a self-contained demo.
//
// Pages and data come from the one snapshot srv loaded (its loader does not
// recheck), whatever a sync publishes meanwhile.
func exportStatic(srv *server, dir string, withData bool) ([]string, error) {
	set, err := srv.src.Load()
	if err != nil {
		return nil, err
	}
	var written []string
	write := func(name string, b []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		written = append(written, name)
		return os.WriteFile(p, b, 0o644)
	}
	origin := srv.baseURL
	if origin == "" {
		origin = "http://localhost"
	}
	get := func(p string) ([]byte, error) {
		req, err := http.NewRequest("GET", origin+p, nil)
		if err != nil {
			return nil, err
		}
		rec := &recorder{header: http.Header{}}
		srv.ServeHTTP(rec, req)
		if rec.code != http.StatusOK {
			return nil, fmt.Errorf("export %s: status %d", p, rec.code)
		}
		return rec.body.Bytes(), nil
	}

	// Cards first known, so that each page names a card that is written.
	cardNames := staticCards(set)
	srv.cards.only = map[string]bool{}
	for _, name := range cardNames {
		srv.cards.only[name] = true
	}
	for _, name := range cardNames {
		for _, ext := range []string{".png", ".svg"} {
			b, err := get(cardsPrefix + name + ext)
			if err != nil {
				return written, err
			}
			if err := write(strings.TrimPrefix(cardsPrefix, "/")+name+ext, b); err != nil {
				return written, err
			}
		}
	}

	pages := map[string]string{"/": "index.html"}
	for _, p := range staticPages(set) {
		pages[p] = strings.TrimPrefix(p, "/")
	}
	list := []string{"404.html"}
	for p, name := range pages {
		b, err := get(p)
		if err != nil {
			return written, err
		}
		if err := write(name, b); err != nil {
			return written, err
		}
		if p == "/" {
			if err := write("404.html", b); err != nil {
				return written, err
			}
		}
		list = append(list, name)
	}
	sort.Strings(list)
	if err := write(pageList, []byte(strings.Join(list, "\n")+"\n")); err != nil {
		return written, err
	}
	for _, f := range []string{"/app.js", "/wasm_exec.js", "/app-worker.js", "/app.css", "/manifest.webmanifest"} {
		b, err := get(f)
		if err != nil {
			return written, err
		}
		if err := write(strings.TrimPrefix(f, "/"), b); err != nil {
			return written, err
		}
	}
	entries, err := os.ReadDir(srv.web)
	if err != nil {
		return written, err
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".tmp") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(srv.web, e.Name()))
		if err != nil {
			return written, err
		}
		if err := write(path.Join("web", e.Name()), b); err != nil {
			return written, err
		}
	}
	if withData {
		return written, exportData(srv.src, set, func(name string, b []byte) error { return write(path.Join("data", name), b) })
	}
	return written, nil
}

// exportData writes the pointer, the index (JSON and binary) and the details
// of set, each as validated when read, with write.
func exportData(src *dataset.Loader, set *dataset.Set, write func(name string, b []byte) error) error {
	put := func(name string, v any) error {
		var b bytes.Buffer
		if err := snapshot.Encode(&b, v); err != nil {
			return err
		}
		return write(name, b.Bytes())
	}
	ptr := *set.Pointer
	ptr.IndexBin = snapshot.IndexBinName(set.ID)
	if err := put(snapshot.PointerName, &ptr); err != nil {
		return err
	}
	if err := put(ptr.Index, set.Index); err != nil {
		return err
	}
	if err := write(ptr.IndexBin, indexbin.Encode(set.Index)); err != nil {
		return err
	}
	for _, p := range set.Projects {
		d, err := src.Detail(set, p.Repo)
		if errors.Is(err, fs.ErrNotExist) {
			continue // a project without details still shows its figures
		}
		if err != nil {
			return err
		}
		if err := put(snapshot.DetailName(set.ID, p.Repo), d); err != nil {
			return err
		}
	}
	return nil
}

// staticPages are the pages worth prerendering beyond the home page: the
// about page, each project's page, and each project with its closest
// alternative.
func staticPages(set *dataset.Set) []string {
	seen := map[string]bool{}
	out := []string{"/about"}
	for _, p := range set.Projects {
		out = append(out, "/p/"+p.Slug)
		if len(p.Alternatives) == 0 {
			continue
		}
		a, b := p.Slug, p.Alternatives[0]
		if seen[b+"|"+a] {
			continue
		}
		seen[a+"|"+b] = true
		out = append(out, compare.Path(a, b))
	}
	return out
}
