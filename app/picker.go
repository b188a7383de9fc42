package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/compare"
	"versus/app/dataset"
	"versus/app/format"
)

// maxSuggestions is how many matches the picker lists.
const maxSuggestions = 8

// picker adds a project to a comparison: type, see matches at once, follow
// one (or press Enter for the first). Each match is a plain link to the new
// comparison, so it works before the wasm runs and the URL always says what
// is shown.
type picker struct {
	app.Compo

	Set   *dataset.Set
	Slugs []string // the compared projects

	query string
}

func newPicker(set *dataset.Set, slugs []string) *picker { return &picker{Set: set, Slugs: slugs} }

func (p *picker) Render() app.UI {
	if len(p.Slugs) >= compare.MaxProjects {
		return app.P().Class("picker", "muted").Text("A comparison holds at most " + format.Int(compare.MaxProjects) + " projects: remove one to add another.")
	}
	matches := compare.Candidates(p.Set, p.query, p.Slugs, maxSuggestions)
	status := ""
	switch {
	case p.query == "":
	case len(matches) == 0:
		status = "No project matches."
	case len(matches) == 1:
		status = "1 match."
	default:
		status = format.Int(len(matches)) + " matches."
	}
	return app.Div().Class("picker").Body(
		app.Form().Attr("role", "search").OnSubmit(p.onSubmit).Body(
			app.Label().For("pick").Text("Add a project to compare"),
			app.Input().ID("pick").Type("search").Name("q").Placeholder("Type a name, e.g. rocket").
				AutoComplete(false).Attr("spellcheck", "false").Attr("maxlength", "100").
				Value(p.query).Aria("controls", "pick-results").Aria("describedby", "pick-status").
				OnInput(p.onInput),
		),
		app.P().ID("pick-status").Class("sr-only").Aria("live", "polite").Text(status),
		app.Ul().ID("pick-results").Class("pick-results").Body(app.Range(matches).Slice(func(i int) app.UI {
			m := matches[i]
			return app.Li().Body(
				app.A().Href("%s", p.pathWith(m.Slug)).OnClick(p.onPick).Body(
					app.Span().Class("alt-name").Text(m.Name),
					app.Span().Class("alt-desc").Text(" – "+descriptionOf(m)),
				),
			)
		})),
	)
}

func (p *picker) pathWith(slug string) string {
	return compare.Path(append(p.Slugs[:len(p.Slugs):len(p.Slugs)], slug)...)
}

func (p *picker) onInput(ctx app.Context, e app.Event) {
	p.query = ctx.JSSrc().Get("value").String()
}

// onPick clears the query; the link itself navigates.
func (p *picker) onPick(ctx app.Context, e app.Event) { p.query = "" }

func (p *picker) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	matches := compare.Candidates(p.Set, p.query, p.Slugs, 1)
	if len(matches) == 0 {
		return
	}
	p.query = ""
	ctx.Navigate(p.pathWith(matches[0].Slug))
}
