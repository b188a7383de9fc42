// Package compare builds the model of a comparison of 2 to 6 projects: every
// metric row once, with each cell's display text and raw values and the best
// values marked, the chart series, and the alternatives. The compare page,
// the project page (One), the image card (SVG and PNG), Markdown and CSV
// all render this one model, so they carry the same rows.
package compare

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"versus/app/chart"
	"versus/app/dataset"
	"versus/app/format"
	"versus/app/safe"
	"versus/sync/snapshot"
)

// Bounds on how many projects one comparison holds.
const (
	MinProjects = 2
	MaxProjects = 6
)

// maxPath caps the compare path read from a URL.
const maxPath = 6*101 + 5*4 + len("/compare/")

// Comparison is everything shown about the compared projects.
type Comparison struct {
	Date         time.Time // the snapshot's date; ages count from it
	Projects     []*snapshot.Project
	Rows         []Row
	Stars        []chart.Stars       // one per project, in order: the star history's series
	Commits      []chart.Commits     // one per project, in order: the weekly commits' series
	Alternatives []*snapshot.Project // best first, none of Projects
}

// Row is one metric across the projects.
type Row struct {
	Key    string  // "stars"
	Label  string  // "Stars"
	Short  string  // a shorter label for narrow room (the image card); "" when Label is short
	Help   string  // the formula, in a sentence
	Fields []Field // the raw values of each cell, as CSV columns
	Cells  []Cell  // one per project, in order

	better int
}

// Field names one raw value of a row.
type Field struct {
	Name string // "stars", "license_spdx"
	Text bool   // free third-party text (a spreadsheet could read it as a formula)
}

// Cell is one project's value of a metric.
type Cell struct {
	Text  string   // as shown: "13,967"
	Title string   // on hover: exact value or date; may be empty
	Known bool     // false: Text says it is not known
	Best  bool     // the best known value of the row (ties share it)
	Raw   []string // one per Row.Fields: numbers without separators, RFC 3339 times, "" when unknown
	Spark []int    // values for a sparkline next to Text (commits per week), oldest first

	value    float64
	unranked bool // known in part: never best, and no rival of the others
}

// metric describes a row: how to read it off a project, and which way is better.
type metric struct {
	key, label, help string
	short            string  // a shorter label, for the card, when label is long
	source           string  // where the figure comes from, for the about page
	fields           []Field // the raw values each cell gives, in order
	// cell reads the project's value (d may be nil); Known is false when unknown.
	cell func(p *snapshot.Project, d *snapshot.Detail, now time.Time) Cell
	// better is +1 when higher wins, -1 when lower wins, 0 when no value wins.
	better int
	// always keeps the row even when no project has a value.
	always bool
}

// Help texts, shared with the about page.
const (
	HelpMentions = "The number of mentions indicates the total number of mentions that we've tracked plus the number of user suggested alternatives."
	HelpStars    = "Stars: the number of stars that a project has on GitHub."
	HelpGrowth   = "Growth: month over month growth in stars, (stars now − stars 30 days ago) ÷ stars 30 days ago × 100."
	HelpRecent   = "Stars, last 7 / 30 days: the stars gained over the last 7 days and over the last 30 days, up to the data's date. The most stars in 30 days is marked best."
	HelpActivity = "Activity is a relative number indicating how actively a project is being developed: weekly commits of the last 52 weeks, recent ones weighing more (half-life 13 weeks), ranked among all tracked projects. 9.0 means the project is among the top 10% most active."
	HelpLast     = "Last commit: the newest commit on the default branch, counted from the data's date."
	HelpCommits  = "Commits per week on the default branch over the last 52 weeks, from GitHub's commit activity statistics."
)

