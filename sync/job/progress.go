package job

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"versus/sync/gh"
)

// progress shows how the GitHub pass goes: on a terminal one status line
// rewritten in place, else a log line every tenth of the way (a scheduled
// job has no terminal, and a log line is what its logs keep).
type progress struct {
	mu     sync.Mutex
	tty    io.Writer // nil: log lines
	log    *slog.Logger
	client *gh.Client
	total  int
	n      int
	step   int
}

func newProgress(cfg Config, log *slog.Logger, total int, client *gh.Client) *progress {
	p := &progress{log: log, client: client, total: total, step: max(total/10, 1)}
	if cfg.TTY {
		p.tty = cfg.Stderr
	} else {
		log.Info("sync started", "repositories", total)
	}
	return p
}

func (p *progress) done(repo string, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	st := p.client.Stats()
	if p.tty != nil {
		fmt.Fprintf(p.tty, "\r\033[Krepositories %d/%d · requests %d · 304s %d · quota left %s",
			p.n, p.total, st.Requests, st.NotModified, quota(st.QuotaLeft))
		return
	}
	if err != nil {
		p.log.Warn("repository failed", "repo", repo, "err", err)
	}
	if p.n%p.step == 0 || p.n == p.total {
		p.log.Info("progress", "done", p.n, "total", p.total, "requests", st.Requests,
			"not_modified", st.NotModified, "quota_left", quota(st.QuotaLeft))
	}
}

// finish clears the status line.
func (p *progress) finish() {
	if p.tty != nil {
		fmt.Fprint(p.tty, "\r\033[K")
	}
}

func quota(n int64) string {
	if n < 0 {
		return "unknown"
	}
	return fmt.Sprint(n)
}

// summary prints what the run did; it always ends a run that published.
func summary(w io.Writer, r *Report, store string) {
	if r.Task != "" {
		fmt.Fprintf(w, "shard: %s, in %s\n", r.Task, r.Elapsed.Round(time.Millisecond))
	}
	fmt.Fprintf(w, "sync: %d repositories: %d collected, %d failed (kept stale), %d dropped, %d renamed\n",
		r.Total, r.Collected, len(r.Failed), len(r.Dropped), len(r.Renamed))
	st := r.Stats
	fmt.Fprintf(w, "github: %d requests (%.2f per repository), %d not modified (304), %d counted against the quota, quota left %s, %d retries, %d limit waits (%s)\n",
		st.Requests, float64(st.Requests)/float64(max(r.Total, 1)), st.NotModified, st.QuotaCounted, quota(st.QuotaLeft), st.Retries, st.Waits, st.Waited.Round(time.Second))
	historySummary(w, r.History, st.QuotaLeft)
	if st.GraphQLLeft >= 0 {
		fmt.Fprintf(w, "github graphql: points left %d\n", st.GraphQLLeft)
	}
	if n := len(r.Skipped); n > 0 {
		fmt.Fprintf(w, "github: quota reserve reached: %d repositories not reached kept their previous figures (stale, %s); the next run starts at %s\n", n, r.Skipped[0], r.Resume)
	}
	if r.Deferred > 0 {
		fmt.Fprintf(w, "github: quota reserve reached: %d REST reads put off to the next run; kept their previous values\n", r.Deferred)
	}
	if r.HNRequests > 0 {
		fmt.Fprintf(w, "hacker news: %d requests\n", r.HNRequests)
	}
	if r.Pending > 0 {
		fmt.Fprintf(w, "github: commit activity still being computed for %d repositories; kept their previous counts\n", r.Pending)
	}
	if r.HNFailed > 0 {
		fmt.Fprintf(w, "hacker news: %d searches failed; kept their previous posts\n", r.HNFailed)
	}
	for _, l := range r.Failed {
		fmt.Fprintln(w, "failed:", l)
	}
	for _, l := range r.Dropped {
		fmt.Fprintln(w, "dropped:", l)
	}
	for _, l := range r.Renamed {
		fmt.Fprintln(w, "renamed:", l)
	}
	if r.Pointer != nil {
		fmt.Fprintf(w, "published snapshot %s with %d projects to %s in %s\n", r.Pointer.ID, r.Pointer.Projects, strings.TrimSuffix(store, "/"), r.Elapsed.Round(time.Millisecond))
	}
}
