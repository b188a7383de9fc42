package compare

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"versus/app/chart"
	"versus/app/format"
	"versus/sync/snapshot"
)

// Warning is something a reader should know before choosing.
type Warning struct {
	Kind string // "archived", "inactive", "stale", "burst", "license", "old-data"
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
	for i, p := range c.Projects {
		out = append(out, ProjectWarnings(p, c.Date)...)
		if w, ok := BurstWarning(p, c.Stars[i].History); ok {
			out = append(out, w)
		}
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
		why := "could not be read at the last sync"
		if m, ok := snapshot.StaleMessage(p.StaleReason); ok {
			why = "was not read at the last sync: " + m
		}
		out = append(out, Warning{"stale", p.Slug, fmt.Sprintf("%s %s. Its figures are from %s.", p.Name, why, format.Date(*p.FetchedAt))})
	}
	return out
}

// The burst rule: a week is an unusual burst when it gains at least
// BurstMin stars and more than BurstFactor times the median of the
// BurstWeeks weeks before it (a younger history is not judged: a launch
// is a burst too).
const (
	BurstMin    = 500
	BurstFactor = 10
	BurstWeeks  = 26
)

// HelpBurst explains the burst rule, on the about page.
const HelpBurst = "Unusual star burst: a week that gains at least 500 stars and more than 10 × the median of the 26 weeks before it. Weeks are counted from the project's first record; the last 90 days, recorded by day, are added up into their weeks. A burst can be a launch, a front page or bought stars: look before you trust the count."

// Burst is a week of unusual star gain.
type Burst struct {
	Week   chart.Gain
	Median float64 // of the BurstWeeks weeks before
}

// Bursts returns the weeks of h, oldest first, that break the burst rule.
func Bursts(h []snapshot.StarPoint) []Burst {
	weeks := chart.WeeklyGains(h)
	var out []Burst
	prev := make([]int, BurstWeeks)
	for k := BurstWeeks; k < len(weeks); k++ {
		w := weeks[k]
		if w.Stars < BurstMin {
			continue
		}
		for i := range prev {
			prev[i] = weeks[k-BurstWeeks+i].Stars
		}
		if m := median(prev); float64(w.Stars) > BurstFactor*m {
			out = append(out, Burst{Week: w, Median: m})
		}
	}
	return out
}

// median sorts xs and returns its median.
func median(xs []int) float64 {
	sort.Ints(xs)
	n := len(xs)
	if n%2 == 1 {
		return float64(xs[n/2])
	}
	return float64(xs[n/2-1]+xs[n/2]) / 2
}

// BurstWarning says when the star history h of p has an unusual burst,
// naming its largest week.
func BurstWarning(p *snapshot.Project, h []snapshot.StarPoint) (Warning, bool) {
	bs := Bursts(h)
	if len(bs) == 0 {
		return Warning{}, false
	}
	top := bs[0]
	for _, b := range bs[1:] {
		if b.Week.Stars > top.Week.Stars {
			top = b
		}
	}
	text := fmt.Sprintf("%s had an unusual star burst in the week of %s: %s stars, over %d× its median week (%s) of the %d weeks before.",
		p.Name, format.Date(top.Week.Start), format.Int(top.Week.Stars), BurstFactor, strconv.FormatFloat(top.Median, 'f', -1, 64), BurstWeeks)
	switch n := len(bs) - 1; n {
	case 0:
	case 1:
		text += " One other week did too."
	default:
		text += fmt.Sprintf(" %d other weeks did too.", n)
	}
	return Warning{"burst", p.Slug, text}, true
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
