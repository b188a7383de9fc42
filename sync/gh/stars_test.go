package gh_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/sync/gh"
	"versus/sync/gh/ghtest"
	"versus/sync/snapshot"
	"versus/sync/starhist"
)

// starRepo is a repository with 62 weeks of star history up to start (a
// Sunday, 06:00): week 10 has no stars, and the current week is partial.
func starRepo() (*ghtest.Repo, []starhist.Week) {
	first := time.Date(2024, 12, 29, 0, 0, 0, 0, time.UTC) // a Sunday, 61 weeks before start
	r := &ghtest.Repo{ID: 9, FullName: "stars/repo", Stars: 0, Created: first, LastCommit: start, StarStart: first}
	var want []starhist.Week // newest first
	for wk := range 62 {
		w := starhist.Week{Start: first.AddDate(0, 0, 7*wk)}
		for d := range 7 {
			n := (wk*7+d)%5 + wk%3
			if wk == 10 {
				n = 0
			}
			r.StarDays = append(r.StarDays, n)
			if !w.Start.AddDate(0, 0, d).After(start) { // the fake's now is start
				w.Days[d] = n
			}
		}
		want = append([]starhist.Week{w}, want...)
	}
	return r, want
}

func TestStarHistoryPages(t *testing.T) {
	srv, c, _ := setup(t, 1, gh.Options{})
	repo, want := starRepo()
	srv.Add(repo)
	ctx := context.Background()
	var got []starhist.Week
	for page, wantMore := range []bool{true, true, false} {
		p, err := c.StarHistory(ctx, "stars/repo", page+1)
		if err != nil {
			t.Fatalf("StarHistory(page %d): %v", page+1, err)
		}
		if p.More != wantMore {
			t.Errorf("StarHistory(page %d).More = %v, want %v", page+1, p.More, wantMore)
		}
		for _, w := range p.Weeks {
			if n := starhist.PageOf(want[0].Start, w.Start, gh.StarWeeksPerPage); n != page+1 {
				t.Errorf("week %v on page %d, PageOf says %d", w.Start, page+1, n)
			}
		}
		got = append(got, p.Weeks...)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("weeks mismatch (-want +got):\n%s", diff)
	}
	if got[0].Days != [7]int{want[0].Days[0]} || want[0].Days[0] == 0 {
		t.Errorf("current week = %v, want only its first day (today) counted", got[0].Days)
	}
	if got[51].Total() != 0 {
		t.Errorf("week 10 = %v, want a week of zeros", got[51].Days)
	}
	if n := srv.QuotaCounted(); n != 3 {
		t.Errorf("%d requests counted, want 1 a page", n)
	}
	// Past the last page: an empty page.
	p, err := c.StarHistory(ctx, "stars/repo", 4)
	if err != nil || len(p.Weeks) != 0 || p.More {
		t.Errorf("StarHistory(page 4) = %+v, %v; want an empty last page", p, err)
	}
	// Only the newest page is kept in the cache: older ones are read once.
	if n := c.Cache().Len(); n != 1 {
		t.Errorf("cache holds %d answers after 4 pages, want 1 (the newest page)", n)
	}
	// Asked again, the newest page costs no quota and keeps its Link.
	srv.ResetCounts()
	p, err = c.StarHistory(ctx, "stars/repo", 1)
	if err != nil || !p.More || len(p.Weeks) != gh.StarWeeksPerPage {
		t.Fatalf("StarHistory(page 1) again = more %v, %d weeks, %v", p.More, len(p.Weeks), err)
	}
	if diff := cmp.Diff(want[:gh.StarWeeksPerPage], p.Weeks); diff != "" {
		t.Errorf("page 1 from the cache mismatch (-want +got):\n%s", diff)
	}
	if srv.NotModified() != 1 || srv.QuotaCounted() != 0 {
		t.Errorf("304s %d, counted %d; want 1, 0", srv.NotModified(), srv.QuotaCounted())
	}
}

func TestStarHistoryNotFound(t *testing.T) {
	srv, c, _ := setup(t, 2, gh.Options{})
	srv.Update("org0/repo1", func(r *ghtest.Repo) { r.NoStarHistory = true })
	for _, repo := range []string{"org0/repo1", "org0/gone"} {
		_, err := c.StarHistory(context.Background(), repo, 1)
		if !errors.Is(err, gh.ErrNoHistory) || !strings.Contains(err.Error(), repo) {
			t.Errorf("StarHistory(%s) = %v, want ErrNoHistory naming it", repo, err)
		}
	}
	for _, page := range []int{0, gh.MaxStarPage + 1} {
		if _, err := c.StarHistory(context.Background(), "org0/repo0", page); err == nil {
			t.Errorf("StarHistory(page %d) = nil error, want page out of range", page)
		}
	}
	if n := srv.Requests(); n != 2 {
		t.Errorf("%d requests, want 2 (none for pages out of range)", n)
	}
}

