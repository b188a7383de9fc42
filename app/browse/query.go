// Package browse is the model of the home page: a query (search text,
// facets, ranges, sort, compare tray, page) that lives in the URL, and an
// index over a snapshot that answers it fast enough to run on every
// keystroke over 100,000 projects.
package browse

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on what a URL may ask for; anything beyond is dropped.
const (
	MaxText      = 100 // runes of search text
	MaxValues    = 20  // values per facet
	maxValueLen  = 100 // bytes per facet value or slug
	maxRawQuery  = 4096
	MaxTray      = 6 // projects in the compare tray
	MinTray      = 2 // projects a comparison needs
	MaxWithin    = 240
	maxPage      = 100000
	PageSize     = 25
	maxRangeAbs  = 1e12
	defaultOrder = "-stars"
)

// Facet names a field people narrow by.
type Facet int

// The facets, in the order the page shows them.
const (
	Language Facet = iota
	License
	Category
	Topic
	numFacets
)

// Facets lists every facet.
var Facets = []Facet{Language, License, Category, Topic}

// Param is the facet's URL parameter.
func (f Facet) Param() string { return [...]string{"lang", "license", "cat", "topic"}[f] }

// Title is the facet's heading.
func (f Facet) Title() string { return [...]string{"Language", "License", "Category", "Topic"}[f] }

// Range bounds a metric; a missing bound is unbounded.
type Range struct {
	Min, Max       float64
	HasMin, HasMax bool
}

// Set reports whether the range restricts anything.
func (r Range) Set() bool { return r.HasMin || r.HasMax }

func (r Range) contains(v float64) bool {
	if math.IsNaN(v) {
		return false // unknown never satisfies a bound
	}
	return (!r.HasMin || v >= r.Min) && (!r.HasMax || v <= r.Max)
}

// Ranged names a metric people bound by a range.
type Ranged int

// The ranged metrics.
const (
	StarsRange Ranged = iota
	ActivityRange
	GrowthRange
	numRanges
)

// Ranges lists every ranged metric.
var Ranges = []Ranged{StarsRange, ActivityRange, GrowthRange}

// Param is the range's URL parameter.
func (r Ranged) Param() string { return [...]string{"stars", "activity", "growth"}[r] }

// Title is the range's label.
func (r Ranged) Title() string {
	return [...]string{"Stars", "Activity (0–10)", "Growth (% a month)"}[r]
}

func (r Ranged) metric() Metric { return [...]Metric{Stars, Activity, Growth}[r] }

// Query is everything the home page shows, as read from its URL.
type Query struct {
	Text         string
	Values       [numFacets][]string // selected values per facet; any of them matches
	Ranges       [numRanges]Range
	Within       int  // months since the last commit; 0 is any
	HideArchived bool // leave out archived repositories
	Sort         Sort // zero: by relevance when there is text, else most stars first
	Tray         []string
	Page         int // 1-based; 0 is the first page
}

// Sort orders results by a metric in either direction.
type Sort struct {
	Metric Metric
	Desc   bool
}

// IsZero reports whether the sort is the default.
func (s Sort) IsZero() bool { return s == Sort{} }

// String is the sort's URL form: "-stars" for most stars first.
func (s Sort) String() string {
	if s.IsZero() {
		return ""
	}
	if s.Desc {
		return "-" + s.Metric.Param()
	}
	return s.Metric.Param()
}

// ParseSort reads "-stars", "growth" …; ok is false for anything else.
func ParseSort(v string) (Sort, bool) {
	desc := strings.HasPrefix(v, "-")
	m, ok := metricByParam(strings.TrimPrefix(v, "-"))
	if !ok {
		return Sort{}, false
	}
	return Sort{Metric: m, Desc: desc}, true
}

// Parse reads a query from a raw URL query string. It never fails: a field
// that is malformed, too long or of an unknown kind is dropped on its own,
// and the rest is kept. Values of facets and tray slugs are checked against
// a dataset by Index.Clean.
func Parse(raw string) Query {
	var q Query
	if len(raw) > maxRawQuery {
		raw = raw[:maxRawQuery]
	}
	vals, _ := url.ParseQuery(raw) // keeps the well-formed pairs
	first := func(k string) string {
		if v := vals[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	q.Text = cleanText(first("q"))
	for _, f := range Facets {
		q.Values[f] = cleanList(vals[f.Param()], MaxValues, false)
	}
	for _, r := range Ranges {
		q.Ranges[r] = parseRange(first(r.Param()))
	}
	if n, err := strconv.Atoi(first("within")); err == nil && n > 0 && n <= MaxWithin {
		q.Within = n
	}
	q.HideArchived = first("archived") == "hide"
	if s, ok := ParseSort(first("sort")); ok {
		q.Sort = s
	}
	q.Tray = cleanList(strings.Split(first("cmp"), ","), MaxTray, true)
	if n, err := strconv.Atoi(first("page")); err == nil && n > 1 && n <= maxPage {
		q.Page = n
	}
	return q
}

// cleanText trims and caps search text and drops control characters.
func cleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > MaxText {
		s = string([]rune(s)[:MaxText])
	}
	return s
}

// cleanList keeps up to n distinct, well-formed values.
func cleanList(vs []string, n int, lower bool) []string {
	var out []string
	for _, v := range vs {
		v = strings.TrimSpace(v)
		if lower {
			v = strings.ToLower(v)
		}
		if v == "" || len(v) > maxValueLen || !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 }) {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o == v
		}
		if dup {
			continue
		}
		out = append(out, v)
		if len(out) == n {
			break
		}
	}
	return out
}

