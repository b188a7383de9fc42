package gh

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/go-github/v57/github"
)

// Retry and back-off settings. Secondary limits without Retry-After wait at
// least a minute (GitHub's advice), doubling on each consecutive hit.
const (
	secondaryMin     = 60 * time.Second
	secondaryCap     = 15 * time.Minute
	maxStrikes       = 8 // consecutive secondary limits before giving up
	maxRetries       = 3 // 5xx, connection errors and timeouts
	retryBase        = time.Second
	resetSkew        = time.Second // GitHub's reset is in whole seconds
	defaultMaxWait   = time.Hour
	defaultInFlights = 4
	defaultTimeout   = 30 * time.Second
)

// ErrLimitTooLong reports a rate limit whose wait exceeds -max-wait. It is
// fatal for the run: every later request would meet it too.
var ErrLimitTooLong = errors.New("rate limit wait exceeds -max-wait")

// ErrTimeout reports a request that got no whole answer within the request
// timeout, on every attempt.
var ErrTimeout = errors.New("no answer in time")

// Gate is the one gate every request to GitHub passes. It caps the requests
// in flight and, when any response shows a limit, closes for everyone until
// the limit is over: go-github remembers limits per client, but responses
// still in flight overwrite what it remembers, so it cannot keep the other
// workers quiet on its own.
//
// No lock is held across I/O. A request is "passing" from the moment it
// finds the gate open until the transport below takes it (httptrace's
// GetConn, or the round trip's end for a transport that never reports it),
// which involves no waiting on the network. Closing the gate waits for the
// passing requests before the limit answer is handed on, so that no request
// that found the gate open is sent after the limit was seen.
type Gate struct {
	clock   Clock
	maxWait time.Duration
	timeout time.Duration
	slots   chan struct{}

	mu      sync.Mutex
	passed  *sync.Cond // signalled, under mu, when passing drops to 0
	passing int
	until   time.Time
	reason  string
	strikes int
	fatal   error

	requests, notModified, quotaCounted, retries, waits atomic.Int64
	quotaLeft, graphQLLeft                              atomic.Int64
	waited                                              atomic.Int64 // nanoseconds
}

// NewGate returns a gate with at most inFlight requests at once, each
// attempt given at most timeout for its whole answer, that fails when a
// limit asks to wait longer than maxWait. Zero values take the defaults (4,
// 30 s, 1 h).
func NewGate(clock Clock, inFlight int, timeout, maxWait time.Duration) *Gate {
	if inFlight <= 0 {
		inFlight = defaultInFlights
	}
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	if maxWait <= 0 {
		maxWait = defaultMaxWait
	}
	g := &Gate{clock: clock, maxWait: maxWait, timeout: timeout, slots: make(chan struct{}, inFlight)}
	g.passed = sync.NewCond(&g.mu)
	g.quotaLeft.Store(-1)
	g.graphQLLeft.Store(-1)
	return g
}

// Stats counts what went through the gate.
type Stats struct {
	Requests     int64         // sent to GitHub, retries included
	NotModified  int64         // answered 304 (free with a token)
	QuotaCounted int64         // every other answer
	Retries      int64         // 5xx, connection errors, timeouts and limits
	Waits        int64         // times the gate closed for a limit
	Waited       time.Duration // total time the gate was closed for
	QuotaLeft    int64         // X-RateLimit-Remaining of the last REST answer; -1 unknown
	GraphQLLeft  int64         // the same for GraphQL's own budget of points; -1 unknown
}

// Stats returns the counters so far.
func (g *Gate) Stats() Stats {
	return Stats{
		Requests: g.requests.Load(), NotModified: g.notModified.Load(),
		QuotaCounted: g.quotaCounted.Load(), Retries: g.retries.Load(),
		Waits: g.waits.Load(), Waited: time.Duration(g.waited.Load()),
		QuotaLeft: g.quotaLeft.Load(), GraphQLLeft: g.graphQLLeft.Load(),
	}
}

