package main

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/browse"
)

// The browse page draws what a query changes (the count, the values of
// each facet with their counts, the list and the pager) itself, in the
// event that changed the query: a keystroke in the search box, or a click
// on a link to another view (a facet, the pager, a tray link). go-app would
// apply the change on its next update tick (120 Hz, about 8 ms, a constant
// with no setting) and then diff the whole page: a keystroke took 24 ms at
// 10,000 projects where the search takes 2.6. go-app still draws the rest
// (the filters' fields, the tray, the sort) on its tick, a moment later.
//
// go-app mounts each drawn part as an element with no children on the
// client, and diffs it against the same on every update, so it never
// touches what the page draws in it. The server prerenders the parts
// whole, from the same descriptions (el).

// drawn is a part of the page whose children the page draws (see
// resultsDOM); the server prerenders them.
type drawn struct {
	app.Compo

	root    el
	kids    func() []el        // the children, as the server renders them
	mounted func(js app.Value) // js is the mounted root, or nil once dismounted
}

func (d *drawn) Render() app.UI {
	if app.IsServer {
		return d.root.with(d.kids()...).ui()
	}
	return d.root.ui()
}

func (d *drawn) OnMount(ctx app.Context) { d.mounted(d.JSValue()) }
func (d *drawn) OnDismount()             { d.mounted(nil) }

// resultsDOM is what the page has drawn in its mounted parts.
type resultsDOM struct {
	count, list app.Value           // the drawn roots, nil until mounted
	facets      []app.Value         // the facets' drawn roots, in the order of browse.Facets
	ol, pager   app.Value           // in list, nil when absent
	rows        map[string]*rowNode // the rows in ol, by slug
	order       []*rowNode          // the rows in ol, in order
}

// rowNode is a row's drawn element and what it shows. A row is drawn again
// when its tray state changes; its class and link are set in place.
type rowNode struct {
	slug    string
	li, add app.Value
	state   rowState
}

func (h *browsePage) countMounted(js app.Value) { h.dom.count = js; h.draw() }

func (h *browsePage) listMounted(js app.Value) {
	h.dom = resultsDOM{count: h.dom.count, list: js, facets: h.dom.facets}
	h.draw()
}

// draw puts the current results in the drawn parts, once all are mounted.
func (h *browsePage) draw() {
	d := &h.dom
	if d.count == nil || d.list == nil || slices.Contains(d.facets, nil) {
		return
	}
	d.count.Call("replaceChildren", build(h.countEls()...)...)
	for i, f := range browse.Facets {
		d.facets[i].Call("replaceChildren", build(h.facetEls(f)...)...)
	}

	if len(h.res.Rows) == 0 {
		d.list.Call("replaceChildren", build(h.listEls()...)...)
		*d = resultsDOM{count: d.count, list: d.list, facets: d.facets}
		markRendered(h.run, h.res.Query)
		return
	}
	if d.ol == nil {
		d.ol = build(h.olEl())[0].(app.Value)
		d.list.Call("replaceChildren", d.ol)
		d.rows, d.order, d.pager = nil, nil, nil
	}
	d.ol.Call("setAttribute", "start", h.olStart())

	next := make([]*rowNode, len(h.res.Rows))
	rows := make(map[string]*rowNode, len(next))
	var fresh []el // the rows to build
	for i, p := range h.res.Rows {
		s := h.rowState(p, i == h.active)
		n := d.rows[p.Slug]
		if n == nil || n.state.tray != s.tray {
			n = &rowNode{slug: p.Slug, state: s}
			fresh = append(fresh, h.rowEl(p, s))
		} else {
			d.restyle(n, s)
		}
		next[i], rows[p.Slug] = n, n
	}
	if len(fresh) > 0 {
		built := build(fresh...)
		for _, n := range next {
			if n.li == nil {
				n.li, built = built[0].(app.Value), built[1:]
				n.add = n.li.Call("querySelector", ".add")
			}
		}
	}
	// The rows that stay keep their nodes; the others leave.
	var cur []*rowNode
	for _, n := range d.order {
		if rows[n.slug] == n {
			cur = append(cur, n)
		} else {
			n.li.Call("remove")
		}
	}
	for i, n := range next {
		if i < len(cur) && cur[i] == n {
			continue
		}
		var ref any // null: at the end
		if i < len(cur) {
			ref = cur[i].li
		}
		d.ol.Call("insertBefore", n.li, ref)
		if j := slices.Index(cur, n); j >= 0 {
			cur = slices.Delete(cur, j, j+1)
		}
		cur = slices.Insert(cur, i, n)
	}
	d.rows, d.order = rows, next

	if d.pager != nil {
		d.pager.Call("remove")
		d.pager = nil
	}
	if p := h.pagerEl(); !p.none() {
		d.pager = build(p)[0].(app.Value)
		d.list.Call("appendChild", d.pager)
	}
	markRendered(h.run, h.res.Query)
}