// parseRange reads "10..500", "10..", "..500" (and "-5..5" for growth).
func parseRange(v string) Range {
	lo, hi, ok := strings.Cut(v, "..")
	if !ok || len(v) > 50 {
		return Range{}
	}
	var r Range
	r.Min, r.HasMin = parseBound(lo)
	r.Max, r.HasMax = parseBound(hi)
	if r.HasMin && r.HasMax && r.Min > r.Max {
		return Range{}
	}
	return r
}

func parseBound(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) > maxRangeAbs {
		return 0, false
	}
	return f, true
}

// String is the URL query string of q, without "?": only fields that differ
// from the default, in a fixed order, so equal views have equal URLs.
func (q Query) String() string {
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	if q.Text != "" {
		add("q", q.Text)
	}
	for _, f := range Facets {
		for _, v := range q.Values[f] {
			add(f.Param(), v)
		}
	}
	for _, r := range Ranges {
		if g := q.Ranges[r]; g.Set() {
			add(r.Param(), formatBound(g.Min, g.HasMin)+".."+formatBound(g.Max, g.HasMax))
		}
	}
	if q.Within > 0 {
		add("within", strconv.Itoa(q.Within))
	}
	if q.HideArchived {
		add("archived", "hide")
	}
	if !q.Sort.IsZero() {
		add("sort", q.Sort.String())
	}
	if len(q.Tray) > 0 {
		add("cmp", strings.Join(q.Tray, ","))
	}
	if q.Page > 1 {
		add("page", strconv.Itoa(q.Page))
	}
	return b.String()
}

// URL is the path and query of the home page showing q.
func (q Query) URL() string {
	if s := q.String(); s != "" {
		return "/?" + s
	}
	return "/"
}

func formatBound(f float64, ok bool) string {
	if !ok {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Has reports whether v is selected in facet f.
func (q Query) Has(f Facet, v string) bool {
	for _, x := range q.Values[f] {
		if x == v {
			return true
		}
	}
	return false
}

// Toggle returns q with v selected in f, or unselected when it was, on the
// first page.
func (q Query) Toggle(f Facet, v string) Query {
	q = q.clone()
	q.Page = 0
	for i, x := range q.Values[f] {
		if x == v {
			q.Values[f] = append(q.Values[f][:i:i], q.Values[f][i+1:]...)
			return q
		}
	}
	if len(q.Values[f]) < MaxValues {
		q.Values[f] = append(q.Values[f], v)
	}
	return q
}

// InTray reports whether slug is in the compare tray.
func (q Query) InTray(slug string) bool {
	for _, s := range q.Tray {
		if s == slug {
			return true
		}
	}
	return false
}

// ToggleTray returns q with slug added to the tray, or removed when it was
// there. A full tray stays as it is.
func (q Query) ToggleTray(slug string) Query {
	q = q.clone()
	for i, s := range q.Tray {
		if s == slug {
			q.Tray = append(q.Tray[:i:i], q.Tray[i+1:]...)
			return q
		}
	}
	if len(q.Tray) < MaxTray {
		q.Tray = append(q.Tray, slug)
	}
	return q
}

// clone copies the slices of q, so that changing the copy leaves q alone.
func (q Query) clone() Query {
	for f := range q.Values {
		q.Values[f] = append([]string(nil), q.Values[f]...)
	}
	q.Tray = append([]string(nil), q.Tray...)
	return q
}

// WithRange returns q with range r bounded by lo and hi as typed in a form
// ("" for no bound), on the first page. A bound that is not a number is
// dropped; bounds the wrong way round are swapped.
func (q Query) WithRange(r Ranged, lo, hi string) Query {
	q = q.clone()
	q.Page = 0
	var g Range
	g.Min, g.HasMin = parseBound(strings.TrimSpace(lo))
	g.Max, g.HasMax = parseBound(strings.TrimSpace(hi))
	if g.HasMin && g.HasMax && g.Min > g.Max {
		g.Min, g.Max = g.Max, g.Min
	}
	q.Ranges[r] = g
	return q
}

// Bounds are the range's bounds as form values, "" when unbounded.
func (r Range) Bounds() (lo, hi string) {
	return formatBound(r.Min, r.HasMin), formatBound(r.Max, r.HasMax)
}