// enter waits until the gate is open and a slot is free. On success the
// caller holds a slot (give it back with <-g.slots) and is passing: it must
// call the returned function, once or more, when the request is handed on.
func (g *Gate) enter(ctx context.Context) (handedOn func(), err error) {
	for {
		if err := g.waitOpen(ctx); err != nil {
			return nil, err
		}
		select {
		case g.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		g.mu.Lock()
		if g.fatal == nil && !g.clock.Now().Before(g.until) {
			g.passing++
			g.mu.Unlock()
			return sync.OnceFunc(func() {
				g.mu.Lock()
				if g.passing--; g.passing == 0 {
					g.passed.Broadcast()
				}
				g.mu.Unlock()
			}), nil
		}
		g.mu.Unlock()
		<-g.slots
	}
}

// waitOpen sleeps until no limit is in force.
func (g *Gate) waitOpen(ctx context.Context) error {
	for {
		g.mu.Lock()
		fatal, until, reason := g.fatal, g.until, g.reason
		g.mu.Unlock()
		if fatal != nil {
			return fatal
		}
		d := until.Sub(g.clock.Now())
		if d <= 0 {
			return nil
		}
		if d > g.maxWait {
			err := fmt.Errorf("github %s until %s (in %s), longer than -max-wait %s: %w",
				reason, until.UTC().Format(time.RFC3339), d.Round(time.Second), g.maxWait, ErrLimitTooLong)
			g.mu.Lock()
			if g.fatal == nil {
				g.fatal = err
			}
			g.mu.Unlock()
			return err
		}
		if err := g.clock.Sleep(ctx, d); err != nil {
			return err
		}
	}
}

// close closes the gate until t unless it is already closed for longer,
// then waits for the requests that found it open to be handed on. The
// caller must not be passing itself.
func (g *Gate) close(t time.Time, reason string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t.After(g.until) {
		now := g.clock.Now()
		from := now
		if g.until.After(now) {
			from = g.until
		}
		g.waited.Add(int64(t.Sub(from)))
		g.waits.Add(1)
		g.until, g.reason = t, reason
	}
	for g.passing > 0 {
		g.passed.Wait()
	}
}

// strike records a secondary limit and returns the wait it calls for:
// Retry-After if given, else a minute, doubled for each consecutive hit.
func (g *Gate) strike(retryAfter time.Duration) (time.Duration, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.strikes++
	if g.strikes > maxStrikes {
		err := fmt.Errorf("github secondary rate limit: still limited after %d waits", maxStrikes)
		if g.fatal == nil {
			g.fatal = err
		}
		return 0, err
	}
	base := retryAfter
	if base <= 0 {
		base = secondaryMin
	}
	d := base << (g.strikes - 1)
	if d > secondaryCap {
		d = max(secondaryCap, retryAfter)
	}
	return d, nil
}

func (g *Gate) clearStrikes() {
	g.mu.Lock()
	g.strikes = 0
	g.mu.Unlock()
}

// Transport returns a RoundTripper that sends every request through the gate
// and handles limits and transient errors below go-github.
func (g *Gate) Transport(next http.RoundTripper) http.RoundTripper {
	return &limitTransport{gate: g, next: next}
}

type limitTransport struct {
	gate *Gate
	next http.RoundTripper
}

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	g := t.gate
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		handedOn, err := g.enter(ctx)
		if err != nil {
			return nil, err
		}
		resp, err := t.send(req, handedOn)
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			if attempt >= maxRetries {
				return nil, fmt.Errorf("%w, %d attempts", err, attempt+1)
			}
			g.retries.Add(1)
			if err := g.clock.Sleep(ctx, retryBase<<attempt); err != nil {
				return nil, err
			}
			continue
		}
		g.requests.Add(1)
		if resp.StatusCode == http.StatusNotModified {
			g.notModified.Add(1)
		} else {
			g.quotaCounted.Add(1)
		}
		remaining, reset, hasRate := rate(resp)
		if hasRate && resp.Header.Get("X-RateLimit-Resource") == "graphql" {
			g.graphQLLeft.Store(int64(remaining))
		} else if hasRate {
			g.quotaLeft.Store(int64(remaining))
		}
		switch code := resp.StatusCode; {
		case code == http.StatusForbidden || code == http.StatusTooManyRequests:
			retry, err := t.limited(resp, remaining, reset, hasRate)
			if err != nil {
				return nil, err
			}
			if !retry {
				return markCached(resp), nil
			}
			g.retries.Add(1)
			attempt = -1 // limits are waited out, not counted as failures
			continue
		case code >= 500 && attempt < maxRetries:
			drain(resp)
			g.retries.Add(1)
			if err := g.clock.Sleep(ctx, retryBase<<attempt); err != nil {
				return nil, err
			}
			continue
		}
		g.clearStrikes()
		if hasRate && remaining == 0 && !reset.IsZero() {
			// The last request of the quota: close before handing the
			// answer on, so that nobody sends another one.
			g.close(reset.Add(resetSkew), "primary rate limit (quota used up)")
		}
		return markCached(resp), nil
	}
}

