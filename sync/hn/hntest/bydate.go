package hntest

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// reachable is how many hits Algolia lets one query page through
// (paginationLimitedTo): past it, pages come back empty.
const reachable = 1000

// serveByDate answers /search_by_date as Algolia does: hits newest first,
// numericFilters on created_at_i (`>`, `>=`, `<`, `<=`, comma-separated),
// hitsPerPage at most 1000, and no more than 1,000 hits reachable by paging.
func (s *Server) serveByDate(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	query := strings.ToLower(q.Get("query"))
	if s.Fail != nil && s.Fail(query) {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	keep, ok := numericFilters(q.Get("numericFilters"))
	if !ok {
		http.Error(w, `{"message":"invalid numericFilters","status":400}`, http.StatusBadRequest)
		return
	}
	hpp, err := strconv.Atoi(q.Get("hitsPerPage"))
	if err != nil || hpp <= 0 {
		hpp = 20
	}
	hpp = min(hpp, 1000)
	page, _ := strconv.Atoi(q.Get("page"))
	var hits []Hit
	for _, h := range s.Hits {
		if keep(h.CreatedAtI) && strings.Contains(searchable(h), query) {
			hits = append(hits, h)
		}
	}
	slices.SortStableFunc(hits, func(a, b Hit) int { return cmp.Compare(b.CreatedAtI, a.CreatedAtI) })
	n := len(hits)
	hits = hits[:min(n, reachable)]
	pages := (len(hits) + hpp - 1) / hpp
	from, to := min(page*hpp, len(hits)), min((page+1)*hpp, len(hits))
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"hits": append([]Hit{}, hits[from:to]...), "nbHits": n, "page": page, "nbPages": pages, "hitsPerPage": hpp,
	})
}

// numericFilters parses Algolia's filters on created_at_i into a test.
func numericFilters(s string) (func(int64) bool, bool) {
	var tests []func(int64) bool
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		rest, ok := strings.CutPrefix(f, "created_at_i")
		if !ok {
			return nil, false
		}
		var op string
		for _, o := range []string{">=", "<=", ">", "<", "="} {
			if strings.HasPrefix(rest, o) {
				op = o
				break
			}
		}
		v, err := strconv.ParseInt(strings.TrimPrefix(rest, op), 10, 64)
		if op == "" || err != nil {
			return nil, false
		}
		tests = append(tests, map[string]func(int64) bool{
			">": func(x int64) bool { return x > v }, ">=": func(x int64) bool { return x >= v },
			"<": func(x int64) bool { return x < v }, "<=": func(x int64) bool { return x <= v },
			"=": func(x int64) bool { return x == v },
		}[op])
	}
	return func(x int64) bool {
		for _, t := range tests {
			if !t(x) {
				return false
			}
		}
		return true
	}, true
}
