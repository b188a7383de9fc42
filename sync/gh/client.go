// Package gh reads tracked repositories from the GitHub REST API through
// go-github: metadata, the newest commit, weekly commit activity, the latest
// release and the contributor count, at most five requests per repository;
// and, page by page as the caller's budget allows, the star history.
//
// Every request is conditional (an ETag cache turns 304s back into 200s)
// and passes one shared Gate that caps requests in flight and closes for
// all workers when a primary or secondary rate limit, or a 429, is met.
// Every attempt has a deadline for its whole answer and failed attempts are
// retried a bounded number of times, so a hung answer costs one repository
// an error (ErrTimeout) and never stops the other workers.
package gh

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v57/github"

	"versus/sync/snapshot"
)

// DefaultBaseURL is GitHub's REST API.
const DefaultBaseURL = "https://api.github.com/"

// ErrNotFound reports a repository GitHub does not know (404).
var ErrNotFound = errors.New("repository not found")

// Options configure a Client. Zero values take the defaults.
type Options struct {
	BaseURL     string            // default DefaultBaseURL
	Token       string            // optional; sent only to BaseURL's host
	Concurrency int               // requests in flight; default 4
	MaxWait     time.Duration     // longest limit worth waiting for; default 1h
	Timeout     time.Duration     // for each attempt's whole answer; default 30s
	Clock       Clock             // default RealClock
	Cache       *Cache            // ETag cache; default a new empty one
	Transport   http.RoundTripper // below everything; default http.DefaultTransport
	Log         *slog.Logger      // warns of items dropped as malformed; default slog.Default()
}

// Client reads repositories. It is safe for concurrent use.
type Client struct {
	gh    *github.Client
	gate  *Gate
	cache *Cache
	clock Clock
	log   *slog.Logger
}

