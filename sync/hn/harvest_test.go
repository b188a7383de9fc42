package hn_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/sync/hn"
	"versus/sync/hn/hntest"
)

func TestSinceURLForms(t *testing.T) {
	at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	forms := []string{
		"https://github.com/tokio-rs/tokio",
		"https://github.com/Tokio-RS/Tokio.git",
		"https://github.com/tokio-rs/tokio/tree/master/tokio/src",
		"https://github.com/tokio-rs/tokio#readme",
		"http://www.github.com/tokio-rs/tokio/",
		"github.com/tokio-rs/tokio.",
		"https://github.com/tokio-rs/tokio/issues/1?x=y",
	}
	var hits []hntest.Hit
	for i, u := range forms {
		hits = append(hits, hntest.Story(1000+i, "story "+u, u, 1, 1, at.Add(time.Duration(i)*time.Minute)))
	}
	hits = append(hits,
		hntest.Comment(2001, "a comment", `see <a href="https:&#x2F;&#x2F;github.com&#x2F;tokio-rs&#x2F;tokio&#x2F;pull&#x2F;5">this</a>`, at),
		hntest.Story(2100, "not repositories", "https://github.com/topics/rust", 1, 1, at),
		hntest.Story(2101, "a gist", "https://gist.github.com/someone/abc123", 1, 1, at),
		hntest.Story(2102, "GitHub's blog", "https://github.com/blog", 1, 1, at),
	)
	srv := hntest.New(hits...)
	defer srv.Close()
	h, err := hn.New(srv.URL, srv.Client()).Since(context.Background(), at.Add(-time.Hour), 10)
	if err != nil {
		t.Fatalf("Since: %v", err)
	}
	got := map[string][]string{}
	for _, it := range h.Items {
		got[it.ID] = it.Links
	}
	want := map[string][]string{"2001": {"tokio-rs/tokio"}}
	for i := range forms {
		want[fmt.Sprint(1000+i)] = []string{"tokio-rs/tokio"}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("links found (-want +got):\n%s", diff)
	}
	if !h.Complete || h.Requests != 1 {
		t.Errorf("Since: complete %v in %d requests, want complete in 1", h.Complete, h.Requests)
	}
}

// TestSincePages harvests more hits than Algolia pages through in one query,
// several in the same second as a window's edge.
func TestSincePages(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var hits []hntest.Hit
	for i := range 2500 {
		at := start.Add(time.Duration(i/3) * time.Second) // three hits a second
		hits = append(hits, hntest.Story(i+1, "s", fmt.Sprintf("https://github.com/o%d/r%d", i%7, i), 1, 1, at))
	}
	// Older than the start: never returned.
	hits = append(hits, hntest.Story(99999, "old", "https://github.com/o/old", 1, 1, start.Add(-time.Second)))
	srv := hntest.New(hits...)
	defer srv.Close()
	c := hn.New(srv.URL, srv.Client())
	ctx := context.Background()

	h, err := c.Since(ctx, start.Add(-time.Second), 10)
	if err != nil {
		t.Fatalf("Since: %v", err)
	}
	ids := map[string]int{}
	for _, it := range h.Items {
		ids[it.ID]++
	}
	if len(ids) != 2500 || len(h.Items) != 2500 {
		t.Errorf("Since found %d items (%d distinct), want each of the 2500 once", len(h.Items), len(ids))
	}
	if newest := start.Add(2499 / 3 * time.Second); !h.Newest.Equal(newest) {
		t.Errorf("Newest = %v, want %v", h.Newest, newest)
	}
	if !h.Complete || h.Requests != 3 {
		t.Errorf("complete %v in %d requests, want complete in 3 (1,000 hits a request)", h.Complete, h.Requests)
	}
	if n := srv.Requests(); n != int64(h.Requests) {
		t.Errorf("server saw %d requests, Since says %d", n, h.Requests)
	}

	short, err := c.Since(ctx, start.Add(-time.Second), 1)
	if err != nil {
		t.Fatalf("Since with 1 request: %v", err)
	}
	if short.Complete || len(short.Items) != 1000 {
		t.Errorf("Since with 1 request: complete %v with %d items, want incomplete with 1000", short.Complete, len(short.Items))
	}

	none, err := c.Since(ctx, h.Newest, 10)
	if err != nil || len(none.Items) != 0 || !none.Complete || !none.Newest.Equal(h.Newest) {
		t.Errorf("Since(newest) = %d items, complete %v, newest %v, %v; want nothing new", len(none.Items), none.Complete, none.Newest, err)
	}
}

func TestSinceFails(t *testing.T) {
	srv := hntest.New()
	defer srv.Close()
	srv.Fail = func(q string) bool { return strings.Contains(q, "github.com") }
	if _, err := hn.New(srv.URL, srv.Client()).Since(context.Background(), time.Unix(0, 0), 3); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("Since against a failing API = %v, want the status", err)
	}
}
