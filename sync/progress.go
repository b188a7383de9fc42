package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"versus/sync/gh"
)

// progress shows how the GitHub pass goes: a bar on a terminal, else a
// log line every tenth of the way.
type progress struct {
	mu     sync.Mutex
	bar    *progressbar.ProgressBar
	log    *slog.Logger
	client *gh.Client
	total  int
	n      int
	step   int
}

func newProgress(d deps, log *slog.Logger, total int, client *gh.Client) *progress {
	p := &progress{log: log, client: client, total: total, step: max(total/10, 1)}
	if d.tty {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(d.stderr),
			progressbar.OptionSetDescription("repositories"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
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
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("requests %d · 304s %d · quota left %s", st.Requests, st.NotModified, quota(st.QuotaLeft)))
		p.bar.Add(1)
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

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

func quota(n int64) string {
	if n < 0 {
		return "unknown"
	}
	return fmt.Sprint(n)
}

// summary prints what the run did; it always ends a run that published.
func summary(w io.Writer, r *report, store string) {
	fmt.Fprintf(w, "sync: %d repositories: %d collected, %d failed (kept stale), %d dropped, %d renamed\n",
		r.total, r.collected, len(r.failed), len(r.dropped), len(r.renamed))
	st := r.stats
	fmt.Fprintf(w, "github: %d requests (%.2f per repository), %d not modified (304), %d counted against the quota, quota left %s, %d retries, %d limit waits (%s)\n",
		st.Requests, float64(st.Requests)/float64(max(r.total, 1)), st.NotModified, st.QuotaCounted, quota(st.QuotaLeft), st.Retries, st.Waits, st.Waited.Round(time.Second))
	if r.pending > 0 {
		fmt.Fprintf(w, "github: commit activity still being computed for %d repositories; kept their previous counts\n", r.pending)
	}
	if r.hnFailed > 0 {
		fmt.Fprintf(w, "hacker news: %d searches failed; kept their previous posts\n", r.hnFailed)
	}
	for _, l := range r.failed {
		fmt.Fprintln(w, "failed:", l)
	}
	for _, l := range r.dropped {
		fmt.Fprintln(w, "dropped:", l)
	}
	for _, l := range r.renamed {
		fmt.Fprintln(w, "renamed:", l)
	}
	if r.pointer != nil {
		fmt.Fprintf(w, "published snapshot %s with %d projects to %s in %s\n", r.pointer.ID, r.pointer.Projects, strings.TrimSuffix(store, "/"), r.elapsed.Round(time.Millisecond))
	}
}
