package browse

import (
	"math"
	"time"

	"versus/sync/snapshot"
)

// Metric is a figure results can be sorted by.
type Metric int

// The metrics. Relevance is the zero value: it ranks search matches (exact
// name, then name prefix, then a word of the name, then anything else), and
// is most stars first without search text.
const (
	Relevance Metric = iota
	Stars
	Growth
	Activity
	LastCommit
	Gained30d
	Mentions
	Forks
	Contributors
	OpenIssues
	Created
	Name
	numMetrics
)

// Metrics lists the metrics people can sort by, Relevance first.
var Metrics = []Metric{Relevance, Stars, Growth, Activity, LastCommit, Gained30d, Mentions, Forks, Contributors, OpenIssues, Created, Name}

var metricParams = [...]string{"relevance", "stars", "growth", "activity", "commit", "gained", "mentions", "forks", "contributors", "issues", "created", "name"}

// Param is the metric's name in the URL.
func (m Metric) Param() string { return metricParams[m] }

// Title names the metric on the page.
func (m Metric) Title() string {
	return [...]string{"Relevance", "Stars", "Growth", "Activity", "Last commit", "Stars gained (30 days)", "Mentions", "Forks", "Contributors", "Open issues", "Created", "Name"}[m]
}

func metricByParam(s string) (Metric, bool) {
	for i, p := range metricParams {
		if p == s {
			return Metric(i), true
		}
	}
	return 0, false
}

// value returns p's figure for m as a float64, NaN when unknown. Name sorts
// by a separate key.
func value(p *snapshot.Project, m Metric) float64 {
	i := func(v *int) float64 {
		if v == nil {
			return math.NaN()
		}
		return float64(*v)
	}
	f := func(v *float64) float64 {
		if v == nil {
			return math.NaN()
		}
		return *v
	}
	unix := func(v *time.Time) float64 {
		if v == nil {
			return math.NaN()
		}
		return float64(v.Unix())
	}
	switch m {
	case Stars:
		return i(p.Stars)
	case Growth:
		return f(p.Growth)
	case Activity:
		return f(p.Activity)
	case LastCommit:
		return unix(p.LastCommit)
	case Created:
		return unix(p.Created)
	case Gained30d:
		return i(p.Stars30d)
	case Mentions:
		return i(p.Mentions)
	case Forks:
		return i(p.Forks)
	case Contributors:
		return i(p.Contributors)
	case OpenIssues:
		return i(p.OpenIssues)
	}
	return math.NaN()
}
