//go:build !(js && wasm)

package main

import (
	"encoding/json"
	"net/http"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Theme colours, shared by the manifest and the page's meta tags.
const (
	themeColor      = "#4f46e5"
	backgroundColor = "#ffffff"
)

// manifest is the web app manifest. go-app's has no maskable icon and no id.
func manifest(h *app.Handler) http.Handler {
	type icon struct {
		Src     string `json:"src"`
		Sizes   string `json:"sizes"`
		Type    string `json:"type"`
		Purpose string `json:"purpose,omitempty"`
	}
	b, _ := json.MarshalIndent(map[string]any{
		"id":               "/",
		"name":             h.Name,
		"short_name":       h.ShortName,
		"description":      h.Description,
		"start_url":        "/",
		"scope":            "/",
		"display":          "standalone",
		"theme_color":      h.ThemeColor,
		"background_color": h.BackgroundColor,
		"categories":       []string{"developer", "productivity"},
		"icons": []icon{
			{Src: "/web/icon-192.png", Sizes: "192x192", Type: "image/png"},
			{Src: "/web/icon-512.png", Sizes: "512x512", Type: "image/png"},
			{Src: "/web/icon-maskable-512.png", Sizes: "512x512", Type: "image/png", Purpose: "maskable"},
			{Src: "/web/icon.svg", Sizes: "any", Type: "image/svg+xml"},
		},
	}, "", "  ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/manifest+json")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(b)
	})
}
