package gh_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"versus/sync/gh"
	"versus/sync/gh/ghtest"
)

func TestSearchSplitsByStars(t *testing.T) {
	const n = 5000
	srv, c, _ := setup(t, n, gh.Options{})
	var want []string
	for i := range n {
		r := ghtest.Synthetic(i, start)
		if slices.Contains(r.Topics, "topic3") && r.Stars >= 1000 {
			want = append(want, r.FullName)
		}
	}
	if len(want) <= 1000 {
		t.Fatalf("the fake has %d matches; the test needs more than search's 1,000", len(want))
	}
	found, cost, err := c.Search(context.Background(), "topic:topic3", 1000, 100000)
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	var got []string
	for i, f := range found {
		got = append(got, f.Repo)
		if i > 0 && f.Stars > found[i-1].Stars {
			t.Fatalf("found[%d] has %d stars after %d: want most stars first", i, f.Stars, found[i-1].Stars)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Search found (-want +got):\n%s", diff)
	}
	pages := srv.PathCount("/graphql")
	if int64(cost.Points) != srv.Points() || int64(cost.Points) != pages {
		t.Errorf("cost %d points, fake charged %d for %d pages: want 1 a page", cost.Points, srv.Points(), pages)
	}
	if most := int64(len(want)/100 + 3); pages > most {
		t.Errorf("%d pages for %d repositories, want at most %d", pages, len(want), most)
	}
}

func TestSearchLimitAndTies(t *testing.T) {
	srv, c, _ := setup(t, 0, gh.Options{})
	for i := range 1500 {
		srv.Add(&ghtest.Repo{FullName: fmt.Sprintf("same/r%d", i), Stars: 4242, Topics: []string{"go"}})
	}
	found, _, err := c.Search(context.Background(), "topic:go", 100, 250)
	if err != nil || len(found) != 250 {
		t.Fatalf("Search with limit 250 = %d repositories, %v", len(found), err)
	}
	// 1,500 repositories with the same stars: search reaches 1,000 of them
	// and no star range reaches more; Search must stop, not loop.
	found, _, err = c.Search(context.Background(), "topic:go", 100, 100000)
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	seen := map[string]bool{}
	for _, f := range found {
		if seen[f.Repo] {
			t.Fatalf("%s found twice", f.Repo)
		}
		seen[f.Repo] = true
	}
	if len(found) != 1000 {
		t.Errorf("found %d of 1,500 tied repositories, want the 1,000 search reaches", len(found))
	}
	if _, _, err := c.Search(context.Background(), "topic:go fork:true", 100, 10); err == nil || !strings.Contains(err.Error(), "fork") {
		t.Errorf("Search with a qualifier the fake refuses = %v, want GitHub's message passed on", err)
	}
}
