package snapshot

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// maxProblems caps how many problems one Validate reports, so that a
// thoroughly broken snapshot still gives a readable message.
const maxProblems = 20

// The years a time in a snapshot may fall in. Anything outside is a bad
// answer from upstream (time.Time's JSON encoding even fails past 9999).
const (
	MinYear = 1970
	MaxYear = 2100
)

// CheckTime returns an error when t falls outside the years MinYear to
// MaxYear, saying so; nil otherwise.
func CheckTime(t time.Time) error {
	if y := t.UTC().Year(); y < MinYear || y > MaxYear {
		return fmt.Errorf("%s is outside the years %d–%d", t.UTC().Format(time.RFC3339), MinYear, MaxYear)
	}
	return nil
}

// ValidRepo reports whether s looks like a GitHub "owner/name": an owner of
// 1 to 39 letters, digits and '-' starting with a letter or digit, and a
// name of 1 to 100 letters, digits, '.', '_' and '-', neither "." nor "..".
// (Hand-written rather than a regexp: the browser validates every project,
// and regexp would add its whole engine to the wasm.)
func ValidRepo(s string) bool {
	owner, name, ok := strings.Cut(s, "/")
	return ok && len(owner) >= 1 && len(owner) <= 39 && alnum(owner[0]) && all(owner, func(c byte) bool { return alnum(c) || c == '-' }) &&
		len(name) >= 1 && len(name) <= 100 && name != "." && name != ".." &&
		all(name, func(c byte) bool { return alnum(c) || c == '.' || c == '_' || c == '-' })
}

// ValidSlug reports whether s can name a project in a URL: 1 to 101
// lowercase letters, digits, '.', '_' and '-', starting with a letter or
// digit. A slug never holds "-vs-", which joins slugs in compare URLs.
func ValidSlug(s string) bool {
	return len(s) >= 1 && len(s) <= 101 && lowerDigit(s[0]) &&
		all(s, func(c byte) bool { return lowerDigit(c) || c == '.' || c == '_' || c == '-' }) && !strings.Contains(s, "-vs-")
}

// validID reports whether s is a snapshot id, 2006-01-02T15-04-05Z.
func validID(s string) bool {
	const shape = "0000-00-00T00-00-00Z"
	if len(s) != len(shape) {
		return false
	}
	for i := range len(shape) {
		if shape[i] == '0' && (s[i] < '0' || s[i] > '9') || shape[i] != '0' && s[i] != shape[i] {
			return false
		}
	}
	return true
}

