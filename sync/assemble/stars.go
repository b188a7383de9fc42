package assemble

import (
	"time"

	"versus/sync/snapshot"
	"versus/sync/starhist"
	"versus/sync/store"
)

// starHistory returns a project's star history: the curve rebuilt from the
// weeks GitHub gave (stars is the count now, nil when unknown), merged with
// the counts recorded every run, which win where both exist.
func starHistory(book *starhist.Book, hist store.Stars, key string, stars *int, now time.Time) []snapshot.StarPoint {
	recorded := hist.Points(key)
	if book == nil {
		return recorded
	}
	h, _, ok := book.History(key, stars, now)
	if !ok {
		return recorded
	}
	return starhist.Merge(h.Curve(), recorded)
}

// recent sets the stars gained over the last 7 and 30 days and the growth
// from the daily buckets of GitHub's history where they are known; the
// figures from the recorded counts stay where they are not.
func recent(p *snapshot.Project, book *starhist.Book, key string, now time.Time) {
	if book == nil || p.Stars == nil {
		return
	}
	h, fresh, ok := book.History(key, p.Stars, now)
	if !ok || !fresh {
		return // the weeks miss the stars given since they were read
	}
	r := h.Recent()
	if r.Stars7d != nil {
		p.Stars7d = r.Stars7d
	}
	if r.Stars30d != nil {
		p.Stars30d = r.Stars30d
	}
	if r.Growth != nil {
		p.Growth = r.Growth
	}
}
