package main

import (
	"fmt"
	"net/url"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/compare"
	"versus/app/export"
	"versus/app/format"
)

// pngScale is the pixel ratio of downloaded PNGs: sharp on high-density
// screens and when a preview service scales the card down.
const pngScale = 2

// exportMenu takes a comparison away: a link to the view, the card as PNG or
// SVG, the table as Markdown or CSV, the Markdown that embeds the server's
// card in a README, or the PNG through the system's share sheet. Every format is rendered from the same compare.Comparison by
// app/export; nothing goes over the network.
type exportMenu struct {
	app.Compo

	// Cmp is exported so that go-app passes a new value on re-render.
	Cmp *compare.Comparison

	canShare bool
	busy     bool
	state    string // "", "busy", "done" or "error"
	status   string
	seq      int    // counts finished exports, so tests and benchmarks can wait for the next
	manual   string // text to copy by hand when the clipboard refused it
}

func newExportMenu(cmp *compare.Comparison) *exportMenu { return &exportMenu{Cmp: cmp} }

// OnPreRender writes the link preview of the page on the server.
func (m *exportMenu) OnPreRender(ctx app.Context) {
	if m.Cmp != nil {
		setShareMeta(ctx, m.Cmp)
	}
}

func (m *exportMenu) OnMount(ctx app.Context) { m.canShare = canShareFiles() }

func (m *exportMenu) Render() app.UI {
	if m.Cmp == nil {
		return app.Div().Class("export")
	}
	var share, manual app.UI
	if m.canShare {
		share = m.button("share", "Share image…", m.share)
	}
	if m.manual != "" {
		manual = app.Textarea().Class("export-manual").ReadOnly(true).Aria("label", "Text to copy").Rows(6).Text(m.manual)
	}
	return app.Details().Class("export").Body(
		app.Summary().Text("Export & share"),
		app.Div().Class("export-panel").Body(
			app.Div().Class("export-group").Body(
				m.button("link", "Copy link", m.copyLink),
				m.button("markdown", "Copy as Markdown", m.copyMarkdown),
				m.button("embed", "Embed in README", m.copyEmbed),
				share,
			),
			app.Div().Class("export-group").Body(
				m.button("png", "PNG · 1200×630", m.png(export.Social)),
				m.button("png-full", "PNG · full", m.png(export.Full)),
				m.button("svg", "SVG", m.svg),
				m.button("csv", "CSV", m.csv),
			),
			app.P().Class("export-status").Aria("live", "polite").
				DataSet("state", m.state).DataSet("seq", m.seq).Text(m.status),
			manual,
		),
	)
}

// button is an export button. The server writes Disabled(false) as
// disabled="false", which browsers read as disabled: there it is set only
// when true, so that a click before the wasm runs reaches the button (and
// lazy.js replays it).
func (m *exportMenu) button(kind, label string, h app.EventHandler) app.UI {
	b := app.Button().Type("button").DataSet("export", kind)
	if m.busy || app.IsClient {
		b = b.Disabled(m.busy)
	}
	return b.Text(label).OnClick(h)
}

// link is the canonical URL of the view on screen.
func (m *exportMenu) link(ctx app.Context) string {
	return canonicalURL(ctx.Page().URL(), m.Cmp.Slugs())
}

func (m *exportMenu) copyLink(ctx app.Context, _ app.Event) {
	m.copy(ctx, m.link(ctx), "Link copied.")
}

func (m *exportMenu) copyMarkdown(ctx app.Context, _ app.Event) {
	m.copy(ctx, export.Markdown(m.Cmp, m.link(ctx)), "Markdown table copied.")
}

// copyEmbed copies the Markdown of the card for a README: its SVG, which
// stays current with the data, linking to this view.
func (m *exportMenu) copyEmbed(ctx app.Context, _ app.Event) {
	u := ctx.Page().URL()
	origin := (&url.URL{Scheme: u.Scheme, Host: u.Host}).String()
	m.copy(ctx, export.Embed(m.Cmp, origin, m.link(ctx)), "README snippet copied.")
}

func (m *exportMenu) copy(ctx app.Context, text, ok string) {
	m.start("Copying…")
	clipboardWrite(text, func(err error) {
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				m.manual = text
				m.finish(fmt.Errorf("the clipboard refused it (%w); copy the text below instead", err), "")
				return
			}
			m.finish(nil, ok)
		})
	})
}

func (m *exportMenu) csv(ctx app.Context, _ app.Event) {
	m.download(export.FileName(m.Cmp, ".csv"), "text/csv;charset=utf-8", export.CSV(m.Cmp))
}

func (m *exportMenu) svg(ctx app.Context, _ app.Event) {
	card := export.SVG(m.Cmp, export.Full)
	m.download(export.FileName(m.Cmp, ".svg"), "image/svg+xml", card.SVG)
}

func (m *exportMenu) download(name, mime string, b []byte) {
	m.start("Preparing " + name + "…")
	m.finish(downloadBytes(name, mime, b), "Downloaded "+name+" ("+size(len(b))+").")
}

// png draws the card of the given size onto a canvas and downloads it.
func (m *exportMenu) png(s export.Size) app.EventHandler {
	return func(ctx app.Context, _ app.Event) {
		card := export.SVG(m.Cmp, s)
		name := export.FileName(m.Cmp, "-"+s.String()+".png")
		m.start("Drawing " + name + "…")
		renderPNG(card, pngScale, func(b blob, err error) {
			if err == nil {
				err = downloadBlob(name, b)
			}
			ctx.Dispatch(func(ctx app.Context) { m.finish(err, "Downloaded "+name+" ("+size(b.size())+").") })
		})
	}
}

// share hands the social card as a PNG file, with the link, to the system's
// share sheet.
func (m *exportMenu) share(ctx app.Context, _ app.Event) {
	card := export.SVG(m.Cmp, export.Social)
	name := export.FileName(m.Cmp, ".png")
	title, link := m.Cmp.Title()+" · versus", m.link(ctx)
	m.start("Preparing the image…")
	renderPNG(card, pngScale, func(b blob, err error) {
		if err != nil {
			ctx.Dispatch(func(ctx app.Context) { m.finish(err, "") })
			return
		}
		shareFile(title, "Compare "+m.Cmp.Title()+" side by side.", link, name, b, func(err error) {
			ctx.Dispatch(func(ctx app.Context) { m.finish(err, "Shared.") })
		})
	})
}

func (m *exportMenu) start(status string) {
	m.busy, m.state, m.status, m.manual = true, "busy", status, ""
}

func (m *exportMenu) finish(err error, ok string) {
	m.busy, m.seq = false, m.seq+1
	if err != nil {
		m.state, m.status = "error", "Could not export: "+err.Error()
		return
	}
	m.state, m.status = "done", ok
}

// size writes a byte count as people read it.
func size(n int) string {
	if n < 1000 {
		return format.Int(n) + " bytes"
	}
	return format.Int((n+500)/1000) + " kB"
}
