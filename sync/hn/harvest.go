package hn

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// harvestPage is the most hits Algolia returns a request.
const harvestPage = 1000

// Harvest is what Since found.
type Harvest struct {
	Items    []Item    // newest first, each linking to at least one repository
	Newest   time.Time // the newest item's time: the next run's start; after when none
	Requests int       // requests made
	Complete bool      // false when maxRequests ran out first: ask again from the same time
}

// Since harvests every story and comment created after the time after that
// links to a GitHub repository, in at most maxRequests requests: one
// search_by_date request returns up to 1,000 hits, and a window holding
// more is read again below its oldest hit, since Algolia pages through no
// more than 1,000 hits a query. It replaces one search per repository per
// run: the caller matches Item.Links to the catalog.
func (c *Client) Since(ctx context.Context, after time.Time, maxRequests int) (Harvest, error) {
	h := Harvest{Newest: after}
	seen := map[string]bool{}
	upper := int64(0) // 0: no upper bound yet
	for h.Requests < max(maxRequests, 1) {
		filters := "created_at_i>" + strconv.FormatInt(after.Unix(), 10)
		if upper > 0 {
			filters += ",created_at_i<=" + strconv.FormatInt(upper, 10)
		}
		q := url.Values{
			"query":          {"github.com"},
			"tags":           {"(story,comment)"},
			"numericFilters": {filters},
			"hitsPerPage":    {strconv.Itoa(harvestPage)},
		}
		var pg page
		h.Requests++
		if err := c.get(ctx, c.base+"/search_by_date?"+q.Encode(), &pg); err != nil {
			return h, fmt.Errorf("hn harvest since %s: %w", after.UTC().Format(time.RFC3339), err)
		}
		fresh, oldest := 0, int64(0)
		for _, hit := range pg.Hits {
			if oldest == 0 || hit.CreatedAtI < oldest {
				oldest = hit.CreatedAtI
			}
			it, err := item(hit)
			if err != nil {
				c.log().Warn("hacker news hit dropped", "id", hit.ObjectID, "err", err)
				continue
			}
			if seen[it.ID] {
				continue
			}
			seen[it.ID] = true
			fresh++
			if len(it.Links) > 0 {
				h.Items = append(h.Items, it)
				if it.Date.After(h.Newest) {
					h.Newest = it.Date
				}
			}
		}
		// Everything of the window came in this page (nbPages cannot tell:
		// it stops at the 1,000 reachable), or the window held nothing new
		// (over 1,000 hits in one second): nothing more to read.
		if pg.NbHits <= len(pg.Hits) || fresh == 0 {
			h.Complete = true
			return h, nil
		}
		upper = oldest // hits at the oldest second may have been cut: read it again
	}
	return h, nil
}
