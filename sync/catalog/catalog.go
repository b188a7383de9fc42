// Package catalog loads and checks sync/catalog.yaml: the tracked projects,
// their categories and the alternatives users suggested for them.
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
}

// Project is one tracked repository.
type Project struct {
	Repo         string   // "tokio-rs/tokio", as written in the catalog
	Slug         string   // resolved: explicit, the lowercase name, or "owner--name"
	Categories   []string // category slugs
	Alternatives []string // user-suggested alternatives, by repo
	Line         int      // line of the entry in the file
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
	var catNode, projNode *yaml.Node
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		switch k.Value {
		case "categories":
			catNode = v
		case "projects":
			projNode = v
		default:
			p.add(k.Line, "unknown key %q (want categories or projects)", k.Value)
		}
	}
	if catNode == nil || projNode == nil {
		p.add(doc.Line, "the catalog needs both categories and projects")
		return nil
	}
	c := &Catalog{}
	cats := p.categories(catNode, c)
	p.projects(projNode, c, cats)
	return c
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
