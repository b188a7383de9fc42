// Package demo owns the sample data's world: a fake GitHub and a fake HN
// search that replay the recorded answers in sync/testdata/demo, the star
// history earlier runs would have left, the figures of another tracker
// (reference.json) that only the sample uses, and the copy of the published
// snapshot into web/data. Generate runs the real sync (sync/job) on it;
// Export copies the result out (make demo-data, and its test).
package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"versus/sync/gh/ghtest"
	"versus/sync/job"
	"versus/sync/snapshot"
	"versus/sync/store"
)

// Now is when the sample snapshot is generated: the seed page's date.
const Now = "2021-11-25T12:00:00Z"

// Note is published with the sample snapshot.
const Note = `Sample data: the 14 Rust projects of the LibHunt page "tokio VS async-std", with figures as of 2021-11-25. Unknown figures are left blank.`

// Servers are the fake GitHub and HN search.
type Servers struct {
	GitHub *httptest.Server
	HN     *httptest.Server
}

// Serve starts the fakes on the recorded answers under dir
// (sync/testdata/demo). Close them when done.
func Serve(dir string) *Servers {
	return &Servers{
		GitHub: httptest.NewServer(github{dir: filepath.Join(dir, "github")}),
		HN:     httptest.NewServer(hn{dir: filepath.Join(dir, "hn")}),
	}
}

// Close stops both fakes.
func (s *Servers) Close() {
	s.GitHub.Close()
	s.HN.Close()
}

// Generate runs the sync on the recorded world under dir
// (sync/testdata/demo) at Now, on a clock that moves only by its own waits,
// so that every run publishes the same snapshot into public. It seeds state
// with the star history first and fills in the reference figures before
// publishing. The summary goes to stdout, the log to stderr.
func Generate(ctx context.Context, dir string, public, state store.Store, stdout, stderr io.Writer) error {
	if err := Seed(ctx, state, dir); err != nil {
		return err
	}
	ref, err := loadReference(filepath.Join(dir, "reference.json"))
	if err != nil {
		return err
	}
	now, err := time.Parse(time.RFC3339, Now)
	if err != nil {
		return err
	}
	srv := Serve(dir)
	defer srv.Close()
	cfg := job.Defaults()
	cfg.Catalog, cfg.Public, cfg.State = filepath.Join(dir, "catalog.yaml"), public, state
	cfg.GitHubAPI, cfg.HNAPI = srv.GitHub.URL+"/", srv.HN.URL
	cfg.Clock, cfg.Note, cfg.Stdout, cfg.Stderr = ghtest.NewClock(now), Note, stdout, stderr
	cfg.Amend = func(x *snapshot.Index, log *slog.Logger) {
		for i := range x.Projects {
			if used := ref.apply(&x.Projects[i]); len(used) > 0 {
				log.Info("reference figures used", "repo", x.Projects[i].Repo, "figures", used, "source", ref.Source)
			}
		}
	}
	if _, err := job.Run(ctx, cfg); err != nil {
		return fmt.Errorf("sync: %w", err)
	}
	return nil
}

// github answers a request for /a/b with the recorded body a/b.json and the
// status in a/b.status (200 when there is none), ETag and 304 included, as
// GitHub does. Query strings do not matter: every list is one page.
type github struct{ dir string }

func (g github) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	body, err := os.ReadFile(filepath.Join(g.dir, filepath.FromSlash(name)+".json"))
	if !fs.ValidPath(name) || err != nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}`)
		return
	}
	status := http.StatusOK
	if b, err := os.ReadFile(filepath.Join(g.dir, filepath.FromSlash(name)+".status")); err == nil {
		if status, err = strconv.Atoi(strings.TrimSpace(string(b))); err != nil {
			http.Error(w, "bad recorded status: "+err.Error(), http.StatusInternalServerError)
			return
		}
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if status == http.StatusOK {
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.WriteHeader(status)
	w.Write(body)
}

// hn answers /search?query=github.com/<owner>/<repo> with the recorded
// hn/<owner>/<repo>.json, and 503 where nothing is recorded: posts and
// mentions then stay unknown.
type hn struct{ dir string }

func (h hn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	repo, ok := strings.CutPrefix(r.URL.Query().Get("query"), "github.com/")
	if r.URL.Path != "/search" || !ok || !snapshot.ValidRepo(repo) {
		http.NotFound(w, r)
		return
	}
	body, err := os.ReadFile(filepath.Join(h.dir, filepath.FromSlash(repo)+".json"))
	if err != nil {
		http.Error(w, "no recorded answer", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body)
}

// Seed writes into the state store st the star history earlier runs would
// have left: dir/stars.json (day → repo → stars), through store.RecordStars.
func Seed(ctx context.Context, st store.Store, dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, "stars.json"))
	if err != nil {
		return fmt.Errorf("seed star history: %w", err)
	}
	var byDay map[string]map[string]int
	if err := json.Unmarshal(b, &byDay); err != nil {
		return fmt.Errorf("seed star history: %w", err)
	}
	days := make([]string, 0, len(byDay))
	for day := range byDay {
		days = append(days, day)
	}
	sort.Strings(days)
	for _, day := range days {
		t, err := time.Parse(time.DateOnly, day)
		if err != nil {
			return fmt.Errorf("seed star history: %w", err)
		}
		counts := map[string]int{}
		for repo, n := range byDay[day] {
			counts[strings.ToLower(repo)] = n // the sync keys by lowercase repo
		}
		if _, _, err := store.RecordStars(ctx, st, t, counts); err != nil {
			return fmt.Errorf("seed star history: %w", err)
		}
	}
	return nil
}

// Export replaces the snapshot in out (latest.json and snapshots/) with the
// live snapshot of the folder store storeDir, and nothing else from it.
func Export(ctx context.Context, storeDir, out string) error {
	st, err := store.NewFolder(storeDir)
	if err != nil {
		return err
	}
	ptr, _, err := store.ReadPointer(ctx, st)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	names, err := st.List(ctx, "snapshots/"+ptr.ID+"/")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if len(names) == 0 {
		return errors.New("export: the live snapshot has no objects")
	}
	for _, old := range []string{snapshot.PointerName, "snapshots"} {
		if err := os.RemoveAll(filepath.Join(out, old)); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	for _, name := range append(names, snapshot.PointerName) {
		b, _, err := st.Get(ctx, name)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		dst := filepath.Join(out, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	return nil
}
