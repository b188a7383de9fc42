// Package ghtest is a fake GitHub REST API for tests and benchmarks: it
// serves N synthetic repositories the way GitHub answers (nulls, Link paging,
// ETags and 304s, 202s, rate-limit headers), counts requests, adds latency,
// injects faults, and checks that no request was sent while the client knew
// a rate limit was in force.
package ghtest

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"versus/sync/internal/pathcount"
)

// Headers the recording transport and the server exchange to check causally
// that no request was sent after a limit answer was seen and before the
// limit ended.
const (
	seqHeader  = "X-Ghtest-Seq"  // the answer's number, on limit answers
	seenHeader = "X-Ghtest-Seen" // limit answers the client had closed
)

// Kind is a fault the server can answer with instead of the real answer.
type Kind int

// The faults.
const (
	None        Kind = iota
	Primary          // 403, X-RateLimit-Remaining: 0, reset after Fault.Wait
	Secondary        // 403 secondary limit, Retry-After: Fault.Wait if set
	TooMany          // 429, Retry-After: Fault.Wait if set
	ServerError      // 500
	Truncated        // 200 whose body stops half way
	Malformed        // 200 whose body is not JSON
	Accepted         // 202 (for stats/commit_activity)
	Hang             // no answer until the client gives up or the server closes
	Stall            // 200 whose body stops half way, then hangs like Hang
)

// Fault is one injected answer.
type Fault struct {
	Kind Kind
	Wait time.Duration
}

// Every is a fault for every Nth answer (of a path ending in Suffix, when
// set).
type Every struct {
	N      int64
	Suffix string
	Fault
}

// Storm returns an Inject that answers answer n with the fault of the first
// of faults whose N divides n (and whose Suffix the path has).
func Storm(faults ...Every) func(n int64, r *http.Request) Fault {
	return func(n int64, r *http.Request) Fault {
		for _, f := range faults {
			if n%f.N == 0 && strings.HasSuffix(r.URL.Path, f.Suffix) {
				return f.Fault
			}
		}
		return Fault{}
	}
}

// Server is a fake GitHub. Set the exported fields before the first request.
type Server struct {
	*httptest.Server

	// Now is the server's clock; default time.Now. Share a fake one with
	// the client to test limits without waiting.
	Now func() time.Time
	// Latency is added to every answer (a real sleep; for benchmarks).
	Latency time.Duration
	// Inject, when set, may answer request number n (from 1) with a fault.
	Inject func(n int64, r *http.Request) Fault
	// Quota is the primary limit per hour; 0 means unlimited (5000 shown).
	Quota int
	// GraphQLQuota is GraphQL's own budget of points per hour; 0 means
	// unlimited (5000 shown).
	GraphQLQuota int
	// NoGraphQL answers 404 for /graphql, as a server without it does.
	NoGraphQL bool

	stop     chan struct{} // closed by Close: hung answers end
	stopOnce sync.Once

	mu        sync.Mutex
	repos     map[string]*Repo // by lowercase full name
	order     []string
	renamed   map[string]string // lowercase old name → new full name
	accepted  map[string]int    // 202s left per repo
	remaining int
	resetAt   time.Time
	windows   []window
	seq       int64
	gqlUsed   int
	gqlReset  time.Time

	requests, notModified, quota, violations, points, olderPages atomic.Int64
	perPath                                                      pathcount.Counts
}

type window struct {
	seq int64
	end time.Time
}

// Repo is one synthetic repository; nil pointers are served as JSON null.
type Repo struct {
	ID           int
	FullName     string
	Description  *string
	Homepage     *string
	Language     *string
	License      *License
	Topics       []string
	Stars        int
	Forks        int
	OpenIssues   int
	Created      time.Time
	Archived     bool
	LastCommit   time.Time // zero: an empty repository (409)
	Weeks        []int     // 52 weekly totals, oldest first
	WeekStart    time.Time
	Release      string // tag; empty: no releases
	ReleaseAt    time.Time
	Contributors int
	// Star history: StarDays[i] stars given on the day StarStart+i days,
	// StarStart starting a week. Nil StarDays spreads Stars over the days
	// from Created to the server's now. NoStarHistory answers 404.
	StarStart     time.Time
	StarDays      []int
	NoStarHistory bool
	// GraphQLError, when set, answers the repository in GraphQL with null
	// and an error of that type (a partial error: the rest of the batch
	// is answered).
	GraphQLError string
}

