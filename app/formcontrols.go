package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Form controls whose boolean attributes are safe to prerender. option and
// checkbox (like the browse page's facet <details> and the export menu's
// buttons) set them only when true on the server: go-app writes
// selected="false" there, which browsers read as selected. In the browser
// go-app sets the property, which must be set either way so that an update
// can clear it.
func option(value, label string, selected bool) app.UI {
	o := app.Option().Value(value)
	if selected || app.IsClient {
		o = o.Selected(selected)
	}
	return o.Text(label)
}

func checkbox(id string, checked bool) app.HTMLInput {
	c := app.Input().Type("checkbox").ID(id)
	if checked || app.IsClient {
		c = c.Checked(checked)
	}
	return c
}
