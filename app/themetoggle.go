package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// themeKey is where the chosen theme is kept in localStorage.
const themeKey = "versus-theme"

// themes cycle in this order; "" follows the system.
var themes = []string{"", "light", "dark"}

// themeToggle switches between the system's theme, light and dark. The
// choice is kept in localStorage and applied as data-theme on <html>, which
// the stylesheet reads.
type themeToggle struct {
	app.Compo

	theme string
}

func newThemeToggle() *themeToggle { return &themeToggle{} }

func (t *themeToggle) OnMount(ctx app.Context) {
	var v string
	if err := ctx.LocalStorage().Get(themeKey, &v); err != nil {
		v = ""
	}
	t.set(v)
}

func (t *themeToggle) Render() app.UI {
	label := map[string]string{"": "Theme: auto", "light": "Theme: light", "dark": "Theme: dark"}[t.theme]
	return app.Button().Type("button").Class("theme-toggle").
		Title("Switch between the system's theme, light and dark").
		Text(label).OnClick(t.onClick)
}

func (t *themeToggle) onClick(ctx app.Context, e app.Event) {
	next := themes[0]
	for i, th := range themes {
		if th == t.theme {
			next = themes[(i+1)%len(themes)]
		}
	}
	t.set(next)
	if next == "" {
		ctx.LocalStorage().Del(themeKey)
		return
	}
	ctx.LocalStorage().Set(themeKey, next)
}

// set applies theme to the document.
func (t *themeToggle) set(theme string) {
	switch theme {
	case "light", "dark":
	default:
		theme = ""
	}
	t.theme = theme
	root := app.Window().Get("document").Get("documentElement")
	if theme == "" {
		root.Call("removeAttribute", "data-theme")
		return
	}
	root.Call("setAttribute", "data-theme", theme)
}
