package main

import (
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/compare"
	"versus/app/dataset"
	"versus/app/format"
	"versus/app/safe"
	"versus/sync/snapshot"
)

// maxSlug caps the slug read from a /p/ path (slugs are at most 101 bytes).
const maxSlug = 101

// projectPage shows everything known about one project and its ranked
// alternatives: /p/tokio.
type projectPage struct {
	app.Compo

	src *dataset.Loader

	ready bool
	data  loaded
	slug  string
	p     *snapshot.Project
	one   *compare.Comparison // p's model: its rows and chart series
	err   error
	now   time.Time
}

func newProjectPage(src *dataset.Loader) *projectPage { return &projectPage{src: src} }

func (pp *projectPage) OnPreRender(ctx app.Context) { pp.init(ctx) }
func (pp *projectPage) OnNav(ctx app.Context)       { pp.init(ctx) }

// slugOf reads the slug of a /p/ path.
func slugOf(path string) string {
	s := strings.ToLower(strings.Trim(strings.TrimPrefix(path, "/p/"), "/"))
	if len(s) > maxSlug {
		s = s[:maxSlug]
	}
	return s
}

func (pp *projectPage) init(ctx app.Context) {
	slug := slugOf(ctx.Page().URL().Path)
	pp.slug = slug
	need := func(set *dataset.Set) []string {
		if p, ok := set.Project(slug); ok {
			return []string{p.Repo}
		}
		return nil
	}
	load(ctx, pp.src, need, func(ctx app.Context, r loaded) {
		pp.ready, pp.data, pp.err, pp.p, pp.one, pp.now = true, r, r.err, nil, nil, time.Now()
		if r.err == nil {
			if one, err := compare.One(r.set, slug, r.details); err == nil {
				pp.p, pp.one = one.Projects[0], one
			}
		}
		if pp.p == nil {
			ctx.Page().SetTitle("Unknown project · versus")
			return
		}
		ctx.Page().SetTitle(pp.p.Name + ": stars, activity and alternatives · versus")
		ctx.Page().SetDescription(safe.Attr(pp.p.Name+": "+descriptionOf(pp.p), 160))
	})
}

func (pp *projectPage) Render() app.UI {
	switch {
	case !pp.ready:
		return shell(nil, loadingView())
	case pp.err != nil:
		return shell(nil, problem("The data could not be loaded", app.P().Class("error").Text(pp.err.Error()), app.P().Text("Reload the page to try again.")))
	case pp.p == nil:
		return shell(pp.data.set, pp.unknownView())
	}
	p, set := pp.p, pp.data.set
	d := pp.data.details[p.Repo]
	warnings := compare.ProjectWarnings(p, set.Date())
	var history []snapshot.StarPoint
	if d != nil {
		history = d.StarHistory
	}
	if w, ok := compare.BurstWarning(p, history); ok {
		warnings = append(warnings, w)
	}
	if w, ok := compare.DataWarning(set.Date(), pp.now); ok {
		warnings = append(warnings, w)
	}
	return shell(set, app.Article().Class("project").Body(
		app.H1().Body(
			app.Span().Class("swatch", "s0"),
			app.Text(p.Name),
			archivedBadge(p),
		),
		app.P().Class("lede").Body(
			app.Text(descriptionOf(p)),
			app.Span().Class("owner").Text(" (by "+p.Owner+")"),
		),
		app.P().Class("links").Body(
			app.A().Href("%s", "https://github.com/"+p.Repo).Rel("noopener").Text("github.com/"+p.Repo),
			homepageLink(p),
		),
		warningsView(warnings, set.Date()),
		pp.factsView(),
		app.H2().Text("Metrics"),
		metricTable(p.Name, pp.one.Rows),
		app.Section().Class("charts").Body(
			app.H2().Text("Star history"),
			newStarHistory("stars-"+p.Slug, pp.one.Stars),
			gainsView("gains-"+p.Slug, pp.one.Stars),
			app.H2().Text("Weekly commits"),
			commitsChart("commits-"+p.Slug, pp.one.Commits, set.Date()),
		),
		pp.alternativesView(),
		app.Div().Class("posts", "single").Body(postsOf(p, d, pp.data.derrs[p.Repo])),
	))
}

