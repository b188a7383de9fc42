package export

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"time"

	"versus/app/compare"
	"versus/sync/snapshot"
)

// column is one CSV column: its header and the raw value of a project.
type column struct {
	name string
	text bool // free text, guarded against spreadsheet formulas
	get  func(p *snapshot.Project, cell compare.Cell) string
}

// rowColumns gives the raw columns of the comparison's rows, by row key:
// numbers without separators, times in RFC 3339, empty when unknown. A row
// not listed here is written as shown.
var rowColumns = map[string][]column{
	"mentions": {{name: "mentions", get: func(p *snapshot.Project, _ compare.Cell) string { return intRaw(p.Mentions) }}},
	"stars":    {{name: "stars", get: func(p *snapshot.Project, _ compare.Cell) string { return intRaw(p.Stars) }}},
	"growth":   {{name: "growth_percent", get: func(p *snapshot.Project, _ compare.Cell) string { return floatRaw(p.Growth) }}},
	"activity": {{name: "activity", get: func(p *snapshot.Project, _ compare.Cell) string { return floatRaw(p.Activity) }}},
	"last_commit": {{name: "last_commit", get: func(p *snapshot.Project, _ compare.Cell) string {
		return timeRaw(p.LastCommit)
	}}},
	"language": {{name: "language", text: true, get: func(p *snapshot.Project, _ compare.Cell) string { return p.Language }}},
	"license": {
		{name: "license", text: true, get: func(p *snapshot.Project, _ compare.Cell) string {
			if p.License == nil {
				return ""
			}
			return p.License.Name
		}},
		{name: "license_spdx", text: true, get: func(p *snapshot.Project, _ compare.Cell) string {
			if p.License == nil {
				return ""
			}
			return p.License.SPDX
		}},
	},
	"contributors": {{name: "contributors", get: func(p *snapshot.Project, _ compare.Cell) string { return intRaw(p.Contributors) }}},
	"forks":        {{name: "forks", get: func(p *snapshot.Project, _ compare.Cell) string { return intRaw(p.Forks) }}},
	"open_issues":  {{name: "open_issues", get: func(p *snapshot.Project, _ compare.Cell) string { return intRaw(p.OpenIssues) }}},
	"release": {
		{name: "release_tag", text: true, get: func(p *snapshot.Project, _ compare.Cell) string {
			if p.Release == nil {
				return ""
			}
			return p.Release.Tag
		}},
		{name: "release_date", get: func(p *snapshot.Project, _ compare.Cell) string {
			if p.Release == nil {
				return ""
			}
			return timeRaw(&p.Release.Date)
		}},
	},
}

// identity are the first columns: which project a line is about.
var identity = []column{
	{name: "name", text: true, get: func(p *snapshot.Project, _ compare.Cell) string { return p.Name }},
	{name: "repo", text: true, get: func(p *snapshot.Project, _ compare.Cell) string { return p.Repo }},
	{name: "owner", text: true, get: func(p *snapshot.Project, _ compare.Cell) string { return p.Owner }},
	{name: "url", get: func(p *snapshot.Project, _ compare.Cell) string { return "https://github.com/" + p.Repo }},
	{name: "description", text: true, get: func(p *snapshot.Project, _ compare.Cell) string { return p.Description }},
}

// CSV writes c with a header line and one line per project, in order: the
// project, the raw value of each row of the comparison, then best_in, the
// keys of the rows where the project has the best value.
func CSV(c *compare.Comparison) []byte {
	cols := append([]column(nil), identity...)
	cellOf := make([]int, len(cols)) // the row each column reads; -1 for none
	for i := range cellOf {
		cellOf[i] = -1
	}
	for r, row := range c.Rows {
		rc, ok := rowColumns[row.Key]
		if !ok {
			rc = []column{{name: row.Key, text: true, get: func(_ *snapshot.Project, cell compare.Cell) string {
				if !cell.Known {
					return ""
				}
				return cell.Text
			}}}
		}
		for _, col := range rc {
			cols = append(cols, col)
			cellOf = append(cellOf, r)
		}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	header := make([]string, 0, len(cols)+1)
	for _, col := range cols {
		header = append(header, col.name)
	}
	w.Write(append(header, "best_in"))
	for i, p := range c.Projects {
		line := make([]string, 0, len(cols)+1)
		for j, col := range cols {
			var cell compare.Cell
			if r := cellOf[j]; r >= 0 {
				cell = c.Rows[r].Cells[i]
			}
			v := col.get(p, cell)
			if col.text {
				v = noFormula(v)
			}
			line = append(line, v)
		}
		var best []string
		for _, row := range c.Rows {
			if row.Cells[i].Best {
				best = append(best, row.Key)
			}
		}
		w.Write(append(line, strings.Join(best, ";")))
	}
	w.Flush() // writes to a bytes.Buffer cannot fail
	return b.Bytes()
}

// noFormula keeps a spreadsheet from running third-party text as a formula
// (CSV injection): text starting with = + - @ or a control character gets a
// leading apostrophe, which spreadsheets hide.
func noFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func intRaw(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func floatRaw(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x, 'f', -1, 64)
}

func timeRaw(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// FileName names a downloaded file of c: "versus-tokio-vs-async-std" with
// suffix (such as "-full.png") appended. Slugs hold only safe characters.
func FileName(c *compare.Comparison, suffix string) string {
	base := "versus-" + strings.Join(c.Slugs(), "-vs-")
	if len(base) > 150 {
		base = base[:150]
	}
	return base + suffix
}
