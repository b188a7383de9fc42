// Package catalog loads and checks sync/catalog.yaml: the tracked projects,
// their categories, the alternatives users suggested for them, and the rules
// that discover more projects through GitHub search.
package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"versus/sync/snapshot"
)

// Catalog is a checked catalog.
type Catalog struct {
	Categories []snapshot.Category
	Projects   []Project
	Discover   []Rule // run through GitHub search; see WithDiscovered
}

// Rule discovers projects: the repositories GitHub search finds with a
// topic and/or a language and at least MinStars stars, the most starred
// first, at most Max.
type Rule struct {
	Topic    string
	Language string
	MinStars int
	Category string // given to what the rule finds; "" for none
	Max      int
	Line     int
}

// Qualifiers returns the rule as GitHub search qualifiers, without stars.
func (r Rule) Qualifiers() string {
	var q []string
	if r.Topic != "" {
		q = append(q, "topic:"+r.Topic)
	}
	if r.Language != "" {
		q = append(q, "language:"+quoteQualifier(r.Language))
	}
	return strings.Join(q, " ")
}

func quoteQualifier(v string) string {
	if strings.ContainsAny(v, " \t") {
		return `"` + v + `"`
	}
	return v
}

// Project is one tracked repository.
type Project struct {
	Repo         string   // "tokio-rs/tokio", as written in the catalog
	Slug         string   // resolved: explicit, the lowercase name, or "owner--name"
	Categories   []string // category slugs
	Alternatives []string // user-suggested alternatives, by repo
	Line         int      // line of the entry in the file, or of the rule that found it
	Discovered   bool     // found by a rule, not listed by hand
}

// Load reads and checks the catalog at path.
func Load(path string) (*Catalog, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	c, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", path, err)
	}
	return c, nil
}

// Problem is one thing wrong in a catalog, at a line.
type Problem struct {
	Line int
	Msg  string
}

func (p Problem) Error() string { return fmt.Sprintf("line %d: %s", p.Line, p.Msg) }

// Parse checks a catalog. Its error joins one Problem per mistake, each with
// its line number: duplicates, malformed names, unknown categories and
// alternatives, and slug clashes.
func Parse(data []byte) (*Catalog, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&root); err != nil {
		return nil, fmt.Errorf("parse yaml: %w", err)
	}
	var p parser
	c := p.document(&root)
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return c, nil
}

type parser struct {
	errs []error
}

func (p *parser) add(line int, format string, args ...any) {
	p.errs = append(p.errs, Problem{Line: line, Msg: fmt.Sprintf(format, args...)})
}

// rawCategory and rawProject mirror the YAML; Node gives each its line.
type rawCategory struct {
	Slug        string `yaml:"slug"`
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
}

type rawProject struct {
	Repo         string   `yaml:"repo"`
	Slug         string   `yaml:"slug"`
	Categories   []string `yaml:"categories"`
	Alternatives []string `yaml:"alternatives"`
}

func (p *parser) document(root *yaml.Node) *Catalog {
	doc := root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	if doc.Kind != yaml.MappingNode {
		p.add(doc.Line, "the catalog must be a mapping with categories and projects")
		return nil
	}
	var catNode, projNode, ruleNode *yaml.Node
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		switch k.Value {
		case "categories":
			catNode = v
		case "projects":
			projNode = v
		case "discover":
			ruleNode = v
		default:
			p.add(k.Line, "unknown key %q (want categories, projects or discover)", k.Value)
		}
	}
	if catNode == nil || projNode == nil {
		p.add(doc.Line, "the catalog needs both categories and projects")
		return nil
	}
	c := &Catalog{}
	cats := p.categories(catNode, c)
	p.projects(projNode, c, cats)
	if ruleNode != nil {
		p.rules(ruleNode, c, cats)
	}
	return c
}

// Rule limits: GitHub search reaches any number of results in star ranges,
// but one rule should not swallow a run's quota.
const (
	defaultRuleMax = 1000
	maxRuleMax     = 20000
)

type rawRule struct {
	Topic    string `yaml:"topic"`
	Language string `yaml:"language"`
	MinStars *int   `yaml:"min_stars"`
	Category string `yaml:"category"`
	Max      *int   `yaml:"max"`
}

