package job

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"versus/sync/gh/ghtest"
	"versus/sync/hn/hntest"
	"versus/sync/snapshot"
)

// TestHungRepository checks that a sync against a GitHub on which one
// repository's requests never answer finishes within its request timeouts,
// publishes, and names that repository in its log: the others are fresh, it
// is stale.
func TestHungRepository(t *testing.T) {
	const hung = "org0/repo3"
	e := newEnv(t, 10)
	e.cfg.Timeout = 200 * time.Millisecond
	e.gh.Inject = func(_ int64, r *http.Request) ghtest.Fault {
		if p := r.URL.Path; p == "/repos/"+hung || strings.HasPrefix(p, "/repos/"+hung+"/") {
			return ghtest.Fault{Kind: ghtest.Hang}
		}
		return ghtest.Fault{}
	}
	rep, err := e.run()
	if err != nil {
		t.Fatalf("run: %v\n%s", err, e.log.String())
	}
	if rep.Pointer == nil {
		t.Fatal("nothing published")
	}
	if len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0], hung) {
		t.Errorf("failed = %v, want only %s", rep.Failed, hung)
	}
	var named bool
	for _, line := range strings.Split(e.log.String(), "\n") {
		named = named || strings.Contains(line, "repo="+hung) && strings.Contains(line, "no answer in time (200ms)")
	}
	if !named {
		t.Errorf("no log line names %s and its timeout:\n%s", hung, e.log.String())
	}
	_, idx := e.latest()
	for _, p := range idx.Projects {
		if p.Stale != (p.Repo == hung) {
			t.Errorf("%s: stale %v", p.Repo, p.Stale)
		}
		if want := map[bool]string{true: snapshot.StaleTimeout}[p.Repo == hung]; p.StaleReason != want {
			t.Errorf("%s: stale reason %q, want %q", p.Repo, p.StaleReason, want)
		}
	}
}

// TestDroppedItemsLogged checks that the GitHub and Hacker News clients
// warn in the run's own log of the items they drop (dates no snapshot can
// hold), and that the run publishes.
func TestDroppedItemsLogged(t *testing.T) {
	e := newEnv(t, 3)
	far := time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
	e.gh.Update("org0/repo1", func(r *ghtest.Repo) { r.Created = far })
	e.hn.Hits = []hntest.Hit{hntest.Story(7, "Show HN: repo2", "https://github.com/org0/repo2", 5, 1, far)}
	rep, err := e.run()
	if err != nil || rep.Pointer == nil {
		t.Fatalf("run = %v, published %v", err, rep.Pointer)
	}
	for _, want := range []string{`msg="github created_at dropped" repo=org0/repo1`, `msg="hacker news hit dropped"`} {
		if !strings.Contains(e.log.String(), want) {
			t.Errorf("the run's log lacks %q:\n%s", want, e.log.String())
		}
	}
}
