package job

import (
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"versus/sync/collect"
	"versus/sync/gh/ghtest"
)

const day = 24 * time.Hour

// noStarHistory makes every repository answer 404 for its star history,
// as a GitHub Enterprise server without the endpoint does.
func (e *env) noStarHistory() {
	for _, n := range e.gh.Names() {
		e.gh.Update(n, func(r *ghtest.Repo) { r.NoStarHistory = true })
	}
}

// historyRequests returns the star history requests served so far.
func (e *env) historyRequests() int64 {
	var n int64
	for _, name := range e.gh.Names() {
		n += e.gh.PathCount("/repos/" + name + "/stargazers/history")
	}
	return n
}

// pageLog records every star history page asked, below the client.
type pageLog struct {
	next  http.RoundTripper
	mu    sync.Mutex
	asked map[string]int // "/repos/o/r/stargazers/history?page=N…" → times
}

func (l *pageLog) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/stargazers/history") {
		l.mu.Lock()
		l.asked[req.URL.Path+"?"+req.URL.RawQuery]++
		l.mu.Unlock()
	}
	return l.next.RoundTrip(req)
}

func (e *env) logPages() *pageLog {
	l := &pageLog{next: e.cfg.Transport, asked: map[string]int{}}
	e.cfg.Transport = l
	return l
}

// starDays gives repository i of a test a history of weeks weeks ending
// today (the day of start): a few stars most days, a burst some weeks, and
// a week of zeros, none after today; Stars is their sum.
func starDays(e *env, weeks int) {
	first := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC).Add(-time.Duration(weeks-1) * 7 * day)
	for i, name := range e.gh.Names() {
		e.gh.Update(name, func(r *ghtest.Repo) {
			r.StarStart, r.StarDays, r.Stars = first, make([]int, 7*weeks), 0
			r.Created = first.Add(day)
			for d := range r.StarDays {
				n := (d*31 + i*17) % 9
				if d/7 == 3 {
					n = 0
				}
				if d%70 == 5 {
					n += 40 * (i + 1)
				}
				if d > 7*(weeks-1) {
					n = 0 // after today
				}
				r.StarDays[d], r.Stars = n, r.Stars+n
			}
		})
	}
}

// wantRecent computes stars_30d and growth from a repository's days by
// hand: the stars given from the start of the day 30 days before the day
// of now, and their share of the stars before.
func wantRecent(r *ghtest.Repo, now time.Time) (int, float64) {
	today := int(now.Sub(r.StarStart) / day)
	gained := 0
	for d := today - 30; d <= today && d < len(r.StarDays); d++ {
		gained += r.StarDays[d]
	}
	return gained, math.Round(float64(gained)/float64(r.Stars-gained)*1000) / 10
}

func (e *env) repo(name string) *ghtest.Repo {
	var out ghtest.Repo
	e.gh.Update(name, func(r *ghtest.Repo) { out = *r; out.StarDays = append([]int(nil), r.StarDays...) })
	return &out
}

