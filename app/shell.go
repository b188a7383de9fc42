//go:build !(js && wasm)

package main

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
)

// workerTemplate is our service worker: go-app's default is cache-first for
// everything, which would freeze the snapshot.
//
//go:embed app-worker.js
var workerTemplate string

// lazyJS defers go-app's wasm start to the first interaction; patchAppJS
// puts it into go-app's app.js.
//
//go:embed lazy.js
var lazyJS string

// siteJS applies the chosen theme and shows the "data older than a day"
// warning by the visitor's clock before the wasm starts; patchAppJS puts it
// into go-app's app.js too.
//
//go:embed site.js
var siteJS string

// shellVersion hashes everything the service worker caches as the app shell:
// the wasm, the scripts embedded in the server (app.js carries lazy.js and
// site.js) and the files of webDir. Any change makes a new version, which
// clients see as an update; an unchanged build keeps its version.
func shellVersion(webDir string, wasm []byte) (string, error) {
	sum := sha256.New()
	for _, s := range []string{workerTemplate, lazyJS, siteJS} {
		sum.Write([]byte(s))
	}
	sum.Write(wasm)
	entries, err := os.ReadDir(webDir)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, "app.wasm") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(webDir, name))
		if err != nil {
			return "", err
		}
		sum.Write([]byte(name))
		sum.Write(b)
	}
	return hex.EncodeToString(sum.Sum(nil))[:16], nil
}
