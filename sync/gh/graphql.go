package gh

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"versus/sync/snapshot"
)

// MaxBatch is the most repositories one GraphQL query asks for. A query's
// cost grows with the connections it opens (topics, open issues, open pull
// requests: three per repository), about 3 points per 100 repositories.
const MaxBatch = 100

// repoFields is the selection asked for every repository of a batch: all
// that the index needs except commit activity, contributors and star
// history, which GraphQL does not give.
const repoFields = `fragment repo on Repository {
  nameWithOwner description homepageUrl stargazerCount forkCount isArchived createdAt pushedAt
  primaryLanguage { name }
  licenseInfo { spdxId name }
  repositoryTopics(first: 20) { nodes { topic { name } } }
  issues(states: OPEN) { totalCount }
  pullRequests(states: OPEN) { totalCount }
  defaultBranchRef { target { ... on Commit { committedDate } } }
  latestRelease { tagName publishedAt createdAt }
}`

// Batched is one repository of a batch: its fields, or why there are none.
type Batched struct {
	Asked  string     // the name asked for
	Repo   *Repo      // nil when Err is set; no Commits, Release or Contributors from REST
	Pushed *time.Time // the last push to any branch: a cheap signal that commits changed
	Err    error      // wraps ErrNotFound for a repository GitHub does not know
}

// Cost is what a GraphQL query cost, from its rateLimit field.
type Cost struct {
	Points    int       // the query's cost
	Remaining int       // points left in the window
	ResetAt   time.Time // when the window starts again
}

// Batch reads up to MaxBatch repositories ("owner/name") in one GraphQL
// query. A repository GitHub does not know, or one the answer has an error
// for, is reported in its Batched and does not fail the others; the error
// is for the query as a whole (a limit, a transport failure, an answer that
// is not GraphQL).
func (c *Client) Batch(ctx context.Context, repos []string) ([]Batched, Cost, error) {
	if len(repos) == 0 || len(repos) > MaxBatch {
		return nil, Cost{}, fmt.Errorf("graphql batch of %d repositories, want 1 to %d", len(repos), MaxBatch)
	}
	query, vars, err := batchQuery(repos)
	if err != nil {
		return nil, Cost{}, err
	}
	req, err := c.gh.NewRequest("POST", "graphql", map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, Cost{}, fmt.Errorf("graphql batch: %w", err)
	}
	var ans struct {
		Data   map[string]json.RawMessage `json:"data"`
		Errors []gqlError                 `json:"errors"`
	}
	if _, err := c.gh.Do(ctx, req, &ans); err != nil {
		if isStatus(err, http.StatusNotFound) {
			err = ErrNoGraphQL
		}
		return nil, Cost{}, fmt.Errorf("graphql batch of %d from %s: %w", len(repos), repos[0], err)
	}
	if ans.Data == nil {
		return nil, Cost{}, fmt.Errorf("graphql batch of %d from %s: %w", len(repos), repos[0], queryError(ans.Errors))
	}
	var cost Cost
	if raw := ans.Data["rateLimit"]; raw != nil {
		var rl struct {
			Cost, Remaining int
			ResetAt         time.Time
		}
		if err := json.Unmarshal(raw, &rl); err != nil {
			return nil, Cost{}, fmt.Errorf("graphql batch: rateLimit: %w", err)
		}
		cost = Cost{Points: rl.Cost, Remaining: rl.Remaining, ResetAt: rl.ResetAt}
	}
	byAlias := map[string][]gqlError{}
	for _, e := range ans.Errors {
		if len(e.Path) > 0 {
			alias, _ := e.Path[0].(string)
			byAlias[alias] = append(byAlias[alias], e)
		}
	}
	out := make([]Batched, len(repos))
	for i, name := range repos {
		alias := "r" + strconv.Itoa(i)
		out[i] = Batched{Asked: name}
		raw := ans.Data[alias]
		errs := byAlias[alias]
		switch {
		case hasType(errs, "NOT_FOUND"):
			out[i].Err = fmt.Errorf("fetch %s: %w", name, ErrNotFound)
		case len(raw) == 0 || string(raw) == "null":
			out[i].Err = fmt.Errorf("fetch %s: graphql: %w", name, queryError(errs))
		default:
			r, pushed, err := repoFromGraphQL(raw)
			if err != nil {
				out[i].Err = fmt.Errorf("fetch %s: graphql: %w", name, err)
				break
			}
			if r.FullName == "" {
				r.FullName = name
			}
			r.Created, r.LastCommit = c.sane(name, "created_at", r.Created), c.sane(name, "last commit date", r.LastCommit)
			if r.Release != nil && c.sane(name, "release date", &r.Release.Date) == nil {
				r.Release = nil
			}
			out[i].Repo, out[i].Pushed = r, c.sane(name, "pushed_at", pushed)
		}
	}
	return out, cost, nil
}