// factsView lists what describes the project rather than measures it.
func (pp *projectPage) factsView() app.UI {
	p, set := pp.p, pp.data.set
	var items []app.UI
	add := func(term string, def ...app.UI) {
		items = append(items, app.Div().Body(app.Dt().Text(term), app.Dd().Body(def...)))
	}
	if p.Language != "" {
		add("Language", app.Text(p.Language))
	}
	if p.License != nil {
		name := p.License.Name
		if name == "" {
			name = p.License.SPDX
		}
		add("License", app.Text(safe.Text(name, 100)+" ("+compare.Kind(p.License.SPDX).String()+")"))
	}
	if p.Release != nil {
		add("Latest release", app.Text(safe.Text(p.Release.Tag, 100)+" · "), app.Time().DateTime(format.ISODate(p.Release.Date)).Text(format.Date(p.Release.Date)))
	}
	if p.Created != nil {
		add("Created", app.Time().DateTime(format.ISODate(*p.Created)).Text(format.Date(*p.Created)))
	}
	var cats []app.UI
	for _, c := range p.Categories {
		if cat, ok := set.Category(c); ok {
			cats = append(cats, app.Li().Text(safe.Text(cat.Name, 60)))
		}
	}
	if len(cats) > 0 {
		add("Categories", app.Ul().Class("chips").Body(cats...))
	}
	if len(p.Topics) > 0 {
		topics := p.Topics
		if len(topics) > 20 {
			topics = topics[:20]
		}
		add("Topics", app.Ul().Class("chips").Body(app.Range(topics).Slice(func(i int) app.UI {
			return app.Li().Text(safe.Text(topics[i], 50))
		})))
	}
	if len(items) == 0 {
		return nil
	}
	return app.Dl().Class("facts").Body(items...)
}

// alternativesView ranks the project's alternatives, each with a link to
// compare it with this one.
func (pp *projectPage) alternativesView() app.UI {
	p, set := pp.p, pp.data.set
	var alts []*snapshot.Project
	for _, s := range p.Alternatives {
		if a, ok := set.Project(s); ok {
			alts = append(alts, a)
		}
	}
	sec := app.Section().Class("alternatives")
	head := app.H2().Text("Alternatives to " + p.Name)
	if len(alts) == 0 {
		return sec.Body(head, app.P().Class("muted").Text("No alternatives recorded yet."))
	}
	top := []string{p.Slug}
	for _, a := range alts[:min(3, len(alts))] {
		top = append(top, a.Slug)
	}
	return sec.Body(
		head,
		app.P().Body(
			app.Text("Ranked by category, shared topics and co-mentions. "),
			app.A().Href("%s", compare.Path(top...)).Text("Compare "+p.Name+" with the top "+format.Int(len(top)-1)),
		),
		app.Ol().Class("ranked").Body(app.Range(alts).Slice(func(i int) app.UI {
			a := alts[i]
			return app.Li().Body(
				app.A().Class("alt-name").Href("%s", "/p/"+a.Slug).Text(a.Name),
				app.Span().Class("alt-stars").Text(" · "+format.IntPtr(a.Stars)+" stars"),
				app.Span().Class("alt-desc").Text(" – "+descriptionOf(a)),
				app.Text(" "),
				app.A().Class("add").Href("%s", compare.Path(p.Slug, a.Slug)).Title("Compare %s with %s", p.Name, a.Name).Text("compare"),
			)
		})),
	)
}

func (pp *projectPage) unknownView() app.UI {
	var did []app.UI
	for i, c := range pp.data.set.Closest(pp.slug, 3) {
		if i > 0 {
			did = append(did, app.Text(", "))
		}
		did = append(did, app.A().Href("%s", "/p/"+c.Slug).Text(c.Name))
	}
	var suggest app.UI
	if len(did) > 0 {
		suggest = app.P().Body(append([]app.UI{app.Text("Did you mean ")}, append(did, app.Text("?"))...)...)
	}
	return problem("Unknown project",
		app.P().Text("No project named “"+safe.Text(pp.slug, 100)+"”."),
		suggest,
		app.P().Body(app.A().Href("/").Text("Browse all projects")),
	)
}

// metricTable is one project's metrics, each named with its formula on hover
// and a link to its explanation; its commits of the last 52 weeks come with
// a sparkline.
func metricTable(name string, rows []compare.Row) app.UI {
	return app.Div().Class("table-wrap").Body(app.Table().Class("metrics", "single").Body(
		app.Caption().Class("sr-only").Text("Metrics of "+name),
		app.TBody().Body(
			app.Range(rows).Slice(func(i int) app.UI {
				row := rows[i]
				cell := row.Cells[0]
				var td app.UI
				switch {
				case cell.Spark != nil:
					td = app.Td().Body(app.Span().Text(cell.Text+" "), sparkline(0, "Commits per week, last 52 weeks", cell.Spark))
				case !cell.Known:
					td = app.Td().Title("%s", safe.Attr(cell.Title, 200)).Text(cell.Text).Class("unknown")
				default:
					td = app.Td().Title("%s", safe.Attr(cell.Title, 200)).Text(cell.Text)
				}
				return app.Tr().DataSet("row", row.Key).Body(
					app.Th().Scope("row").Body(app.A().Href("%s", "/about#"+row.Key).Title("%s", row.Help).Text(row.Label)),
					td,
				)
			}),
		),
	))
}
