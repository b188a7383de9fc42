package hn_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/sync/hn"
	"versus/sync/hn/hntest"
	"versus/sync/snapshot"
)

func ip(v int) *int { return &v }

func TestSearchAndPosts(t *testing.T) {
	day := time.Date(2021, 11, 13, 10, 0, 0, 0, time.UTC)
	srv := hntest.New(
		hntest.Story(100, "Tokio 1.0", "https://github.com/tokio-rs/tokio", 300, 120, day.AddDate(0, 0, -300)),
		hntest.Comment(201, "Why asynchronous Rust doesn't work",
			`<p>Try <a href="https:&#x2F;&#x2F;github.com&#x2F;async-rs&#x2F;async-std">async-std</a> &amp; https://github.com/smol-rs/smol or github.com/other/thing.</p>`, day),
		hntest.Story(300, "Unrelated", "https://github.com/tokio-rs/tokio-extra", 5, 1, day),
		notAnItem(hntest.Comment(401, "Elsewhere", `see github.com/smol-rs/smol`, day.AddDate(0, 0, -1))),
	)
	defer srv.Close()
	c := hn.New(srv.URL, srv.Client())
	ctx := context.Background()
	found := map[string][]hn.Item{}
	for _, r := range []string{"tokio-rs/tokio", "async-rs/async-std", "smol-rs/smol"} {
		items, err := c.Search(ctx, r)
		if err != nil {
			t.Fatalf("Search(%s): %v", r, err)
		}
		found[r] = items
	}
	if got := len(found["tokio-rs/tokio"]); got != 1 {
		t.Errorf("Search(tokio) found %d items, want 1 (tokio-extra is another repo)", got)
	}
	tracked := map[string]string{"tokio-rs/tokio": "tokio-rs/tokio", "async-rs/async-std": "async-rs/async-std", "smol-rs/smol": "smol-rs/smol"}
	posts, co := hn.Posts(found, tracked)
	comment := snapshot.Post{
		Title: "Why asynchronous Rust doesn't work", URL: "https://news.ycombinator.com/item?id=201", Date: day,
		Excerpt:  "Try async-std & https://github.com/smol-rs/smol or github.com/other/thing.",
		Projects: 3, Mentions: []string{"async-rs/async-std", "smol-rs/smol"},
	}
	want := map[string][]snapshot.Post{
		"tokio-rs/tokio": {{Title: "Tokio 1.0", URL: "https://news.ycombinator.com/item?id=100", Date: day.AddDate(0, 0, -300),
			Points: ip(300), Comments: ip(120), Projects: 1, Mentions: []string{"tokio-rs/tokio"}}},
		"async-rs/async-std": {comment},
		"smol-rs/smol": {comment, {Title: "Elsewhere", Date: day.AddDate(0, 0, -1), Excerpt: "see github.com/smol-rs/smol",
			Projects: 1, Mentions: []string{"smol-rs/smol"}}}, // an id that is no HN item: no link
	}
	if diff := cmp.Diff(want, posts); diff != "" {
		t.Errorf("Posts() mismatch (-want +got):\n%s", diff)
	}
	if co["async-rs/async-std"]["smol-rs/smol"] != 1 || co["smol-rs/smol"]["async-rs/async-std"] != 1 {
		t.Errorf("co-mentions = %v, want async-std and smol once", co)
	}
}

// notAnItem gives h an id that is not an HN item number.
func notAnItem(h hntest.Hit) hntest.Hit {
	h.ObjectID = "x" + h.ObjectID
	return h
}

func TestSearchFailure(t *testing.T) {
	srv := hntest.New()
	srv.Fail = func(string) bool { return true }
	defer srv.Close()
	_, err := hn.New(srv.URL, srv.Client()).Search(context.Background(), "a/b")
	if err == nil || err.Error() != "hn search a/b: status 503 Service Unavailable" {
		t.Errorf("Search = %v, want a clear 503 error", err)
	}
}

func TestPlain(t *testing.T) {
	got := hn.Plain("<p>a &lt;b&gt;<i>c</i>\n\n  d&#x27;s</p>")
	if want := "a <b> c d's"; got != want {
		t.Errorf("Plain() = %q, want %q", got, want)
	}
}

// TestSearchDropsBadDates checks that a hit whose date no snapshot can hold
// is dropped with a warning naming it, and the others are kept.
func TestSearchDropsBadDates(t *testing.T) {
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	far, before := hntest.Story(11, "Far ahead", "https://github.com/a/b", 1, 1, day), hntest.Story(12, "Too early", "https://github.com/a/b", 1, 1, day)
	far.CreatedAtI = 1 << 40 // year 36812: time.MarshalJSON fails on it
	before.CreatedAtI = -86400
	srv := hntest.New(far, hntest.Story(10, "Good", "https://github.com/a/b", 5, 2, day), before)
	defer srv.Close()
	var logged bytes.Buffer
	c := hn.New(srv.URL, srv.Client())
	c.Log = slog.New(slog.NewTextHandler(&logged, nil))
	items, err := c.Search(context.Background(), "a/b")
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	if diff := cmp.Diff([]string{"10"}, ids); diff != "" {
		t.Errorf("Search(a/b) ids mismatch (-want +got):\n%s", diff)
	}
	for _, want := range []string{`repo=a/b id=11 err="created_at_i 1099511627776: 36812-02-20T00:36:16Z is outside the years 1970–2100"`,
		`repo=a/b id=12 err="created_at_i -86400: 1969-12-31T00:00:00Z is outside`} {
		if !strings.Contains(logged.String(), want) {
			t.Errorf("log = %q, want it to say %q", logged.String(), want)
		}
	}
}
