package demo

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"versus/sync/snapshot"
	"versus/sync/store"
)

// testdata is the recorded world, webData the committed sample.
var (
	testdata = filepath.Join("..", "..", "testdata", "demo")
	webData  = filepath.Join("..", "..", "..", "web", "data")
)

// TestDemoData runs the sync as make demo-data does and checks that it
// reproduces the committed sample in web/data byte for byte, and that the
// sample holds the seed's figures (../shared/seed/projects.json).
func TestDemoData(t *testing.T) {
	ctx := context.Background()
	storeDir, stateDir, out := t.TempDir(), t.TempDir(), t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := Generate(ctx, testdata, folder(t, storeDir), folder(t, stateDir), &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if err := Export(ctx, storeDir, out); err != nil {
		t.Fatal(err)
	}

	got, want := readTree(t, out), readTree(t, webData)
	if diff := cmp.Diff(names(want), names(got)); diff != "" {
		t.Errorf("files mismatch (-web/data +generated); run make demo-data:\n%s", diff)
	}
	for name, w := range want {
		if g, ok := got[name]; ok && !bytes.Equal(w, g) {
			t.Errorf("%s differs from web/data; run make demo-data (-web/data +generated):\n%s", name, cmp.Diff(string(w), string(g)))
		}
	}

	x, err := snapshot.DecodeIndex(bytes.NewReader(got[snapshot.IndexName("2021-11-25T12-00-00Z")]))
	if err != nil {
		t.Fatalf("generated index: %v", err)
	}
	type figures struct {
		Stars, Mentions   *int
		Growth, Activity  *float64
		LastCommit, SPDX  string
		FirstAlternatives []string
	}
	gotFigures := map[string]figures{}
	for _, p := range x.Projects {
		f := figures{Stars: p.Stars, Mentions: p.Mentions, Growth: p.Growth, Activity: p.Activity,
			LastCommit: p.LastCommit.Format("2006-01-02"), SPDX: p.License.SPDX}
		if p.Repo == "tokio-rs/tokio" || p.Repo == "async-rs/async-std" {
			f.FirstAlternatives = p.Alternatives[:3]
		}
		gotFigures[p.Repo] = f
	}
	i, f := func(v int) *int { return &v }, func(v float64) *float64 { return &v }
	unknown := func(day, spdx string) figures { return figures{LastCommit: day, SPDX: spdx} }
	wantFigures := map[string]figures{
		"tokio-rs/tokio":           {i(13967), i(70), f(3.8), f(9.6), "2021-11-19", "MIT", []string{"async-std", "rayon", "rocket"}},
		"async-rs/async-std":       {i(3056), i(13), f(1.6), f(5.5), "2021-11-06", "Apache-2.0 OR MIT", []string{"tokio", "rayon", "rocket"}},
		"rayon-rs/rayon":           unknown("2021-10-28", "MIT OR Apache-2.0"),
		"rwf2/Rocket":              unknown("2021-09-07", "MIT OR Apache-2.0"),
		"launchbadge/sqlx":         unknown("2021-11-22", "MIT OR Apache-2.0"),
		"smol-rs/smol":             unknown("2021-06-30", "Apache-2.0 OR MIT"),
		"hyperium/hyper":           unknown("2021-11-24", "MIT"),
		"bevyengine/bevy":          unknown("2021-11-25", "MIT OR Apache-2.0"),
		"seanmonstar/warp":         unknown("2021-11-09", "MIT"),
		"seanmonstar/reqwest":      unknown("2021-11-18", "MIT OR Apache-2.0"),
		"actix/actix-web":          unknown("2021-11-25", "MIT OR Apache-2.0"),
		"rust-windowing/winit":     unknown("2021-11-24", "Apache-2.0"),
		"spacejam/sled":            unknown("2021-09-12", "MIT OR Apache-2.0"),
		"async-rs/async-std-hyper": unknown("2020-02-14", "Apache-2.0 OR MIT"),
	}
	if diff := cmp.Diff(wantFigures, gotFigures); diff != "" {
		t.Errorf("sample figures mismatch (-seed +generated):\n%s", diff)
	}
}

// readTree returns every file under dir by slash-separated relative name.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func folder(t *testing.T, dir string) *store.Folder {
	t.Helper()
	st, err := store.NewFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func names(files map[string][]byte) map[string]bool {
	out := map[string]bool{}
	for name := range files {
		out[name] = true
	}
	return out
}