// TestStarHistoryColdThenWarm checks that a cold sync gives every
// repository growth, stars_7d and stars_30d from the days and a complete
// curve, a repository without history (404) its recorded counts; that a
// warm run with no star changes asks the endpoint nothing, the 404 is not
// asked again; and that a changed count asks the newest page alone.
func TestStarHistoryColdThenWarm(t *testing.T) {
	const n = 6
	e := newEnv(t, n)
	starDays(e, 70) // three pages each
	names := e.gh.Names()
	hidden := names[n-1]
	e.gh.Update(hidden, func(r *ghtest.Repo) { r.NoStarHistory = true })
	pages := e.logPages()
	rep, err := e.run()
	if err != nil {
		t.Fatalf("cold run: %v\n%s", err, e.log.String())
	}
	if rep.History.Newest != n-1 || rep.History.Older != 2*(n-1) || rep.History.Missing != 1 || rep.History.ToCome != 0 {
		t.Errorf("cold run history = %+v, want %d newest, %d older pages, 1 missing, none to come", rep.History, n-1, 2*(n-1))
	}
	for u, times := range pages.asked {
		if times != 1 {
			t.Errorf("%s asked %d times, want once", u, times)
		}
	}
	_, idx := e.latest()
	dets := e.details()
	for _, p := range idx.Projects {
		r := e.repo(p.Repo)
		d := dets[p.Repo]
		if p.Repo == hidden {
			if p.Growth != nil || p.Stars30d != nil || len(d.StarHistory) != 1 {
				t.Errorf("%s (404): growth %v, stars_30d %v, %d points, want the recorded count alone", p.Repo, p.Growth, p.Stars30d, len(d.StarHistory))
			}
			continue
		}
		gained, growth := wantRecent(r, start)
		if p.Stars30d == nil || *p.Stars30d != gained || p.Growth == nil || *p.Growth != growth || p.Stars7d == nil {
			t.Errorf("%s: stars_30d %v, growth %v, stars_7d %v; want %d, %.1f and known", p.Repo, p.Stars30d, p.Growth, p.Stars7d, gained, growth)
		}
		h := d.StarHistory
		if len(h) < 90 || !h[0].Date.Equal(r.StarStart) || h[0].Stars != 0 || h[len(h)-1].Stars != r.Stars {
			t.Errorf("%s: curve of %d points from %v (%d stars) to %d stars, want a complete one from %v (0) to %d", p.Repo, len(h), h[0].Date, h[0].Stars, h[len(h)-1].Stars, r.StarStart, r.Stars)
		}
	}

	e.gh.ResetCounts()
	e.clock.Advance(6 * time.Hour)
	if _, err := e.run(); err != nil {
		t.Fatalf("warm run: %v", err)
	}
	if h := e.historyRequests(); h != 0 {
		t.Errorf("warm run without star changes: %d star history requests, want none", h)
	}

	e.gh.ResetCounts()
	e.clock.Advance(6 * time.Hour)
	changed := names[1]
	e.gh.Update(changed, func(r *ghtest.Repo) {
		r.StarDays[int(e.clock.Now().Sub(r.StarStart)/day)] += 25
		r.Stars += 25
	})
	e.gh.Update(hidden, func(r *ghtest.Repo) { r.Stars += 25 })
	if _, err := e.run(); err != nil {
		t.Fatalf("run after a star change: %v", err)
	}
	if got := e.gh.PathCount("/repos/" + changed + "/stargazers/history"); got != 1 || e.historyRequests() != 1 {
		t.Errorf("after %s changed: %d requests for it, %d in all; want its newest page alone", changed, got, e.historyRequests())
	}
	_, idx = e.latest()
	for _, p := range idx.Projects {
		if p.Repo == changed {
			gained, _ := wantRecent(e.repo(changed), e.clock.Now())
			if p.Stars30d == nil || *p.Stars30d != gained {
				t.Errorf("%s after the change: stars_30d %v, want %d", p.Repo, p.Stars30d, gained)
			}
		}
	}

	// A newest page that fails leaves the weeks out of the figures (they
	// miss the new stars): the recorded counts, too young here, stand;
	// the next run reads it.
	e.clock.Advance(6 * time.Hour)
	failing := names[2]
	e.gh.Update(failing, func(r *ghtest.Repo) {
		r.StarDays[int(e.clock.Now().Sub(r.StarStart)/day)] += 10
		r.Stars += 10
	})
	e.gh.Inject = serverError("/repos/" + failing + "/stargazers/history")
	if rep, err = e.run(); err != nil || len(rep.History.Failed) != 1 {
		t.Fatalf("run with a failing history: %v, failed %v", err, rep.History.Failed)
	}
	_, idx = e.latest()
	for _, p := range idx.Projects {
		if p.Repo == failing && (p.Stars30d != nil || p.Growth != nil) {
			t.Errorf("%s with its newest page failed: stars_30d %v, growth %v, want unknown", p.Repo, p.Stars30d, p.Growth)
		}
	}
	e.gh.Inject = nil
	e.gh.ResetCounts()
	e.clock.Advance(time.Hour)
	if _, err := e.run(); err != nil {
		t.Fatal(err)
	}
	if got := e.historyRequests(); got != 1 {
		t.Errorf("the run after: %d star history requests, want the failed newest page again", got)
	}
}

// TestStarHistoryBudget checks that with a low quota older pages are left
// to later runs, the run keeps its reserve, and no page is asked twice
// until the history is complete.
func TestStarHistoryBudget(t *testing.T) {
	const n, weeks = 4, 300 // ten pages each
	e := newEnv(t, n)
	starDays(e, weeks)
	e.gh.Quota = 40
	e.cfg.Reserve = collect.Reserve{} // a quota this small is all the history's budget
	pages := e.logPages()
	var older int64
	runs := 0
	for ; runs < 12; runs++ {
		rep, err := e.run()
		if err != nil {
			t.Fatalf("run %d: %v\n%s", runs+1, err, e.log.String())
		}
		if rep.Stats.Waits != 0 || e.gh.Violations() != 0 {
			t.Fatalf("run %d met the rate limit (%d waits): the budget did not hold", runs+1, rep.Stats.Waits)
		}
		if runs == 0 {
			if rep.History.Newest != n || rep.History.ToCome == 0 {
				t.Errorf("cold run: %d newest pages, %d to come; want %d and some left for later", rep.History.Newest, rep.History.ToCome, n)
			}
			_, idx := e.latest()
			for _, p := range idx.Projects {
				if p.Growth == nil || p.Stars30d == nil {
					t.Errorf("cold run: %s growth %v, stars_30d %v, want known from the newest page", p.Repo, p.Growth, p.Stars30d)
				}
			}
		}
		older += rep.History.Older
		if rep.History.ToCome == 0 {
			break
		}
		e.clock.Advance(time.Hour) // the quota resets
	}
	if runs < 2 || older != n*(weeks/30-1) {
		t.Errorf("%d older pages over %d runs, want %d over more than one run", older, runs+1, n*(weeks/30-1))
	}
	for u, times := range pages.asked {
		if times != 1 {
			t.Errorf("%s asked %d times, want once", u, times)
		}
	}
	for repo, d := range e.details() {
		if r := e.repo(repo); !d.StarHistory[0].Date.Equal(r.StarStart) || d.StarHistory[0].Stars != 0 {
			t.Errorf("%s: curve starts at %v with %d stars, want %v with 0", repo, d.StarHistory[0].Date, d.StarHistory[0].Stars, r.StarStart)
		}
	}
}
