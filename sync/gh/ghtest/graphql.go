package ghtest

import (
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator"
)

// schemaGz is GitHub's public GraphQL schema (see testdata/README.md).
//
//go:embed testdata/github-schema.graphql.gz
var schemaGz []byte

// githubSchema parses the schema once per process: it is read-only after.
var githubSchema = sync.OnceValues(func() (*ast.Schema, error) {
	zr, err := gzip.NewReader(bytes.NewReader(schemaGz))
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	return gqlparser.LoadSchema(&ast.Source{Name: "github.graphql", Input: string(b)})
})

// graphQL answers POST /graphql as GitHub does for the queries the sync
// sends: the query is validated against GitHub's schema (a misspelt field
// is an error answer, as on GitHub), then answered from the synthetic
// repositories: `repository(owner:, name:)` and `rateLimit`. A missing
// repository is null with a NOT_FOUND error; the cost follows GitHub's
// rule (connections asked, times their parents' `first`, ÷ 100, at least 1).
func (s *Server) graphQL(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	if s.NoGraphQL {
		s.notFound(w)
		return
	}
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&req) != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Problems parsing JSON"})
		return
	}
	schema, err := githubSchema()
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "fake schema: " + err.Error()})
		return
	}
	doc, errs := gqlparser.LoadQueryWithRules(schema, req.Query, nil) // nil: the default rules
	if len(errs) == 0 && len(doc.Operations) != 1 {
		writeJSON(w, http.StatusOK, map[string]any{"errors": []map[string]any{{"message": "the fake answers one operation a query"}}})
		return
	}
	var vars map[string]any
	if len(errs) == 0 {
		var verr error
		if vars, verr = validator.VariableValues(schema, doc.Operations[0], req.Variables); verr != nil {
			writeJSON(w, http.StatusOK, map[string]any{"errors": []map[string]any{{"message": verr.Error()}}})
			return
		}
	}
	if len(errs) > 0 {
		list := make([]map[string]any, len(errs))
		for i, e := range errs {
			list[i] = map[string]any{"message": e.Message, "locations": e.Locations}
		}
		writeJSON(w, http.StatusOK, map[string]any{"errors": list})
		return
	}
	op := doc.Operations[0]
	cost := max(1, int(math.Round(float64(connections(op.SelectionSet, 1, vars))/100)))

	now := s.Now()
	s.mu.Lock()
	if !now.Before(s.gqlReset) {
		s.gqlUsed, s.gqlReset = 0, now.Add(time.Hour)
	}
	limit := s.GraphQLQuota
	if limit <= 0 {
		limit = 5000
	}
	over := s.GraphQLQuota > 0 && s.gqlUsed+cost > limit
	if !over {
		s.gqlUsed += cost
	}
	used, reset := s.gqlUsed, s.gqlReset
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(limit))
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(max(limit-used, 0)))
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	w.Header().Set("X-RateLimit-Resource", "graphql")
	if over {
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"errors": []map[string]any{{
			"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1.",
		}}})
		return
	}
	s.points.Add(int64(cost))
	data := map[string]any{}
	var gerrs []map[string]any
	for _, sel := range op.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok {
			continue
		}
		switch f.Name {
		case "rateLimit":
			data[f.Alias] = project(f.SelectionSet, map[string]any{
				"cost": cost, "limit": limit, "remaining": limit - used, "used": used,
				"resetAt": reset.UTC().Format(time.RFC3339), "nodeCount": 0,
			})
		case "repository":
			owner, _ := f.Arguments.ForName("owner").Value.Value(vars)
			name, _ := f.Arguments.ForName("name").Value.Value(vars)
			full := toString(owner) + "/" + toString(name)
			repo := s.repos[strings.ToLower(full)]
			if moved, ok := s.renamed[strings.ToLower(full)]; repo == nil && ok {
				repo = s.repos[strings.ToLower(moved)] // GitHub follows renames
			}
			if repo == nil {
				data[f.Alias] = nil
				gerrs = append(gerrs, map[string]any{
					"type": "NOT_FOUND", "path": []string{f.Alias},
					"locations": []map[string]int{{"line": f.Position.Line, "column": f.Position.Column}},
					"message":   "Could not resolve to a Repository with the name '" + full + "'.",
				})
				continue
			}
			if repo.GraphQLError != "" {
				data[f.Alias] = nil
				gerrs = append(gerrs, map[string]any{"type": repo.GraphQLError, "path": []string{f.Alias}, "message": "the fake fails " + full})
				continue
			}
			data[f.Alias] = project(f.SelectionSet, repoValue(repo))
		case "search":
			v, err := s.search(f, vars)
			if err != nil {
				data[f.Alias] = nil
				gerrs = append(gerrs, map[string]any{"path": []string{f.Alias}, "message": err.Error()})
				continue
			}
			data[f.Alias] = project(f.SelectionSet, v)
		default:
			data[f.Alias] = nil
			gerrs = append(gerrs, map[string]any{"path": []string{f.Alias}, "message": "the fake does not serve " + f.Name})
		}
	}
	s.mu.Unlock()
	ans := map[string]any{"data": data}
	if gerrs != nil {
		ans["errors"] = gerrs
	}
	writeJSON(w, http.StatusOK, ans)
}