// StarHistoryVersion is the X-GitHub-Api-Version the star history
// endpoint requires; other versions get a 400.
const StarHistoryVersion = "2026-03-10"

// License is a repository licence.
type License struct{ Key, Name, SPDX string }

// New starts a fake GitHub serving n synthetic repositories named
// "org<i/100>/repo<i>". Close it when done.
func New(n int) *Server {
	s := &Server{
		Now:      time.Now,
		repos:    map[string]*Repo{},
		renamed:  map[string]string{},
		accepted: map[string]int{},
		stop:     make(chan struct{}),
	}
	base := time.Date(2026, 1, 4, 0, 0, 0, 0, time.UTC) // a Sunday
	for i := range n {
		s.Add(Synthetic(i, base))
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Close ends hung answers and shuts the server down.
func (s *Server) Close() {
	s.stopOnce.Do(func() { close(s.stop) })
	s.Server.Close()
}

// BaseURL returns the API base URL with the trailing slash go-github needs.
func (s *Server) BaseURL() string { return s.Server.URL + "/" }

// Synthetic returns the deterministic repository number i. Every fifth has
// null description, homepage, language and licence; every third has no
// release.
func Synthetic(i int, base time.Time) *Repo {
	r := &Repo{
		ID:           1000 + i,
		FullName:     fmt.Sprintf("org%d/repo%d", i/100, i),
		Topics:       []string{"topic" + strconv.Itoa(i%7), "topic" + strconv.Itoa(i%11)},
		Stars:        100 + (i*7919)%50000,
		Forks:        10 + i%500,
		OpenIssues:   i % 90,
		Created:      base.AddDate(-5, 0, -i%1000),
		LastCommit:   base.Add(-time.Duration(i%240) * time.Hour),
		WeekStart:    base.AddDate(0, 0, -7*52),
		Contributors: 1 + i%400,
	}
	if i%5 != 0 {
		d, h, l := fmt.Sprintf("Synthetic project %d", i), fmt.Sprintf("https://example.com/%d", i), []string{"Go", "Rust", "TypeScript", "Python"}[i%4]
		r.Description, r.Homepage, r.Language = &d, &h, &l
		r.License = &License{Key: "mit", Name: "MIT License", SPDX: "MIT"}
	}
	if i%3 != 0 {
		r.Release, r.ReleaseAt = fmt.Sprintf("v1.%d.0", i%50), base.AddDate(0, 0, -i%90)
	}
	r.Weeks = make([]int, 52)
	for w := range r.Weeks {
		r.Weeks[w] = (i*31 + w*17) % (1 + i%60)
	}
	return r
}

// Add serves r (replacing one of the same name).
func (s *Server) Add(r *Repo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := strings.ToLower(r.FullName)
	if _, ok := s.repos[k]; !ok {
		s.order = append(s.order, r.FullName)
	}
	s.repos[k] = r
}

// Names returns the full names of the served repositories, in order.
func (s *Server) Names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.order...)
}

// Update changes a repository in place (its ETags change with it).
func (s *Server) Update(name string, f func(*Repo)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.repos[strings.ToLower(name)]; r != nil {
		f(r)
	}
}

// Remove stops serving a repository: it answers 404.
func (s *Server) Remove(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.repos, strings.ToLower(name))
}

// Rename serves the repository under a new name; the old one answers 301.
func (s *Server) Rename(old, newName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := strings.ToLower(old)
	r := s.repos[k]
	if r == nil {
		return
	}
	delete(s.repos, k)
	r.FullName = newName
	s.repos[strings.ToLower(newName)] = r
	s.renamed[k] = newName
}

// Accept makes stats/commit_activity of name answer 202 n times first.
func (s *Server) Accept(name string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accepted[strings.ToLower(name)] = n
}

// Requests returns the number of requests served.
func (s *Server) Requests() int64 { return s.requests.Load() }

// NotModified returns the number of 304 answers.
func (s *Server) NotModified() int64 { return s.notModified.Load() }

// QuotaCounted returns the number of answers that count against the quota
// (all but 304s).
func (s *Server) QuotaCounted() int64 { return s.quota.Load() }

// OlderHistoryPages returns how many answers counted against the quota were
// star-history pages after the first (the budgets leave them out: each is
// read once, ever).
func (s *Server) OlderHistoryPages() int64 { return s.olderPages.Load() }

// Violations returns the number of requests sent after the client had seen
// a limit answer and before that limit ended.
func (s *Server) Violations() int64 { return s.violations.Load() }