func all(s string, ok func(byte) bool) bool {
	for i := range len(s) {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func lowerDigit(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

func alnum(c byte) bool { return lowerDigit(c) || c >= 'A' && c <= 'Z' }

// problems collects validation failures, each naming where it is.
type problems struct {
	errs  []error
	extra int
}

func (p *problems) add(where, format string, args ...any) {
	if len(p.errs) == maxProblems {
		p.extra++
		return
	}
	p.errs = append(p.errs, fmt.Errorf("%s: %s", where, fmt.Sprintf(format, args...)))
}

func (p *problems) err() error {
	if p.extra > 0 {
		p.errs = append(p.errs, fmt.Errorf("and %d more problems", p.extra))
	}
	return errors.Join(p.errs...)
}

// Validate reports every problem of the pointer, or nil.
func (ptr *Pointer) Validate() error {
	var p problems
	ptr.check(&p)
	return p.err()
}

func (ptr *Pointer) check(p *problems) {
	if ptr.SchemaVersion != SchemaVersion {
		p.add("pointer", "schema_version is %d, want %d", ptr.SchemaVersion, SchemaVersion)
	}
	if !validID(ptr.ID) {
		p.add("pointer", "id %q is not of the form 2006-01-02T15-04-05Z", ptr.ID)
	}
	if ptr.Index != IndexName(ptr.ID) {
		p.add("pointer", "index is %q, want %q", ptr.Index, IndexName(ptr.ID))
	}
	if ptr.IndexBin != "" && ptr.IndexBin != IndexBinName(ptr.ID) {
		p.add("pointer", "index_bin is %q, want %q or none", ptr.IndexBin, IndexBinName(ptr.ID))
	}
	checkDate(p, "pointer", "generated_at", ptr.GeneratedAt)
	if ptr.Projects < 0 {
		p.add("pointer", "projects is %d, want at least 0", ptr.Projects)
	}
}

// Validate reports every problem of the index, or nil. Each problem names the
// project and the field.
func (x *Index) Validate() error {
	var p problems
	if x.SchemaVersion != SchemaVersion {
		p.add("index", "schema_version is %d, want %d", x.SchemaVersion, SchemaVersion)
	}
	if !validID(x.ID) {
		p.add("index", "id %q is not of the form 2006-01-02T15-04-05Z", x.ID)
	}
	checkDate(&p, "index", "generated_at", x.GeneratedAt)
	cats := make(map[string]bool, len(x.Categories))
	for i, c := range x.Categories {
		where := fmt.Sprintf("category %d (%q)", i, c.Slug)
		switch {
		case !ValidSlug(c.Slug):
			p.add(where, "slug is not lowercase letters, digits, '.', '_' or '-'")
		case cats[c.Slug]:
			p.add(where, "slug is used twice")
		}
		if strings.TrimSpace(c.Name) == "" {
			p.add(where, "name is empty")
		}
		cats[c.Slug] = true
	}
	repos := make(map[string]bool, len(x.Projects))
	slugs := make(map[string]bool, len(x.Projects))
	for i := range x.Projects {
		pr := &x.Projects[i]
		if repos[strings.ToLower(pr.Repo)] {
			p.add(pr.where(i), "repo is listed twice")
		}
		repos[strings.ToLower(pr.Repo)] = true
		if slugs[pr.Slug] {
			p.add(pr.where(i), "slug %q is used twice", pr.Slug)
		}
		slugs[pr.Slug] = true
	}
	for i := range x.Projects {
		x.Projects[i].check(&p, i, cats, slugs)
	}
	return p.err()
}

func (pr *Project) where(i int) string {
	if pr.Repo == "" {
		return fmt.Sprintf("project %d", i)
	}
	return fmt.Sprintf("project %q", pr.Repo)
}

func (pr *Project) check(p *problems, i int, cats, slugs map[string]bool) {
	where := pr.where(i)
	if !ValidRepo(pr.Repo) {
		p.add(where, "repo %q is not of the form owner/name", pr.Repo)
	} else if owner, name, _ := strings.Cut(pr.Repo, "/"); owner != pr.Owner || name != pr.Name {
		p.add(where, "owner %q and name %q do not match the repo", pr.Owner, pr.Name)
	}
	if !ValidSlug(pr.Slug) {
		p.add(where, "slug %q is not lowercase letters, digits, '.', '_' or '-' (and never holds \"-vs-\")", pr.Slug)
	}
	if pr.License != nil && pr.License.SPDX == "" && pr.License.Name == "" {
		p.add(where, "license is empty; use null when unknown")
	}
	for _, c := range pr.Categories {
		if !cats[c] {
			p.add(where, "categories: %q is not a category of the index", c)
		}
	}
	for _, t := range pr.Topics {
		if t == "" {
			p.add(where, "topics: empty topic")
		}
	}
	checkCount(p, where, "stars", pr.Stars)
	checkCount(p, where, "forks", pr.Forks)
	checkCount(p, where, "open_issues", pr.OpenIssues)
	checkCount(p, where, "contributors", pr.Contributors)
	checkCount(p, where, "mentions", pr.Mentions)
	if pr.Growth != nil && (math.IsNaN(*pr.Growth) || math.IsInf(*pr.Growth, 0)) {
		p.add(where, "growth is not a number")
	}
	if pr.Activity != nil && !(*pr.Activity >= 0 && *pr.Activity <= 10) {
		p.add(where, "activity %v is outside 0–10", *pr.Activity)
	}
	if pr.Release != nil {
		if pr.Release.Tag == "" {
			p.add(where, "release has no tag; use null when there is none")
		}
		checkDate(p, where, "release date", pr.Release.Date)
	}
	checkTime(p, where, "last_commit", pr.LastCommit)
	checkTime(p, where, "created", pr.Created)
	checkTime(p, where, "fetched_at", pr.FetchedAt)
	if _, known := StaleMessage(pr.StaleReason); pr.StaleReason != "" && !known {
		p.add(where, "stale_reason %.40q is not one of the known reasons", pr.StaleReason)
	} else if pr.StaleReason != "" && !pr.Stale {
		p.add(where, "stale_reason %q on a project that is not stale", pr.StaleReason)
	}
	for _, a := range pr.Alternatives {
		switch {
		case a == pr.Slug:
			p.add(where, "alternatives: lists the project itself")
		case !slugs[a]:
			p.add(where, "alternatives: %q is not a project of the index", a)
		}
	}
}

func checkCount(p *problems, where, field string, v *int) {
	if v != nil && *v < 0 {
		p.add(where, "%s is %d, want at least 0 (or null when unknown)", field, *v)
	}
}

// checkTime checks an optional time: null, or within the valid years.
func checkTime(p *problems, where, field string, t *time.Time) {
	switch {
	case t == nil:
	case t.IsZero():
		p.add(where, "%s is the zero time; use null when unknown", field)
	default:
		checkDate(p, where, field, *t)
	}
}

// checkDate checks a required time.
func checkDate(p *problems, where, field string, t time.Time) {
	switch {
	case t.IsZero():
		p.add(where, "%s is missing", field)
	default:
		if err := CheckTime(t); err != nil {
			p.add(where, "%s %v", field, err)
		}
	}
}

// Validate reports every problem of the details, or nil.
func (d *Detail) Validate() error {
	var p problems
	where := fmt.Sprintf("detail %q", d.Repo)
	if d.SchemaVersion != SchemaVersion {
		p.add(where, "schema_version is %d, want %d", d.SchemaVersion, SchemaVersion)
	}
	if !ValidRepo(d.Repo) {
		p.add(where, "repo is not of the form owner/name")
	}
	for i, post := range d.Posts {
		pw := fmt.Sprintf("%s: post %d", where, i)
		if strings.TrimSpace(post.Title) == "" {
			p.add(pw, "title is empty")
		}
		checkDate(&p, pw, "date", post.Date)
		if post.Projects < len(post.Mentions) {
			p.add(pw, "projects is %d, fewer than the %d it mentions", post.Projects, len(post.Mentions))
		}
		checkCount(&p, pw, "points", post.Points)
		checkCount(&p, pw, "comments", post.Comments)
	}
	if c := d.Commits; c != nil {
		checkDate(&p, where, "commits: start", c.Start)
		for i, n := range c.Counts {
			if n < 0 {
				p.add(where, "commits: week %d has %d commits", i, n)
			}
		}
	}
	for i, s := range d.StarHistory {
		if s.Stars < 0 {
			p.add(where, "star_history %d: %d stars", i, s.Stars)
		}
		checkDate(&p, where, fmt.Sprintf("star_history %d: date", i), s.Date)
		if i > 0 && !s.Date.After(d.StarHistory[i-1].Date) {
			p.add(where, "star_history %d: dates are not increasing", i)
		}
	}
	return p.err()
}
