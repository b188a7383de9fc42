package gh

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"versus/sync/snapshot"
	"versus/sync/starhist"
)

// Star history paging, as GitHub documents it.
const (
	StarWeeksPerPage   = 30  // weeks in a page of star history, the most GitHub gives
	MaxStarPage        = 100 // the last page GitHub serves
	starHistoryVersion = "2026-03-10"
)

// ErrNoHistory reports that GitHub has no star history for a repository
// (404: a GitHub Enterprise server without the endpoint, or a repository
// that hides it). The caller falls back to the counts it recorded.
var ErrNoHistory = errors.New("no star history")

// StarPage is one page of a repository's star history.
type StarPage struct {
	Weeks []starhist.Week // newest first
	More  bool            // an older page exists (Link rel="next")
}

// starWeek is GitHub's shape of a week.
type starWeek struct {
	Week *int64 `json:"week"` // unix seconds at the week's start
	Days []int  `json:"days"`
}

// StarHistory reads page n (from 1, newest weeks first) of repo's star
// history: GET /repos/{owner}/{repo}/stargazers/history, one core request,
// conditional like every call. A 404 gives an error wrapping ErrNoHistory.
// A week with a date outside the years a snapshot holds, or without seven
// days of non-negative counts, is dropped with a warning.
func (c *Client) StarHistory(ctx context.Context, repo string, page int) (*StarPage, error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok {
		return nil, fmt.Errorf("star history %s: not of the form owner/name", repo)
	}
	if page < 1 || page > MaxStarPage {
		return nil, fmt.Errorf("star history %s: page %d is outside 1–%d", repo, page, MaxStarPage)
	}
	u := fmt.Sprintf("repos/%s/%s/stargazers/history?per_page=%d&page=%d", url.PathEscape(owner), url.PathEscape(name), StarWeeksPerPage, page)
	req, err := c.gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("star history %s: %w", repo, err)
	}
	req.Header.Set("X-GitHub-Api-Version", starHistoryVersion)
	if page > 1 {
		// An older page is read once, ever (the caller keeps its weeks):
		// caching it would only grow the cache, by some 2 KB a page.
		ctx = uncached(ctx)
	}
	var weeks []starWeek
	resp, err := c.gh.Do(ctx, req, &weeks)
	if err != nil {
		if isStatus(err, http.StatusNotFound) {
			return nil, fmt.Errorf("star history %s: %w", repo, ErrNoHistory)
		}
		return nil, fmt.Errorf("star history %s page %d: %w", repo, page, err)
	}
	p := &StarPage{Weeks: make([]starhist.Week, 0, len(weeks)), More: resp.NextPage > page && resp.NextPage <= MaxStarPage}
	for i, w := range weeks {
		if wk, ok := c.starWeek(repo, page, i, w); ok {
			p.Weeks = append(p.Weeks, wk)
		}
	}
	return p, nil
}

// starWeek maps week i of a page, or warns and reports false.
func (c *Client) starWeek(repo string, page, i int, w starWeek) (starhist.Week, bool) {
	bad := func(err error) (starhist.Week, bool) {
		c.log.Warn("github star history week dropped", "repo", repo, "page", page, "week", i, "err", err)
		return starhist.Week{}, false
	}
	if w.Week == nil {
		return bad(errors.New("no start"))
	}
	start := time.Unix(*w.Week, 0).UTC()
	if err := snapshot.CheckTime(start); err != nil {
		return bad(fmt.Errorf("start %w", err))
	}
	wk := starhist.Week{Start: start}
	if len(w.Days) != len(wk.Days) {
		return bad(fmt.Errorf("%d days, want 7", len(w.Days)))
	}
	for d, n := range w.Days {
		if n < 0 {
			return bad(fmt.Errorf("day %d has %d stars", d, n))
		}
		wk.Days[d] = n
	}
	return wk, true
}