// batchQuery writes the query for repos, owners and names passed as
// variables so that no name is ever spliced into the query text.
func batchQuery(repos []string) (string, map[string]any, error) {
	var params, body strings.Builder
	vars := make(map[string]any, 2*len(repos))
	for i, repo := range repos {
		owner, name, ok := strings.Cut(repo, "/")
		if !ok || !snapshot.ValidRepo(repo) {
			return "", nil, fmt.Errorf("graphql batch: %q is not of the form owner/name", repo)
		}
		n := strconv.Itoa(i)
		if i > 0 {
			params.WriteString(", ")
		}
		fmt.Fprintf(&params, "$o%s: String!, $n%s: String!", n, n)
		fmt.Fprintf(&body, "  r%s: repository(owner: $o%s, name: $n%s) { ...repo }\n", n, n, n)
		vars["o"+n], vars["n"+n] = owner, name
	}
	q := "query(" + params.String() + ") {\n  rateLimit { cost remaining resetAt }\n" + body.String() + "}\n" + repoFields + "\n"
	return q, vars, nil
}

// gqlRepo is the answer for one repository, as repoFields asks it.
type gqlRepo struct {
	NameWithOwner   string
	Description     *string
	HomepageURL     *string `json:"homepageUrl"`
	StargazerCount  *int
	ForkCount       *int
	IsArchived      bool
	CreatedAt       *time.Time
	PushedAt        *time.Time
	PrimaryLanguage *struct{ Name string }
	LicenseInfo     *struct {
		SpdxID *string `json:"spdxId"`
		Name   string
	}
	RepositoryTopics struct {
		Nodes []struct{ Topic struct{ Name string } }
	}
	Issues, PullRequests *struct{ TotalCount int }
	DefaultBranchRef     *struct {
		Target *struct{ CommittedDate *time.Time }
	}
	LatestRelease *struct {
		TagName                string
		PublishedAt, CreatedAt *time.Time
	}
}

func repoFromGraphQL(raw json.RawMessage) (*Repo, *time.Time, error) {
	var g gqlRepo
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, nil, err
	}
	r := &Repo{
		FullName: g.NameWithOwner,
		Stars:    g.StargazerCount,
		Forks:    g.ForkCount,
		Archived: g.IsArchived,
		Created:  utc(g.CreatedAt),
		Topics:   make([]string, 0, len(g.RepositoryTopics.Nodes)),
	}
	if g.Description != nil {
		r.Description = *g.Description
	}
	if g.HomepageURL != nil {
		r.Homepage = *g.HomepageURL
	}
	if g.PrimaryLanguage != nil {
		r.Language = g.PrimaryLanguage.Name
	}
	if l := g.LicenseInfo; l != nil {
		spdx := ""
		if l.SpdxID != nil && *l.SpdxID != "NOASSERTION" {
			spdx = *l.SpdxID
		}
		if spdx != "" || l.Name != "" {
			r.License = &snapshot.License{SPDX: spdx, Name: l.Name}
		}
	}
	for _, n := range g.RepositoryTopics.Nodes {
		r.Topics = append(r.Topics, n.Topic.Name)
	}
	if g.Issues != nil && g.PullRequests != nil { // REST's open_issues_count counts both
		n := g.Issues.TotalCount + g.PullRequests.TotalCount
		r.OpenIssues = &n
	}
	if b := g.DefaultBranchRef; b != nil && b.Target != nil {
		r.LastCommit = utc(b.Target.CommittedDate)
	}
	if rel := g.LatestRelease; rel != nil && rel.TagName != "" {
		t := rel.PublishedAt
		if t == nil {
			t = rel.CreatedAt
		}
		if t != nil {
			r.Release = &snapshot.Release{Tag: rel.TagName, Date: t.UTC()}
		}
	}
	return r, utc(g.PushedAt), nil
}

func utc(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// gqlError is one entry of a GraphQL answer's errors.
type gqlError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	Path    []any  `json:"path"`
}

func hasType(errs []gqlError, typ string) bool {
	for _, e := range errs {
		if e.Type == typ {
			return true
		}
	}
	return false
}

// ErrNoGraphQL reports a server without the GraphQL endpoint (404 for
// /graphql): a GitHub Enterprise server, or the demo's recorded answers.
// The caller reads every repository through REST (Fetch) instead.
var ErrNoGraphQL = errors.New("no graphql endpoint")

// ErrGraphQL is wrapped by errors GraphQL reported in its answer.
var ErrGraphQL = errors.New("graphql error")

func queryError(errs []gqlError) error {
	if len(errs) == 0 {
		return fmt.Errorf("%w: no data and no error in the answer", ErrGraphQL)
	}
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		m := e.Message
		if e.Type != "" {
			m = e.Type + ": " + m
		}
		msgs = append(msgs, m)
	}
	return fmt.Errorf("%w: %s", ErrGraphQL, strings.Join(msgs, "; "))
}
