package gh

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// searchReachable is how many results GitHub search returns for one query.
const searchReachable = 1000

const searchQuery = `query($q: String!, $after: String) {
  rateLimit { cost remaining resetAt }
  search(query: $q, type: REPOSITORY, first: 100, after: $after) {
    repositoryCount
    pageInfo { hasNextPage endCursor }
    nodes { ... on Repository { nameWithOwner stargazerCount } }
  }
}`

// Found is one repository a search found.
type Found struct {
	Repo  string // "owner/name" as GitHub writes it
	Stars int
}

// Search returns up to limit repositories that GitHub search finds for the
// qualifiers (e.g. "topic:rust language:Go") with at least minStars stars,
// most stars first. Search answers at most 1,000 results a query, so a
// longer list is read in star ranges: each next query asks for minStars up
// to the fewest stars seen so far. cost adds up the points spent.
func (c *Client) Search(ctx context.Context, qualifiers string, minStars, limit int) (found []Found, cost Cost, err error) {
	seen := map[string]bool{}
	upper := -1 // no upper bound yet
	for len(found) < limit {
		stars := fmt.Sprintf("stars:>=%d", minStars)
		if upper >= 0 {
			stars = fmt.Sprintf("stars:%d..%d", minStars, upper)
		}
		q := strings.TrimSpace(qualifiers + " " + stars + " sort:stars-desc")
		fresh, reached, fewest := 0, 0, -1
		var after *string
		for reached < searchReachable && len(found) < limit {
			page, pc, err := c.searchPage(ctx, q, after)
			cost.Points += pc.Points
			cost.Remaining, cost.ResetAt = pc.Remaining, pc.ResetAt
			if err != nil {
				return found, cost, err
			}
			for _, f := range page.nodes {
				reached++
				if fewest < 0 || f.Stars < fewest {
					fewest = f.Stars
				}
				if k := strings.ToLower(f.Repo); !seen[k] && f.Repo != "" && len(found) < limit {
					seen[k] = true
					found = append(found, f)
					fresh++
				}
			}
			if !page.next || len(page.nodes) == 0 {
				break
			}
			after = &page.cursor
		}
		// The whole range came in one query, or the last range held
		// nothing new (over 1,000 repositories with the same stars).
		if reached < searchReachable || fresh == 0 || fewest < minStars {
			return found, cost, nil
		}
		upper = fewest // repositories with exactly that many may have been cut: ask again
	}
	return found, cost, nil
}

type searchPage struct {
	nodes  []Found
	next   bool
	cursor string
}

func (c *Client) searchPage(ctx context.Context, q string, after *string) (searchPage, Cost, error) {
	req, err := c.gh.NewRequest("POST", "graphql", map[string]any{"query": searchQuery, "variables": map[string]any{"q": q, "after": after}})
	if err != nil {
		return searchPage{}, Cost{}, fmt.Errorf("search %q: %w", q, err)
	}
	var ans struct {
		Data *struct {
			RateLimit *struct {
				Cost, Remaining int
				ResetAt         time.Time
			}
			Search struct {
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
				Nodes []struct {
					NameWithOwner  string
					StargazerCount int
				}
			}
		}
		Errors []gqlError
	}
	if _, err := c.gh.Do(ctx, req, &ans); err != nil {
		return searchPage{}, Cost{}, fmt.Errorf("search %q: %w", q, err)
	}
	if ans.Data == nil || len(ans.Errors) > 0 {
		return searchPage{}, Cost{}, fmt.Errorf("search %q: %w", q, queryError(ans.Errors))
	}
	var cost Cost
	if rl := ans.Data.RateLimit; rl != nil {
		cost = Cost{Points: rl.Cost, Remaining: rl.Remaining, ResetAt: rl.ResetAt}
	}
	s := ans.Data.Search
	page := searchPage{next: s.PageInfo.HasNextPage, cursor: s.PageInfo.EndCursor}
	for _, n := range s.Nodes {
		page.nodes = append(page.nodes, Found{Repo: n.NameWithOwner, Stars: n.StargazerCount})
	}
	return page, cost, nil
}
