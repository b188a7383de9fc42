package main

import (
	"strconv"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/browse"
	"versus/app/compare"
	"versus/app/dataset"
	"versus/app/format"
	"versus/app/safe"
	"versus/sync/snapshot"
)

// browsePage is the home page: search, filter and sort every project, and
// gather 2 to 6 of them in a tray to compare. All its state is in the URL
// (see browse.Query), so the server prerenders the same view and every view
// is a link. Typing replaces the URL; every other change navigates, so back
// and forward step through the views.
type browsePage struct {
	app.Compo

	src     *dataset.Loader
	indexes *browseIndexes

	ready  bool
	data   loaded
	ix     *browse.Index
	res    browse.Result
	run    time.Duration // how long res took
	ran    string        // the query res answers, cleaned
	ranOn  *browse.Index // the index it ran on
	active int           // the row the keyboard is on, -1 for none

	// The parts the page draws itself (browsedirect.go), and what it has
	// drawn in them.
	count, list *drawn
	facets      []*drawn // the values of each of browse.Facets
	dom         resultsDOM

	keys, clicks app.Func // the keydown and click listeners
}

func newBrowsePage(src *dataset.Loader, indexes *browseIndexes) *browsePage {
	h := &browsePage{src: src, indexes: indexes, active: -1}
	h.count = &drawn{root: elem("p", "class", "count", "aria-live", "polite"), kids: h.countEls, mounted: h.countMounted}
	h.list = &drawn{root: elem("div", "class", "list"), kids: h.listEls, mounted: h.listMounted}
	h.dom.facets = make([]app.Value, len(browse.Facets))
	for i, f := range browse.Facets {
		h.facets = append(h.facets, &drawn{root: elem("ul"), kids: func() []el { return h.facetEls(f) }, mounted: func(js app.Value) {
			h.dom.facets[i] = js
			h.draw()
		}})
	}
	return h
}

// browseIndexes keeps the search index of the loaded dataset, so that it is
// built once, not on every visit of the page.
type browseIndexes struct {
	mu  sync.Mutex
	set *dataset.Set
	ix  *browse.Index
}

func (b *browseIndexes) get(set *dataset.Set) *browse.Index {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.set != set {
		start := time.Now()
		b.set, b.ix = set, browse.New(set)
		markIndexBuilt(time.Since(start))
	}
	return b.ix
}

// OnInit readies the page before its first render when the snapshot is in
// memory (prefetch loads it before the app mounts): go-app's first mount
// then puts the page itself, not a loading view, in place of the
// prerendered one, so that it is drawn once and lazy.js finds the twins of
// the prerendered fields. OnNav, right after, shows the same query.
func (h *browsePage) OnInit() {
	if !app.IsClient {
		return
	}
	set := h.src.Cached()
	if set == nil {
		return
	}
	h.ready, h.data = true, loaded{set: set}
	h.ix = h.indexes.get(set)
	h.runQuery(browse.Parse(app.Window().URL().RawQuery))
}

func (h *browsePage) OnPreRender(ctx app.Context) { h.init(ctx) }
func (h *browsePage) OnNav(ctx app.Context)       { h.init(ctx) }

func (h *browsePage) init(ctx app.Context) {
	load(ctx, h.src, nil, func(ctx app.Context, r loaded) {
		h.ready, h.data = true, r
		ctx.Page().SetTitle("versus · compare open-source projects")
		ctx.Page().SetDescription("Search, filter and compare open-source projects side by side: stars, growth, activity, last commit, mentions and alternatives.")
		if r.err != nil {
			return
		}
		h.ix = h.indexes.get(r.set)
		h.show(ctx, browse.Parse(ctx.Page().URL().RawQuery))
	})
}

