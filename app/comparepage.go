package main

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/chart"
	"versus/app/compare"
	"versus/app/dataset"
	"versus/app/format"
	"versus/app/safe"
	"versus/sync/snapshot"
)

// comparePage shows 2 to 6 projects side by side: /compare/tokio-vs-async-std.
type comparePage struct {
	app.Compo

	src *dataset.Loader

	ready bool
	data  loaded
	slugs []string
	cmp   *compare.Comparison
	err   error
	now   time.Time // the viewer's clock, for the age of the data
}

func newComparePage(src *dataset.Loader) *comparePage { return &comparePage{src: src} }

func (c *comparePage) OnPreRender(ctx app.Context) { c.init(ctx) }
func (c *comparePage) OnNav(ctx app.Context)       { c.init(ctx) }

func (c *comparePage) init(ctx app.Context) {
	slugs, err := compare.ParsePath(ctx.Page().URL().Path)
	c.slugs = slugs
	need := func(set *dataset.Set) []string {
		var repos []string
		for _, s := range slugs {
			if p, ok := set.Project(s); ok {
				repos = append(repos, p.Repo)
			}
		}
		return repos
	}
	if err != nil {
		need = nil
	}
	load(ctx, c.src, need, func(ctx app.Context, r loaded) {
		c.ready, c.data, c.cmp, c.err, c.now = true, r, nil, r.err, time.Now()
		if c.err == nil {
			c.err = err
		}
		if c.err == nil {
			c.cmp, c.err = compare.New(r.set, slugs)
		}
		c.setMeta(ctx)
	})
}

func (c *comparePage) setMeta(ctx app.Context) {
	if c.cmp == nil {
		ctx.Page().SetTitle("Compare projects · versus")
		return
	}
	title := c.cmp.Title()
	ctx.Page().SetTitle(title + " · versus")
	ctx.Page().SetDescription("Compare " + strings.Join(c.cmp.Slugs(), " and ") + ": stars, growth, activity, last commit, mentions, licence and alternatives, side by side.")
}

func (c *comparePage) Render() app.UI {
	switch {
	case !c.ready:
		return shell(nil, loadingView())
	case c.err != nil:
		return shell(c.data.set, c.problemView())
	}
	cmp := c.cmp
	return shell(c.data.set, app.Article().Class("compare").Body(
		app.H1().Body(titleParts(cmp)...),
		app.P().Class("lede").Text("Compare "+joinNames(cmp.Projects, " and ")+" and see what are their differences."),
		newExportMenu(cmp, c.data.details),
		warningsView(cmp.Warnings(c.now), cmp.Date),
		c.headsView(),
		newPicker(c.data.set, cmp.Slugs()),
		c.tableView(),
		legend(),
		c.chartsView(),
		c.postsView(),
		c.alternativesView(),
	))
}

func titleParts(cmp *compare.Comparison) []app.UI {
	var out []app.UI
	for i, p := range cmp.Projects {
		if i > 0 {
			out = append(out, app.Span().Class("vs").Text(" vs "))
		}
		out = append(out, app.Span().Text(p.Name))
	}
	return out
}

func joinNames(ps []*snapshot.Project, last string) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + last + names[len(names)-1]
}

// headsView shows each project's description and owner, as the seed page
// does, in the project's colour, with a link that removes it.
func (c *comparePage) headsView() app.UI {
	slugs := c.cmp.Slugs()
	return app.Div().Class("heads").Body(app.Range(c.cmp.Projects).Slice(func(i int) app.UI {
		p := c.cmp.Projects[i]
		var remove app.UI
		if len(slugs) > compare.MinProjects {
			rest := append(append([]string{}, slugs[:i]...), slugs[i+1:]...)
			remove = app.A().Class("remove").Href("%s", compare.Path(rest...)).
				Aria("label", "Remove "+p.Name+" from the comparison").Title("Remove %s", p.Name).Text("×")
		}
		return app.Section().Class("head", "s"+strconv.Itoa(i%len(chart.Palette))).Aria("label", p.Name).Body(
			app.H2().Body(
				app.Span().Class("swatch", "s"+strconv.Itoa(i%len(chart.Palette))),
				app.A().Href("%s", "/p/"+p.Slug).Text(p.Name),
				archivedBadge(p),
			),
			remove,
			app.P().Class("desc").Body(
				app.Text(descriptionOf(p)),
				app.Span().Class("owner").Text(" (by "+p.Owner+")"),
			),
			app.P().Class("home").Body(
				app.A().Href("%s", "https://github.com/"+p.Repo).Rel("noopener").Text("GitHub"),
				homepageLink(p),
			),
		)
	}))
}

