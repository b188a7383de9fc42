// Package hntest is a fake HN Algolia search API: it answers /search with
// the given hits whose url, story text or comment text holds the query.
package hntest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"versus/sync/internal/pathcount"
)

// Hit is one search hit, in the API's shape; nil pointers are null.
type Hit struct {
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
	CreatedAt   string   `json:"created_at"`
	CreatedAtI  int64    `json:"created_at_i"`
	Tags        []string `json:"_tags"`
}

// Story returns a story hit linking to url.
func Story(id int, title, url string, points, comments int, at time.Time) Hit {
	return Hit{ObjectID: strconv.Itoa(id), Title: &title, URL: &url, Author: "pg", Points: &points,
		NumComments: &comments, CreatedAt: at.Format(time.RFC3339), CreatedAtI: at.Unix(), Tags: []string{"story"}}
}

// Comment returns a comment hit with HTML text on a story.
func Comment(id int, storyTitle, text string, at time.Time) Hit {
	sid := int64(id - 1)
	return Hit{ObjectID: strconv.Itoa(id), StoryTitle: &storyTitle, StoryID: &sid, CommentText: &text,
		Author: "dang", CreatedAt: at.Format(time.RFC3339), CreatedAtI: at.Unix(), Tags: []string{"comment"}}
}

// Server is the fake API.
type Server struct {
	*httptest.Server
	Hits     []Hit
	Fail     func(query string) bool // answer 503 for these queries
	requests atomic.Int64
	perPath  pathcount.Counts
}

// New starts a fake serving hits. Close it when done.
func New(hits ...Hit) *Server {
	s := &Server{Hits: hits}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Requests returns the number of requests served.
func (s *Server) Requests() int64 { return s.requests.Load() }

// PathCount returns the number of requests for a path ("/search").
func (s *Server) PathCount(path string) int64 {
	return s.perPath.Of(path)
}

// ResetCounts zeroes the request counters.
func (s *Server) ResetCounts() {
	s.requests.Store(0)
	s.perPath.Reset()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	s.perPath.Add(r.URL.Path)
	if r.URL.Path == "/search_by_date" {
		s.serveByDate(w, r)
		return
	}
	if r.URL.Path != "/search" {
		http.NotFound(w, r)
		return
	}
	q := strings.ToLower(r.URL.Query().Get("query"))
	if s.Fail != nil && s.Fail(q) {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	hits := []Hit{}
	for _, h := range s.Hits {
		if strings.Contains(searchable(h), q) {
			hits = append(hits, h)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"hits": hits, "nbHits": len(hits), "page": 0, "nbPages": 1, "hitsPerPage": 100})
}

// searchable is the lowercase text a query matches in h.
func searchable(h Hit) string {
	return strings.ToLower(deref(h.URL) + " " + deref(h.StoryText) + " " + strings.ReplaceAll(deref(h.CommentText), "&#x2f;", "/"))
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