// show runs q, draws its results at once, then puts its cleaned form in the
// address bar without a new history entry; go-app draws the rest of the
// page on its next tick.
func (h *browsePage) show(ctx app.Context, q browse.Query) {
	if h.runQuery(q) {
		h.draw()
	}
	u := *ctx.Page().URL()
	if raw := h.res.Query.String(); u.RawQuery != raw {
		u.RawQuery = raw
		ctx.Page().ReplaceURL(&u)
	}
}

// runQuery runs q unless it is the query last run, on the same index
// (onViewLink may have run it already), and reports whether it ran.
func (h *browsePage) runQuery(q browse.Query) bool {
	q = h.ix.Clean(q)
	key := q.String()
	if key == h.ran && h.ix == h.ranOn {
		return false
	}
	h.ran, h.ranOn = key, h.ix
	start := time.Now()
	h.res = h.ix.Run(q)
	h.run = time.Since(start)
	h.active = -1
	return true
}

// navigate goes to the view of q as a new history entry. go-app navigates
// after the next frame: until then q is the query the next change builds on,
// so that changes replayed together when the wasm takes over (see lazy.js)
// add up.
func (h *browsePage) navigate(ctx app.Context, q browse.Query) {
	h.res.Query = q
	ctx.Navigate(q.URL())
}

func (h *browsePage) onSearch(ctx app.Context, e app.Event) {
	q := h.res.Query
	q.Text = ctx.JSSrc().Get("value").String()
	q.Page = 0
	h.show(ctx, q)
}

func projectPath(p *snapshot.Project) string { return "/p/" + p.Slug }

func (h *browsePage) Render() app.UI {
	switch {
	case !h.ready:
		return shell(nil, loadingView())
	case h.data.err != nil:
		return shell(nil, problem("The data could not be loaded", app.P().Class("error").Text(h.data.err.Error())))
	}
	q := h.res.Query
	return shell(h.data.set, app.Section().Class("browse").Body(
		app.H1().Class("sr-only").Text("Browse and compare open-source projects"),
		// Without the wasm, Enter submits the form and the server answers.
		app.Form().Class("searchbar").Attr("role", "search").Action("/").Method("get").Body(
			app.Label().For("search").Class("sr-only").Text("Search projects"),
			app.Input().Type("search").ID("search").Name("q").Value(searchValue(q.Text)).
				Placeholder("Search "+format.Int(len(h.data.set.Projects))+" projects by name, owner, description or topic  ( / )").
				AutoComplete(false).Attr("spellcheck", "false").Attr("enterkeyhint", "search").
				OnInput(h.onSearch),
		),
		app.Div().Class("browse-body").Body(
			h.filtersView(),
			h.resultsView(),
		),
		h.trayView(),
	))
}

var withinChoices = []int{0, 1, 3, 6, 12, 24}

