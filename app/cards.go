//go:build !(js && wasm)

package main

import (
	"bytes"
	"container/list"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"versus/app/compare"
	"versus/app/dataset"
	"versus/app/export"
	"versus/app/raster"
	"versus/sync/snapshot"
)

// Cards are the images a link unfolds into: /cards/tokio-vs-async-std.png
// (1200×630, drawn in Go) and the same card as .svg, which follows its
// reader's light or dark scheme, for READMEs. A card changes only with the
// snapshot, so its ETag is the snapshot's id with its name.
const (
	cardsPrefix = "/cards/"
	cardMaxAge  = 3600 // seconds: a new snapshot shows within the hour; at most a day for the SVG
	cardCache   = 128  // rendered cards kept in memory
)

// cardTypes are the formats of a card, by extension.
var cardTypes = map[string]string{"png": "image/png", "svg": "image/svg+xml"}

// svgCardPolicy replaces the site's policy on an SVG card opened on its own:
// its theme is an inline style; nothing else may load or run.
const svgCardPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

// cards draws and serves the cards of the live snapshot.
type cards struct {
	src     *dataset.Loader
	painter *raster.Painter

	// only, when set, names the cards a static export writes: a page whose
	// own card is not among them names its first project's card.
	only map[string]bool

	// drawing bounds the PNGs drawn at once (about 40 ms of CPU each), so
	// that a burst of new card URLs cannot take every core from the pages.
	drawing chan struct{}

	mu    sync.Mutex
	lru   *list.List // of *cardEntry, the newest first
	byTag map[string]*list.Element
}

type cardEntry struct {
	etag string
	body []byte
}

func newCards(src *dataset.Loader) (*cards, error) {
	p, err := raster.New()
	if err != nil {
		return nil, err
	}
	return &cards{src: src, painter: p, drawing: make(chan struct{}, max(1, runtime.NumCPU()/2)),
		lru: list.New(), byTag: map[string]*list.Element{}}, nil
}

