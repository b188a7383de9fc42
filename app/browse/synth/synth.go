// Package synth generates realistic synthetic snapshots (skewed star counts,
// real-looking names, languages, licences and topics) for tests and
// benchmarks. Nothing it makes is shipped as data.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"versus/sync/snapshot"
	"versus/sync/store"
)

// Date is when every synthetic snapshot is generated.
var Date = time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)

var (
	prefixes = []string{"fast", "tiny", "async", "hyper", "micro", "open", "go", "py", "rust", "node", "deep", "quick", "smart", "super", "next", "neo", "meta", "auto", "easy", "light", "red", "blue", "sky", "iron", "nano", "mega", "flux", "data", "cloud", "web"}
	stems    = []string{"db", "http", "json", "log", "cache", "queue", "router", "parser", "graph", "kit", "server", "client", "store", "sql", "grid", "flow", "stream", "auth", "ml", "vision", "chart", "test", "mock", "lint", "fmt", "build", "deploy", "proxy", "mesh", "ui", "form", "state", "config", "crypt", "zip", "image", "audio", "video", "game", "engine"}
	suffixes = []string{"", "", "", "", "js", "rs", "go", "py", "x", "ify", "ly", "er", "-core", "-cli", "-lite", "2", "-ng", "hub", "io"}
	owners   = []string{"acme", "octo", "lab", "works", "foundation", "dev", "org", "team", "systems", "studio", "hq", "project", "community", "inc", "oss"}
	people   = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yuki", "zoe", "li", "mei", "ana", "omar"}
	verbs    = []string{"A fast", "A small", "The simplest", "A modern", "An async", "A blazing fast", "A safe", "A lightweight", "A composable", "A batteries-included"}
	nouns    = []string{"HTTP client", "web framework", "key-value store", "JSON parser", "logging library", "task queue", "router", "GraphQL server", "ORM", "test runner", "static site generator", "image processing library", "machine learning toolkit", "game engine", "terminal UI", "database driver", "cache", "message broker", "build tool", "package manager"}
	forWhat  = []string{"for the web", "for microservices", "with zero dependencies", "for embedded systems", "for data pipelines", "written from scratch", "for humans", "with a tiny footprint", "for the cloud", "for mobile apps"}
	topics   = []string{"http", "web", "database", "cli", "async", "json", "api", "machine-learning", "deep-learning", "framework", "library", "server", "client", "testing", "devops", "kubernetes", "docker", "security", "crypto", "parser", "compiler", "game", "gui", "terminal", "logging", "cache", "queue", "graphql", "rest", "orm", "sql", "nosql", "react", "vue", "frontend", "backend", "mobile", "android", "ios", "embedded", "iot", "blockchain", "data-science", "visualization", "image", "audio", "video", "networking", "performance", "concurrency"}
	// Languages and licences with rough popularity weights.
	languages = weighted{{"JavaScript", 18}, {"Python", 16}, {"Go", 10}, {"TypeScript", 12}, {"Rust", 7}, {"Java", 9}, {"C++", 6}, {"C", 5}, {"PHP", 4}, {"Ruby", 3}, {"C#", 4}, {"Kotlin", 2}, {"Swift", 2}, {"Shell", 2}, {"Scala", 1}, {"Elixir", 1}, {"Haskell", 1}, {"Zig", 1}, {"Dart", 1}, {"Lua", 1}, {"", 3}}
	licenses  = []struct {
		w          int
		spdx, name string
	}{{30, "MIT", "MIT License"}, {18, "Apache-2.0", "Apache License 2.0"}, {8, "GPL-3.0", "GNU General Public License v3.0"}, {6, "BSD-3-Clause", "BSD 3-Clause \"New\" or \"Revised\" License"}, {3, "BSD-2-Clause", "BSD 2-Clause \"Simplified\" License"}, {3, "MPL-2.0", "Mozilla Public License 2.0"}, {2, "LGPL-3.0", "GNU Lesser General Public License v3.0"}, {2, "AGPL-3.0", "GNU Affero General Public License v3.0"}, {2, "ISC", "ISC License"}, {2, "Unlicense", "The Unlicense"}, {5, "Apache-2.0 OR MIT", "Apache License 2.0 or MIT License"}, {12, "", ""}}
	categories = []snapshot.Category{
		{Slug: "web-framework", Name: "Web frameworks", Description: "Libraries for building web servers and APIs."},
		{Slug: "http", Name: "HTTP", Description: "HTTP clients and servers."},
		{Slug: "database", Name: "Databases", Description: "Database drivers, query builders and embedded stores."},
		{Slug: "cli", Name: "Command line", Description: "Argument parsers and terminal tools."},
		{Slug: "testing", Name: "Testing", Description: "Test runners, mocks and assertions."},
		{Slug: "ml", Name: "Machine learning", Description: "Training and inference."},
		{Slug: "gui", Name: "GUI", Description: "Windowing and graphical user interfaces."},
		{Slug: "game-engine", Name: "Game engines", Description: "Engines and frameworks for games."},
		{Slug: "logging", Name: "Logging", Description: "Structured and unstructured logging."},
		{Slug: "devops", Name: "DevOps", Description: "Deployment, containers and infrastructure."},
		{Slug: "async-runtime", Name: "Async runtimes", Description: "Executors, I/O reactors and timers."},
		{Slug: "parsing", Name: "Parsing", Description: "Parsers and serialization formats."},
	}
)

