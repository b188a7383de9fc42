package main

import (
	"sort"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/compare"
	"versus/app/dataset"
	"versus/app/format"
	"versus/sync/snapshot"
)

// homePage lists the tracked projects.
type homePage struct {
	app.Compo

	src *dataset.Loader

	ready bool
	data  loaded
	rows  []*snapshot.Project
}

func newHomePage(src *dataset.Loader) *homePage { return &homePage{src: src} }

func (h *homePage) OnPreRender(ctx app.Context) { h.init(ctx) }
func (h *homePage) OnNav(ctx app.Context)       { h.init(ctx) }

func (h *homePage) init(ctx app.Context) {
	load(ctx, h.src, nil, func(ctx app.Context, r loaded) {
		h.ready, h.data, h.rows = true, r, nil
		ctx.Page().SetTitle("versus · compare open-source projects")
		ctx.Page().SetDescription("Compare open-source projects side by side: stars, growth, activity, last commit, mentions and alternatives.")
		if r.err != nil {
			return
		}
		for i := range r.set.Projects {
			h.rows = append(h.rows, &r.set.Projects[i])
		}
		sort.SliceStable(h.rows, func(i, j int) bool { return starsOrMinus(h.rows[i]) > starsOrMinus(h.rows[j]) })
	})
}

func starsOrMinus(p *snapshot.Project) int {
	if p.Stars == nil {
		return -1
	}
	return *p.Stars
}

func (h *homePage) Render() app.UI {
	switch {
	case !h.ready:
		return shell(nil, loadingView())
	case h.data.err != nil:
		return shell(nil, problem("The data could not be loaded", app.P().Class("error").Text(h.data.err.Error())))
	}
	return shell(h.data.set, app.Section().Class("home").Body(
		app.H1().Text("Compare open-source projects"),
		app.P().Class("lede").Text(format.Int(len(h.rows))+" projects tracked. Pick one to compare it with its closest alternative."),
		app.Table().Class("projects").Body(
			app.THead().Body(app.Tr().Body(
				app.Th().Scope("col").Text("Project"),
				app.Th().Scope("col").Text("Description"),
				app.Th().Scope("col").Class("num").Text("Stars"),
				app.Th().Scope("col").Text("Language"),
			)),
			app.TBody().Body(app.Range(h.rows).Slice(func(i int) app.UI {
				p := h.rows[i]
				return app.Tr().Body(
					app.Td().Body(projectLink(p)),
					app.Td().Class("desc").Text(descriptionOf(p)),
					app.Td().Class("num").Text(format.IntPtr(p.Stars)),
					app.Td().Text(p.Language),
				)
			})),
		),
	))
}

// projectLink links a project to a comparison with its best alternative.
func projectLink(p *snapshot.Project) app.UI {
	if len(p.Alternatives) == 0 {
		return app.A().Href("%s", "https://github.com/"+p.Repo).Rel("noopener").Text(p.Name)
	}
	return app.A().Href("%s", compare.Path(p.Slug, p.Alternatives[0])).Text(p.Name)
}
