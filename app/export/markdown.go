package export

import (
	"strings"

	"versus/app/compare"
	"versus/app/format"
)

// Markdown writes c as a GitHub-flavoured Markdown table for README files and
// pull requests: one column per project, the best value of each row in bold,
// and a line with the data's date and link, the canonical URL of the view
// (which may be empty).
func Markdown(c *compare.Comparison, link string) string {
	var b strings.Builder
	b.WriteString("| |")
	for _, p := range c.Projects {
		b.WriteString(" [" + mdEscape(p.Name) + "](https://github.com/" + p.Repo + ") |")
	}
	b.WriteString("\n| --- |" + strings.Repeat(" --- |", len(c.Projects)) + "\n")
	b.WriteString("| Description |")
	for _, p := range c.Projects {
		d := mdEscape(p.Description)
		if d == "" {
			d = "No description."
		}
		b.WriteString(" " + d + " |")
	}
	b.WriteString("\n")
	for _, row := range c.Rows {
		b.WriteString("| " + mdEscape(row.Label) + " |")
		for _, cell := range row.Cells {
			t := mdEscape(cell.Text)
			if cell.Best {
				t = "**" + t + "**"
			}
			b.WriteString(" " + t + " |")
		}
		b.WriteString("\n")
	}
	b.WriteString("\nThe best value of each row is in bold. Data as of " + format.Date(c.Date) + " from the GitHub API and Hacker News; compared on ")
	if link != "" {
		b.WriteString("[versus](" + mdURL(link) + ").\n")
	} else {
		b.WriteString("versus.\n")
	}
	return b.String()
}

// mdEscaper backslash-escapes the characters that would end a cell (|) or
// start markup (emphasis, code, links, HTML, strike-through) in a cell.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`",
	"[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`, "~", `\~`,
)

// mdEscape makes s safe inside a table cell: one line, markup escaped, and
// no mention or issue reference that would ping people where it is pasted.
func mdEscape(s string) string { return noPing(mdEscaper.Replace(oneLine(s))) }

// zwsp is a zero-width space as an HTML character reference: GitHub shows
// nothing for it, but "@&#8203;someone" no longer mentions someone and
// "#&#8203;123" no longer links issue 123 (the trick Dependabot uses).
const zwsp = "&#8203;"

// noPing puts zwsp after every "@" that starts a user name (a letter or
// digit follows) and every "#" that starts an issue number (a digit follows).
func noPing(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if i+1 == len(s) {
			break
		}
		next := s[i+1]
		digit := next >= '0' && next <= '9'
		letter := next >= 'a' && next <= 'z' || next >= 'A' && next <= 'Z'
		if s[i] == '@' && (digit || letter) || s[i] == '#' && digit {
			b.WriteString(zwsp)
		}
	}
	return b.String()
}

// mdURL keeps a link from closing its parentheses early.
func mdURL(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "\n", "").Replace(u)
}

// Embed is the Markdown of c's card for a README: the SVG card of the site at
// origin ("https://versus.example"), which follows the reader's theme,
// linking to the comparison at link.
func Embed(c *compare.Comparison, origin, link string) string {
	card := strings.TrimSuffix(origin, "/") + "/cards/" + strings.Join(c.Slugs(), "-vs-") + ".svg"
	return "[![" + mdEscape(c.Title()) + "](" + mdURL(card) + ")](" + mdURL(link) + ")"
}
