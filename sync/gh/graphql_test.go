package gh_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"versus/sync/gh"
	"versus/sync/gh/ghtest"
)

// TestBatchAgreesWithREST reads the same fake repositories through GraphQL
// and REST: every field GraphQL gives must equal what REST gives.
func TestBatchAgreesWithREST(t *testing.T) {
	srv, c, _ := setup(t, 12, gh.Options{})
	ctx := context.Background()
	names := srv.Names()
	got, cost, err := c.Batch(ctx, names)
	if err != nil {
		t.Fatalf("Batch: %v", err)
	}
	if len(got) != len(names) {
		t.Fatalf("Batch gave %d repositories, want %d", len(got), len(names))
	}
	for i, b := range got {
		if b.Asked != names[i] || b.Err != nil || b.Repo == nil {
			t.Fatalf("Batch()[%d] = %+v, want %s read", i, b, names[i])
		}
		rest, err := c.Fetch(ctx, names[i])
		if err != nil {
			t.Fatalf("Fetch(%s): %v", names[i], err)
		}
		// What only REST gives: commit activity and contributors.
		ignore := cmpopts.IgnoreFields(gh.Repo{}, "Commits", "Pending", "Contributors")
		if diff := cmp.Diff(rest, b.Repo, ignore); diff != "" {
			t.Errorf("Batch and Fetch of %s differ (-REST +GraphQL):\n%s", names[i], diff)
		}
		if b.Pushed == nil || !b.Pushed.Equal(*rest.LastCommit) {
			t.Errorf("Batch()[%d].Pushed = %v, want the last push %v", i, b.Pushed, rest.LastCommit)
		}
	}
	if cost.Points != 1 || int64(cost.Points) != srv.Points() || cost.Remaining != 4999 || cost.ResetAt.IsZero() {
		t.Errorf("cost = %+v (fake charged %d), want 1 point of 5000 charged, 4999 left and a reset time", cost, srv.Points())
	}
}

// TestBatchCost holds a full batch within the sync's budget of 0.1 GraphQL
// points a repository.
func TestBatchCost(t *testing.T) {
	srv, c, _ := setup(t, gh.MaxBatch, gh.Options{})
	_, cost, err := c.Batch(context.Background(), srv.Names())
	if err != nil {
		t.Fatalf("Batch: %v", err)
	}
	// Three connections a repository (topics, open issues, open pull
	// requests), 100 repositories: 300 requests ÷ 100.
	if cost.Points != 3 {
		t.Errorf("a batch of %d cost %d points, want 3", gh.MaxBatch, cost.Points)
	}
	if per := float64(cost.Points) / gh.MaxBatch; per > 0.1 {
		t.Errorf("%.3f points a repository, budget 0.1", per)
	}
	if _, _, err := c.Batch(context.Background(), append(srv.Names(), "one/more")); err == nil {
		t.Errorf("Batch of %d repositories = nil error, want one refusing more than %d", gh.MaxBatch+1, gh.MaxBatch)
	}
}

func TestBatchNotFound(t *testing.T) {
	srv, c, _ := setup(t, 3, gh.Options{})
	srv.Remove("org0/repo1")
	got, _, err := c.Batch(context.Background(), []string{"org0/repo0", "org0/repo1", "org0/repo2"})
	if err != nil {
		t.Fatalf("Batch with a missing repository: %v, want it reported, not fatal", err)
	}
	if !errors.Is(got[1].Err, gh.ErrNotFound) || got[1].Repo != nil {
		t.Errorf("missing repository = %+v, want ErrNotFound", got[1])
	}
	for _, i := range []int{0, 2} {
		if got[i].Err != nil || got[i].Repo == nil || got[i].Repo.FullName != got[i].Asked {
			t.Errorf("Batch()[%d] = %+v, want it read", i, got[i])
		}
	}
}