// cardName reads "<slug>[-vs-<slug>…].<ext>": the slugs as the compare
// path reads them (lowercased, repeats dropped) and the extension.
func cardName(name string) (slugs []string, ext string, err error) {
	base, ext, ok := cutLast(name, ".")
	if _, known := cardTypes[ext]; !ok || !known {
		return nil, "", errors.New("a card is a .png or an .svg")
	}
	slugs, _ = compare.ParsePath("/compare/" + base)
	if len(slugs) < 1 || len(slugs) > compare.MaxProjects {
		return nil, "", fmt.Errorf("a card shows 1 to %d projects", compare.MaxProjects)
	}
	return slugs, ext, nil
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// resolve finds the projects of slugs in set: their canonical slugs and
// repos, or an error naming each unknown slug and its closest names.
func resolve(set *dataset.Set, slugs []string) (canon, repos []string, err error) {
	var errs []error
	for _, s := range slugs {
		p, ok := set.Project(s)
		if !ok {
			errs = append(errs, &compare.UnknownError{Slug: s, Closest: set.Closest(s, 3)})
			continue
		}
		canon, repos = append(canon, p.Slug), append(repos, p.Repo)
	}
	return canon, repos, errors.Join(errs...)
}

func (cs *cards) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	slugs, ext, err := cardName(strings.TrimPrefix(r.URL.Path, cardsPrefix))
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	set, err := cs.src.Load()
	if err != nil {
		http.Error(w, "the data could not be loaded: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	canon, repos, err := resolve(set, slugs)
	if err != nil {
		http.Error(w, unknownText(err), http.StatusNotFound)
		return
	}
	name := strings.Join(canon, "-vs-") + "." + ext
	if r.URL.Path != cardsPrefix+name {
		http.Redirect(w, r, cardsPrefix+name, http.StatusMovedPermanently)
		return
	}
	etag := `"` + set.ID + "/" + name + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(cardMaxAge))
	if ext == "svg" {
		h.Set("Content-Security-Policy", svgCardPolicy)
	}
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, ok := cs.cached(etag)
	if !ok {
		if body, err = cs.render(set, canon, repos, ext); err != nil {
			h.Del("ETag")
			h.Set("Cache-Control", "no-store")
			http.Error(w, "the card could not be drawn: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		cs.keep(etag, body)
	}
	h.Set("Content-Type", cardTypes[ext])
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// unknownText says which slugs name no project, with the closest names.
func unknownText(err error) string {
	var b strings.Builder
	for _, e := range strings.Split(err.Error(), "\n") {
		b.WriteString(e)
		b.WriteString("\n")
	}
	var ue *compare.UnknownError
	if errors.As(err, &ue) && len(ue.Closest) > 0 {
		names := make([]string, len(ue.Closest))
		for i, p := range ue.Closest {
			names[i] = p.Slug
		}
		fmt.Fprintf(&b, "did you mean %s?\n", strings.Join(names, ", "))
	}
	return b.String()
}

// etagMatch reports whether the If-None-Match header value names etag.
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// render draws the card of the projects (canonical slugs, with their repos)
// in the given format. A project without details is drawn without its star
// history; details that cannot be read fail the card, so that a partial card
// is never cached under the snapshot's id.
func (cs *cards) render(set *dataset.Set, slugs, repos []string, ext string) ([]byte, error) {
	sc, err := cardScene(cs.src, set, slugs, repos)
	if err != nil {
		return nil, err
	}
	if ext == "svg" {
		return sc.ThemedSVG(), nil
	}
	cs.drawing <- struct{}{}
	defer func() { <-cs.drawing }()
	var b bytes.Buffer
	if err := cs.painter.PNG(&b, sc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// cardScene lays out the social card of the projects.
func cardScene(src *dataset.Loader, set *dataset.Set, slugs, repos []string) (export.Scene, error) {
	details := map[string]*snapshot.Detail{}
	for _, repo := range repos {
		d, err := src.Detail(set, repo)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return export.Scene{}, err
		}
		details[repo] = d
	}
	var c *compare.Comparison
	var err error
	if len(slugs) == 1 {
		c, err = compare.One(set, slugs[0], details)
	} else {
		c, err = compare.New(set, slugs, details)
	}
	if err != nil {
		return export.Scene{}, err
	}
	return export.Layout(c, export.Social), nil
}

func (cs *cards) cached(etag string) ([]byte, bool) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	e, ok := cs.byTag[etag]
	if !ok {
		return nil, false
	}
	cs.lru.MoveToFront(e)
	return e.Value.(*cardEntry).body, true
}

func (cs *cards) keep(etag string, body []byte) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if _, ok := cs.byTag[etag]; ok {
		return
	}
	cs.byTag[etag] = cs.lru.PushFront(&cardEntry{etag: etag, body: body})
	for cs.lru.Len() > cardCache {
		old := cs.lru.Remove(cs.lru.Back()).(*cardEntry)
		delete(cs.byTag, old.etag)
	}
}

// pageCard is the card a page names in its link preview.
type pageCard struct {
	name string // "tokio-vs-async-std", without extension
	alt  string // the card in words
}

// forPage is the card of the page at path: a compare page's comparison or
// a project page's project, when every project is known; none for other
// pages.
func (cs *cards) forPage(path string) (pageCard, bool) {
	var slugs []string
	switch {
	case strings.HasPrefix(path, "/compare/"):
		s, err := compare.ParsePath(path)
		if err != nil {
			return pageCard{}, false
		}
		slugs = s
	case strings.HasPrefix(path, "/p/"):
		slugs = []string{slugOf(path)}
	default:
		return pageCard{}, false
	}
	set := cs.src.Cached()
	if set == nil {
		return pageCard{}, false
	}
	canon, _, err := resolve(set, slugs)
	if err != nil {
		return pageCard{}, false
	}
	if name := strings.Join(canon, "-vs-"); cs.only != nil && !cs.only[name] {
		canon = canon[:1]
	}
	names := make([]string, len(canon))
	for i, s := range canon {
		p, _ := set.Project(s)
		names[i] = p.Name
	}
	alt := strings.Join(names, " vs ") + ": stars, growth, activity, last commit and star history, side by side"
	if len(names) == 1 {
		alt = names[0] + ": stars, growth, activity, last commit and star history"
	}
	return pageCard{name: strings.Join(canon, "-vs-"), alt: alt}, true
}

// staticCards are the cards a static export writes: every project's, and
// each project with each of its top 3 alternatives, in that order (the
// order of the compare link from the project's page).
func staticCards(set *dataset.Set) []string {
	seen := map[string]bool{}
	var out []string
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	for _, p := range set.Projects {
		add(p.Slug)
		for _, a := range p.Alternatives[:min(3, len(p.Alternatives))] {
			if _, ok := set.Project(a); ok && a != p.Slug {
				add(p.Slug + "-vs-" + a)
			}
		}
	}
	return out
}