func (p *parser) rules(n *yaml.Node, c *Catalog, cats map[string]bool) {
	if n.Kind != yaml.SequenceNode {
		p.add(n.Line, "discover must be a list")
		return
	}
	for _, item := range n.Content {
		var rr rawRule
		p.keys(item, "topic", "language", "min_stars", "category", "max")
		if err := item.Decode(&rr); err != nil {
			p.add(item.Line, "discover: %v", err)
			continue
		}
		r := Rule{Topic: strings.ToLower(strings.TrimSpace(rr.Topic)), Language: strings.TrimSpace(rr.Language),
			Category: rr.Category, Max: defaultRuleMax, Line: item.Line}
		ok := true
		switch {
		case r.Topic == "" && r.Language == "":
			p.add(item.Line, "a discover rule needs a topic or a language")
			ok = false
		case r.Topic != "" && !validTopic(r.Topic):
			p.add(item.Line, "topic %q is not lowercase letters, digits and '-' (at most 50)", rr.Topic)
			ok = false
		case strings.ContainsAny(r.Language, "\"\n:"):
			p.add(item.Line, "language %q holds a quote, a colon or a line break", r.Language)
			ok = false
		}
		if rr.MinStars == nil || *rr.MinStars < 1 {
			p.add(item.Line, "a discover rule needs min_stars of at least 1")
			ok = false
		} else {
			r.MinStars = *rr.MinStars
		}
		if rr.Max != nil {
			if *rr.Max < 1 || *rr.Max > maxRuleMax {
				p.add(item.Line, "max %d is outside 1 to %d", *rr.Max, maxRuleMax)
				ok = false
			}
			r.Max = *rr.Max
		}
		if r.Category != "" && !cats[r.Category] {
			p.add(item.Line, "discover: unknown category %q", r.Category)
			ok = false
		}
		if ok {
			c.Discover = append(c.Discover, r)
		}
	}
}

