package job

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"versus/sync/catalog"
	"versus/sync/collect"
	"versus/sync/snapshot"
	"versus/sync/store"
)

// The variables Cloud Run sets in every task of a job's execution.
const (
	envTaskIndex = "CLOUD_RUN_TASK_INDEX"
	envTaskCount = "CLOUD_RUN_TASK_COUNT"
	envExecution = "CLOUD_RUN_EXECUTION"
)

// Shard is a task's place in an execution of a job of several tasks. The
// zero Shard, or a Count of 1, is a whole run: it collects every project
// and publishes. Task Index of Count > 1 collects its slice of the catalog
// into its part in the state store; the task that finds the set complete
// and wins the claim (a create-only write) assembles every part and
// publishes, once. A task that did its part exits with success; if a part
// never arrives, nothing is published and the live snapshot stays.
type Shard struct {
	Index, Count int
	Execution    string // names the execution's run folder
}

// ShardFromEnv reads the Shard of a Cloud Run task from getenv (os.Getenv):
// none without CLOUD_RUN_TASK_COUNT.
func ShardFromEnv(getenv func(string) string) (Shard, error) {
	count := getenv(envTaskCount)
	if count == "" {
		return Shard{}, nil
	}
	var s Shard
	var err error
	if s.Count, err = strconv.Atoi(count); err != nil || s.Count < 1 {
		return Shard{}, fmt.Errorf("%s=%q: want a positive number", envTaskCount, count)
	}
	if s.Count == 1 {
		return Shard{}, nil
	}
	index := getenv(envTaskIndex)
	if s.Index, err = strconv.Atoi(index); err != nil {
		return Shard{}, fmt.Errorf("%s=%q: want a number", envTaskIndex, index)
	}
	s.Execution = getenv(envExecution)
	return s, s.check()
}

func (s Shard) sharded() bool { return s.Count > 1 }

func (s Shard) check() error {
	if !s.sharded() {
		return nil
	}
	if s.Index < 0 || s.Index >= s.Count {
		return fmt.Errorf("task %d of %d: want %s from 0 to %d", s.Index, s.Count, envTaskIndex, s.Count-1)
	}
	if err := store.CheckExecution(s.Execution); err != nil {
		return fmt.Errorf("task %d of %d: %s: %w", s.Index, s.Count, envExecution, err)
	}
	return nil
}

func (s Shard) String() string {
	return fmt.Sprintf("task %d of %d of %s", s.Index, s.Count, s.Execution)
}

// shardOf returns the task that collects repo when there are n: a hash of
// the lowercase repo, so the split is the same in every task and every run
// and a repository's ETag cache stays in its task's.
func shardOf(repo string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(repo)))
	return int(h.Sum32() % uint32(n))
}

// slice returns the projects this task collects.
func (s Shard) slice(projects []catalog.Project) []catalog.Project {
	if !s.sharded() {
		return projects
	}
	var mine []catalog.Project
	for _, p := range projects {
		if shardOf(p.Repo, s.Count) == s.Index {
			mine = append(mine, p)
		}
	}
	return mine
}

// collectFunc collects projects (collect.Collector.Run).
type collectFunc func(context.Context, []catalog.Project) (*collect.Part, error)