// onViewLink draws the view that a click on a link to another view of
// this page leads to (a facet, the pager, a tray link), and go-app, which
// takes the click next (on window), then navigates there without drawing
// the list again (runQuery skips the query it ran last). go-app would
// push the history entry first, which takes Chromium milliseconds.
func (h *browsePage) onViewLink(ctx app.Context) app.Func {
	return app.FuncOf(func(this app.Value, args []app.Value) any {
		e := args[0]
		for _, k := range []string{"defaultPrevented", "ctrlKey", "metaKey", "shiftKey", "altKey"} {
			if e.Get(k).Bool() {
				return nil
			}
		}
		a := e.Get("target").Call("closest", "a[href]")
		if !a.Truthy() || a.Call("hasAttribute", "download").Bool() || a.Get("pathname").String() != "/" ||
			a.Get("origin").String() != app.Window().Get("location").Get("origin").String() {
			return nil
		}
		q := browse.Parse(strings.TrimPrefix(a.Get("search").String(), "?"))
		ctx.Dispatcher().Dispatch(app.Dispatch{Mode: app.Next, Source: h, Function: func(app.Context) {
			if h.ix != nil && h.runQuery(q) {
				h.draw()
			}
		}})
		return nil
	})
}

// drawActive moves the keyboard's mark to the active row.
func (h *browsePage) drawActive() {
	for i, p := range h.res.Rows {
		if n := h.dom.rows[p.Slug]; n != nil {
			h.dom.restyle(n, h.rowState(p, i == h.active))
		}
	}
}

// restyle sets the class and the tray link of n to those of s.
func (d *resultsDOM) restyle(n *rowNode, s rowState) {
	if n.state.class != s.class {
		n.li.Call("setAttribute", "class", s.class)
	}
	if n.state.href != s.href && s.href != "" {
		n.add.Call("setAttribute", "href", s.href)
	}
	n.state = s
}

// el describes an element, or a text node when tag is empty: the drawn
// parts are described once and rendered by go-app (ui) on the server and
// by the page (node) in the browser.
type el struct {
	tag   string
	attrs []string // name, value, name, value…
	text  string
	kids  []el
}

func elem(tag string, attrs ...string) el { return el{tag: tag, attrs: attrs} }

func textEl(s string) el { return el{text: s} }

func (e el) with(kids ...el) el { e.kids = kids; return e }

func (e el) withText(s string) el { return e.with(textEl(s)) }

func (e el) none() bool { return e.tag == "" && e.text == "" }

func (e el) ui() app.UI {
	if e.tag == "" {
		return app.Text(e.text)
	}
	x := app.Elem(e.tag)
	for i := 0; i+1 < len(e.attrs); i += 2 {
		x = x.Attr(e.attrs[i], e.attrs[i+1])
	}
	kids := make([]app.UI, 0, len(e.kids))
	for _, k := range e.kids {
		if !k.none() {
			kids = append(kids, k.ui())
		}
	}
	return x.Body(kids...)
}

// build makes the DOM of els in one call of versusBuild (lazy.js), which
// puts text in as text nodes, never as HTML: building them with a call per
// node from Go cost about 0.7 ms a row.
func build(els ...el) []any {
	spec := []string{}
	n := 0
	for _, e := range els {
		if !e.none() {
			spec = e.flat(spec)
			n++
		}
	}
	built := app.Window().Call("versusBuild", string(jsonStrings(spec)))
	out := make([]any, n)
	for i := range out {
		out[i] = built.Index(i)
	}
	return out
}

// flat appends e to spec as versusBuild reads it: a text node as "" and
// its text; an element as its tag, its number of attributes, their names
// and values, its number of children and the children.
func (e el) flat(spec []string) []string {
	if e.tag == "" {
		return append(spec, "", e.text)
	}
	spec = append(spec, e.tag, strconv.Itoa(len(e.attrs)/2))
	for _, a := range e.attrs {
		spec = append(spec, strings.TrimSpace(a)) // as go-app does
	}
	n := 0
	for _, k := range e.kids {
		if !k.none() {
			n++
		}
	}
	spec = append(spec, strconv.Itoa(n))
	for _, k := range e.kids {
		if !k.none() {
			spec = k.flat(spec)
		}
	}
	return spec
}

// jsonStrings encodes spec as a JSON array (encoding/json would add 18 KB
// of brotli to the wasm).
func jsonStrings(spec []string) []byte {
	const hex = "0123456789abcdef"
	b := []byte{'['}
	for i, s := range spec {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
			switch {
			case r == '"' || r == '\\':
				b = append(b, '\\', byte(r))
			case r < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[r>>4], hex[r&0xf])
			default:
				b = utf8.AppendRune(b, r)
			}
		}
		b = append(b, '"')
	}
	return append(b, ']')
}