type weighted []struct {
	v string
	w int
}

func (ws weighted) pick(r *rand.Rand) string {
	total := 0
	for _, w := range ws {
		total += w.w
	}
	n := r.IntN(total)
	for _, w := range ws {
		if n < w.w {
			return w.v
		}
		n -= w.w
	}
	return ws[0].v
}

// Index returns a valid index of n projects, the same for the same n and
// seed.
func Index(n int, seed uint64) *snapshot.Index {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	x := &snapshot.Index{
		SchemaVersion: snapshot.SchemaVersion,
		ID:            snapshot.NewID(Date),
		GeneratedAt:   Date,
		Note:          fmt.Sprintf("Synthetic data: %d generated projects.", n),
		Categories:    categories,
		Projects:      make([]snapshot.Project, 0, n),
	}
	v := newVocabulary(r)
	usedSlug := make(map[string]bool, n)
	usedRepo := make(map[string]bool, n)
	for len(x.Projects) < n {
		name := prefixes[r.IntN(len(prefixes))] + stems[r.IntN(len(stems))] + suffixes[r.IntN(len(suffixes))]
		if r.IntN(4) == 0 {
			name = stems[r.IntN(len(stems))] + "-" + stems[r.IntN(len(stems))]
		}
		var owner string
		if r.IntN(2) == 0 {
			owner = people[r.IntN(len(people))] + fmt.Sprint(r.IntN(1000))
		} else {
			owner = name + "-" + owners[r.IntN(len(owners))]
		}
		repo := owner + "/" + name
		if usedRepo[repo] {
			continue
		}
		usedRepo[repo] = true
		slug := name
		if usedSlug[slug] {
			slug = owner + "--" + name
		}
		if usedSlug[slug] || !snapshot.ValidSlug(slug) {
			continue
		}
		usedSlug[slug] = true
		x.Projects = append(x.Projects, project(r, v, repo, slug, owner, name))
	}
	// Alternatives: a few projects of the same first category.
	byCat := map[string][]string{}
	for _, p := range x.Projects {
		if len(p.Categories) > 0 && len(byCat[p.Categories[0]]) < 50 {
			byCat[p.Categories[0]] = append(byCat[p.Categories[0]], p.Slug)
		}
	}
	for i := range x.Projects {
		p := &x.Projects[i]
		if len(p.Categories) == 0 {
			continue
		}
		for _, s := range byCat[p.Categories[0]] {
			if s != p.Slug && len(p.Alternatives) < 5 {
				p.Alternatives = append(p.Alternatives, s)
			}
		}
	}
	return x
}