func (h *browsePage) filtersView() app.UI {
	q := h.res.Query
	// Every facet has its group, hidden when it has no values, so that
	// each drawn list keeps its place in go-app's tree.
	groups := make([]app.UI, len(browse.Facets))
	for i, f := range browse.Facets {
		details := app.Details().Class("facet").DataSet("facet", f.Param())
		if open := f == browse.Language || f == browse.Category || len(q.Values[f]) > 0; open || app.IsClient {
			details = details.Open(open)
		}
		if hide := len(h.res.Facets[f]) == 0; hide || app.IsClient {
			details = details.Hidden(hide)
		}
		groups[i] = details.Body(app.Summary().Text(f.Title()), h.facets[i])
	}
	var ranges []app.UI
	for _, r := range browse.Ranges {
		lo, hi := q.Ranges[r].Bounds()
		name := r.Param()
		ranges = append(ranges, app.FieldSet().Class("range").DataSet("range", name).Body(
			app.Legend().Text(r.Title()),
			app.Label().Class("sr-only").For(name+"-min").Text(r.Title()+" at least"),
			app.Input().Type("number").ID(name+"-min").Attr("inputmode", "decimal").Attr("step", "any").Placeholder("min").Value(lo).OnChange(h.onRange(r, true)),
			app.Span().Aria("hidden", "true").Text("–"),
			app.Label().Class("sr-only").For(name+"-max").Text(r.Title()+" at most"),
			app.Input().Type("number").ID(name+"-max").Attr("inputmode", "decimal").Attr("step", "any").Placeholder("max").Value(hi).OnChange(h.onRange(r, false)),
		))
	}
	active := 0
	for _, f := range browse.Facets {
		active += len(q.Values[f])
	}
	for _, r := range browse.Ranges {
		if q.Ranges[r].Set() {
			active++
		}
	}
	if q.Within > 0 {
		active++
	}
	if q.HideArchived {
		active++
	}
	summary := "Filters"
	if active > 0 {
		summary += " (" + strconv.Itoa(active) + " on)"
	}
	// Closed on phones, so results come first; the stylesheet shows the
	// content on wide screens whatever the toggle says.
	return app.Details().Class("filters").Aria("label", "Filters").Body(
		app.Summary().Text(summary),
		app.Div().Class("filter-ranges").Body(ranges...),
		app.Div().Class("filter-misc").Body(
			app.Label().For("within").Text("Last commit"),
			app.Select().ID("within").OnChange(h.onWithin).Body(app.Range(withinChoices).Slice(func(i int) app.UI {
				n := withinChoices[i]
				label := "any time"
				switch {
				case n == 1:
					label = "within a month"
				case n > 1:
					label = "within " + strconv.Itoa(n) + " months"
				}
				return option(strconv.Itoa(n), label, q.Within == n)
			})),
			app.Label().Class("check").Body(
				checkbox("hide-archived", q.HideArchived).OnChange(h.onArchived),
				app.Text(" Hide archived"),
			),
			app.A().Class("clear").Href("%s", browse.Query{Text: q.Text, Sort: q.Sort, Tray: q.Tray}.URL()).Text("Clear filters"),
		),
		app.Div().Class("facets").Body(groups...),
	)
}

func (h *browsePage) onRange(r browse.Ranged, isMin bool) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		lo, hi := h.res.Query.Ranges[r].Bounds()
		v := ctx.JSSrc().Get("value").String()
		if isMin {
			lo = v
		} else {
			hi = v
		}
		h.navigate(ctx, h.res.Query.WithRange(r, lo, hi))
	}
}

func (h *browsePage) onWithin(ctx app.Context, e app.Event) {
	q := h.res.Query
	q.Within, _ = strconv.Atoi(ctx.JSSrc().Get("value").String())
	q.Page = 0
	h.navigate(ctx, q)
}

func (h *browsePage) onArchived(ctx app.Context, e app.Event) {
	q := h.res.Query
	q.HideArchived = ctx.JSSrc().Get("checked").Bool()
	q.Page = 0
	h.navigate(ctx, q)
}

func (h *browsePage) onSort(ctx app.Context, e app.Event) {
	q := h.res.Query
	q.Sort, _ = browse.ParseSort(ctx.JSSrc().Get("value").String())
	q.Page = 0
	h.navigate(ctx, q)
}

// sortChoices are the orders people can pick, in both directions.
func sortChoices() []struct{ value, label string } {
	out := []struct{ value, label string }{{"", "Relevance"}}
	for _, m := range browse.Metrics[1:] {
		hi, lo := "high to low", "low to high"
		switch m {
		case browse.LastCommit, browse.Created:
			hi, lo = "newest first", "oldest first"
		case browse.Name:
			hi, lo = "Z to A", "A to Z"
		}
		desc := browse.Sort{Metric: m, Desc: true}
		asc := browse.Sort{Metric: m}
		if m == browse.Name {
			out = append(out, struct{ value, label string }{asc.String(), m.Title() + ", " + lo})
			out = append(out, struct{ value, label string }{desc.String(), m.Title() + ", " + hi})
			continue
		}
		out = append(out, struct{ value, label string }{desc.String(), m.Title() + ", " + hi})
		out = append(out, struct{ value, label string }{asc.String(), m.Title() + ", " + lo})
	}
	return out
}

