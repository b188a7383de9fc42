package main

import (
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/format"
)

// netStatus says when the app runs offline, on the data of which date, and
// offers to reload when a new version of the app is installed.
type netStatus struct {
	app.Compo

	// Date is the snapshot's date; zero when none is loaded. Exported, so
	// that go-app passes a new value on to the mounted component.
	Date time.Time

	offline bool
	update  bool
	stop    []func()
}

func newNetStatus(date time.Time) *netStatus { return &netStatus{Date: date} }

func (n *netStatus) OnMount(ctx app.Context) {
	n.offline = !app.Window().Get("navigator").Get("onLine").Bool()
	n.update = ctx.AppUpdateAvailable()
	set := func(offline bool) app.EventHandler {
		return func(ctx app.Context, _ app.Event) { n.offline = offline }
	}
	n.stop = append(n.stop,
		app.Window().AddEventListener("online", set(false)),
		app.Window().AddEventListener("offline", set(true)),
	)
}

func (n *netStatus) OnDismount() {
	for _, stop := range n.stop {
		stop()
	}
	n.stop = nil
}

func (n *netStatus) OnAppUpdate(ctx app.Context) { n.update = ctx.AppUpdateAvailable() }

func (n *netStatus) Render() app.UI {
	var offline, update app.UI
	if n.offline {
		text := "offline"
		if !n.Date.IsZero() {
			text += " · data as of " + format.Date(n.Date)
		}
		offline = app.Span().Class("badge offline").Aria("live", "polite").Text(text)
	}
	if n.update {
		update = app.Span().Class("badge update").Body(
			app.Text("New version available · "),
			app.Button().Class("linklike").Text("Reload").OnClick(func(ctx app.Context, _ app.Event) { ctx.Reload() }),
		)
	}
	return app.Div().Class("netstatus").Body(offline, update)
}
