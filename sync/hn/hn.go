// Package hn finds Hacker News stories and comments that link to tracked
// repositories, through the HN Algolia search API.
package hn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"versus/sync/snapshot"
)

// DefaultBaseURL is the HN Algolia API.
const DefaultBaseURL = "https://hn.algolia.com/api/v1"

const (
	hitsPerPage = 100
	maxExcerpt  = 280 // runes
)

// Client searches HN.
type Client struct {
	base     string
	http     *http.Client
	MaxPages int          // pages of 100 hits read per repository; default 2
	Log      *slog.Logger // warns of hits dropped as malformed; default slog.Default()
}

// New returns a client for the API at base (DefaultBaseURL when empty).
func New(base string, hc *http.Client) *Client {
	if base == "" {
		base = DefaultBaseURL
	}
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &Client{base: strings.TrimRight(base, "/"), http: hc, MaxPages: 2}
}

// Item is one story or comment and the GitHub repositories it links to.
type Item struct {
	ID       string
	Title    string
	URL      string // the discussion on news.ycombinator.com
	Date     time.Time
	Points   *int
	Comments *int
	Excerpt  string
	Links    []string // lowercase "owner/name", distinct, in order of appearance
}

// hit is the Algolia answer shape; absent fields are null.
type hit struct {
	ObjectID    string   `json:"objectID"`
	Title       *string  `json:"title"`
	URL         *string  `json:"url"`
	Author      string   `json:"author"`
	Points      *int     `json:"points"`
	NumComments *int     `json:"num_comments"`
	StoryID     *int64   `json:"story_id"`
	StoryTitle  *string  `json:"story_title"`
	CommentText *string  `json:"comment_text"`
	StoryText   *string  `json:"story_text"`
	CreatedAtI  int64    `json:"created_at_i"`
	Tags        []string `json:"_tags"`
}

type page struct {
	Hits    []hit `json:"hits"`
	NbHits  int   `json:"nbHits"` // all that match, beyond what paging reaches
	NbPages int   `json:"nbPages"`
}

// Search returns the stories and comments that link to repo.
func (c *Client) Search(ctx context.Context, repo string) ([]Item, error) {
	want := strings.ToLower(repo)
	var items []Item
	for p := 0; p < max(c.MaxPages, 1); p++ {
		q := url.Values{
			"query":       {"github.com/" + repo},
			"tags":        {"(story,comment)"},
			"hitsPerPage": {strconv.Itoa(hitsPerPage)},
			"page":        {strconv.Itoa(p)},
		}
		var pg page
		if err := c.get(ctx, c.base+"/search?"+q.Encode(), &pg); err != nil {
			return nil, fmt.Errorf("hn search %s: %w", repo, err)
		}
		for _, h := range pg.Hits {
			it, err := item(h)
			if err != nil {
				c.log().Warn("hacker news hit dropped", "repo", repo, "id", h.ObjectID, "err", err)
				continue
			}
			if contains(it.Links, want) {
				items = append(items, it)
			}
		}
		if p+1 >= pg.NbPages {
			break
		}
	}
	return items, nil
}

func (c *Client) log() *slog.Logger {
	if c.Log != nil {
		return c.Log
	}
	return slog.Default()
}