// search answers a repository search as GitHub does for the qualifiers the
// sync uses (topic:, language:, stars:>=N, stars:N..M, sort:stars-desc):
// most stars first, at most 1,000 results reachable, cursors by offset.
// Call with s.mu held.
func (s *Server) search(f *ast.Field, vars map[string]any) (map[string]any, error) {
	arg := func(name string) any {
		if a := f.Arguments.ForName(name); a != nil {
			v, _ := a.Value.Value(vars)
			return v
		}
		return nil
	}
	if toString(arg("type")) != "REPOSITORY" {
		return nil, fmt.Errorf("the fake searches only repositories")
	}
	match, err := searchFilter(toString(arg("query")))
	if err != nil {
		return nil, err
	}
	var hits []*Repo
	for _, name := range s.order {
		if r := s.repos[strings.ToLower(name)]; r != nil && match(r) {
			hits = append(hits, r)
		}
	}
	slices.SortStableFunc(hits, func(a, b *Repo) int { return cmp.Compare(b.Stars, a.Stars) })
	total := len(hits)
	hits = hits[:min(total, 1000)]
	first, _ := arg("first").(int64)
	from := 0
	if c := toString(arg("after")); c != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(c, "offset:"))
		if err != nil {
			return nil, fmt.Errorf("invalid cursor %q", c)
		}
		from = n
	}
	from = min(from, len(hits))
	to := min(from+int(max(first, 1)), len(hits))
	nodes := make([]any, 0, to-from)
	for _, r := range hits[from:to] {
		nodes = append(nodes, repoValue(r))
	}
	return map[string]any{
		"repositoryCount": total,
		"pageInfo":        map[string]any{"hasNextPage": to < len(hits), "endCursor": "offset:" + strconv.Itoa(to)},
		"nodes":           nodes,
	}, nil
}

// searchFilter parses a search query of qualifiers.
func searchFilter(q string) (func(*Repo) bool, error) {
	var tests []func(*Repo) bool
	for _, term := range strings.Fields(q) {
		k, v, ok := strings.Cut(term, ":")
		if !ok {
			return nil, fmt.Errorf("the fake takes only qualifiers, not %q", term)
		}
		switch k {
		case "topic":
			tests = append(tests, func(r *Repo) bool { return slices.Contains(r.Topics, strings.ToLower(v)) })
		case "language":
			tests = append(tests, func(r *Repo) bool { return r.Language != nil && strings.EqualFold(*r.Language, v) })
		case "stars":
			lo, hi, err := starRange(v)
			if err != nil {
				return nil, err
			}
			tests = append(tests, func(r *Repo) bool { return r.Stars >= lo && r.Stars <= hi })
		case "sort":
			if v != "stars-desc" {
				return nil, fmt.Errorf("the fake sorts only by stars-desc")
			}
		default:
			return nil, fmt.Errorf("the fake does not know the qualifier %q", k)
		}
	}
	return func(r *Repo) bool {
		for _, t := range tests {
			if !t(r) {
				return false
			}
		}
		return true
	}, nil
}