var metrics = []metric{
	{key: "mentions", source: "Hacker News search (stories and comments linking to the repository) and the alternatives suggested in our catalog.", label: "Mentions", help: HelpMentions, better: +1, always: true,
		fields: number("mentions"), cell: intCell(func(p *snapshot.Project) *int { return p.Mentions })},
	{key: "stars", source: "GitHub API: stargazers_count of the repository, read at each sync.", label: "Stars", help: HelpStars, better: +1, always: true,
		fields: number("stars"), cell: intCell(func(p *snapshot.Project) *int { return p.Stars })},
	{key: "growth", source: starSource, label: "Growth", help: HelpGrowth, better: +1, always: true,
		fields: number("growth_percent"), cell: func(p *snapshot.Project, _ *snapshot.Detail, _ time.Time) Cell {
			if p.Growth == nil {
				return unknown()
			}
			return Cell{Text: format.Percent(p.Growth), Known: true, value: *p.Growth, Raw: []string{floatRaw(*p.Growth)}}
		}},
	{key: "stars_recent", source: starSource, label: "Stars, last 7 / 30 days", short: "Stars, 7d / 30d", help: HelpRecent, better: +1, always: true,
		fields: []Field{{Name: "stars_7d"}, {Name: "stars_30d"}}, cell: recentCell},
	{key: "activity", source: "GitHub API: stats/commit_activity (commits per week over the last year), ranked among every tracked project.", label: "Activity", help: HelpActivity, better: +1, always: true,
		fields: number("activity"), cell: func(p *snapshot.Project, _ *snapshot.Detail, _ time.Time) Cell {
			if p.Activity == nil {
				return unknown()
			}
			return Cell{Text: format.Decimal(p.Activity), Known: true, value: *p.Activity, Raw: []string{floatRaw(*p.Activity)}}
		}},
	{key: "last_commit", source: "GitHub API: the newest commit of the default branch (commits?per_page=1).", label: "Last commit", help: HelpLast, better: +1, always: true,
		fields: number("last_commit"), cell: func(p *snapshot.Project, _ *snapshot.Detail, now time.Time) Cell {
			if p.LastCommit == nil {
				return unknown()
			}
			return Cell{Text: format.Age(*p.LastCommit, now), Title: p.LastCommit.UTC().Format("2006-01-02 15:04 UTC"), Known: true, value: float64(p.LastCommit.Unix()), Raw: []string{timeRaw(*p.LastCommit)}}
		}},
	{key: "language", source: "GitHub API: the repository's language.", label: "Language", help: "The main language of the repository, as GitHub detects it.", always: true,
		fields: []Field{{Name: "language", Text: true}}, cell: func(p *snapshot.Project, _ *snapshot.Detail, _ time.Time) Cell {
			if p.Language == "" {
				return unknown()
			}
			return Cell{Text: safe.Text(p.Language, 40), Known: true, Raw: []string{p.Language}}
		}},
	{key: "license", source: "GitHub API: the licence GitHub detects, as an SPDX id.", label: "License", help: "The licence of the repository.", always: true,
		fields: []Field{{Name: "license", Text: true}, {Name: "license_spdx", Text: true}}, cell: func(p *snapshot.Project, _ *snapshot.Detail, _ time.Time) Cell {
			if p.License == nil {
				return unknown()
			}
			name := p.License.Name
			if name == "" {
				name = p.License.SPDX
			}
			return Cell{Text: safe.Text(name, 100), Title: safe.Text(p.License.SPDX, 100), Known: true, Raw: []string{p.License.Name, p.License.SPDX}}
		}},
	{key: "contributors", source: "GitHub API: contributors?per_page=1&anon=true, reading the number of the last page.", label: "Contributors", help: "People who committed to the default branch, as GitHub counts them.", better: +1,
		fields: number("contributors"), cell: intCell(func(p *snapshot.Project) *int { return p.Contributors })},
	{key: "forks", source: "GitHub API: forks_count of the repository.", label: "Forks", help: "Forks of the repository on GitHub.", better: +1,
		fields: number("forks"), cell: intCell(func(p *snapshot.Project) *int { return p.Forks })},
	{key: "open_issues", source: "GitHub API: open_issues_count of the repository (issues and pull requests).", label: "Open issues", help: "Open issues and pull requests on GitHub.",
		fields: number("open_issues"), cell: intCell(func(p *snapshot.Project) *int { return p.OpenIssues })},
	{key: "release", source: "GitHub API: the newest published release (releases?per_page=1).", label: "Latest release", help: "The newest published release on GitHub.", better: +1,
		fields: []Field{{Name: "release_tag", Text: true}, {Name: "release_date"}}, cell: func(p *snapshot.Project, _ *snapshot.Detail, now time.Time) Cell {
			if p.Release == nil {
				return unknown()
			}
			return Cell{Text: safe.Text(p.Release.Tag, 60) + " · " + format.Age(p.Release.Date, now), Title: format.ISODate(p.Release.Date), Known: true, value: float64(p.Release.Date.Unix()),
				Raw: []string{p.Release.Tag, timeRaw(p.Release.Date)}}
		}},
	{key: "commits", source: "GitHub API: stats/commit_activity, which GitHub computes in the background (the sync retries while it answers 202 and keeps the last value if it never comes).", label: "Commits, 52 weeks", help: HelpCommits, better: +1,
		fields: number("commits"), cell: func(p *snapshot.Project, d *snapshot.Detail, now time.Time) Cell {
			var weekly *snapshot.Weekly
			if d != nil {
				weekly = d.Commits
			}
			weeks := chart.LastWeeks(weekly, now, 52)
			if len(weeks) == 0 {
				return unknown()
			}
			total := chart.Total(weeks)
			spark := make([]int, len(weeks))
			for i, w := range weeks {
				spark[i] = w.Count
			}
			return Cell{Text: format.Int(total), Known: true, value: float64(total), Raw: []string{strconv.Itoa(total)}, Spark: spark}
		}},
}

