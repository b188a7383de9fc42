//go:build wasm

package app

import "strings"

// versus: http.go and resource.go (Handler, ResourceProvider) serve the app
// and import net/http, which brings crypto/tls, text/template and mime into
// the wasm through their package initialisers (1.8 MB of the 9.5 MB wasm).
// The wasm never serves: it keeps only this.

// Handler is the http.Handler that serves the app. It is a placeholder in the
// wasm, where GenerateStaticWebsite (wasm.go) names it.
type Handler struct{}

func isRemoteLocation(path string) bool {
	return strings.HasPrefix(path, "https://") ||
		strings.HasPrefix(path, "http://")
}

func isStaticResourcePath(path string) bool {
	return strings.HasPrefix(path, "/web/") ||
		strings.HasPrefix(path, "web/")
}