// collect returns this task's part. A sharded task whose part an earlier
// attempt stored (it failed later, assembling) reuses it rather than spend
// the quota again; else it collects and stores the part, begun at begin.
func (s Shard) collect(ctx context.Context, st store.Store, begin time.Time, projects []catalog.Project, run collectFunc) (*collect.Part, error) {
	if !s.sharded() {
		return run(ctx, projects)
	}
	if part, _, err := s.part(ctx, st, s.Index); err == nil {
		return part, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	part, err := run(ctx, projects)
	if err != nil {
		return part, err
	}
	b, err := json.Marshal(part)
	if err != nil {
		return part, fmt.Errorf("encode part: %w", err)
	}
	f := store.PartFile{Execution: s.Execution, Task: s.Index, Count: s.Count, Time: begin.UTC(), Part: b}
	if err := store.PutPart(ctx, st, f); err != nil {
		return part, fmt.Errorf("%s: %w", s, err)
	}
	return part, nil
}

// part reads part i of the execution and when its task began.
func (s Shard) part(ctx context.Context, st store.Store, i int) (*collect.Part, time.Time, error) {
	f, err := store.GetPart(ctx, st, s.Execution, i, s.Count)
	if err != nil {
		return nil, time.Time{}, err
	}
	var part collect.Part
	if err := json.Unmarshal(f.Part, &part); err != nil {
		return nil, time.Time{}, fmt.Errorf("part %d of %s: %w: %w", i, s.Execution, store.ErrCorrupt, err)
	}
	return &part, f.Time, nil
}

// gather returns what the snapshot is assembled from: every part and when
// the earliest task began (the snapshot's time). It returns no parts to a
// task that has only its part to do: the set is incomplete, or another
// task claimed it; rep then tells what the task did.
func (s Shard) gather(ctx context.Context, st store.Store, projects []catalog.Project, own *collect.Part, begin time.Time, rep *Report, log *slog.Logger) ([]*collect.Part, time.Time, error) {
	if !s.sharded() {
		return []*collect.Part{own}, begin, nil
	}
	mine := s.slice(projects)
	rep.Total, rep.Collected = len(mine), 0
	for _, r := range own.Results {
		if r.Status == collect.OK {
			rep.Collected++
		}
	}
	have, err := store.PartsPresent(ctx, st, s.Execution, s.Count)
	if err != nil {
		return nil, begin, fmt.Errorf("%s: %w", s, err)
	}
	if have < s.Count {
		rep.Task = fmt.Sprintf("%s: part written; %d of %d parts present, the task that completes the set publishes", s, have, s.Count)
		return nil, begin, nil
	}
	won, err := store.Claim(ctx, st, s.Execution, s.Index, s.Count)
	if err != nil || !won {
		rep.Task = fmt.Sprintf("%s: part written; the set is complete and another task assembles it", s)
		return nil, begin, err
	}
	log.Info("every part is in: assembling", "task", s.Index, "of", s.Count, "execution", s.Execution)
	parts := make([]*collect.Part, s.Count)
	began := begin
	for i := range s.Count {
		if i == s.Index {
			parts[i] = own
			continue
		}
		part, t, err := s.part(ctx, st, i)
		if err != nil {
			return nil, begin, fmt.Errorf("%s: %w", s, err)
		}
		parts[i] = part
		if t.Before(began) {
			began = t
		}
	}
	if lost := uncollected(projects, parts); len(lost.Results) > 0 {
		parts = append(parts, lost)
	}
	rep.Total = len(projects)
	rep.Task = fmt.Sprintf("%s: assembled the %d parts", s, s.Count)
	return parts, began, nil
}

// uncollected returns a Failed result for every project no part holds (the
// catalog a task read differed): it keeps its previous figures.
func uncollected(projects []catalog.Project, parts []*collect.Part) *collect.Part {
	held := map[string]bool{}
	for _, p := range parts {
		for _, r := range p.Results {
			held[strings.ToLower(r.Project.Repo)] = true
		}
	}
	lost := &collect.Part{}
	for _, p := range projects {
		if !held[strings.ToLower(p.Repo)] {
			lost.Results = append(lost.Results, collect.Result{Project: p, Status: collect.Failed, Error: "no task of the execution collected it", Stale: snapshot.StaleNotCollected})
		}
	}
	return lost
}

// finish marks the execution published and cleans up the run folders.
// Failing to is only a warning: the snapshot is live.
func (s Shard) finish(ctx context.Context, st store.Store, id string, now time.Time, log *slog.Logger) {
	if !s.sharded() {
		return
	}
	deleted, err := store.FinishRun(ctx, st, s.Execution, s.Index, s.Count, id, now)
	if err != nil {
		log.Warn("run folders not cleaned up", "execution", s.Execution, "err", err)
	}
	if len(deleted) > 0 {
		log.Info("run folders cleaned up", "objects", len(deleted))
	}
}

// starCounts returns the star counts of every part.
func starCounts(parts []*collect.Part) map[string]int {
	counts := map[string]int{}
	for _, p := range parts {
		for repo, n := range p.StarCounts() {
			counts[repo] = n
		}
	}
	return counts
}