func (c *Client) get(ctx context.Context, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return fmt.Errorf("status %s", resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	return nil
}

// item maps a hit; an error when it has no id or no date a snapshot can
// hold.
func item(h hit) (Item, error) {
	date := time.Unix(h.CreatedAtI, 0).UTC()
	switch {
	case h.ObjectID == "":
		return Item{}, errors.New("no objectID")
	case h.CreatedAtI == 0:
		return Item{}, errors.New("no created_at_i")
	}
	if err := snapshot.CheckTime(date); err != nil {
		return Item{}, fmt.Errorf("created_at_i %d: %w", h.CreatedAtI, err)
	}
	it := Item{ID: h.ObjectID, Date: date}
	if itemNumber(h.ObjectID) { // else no link rather than a broken one
		it.URL = "https://news.ycombinator.com/item?id=" + h.ObjectID
	}
	var text string
	if h.CommentText != nil { // a comment: its own text, the story's title
		text = *h.CommentText
		it.Title = deref(h.StoryTitle)
	} else {
		text = deref(h.StoryText)
		it.Title = deref(h.Title)
		it.Points, it.Comments = h.Points, h.NumComments
		it.Links = repoLinks(deref(h.URL))
	}
	if strings.TrimSpace(it.Title) == "" {
		it.Title = "Hacker News comment by " + h.Author
	}
	plain := Plain(text)
	it.Excerpt = truncate(plain, maxExcerpt)
	for _, l := range repoLinks(html.UnescapeString(text)) {
		if !contains(it.Links, l) {
			it.Links = append(it.Links, l)
		}
	}
	return it, nil
}

// itemNumber reports whether id is an HN item number, the only ids that
// news.ycombinator.com/item links to.
func itemNumber(id string) bool {
	_, err := strconv.ParseUint(id, 10, 64)
	return err == nil && !strings.HasPrefix(id, "+")
}

var (
	tagRE   = regexp.MustCompile(`<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
	// github.com itself (or www.), not a subdomain such as gist.github.com.
	linkRE = regexp.MustCompile(`(?i)(?:^|[^a-z0-9.-]|www\.)github\.com/([a-z0-9](?:[a-z0-9-]{0,38}))/([a-z0-9._-]{1,100})`)
)

// notOwners are GitHub paths that are not repositories.
var notOwners = map[string]bool{
	"about": true, "features": true, "orgs": true, "sponsors": true, "topics": true,
	"settings": true, "marketplace": true, "collections": true, "trending": true, "apps": true,
}

// Plain turns HN's HTML into plain text: tags out, entities decoded,
// whitespace collapsed.
func Plain(s string) string {
	s = tagRE.ReplaceAllString(s, " ")
	s = html.UnescapeString(s)
	return strings.TrimSpace(spaceRE.ReplaceAllString(s, " "))
}

// repoLinks returns the distinct GitHub repositories linked in s, lowercase.
func repoLinks(s string) []string {
	var out []string
	for _, m := range linkRE.FindAllStringSubmatch(s, -1) {
		owner, name := strings.ToLower(m[1]), strings.ToLower(m[2])
		name = strings.TrimSuffix(strings.TrimRight(name, "."), ".git")
		if notOwners[owner] || name == "" {
			continue
		}
		r := owner + "/" + name
		if !contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Posts assembles the posts of each tracked repository from the items
// found for all of them: deduplicated by id, newest first, each naming the
// tracked repositories it links to. tracked maps lowercase repo to the
// repo as the catalog writes it. It also returns co-mentions: for two
// tracked repos (lowercase), the number of posts linking to both.
func Posts(found map[string][]Item, tracked map[string]string) (map[string][]snapshot.Post, map[string]map[string]int) {
	byID := map[string]Item{}
	for _, items := range found {
		for _, it := range items {
			byID[it.ID] = it
		}
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := byID[ids[i]], byID[ids[j]]
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		return a.ID < b.ID
	})
	posts := map[string][]snapshot.Post{}
	co := map[string]map[string]int{}
	for _, id := range ids {
		it := byID[id]
		var mentions []string
		for _, l := range it.Links {
			if r, ok := tracked[l]; ok {
				mentions = append(mentions, r)
			}
		}
		p := snapshot.Post{
			Title: it.Title, URL: it.URL, Date: it.Date, Points: it.Points, Comments: it.Comments,
			Excerpt: it.Excerpt, Projects: len(it.Links), Mentions: mentions,
		}
		for _, l := range it.Links {
			if _, ok := tracked[l]; !ok {
				continue
			}
			posts[l] = append(posts[l], p)
			for _, o := range it.Links {
				if _, ok := tracked[o]; ok && o != l {
					if co[l] == nil {
						co[l] = map[string]int{}
					}
					co[l][o]++
				}
			}
		}
	}
	return posts, co
}
