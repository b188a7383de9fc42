package export

import (
	"bytes"
	"encoding/csv"
	"strings"

	"versus/app/compare"
	"versus/sync/snapshot"
)

// identity are the first columns: which project a line is about. The rest
// are the raw values of the comparison's rows (compare.Row.Fields).
var identity = []struct {
	name string
	get  func(p *snapshot.Project) string
}{
	{"name", func(p *snapshot.Project) string { return noFormula(p.Name) }},
	{"repo", func(p *snapshot.Project) string { return noFormula(p.Repo) }},
	{"owner", func(p *snapshot.Project) string { return noFormula(p.Owner) }},
	{"url", func(p *snapshot.Project) string { return "https://github.com/" + p.Repo }},
	{"description", func(p *snapshot.Project) string { return noFormula(p.Description) }},
}

// CSV writes c with a header line and one line per project, in order: the
// project, the raw values of each row of the comparison (numbers without
// separators, times in RFC 3339, empty when unknown), then best_in, the keys
// of the rows where the project has the best value.
func CSV(c *compare.Comparison) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	var header []string
	for _, col := range identity {
		header = append(header, col.name)
	}
	for _, row := range c.Rows {
		for _, f := range row.Fields {
			header = append(header, f.Name)
		}
	}
	w.Write(append(header, "best_in"))
	for i, p := range c.Projects {
		line := make([]string, 0, len(header)+1)
		for _, col := range identity {
			line = append(line, col.get(p))
		}
		var best []string
		for _, row := range c.Rows {
			cell := row.Cells[i]
			for j, f := range row.Fields {
				v := cell.Raw[j]
				if f.Text {
					v = noFormula(v)
				}
				line = append(line, v)
			}
			if cell.Best {
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

// FileName names a downloaded file of c: "versus-tokio-vs-async-std" with
// suffix (such as "-full.png") appended. Slugs hold only safe characters.
func FileName(c *compare.Comparison, suffix string) string {
	base := "versus-" + strings.Join(c.Slugs(), "-vs-")
	if len(base) > 150 {
		base = base[:150]
	}
	return base + suffix
}