// New returns a Client.
func New(opts Options) (*Client, error) {
	if opts.Clock == nil {
		opts.Clock = RealClock{}
	}
	if opts.Cache == nil {
		opts.Cache = NewCache(opts.Clock.Now)
	}
	if opts.Transport == nil {
		opts.Transport = http.DefaultTransport
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	base := opts.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	if !strings.HasSuffix(base, "/") {
		base += "/" // go-github requires the trailing slash
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("github api url %q is not an http(s) URL", opts.BaseURL)
	}
	gate := NewGate(opts.Clock, opts.Concurrency, opts.Timeout, opts.MaxWait)
	var rt http.RoundTripper = opts.Cache.Transport(gate.Transport(opts.Transport))
	if opts.Token != "" {
		rt = &authTransport{host: u.Host, token: opts.Token, next: rt}
	}
	gc := github.NewClient(&http.Client{Transport: rt})
	gc.BaseURL = u
	return &Client{gh: gc, gate: gate, cache: opts.Cache, clock: opts.Clock, log: opts.Log}, nil
}

// authTransport adds the token, and only for the API host, so that a
// redirect elsewhere never carries it.
type authTransport struct {
	host, token string
	next        http.RoundTripper
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host == t.host {
		req = req.Clone(req.Context())
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	return t.next.RoundTrip(req)
}

// Stats returns the request counters so far.
func (c *Client) Stats() Stats { return c.gate.Stats() }

// Repo is what one fetch learns about a repository. Pointers are nil when
// unknown.
type Repo struct {
	FullName     string // as GitHub names it now; differs after a rename
	Description  string
	Homepage     string
	Language     string
	License      *snapshot.License
	Topics       []string
	Stars        *int // nil when the answer leaves the count out
	Forks        *int
	OpenIssues   *int
	Created      *time.Time
	Archived     bool
	LastCommit   *time.Time
	Commits      *snapshot.Weekly // nil when empty or not ready
	Pending      bool             // stats/commit_activity answered 202: ask again later
	Release      *snapshot.Release
	Contributors *int
}

// Renamed reports whether GitHub now knows the repository by another name.
func (r *Repo) Renamed(asked string) bool { return !strings.EqualFold(r.FullName, asked) }

// Fetch reads repo ("owner/name") with at most five requests. A 404 gives
// an error wrapping ErrNotFound; a rename (301) is followed and shows in
// FullName.
func (c *Client) Fetch(ctx context.Context, repo string) (*Repo, error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok {
		return nil, fmt.Errorf("fetch %s: not of the form owner/name", repo)
	}
	gr, _, err := c.gh.Repositories.Get(ctx, owner, name)
	if err != nil {
		if isStatus(err, http.StatusNotFound) {
			return nil, fmt.Errorf("fetch %s: %w", repo, ErrNotFound)
		}
		return nil, fmt.Errorf("fetch %s: metadata: %w", repo, err)
	}
	r := repoFrom(gr)
	if r.FullName == "" {
		r.FullName = repo
	}
	r.Created = c.sane(repo, "created_at", r.Created)
	owner, name, _ = strings.Cut(r.FullName, "/")
	if r.LastCommit, err = c.lastCommit(ctx, owner, name); err != nil {
		return nil, fmt.Errorf("fetch %s: last commit: %w", repo, err)
	}
	r.LastCommit = c.sane(repo, "last commit date", r.LastCommit)
	w, ready, err := c.Activity(ctx, r.FullName)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", repo, err)
	}
	r.Commits, r.Pending = w, !ready
	if r.Release, err = c.release(ctx, owner, name); err != nil {
		return nil, fmt.Errorf("fetch %s: latest release: %w", repo, err)
	}
	if r.Release != nil && c.sane(repo, "release date", &r.Release.Date) == nil {
		r.Release = nil
	}
	if r.Contributors, err = c.Contributors(ctx, r.FullName); err != nil {
		return nil, fmt.Errorf("fetch %s: contributors: %w", repo, err)
	}
	return r, nil
}

func repoFrom(gr *github.Repository) *Repo {
	r := &Repo{
		FullName:    gr.GetFullName(),
		Description: gr.GetDescription(),
		Homepage:    gr.GetHomepage(),
		Language:    gr.GetLanguage(),
		Topics:      gr.Topics,
		Stars:       gr.StargazersCount,
		Forks:       gr.ForksCount,
		OpenIssues:  gr.OpenIssuesCount,
		Archived:    gr.GetArchived(),
	}
	if r.Topics == nil {
		r.Topics = []string{}
	}
	if t := gr.GetCreatedAt(); !t.IsZero() {
		tt := t.UTC()
		r.Created = &tt
	}
	if l := gr.GetLicense(); l != nil {
		spdx, lname := l.GetSPDXID(), l.GetName()
		if spdx == "NOASSERTION" {
			spdx = "" // GitHub's "Other": a licence it could not identify
		}
		if spdx != "" || lname != "" {
			r.License = &snapshot.License{SPDX: spdx, Name: lname}
		}
	}
	return r
}

// lastCommit reads the newest commit on the default branch; nil for an
// empty repository (409).
func (c *Client) lastCommit(ctx context.Context, owner, name string) (*time.Time, error) {
	commits, _, err := c.gh.Repositories.ListCommits(ctx, owner, name, &github.CommitsListOptions{ListOptions: github.ListOptions{PerPage: 1}})
	if err != nil {
		if isStatus(err, http.StatusConflict) {
			return nil, nil
		}
		return nil, err
	}
	if len(commits) == 0 {
		return nil, nil
	}
	cm := commits[0].GetCommit()
	t := cm.GetCommitter().GetDate()
	if t.IsZero() {
		t = cm.GetAuthor().GetDate()
	}
	if t.IsZero() {
		return nil, nil
	}
	tt := t.UTC()
	return &tt, nil
}

// Activity reads the weekly commit counts of the last 52 weeks. ready is
// false when GitHub is still computing them (202): ask again later.
func (c *Client) Activity(ctx context.Context, repo string) (w *snapshot.Weekly, ready bool, err error) {
	owner, name, _ := strings.Cut(repo, "/")
	weeks, resp, err := c.gh.Repositories.ListCommitActivity(ctx, owner, name)
	var accepted *github.AcceptedError
	switch {
	case errors.As(err, &accepted):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("commit activity: %w", err)
	case resp != nil && resp.StatusCode == http.StatusNoContent, len(weeks) == 0:
		return nil, true, nil
	}
	// The weeks follow each other: a week with a bad date is placed by
	// the first good one.
	w = &snapshot.Weekly{Counts: make([]int, len(weeks))}
	for i, wk := range weeks {
		w.Counts[i] = wk.GetTotal()
		if t := wk.GetWeek().UTC(); w.Start.IsZero() && snapshot.CheckTime(t) == nil {
			w.Start = t.AddDate(0, 0, -7*i)
		}
	}
	if w.Start.IsZero() {
		c.log.Warn("github commit activity dropped", "repo", repo,
			"err", fmt.Errorf("no week within the years %d–%d", snapshot.MinYear, snapshot.MaxYear))
		return nil, true, nil
	}
	return w, true, nil
}

// sane returns t, or nil with a warning when no snapshot can hold it
// (snapshot.CheckTime): one bad date drops its item, never the run.
func (c *Client) sane(repo, field string, t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	if err := snapshot.CheckTime(*t); err != nil {
		c.log.Warn("github "+field+" dropped", "repo", repo, "err", err)
		return nil
	}
	return t
}

// release reads the newest published release; nil when there is none
// (GitHub answers 200 with an empty list).
func (c *Client) release(ctx context.Context, owner, name string) (*snapshot.Release, error) {
	rels, _, err := c.gh.Repositories.ListReleases(ctx, owner, name, &github.ListOptions{PerPage: 1})
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		if r.GetDraft() || r.GetTagName() == "" {
			continue
		}
		t := r.GetPublishedAt().Time
		if t.IsZero() {
			t = r.GetCreatedAt().Time
		}
		if t.IsZero() {
			return nil, nil
		}
		return &snapshot.Release{Tag: r.GetTagName(), Date: t.UTC()}, nil
	}
	return nil, nil
}

// Contributors counts the contributors of repo ("owner/name"), anonymous
// ones included, from the last page number of a one-per-page listing: one
// request. GitHub refuses (403) for repositories whose history is too
// large: then the count is unknown (nil).
func (c *Client) Contributors(ctx context.Context, repo string) (*int, error) {
	owner, name, _ := strings.Cut(repo, "/")
	list, resp, err := c.gh.Repositories.ListContributors(ctx, owner, name, &github.ListContributorsOptions{
		Anon: "true", ListOptions: github.ListOptions{PerPage: 1},
	})
	if err != nil {
		if isStatus(err, http.StatusForbidden) {
			return nil, nil
		}
		return nil, err
	}
	n := len(list)
	if resp != nil && resp.LastPage > 0 {
		n = resp.LastPage
	}
	return &n, nil
}

func isStatus(err error, code int) bool {
	var er *github.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == code
}

// Cache returns the client's ETag cache, to save it after a run.
func (c *Client) Cache() *Cache { return c.cache }