func (h *browsePage) resultsView() app.UI {
	choices := sortChoices()
	cur := h.res.Query.Sort.String()
	return app.Div().Class("results").Body(
		app.Div().Class("toolbar").Body(
			h.count,
			app.Label().For("sort").Class("sort").Body(
				app.Span().Text("Sort "),
				app.Select().ID("sort").OnChange(h.onSort).Body(app.Range(choices).Slice(func(i int) app.UI {
					return option(choices[i].value, choices[i].label, choices[i].value == cur)
				})),
			),
		),
		h.list,
	)
}

// countEls are the children of the count.
func (h *browsePage) countEls() []el {
	noun := " projects"
	if h.res.Total == 1 {
		noun = " project"
	}
	return []el{elem("strong").withText(format.Int(h.res.Total)), textEl(noun)}
}

// listEls are the children of the list: the rows, or a note that there
// are none, and the pager.
func (h *browsePage) listEls() []el {
	if len(h.res.Rows) == 0 {
		return []el{elem("p", "class", "empty").withText("No project matches. Try fewer words or filters.")}
	}
	rows := make([]el, len(h.res.Rows))
	for i, p := range h.res.Rows {
		rows[i] = h.rowEl(p, h.rowState(p, i == h.active))
	}
	ol := h.olEl()
	ol.attrs = append(ol.attrs, "start", h.olStart())
	return []el{ol.with(rows...), h.pagerEl()}
}

func (h *browsePage) olEl() el { return elem("ol", "class", "rows") }

func (h *browsePage) olStart() string {
	return strconv.Itoa((max(h.res.Query.Page, 1)-1)*browse.PageSize + 1)
}

// rowState is what a row shows beside its project: its class, and whether
// it is in the tray ("in", "out" or "full": not in a full tray) with the
// link that toggles it.
type rowState struct{ class, tray, href string }

func (h *browsePage) rowState(p *snapshot.Project, active bool) rowState {
	q := h.res.Query
	s := rowState{class: "row", tray: "out"}
	if active {
		s.class += " active"
	}
	if p.Archived {
		s.class += " archived"
	}
	switch {
	case q.InTray(p.Slug):
		s.tray = "in"
	case len(q.Tray) >= browse.MaxTray:
		s.tray = "full"
	}
	if s.tray != "full" {
		s.href = q.ToggleTray(p.Slug).URL()
	}
	return s
}

func (h *browsePage) rowEl(p *snapshot.Project, s rowState) el {
	var add el
	switch s.tray {
	case "full":
		add = elem("span", "class", "add full", "title", "The tray holds at most 6 projects").withText("Tray full")
	case "in":
		add = elem("a", "class", "add", "href", s.href, "title", safe.Attr("Remove "+p.Name+" from the comparison (c)", 200), "data-in", "true").withText("✓ In tray")
	default:
		add = elem("a", "class", "add", "href", s.href, "title", safe.Attr("Add "+p.Name+" to the comparison (c)", 200), "data-in", "false").withText("+ Compare")
	}
	var badge el
	if p.Archived {
		badge = elem("span", "class", "badge").withText("archived")
	}
	commit := format.Unknown
	if p.LastCommit != nil {
		commit = format.Age(*p.LastCommit, h.data.set.Date())
	}
	return elem("li", "id", "row-"+p.Slug, "class", s.class, "data-slug", p.Slug).with(
		elem("div", "class", "row-head").with(
			elem("a", "class", "name", "href", projectPath(p)).withText(p.Name),
			elem("span", "class", "repo").withText(p.Repo),
			elem("span", "class", "badges").with(badge),
			add,
		),
		elem("p", "class", "desc").withText(descriptionOf(p)),
		elem("ul", "class", "figures").with(
			figure("stars", "Stars", format.IntPtr(p.Stars)),
			figure("growth", "Growth", format.Percent(p.Growth)),
			figure("activity", "Activity", format.Decimal(p.Activity)),
			figure("commit", "Last commit", commit),
			figure("lang", "Language", safe.Text(orUnknown(p.Language), 40)),
		),
	)
}

