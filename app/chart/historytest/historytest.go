// Package historytest makes a synthetic snapshot with long star histories,
// shaped as the sync writes them from GitHub's stargazers/history: a point
// at the end of every week for 5 to 10 years, then a point a day for the
// last 90 days, then the count at the sync. One project has a star burst in
// its daily stretch. Tests of the charts, of the burst warning and of the
// compare page use it; the bundled 2021 sample has no such history.
package historytest

import (
	"strconv"
	"time"

	"versus/sync/snapshot"
)

// Date is when the snapshot was synced.
var Date = time.Date(2026, 1, 10, 6, 0, 0, 0, time.UTC)

// Slugs are the projects, in the order of the index.
var Slugs = []string{"lumen", "quill", "sprig"}

// quill's burst: BurstStars stars on each of BurstDays days from Burst, 40
// days before Date, inside the daily stretch.
const (
	BurstStars = 1500
	BurstDays  = 3
	quillYears = 7
)

// burstDay is the day of quill's history (counted from its first) where its
// burst starts.
var burstDay = int(Date.Sub(start(quillYears)).Hours()/24) - 40

// Burst is the first day of quill's burst.
var Burst = start(quillYears).AddDate(0, 0, burstDay)

// project describes one project's history.
type project struct {
	slug  string
	years int
	// perDay is the stars given on day d of the history.
	perDay func(d int) int
}

var projects = []project{
	{"lumen", 10, func(d int) int { return 10 + (d*7)%13 }},
	{"quill", quillYears, func(d int) int {
		if d >= burstDay && d < burstDay+BurstDays {
			return BurstStars
		}
		return 3 + d%5
	}},
	{"sprig", 5, func(d int) int {
		if d%3 == 0 && d/7%10 != 4 { // every tenth week gains nothing
			return 1
		}
		return 0
	}},
}

// start is the first day (a Sunday, midnight UTC) of a history of the
// given years: the start of its oldest week.
func start(years int) time.Time {
	t := time.Date(Date.Year()-years, Date.Month(), Date.Day(), 0, 0, 0, 0, time.UTC)
	return t.AddDate(0, 0, (7-int(t.Weekday()))%7)
}

// days returns the stars given on each day of p's history, from its start
// to the day that holds Date.
func (p project) days() []int {
	n := int(Date.Sub(start(p.years)).Hours()/24) + 1
	out := make([]int, n)
	for d := range out {
		out[d] = p.perDay(d)
	}
	return out
}

// History returns the star history of slug as the sync writes it.
func History(slug string) []snapshot.StarPoint {
	for _, p := range projects {
		if p.slug == slug {
			return p.history()
		}
	}
	return nil
}

func (p project) history() []snapshot.StarPoint {
	first, days := start(p.years), p.days()
	at := func(d int) snapshot.StarPoint { // the count at the start of day d
		n := 0
		for _, g := range days[:d] {
			n += g
		}
		return snapshot.StarPoint{Date: first.AddDate(0, 0, d), Stars: n}
	}
	daily := Date.AddDate(0, 0, -90)
	out := []snapshot.StarPoint{at(0)}
	for w := 0; w*7 < len(days); w++ {
		if end := first.AddDate(0, 0, 7*(w+1)); !end.After(daily) {
			out = append(out, at(7*(w+1)))
			continue
		}
		for d := 7 * w; d < 7*(w+1); d++ {
			if end := first.AddDate(0, 0, d+1); end.Before(Date) {
				out = append(out, at(d+1))
			}
		}
	}
	return append(out, snapshot.StarPoint{Date: Date, Stars: total(days)})
}

func total(days []int) int {
	n := 0
	for _, g := range days {
		n += g
	}
	return n
}

// Index returns the snapshot's index; it passes Validate. stars_7d and
// stars_30d count the days before the one that holds Date, and that day.
func Index() *snapshot.Index {
	var ps []snapshot.Project
	for i, p := range projects {
		days := p.days()
		stars := total(days)
		d7, d30 := total(days[len(days)-8:]), total(days[len(days)-31:])
		growth := float64(int(float64(d30)/float64(stars-d30)*1000+0.5)) / 10
		activity := []float64{8.4, 6.1, 2.3}[i]
		created := start(p.years)
		last := Date.AddDate(0, 0, -2*i-1)
		ps = append(ps, snapshot.Project{
			Repo: "hist/" + p.slug, Slug: p.slug, Name: p.slug, Owner: "hist",
			Description: "The " + p.slug + " library, with " + strconv.Itoa(p.years) + " years of star history.",
			Language:    "Go", License: &snapshot.License{SPDX: "MIT", Name: "MIT License"},
			Stars: &stars, Stars7d: &d7, Stars30d: &d30, Growth: &growth, Activity: &activity,
			LastCommit: &last, Created: &created, Mentions: ptr(3 - i),
			Alternatives: others(p.slug),
		})
	}
	return &snapshot.Index{
		SchemaVersion: snapshot.SchemaVersion, ID: snapshot.NewID(Date), GeneratedAt: Date,
		Note: "Synthetic star histories.", Categories: []snapshot.Category{}, Projects: ps,
	}
}

// Details returns the details of every project: its star history, no
// commits and no posts.
func Details() []*snapshot.Detail {
	var out []*snapshot.Detail
	for _, p := range projects {
		out = append(out, &snapshot.Detail{SchemaVersion: snapshot.SchemaVersion, Repo: "hist/" + p.slug, Posts: []snapshot.Post{}, StarHistory: p.history()})
	}
	return out
}

func others(slug string) []string {
	var out []string
	for _, s := range Slugs {
		if s != slug {
			out = append(out, s)
		}
	}
	return out
}

func ptr(n int) *int { return &n }
