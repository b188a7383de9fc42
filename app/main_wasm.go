//go:build js && wasm

package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/dataset"
)

func main() {
	src := dataset.NewLoader(browserFetch, 0)
	prefetch(src, app.Window().URL().Path)
	routes(src)
	app.RunWhenOnBrowser()
}