// facetEls are the values of facet f, with their counts.
func (h *browsePage) facetEls(f browse.Facet) []el {
	q := h.res.Query
	counts := h.res.Facets[f]
	out := make([]el, len(counts))
	for i, c := range counts {
		out[i] = elem("li").with(elem("a", "href", q.Toggle(f, c.Value).URL(), "class", "facet-value",
			"data-value", safe.Attr(c.Value, 100), "data-selected", strconv.FormatBool(c.Selected),
			"title", safe.Attr(f.Title()+": "+c.Label, 200)).with(
			selectedNote(c.Selected),
			elem("span", "class", "label").withText(safe.Text(c.Label, 80)),
			elem("span", "class", "count").withText(format.Int(c.N)),
		))
	}
	return out
}

// selectedNote tells screen readers that a facet value is on (sighted
// people see a tick).
func selectedNote(on bool) el {
	if !on {
		return el{}
	}
	return elem("span", "class", "sr-only").withText("Selected, remove: ")
}

// searchValue is the search box's value. The server writes it into an
// attribute, which go-app does not escape for HTML: there the text goes
// through safe.Attr (the browser then renders the exact text).
func searchValue(text string) string {
	if app.IsServer {
		return safe.Attr(text, browse.MaxText)
	}
	return text
}

func orUnknown(s string) string {
	if s == "" {
		return format.Unknown
	}
	return s
}

func figure(class, label, value string) el {
	return elem("li", "class", class).with(
		elem("span", "class", "k").withText(label+" "),
		elem("span", "class", "v").withText(value),
	)
}

// pagerEl is the pager, or nothing when there is one page.
func (h *browsePage) pagerEl() el {
	q := h.res.Query
	page := max(q.Page, 1)
	if h.res.Pages <= 1 {
		return el{}
	}
	at := func(n int) string {
		q := q
		q.Page = n
		if n == 1 {
			q.Page = 0
		}
		return q.URL()
	}
	var prev, next el
	if page > 1 {
		prev = elem("a", "class", "prev", "rel", "prev", "href", at(page-1)).withText("← Previous")
	}
	if page < h.res.Pages {
		next = elem("a", "class", "next", "rel", "next", "href", at(page+1)).withText("Next →")
	}
	return elem("nav", "class", "pager", "aria-label", "Pages").with(
		prev,
		elem("span").withText("Page "+format.Int(page)+" of "+format.Int(h.res.Pages)),
		next,
	)
}

func (h *browsePage) trayView() app.UI {
	q := h.res.Query
	if len(q.Tray) == 0 {
		return nil
	}
	var action app.UI
	if len(q.Tray) >= browse.MinTray {
		action = app.A().Class("button compare-link").Href("%s", compare.Path(q.Tray...)).Text("Compare " + strconv.Itoa(len(q.Tray)) + " projects →")
	} else {
		action = app.Span().Class("hint").Text("Add one more project to compare")
	}
	return app.Aside().Class("tray").Aria("label", "Compare tray").Body(
		app.Ul().Body(app.Range(q.Tray).Slice(func(i int) app.UI {
			s := q.Tray[i]
			name := s
			if p, ok := h.data.set.Project(s); ok {
				name = p.Name
			}
			return app.Li().Body(
				app.Span().Text(name),
				app.A().Class("remove").Href("%s", q.ToggleTray(s).URL()).Title("%s", safe.Attr("Remove "+name, 200)).Aria("label", safe.Attr("Remove "+name, 200)).Text("×"),
			)
		})),
		action,
	)
}
