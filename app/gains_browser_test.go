//go:build !(js && wasm)

package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"versus/app/chart"
	"versus/app/chart/historytest"
	"versus/app/compare"
	"versus/app/format"
)

// TestCompareStarGainsInBrowser opens the comparison of the three long
// histories of historytest: the wasm draws a pair of bar charts per project
// in its colour, the row of the stars of the last 7 / 30 days with its best,
// and the burst warning of quill; quill's page draws its charts and warns
// too, and /about explains the rule. With VERSUS_SHOTS=<dir> it also writes
// screenshots of the page at 1280 and 360 px wide there.
func TestCompareStarGainsInBrowser(t *testing.T) {
	data := t.TempDir()
	idx, details := historytest.Index(), historytest.Details()
	writeSnapshot(t, data, idx, details)
	base := startServer(t, testWeb(t), data)
	ctx := newBrowser(t)
	recordViolations(t, ctx)
	visit(t, ctx, base+compare.Path(historytest.Slugs...), "figure.gain svg path[data-fill]")

	got := eval[map[string]any](t, ctx, `(() => {
		const gains = [...document.querySelectorAll("figure.gain")].map(f => ({
			name: f.dataset.gains,
			charts: [...f.querySelectorAll("svg")].map(svg => {
				const ids = svg.getAttribute("aria-labelledby").split(" ");
				const bars = svg.querySelector("path[data-fill]");
				return {
					title: document.getElementById(ids[0]).textContent,
					fill: bars.dataset.fill,
					bars: (bars.getAttribute("d").match(/Z/g) || []).length,
					drawn: bars.getBBox().width > 100,
				};
			}),
			tables: f.querySelectorAll("details table tbody tr").length,
		}));
		const row = [...document.querySelectorAll('tr[data-row="stars_recent"] td')];
		return {
			gains,
			label: document.querySelector('tr[data-row="stars_recent"] th').textContent,
			recent: row.map(td => td.firstChild.textContent),
			best: row.map(td => td.classList.contains("best")),
			bursts: [...document.querySelectorAll('.warnings li[data-warning="burst"]')].map(li => li.textContent),
			starLines: document.querySelectorAll(".star-history svg path[data-s]").length,
			csp: window.__csp.join(";"),
		};
	})()`)

	var wantGains, wantRecent, wantBest []any
	for i, slug := range historytest.Slugs {
		h := historytest.History(slug)
		weeks, days := float64(nonzero(chart.WeeklyGains(h))), float64(nonzero(chart.DailyGains(h)))
		s := strconv.Itoa(chart.Series(i))
		wantGains = append(wantGains, map[string]any{"name": slug, "charts": []any{
			map[string]any{"title": "Stars gained per week", "fill": s, "bars": weeks, "drawn": true},
			map[string]any{"title": "Stars gained per day", "fill": s, "bars": days, "drawn": true},
		}, "tables": float64(len(chart.WeeklyGains(h)) + len(chart.DailyGains(h)))})
		p := idx.Projects[i]
		wantRecent = append(wantRecent, format.Int(*p.Stars7d)+" / "+format.Int(*p.Stars30d))
		wantBest = append(wantBest, slug == "lumen")
	}
	want := map[string]any{
		"gains":     wantGains,
		"label":     "Stars, last 7 / 30 days",
		"recent":    wantRecent,
		"best":      wantBest,
		"starLines": float64(3),
		"csp":       "",
	}
	bursts, _ := got["bursts"].([]any)
	delete(got, "bursts")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("compare page mismatch (-want +got):\n%s", diff)
	}
	if len(bursts) != 1 || !strings.Contains(bursts[0].(string), "quill had an unusual star burst in the week of ") {
		t.Errorf("burst warnings = %q, want one about quill", bursts)
	}

	// The project page draws quill's pair of charts and warns of its burst,
	// linking to the rule on /about.
	visit(t, ctx, base+"/p/quill", "figure.gain svg path[data-fill]")
	project := eval[map[string]any](t, ctx, `({
		gains: document.querySelectorAll("figure.gain svg path[data-fill]").length,
		burst: document.querySelector('.warnings li[data-warning="burst"] a').getAttribute("href"),
		recent: document.querySelector('tr[data-row="stars_recent"] td').textContent,
	})`)
	q := idx.Projects[1]
	if diff := cmp.Diff(map[string]any{"gains": float64(2), "burst": "/about#burst", "recent": format.Int(*q.Stars7d) + " / " + format.Int(*q.Stars30d)}, project); diff != "" {
		t.Errorf("project page mismatch (-want +got):\n%s", diff)
	}
	visit(t, ctx, base+"/about#burst", "article.about")
	if rule := eval[string](t, ctx, `document.getElementById("burst").textContent`); !strings.Contains(rule, "at least 500 stars and more than 10 × the median of the 26 weeks before it") {
		t.Errorf("/about#burst = %q, want the rule", rule)
	}

	if dir := os.Getenv("VERSUS_SHOTS"); dir != "" {
		visit(t, ctx, base+compare.Path(historytest.Slugs...), "figure.gain svg path[data-fill]")
		for _, w := range []int64{1280, 360} {
			if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: w, Height: 900, DeviceScaleFactor: 1, Mobile: w < 600}); err != nil {
				t.Fatal(err)
			}
			poll(t, ctx, "the new width", `document.documentElement.clientWidth === `+strconv.Itoa(int(w)))
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "compare-gains-"+strconv.Itoa(int(w))+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// nonzero counts the gains that draw a bar.
func nonzero(gs []chart.Gain) int {
	n := 0
	for _, g := range gs {
		if g.Stars != 0 {
			n++
		}
	}
	return n
}
