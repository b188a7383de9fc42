package main

import (
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/format"
	"versus/app/safe"
	"versus/sync/snapshot"
)

// Widgets about one project that several pages show: its description, the
// archived badge, the homepage link and the posts that mention it.

// descriptionOf is the project's description as text, or says there is none.
func descriptionOf(p *snapshot.Project) string {
	if strings.TrimSpace(p.Description) == "" {
		return "No description."
	}
	return safe.Text(p.Description, 300)
}

func archivedBadge(p *snapshot.Project) app.UI {
	if !p.Archived {
		return nil
	}
	return app.Span().Class("archived-badge").Text("archived")
}

// homepageLink links the homepage when it is http(s), else shows nothing.
func homepageLink(p *snapshot.Project) app.UI {
	u, ok := safe.URL(p.Homepage)
	if !ok {
		return nil
	}
	return app.Span().Body(app.Text(" · "), app.A().Href("%s", u).Rel("noopener noreferrer nofollow").Text(strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")))
}

// postsOf lists the posts that mention p, from its detail d (or says why not).
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