func descriptionOf(p *snapshot.Project) string {
	if strings.TrimSpace(p.Description) == "" {
		return "No description."
	}
	return safe.Text(p.Description, 300)
}

// tableView is the metric table, best values marked.
func (c *comparePage) tableView() app.UI {
	cmp := c.cmp
	return app.Div().Class("table-wrap").Body(app.Table().Class("metrics").Body(
		app.Caption().Class("sr-only").Text("Metrics of "+cmp.Title()+"; the best value of each row is marked."),
		app.THead().Body(app.Tr().Body(
			app.Td(),
			app.Range(cmp.Projects).Slice(func(i int) app.UI {
				return app.Th().Scope("col").Body(
					app.Span().Class("swatch", "s"+strconv.Itoa(i%len(chart.Palette))),
					app.Text(cmp.Projects[i].Name),
				)
			}),
		)),
		app.TBody().Body(app.Range(cmp.Rows).Slice(func(i int) app.UI {
			row := cmp.Rows[i]
			return app.Tr().DataSet("row", row.Key).Body(
				app.Th().Scope("row").Body(
					app.A().Href("/about#"+row.Key).Title("%s", row.Help).Text(row.Label),
				),
				app.Range(row.Cells).Slice(func(j int) app.UI {
					cell := row.Cells[j]
					td := app.Td().Title("%s", safe.Attr(cell.Title, 200))
					if cell.Best {
						return td.Class("best").Body(
							app.Text(cell.Text),
							app.Span().Class("sr-only").Text(" (best)"),
						)
					}
					if !cell.Known {
						td = td.Class("unknown")
					}
					return td.Text(cell.Text)
				}),
			)
		}), c.commitsRow()),
	))
}

// commitsRow shows each project's commits of the last 52 weeks with a
// sparkline, the most marked best; nothing when no project has them.
func (c *comparePage) commitsRow() app.UI {
	type cell struct {
		known  bool
		total  int
		counts []int
	}
	cells := make([]cell, len(c.cmp.Projects))
	best, known := -1, 0
	for i, p := range c.cmp.Projects {
		weeks := chart.LastWeeks(commitsOf(c.data.details[p.Repo]), c.cmp.Date, 52)
		if len(weeks) == 0 {
			continue
		}
		cells[i] = cell{known: true, total: chart.Total(weeks)}
		for _, w := range weeks {
			cells[i].counts = append(cells[i].counts, w.Count)
		}
		best = max(best, cells[i].total)
		known++
	}
	if known == 0 {
		return nil
	}
	allEqual := true
	for _, x := range cells {
		if x.known && x.total != best {
			allEqual = false
		}
	}
	return app.Tr().DataSet("row", "commits").Body(
		app.Th().Scope("row").Body(app.A().Href("/about#commits").Title("%s", helpCommits).Text("Commits, 52 weeks")),
		app.Range(cells).Slice(func(i int) app.UI {
			x := cells[i]
			if !x.known {
				return app.Td().Class("unknown").Title("not known").Text(format.Unknown)
			}
			td := app.Td()
			var mark app.UI
			if known > 1 && !allEqual && x.total == best {
				// The star goes after the number, not after the sparkline.
				td = td.Class("best", "best-inline")
				mark = app.Span().Class("star").Body(app.Span().Class("sr-only").Text(" (best)"))
			}
			return td.Body(
				app.Text(format.Int(x.total)),
				mark,
				sparkline(i, "Commits per week of "+c.cmp.Projects[i].Name+", last 52 weeks", x.counts),
			)
		}),
	)
}

// chartsView draws the star history and the weekly commits of the projects,
// each in its colour.
func (c *comparePage) chartsView() app.UI {
	var stars []chart.Stars
	var commits []chart.Commits
	for i, p := range c.cmp.Projects {
		d := c.data.details[p.Repo]
		stars = append(stars, chart.Stars{Series: i, Name: p.Name, History: starsOf(d)})
		commits = append(commits, chart.Commits{Series: i, Name: p.Name, Weekly: commitsOf(d)})
	}
	id := strings.Join(c.cmp.Slugs(), "-")
	return app.Section().Class("charts").Body(
		app.H2().Text("Star history"),
		newStarHistory("stars-"+id, stars),
		app.H2().Text("Weekly commits"),
		commitsChart("commits-"+id, commits, c.cmp.Date),
	)
}

func legend() app.UI {
	return app.Div().Class("legend").Body(
		app.P().Text(compare.HelpMentions),
		app.P().Text(compare.HelpStars+" "+compare.HelpGrowth),
		app.P().Text(compare.HelpActivity),
	)
}