// validTopic reports whether t is a GitHub topic: lowercase letters, digits
// and hyphens, at most 50, not starting with a hyphen.
func validTopic(t string) bool {
	if len(t) > 50 || strings.HasPrefix(t, "-") {
		return false
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// WithDiscovered returns the catalog with the repositories its rules found
// added: found[i] holds what rule c.Discover[i] found ("owner/name"). Hand
// listed entries win: they keep their slug and categories. A repository
// found by several rules is listed once, with each rule's category. A
// discovered project takes its lowercase name as slug, or "owner--name"
// when that is taken; one whose slug would still clash or be invalid is
// left out. Only the rules' own limits bound how many are added.
func (c *Catalog) WithDiscovered(found [][]string) *Catalog {
	out := &Catalog{Categories: c.Categories, Discover: c.Discover, Projects: slices.Clone(c.Projects)}
	index := map[string]int{} // lowercase repo → position in out.Projects
	slugs := map[string]bool{}
	for i, pr := range out.Projects {
		index[strings.ToLower(pr.Repo)] = i
		slugs[pr.Slug] = true
	}
	for i, repos := range found {
		if i >= len(c.Discover) {
			break
		}
		rule := c.Discover[i]
		for _, repo := range repos[:min(len(repos), rule.Max)] {
			k := strings.ToLower(repo)
			if j, ok := index[k]; ok {
				pr := &out.Projects[j]
				if pr.Discovered && rule.Category != "" && !slices.Contains(pr.Categories, rule.Category) {
					pr.Categories = append(slices.Clone(pr.Categories), rule.Category)
				}
				continue
			}
			if !snapshot.ValidRepo(repo) {
				continue
			}
			slug := defaultSlug(repo)
			if slugs[slug] || !snapshot.ValidSlug(slug) {
				slug = strings.ToLower(strings.Replace(repo, "/", "--", 1))
			}
			if slugs[slug] || !snapshot.ValidSlug(slug) {
				continue
			}
			var cats []string
			if rule.Category != "" {
				cats = []string{rule.Category}
			}
			slugs[slug] = true
			index[k] = len(out.Projects)
			out.Projects = append(out.Projects, Project{Repo: repo, Slug: slug, Categories: cats, Line: rule.Line, Discovered: true})
		}
	}
	return out
}

func (p *parser) categories(n *yaml.Node, c *Catalog) map[string]bool {
	cats := map[string]bool{}
	if n.Kind != yaml.SequenceNode {
		p.add(n.Line, "categories must be a list")
		return cats
	}
	lines := map[string]int{}
	for _, item := range n.Content {
		var rc rawCategory
		p.keys(item, "slug", "name", "description")
		if err := item.Decode(&rc); err != nil {
			p.add(item.Line, "category: %v", err)
			continue
		}
		switch {
		case !snapshot.ValidSlug(rc.Slug):
			p.add(item.Line, "category slug %q is not lowercase letters, digits, '.', '_' or '-'", rc.Slug)
		case lines[rc.Slug] != 0:
			p.add(item.Line, "category %q is already defined on line %d", rc.Slug, lines[rc.Slug])
		}
		if strings.TrimSpace(rc.Name) == "" {
			p.add(item.Line, "category %q has no name", rc.Slug)
		}
		if strings.TrimSpace(rc.Description) == "" {
			p.add(item.Line, "category %q has no description", rc.Slug)
		}
		if lines[rc.Slug] == 0 {
			lines[rc.Slug] = item.Line
		}
		cats[rc.Slug] = true
		c.Categories = append(c.Categories, snapshot.Category{Slug: rc.Slug, Name: rc.Name, Description: rc.Description})
	}
	return cats
}

// keys reports keys of a mapping other than the allowed ones: a typo such as
// "categorys" would otherwise be silently ignored.
func (p *parser) keys(n *yaml.Node, allowed ...string) {
	if n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(allowed, k.Value) {
			p.add(k.Line, "unknown key %q (want one of %s)", k.Value, strings.Join(allowed, ", "))
		}
	}
}

func (p *parser) projects(n *yaml.Node, c *Catalog, cats map[string]bool) {
	if n.Kind != yaml.SequenceNode {
		p.add(n.Line, "projects must be a list")
		return
	}
	repoLine := map[string]int{} // lowercase repo → line
	for _, item := range n.Content {
		var rp rawProject
		p.keys(item, "repo", "slug", "categories", "alternatives")
		if err := item.Decode(&rp); err != nil {
			p.add(item.Line, "project: %v", err)
			continue
		}
		ok := true
		key := strings.ToLower(rp.Repo)
		switch {
		case !snapshot.ValidRepo(rp.Repo):
			p.add(item.Line, "repo %q is not of the form owner/name", rp.Repo)
			ok = false
		case repoLine[key] != 0:
			p.add(item.Line, "repo %q is already listed on line %d", rp.Repo, repoLine[key])
			ok = false
		}
		if rp.Slug != "" && !snapshot.ValidSlug(rp.Slug) {
			p.add(item.Line, "slug %q is not lowercase letters, digits, '.', '_' or '-' (and never holds \"-vs-\")", rp.Slug)
		}
		if len(rp.Categories) == 0 {
			p.add(item.Line, "repo %q has no category", rp.Repo)
		}
		for _, cat := range rp.Categories {
			if !cats[cat] {
				p.add(item.Line, "repo %q: unknown category %q", rp.Repo, cat)
			}
		}
		if !ok {
			continue
		}
		repoLine[key] = item.Line
		c.Projects = append(c.Projects, Project{
			Repo: rp.Repo, Slug: rp.Slug, Categories: rp.Categories,
			Alternatives: rp.Alternatives, Line: item.Line,
		})
	}
	for _, pr := range c.Projects {
		for _, alt := range pr.Alternatives {
			switch {
			case repoLine[strings.ToLower(alt)] == 0:
				p.add(pr.Line, "repo %q: alternative %q is not a tracked project", pr.Repo, alt)
			case strings.EqualFold(alt, pr.Repo):
				p.add(pr.Line, "repo %q lists itself as an alternative", pr.Repo)
			}
		}
	}
	p.slugs(c.Projects)
}

// slugs resolves default slugs and reports clashes. A default slug is the
// lowercase name; when it clashes with another project's name or an explicit
// slug, it becomes "owner--name".
func (p *parser) slugs(projects []Project) {
	names := map[string]int{} // default-slug candidates → count
	explicit := map[string]bool{}
	for _, pr := range projects {
		if pr.Slug != "" {
			explicit[pr.Slug] = true
			continue
		}
		names[defaultSlug(pr.Repo)]++
	}
	used := map[string]int{} // slug → line
	for i := range projects {
		pr := &projects[i]
		if pr.Slug == "" {
			s := defaultSlug(pr.Repo)
			if names[s] > 1 || explicit[s] {
				s = strings.ToLower(strings.Replace(pr.Repo, "/", "--", 1))
			}
			pr.Slug = s
		}
		if !snapshot.ValidSlug(pr.Slug) {
			if pr.Slug != "" && !explicit[pr.Slug] {
				p.add(pr.Line, "repo %q: its slug %q is not valid (set slug: explicitly)", pr.Repo, pr.Slug)
			}
			continue
		}
		if l := used[pr.Slug]; l != 0 {
			p.add(pr.Line, "repo %q: slug %q clashes with the project on line %d", pr.Repo, pr.Slug, l)
			continue
		}
		used[pr.Slug] = pr.Line
	}
}

func defaultSlug(repo string) string {
	_, name, _ := strings.Cut(repo, "/")
	return strings.ToLower(name)
}

// ByRepo returns the project with the given repo (case-insensitive).
func (c *Catalog) ByRepo(repo string) (Project, bool) {
	for _, p := range c.Projects {
		if strings.EqualFold(p.Repo, repo) {
			return p, true
		}
	}
	return Project{}, false
}

// SuggestedCount returns, for each tracked repo (lowercase), how many catalog
// entries suggest it as an alternative.
func (c *Catalog) SuggestedCount() map[string]int {
	n := map[string]int{}
	for _, p := range c.Projects {
		for _, a := range p.Alternatives {
			n[strings.ToLower(a)]++
		}
	}
	return n
}