// TestStarHistoryRebuild reads a synthetic repository's whole history and
// rebuilds its curve: from 0 before the first star to stargazers_count.
func TestStarHistoryRebuild(t *testing.T) {
	_, c, _ := setup(t, 8, gh.Options{})
	ctx := context.Background()
	r, err := c.Fetch(ctx, "org0/repo7")
	if err != nil {
		t.Fatal(err)
	}
	h := starhist.History{Now: start, Stars: *r.Stars}
	pages := 0
	for page := 1; ; page++ {
		p, err := c.StarHistory(ctx, "org0/repo7", page)
		if err != nil {
			t.Fatalf("StarHistory(page %d): %v", page, err)
		}
		pages++
		h.Weeks = append(h.Weeks, p.Weeks...)
		if !p.More {
			h.Complete = true
			break
		}
	}
	curve := h.Curve()
	if first, last := curve[0], curve[len(curve)-1]; first.Stars != 0 || last.Stars != *r.Stars || !last.Date.Equal(start) {
		t.Errorf("curve from %+v to %+v, want 0 stars to %d at %v", first, last, *r.Stars, start)
	}
	if err := (&snapshot.Detail{SchemaVersion: snapshot.SchemaVersion, Repo: "org0/repo7", StarHistory: curve}).Validate(); err != nil {
		t.Errorf("the rebuilt curve does not validate: %v", err)
	}
	rec := h.Recent()
	if rec.Stars7d == nil || rec.Stars30d == nil || rec.Growth == nil || *rec.Stars30d <= *rec.Stars7d || *rec.Stars7d <= 0 {
		t.Fatalf("Recent() = %+v, want growth and gains known, 30 days more than 7", rec)
	}
	if want := (len(h.Weeks) + gh.StarWeeksPerPage - 1) / gh.StarWeeksPerPage; pages != want || pages < 2 {
		t.Errorf("read %d pages for %d weeks, want %d", pages, len(h.Weeks), want)
	}
	t.Logf("%d weeks in %d pages, %d points, 7d %d, 30d %d, growth %.1f%%", len(h.Weeks), pages, len(curve), *rec.Stars7d, *rec.Stars30d, *rec.Growth)
}

// TestStarHistoryBadWeeks checks that a malformed week is dropped with a
// warning and the others are kept.
func TestStarHistoryBadWeeks(t *testing.T) {
	good := time.Date(2026, 2, 22, 0, 0, 0, 0, time.UTC)
	c, logged := loggedClient(t, func(w http.ResponseWriter, r *http.Request) {
		if v := r.Header.Get("X-GitHub-Api-Version"); v != ghtest.StarHistoryVersion {
			http.Error(w, "version "+v, http.StatusBadRequest)
			return
		}
		w.Header().Set("Link", fmt.Sprintf(`<http://%s/repos/o/r/stargazers/history?page=2>; rel="next"`, r.Host))
		fmt.Fprintf(w, `[{"week":%d,"total":3,"days":[1,2,0,0,0,0,0]},{"week":16725225600,"total":1,"days":[1,0,0,0,0,0,0]},
			{"week":%d,"total":1,"days":[1,0,0,0,0,0]},{"week":%d,"days":[0,-1,0,0,0,0,0]},{"total":2,"days":[2,0,0,0,0,0,0]}]`,
			good.Unix(), good.AddDate(0, 0, -14).Unix(), good.AddDate(0, 0, -21).Unix())
	})
	p, err := c.StarHistory(context.Background(), "o/r", 1)
	if err != nil {
		t.Fatalf("StarHistory: %v", err)
	}
	want := &gh.StarPage{Weeks: []starhist.Week{{Start: good, Days: [7]int{1, 2}}}, More: true}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("StarHistory mismatch (-want +got):\n%s", diff)
	}
	for _, w := range []string{`repo=o/r page=1 week=1 err="start 2500-01-01T00:00:00Z is outside the years 1970–2100"`,
		`week=2 err="6 days, want 7"`, `week=3 err="day 1 has -1 stars"`, `week=4 err="no start"`} {
		if !strings.Contains(logged.String(), w) {
			t.Errorf("log = %q, want it to say %q", logged.String(), w)
		}
	}
}
