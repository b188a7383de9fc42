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
			c.cmp, c.err = compare.New(r.set, slugs, r.details)
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
		newExportMenu(cmp),
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
		return app.Section().Class("head", "s"+strconv.Itoa(chart.Series(i))).Aria("label", p.Name).Body(
			app.H2().Body(
				app.Span().Class("swatch", "s"+strconv.Itoa(chart.Series(i))),
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

// tableView is the metric table, best values marked.
func (c *comparePage) tableView() app.UI {
	cmp := c.cmp
	return app.Div().Class("table-wrap").Body(app.Table().Class("metrics").Body(
		app.Caption().Class("sr-only").Text("Metrics of "+cmp.Title()+"; the best value of each row is marked."),
		app.THead().Body(app.Tr().Body(
			app.Td(),
			app.Range(cmp.Projects).Slice(func(i int) app.UI {
				return app.Th().Scope("col").Body(
					app.Span().Class("swatch", "s"+strconv.Itoa(chart.Series(i))),
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
					if cell.Spark != nil {
						return sparkCell(cell, "Commits per week of "+cmp.Projects[j].Name+", last 52 weeks", j)
					}
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
		})),
	))
}

// sparkCell shows a known value with its sparkline (the commits of the last
// 52 weeks), the star of a best value after the number, not the sparkline.
func sparkCell(cell compare.Cell, label string, series int) app.UI {
	td := app.Td()
	var mark app.UI
	if cell.Best {
		td = td.Class("best", "best-inline")
		mark = app.Span().Class("star").Body(app.Span().Class("sr-only").Text(" (best)"))
	}
	return td.Body(app.Text(cell.Text), mark, sparkline(series, label, cell.Spark))
}

// chartsView draws the star history, the stars gained and the weekly
// commits of the projects, each in its colour.
func (c *comparePage) chartsView() app.UI {
	id := strings.Join(c.cmp.Slugs(), "-")
	return app.Section().Class("charts").Body(
		app.H2().Text("Star history"),
		newStarHistory("stars-"+id, c.cmp.Stars),
		gainsView("gains-"+id, c.cmp.Stars),
		app.H2().Text("Weekly commits"),
		commitsChart("commits-"+id, c.cmp.Commits, c.cmp.Date),
	)
}

func legend() app.UI {
	return app.Div().Class("legend").Body(
		app.P().Text(compare.HelpMentions),
		app.P().Text(compare.HelpStars+" "+compare.HelpGrowth+" "+compare.HelpRecent),
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