// send sends req once, for a caller that passed the gate, and reads the
// whole answer within the gate's timeout, so that an answer that stops
// half way is retried like one that never starts.
func (t *limitTransport) send(req *http.Request, handedOn func()) (*http.Response, error) {
	g := t.gate
	ctx, cancel := context.WithTimeout(req.Context(), g.timeout)
	defer cancel()
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GetConn: func(string) { handedOn() }})
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	handedOn()
	var body []byte
	if err == nil {
		if body, err = io.ReadAll(resp.Body); err != nil {
			resp.Body.Close()
		}
	}
	<-g.slots
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) && req.Context().Err() == nil {
			return nil, fmt.Errorf("%w (%s)", ErrTimeout, g.timeout)
		}
		return nil, err
	}
	// The original body stays open until the caller is done with the
	// answer (limited closes a limit answer only once the gate is closed).
	resp.Body = &readBody{Reader: bytes.NewReader(body), orig: resp.Body}
	return resp, nil
}

// readBody is a body read in full, closing the original when it is closed.
type readBody struct {
	*bytes.Reader
	orig io.Closer
}

func (b *readBody) Close() error { return b.orig.Close() }

// limited handles a 403 or 429. It reports whether the request should be
// sent again; false means the answer is an ordinary error for go-github.
func (t *limitTransport) limited(resp *http.Response, remaining int, reset time.Time, hasRate bool) (bool, error) {
	g := t.gate
	now := g.clock.Now()
	// CheckResponse reads the body and puts a copy back; the original is
	// closed only once the gate is closed.
	orig := resp.Body
	defer orig.Close()
	cerr := github.CheckResponse(resp)
	var rle *github.RateLimitError
	var abuse *github.AbuseRateLimitError
	switch {
	case errors.As(cerr, &rle) || (hasRate && remaining == 0 && !reset.IsZero()):
		if reset.IsZero() || !reset.After(now) {
			reset = now
		}
		g.close(reset.Add(resetSkew), "primary rate limit")
	case errors.As(cerr, &abuse) || resp.StatusCode == http.StatusTooManyRequests:
		d, err := g.strike(retryAfter(resp, now))
		if err != nil {
			return false, err
		}
		reason := "secondary rate limit"
		if resp.StatusCode == http.StatusTooManyRequests {
			reason = "429 too many requests"
		}
		g.close(now.Add(d), reason)
	default:
		return false, nil
	}
	return true, nil
}

// rate reads the primary rate-limit headers.
func rate(resp *http.Response) (remaining int, reset time.Time, ok bool) {
	rem := resp.Header.Get("X-RateLimit-Remaining")
	if rem == "" {
		return 0, time.Time{}, false
	}
	remaining, err := strconv.Atoi(rem)
	if err != nil {
		return 0, time.Time{}, false
	}
	if s, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil && s > 0 {
		reset = time.Unix(s, 0)
	}
	return remaining, reset, true
}

// retryAfter reads Retry-After in seconds or as an HTTP date; 0 when absent.
// go-github's own parsing uses the wall clock, which tests replace.
func retryAfter(resp *http.Response, now time.Time) time.Duration {
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
}

// markCached tells go-github not to remember the limits of this answer: the
// gate owns them, and go-github would compare them with the wall clock.
func markCached(resp *http.Response) *http.Response {
	resp.Header.Set("X-From-Cache", "1")
	return resp
}
