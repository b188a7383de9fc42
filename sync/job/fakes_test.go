package job

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"versus/sync/gh/ghtest"
	"versus/sync/hn/hntest"
)

// fakesRepos makes this test binary the fakes' process: TestMain serves a
// fake GitHub of that many repositories and a fake HN, for a benchmark
// that measures the sync's own memory and CPU, without theirs.
const fakesRepos = "VERSUS_JOB_FAKES_REPOS"

func TestMain(m *testing.M) {
	if n, ok := os.LookupEnv(fakesRepos); ok {
		if err := serveFakes(n, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "fakes:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fakeAddrs is the line the fakes' process prints when it serves.
type fakeAddrs struct {
	GitHub, HN, Control string // base URLs
}

// fakeCounts is what the fakes counted since their last reset, and the
// fakes' process's peak RSS.
type fakeCounts struct {
	Rest, Points, HN int64
	PeakRSS          int64 // bytes
}

// serveFakes serves the fakes of n repositories (a decimal string) and a
// control API, prints their addresses as one JSON line on out, and returns
// when in closes (the benchmark's process ended).
func serveFakes(n string, in io.Reader, out io.Writer) error {
	repos, err := strconv.Atoi(n)
	if err != nil {
		return fmt.Errorf("%s=%q: %w", fakesRepos, n, err)
	}
	gh, hn, clock := ghtest.New(repos), hntest.New(), ghtest.NewClock(start)
	defer gh.Close()
	defer hn.Close()
	gh.Now = clock.Now
	mux := http.NewServeMux()
	mux.HandleFunc("GET /names", func(w http.ResponseWriter, _ *http.Request) { json.NewEncoder(w).Encode(gh.Names()) })
	mux.HandleFunc("GET /counts", func(w http.ResponseWriter, _ *http.Request) {
		c := countsOf(gh, hn)
		rss, _ := peakRSS()
		json.NewEncoder(w).Encode(fakeCounts{Rest: c.rest, Points: c.points, HN: c.hn, PeakRSS: rss})
	})
	mux.HandleFunc("POST /reset", func(http.ResponseWriter, *http.Request) { gh.ResetCounts(); hn.ResetCounts() })
	mux.HandleFunc("POST /clock", func(w http.ResponseWriter, r *http.Request) {
		t, err := time.Parse(time.RFC3339Nano, r.FormValue("now"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		clock.Advance(t.Sub(clock.Now()))
	})
	mux.HandleFunc("POST /change", func(w http.ResponseWriter, r *http.Request) {
		t, err := time.Parse(time.RFC3339Nano, r.FormValue("at"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		json.NewEncoder(w).Encode(change(gh, t))
	})
	mux.HandleFunc("PUT /hn/hits", func(w http.ResponseWriter, r *http.Request) {
		var hits []hntest.Hit
		if err := json.NewDecoder(r.Body).Decode(&hits); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		hn.Hits = hits // no HN request is in flight between runs
	})
	control := httptest.NewServer(mux)
	defer control.Close()
	if err := json.NewEncoder(out).Encode(fakeAddrs{GitHub: gh.BaseURL(), HN: hn.URL, Control: control.URL}); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, in)
	return err
}

// remoteFakes is the benchmark's side of the fakes' process.
type remoteFakes struct {
	b    testing.TB
	addr fakeAddrs
}

// startFakes starts the fakes' process for n repositories; it ends with
// the benchmark.
func startFakes(b testing.TB, n int) *remoteFakes {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fakesRepos+"="+strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stdin.Close()
		cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err != nil {
		b.Fatalf("the fakes' process did not start: %v", err)
	}
	f := &remoteFakes{b: b}
	if err := json.Unmarshal(line, &f.addr); err != nil {
		b.Fatalf("the fakes' process printed %q: %v", line, err)
	}
	return f
}

// call asks the control API; into, when set, takes the JSON answer.
func (f *remoteFakes) call(method, path string, body io.Reader, into any) {
	f.b.Helper()
	req, err := http.NewRequest(method, f.addr.Control+path, body)
	if err != nil {
		f.b.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.b.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(resp.Body)
		f.b.Fatalf("%s %s: %s: %s", method, path, resp.Status, msg)
	}
	if into != nil {
		if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
			f.b.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

func (f *remoteFakes) counts() fakeCounts {
	var c fakeCounts
	f.call("GET", "/counts", nil, &c)
	return c
}

func (f *remoteFakes) reset() { f.call("POST", "/reset", nil, nil) }

// setClock sets the fakes' clock to the sync's (a sync that waits out a
// rate limit moves only its own).
func (f *remoteFakes) setClock(now time.Time) {
	f.call("POST", "/clock?now="+url.QueryEscape(now.Format(time.RFC3339Nano)), nil, nil)
}

// change is env.change in the fakes' process.
func (f *remoteFakes) change(at time.Time) []string {
	var changed []string
	f.call("POST", "/change?at="+url.QueryEscape(at.Format(time.RFC3339Nano)), nil, &changed)
	return changed
}

func (f *remoteFakes) setHits(hits ...hntest.Hit) {
	b, err := json.Marshal(hits)
	if err != nil {
		f.b.Fatal(err)
	}
	f.call("PUT", "/hn/hits", strings.NewReader(string(b)), nil)
}

// env returns a world whose GitHub and HN are the fakes' process's.
func (f *remoteFakes) env() *env {
	f.b.Helper()
	var names []string
	f.call("GET", "/names", nil, &names)
	e := &env{t: f.b, clock: ghtest.NewClock(start)}
	dir := f.b.TempDir()
	e.storeDir, e.stateDir = filepath.Join(dir, "store"), filepath.Join(dir, "state")
	e.cfg = Defaults()
	e.cfg.Catalog, e.cfg.Public, e.cfg.State = filepath.Join(dir, "catalog.yaml"), folderStore(f.b, e.storeDir), folderStore(f.b, e.stateDir)
	e.cfg.GitHubAPI, e.cfg.HNAPI = f.addr.GitHub, f.addr.HN
	e.cfg.Clock, e.cfg.Transport = e.clock, ghtest.Transport(nil)
	e.cfg.Token, e.cfg.Stdout, e.cfg.Stderr = "test-token", &e.out, &e.log
	writeCatalog(f.b, e.cfg.Catalog, names)
	return e
}

// TestFakesProcess runs two syncs against fakes served by another process,
// as BenchmarkSync10k does, and checks what their control API reports.
func TestFakesProcess(t *testing.T) {
	fakes := startFakes(t, 20)
	e := fakes.env()
	fakes.setHits(hntest.Story(1, "Show HN: repo1", "https://github.com/org0/repo1", 50, 10, start.Add(-time.Hour)))
	fakes.setClock(e.clock.Now())
	if _, err := e.run(); err != nil {
		t.Fatalf("cold run: %v\n%s", err, e.log.String())
	}
	cold := fakes.counts()
	if cold.Rest < 20 || cold.Points == 0 || cold.HN == 0 || cold.PeakRSS == 0 {
		t.Errorf("cold run counted %+v, want REST requests, points, HN requests and the fakes' RSS", cold)
	}
	_, idx := e.latest()
	if p := idx.Projects[1]; p.Mentions == nil || *p.Mentions != 1 {
		t.Errorf("%s mentions %v, want the story the fake HN holds", p.Repo, p.Mentions)
	}
	fakes.reset()
	e.clock.Advance(6 * time.Hour)
	fakes.setClock(e.clock.Now())
	changed := fakes.change(e.clock.Now().Add(-time.Hour))
	if len(changed) != 4 {
		t.Fatalf("changed %v, want 4 repositories", changed)
	}
	if _, err := e.run(); err != nil {
		t.Fatalf("warm run: %v\n%s", err, e.log.String())
	}
	if warm := fakes.counts(); warm.Rest < int64(len(changed)) || warm.Rest >= cold.Rest {
		t.Errorf("warm run counted %d REST requests, want at least one per changed repository and fewer than cold's %d", warm.Rest, cold.Rest)
	}
}
