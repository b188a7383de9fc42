package job

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"versus/sync/collect"
	"versus/sync/gh"
	"versus/sync/starhist"
	"versus/sync/store"
)

// HistoryReport is what a run did with GitHub's star history.
type HistoryReport struct {
	collect.HistoryStats
	ToCome int // older pages still to read, estimated from the repositories' creation
}

// loadWeeks returns the star weeks of the last run. Missing or corrupt ones
// start over with a warning; a store that cannot be read is an error.
func loadWeeks(ctx context.Context, st store.Store, log *slog.Logger) (*starhist.Book, error) {
	b, warning, err := store.LoadStarWeeks(ctx, st)
	if err != nil {
		return nil, err
	}
	if warning != nil {
		log.Warn("star weeks: starting over", "why", warning.Error())
	}
	book, err := starhist.DecodeBook(b)
	if err != nil {
		log.Warn("star weeks unreadable: starting over", "err", err)
		return starhist.NewBook(), nil
	}
	return book, nil
}

// newHistory returns the star history reader of a run: older pages only
// while more than cfg.StarReserve of the quota left remains.
func newHistory(cfg Config, client *gh.Client, book *starhist.Book) *collect.History {
	return &collect.History{GitHub: client, Book: book, Clock: cfg.Clock,
		Budget: &collect.Budget{Left: func() int64 {
			// The run's reserve is never the history's to spend.
			if left := client.Stats().QuotaLeft; left >= 0 {
				return max(left-int64(cfg.Reserve.REST), 0)
			}
			return -1
		}, Reserve: cfg.StarReserve}}
}

// saveWeeks stores what this run read of the star history, merged with
// what another task may have saved meanwhile, within saveTimeout, and
// reports it.
func saveWeeks(ctx context.Context, st store.Store, h *collect.History, part *collect.Part, log *slog.Logger) HistoryReport {
	ctx, cancel := context.WithTimeout(ctx, saveTimeout)
	defer cancel()
	if err := store.SaveStarWeeks(ctx, st, h.Book.MergeInto); err != nil {
		log.Warn("star weeks not saved: this run's pages will be read again", "err", err)
	}
	rep := HistoryReport{HistoryStats: h.Stats()}
	now := h.Clock.Now()
	for _, r := range part.Results {
		if r.Status == collect.OK && !h.Book.Missing(r.Project.Repo, now, collect.MissingFor) {
			rep.ToCome += h.Book.ToCome(r.Project.Repo, r.Repo.Created, now, gh.StarWeeksPerPage)
		}
	}
	for _, f := range rep.Failed {
		log.Warn("star history failed; read again next run", "detail", f)
	}
	log.Info("star history", "pages", rep.Newest+rep.Older, "newest", rep.Newest, "older", rep.Older,
		"to_come", rep.ToCome, "not_found", rep.Missing, "quota_left", quota(h.GitHub.Stats().QuotaLeft))
	return rep
}

// historySummary prints the star history line of the summary.
func historySummary(w io.Writer, r HistoryReport, quotaLeft int64) {
	var extra strings.Builder
	if r.Missing > 0 {
		fmt.Fprintf(&extra, ", %d repositories without history (404: recorded counts only)", r.Missing)
	}
	if n := len(r.Failed); n > 0 {
		fmt.Fprintf(&extra, ", %d failed", n)
	}
	fmt.Fprintf(w, "star history: %d pages read (%d newest, %d older), %d pages still to come%s, quota left %s\n",
		r.Newest+r.Older, r.Newest, r.Older, r.ToCome, extra.String(), quota(quotaLeft))
}