// TestBatchPartialErrors answers one repository with an error GitHub gives
// for a repository it will not show: the rest of the answer is kept.
func TestBatchPartialErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"data":{"rateLimit":{"cost":1,"remaining":4990,"resetAt":"2026-03-01T07:00:00Z"},
		  "r0":{"nameWithOwner":"a/one","stargazerCount":5,"repositoryTopics":{"nodes":[]}},
		  "r1":null},
		  "errors":[{"type":"FORBIDDEN","path":["r1"],"message":"Repository access blocked"}]}`)
	}))
	defer srv.Close()
	c, err := gh.New(gh.Options{BaseURL: srv.URL, Clock: ghtest.NewClock(start)})
	if err != nil {
		t.Fatal(err)
	}
	got, cost, err := c.Batch(context.Background(), []string{"a/one", "b/two"})
	if err != nil {
		t.Fatalf("Batch: %v", err)
	}
	if got[0].Err != nil || *got[0].Repo.Stars != 5 {
		t.Errorf("Batch()[0] = %+v, want a/one with 5 stars", got[0])
	}
	if got[1].Err == nil || !strings.Contains(got[1].Err.Error(), "Repository access blocked") || errors.Is(got[1].Err, gh.ErrNotFound) {
		t.Errorf("Batch()[1].Err = %v, want GitHub's message, not ErrNotFound", got[1].Err)
	}
	if cost.Points != 1 || cost.Remaining != 4990 {
		t.Errorf("cost = %+v, want 1 point, 4990 left", cost)
	}
}

func TestBatchSecondaryLimit(t *testing.T) {
	srv, c, clock := setup(t, 3, gh.Options{})
	srv.Inject = faultOnce("/graphql", ghtest.Fault{Kind: ghtest.Secondary, Wait: 30 * time.Second})
	got, _, err := c.Batch(context.Background(), srv.Names())
	if err != nil {
		t.Fatalf("Batch after a secondary limit: %v", err)
	}
	if got[2].Repo == nil {
		t.Errorf("Batch()[2] = %+v, want it read after the wait", got[2])
	}
	if s := clock.Slept(); s < 30*time.Second || s > 31*time.Second {
		t.Errorf("slept %v, want the 30 s Retry-After", s)
	}
	if n := srv.PathCount("/graphql"); n != 2 {
		t.Errorf("graphql asked %d times, want 2 (the limit, then the answer)", n)
	}
	if v := srv.Violations(); v != 0 {
		t.Errorf("%d requests sent while a limit was in force", v)
	}
}

func TestBatchOverBudget(t *testing.T) {
	srv, c, _ := setup(t, gh.MaxBatch, gh.Options{})
	srv.GraphQLQuota = 4
	if _, _, err := c.Batch(context.Background(), srv.Names()); err != nil {
		t.Fatalf("first batch (3 of 4 points): %v", err)
	}
	_, _, err := c.Batch(context.Background(), srv.Names())
	if !errors.Is(err, gh.ErrGraphQL) || !strings.Contains(err.Error(), "RATE_LIMITED") {
		t.Errorf("second batch over the budget = %v, want a RATE_LIMITED GraphQL error", err)
	}
}

func TestBatchRefusesBadNames(t *testing.T) {
	srv, c, _ := setup(t, 1, gh.Options{})
	for _, name := range []string{"nope", `a/b") { x } #`, "../x"} {
		if _, _, err := c.Batch(context.Background(), []string{name}); err == nil {
			t.Errorf("Batch(%q) = nil error, want a refusal", name)
		}
	}
	if n := srv.Requests(); n != 0 {
		t.Errorf("%d requests sent for invalid names, want 0", n)
	}
}

// TestFakeValidatesQueries checks the fake refuses what GitHub refuses, so
// that a misspelt field in the sync's query fails a test.
func TestFakeValidatesQueries(t *testing.T) {
	srv := ghtest.New(1)
	defer srv.Close()
	for _, tc := range []struct{ query, want string }{
		{`{ repository(owner: "org0", name: "repo0") { stargazerCount } }`, ""},
		{`{ repository(owner: "org0", name: "repo0") { stargazersCount } }`, `Cannot query field "stargazersCount" on type "Repository"`},
		{`{ repository(owner: "org0") { stargazerCount } }`, `argument "name" of type "String!" is required`},
		{`query($o: Int!) { repository(owner: $o, name: "x") { id } }`, `Variable "$o" of type "Int!" used in position expecting type "String!"`},
	} {
		body, _ := json.Marshal(map[string]any{"query": tc.query, "variables": map[string]any{"o": 1}})
		resp, err := http.Post(srv.URL+"/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var ans struct {
			Data   map[string]any
			Errors []struct{ Message string }
		}
		err = json.NewDecoder(resp.Body).Decode(&ans)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		switch {
		case tc.want == "" && (len(ans.Errors) > 0 || ans.Data["repository"] == nil):
			t.Errorf("%s answered %+v, want data", tc.query, ans)
		case tc.want != "" && (len(ans.Errors) == 0 || !strings.Contains(ans.Errors[0].Message, tc.want)):
			t.Errorf("%s answered errors %+v, want %q", tc.query, ans.Errors, tc.want)
		}
	}
}
