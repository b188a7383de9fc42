// Package sampletest reads the sample snapshot bundled in web/data, for the
// tests of the index decoders.
package sampletest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Index returns the bytes of the sample's index.json.
func Index(t testing.TB) []byte {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(here), "../../../../web/data/snapshots/*/index.json"))
	if len(files) == 0 {
		t.Fatal("no sample index in web/data")
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	return b
}
