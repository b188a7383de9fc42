package compare

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"versus/app/format"
	"versus/sync/snapshot"
)

// Warning is something a reader should know before choosing.
type Warning struct {
	Kind string // "archived", "inactive", "stale", "license", "old-data"
	Slug string // the project it is about, or "" for the whole page
	Text string
}

// Thresholds of the warnings.
const (
	InactiveAfter = 365 * 24 * time.Hour // no commit for this long
	OldDataAfter  = 24 * time.Hour       // data older than this, by the viewer's clock
)

// Warnings lists what to know about the compared projects. Ages of projects
// count from the snapshot's date; the age of the data from now, the viewer's
// clock.
func (c *Comparison) Warnings(now time.Time) []Warning {
	var out []Warning
	for _, p := range c.Projects {
		out = append(out, ProjectWarnings(p, c.Date)...)
	}
	if w, ok := licenseWarning(c.Projects); ok {
		out = append(out, w)
	}
	if w, ok := DataWarning(c.Date, now); ok {
		out = append(out, w)
	}
	return out
}

// ProjectWarnings lists what to know about one project: archived, no commit
// for a year, figures from an older fetch. date is the snapshot's date.
func ProjectWarnings(p *snapshot.Project, date time.Time) []Warning {
	var out []Warning
	if p.Archived {
		out = append(out, Warning{"archived", p.Slug, p.Name + " is archived: its owners have stopped maintaining it."})
	}
	if p.LastCommit != nil && date.Sub(*p.LastCommit) > InactiveAfter {
		out = append(out, Warning{"inactive", p.Slug, fmt.Sprintf("%s has had no commit for over a year: the last one was on %s.", p.Name, format.Date(*p.LastCommit))})
	}
	if p.Stale && p.FetchedAt != nil {
		out = append(out, Warning{"stale", p.Slug, fmt.Sprintf("%s could not be read at the last sync: its figures are from %s.", p.Name, format.Date(*p.FetchedAt))})
	}
	return out
}

// DataWarning says when the snapshot is older than a day by now.
func DataWarning(date, now time.Time) (Warning, bool) {
	if now.Sub(date) <= OldDataAfter {
		return Warning{}, false
	}
	return Warning{"old-data", "", fmt.Sprintf("This data is from %s (%s): figures may have changed since.", format.Date(date), format.Age(date, now))}, true
}

// licenseWarning says when the licences differ in kind, e.g. one project is
// copyleft and another permissive.
func licenseWarning(ps []*snapshot.Project) (Warning, bool) {
	byKind := map[LicenseKind][]string{}
	for _, p := range ps {
		if p.License == nil {
			continue
		}
		k := Kind(p.License.SPDX)
		if k == KindUnknown {
			continue
		}
		byKind[k] = append(byKind[k], p.Name+" ("+licenseName(p.License)+")")
	}
	if len(byKind) < 2 {
		return Warning{}, false
	}
	kinds := make([]LicenseKind, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return kinds[i] > kinds[j] })
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		verb := " is "
		if len(byKind[k]) > 1 {
			verb = " are "
		}
		parts[i] = strings.Join(byKind[k], ", ") + verb + k.String()
	}
	return Warning{"license", "", "The licences differ in kind: " + strings.Join(parts, "; ") + ". Check what each asks of you before you mix or swap them."}, true
}

func licenseName(l *snapshot.License) string {
	if l.SPDX != "" {
		return l.SPDX
	}
	return l.Name
}
