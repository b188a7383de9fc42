//go:build !(js && wasm)

package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"versus/app/compare"
	"versus/app/dataset"
	"versus/sync/snapshot"
)

// exportStatic writes the site into dir for static hosting (a bucket behind a
// CDN): every page prerendered, go-app's files, web/, a 404.html that is the
// app shell (the wasm renders any address from it), and a copy of the live
// snapshot under data/. Pages are files named by their path, without
// extension; host them as text/html.
func exportStatic(srv *server, set *dataset.Set, webDir, dir string) ([]string, error) {
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

	pages := map[string]string{"/": "index.html"}
	for _, p := range staticPages(set) {
		pages[p] = strings.TrimPrefix(p, "/")
	}
	for p, name := range pages {
		b, err := get(p)
		if err != nil {
			return written, err
		}
		if err := write(name, b); err != nil {
			return written, err
		}
	}
	shell, err := get("/")
	if err != nil {
		return written, err
	}
	if err := write("404.html", shell); err != nil {
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
	entries, err := os.ReadDir(webDir)
	if err != nil {
		return written, err
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".tmp") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(webDir, e.Name()))
		if err != nil {
			return written, err
		}
		if err := write(path.Join("web", e.Name()), b); err != nil {
			return written, err
		}
	}
	objects := []string{snapshot.PointerName, snapshot.IndexName(set.ID)}
	for _, p := range set.Projects {
		objects = append(objects, snapshot.DetailName(set.ID, p.Repo))
	}
	for _, name := range objects {
		b, err := srv.fetch(name)
		if errors.Is(err, os.ErrNotExist) && strings.Contains(name, "/p/") {
			continue // a project without details still shows its figures
		}
		if err != nil {
			return written, err
		}
		if err := write(path.Join("data", name), b); err != nil {
			return written, err
		}
	}
	return written, nil
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
