package gh_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/sync/gh"
	"versus/sync/gh/ghtest"
	"versus/sync/snapshot"
)

// loggedClient returns a client of the GitHub that h fakes, and its log.
func loggedClient(t *testing.T, h http.HandlerFunc) (*gh.Client, *bytes.Buffer) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	var logged bytes.Buffer
	c, err := gh.New(gh.Options{BaseURL: srv.URL, Clock: ghtest.NewClock(start), Transport: srv.Client().Transport,
		Log: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return c, &logged
}

// TestFetchDropsBadDates checks that a date no snapshot can hold (outside
// 1970–2100) drops its item with a warning, and the fetch goes on.
func TestFetchDropsBadDates(t *testing.T) {
	good := time.Date(2026, 1, 4, 0, 0, 0, 0, time.UTC).Unix()
	year2500 := time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	c, logged := loggedClient(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/repos/o/r":
			fmt.Fprint(w, `{"full_name":"o/r","stargazers_count":5,"created_at":"1900-01-01T00:00:00Z","topics":[]}`)
		case "/repos/o/r/commits":
			fmt.Fprint(w, `[{"commit":{"committer":{"date":"2500-01-01T00:00:00Z"}}}]`)
		case "/repos/o/r/releases":
			fmt.Fprint(w, `[{"tag_name":"v1","published_at":"1960-05-01T00:00:00Z"}]`)
		case "/repos/o/r/stats/commit_activity":
			fmt.Fprintf(w, `[{"week":%d,"total":3},{"week":%d,"total":5},{"week":%d,"total":7}]`, year2500, good, -good)
		case "/repos/o/bad/stats/commit_activity":
			fmt.Fprintf(w, `[{"week":%d,"total":3},{"week":%d,"total":5}]`, year2500, -good)
		case "/repos/o/r/contributors":
			fmt.Fprint(w, `[{"login":"a"}]`)
		default:
			http.NotFound(w, r)
		}
	})
	got, err := c.Fetch(context.Background(), "o/r")
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	five, one := 5, 1
	want := &gh.Repo{FullName: "o/r", Topics: []string{}, Stars: &five, Contributors: &one,
		// The second week is good, so the first started 7 days before it.
		Commits: &snapshot.Weekly{Start: time.Unix(good, 0).UTC().AddDate(0, 0, -7), Counts: []int{3, 5, 7}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Fetch(o/r) mismatch (-want +got):\n%s", diff)
	}
	for _, w := range []string{`"github created_at dropped" repo=o/r err="1900-01-01T00:00:00Z is outside the years 1970–2100"`,
		`"github last commit date dropped" repo=o/r err="2500-01-01T00:00:00Z is outside`, `"github release date dropped" repo=o/r err="1960-05-01T00:00:00Z is outside`} {
		if !strings.Contains(logged.String(), w) {
			t.Errorf("log = %q, want it to say %q", logged.String(), w)
		}
	}
	if strings.Contains(logged.String(), "commit activity") {
		t.Errorf("log = %q, want no warning for commit activity placed by a good week", logged.String())
	}
	// No week with a good date: the series cannot be placed and is unknown.
	wk, ready, err := c.Activity(context.Background(), "o/bad")
	if wk != nil || !ready || err != nil {
		t.Errorf("Activity(o/bad) = %v, ready %v, %v; want nil, ready, no error", wk, ready, err)
	}
	if !strings.Contains(logged.String(), `"github commit activity dropped" repo=o/bad err="no week within the years 1970–2100"`) {
		t.Errorf("log = %q, want a warning for o/bad's commit activity", logged.String())
	}
}