func starRange(v string) (lo, hi int, err error) {
	lo, hi = 0, math.MaxInt
	switch {
	case strings.HasPrefix(v, ">="):
		lo, err = strconv.Atoi(v[2:])
	case strings.HasPrefix(v, ">"):
		lo, err = strconv.Atoi(v[1:])
		lo++
	case strings.Contains(v, ".."):
		a, b, _ := strings.Cut(v, "..")
		if lo, err = strconv.Atoi(a); err == nil {
			hi, err = strconv.Atoi(b)
		}
	default:
		lo, err = strconv.Atoi(v)
		hi = lo
	}
	if err != nil {
		return 0, 0, fmt.Errorf("invalid stars qualifier %q", v)
	}
	return lo, hi, nil
}

// connections counts the requests GitHub's cost rule charges for sel: one
// per connection, times the `first` of the connections around it.
func connections(sel ast.SelectionSet, mult int, vars map[string]any) int {
	n := 0
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			m := mult
			if s.Definition != nil && strings.HasSuffix(s.Definition.Type.Name(), "Connection") {
				n += mult
				if a := s.Arguments.ForName("first"); a != nil {
					if v, err := a.Value.Value(vars); err == nil {
						if k, ok := v.(int64); ok && k > 0 {
							m = mult * int(k)
						}
					}
				}
			}
			n += connections(s.SelectionSet, m, vars)
		case *ast.InlineFragment:
			n += connections(s.SelectionSet, mult, vars)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				n += connections(s.Definition.SelectionSet, mult, vars)
			}
		}
	}
	return n
}

// project answers the selection sel over the value tree v (maps by field
// name, slices for lists), with aliases and fragments.
func project(sel ast.SelectionSet, v any) any {
	switch v := v.(type) {
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = project(sel, e)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		merge(out, sel, v)
		return out
	}
	return v
}

func merge(out map[string]any, sel ast.SelectionSet, v map[string]any) {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			val := v[s.Name]
			if len(s.SelectionSet) > 0 {
				val = project(s.SelectionSet, val)
			}
			out[s.Alias] = val
		case *ast.InlineFragment:
			if s.TypeCondition == "" || s.TypeCondition == v["__typename"] {
				merge(out, s.SelectionSet, v)
			}
		case *ast.FragmentSpread:
			if s.Definition != nil {
				merge(out, s.Definition.SelectionSet, v)
			}
		}
	}
}

// repoValue is r as GitHub's GraphQL types hold it.
func repoValue(r *Repo) map[string]any {
	date := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.UTC().Format(time.RFC3339)
	}
	topics := make([]any, len(r.Topics))
	for i, t := range r.Topics {
		topics[i] = map[string]any{"topic": map[string]any{"name": t}}
	}
	v := map[string]any{
		"__typename":       "Repository",
		"nameWithOwner":    r.FullName,
		"description":      deref(r.Description),
		"homepageUrl":      deref(r.Homepage),
		"stargazerCount":   r.Stars,
		"forkCount":        r.Forks,
		"isArchived":       r.Archived,
		"createdAt":        date(r.Created),
		"pushedAt":         date(r.LastCommit),
		"primaryLanguage":  nil,
		"licenseInfo":      nil,
		"repositoryTopics": map[string]any{"nodes": topics},
		"issues":           map[string]any{"totalCount": r.OpenIssues},
		"pullRequests":     map[string]any{"totalCount": 0},
		"defaultBranchRef": nil,
		"latestRelease":    nil,
	}
	if r.Language != nil {
		v["primaryLanguage"] = map[string]any{"name": *r.Language}
	}
	if l := r.License; l != nil {
		v["licenseInfo"] = map[string]any{"spdxId": l.SPDX, "name": l.Name}
	}
	if !r.LastCommit.IsZero() {
		v["defaultBranchRef"] = map[string]any{"target": map[string]any{"__typename": "Commit", "committedDate": date(r.LastCommit)}}
	}
	if r.Release != "" {
		v["latestRelease"] = map[string]any{"tagName": r.Release, "publishedAt": date(r.ReleaseAt), "createdAt": date(r.ReleaseAt)}
	}
	return v
}

func deref(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}

// Points returns the GraphQL points charged so far.
func (s *Server) Points() int64 { return s.points.Load() }
