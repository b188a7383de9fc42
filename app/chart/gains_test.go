package chart

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/app/chart/historytest"
	"versus/sync/snapshot"
)

func at(t time.Time, stars int) snapshot.StarPoint { return snapshot.StarPoint{Date: t, Stars: stars} }

func TestWeeklyAndDailyGains(t *testing.T) {
	w0 := day(2025, 9, 7) // a Sunday
	now := w0.AddDate(0, 0, 100).Add(6 * time.Hour)
	d := func(n int) time.Time { return w0.AddDate(0, 0, n) }
	type g struct {
		Start string
		Days  float64
		Stars int
	}
	for _, tc := range []struct {
		name          string
		h             []snapshot.StarPoint
		weekly, daily []g
	}{
		{name: "no history"},
		{name: "one point", h: []snapshot.StarPoint{at(w0, 5)}},
		{
			name:   "weekly points: no daily figure",
			h:      []snapshot.StarPoint{at(w0, 0), at(d(7), 10), at(d(14), 10), at(d(21), 40)},
			weekly: []g{{"2025-09-07", 7, 10}, {"2025-09-14", 7, 0}, {"2025-09-21", 7, 30}},
		},
		{
			name:   "daily points add up to their week, the newest week partial",
			h:      []snapshot.StarPoint{at(w0, 0), at(d(7), 70), at(d(8), 71), at(d(9), 75), at(d(9).Add(6*time.Hour), 76)},
			weekly: []g{{"2025-09-07", 7, 70}, {"2025-09-14", 2.25, 6}},
			daily:  []g{{"2025-09-14", 1, 1}, {"2025-09-15", 1, 4}, {"2025-09-16", 0.25, 1}},
		},
		{
			name:   "a gap of two weeks spreads over both",
			h:      []snapshot.StarPoint{at(w0, 0), at(d(14), 100)},
			weekly: []g{{"2025-09-07", 7, 50}, {"2025-09-14", 7, 50}},
		},
		{
			name:   "stars removed: a loss",
			h:      []snapshot.StarPoint{at(w0, 50), at(d(7), 40)},
			weekly: []g{{"2025-09-07", 7, -10}},
		},
		{
			name: "records twice a day count as daily, not the first day after a gap",
			h: []snapshot.StarPoint{at(w0, 0), at(d(7), 20), at(d(97).Add(3*time.Hour), 20), at(d(97).Add(15*time.Hour), 24), at(d(98).Add(3*time.Hour), 25),
				at(d(98).Add(15*time.Hour), 29), at(d(99).Add(3*time.Hour), 30), at(d(99).Add(15*time.Hour), 30), at(d(100).Add(3*time.Hour), 31), at(now, 33)},
			weekly: []g{{"2025-09-07", 7, 20}, {"2025-09-14", 7, 0}, {"2025-09-21", 7, 0}, {"2025-09-28", 7, 0}, {"2025-10-05", 7, 0}, {"2025-10-12", 7, 0},
				{"2025-10-19", 7, 0}, {"2025-10-26", 7, 0}, {"2025-11-02", 7, 0}, {"2025-11-09", 7, 0}, {"2025-11-16", 7, 0}, {"2025-11-23", 7, 0},
				{"2025-11-30", 7, 0}, {"2025-12-07", 7, 5}, {"2025-12-14", 2.25, 8}},
			daily: []g{{"2025-12-14", 1, 5}, {"2025-12-15", 1, 1}, {"2025-12-16", 0.25, 2}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conv := func(gs []Gain) []g {
				var out []g
				for _, x := range gs {
					out = append(out, g{x.Start.Format("2006-01-02"), x.End.Sub(x.Start).Hours() / 24, x.Stars})
				}
				return out
			}
			if diff := cmp.Diff(tc.weekly, conv(WeeklyGains(tc.h))); diff != "" {
				t.Errorf("WeeklyGains mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.daily, conv(DailyGains(tc.h))); diff != "" {
				t.Errorf("DailyGains mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGainsOfTheFixture checks the gains of long histories shaped as the
// sync writes them: the weeks add up to the stars, the last 90 days are
// daily, and the days add up to their weeks.
func TestGainsOfTheFixture(t *testing.T) {
	for _, slug := range historytest.Slugs {
		h := historytest.History(slug)
		weeks, days := WeeklyGains(h), DailyGains(h)
		sum := 0
		for _, w := range weeks {
			sum += w.Stars
		}
		if want := h[len(h)-1].Stars - h[0].Stars; sum != want {
			t.Errorf("%s: weekly gains add up to %d, want %d", slug, sum, want)
		}
		if len(weeks) < 5*52 || len(days) < 89 || len(days) > 91 {
			t.Errorf("%s: %d weeks and %d days, want 5+ years of weeks and 90 days", slug, len(weeks), len(days))
		}
		if got, want := days[len(days)-1].End, historytest.Date; !got.Equal(want) {
			t.Errorf("%s: the last day ends at %v, want %v", slug, got, want)
		}
		// A week inside the daily stretch: its days add up to it.
		w := weeks[len(weeks)-3]
		n := 0
		for _, d := range days {
			if !d.Start.Before(w.Start) && d.Start.Before(w.End) {
				n += d.Stars
			}
		}
		if n != w.Stars {
			t.Errorf("%s: the days of the week of %v add up to %d, want %d", slug, w.Start, n, w.Stars)
		}
	}
}

func TestGainBars(t *testing.T) {
	w0 := day(2025, 9, 7)
	gains := []Gain{
		{Start: w0, End: w0.AddDate(0, 0, 7), Stars: 100},
		{Start: w0.AddDate(0, 0, 7), End: w0.AddDate(0, 0, 14), Stars: 0},
		{Start: w0.AddDate(0, 0, 14), End: w0.AddDate(0, 0, 21), Stars: -50},
		{Start: w0.AddDate(0, 0, 21), End: w0.AddDate(0, 0, 24), Stars: 200},
	}
	f := Frame{Box: Rect{W: 300, H: 90}, Left: 40, Right: 10, Top: 10, Bottom: 20, YSteps: 4}
	c := GainBars("g", "Stars gained per week", "desc", Stars{Series: 3, Name: "a"}, gains, w0, w0.AddDate(0, 0, 28), f)
	if c == nil || len(c.Bars) != 1 {
		t.Fatalf("GainBars = %+v, want one series of bars", c)
	}
	b := c.Bars[0]
	if b.Color != Palette[3] || b.Series != 3 || len(b.Rects) != 4 {
		t.Fatalf("bars = %+v, want 4 in colour 3", b)
	}
	var labels []string
	for _, tk := range c.YTicks {
		labels = append(labels, tk.Label)
	}
	if diff := cmp.Diff([]string{"-100", "0", "100", "200"}, labels); diff != "" {
		t.Errorf("y ticks mismatch (-want +got):\n%s", diff)
	}
	// The plot is 250 × 60 for 28 days and -100..200 stars: a week is 62.5
	// wide, less 15% each side; 100 stars are 20 high.
	want := []Rect{
		{X: 49.38, Y: 30, W: 43.75, H: 20},
		{X: 111.88, Y: 50, W: 43.75, H: 0},
		{X: 174.38, Y: 50, W: 43.75, H: 10},
		{X: 231.52, Y: 10, W: 18.75, H: 40},
	}
	if diff := cmp.Diff(want, b.Rects); diff != "" {
		t.Errorf("bars mismatch (-want +got):\n%s", diff)
	}
	if n := strings.Count(b.D, "Z"); n != 3 {
		t.Errorf("path %q draws %d bars, want 3 (the empty week has none)", b.D, n)
	}
	if GainBars("g", "t", "d", Stars{}, nil, w0, w0, f) != nil {
		t.Error("GainBars(no gains) != nil")
	}
}

// TestStarGainsLayout lays out the fixture's three projects: each has a
// weekly and a daily chart in its colour, the weekly charts share the time
// axis (the youngest project's bars start further right), and the burst
// week is the tallest bar of quill.
func TestStarGainsLayout(t *testing.T) {
	var ss []Stars
	for i, slug := range historytest.Slugs {
		ss = append(ss, Stars{Series: i, Name: slug, History: historytest.History(slug)})
	}
	ss = append(ss, Stars{Series: 3, Name: "none"})
	pg := StarGains("gains", ss)
	if len(pg) != 3 {
		t.Fatalf("StarGains = %d projects, want 3 (the one without history left out)", len(pg))
	}
	firstX := map[string]float64{}
	for i, p := range pg {
		if p.Weekly == nil || p.Daily == nil {
			t.Fatalf("%s: weekly %v, daily %v, want both", p.Name, p.Weekly != nil, p.Daily != nil)
		}
		if p.Weekly.Bars[0].Color != Color(i) || p.Daily.Bars[0].Color != Color(i) {
			t.Errorf("%s: bars not in colour %d", p.Name, i)
		}
		if len(p.WeeklyTable.Rows) != len(p.Weekly.Bars[0].Rects) || len(p.DailyTable.Rows) != len(p.Daily.Bars[0].Rects) {
			t.Errorf("%s: tables of %d and %d rows for %d and %d bars", p.Name, len(p.WeeklyTable.Rows), len(p.DailyTable.Rows),
				len(p.Weekly.Bars[0].Rects), len(p.Daily.Bars[0].Rects))
		}
		if !strings.Contains(p.Weekly.Desc, p.Name) || !strings.Contains(p.Daily.Desc, "90 days") {
			t.Errorf("%s: descriptions %q and %q", p.Name, p.Weekly.Desc, p.Daily.Desc)
		}
		firstX[p.Name] = p.Weekly.Bars[0].Rects[0].X
		if l := p.Weekly.YTicks[0].Label; l != "0" {
			t.Errorf("%s: the y axis starts at %q, want 0", p.Name, l)
		}
		// Every bar is inside the plot.
		for _, c := range []*Chart{p.Weekly, p.Daily} {
			for _, r := range c.Bars[0].Rects {
				if r.X < c.Plot.X-0.01 || r.X+r.W > c.Plot.X+c.Plot.W+0.01 || r.Y < c.Plot.Y-0.01 || r.Y+r.H > c.Plot.Y+c.Plot.H+0.01 {
					t.Fatalf("%s: bar %+v outside the plot %+v", c.ID, r, c.Plot)
				}
			}
		}
	}
	if !(firstX["lumen"] < firstX["quill"] && firstX["quill"] < firstX["sprig"]) {
		t.Errorf("weekly charts start at %v, want the oldest project leftmost", firstX)
	}
	quill := pg[1]
	tallest, top := 0, 0.0
	for i, r := range quill.Weekly.Bars[0].Rects {
		if r.H > top {
			tallest, top = i, r.H
		}
	}
	w := WeeklyGains(historytest.History("quill"))[tallest]
	if end := historytest.Burst.AddDate(0, 0, historytest.BurstDays); !w.Start.Before(end) || !w.End.After(historytest.Burst) {
		t.Errorf("quill's tallest week is %v..%v, want one of its burst (%v)", w.Start, w.End, historytest.Burst)
	}
}

// TestStarHistoryOfALongHistory draws ten years of points a project: each
// line is thinned, keeping its first and last record.
func TestStarHistoryOfALongHistory(t *testing.T) {
	var ss []Stars
	for i, slug := range historytest.Slugs {
		ss = append(ss, Stars{Series: i, Name: slug, History: historytest.History(slug)})
	}
	if n := len(ss[0].History); n < 600 {
		t.Fatalf("lumen has %d points, want about 600", n)
	}
	for _, o := range []StarOptions{{}, {Scale: Log}, {Align: true}, {Scale: Log, Align: true}} {
		c := StarHistory("s", ss, o)
		for _, l := range c.Lines {
			if len(l.Points) > maxPoints {
				t.Errorf("%+v: %s has %d points, want at most %d", o, l.Name, len(l.Points), maxPoints)
			}
		}
		lumen := c.Lines[0]
		if lumen.Points[0].X != c.Plot.X || lumen.End.X != round2(c.Plot.X+c.Plot.W) {
			t.Errorf("%+v: lumen spans %v..%v, want the whole plot", o, lumen.Points[0].X, lumen.End.X)
		}
		if o.Scale == Linear && lumen.End.Y > c.Plot.Y+c.Plot.H*0.2 {
			t.Errorf("%+v: lumen ends at y %v, want near the top", o, lumen.End.Y)
		}
	}
}
