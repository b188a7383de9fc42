package job

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"versus/sync/assemble"
	"versus/sync/catalog"
	"versus/sync/collect"
	"versus/sync/gh"
	"versus/sync/snapshot"
	"versus/sync/store"
)

// discoverEvery is how long the repositories the catalog's rules found are
// reused before GitHub search is asked again.
const discoverEvery = 24 * time.Hour

// runState is the content of store.RunStateName.
type runState struct {
	Resume     string               `json:"resume,omitempty"` // catalog repo the next run starts from
	HNAfter    time.Time            `json:"hn_after,omitzero"`
	Repos      map[string]repoState `json:"repos"` // by lowercase catalog repo
	Discovered *discovered          `json:"discovered,omitempty"`
}

// repoState is what the last run read of a repository.
type repoState struct {
	Pushed         *time.Time `json:"pushed,omitempty"` // pushedAt its commit activity was read at
	ContributorsAt *time.Time `json:"contributors_at,omitempty"`
	Searched       bool       `json:"searched,omitempty"` // had its full HN search
}

// discovered is what the catalog's rules found, and when.
type discovered struct {
	At    time.Time  `json:"at"`
	Rules []string   `json:"rules"` // each rule as ruleKey writes it: a changed rule is searched again
	Found [][]string `json:"found"`
}

// loadRunState reads the run state; a missing or unreadable one starts
// over (with a warning for the latter), a store that fails is an error.
func loadRunState(ctx context.Context, st store.Store, log *slog.Logger) (*runState, error) {
	s := &runState{Repos: map[string]repoState{}}
	b, _, err := st.Get(ctx, store.RunStateName)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s, nil
	case err != nil && !errors.Is(err, store.ErrCorrupt):
		return nil, fmt.Errorf("load run state: %w", err)
	case err != nil:
		log.Warn("run state corrupt: every repository is read in full", "err", err)
		return s, nil
	}
	if err := json.Unmarshal(b, s); err != nil {
		log.Warn("run state unreadable: every repository is read in full", "err", err)
		return &runState{Repos: map[string]repoState{}}, nil
	}
	if s.Repos == nil {
		s.Repos = map[string]repoState{}
	}
	return s, nil
}

// save writes the run state, within saveTimeout; a failure only warns (the
// next run reads more).
func (s *runState) save(ctx context.Context, st store.Store, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(ctx, saveTimeout)
	defer cancel()
	b, err := json.Marshal(s)
	if err == nil {
		err = st.Put(ctx, store.RunStateName, b)
	}
	if err != nil {
		log.Warn("run state not saved", "err", err)
	}
}

// priors joins the previous snapshot's figures with the run state's
// signals, for the collector. A signal without the figure it guards is
// dropped, so that the figure is read again.
func (s *runState) priors(prev *assemble.Previous) map[string]collect.Prior {
	out := make(map[string]collect.Prior, len(s.Repos))
	for key, rs := range s.Repos {
		pr := collect.Prior{Searched: rs.Searched}
		if p := prevProject(prev, key); p != nil { // nil contributors: GitHub would not count them
			pr.Stars, pr.Contributors, pr.ContributorsAt = p.Stars, p.Contributors, rs.ContributorsAt
		}
		if d := prevDetail(prev, key); d != nil && d.Commits != nil {
			pr.Commits, pr.Pushed = d.Commits, rs.Pushed
		}
		out[key] = pr
	}
	return out
}

func prevProject(prev *assemble.Previous, key string) *snapshot.Project {
	if prev == nil {
		return nil
	}
	return prev.Projects[key]
}

func prevDetail(prev *assemble.Previous, key string) *snapshot.Detail {
	if prev == nil {
		return nil
	}
	return prev.Details[key]
}

// record keeps what part read for the next run. Repositories not in the
// catalog any more are forgotten.
func (s *runState) record(projects []catalog.Project, part *collect.Part) {
	repos := make(map[string]repoState, len(projects))
	for _, p := range projects {
		if rs, ok := s.Repos[strings.ToLower(p.Repo)]; ok {
			repos[strings.ToLower(p.Repo)] = rs
		}
	}
	for _, r := range part.Results {
		key := strings.ToLower(r.Project.Repo)
		rs := repos[key]
		if r.Status == collect.OK {
			rs.Pushed, rs.ContributorsAt = r.Pushed, r.ContributorsAt
		}
		rs.Searched = rs.Searched || r.Searched
		repos[key] = rs
	}
	s.Repos, s.Resume = repos, part.Resume
	if !part.HNNewest.IsZero() {
		s.HNAfter = part.HNNewest
	}
}

// discover returns the catalog with what its rules find added: GitHub
// search at most once per discoverEvery, the found lists kept in the run
// state in between. A rule whose search fails keeps its last list.
func (s *runState) discover(ctx context.Context, cat *catalog.Catalog, client *gh.Client, now time.Time, log *slog.Logger) *catalog.Catalog {
	if len(cat.Discover) == 0 {
		return cat
	}
	keys := make([]string, len(cat.Discover))
	for i, r := range cat.Discover {
		keys[i] = ruleKey(r)
	}
	old := map[string][]string{}
	fresh := s.Discovered != nil && now.Sub(s.Discovered.At) < discoverEvery
	if s.Discovered != nil {
		for i, k := range s.Discovered.Rules {
			if i < len(s.Discovered.Found) {
				old[k] = s.Discovered.Found[i]
			}
		}
	}
	found := make([][]string, len(cat.Discover))
	searched := false
	for i, r := range cat.Discover {
		if list, ok := old[keys[i]]; ok && fresh {
			found[i] = list
			continue
		}
		res, cost, err := client.Search(ctx, r.Qualifiers(), r.MinStars, r.Max)
		if err != nil {
			log.Warn("discovery search failed; keeping what it found last", "line", r.Line, "rule", r.Qualifiers(), "err", err)
			found[i] = old[keys[i]]
			continue
		}
		searched = true
		log.Info("discovered", "line", r.Line, "rule", r.Qualifiers(), "repositories", len(res), "graphql_points", cost.Points)
		for _, f := range res {
			found[i] = append(found[i], f.Repo)
		}
	}
	if searched || s.Discovered == nil {
		at := now
		if !searched {
			at = time.Time{}
		} else if fresh {
			at = s.Discovered.At // a changed rule does not delay the others
		}
		s.Discovered = &discovered{At: at, Rules: keys, Found: found}
	}
	return cat.WithDiscovered(found)
}

// ruleKey writes what a rule searches for.
func ruleKey(r catalog.Rule) string {
	return r.Qualifiers() + " stars>=" + strconv.Itoa(r.MinStars) + " max=" + strconv.Itoa(r.Max)
}