func project(r *rand.Rand, v *vocabulary, repo, slug, owner, name string) snapshot.Project {
	p := snapshot.Project{
		Repo:        repo,
		Slug:        slug,
		Name:        name,
		Owner:       owner,
		Description: v.description(r),
		Language:    languages.pick(r),
		Topics:      []string{},
		Categories:  []string{},
	}
	if r.IntN(3) > 0 {
		p.Homepage = "https://" + name + ".dev"
	}
	total := 0
	for _, l := range licenses {
		total += l.w
	}
	k := r.IntN(total)
	for _, l := range licenses {
		if k < l.w {
			if l.spdx != "" {
				p.License = &snapshot.License{SPDX: l.spdx, Name: l.name}
			}
			break
		}
		k -= l.w
	}
	for range v.topicCount(r) {
		if t := v.topic(r); !contains(p.Topics, t) {
			p.Topics = append(p.Topics, t)
		}
	}
	if r.IntN(5) > 0 {
		p.Categories = append(p.Categories, categories[r.IntN(len(categories))].Slug)
	}
	// Stars follow a power law: most projects have few, some have very many.
	stars := int(20 / math.Pow(1-r.Float64()*0.99999, 0.9))
	p.Stars = &stars
	if r.IntN(10) > 0 {
		g := math.Round((r.NormFloat64()*3+1.5)*10) / 10
		p.Growth = &g
		s30 := int(float64(stars) * math.Max(g, 0) / 100)
		s7 := s30 / 4
		p.Stars30d, p.Stars7d = &s30, &s7
	}
	if r.IntN(12) > 0 {
		a := math.Round(r.Float64()*100) / 10
		p.Activity = &a
	}
	created := Date.AddDate(0, 0, -30-r.IntN(15*365))
	p.Created = &created
	last := Date.Add(-time.Duration(r.ExpFloat64()*60*24) * time.Hour)
	if last.Before(created) {
		last = created
	}
	p.LastCommit = &last
	p.Archived = r.IntN(25) == 0
	forks := stars / (3 + r.IntN(10))
	issues := r.IntN(1 + stars/50)
	contributors := 1 + r.IntN(1+stars/100)
	mentions := r.IntN(1 + stars/1000)
	p.Forks, p.OpenIssues, p.Contributors, p.Mentions = &forks, &issues, &contributors, &mentions
	if r.IntN(3) > 0 {
		p.Release = &snapshot.Release{Tag: fmt.Sprintf("v%d.%d.%d", r.IntN(5), r.IntN(30), r.IntN(10)), Date: last.Add(-time.Duration(r.IntN(2000)) * time.Hour)}
	}
	fetched := Date
	p.FetchedAt = &fetched
	return p
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// WriteFolder publishes x as the live snapshot of a data folder, with
// details for the first withDetails projects, so that
// the app can serve it.
func WriteFolder(dir string, x *snapshot.Index, withDetails int) error {
	snap := store.Snapshot{Index: x}
	for i := range min(withDetails, len(x.Projects)) {
		p := &x.Projects[i]
		snap.Details = append(snap.Details, &snapshot.Detail{SchemaVersion: snapshot.SchemaVersion, Repo: p.Repo, Posts: []snapshot.Post{}, StarHistory: []snapshot.StarPoint{}})
	}
	return store.PublishFolder(dir, snap)
}

// vocabulary makes descriptions and topics as varied as real ones, so that
// a synthetic index compresses like a real catalog: real descriptions are
// sentences over a large vocabulary in which a few words are frequent
// (Zipf), and topics are a long tail behind a few popular ones. Generated
// pseudo-words stand in for the rare ones.
type vocabulary struct {
	words, topics []string
	word, tag     *rand.Zipf
}

// common are the frequent words of real descriptions, most frequent first.
var common = []string{"a", "for", "and", "the", "of", "to", "with", "in", "library", "framework", "fast", "simple", "tool", "based", "web", "easy", "written", "data", "open", "source", "modern", "api", "client", "server", "application", "lightweight", "high", "performance", "support", "implementation", "on", "your", "that", "from", "using", "an", "is", "it", "go", "rust", "python", "javascript", "react", "node", "cli", "http", "json", "plugin", "powerful", "platform", "build", "apps", "code", "tiny", "type", "safe", "async", "cross"}

func newVocabulary(r *rand.Rand) *vocabulary {
	v := &vocabulary{words: append([]string{}, common...), topics: append([]string{}, topics...)}
	seen := map[string]bool{}
	for _, w := range v.words {
		seen[w] = true
	}
	for len(v.words) < 6000 {
		if w := pseudoWord(r); !seen[w] {
			seen[w] = true
			v.words = append(v.words, w)
			if len(v.topics) < 3000 && r.IntN(2) == 0 {
				v.topics = append(v.topics, w)
			}
		}
	}
	v.word = rand.NewZipf(r, 1.07, 2, uint64(len(v.words)-1))
	v.tag = rand.NewZipf(r, 1.1, 3, uint64(len(v.topics)-1))
	return v
}

var syllables = []string{"ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "ber", "con", "dex", "fer", "gra", "hub", "ix", "jet", "lex", "mon", "nex", "or", "pli", "qua", "ser", "tor", "un", "ver", "wy", "xen", "yo", "zen", "al", "es", "in", "os", "um", "ang", "ell", "ist", "ory", "ent"}

func pseudoWord(r *rand.Rand) string {
	w := ""
	for range 2 + r.IntN(3) {
		w += syllables[r.IntN(len(syllables))]
	}
	return w
}

// description is one or two sentences: a template, then for half of the
// projects a sentence of words drawn by frequency. Their gzipped size
// matches the sample's descriptions (see the test).
func (v *vocabulary) description(r *rand.Rand) string {
	d := verbs[r.IntN(len(verbs))] + " " + nouns[r.IntN(len(nouns))] + " " + forWhat[r.IntN(len(forWhat))] + "."
	if r.IntN(2) == 0 {
		n := 3 + r.IntN(7)
		s := make([]string, n)
		for i := range s {
			s[i] = v.words[v.word.Uint64()]
		}
		d += " " + strings.ToUpper(s[0][:1]) + strings.Join(s, " ")[1:] + "."
	}
	return d
}

// topicCount is how many topics a project has: many have none, some many.
func (v *vocabulary) topicCount(r *rand.Rand) int {
	if r.IntN(3) == 0 {
		return 0
	}
	return 1 + r.IntN(8)
}

func (v *vocabulary) topic(r *rand.Rand) string { return v.topics[v.tag.Uint64()] }