// postsView lists the posts that mention each project.
func (c *comparePage) postsView() app.UI {
	return app.Div().Class("posts").Body(app.Range(c.cmp.Projects).Slice(func(i int) app.UI {
		p := c.cmp.Projects[i]
		return postsOf(p, c.data.details[p.Repo], c.data.derrs[p.Repo])
	}))
}

func postsOf(p *snapshot.Project, d *snapshot.Detail, err error) app.UI {
	sec := app.Section().Class("postlist")
	head := app.H2().Text("Posts with mentions or reviews of " + p.Name)
	switch {
	case err != nil:
		return sec.Body(head, app.P().Class("error").Text("The posts could not be loaded: "+err.Error()))
	case d == nil || len(d.Posts) == 0:
		return sec.Body(head, app.P().Class("muted").Text("No posts recorded yet."))
	}
	return sec.Body(
		head,
		app.P().Class("muted").Text("The last one was on "+format.ISODate(d.Posts[0].Date)+"."),
		app.Ul().Body(app.Range(d.Posts).Slice(func(i int) app.UI {
			post := d.Posts[i]
			return app.Li().Body(
				app.P().Class("post-title").Body(link(post.URL, safe.Text(post.Title, 200))),
				app.P().Class("post-meta").Body(
					app.Span().Text(projectsLabel(post.Projects)),
					app.Text(" · "),
					app.Time().DateTime(format.ISODate(post.Date)).Text(format.Date(post.Date)),
				),
				app.If(post.Excerpt != "", app.P().Class("excerpt").Text(safe.Text(post.Excerpt, 400))),
			)
		})),
	)
}

func projectsLabel(n int) string {
	if n == 1 {
		return "1 project"
	}
	return format.Int(n) + " projects"
}

// alternativesView lists other projects to consider, each with a link that
// adds it to the comparison.
func (c *comparePage) alternativesView() app.UI {
	cmp := c.cmp
	if len(cmp.Alternatives) == 0 {
		return nil
	}
	slugs := cmp.Slugs()
	return app.Section().Class("alternatives").Body(
		app.H2().Text("What are some alternatives?"),
		app.P().Text("When comparing "+joinNames(cmp.Projects, " and ")+" you can also consider the following projects:"),
		app.Ul().Body(app.Range(cmp.Alternatives).Slice(func(i int) app.UI {
			a := cmp.Alternatives[i]
			var add app.UI
			if len(slugs) < compare.MaxProjects {
				add = app.A().Class("add").Href("%s", compare.Path(append(slugs[:len(slugs):len(slugs)], a.Slug)...)).
					Title("Add %s to this comparison", a.Name).Text("+ compare")
			}
			return app.Li().Body(
				app.A().Class("alt-name").Href("%s", compare.Path(slugs[0], a.Slug)).Text(a.Name),
				app.Span().Class("alt-desc").Text(" – "+descriptionOf(a)),
				app.Text(" "),
				add,
			)
		})),
	)
}

// problemView explains what went wrong, with ways forward.
func (c *comparePage) problemView() app.UI {
	if errors.Is(c.err, compare.ErrCount) {
		return problem("Pick 2 to 6 projects",
			app.P().Text("A comparison holds between 2 and 6 projects, joined by “-vs-” in the address, like /compare/tokio-vs-async-std."),
			app.P().Body(app.A().Href("/").Text("Browse the projects")),
		)
	}
	var unknown []*compare.UnknownError
	for _, e := range unwrapAll(c.err) {
		var u *compare.UnknownError
		if errors.As(e, &u) {
			unknown = append(unknown, u)
		}
	}
	if len(unknown) == 0 {
		return problem("The data could not be loaded",
			app.P().Class("error").Text(c.err.Error()),
			app.P().Text("Reload the page to try again."),
		)
	}
	return problem("Unknown project", app.Range(unknown).Slice(func(i int) app.UI {
		u := unknown[i]
		var did []app.UI
		for j, p := range u.Closest {
			if j > 0 {
				did = append(did, app.Text(", "))
			}
			did = append(did, app.A().Href("%s", compare.Path(replace(c.slugs, u.Slug, p.Slug)...)).Text(p.Name))
		}
		return app.Div().Body(
			app.P().Text("No project named “"+safe.Text(u.Slug, 100)+"”."),
			app.If(len(did) > 0, app.P().Body(append([]app.UI{app.Text("Did you mean ")}, append(did, app.Text("?"))...)...)),
		)
	}), app.P().Body(app.A().Href("/").Text("Browse all projects")))
}

func unwrapAll(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func replace(slugs []string, old, new string) []string {
	out := make([]string, len(slugs))
	for i, s := range slugs {
		if s == old {
			s = new
		}
		out[i] = s
	}
	return out
}