// starSource is where growth and the recent stars come from.
const starSource = "GitHub API: stargazers/history (the stars given each day and still present), counted back from today's stargazers_count, merged with the counts the sync records at each run, which win where both exist (they also count stars removed since)."

// recentCell shows the stars of the last 7 and 30 days; the 30 days rank.
func recentCell(p *snapshot.Project, _ *snapshot.Detail, _ time.Time) Cell {
	if p.Stars7d == nil && p.Stars30d == nil {
		return unknown()
	}
	c := Cell{Text: format.IntPtr(p.Stars7d) + " / " + format.IntPtr(p.Stars30d), Known: true, Raw: []string{intRaw(p.Stars7d), intRaw(p.Stars30d)}}
	if p.Stars30d == nil {
		c.unranked = true
	} else {
		c.value = float64(*p.Stars30d)
	}
	return c
}

func intRaw(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// number is the one raw field of a numeric row.
func number(name string) []Field { return []Field{{Name: name}} }

func unknown() Cell { return Cell{Text: format.Unknown, Title: "not known"} }

func intCell(get func(*snapshot.Project) *int) func(*snapshot.Project, *snapshot.Detail, time.Time) Cell {
	return func(p *snapshot.Project, _ *snapshot.Detail, _ time.Time) Cell {
		v := get(p)
		if v == nil {
			return unknown()
		}
		return Cell{Text: format.Int(*v), Known: true, value: float64(*v), Raw: []string{strconv.Itoa(*v)}}
	}
}

func floatRaw(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func timeRaw(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// UnknownError reports a slug that names no project, with the closest names.
type UnknownError struct {
	Slug    string
	Closest []*snapshot.Project
}

func (e *UnknownError) Error() string { return fmt.Sprintf("no project named %q", e.Slug) }

// ErrCount reports a comparison of too few or too many projects.
var ErrCount = fmt.Errorf("a comparison holds %d to %d projects", MinProjects, MaxProjects)

// ParsePath reads the slugs of a compare path, "/compare/tokio-vs-async-std".
// Repeated slugs are dropped.
func ParsePath(path string) ([]string, error) {
	rest, ok := strings.CutPrefix(path, "/compare/")
	if !ok || len(path) > maxPath {
		return nil, ErrCount
	}
	var slugs []string
	seen := map[string]bool{}
	for _, s := range strings.Split(strings.Trim(rest, "/"), "-vs-") {
		s = strings.ToLower(strings.TrimSpace(s))
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		slugs = append(slugs, s)
	}
	if len(slugs) < MinProjects || len(slugs) > MaxProjects {
		return slugs, ErrCount
	}
	return slugs, nil
}

// Path returns the compare path of slugs.
func Path(slugs ...string) string { return "/compare/" + strings.Join(slugs, "-vs-") }

// New compares the projects named by slugs in set s, with their details (by
// repo; nil or missing entries leave the weekly commits and star history out).
func New(s *dataset.Set, slugs []string, details map[string]*snapshot.Detail) (*Comparison, error) {
	if len(slugs) < MinProjects || len(slugs) > MaxProjects {
		return nil, ErrCount
	}
	return build(s, slugs, details)
}

// One is the model of a single project, for its page and its card: its
// metric rows (none marked best), its chart series and its alternatives.
func One(s *dataset.Set, slug string, details map[string]*snapshot.Detail) (*Comparison, error) {
	return build(s, []string{slug}, details)
}

func build(s *dataset.Set, slugs []string, details map[string]*snapshot.Detail) (*Comparison, error) {
	c := &Comparison{Date: s.Date()}
	var errs []error
	for _, slug := range slugs {
		p, ok := s.Project(slug)
		if !ok {
			errs = append(errs, &UnknownError{Slug: slug, Closest: s.Closest(slug, 3)})
			continue
		}
		c.Projects = append(c.Projects, p)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	ds := make([]*snapshot.Detail, len(c.Projects))
	for i, p := range c.Projects {
		d := details[p.Repo]
		ds[i] = d
		var stars []snapshot.StarPoint
		var weekly *snapshot.Weekly
		if d != nil {
			stars, weekly = d.StarHistory, d.Commits
		}
		c.Stars = append(c.Stars, chart.Stars{Series: i, Name: p.Name, History: stars})
		c.Commits = append(c.Commits, chart.Commits{Series: i, Name: p.Name, Weekly: weekly})
	}
	c.Rows = rows(c.Projects, ds, c.Date)
	for i := range c.Rows {
		markBest(c.Rows[i].Cells, c.Rows[i].better)
	}
	c.Alternatives = alternatives(s, c.Projects)
	return c, nil
}

// rows reads every metric of ps (with their details ds, in order), leaving
// out optional rows nobody has.
func rows(ps []*snapshot.Project, ds []*snapshot.Detail, date time.Time) []Row {
	var out []Row
	for _, m := range metrics {
		row := Row{Key: m.key, Label: m.label, Short: m.short, Help: m.help, Fields: m.fields, better: m.better}
		known := false
		for i, p := range ps {
			cell := m.cell(p, ds[i], date)
			if len(cell.Raw) < len(m.fields) {
				cell.Raw = append(cell.Raw, make([]string, len(m.fields)-len(cell.Raw))...)
			}
			known = known || cell.Known
			row.Cells = append(row.Cells, cell)
		}
		if !known && !m.always {
			continue
		}
		out = append(out, row)
	}
	return out
}

// ShortLabel is Short, or Label when the row has no shorter one.
func (r Row) ShortLabel() string {
	if r.Short != "" {
		return r.Short
	}
	return r.Label
}

// Metric explains one metric: its formula and where its figures come from.
type Metric struct {
	Key    string // also the anchor on the about page: /about#stars
	Label  string
	Help   string
	Source string
}

// Metrics lists every metric in the order of the table.
func Metrics() []Metric {
	out := make([]Metric, len(metrics))
	for i, m := range metrics {
		out[i] = Metric{Key: m.key, Label: m.label, Help: m.help, Source: m.source}
	}
	return out
}

// Slugs returns the slugs of the compared projects, in order.
func (c *Comparison) Slugs() []string {
	out := make([]string, len(c.Projects))
	for i, p := range c.Projects {
		out[i] = p.Slug
	}
	return out
}

// Title is "tokio vs async-std".
func (c *Comparison) Title() string {
	names := make([]string, len(c.Projects))
	for i, p := range c.Projects {
		names[i] = p.Name
	}
	return strings.Join(names, " vs ")
}

// markBest marks the best known cells; ties share it, and nothing wins when
// fewer than two values are known or all known values are equal.
func markBest(cells []Cell, better int) {
	if better == 0 {
		return
	}
	best, n := 0.0, 0
	for _, c := range cells {
		if !c.Known || c.unranked {
			continue
		}
		if n == 0 || float64(better)*c.value > float64(better)*best {
			best = c.value
		}
		n++
	}
	if n < 2 {
		return
	}
	ranked := func(c Cell) bool { return c.Known && !c.unranked && c.value == best }
	winners := 0
	for _, c := range cells {
		if ranked(c) {
			winners++
		}
	}
	if winners == n {
		return
	}
	for i := range cells {
		cells[i].Best = ranked(cells[i])
	}
}

// alternatives merges the ranked alternatives of every compared project:
// best rank first, then listed by more of them, then more stars.
func alternatives(s *dataset.Set, ps []*snapshot.Project) []*snapshot.Project {
	type cand struct {
		p     *snapshot.Project
		rank  int
		lists int
	}
	in := map[string]bool{}
	for _, p := range ps {
		in[p.Slug] = true
	}
	byslug := map[string]*cand{}
	var cands []*cand
	for _, p := range ps {
		for r, slug := range p.Alternatives {
			if in[slug] {
				continue
			}
			if c, ok := byslug[slug]; ok {
				c.rank = min(c.rank, r)
				c.lists++
				continue
			}
			alt, ok := s.Project(slug)
			if !ok {
				continue
			}
			c := &cand{p: alt, rank: r, lists: 1}
			byslug[slug] = c
			cands = append(cands, c)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if a.lists != b.lists {
			return a.lists > b.lists
		}
		return starsOf(a.p) > starsOf(b.p)
	})
	out := make([]*snapshot.Project, len(cands))
	for i, c := range cands {
		out[i] = c.p
	}
	return out
}

func starsOf(p *snapshot.Project) int {
	if p.Stars == nil {
		return -1
	}
	return *p.Stars
}