// PathCount returns the number of requests for a path ("/repos/o/r").
func (s *Server) PathCount(path string) int64 {
	return s.perPath.Of(path)
}

// ResetCounts zeroes the request counters.
func (s *Server) ResetCounts() {
	s.requests.Store(0)
	s.notModified.Store(0)
	s.quota.Store(0)
	s.points.Store(0)
	s.olderPages.Store(0)
	s.perPath.Reset()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	n := s.requests.Add(1)
	s.perPath.Add(r.URL.Path)
	if s.Latency > 0 {
		time.Sleep(s.Latency)
	}
	now := s.Now()
	s.mu.Lock()
	seen := map[int64]bool{}
	for _, f := range strings.Split(r.Header.Get(seenHeader), ",") {
		if v, err := strconv.ParseInt(f, 10, 64); err == nil {
			seen[v] = true
		}
	}
	for _, win := range s.windows {
		if seen[win.seq] && now.Before(win.end) {
			s.violations.Add(1)
			break
		}
	}
	s.seq++
	seq := s.seq
	// primary quota
	if !now.Before(s.resetAt) {
		s.remaining, s.resetAt = s.Quota, now.Add(time.Hour)
	}
	fault := Fault{}
	if s.Inject != nil {
		s.mu.Unlock()
		fault = s.Inject(n, r)
		s.mu.Lock()
	}
	if s.Quota > 0 && s.remaining <= 0 {
		fault = Fault{Kind: Primary, Wait: s.resetAt.Sub(now)}
	}
	if fault.Kind == Primary {
		s.remaining, s.resetAt = 0, now.Add(fault.Wait)
	}
	limitHdr, remaining := 5000, 4999
	if s.Quota > 0 {
		limitHdr = s.Quota
		if fault.Kind == None && r.URL.Path != "/graphql" {
			s.remaining--
		}
		remaining = max(s.remaining, 0)
	}
	if fault.Kind == Primary {
		remaining = 0
	}
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(limitHdr))
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(s.resetAt.Unix(), 10))
	nw := len(s.windows)
	switch fault.Kind {
	case Primary:
		s.windows = append(s.windows, window{seq, s.resetAt})
	case Secondary, TooMany:
		wait := fault.Wait
		if wait <= 0 {
			wait = time.Minute
		}
		s.windows = append(s.windows, window{seq, now.Add(wait)})
	}
	if s.Quota > 0 && remaining == 0 && fault.Kind == None {
		s.windows = append(s.windows, window{seq, s.resetAt})
	}
	if len(s.windows) > nw {
		w.Header().Set(seqHeader, strconv.FormatInt(seq, 10))
	}
	s.mu.Unlock()

	switch fault.Kind {
	case Hang:
		s.hang(r)
		return
	case Primary:
		s.quota.Add(1)
		writeJSON(w, http.StatusForbidden, map[string]any{
			"message":           "API rate limit exceeded for 127.0.0.1.",
			"documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting",
		})
		return
	case Secondary:
		s.quota.Add(1)
		if fault.Wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(fault.Wait/time.Second)))
		}
		writeJSON(w, http.StatusForbidden, map[string]any{
			"message":           "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
			"documentation_url": "https://docs.github.com/free-pro-team@latest/rest/overview/resources-in-the-rest-api#secondary-rate-limits",
		})
		return
	case TooMany:
		s.quota.Add(1)
		if fault.Wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(fault.Wait/time.Second)))
		}
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": "Too Many Requests"})
		return
	case ServerError:
		s.quota.Add(1)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "Server Error"})
		return
	case Accepted:
		s.quota.Add(1)
		writeJSON(w, http.StatusAccepted, map[string]any{})
		return
	}
	s.route(w, r, fault)
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, fault Fault) {
	if r.URL.Path == "/graphql" {
		s.graphQL(w, r)
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) < 3 || parts[0] != "repos" {
		s.notFound(w)
		return
	}
	full := parts[1] + "/" + parts[2]
	s.mu.Lock()
	repo := s.repos[strings.ToLower(full)]
	newName, moved := s.renamed[strings.ToLower(full)]
	pending := 0
	rest := strings.Join(parts[3:], "/")
	if repo != nil && rest == "stats/commit_activity" && s.accepted[strings.ToLower(full)] > 0 {
		s.accepted[strings.ToLower(full)]--
		pending = 1
	}
	var body any
	var link string
	if repo != nil {
		body, link = s.body(repo, rest, r)
	}
	s.mu.Unlock()
	switch {
	case repo == nil && moved:
		s.quota.Add(1)
		u := *r.URL
		u.Path = "/repos/" + newName
		if rest != "" {
			u.Path += "/" + rest
		}
		w.Header().Set("Location", u.String())
		writeJSON(w, http.StatusMovedPermanently, map[string]any{"message": "Moved Permanently", "url": u.String()})
		return
	case repo == nil || body == nil:
		s.notFound(w)
		return
	case pending > 0:
		s.quota.Add(1)
		writeJSON(w, http.StatusAccepted, map[string]any{})
		return
	case rest == "stargazers/history" && r.Header.Get("X-GitHub-Api-Version") != StarHistoryVersion:
		s.quota.Add(1)
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Unsupported API version " + r.Header.Get("X-GitHub-Api-Version")})
		return
	case rest == "commits" && repo.LastCommit.IsZero():
		s.quota.Add(1)
		writeJSON(w, http.StatusConflict, map[string]any{"message": "Git Repository is empty."})
		return
	}
	data, _ := json.Marshal(body)
	sum := sha1.Sum(data)
	etag := `W/"` + hex.EncodeToString(sum[:10]) + `"`
	w.Header().Set("ETag", etag)
	if link != "" {
		w.Header().Set("Link", link)
	}
	if r.Header.Get("If-None-Match") == etag && fault.Kind == None {
		s.notModified.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	s.quota.Add(1)
	if rest == "stargazers/history" && r.URL.Query().Get("page") != "" && r.URL.Query().Get("page") != "1" {
		s.olderPages.Add(1)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	switch fault.Kind {
	case Truncated:
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
		w.Write(data[:len(data)/2])
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
			}
		}
		return
	case Stall:
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
		w.Write(data[:len(data)/2])
		w.(http.Flusher).Flush()
		s.hang(r)
		return
	case Malformed:
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"id": 1, "full_name": "oops`+"\n")
		return
	}
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}

