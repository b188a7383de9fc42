package demo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"versus/sync/snapshot"
)

// reference holds figures another tracker published for some projects
// (reference.json), with their source, by lowercase repo. The sample data
// uses it for the figures the seed page gives but no raw data can yield
// (see sync/testdata/demo/README.md); a production sync never reads one.
type reference struct {
	Source   string                    `json:"source"`
	Projects map[string]referenceEntry `json:"projects"`
}

// referenceEntry is what another tracker knows of one project; nil is
// unknown.
type referenceEntry struct {
	// Activity is used only when the sync has none of its own (GitHub never
	// finished counting the commits): percentiles of two trackers do not
	// mix.
	Activity *float64 `json:"activity"`
	// Mentions counted elsewhere: our count is a lower bound (HN search
	// alone, at most two pages), so the larger count is used.
	Mentions *int `json:"mentions"`
}

// loadReference reads the reference figures of the file at path.
func loadReference(path string) (reference, error) {
	var ref reference
	b, err := os.ReadFile(path)
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		err = dec.Decode(&ref)
	}
	if err == nil && strings.TrimSpace(ref.Source) == "" {
		err = errors.New("no source")
	}
	if err != nil {
		return reference{}, fmt.Errorf("reference figures: %w", err)
	}
	byKey := make(map[string]referenceEntry, len(ref.Projects))
	for repo, e := range ref.Projects {
		byKey[strings.ToLower(repo)] = e
	}
	ref.Projects = byKey
	return ref, nil
}

// apply fills in p's figures from the reference and returns what it used
// ("activity", "mentions").
func (ref reference) apply(p *snapshot.Project) []string {
	e, ok := ref.Projects[strings.ToLower(p.Repo)]
	if !ok {
		return nil
	}
	var used []string
	if p.Activity == nil && e.Activity != nil {
		a := *e.Activity
		p.Activity = &a
		used = append(used, fmt.Sprintf("activity %.1f", a))
	}
	if e.Mentions != nil && (p.Mentions == nil || *p.Mentions < *e.Mentions) {
		m := *e.Mentions
		p.Mentions = &m
		used = append(used, fmt.Sprintf("mentions %d", m))
	}
	return used
}
