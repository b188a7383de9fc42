package chart

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/sync/snapshot"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func history(start time.Time, counts ...int) []snapshot.StarPoint {
	out := make([]snapshot.StarPoint, len(counts))
	for i, c := range counts {
		out[i] = snapshot.StarPoint{Date: start.AddDate(0, 0, 7*i), Stars: c}
	}
	return out
}

func TestStarHistoryNoData(t *testing.T) {
	if c := StarHistory("s", []Stars{{Name: "a"}, {Series: 1, Name: "b"}}, StarOptions{}); c != nil {
		t.Errorf("StarHistory(no records) = %+v, want nil", c)
	}
}

func TestStarHistoryLinear(t *testing.T) {
	c := StarHistory("s", []Stars{
		{Series: 0, Name: "tokio", History: history(day(2021, 1, 3), 100, 200, 400)},
		{Series: 2, Name: "smol", History: history(day(2021, 1, 10), 50, 60)},
	}, StarOptions{})
	if c == nil {
		t.Fatal("StarHistory = nil, want a chart")
	}
	if len(c.Lines) != 2 || c.Lines[1].Color != Palette[2] || c.Lines[1].Name != "smol" {
		t.Fatalf("lines = %+v, want tokio then smol in colour 2", c.Lines)
	}
	// The highest value is 400: the axis goes to 400 in steps of 100.
	var labels []string
	for _, tk := range c.YTicks {
		labels = append(labels, tk.Label)
	}
	if diff := cmp.Diff([]string{"0", "100", "200", "300", "400"}, labels); diff != "" {
		t.Errorf("y ticks mismatch (-want +got):\n%s", diff)
	}
	// tokio's last point is the top right corner of the plot.
	end := c.Lines[0].End
	if end.X != round2(c.Plot.X+c.Plot.W) || end.Y != round2(c.Plot.Y) {
		t.Errorf("tokio ends at %v, want the top right corner (%v, %v)", end, c.Plot.X+c.Plot.W, c.Plot.Y)
	}
	if !strings.HasPrefix(c.Lines[0].D, "M56 ") {
		t.Errorf("tokio's path %q does not start at the left edge", c.Lines[0].D)
	}
}

func TestStarHistoryAlignedLog(t *testing.T) {
	c := StarHistory("s", []Stars{
		{Series: 0, Name: "old", History: history(day(2019, 1, 6), 10, 1000, 20000)},
		{Series: 1, Name: "new", History: history(day(2021, 1, 3), 5, 50)},
	}, StarOptions{Scale: Log, Align: true})
	// Both start at x = 0, the plot's left edge.
	for _, l := range c.Lines {
		if !strings.HasPrefix(l.D, "M56 ") {
			t.Errorf("%s starts at %q, want the left edge", l.Name, l.D)
		}
	}
	var labels []string
	for _, tk := range c.YTicks {
		labels = append(labels, tk.Label)
	}
	if diff := cmp.Diff([]string{"1", "10", "100", "1k", "10k", "100k"}, labels); diff != "" {
		t.Errorf("log ticks mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(c.Desc, "logarithmic") || !strings.Contains(c.Desc, "first record") {
		t.Errorf("Desc = %q, want it to say log scale and aligned", c.Desc)
	}
}

func TestStarHistoryOnePoint(t *testing.T) {
	c := StarHistory("s", []Stars{{Name: "a", History: history(day(2021, 1, 3), 7)}}, StarOptions{})
	if c == nil || !strings.HasSuffix(c.Lines[0].D, "h0") {
		t.Fatalf("one record: %+v, want a dot", c)
	}
}

func TestThinKeepsEnds(t *testing.T) {
	var pts []pt
	for i := range 1000 {
		pts = append(pts, pt{float64(i), 1})
	}
	got := thin(pts, 10)
	if len(got) != 10 || got[0].x != 0 || got[9].x != 999 {
		t.Errorf("thin(1000, 10) = %v", got)
	}
}

func TestLastWeeksAndTotal(t *testing.T) {
	w := &snapshot.Weekly{Start: day(2020, 1, 5), Counts: make([]int, 100)}
	for i := range w.Counts {
		w.Counts[i] = i
	}
	end := day(2020, 1, 5).AddDate(0, 0, 7*60) // weeks 0..59 started before end
	got := LastWeeks(w, end, 52)
	if len(got) != 52 || got[0].Count != 8 || got[51].Count != 59 {
		t.Fatalf("LastWeeks = %d weeks from %d to %d, want 52 from 8 to 59", len(got), got[0].Count, got[len(got)-1].Count)
	}
	if n := Total(got); n != (8+59)*52/2 {
		t.Errorf("Total = %d", n)
	}
	if LastWeeks(nil, end, 52) != nil {
		t.Error("LastWeeks(nil) != nil")
	}
	if c := WeeklyCommits("c", []Commits{{Name: "a"}}, end); c != nil {
		t.Errorf("WeeklyCommits(no data) = %+v, want nil", c)
	}
	if c := WeeklyCommits("c", []Commits{{Name: "a", Weekly: w}}, end); c == nil || len(c.XTicks) == 0 {
		t.Errorf("WeeklyCommits = %+v, want a chart with date ticks", c)
	}
}

func TestSparkline(t *testing.T) {
	for _, tc := range []struct {
		in   []int
		want string
	}{
		{nil, ""},
		{[]int{3}, ""},
		{[]int{0, 10}, "M0 19L100 1"},
		{[]int{0, 0, 0}, "M0 19L50 19L100 19"},
	} {
		if got := Sparkline(tc.in, 100, 20); got != tc.want {
			t.Errorf("Sparkline(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDateTicks(t *testing.T) {
	px := func(x float64) float64 { return x }
	for _, tc := range []struct {
		a, b time.Time
		want []string
	}{
		{day(2021, 11, 1), day(2021, 11, 25), []string{"1 Nov", "8 Nov", "15 Nov", "22 Nov"}},
		{day(2020, 11, 25), day(2021, 11, 25), []string{"Jan 2021", "Mar 2021", "May 2021", "Jul 2021", "Sep 2021", "Nov 2021"}},
		{day(2014, 3, 1), day(2021, 11, 25), []string{"2016", "2018", "2020"}},
	} {
		var got []string
		for _, tk := range dateTicks(float64(tc.a.Unix()), float64(tc.b.Unix()), px) {
			got = append(got, tk.Label)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("dateTicks(%v, %v) mismatch (-want +got):\n%s", tc.a, tc.b, diff)
		}
	}
}

func TestStarTable(t *testing.T) {
	got := StarTable([]Stars{
		{Name: "a", History: history(day(2021, 1, 3), 1000, 2000)},
		{Name: "b", History: history(day(2021, 1, 10), 5)},
	}, 10)
	want := Table{
		Head: []string{"Date", "a", "b"},
		Rows: [][]string{{"2021-01-03", "1,000", ""}, {"2021-01-10", "2,000", "5"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("StarTable mismatch (-want +got):\n%s", diff)
	}
}
