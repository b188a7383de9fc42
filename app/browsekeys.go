package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// OnMount gives the keyboard the page: "/" focuses search, arrows move
// through the results, Enter opens one, "c" or "+" puts it in the tray. The
// listener is a plain JS function, not a go-app handler, because go-app runs
// handlers after the event is over, too late to prevent its default.
func (h *browsePage) OnMount(ctx app.Context) {
	if !app.IsClient {
		return
	}
	h.keys = app.FuncOf(func(this app.Value, args []app.Value) any {
		e := args[0]
		if e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool() || e.Get("altKey").Bool() {
			return nil
		}
		target := e.Get("target")
		tag := target.Get("tagName").String()
		inSearch := target.Get("id").String() == "search"
		inField := tag == "INPUT" || tag == "SELECT" || tag == "TEXTAREA"
		switch key := e.Get("key").String(); {
		case key == "/" && !inField:
			e.Call("preventDefault")
			app.Window().GetElementByID("search").Call("focus")
		case key == "Escape" && inSearch:
			target.Call("blur")
		case (key == "ArrowDown" || key == "ArrowUp") && (inSearch || !inField):
			e.Call("preventDefault")
			step := 1
			if key == "ArrowUp" {
				step = -1
			}
			// The page draws the mark itself: no go-app update is needed.
			ctx.Dispatcher().Dispatch(app.Dispatch{Mode: app.Next, Source: h, Function: func(app.Context) { h.move(step) }})
		case key == "Enter" && (inSearch || !inField):
			e.Call("preventDefault")
			ctx.Dispatch(func(ctx app.Context) {
				if rows := h.res.Rows; len(rows) > 0 {
					ctx.Navigate(projectPath(rows[max(h.active, 0)]))
				}
			})
		case (key == "c" || key == "+") && !inField:
			ctx.Dispatch(func(ctx app.Context) {
				if h.active >= 0 && h.active < len(h.res.Rows) {
					h.navigate(ctx, h.res.Query.ToggleTray(h.res.Rows[h.active].Slug))
				}
			})
		}
		return nil
	})
	app.Window().Call("addEventListener", "keydown", h.keys)
	h.clicks = h.onViewLink(ctx)
	app.Window().Get("document").Call("addEventListener", "click", h.clicks, true)
}

func (h *browsePage) OnDismount() {
	if h.keys == nil {
		return // the server prerenders without mounting
	}
	app.Window().Call("removeEventListener", "keydown", h.keys)
	app.Window().Get("document").Call("removeEventListener", "click", h.clicks, true)
	h.keys.Release()
	h.clicks.Release()
}

// move makes the row step rows away the active one, and scrolls it in view.
func (h *browsePage) move(step int) {
	rows := h.res.Rows
	if len(rows) == 0 {
		return
	}
	h.active = min(max(h.active+step, 0), len(rows)-1)
	h.drawActive()
	if el := app.Window().GetElementByID("row-" + rows[h.active].Slug); el.Truthy() {
		el.Call("scrollIntoView", map[string]any{"block": "nearest"})
	}
}
