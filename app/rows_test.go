//go:build !(js && wasm)

package main

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"versus/app/compare"
	"versus/app/dataset"
	"versus/app/export"
	"versus/sync/snapshot"
)

// shownRow is a metric row as a view shows it: its label, each project's
// text and which cells are marked best.
type shownRow struct {
	Label string
	Texts []string
	Best  []bool
}

// TestEveryViewCarriesTheModelsRows holds the rows of the prerendered compare
// page, the Markdown table, the CSV and the full SVG card against the rows of
// the one compare.Comparison, weekly commits included.
func TestEveryViewCarriesTheModelsRows(t *testing.T) {
	data := t.TempDir()
	idx, details := syntheticSnapshot()
	writeSnapshot(t, data, idx, details)
	slugs := []string{"alpha", "beta", "gamma", "delta"}
	byRepo := map[string]*snapshot.Detail{}
	for _, d := range details {
		byRepo[d.Repo] = d
	}
	c, err := compare.New(dataset.New(idx), slugs, byRepo)
	if err != nil {
		t.Fatal(err)
	}
	var want, card []shownRow // the card names a row by its short label
	var keys []string
	for _, r := range c.Rows {
		sr := shownRow{Label: r.Label}
		for _, cell := range r.Cells {
			sr.Texts = append(sr.Texts, cell.Text)
			sr.Best = append(sr.Best, cell.Best)
		}
		want = append(want, sr)
		sr.Label = r.ShortLabel()
		card = append(card, sr)
		keys = append(keys, r.Key)
	}
	if keys[len(keys)-1] != "commits" {
		t.Fatalf("rows %v, want the weekly commits last", keys)
	}

	base := startServer(t, testWeb(t), data)
	_, body := get(t, base+compare.Path(slugs...))
	views := map[string][]shownRow{
		"page":     pageRows(t, body),
		"markdown": markdownRows(export.Markdown(c, "")),
	}
	for name, got := range views {
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s rows mismatch (-model +%s):\n%s", name, name, diff)
		}
	}
	if diff := cmp.Diff(card, sceneRows(export.Layout(c, export.Full), card)); diff != "" {
		t.Errorf("svg rows mismatch (-model +svg):\n%s", diff)
	}

	// The CSV: one column per raw field of each row, and the rows each
	// project is best in.
	recs, err := csv.NewReader(bytes.NewReader(export.CSV(c))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHead := []string{"name", "repo", "owner", "url", "description"}
	for _, r := range c.Rows {
		for _, f := range r.Fields {
			wantHead = append(wantHead, f.Name)
		}
	}
	if diff := cmp.Diff(append(wantHead, "best_in"), recs[0]); diff != "" {
		t.Errorf("CSV header mismatch (-want +got):\n%s", diff)
	}
	for i := range c.Projects {
		var best []string
		for r, row := range want {
			if row.Best[i] {
				best = append(best, keys[r])
			}
		}
		if got := recs[1+i][len(recs[0])-1]; got != strings.Join(best, ";") {
			t.Errorf("CSV best_in of %s = %q, want %q", slugs[i], got, strings.Join(best, ";"))
		}
	}
	commits := recs[0][len(recs[0])-2]
	if commits != "commits" || recs[1][len(recs[0])-2] == "" {
		t.Errorf("CSV ends with %s = %q, want the weekly commits", commits, recs[1][len(recs[0])-2])
	}
}

// pageRows reads the metric table of a prerendered compare page.
func pageRows(t *testing.T, body string) []shownRow {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var rows []shownRow
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "tr" && attr(n, "data-row") != "" {
			var r shownRow
			for td := n.FirstChild; td != nil; td = td.NextSibling {
				switch {
				case td.Type != html.ElementNode:
				case td.Data == "th":
					r.Label = textOf(td)
				case td.Data == "td":
					r.Texts = append(r.Texts, strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(textOf(td)), " (best)")))
					r.Best = append(r.Best, strings.Contains(" "+attr(td, "class")+" ", " best "))
				}
			}
			rows = append(rows, r)
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
	return rows
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return b.String()
}

// markdownRows reads the table rows of a Markdown export after the
// description; bold cells are the best.
func markdownRows(md string) []shownRow {
	var rows []shownRow
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| |") || strings.HasPrefix(line, "| Description") || strings.HasPrefix(line, "| --- ") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		r := shownRow{Label: strings.TrimSpace(cells[0])}
		for _, c := range cells[1:] {
			c = strings.TrimSpace(c)
			bold := strings.HasPrefix(c, "**")
			r.Texts = append(r.Texts, strings.Trim(c, "*"))
			r.Best = append(r.Best, bold)
		}
		rows = append(rows, r)
	}
	return rows
}

// sceneRows reads the card's table: each row's label is a text, followed by
// one text per project, bold where it is the best. A text shortened to fit
// its column counts as the model's when the model's starts with it.
func sceneRows(sc export.Scene, model []shownRow) []shownRow {
	var texts []export.Text
	for _, s := range sc.Shapes {
		if t, ok := s.(export.Text); ok {
			texts = append(texts, t)
		}
	}
	var rows []shownRow
	for i, t := range texts {
		if len(rows) == len(model) || t.String() != model[len(rows)].Label || i+len(model[len(rows)].Texts) >= len(texts) {
			continue
		}
		r := shownRow{Label: t.String()}
		for j, cell := range texts[i+1 : i+1+len(model[len(rows)].Texts)] {
			text, full := cell.String(), model[len(rows)].Texts[j]
			if short, ok := strings.CutSuffix(text, "…"); ok && strings.HasPrefix(full, short) {
				text = full
			}
			r.Texts = append(r.Texts, text)
			r.Best = append(r.Best, cell.Spans[0].Bold)
		}
		rows = append(rows, r)
	}
	return rows
}
