package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"
)

// A sync split across the n tasks of one execution keeps its work in the
// state store under runs/<execution>/: one part per task
// (part-<i>-of-<n>.json, what the task collected) and the assembler marker,
// created once by the task that found the set complete: it alone assembles
// and publishes. Parts hold API answers, so they never go to a public store.
const (
	RunsPrefix    = "runs/"
	assemblerName = "assembler"
)

// RunAge is how old a run folder of another execution must be before the
// next publishing run deletes it: an execution that never completed its set
// left it, and it is worth nothing after the job's timeout.
const RunAge = 24 * time.Hour

// PartFile is one task's part as stored: its place in the execution, when
// the task began, and the payload (the collected part, JSON).
type PartFile struct {
	Execution string          `json:"execution"`
	Task      int             `json:"task"`
	Count     int             `json:"count"`
	Time      time.Time       `json:"time"` // when the task began
	Part      json.RawMessage `json:"part"`
}

// assemblerFile is the marker: which task claimed the set, and once it has
// published, what and when.
type assemblerFile struct {
	Task      int       `json:"task"`
	Count     int       `json:"count"`
	Published string    `json:"published,omitempty"` // the snapshot id
	Time      time.Time `json:"time,omitzero"`       // when it published
}

// PartName returns the object name of part i of n of execution exec.
func PartName(exec string, i, n int) string {
	return fmt.Sprintf("%s%s/part-%d-of-%d.json", RunsPrefix, exec, i, n)
}

// CheckExecution refuses an execution name that cannot name a run folder.
func CheckExecution(exec string) error {
	if exec == "" || strings.ContainsAny(exec, `/\`) || checkName(RunsPrefix+exec) != nil {
		return fmt.Errorf("execution %q cannot name a run folder", exec)
	}
	return nil
}

// PutPart stores part f.Task of f.Count of f.Execution, replacing the one
// an earlier attempt of the same task wrote (any whole part is as good).
func PutPart(ctx context.Context, st Store, f PartFile) error {
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("put part: %w", err)
	}
	return st.Put(ctx, PartName(f.Execution, f.Task, f.Count), b)
}

// GetPart reads part i of n of exec; a missing one wraps fs.ErrNotExist.
func GetPart(ctx context.Context, st Store, exec string, i, n int) (*PartFile, error) {
	name := PartName(exec, i, n)
	b, _, err := st.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	var f PartFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("part %s: %w: %w", name, ErrCorrupt, err)
	}
	if f.Execution != exec || f.Task != i || f.Count != n {
		return nil, fmt.Errorf("part %s names task %d of %d of %q: %w", name, f.Task, f.Count, f.Execution, ErrCorrupt)
	}
	return &f, nil
}

// PartsPresent returns how many of the n parts of exec are in st.
func PartsPresent(ctx context.Context, st Store, exec string, n int) (int, error) {
	names, err := st.List(ctx, RunsPrefix+exec+"/")
	if err != nil {
		return 0, err
	}
	have := map[string]bool{}
	for _, name := range names {
		have[name] = true
	}
	found := 0
	for i := range n {
		if have[PartName(exec, i, n)] {
			found++
		}
	}
	return found, nil
}

// Claim makes task i of n the assembler of exec, under a create-only
// precondition: of the tasks that try, exactly one wins, whatever the
// timing. The marker holds only the task's place, so a retry of the winning
// task (after a crash) wins again; once the run has published, nobody does.
func Claim(ctx context.Context, st Store, exec string, i, n int) (bool, error) {
	b, err := json.Marshal(assemblerFile{Task: i, Count: n})
	if err != nil {
		return false, err
	}
	_, err = st.PutIf(ctx, RunsPrefix+exec+"/"+assemblerName, b, NoGen)
	switch {
	case errors.Is(err, ErrConflict):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("claim the assembly of %s: %w", exec, err)
	}
	return true, nil
}

// FinishRun records in the marker of exec that task i of n published id,
// so that no later attempt assembles the execution again, then deletes its
// parts and the run folders of other executions older than RunAge. It
// returns the deleted names; the run's own marker stays until it is old.
func FinishRun(ctx context.Context, st Store, exec string, i, n int, id string, now time.Time) ([]string, error) {
	b, err := json.Marshal(assemblerFile{Task: i, Count: n, Published: id, Time: now.UTC()})
	if err != nil {
		return nil, err
	}
	if err := st.Put(ctx, RunsPrefix+exec+"/"+assemblerName, b); err != nil {
		return nil, fmt.Errorf("mark %s published: %w", exec, err)
	}
	names, err := st.List(ctx, RunsPrefix)
	if err != nil {
		return nil, fmt.Errorf("list run folders: %w", err)
	}
	folders := map[string][]string{}
	var order []string
	for _, name := range names {
		dir := path.Dir(name)
		if folders[dir] == nil {
			order = append(order, dir)
		}
		folders[dir] = append(folders[dir], name)
	}
	var deleted []string
	for _, dir := range order {
		objs := folders[dir]
		if dir == RunsPrefix+exec {
			objs = without(objs, dir+"/"+assemblerName)
		} else if t, err := runTime(ctx, st, objs); err != nil || now.Sub(t) < RunAge {
			continue // unreadable: left for a later run
		}
		for _, name := range objs {
			if err := st.Delete(ctx, name); err != nil {
				return deleted, fmt.Errorf("clean run folders: %w", err)
			}
			deleted = append(deleted, name)
		}
	}
	return deleted, nil
}

// runTime returns the time that the first of objs holding one says; the
// zero time when none does (debris: deleted). A store that fails is an
// error.
func runTime(ctx context.Context, st Store, objs []string) (time.Time, error) {
	for _, name := range objs {
		b, _, err := st.Get(ctx, name)
		switch {
		case errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrCorrupt):
			continue
		case err != nil:
			return time.Time{}, err
		}
		var v struct {
			Time time.Time `json:"time"`
		}
		if json.Unmarshal(b, &v) == nil && !v.Time.IsZero() {
			return v.Time, nil
		}
	}
	return time.Time{}, nil
}

func without(names []string, drop string) []string {
	var out []string
	for _, n := range names {
		if n != drop {
			out = append(out, n)
		}
	}
	return out
}

// Each task keeps an ETag cache of its own, since tasks save theirs at
// once and a task only asks for its slice of the catalog: task i of n
// (n > 1) keeps cache/etags-<i>-of-<n>.json.
func taskCacheName(i, n int) string {
	if n <= 1 {
		return CacheName
	}
	return fmt.Sprintf("cache/etags-%d-of-%d.json", i, n)
}

// LoadTaskCache is LoadCache for task i of n. A task without a cache of its
// own (the first sharded run, or a new task count) starts from the
// single-task cache, which holds every repository's answers.
func LoadTaskCache(ctx context.Context, st Store, i, n int) (b []byte, warning, err error) {
	b, warning, err = loadCache(ctx, st, taskCacheName(i, n))
	if n > 1 && errors.Is(warning, fs.ErrNotExist) {
		return loadCache(ctx, st, CacheName)
	}
	return b, warning, err
}

// SaveTaskCache is SaveCache for task i of n.
func SaveTaskCache(ctx context.Context, st Store, i, n int, b []byte) error {
	return saveCache(ctx, st, taskCacheName(i, n), b)
}