// hang blocks until the client gives up on r or the server closes.
func (s *Server) hang(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-s.stop:
	}
}

func (s *Server) notFound(w http.ResponseWriter) {
	s.quota.Add(1)
	writeJSON(w, http.StatusNotFound, map[string]any{
		"message": "Not Found", "documentation_url": "https://docs.github.com/rest/repos/repos#get-a-repository",
	})
}

// body builds the JSON of one endpoint; nil for an unknown one. Called with
// s.mu held.
func (s *Server) body(repo *Repo, rest string, r *http.Request) (any, string) {
	owner, name, _ := strings.Cut(repo.FullName, "/")
	switch rest {
	case "":
		var lic any
		if repo.License != nil {
			lic = map[string]any{"key": repo.License.Key, "name": repo.License.Name, "spdx_id": repo.License.SPDX}
		}
		return map[string]any{
			"id": repo.ID, "name": name, "full_name": repo.FullName,
			"owner":       map[string]any{"login": owner},
			"description": repo.Description, "homepage": repo.Homepage, "language": repo.Language,
			"license": lic, "topics": repo.Topics,
			"stargazers_count": repo.Stars, "watchers_count": repo.Stars, "forks_count": repo.Forks,
			"open_issues_count": repo.OpenIssues, "archived": repo.Archived, "default_branch": "main",
			"created_at": repo.Created.Format(time.RFC3339), "pushed_at": repo.LastCommit.Format(time.RFC3339),
		}, ""
	case "commits":
		d := repo.LastCommit.Format(time.RFC3339)
		return []any{map[string]any{
			"sha": fmt.Sprintf("%040x", repo.LastCommit.Unix()),
			"commit": map[string]any{
				"author":    map[string]any{"name": "a", "date": d},
				"committer": map[string]any{"name": "c", "date": d},
				"message":   "change",
			},
		}}, ""
	case "stats/commit_activity":
		weeks := make([]any, len(repo.Weeks))
		for i, n := range repo.Weeks {
			weeks[i] = map[string]any{
				"days": []int{0, n, 0, 0, 0, 0, 0}, "total": n,
				"week": repo.WeekStart.AddDate(0, 0, 7*i).Unix(),
			}
		}
		return weeks, ""
	case "releases":
		if repo.Release == "" {
			return []any{}, ""
		}
		return []any{map[string]any{
			"tag_name": repo.Release, "name": repo.Release, "draft": false, "prerelease": false,
			"created_at": repo.ReleaseAt.Format(time.RFC3339), "published_at": repo.ReleaseAt.Format(time.RFC3339),
		}}, ""
	case "stargazers/history":
		if repo.NoStarHistory {
			return nil, ""
		}
		return s.starHistory(repo, r)
	case "contributors":
		if repo.Contributors == 0 {
			return []any{}, ""
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		link := ""
		if repo.Contributors > 1 {
			link = pageLinks(r, min(page+1, repo.Contributors), repo.Contributors)
		}
		return []any{map[string]any{"login": fmt.Sprintf("user%d", page), "contributions": 10}}, link
	}
	return nil, ""
}

// starHistory serves a page of weeks, newest first, up to the week that
// holds the server's now (days after now count 0). Called with s.mu held.
func (s *Server) starHistory(repo *Repo, r *http.Request) (any, string) {
	const day, week = 24 * time.Hour, 7 * 24 * time.Hour
	now := s.Now()
	start, days := repo.StarStart, repo.StarDays
	if days == nil {
		start, days = repo.spreadStars(now)
	}
	weeks := 0
	if !now.Before(start) {
		weeks = int(now.Sub(start)/week) + 1
	}
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 || per > 30 {
		per = 30
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	out := []any{}
	for j := (page - 1) * per; j < min(page*per, weeks); j++ {
		wk := weeks - 1 - j // oldest week is 0
		ws := start.Add(time.Duration(wk) * week)
		counts, total := make([]int, 7), 0
		for d := range counts {
			if g := 7*wk + d; g < len(days) && !ws.Add(time.Duration(d)*day).After(now) {
				counts[d] = days[g]
				total += days[g]
			}
		}
		out = append(out, map[string]any{"week": ws.Unix(), "total": total, "days": counts})
	}
	link := ""
	if last := (weeks + per - 1) / per; page < last {
		link = pageLinks(r, page+1, last)
	}
	return out, link
}

// spreadStars makes up a history for a repository that has none: Stars
// spread unevenly over the days from the week of Created to now.
func (repo *Repo) spreadStars(now time.Time) (time.Time, []int) {
	const day = 24 * time.Hour
	c := repo.Created.UTC()
	start := time.Date(c.Year(), c.Month(), c.Day()-int(c.Weekday()), 0, 0, 0, 0, time.UTC)
	n := int(now.Sub(start)/day) + 1
	if n < 1 {
		n = 1
	}
	weights, sum := make([]int, n), 0
	for d := range weights {
		if !start.Add(time.Duration(d+1) * day).After(c) {
			continue // before the repository existed
		}
		weights[d] = 1 + (d*7919+repo.ID*31)%13
		sum += weights[d]
	}
	days, given, acc := make([]int, n), 0, 0
	for d, w := range weights {
		acc += w
		cum := 0
		if sum > 0 {
			cum = repo.Stars * acc / sum
		}
		days[d], given = cum-given, cum
	}
	return start, days
}

// pageLinks is a Link header to the pages next and last of r's listing.
func pageLinks(r *http.Request, next, last int) string {
	at := func(page int) string {
		u := *r.URL
		q := u.Query()
		q.Set("page", strconv.Itoa(page))
		u.RawQuery = q.Encode()
		return "http://" + r.Host + u.RequestURI()
	}
	return fmt.Sprintf(`<%s>; rel="next", <%s>; rel="last"`, at(next), at(last))
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// Transport wraps next so that every request tells the server which answers
// the client had finished with when it was sent; the server counts a
// violation for a request sent after a limit answer was closed and before
// the limit ended. Put it below the client's gate.
func Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &recorder{next: next}
}

type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []string // numbers of the limit answers closed so far
}

func (t *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	t.mu.Lock()
	req.Header.Set(seenHeader, strings.Join(t.seen, ","))
	t.mu.Unlock()
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if seq := resp.Header.Get(seqHeader); seq != "" {
		resp.Body = &closeHook{ReadCloser: resp.Body, fn: func() {
			t.mu.Lock()
			t.seen = append(t.seen, seq)
			t.mu.Unlock()
		}}
	}
	return resp, nil
}

// closeHook runs fn when the body is closed: the moment the client has
// finished with the answer.
type closeHook struct {
	io.ReadCloser
	once sync.Once
	fn   func()
}

func (c *closeHook) Close() error {
	err := c.ReadCloser.Close()
	c.once.Do(c.fn)
	return err
}
