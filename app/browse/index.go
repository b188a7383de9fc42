package browse

import (
	"cmp"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"versus/app/dataset"
	"versus/sync/snapshot"
)

// FacetLimit is how many values of a facet a result lists (the selected
// ones come on top of it).
const FacetLimit = 12

// Index answers queries over one dataset. Everything a query reads is
// precomputed once (lowercase text, facet value ids, metric columns); sort
// orders are built on first use. It is safe for concurrent use.
type Index struct {
	set  *dataset.Set
	n    int
	hay  []string // lowercase "name\x00owner/repo\x00description\x00topics"
	name []string // lowercase name
	slug []string
	repo []string // lowercase

	facets   [numFacets]values
	single   [numFacets][]int32 // language and licence: value id per project, -1 for none
	multiOff [numFacets][]int32 // categories and topics: ids of project i are multi[f][multiOff[f][i]:multiOff[f][i+1]]
	multi    [numFacets][]int32

	cols     [numMetrics][]float64 // by project; NaN when unknown
	archived []bool
	since    time.Time // the snapshot's date, for "last commit within N months"

	mu     sync.Mutex
	orders [numMetrics][]int32 // ascending, unknown last; built on first use
	ranks  [numMetrics][]int32 // position of each project in orders
	last   struct {
		text  string
		match []int32
	}
	hits []int32 // reused by every run
	mark []uint8 // reused by every run; all zero between runs
}

// New indexes the projects of s.
func New(s *dataset.Set) *Index {
	ps := s.Projects
	n := len(ps)
	x := &Index{
		set: s, n: n, since: s.Date(),
		hay: make([]string, n), name: make([]string, n), slug: make([]string, n), repo: make([]string, n),
		archived: make([]bool, n),
	}
	x.single[Language] = make([]int32, n)
	x.single[License] = make([]int32, n)
	x.multiOff[Category] = make([]int32, n+1)
	x.multiOff[Topic] = make([]int32, n+1)
	for _, m := range []Metric{Stars, Growth, Activity, LastCommit} {
		x.cols[m] = make([]float64, n)
	}
	// All lowercase text goes in one buffer, then one string that every
	// project's fields are slices of: two allocations instead of several
	// per project.
	size, topics, cats := 0, 0, 0
	for i := range ps {
		p := &ps[i]
		size += len(p.Name) + len(p.Repo) + len(p.Description) + 3
		for _, t := range p.Topics {
			size += len(t) + 1
		}
		topics += len(p.Topics)
		cats += len(p.Categories)
	}
	x.multi[Topic] = make([]int32, 0, topics)
	x.multi[Category] = make([]int32, 0, cats)
	buf := make([]byte, 0, size+size/8)
	type span struct{ start, nameEnd, repoStart, repoEnd, end int }
	spans := make([]span, n)
	for i := range ps {
		p := &ps[i]
		sp := span{start: len(buf)}
		buf = appendLower(buf, p.Name)
		sp.nameEnd = len(buf)
		buf = append(buf, 0)
		sp.repoStart = len(buf)
		buf = appendLower(buf, p.Repo)
		sp.repoEnd = len(buf)
		buf = append(buf, 0)
		buf = appendLower(buf, p.Description)
		for _, t := range p.Topics {
			buf = append(buf, 0)
			buf = appendLower(buf, t)
		}
		sp.end = len(buf)
		spans[i] = sp
	}
	all := unsafe.String(unsafe.SliceData(buf), len(buf)) // buf is not written again
	for i := range ps {
		sp := spans[i]
		x.hay[i] = all[sp.start:sp.end]
		x.name[i] = all[sp.start:sp.nameEnd]
		x.repo[i] = all[sp.repoStart:sp.repoEnd]
	}
	for i := range ps {
		p := &ps[i]
		x.slug[i] = p.Slug
		x.archived[i] = p.Archived

		x.single[Language][i] = -1
		if p.Language != "" {
			x.single[Language][i] = x.facets[Language].add(p.Language, p.Language)
		}
		x.single[License][i] = -1
		if p.License != nil && p.License.SPDX != "" {
			label := p.License.Name
			if label == "" {
				label = p.License.SPDX
			}
			x.single[License][i] = x.facets[License].add(p.License.SPDX, label)
		}
		for _, c := range p.Categories {
			k := x.facets[Category].id(c)
			if k < 0 {
				label := c
				if cat, ok := s.Category(c); ok {
					label = cat.Name
				}
				k = x.facets[Category].add(c, label)
			}
			x.multi[Category] = append(x.multi[Category], k)
		}
		x.multiOff[Category][i+1] = int32(len(x.multi[Category]))
		for _, t := range p.Topics {
			x.multi[Topic] = append(x.multi[Topic], x.facets[Topic].add(t, t))
		}
		x.multiOff[Topic][i+1] = int32(len(x.multi[Topic]))
		for _, m := range []Metric{Stars, Growth, Activity, LastCommit} {
			x.cols[m][i] = value(p, m)
		}
	}
	return x
}

// appendLower appends s in lowercase, without allocating when s is ASCII.
// It lowercases eight bytes at a time: in WebAssembly a loop over bytes
// costs a fifth of building the index.
func appendLower(b []byte, s string) []byte {
	start := len(b)
	b = append(b, s...)
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := start
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		if x&highs != 0 {
			return append(b[:start], strings.ToLower(s)...)
		}
		// Bit 7 of each byte of x+0x3f is set from 'A' up, of x+0x25 from
		// 'Z'+1 up: their difference marks the capitals, whose bit 5 is
		// then set.
		upper := (x + 0x3f*ones) &^ (x + 0x25*ones) & highs
		binary.LittleEndian.PutUint64(b[i:], x|upper>>2)
	}
	for ; i < len(b); i++ {
		switch c := b[i]; {
		case c >= 0x80:
			return append(b[:start], strings.ToLower(s)...)
		case 'A' <= c && c <= 'Z':
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

// values numbers the values of one facet. Its hash table costs a quarter
// of what a map[string]int32 does in WebAssembly, where the runtime's
// string hash emulates 128-bit products (half of New's time).
type values struct {
	vals   []string // by id
	labels []string // by id
	slots  []int32  // 1 + id, 0 when empty; a power of two, at most half full
}

// slot is where v's id is, or the empty slot it would take.
func (t *values) slot(v string) int {
	h := uint32(2166136261) // FNV-1a
	for i := 0; i < len(v); i++ {
		h = (h ^ uint32(v[i])) * 16777619
	}
	mask := len(t.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		if k := t.slots[i]; k == 0 || t.vals[k-1] == v {
			return i
		}
	}
}

// id returns the id of v, or -1.
func (t *values) id(v string) int32 {
	if len(t.slots) == 0 {
		return -1
	}
	return t.slots[t.slot(v)] - 1
}

// add returns the id of v, numbering it with its label when it is new.
func (t *values) add(v, label string) int32 {
	if 2*len(t.vals) >= len(t.slots) {
		t.slots = make([]int32, max(16, 2*len(t.slots)))
		for k, old := range t.vals {
			t.slots[t.slot(old)] = int32(k + 1)
		}
	}
	i := t.slot(v)
	if t.slots[i] == 0 {
		t.vals = append(t.vals, v)
		t.labels = append(t.labels, label)
		t.slots[i] = int32(len(t.vals))
	}
	return t.slots[i] - 1
}

// Set is the dataset the index answers over.
func (x *Index) Set() *dataset.Set { return x.set }

// Label is how the page names value v of facet f ("MIT License" for "MIT").
func (x *Index) Label(f Facet, v string) string {
	if k := x.facets[f].id(v); k >= 0 {
		return x.facets[f].labels[k]
	}
	return v
}

// Clean drops from q the facet values and tray slugs that the dataset does
// not hold.
func (x *Index) Clean(q Query) Query {
	q = q.clone()
	for f := range q.Values {
		q.Values[f] = slices.DeleteFunc(q.Values[f], func(v string) bool {
			return x.facets[f].id(v) < 0
		})
	}
	q.Tray = slices.DeleteFunc(q.Tray, func(s string) bool {
		_, ok := x.set.Project(s)
		return !ok
	})
	return q
}

// Count is one value of a facet with the number of results it would give
// (counting every other filter, not the facet's own).
type Count struct {
	Value, Label string
	N            int
	Selected     bool
}

// Result is the answer to a query.
type Result struct {
	Query  Query // cleaned, with the page within bounds
	Total  int   // matching projects
	Pages  int
	Rows   []*snapshot.Project // the rows of the page, in order
	Facets [numFacets][]Count  // the most frequent values, selected ones included
}

// Run answers q.
func (x *Index) Run(q Query) Result {
	q = x.Clean(q)
	x.mu.Lock()
	defer x.mu.Unlock()

	// Text first: it narrows the most, and typing extends the previous text,
	// whose matches are then the only candidates.
	terms := strings.Fields(strings.ToLower(q.Text))
	var cand []int32
	if len(terms) > 0 {
		text := strings.Join(terms, " ")
		var from []int32
		if x.last.text != "" && x.last.match != nil && strings.HasPrefix(text, x.last.text) {
			from = x.last.match
		}
		match := make([]int32, 0, 64)
		each := func(i int32) {
			h := x.hay[i]
			for _, t := range terms {
				if !strings.Contains(h, t) {
					return
				}
			}
			match = append(match, i)
		}
		if from != nil {
			for _, i := range from {
				each(i)
			}
		} else {
			for i := range int32(x.n) {
				each(i)
			}
		}
		x.last.text, x.last.match = text, match
		cand = match
	}

	// Selected facet values as lookup tables.
	var sel [numFacets][]bool
	for f := range numFacets {
		if len(q.Values[f]) == 0 {
			continue
		}
		sel[f] = make([]bool, len(x.facets[f].vals))
		for _, v := range q.Values[f] {
			sel[f][x.facets[f].id(v)] = true
		}
	}
	var counts [numFacets][]int32
	for f := range numFacets {
		counts[f] = make([]int32, len(x.facets[f].vals))
	}
	cutoff := math.Inf(-1)
	if q.Within > 0 {
		cutoff = float64(x.since.AddDate(0, -q.Within, 0).Unix())
	}
	var ranges [numRanges]struct {
		r   Range
		col []float64
	}
	nr := 0
	for _, r := range Ranges {
		if q.Ranges[r].Set() {
			ranges[nr].r, ranges[nr].col = q.Ranges[r], x.cols[r.metric()]
			nr++
		}
	}

	hits := x.hits[:0]
	if cap(hits) < x.n {
		hits = make([]int32, 0, x.n)
	}
	visit := func(i int32) {
		if q.HideArchived && x.archived[i] {
			return
		}
		if q.Within > 0 && !(x.cols[LastCommit][i] >= cutoff) {
			return
		}
		for _, r := range ranges[:nr] {
			if !r.r.contains(r.col[i]) {
				return
			}
		}
		// A project failing one facet still counts for that facet's values:
		// that is what choosing one of them would give.
		failed, fails := Facet(-1), 0
		for f := range numFacets {
			if sel[f] != nil && !x.has(Facet(f), i, sel[f]) {
				failed, fails = Facet(f), fails+1
				if fails > 1 {
					return
				}
			}
		}
		if fails == 0 {
			hits = append(hits, i)
			for f := range numFacets {
				x.count(Facet(f), i, counts[f])
			}
			return
		}
		x.count(failed, i, counts[failed])
	}
	if cand != nil || len(terms) > 0 {
		for _, i := range cand {
			visit(i)
		}
	} else {
		for i := range int32(x.n) {
			visit(i)
		}
	}

	x.hits = hits
	r := Result{Total: len(hits)}
	r.Pages = max(1, (len(hits)+PageSize-1)/PageSize)
	q.Page = min(q.Page, r.Pages)
	if q.Page == 1 {
		q.Page = 0
	}
	r.Query = q
	page := max(q.Page, 1)
	ordered := x.order(hits, q.Sort, terms, page*PageSize)
	lo := min((page-1)*PageSize, len(ordered))
	hi := min(page*PageSize, len(ordered))
	for _, i := range ordered[lo:hi] {
		r.Rows = append(r.Rows, &x.set.Projects[i])
	}
	for f := range numFacets {
		r.Facets[f] = x.facetCounts(Facet(f), counts[f], sel[f], q)
	}
	return r
}

// has reports whether project i holds one of the values marked in sel.
func (x *Index) has(f Facet, i int32, sel []bool) bool {
	if x.single[f] != nil {
		v := x.single[f][i]
		return v >= 0 && sel[v]
	}
	for _, v := range x.multi[f][x.multiOff[f][i]:x.multiOff[f][i+1]] {
		if sel[v] {
			return true
		}
	}
	return false
}

func (x *Index) count(f Facet, i int32, c []int32) {
	if x.single[f] != nil {
		if v := x.single[f][i]; v >= 0 {
			c[v]++
		}
		return
	}
	for _, v := range x.multi[f][x.multiOff[f][i]:x.multiOff[f][i+1]] {
		c[v]++
	}
}

// facetCounts returns the values of f to list, best first: the selected
// ones, then the most frequent (ties by label, then value). It keeps only
// the best limit as it goes rather than sorting every value: topics have
// thousands.
func (x *Index) facetCounts(f Facet, counts []int32, sel []bool, q Query) []Count {
	limit := max(FacetLimit, len(q.Values[f]))
	better := func(a, b Count) int {
		if a.Selected != b.Selected {
			if a.Selected {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Label, b.Label), cmp.Compare(a.Value, b.Value))
	}
	out := make([]Count, 0, limit+1)
	for id, n := range counts {
		selected := sel != nil && sel[id]
		if n == 0 && !selected {
			continue
		}
		if len(out) == limit && !selected && int(n) < out[limit-1].N {
			continue // cheaper than the label lookup
		}
		c := Count{Value: x.facets[f].vals[id], Label: x.facets[f].labels[id], N: int(n), Selected: selected}
		k := len(out)
		for k > 0 && better(c, out[k-1]) < 0 {
			k--
		}
		if k == limit {
			continue
		}
		out = append(out, Count{})
		copy(out[k+1:], out[k:])
		out[k] = c
		out = out[:min(len(out), limit)]
	}
	return out
}

// order returns hits in the order of s: at least the first need of them.
func (x *Index) order(hits []int32, s Sort, terms []string, need int) []int32 {
	m, desc := s.Metric, s.Desc
	if m == Relevance {
		m, desc = Stars, true
	}
	ranks := x.rank(m)
	known := int32(x.known(m))
	key := func(i int32) int32 {
		// Unknown figures come last in both directions: they sit at the
		// end of the ascending order, so only the known part is reversed.
		r := ranks[i]
		if desc && r < known {
			r = known - 1 - r
		}
		return r
	}
	text := ""
	if s.Metric == Relevance && len(terms) > 0 {
		text = strings.Join(terms, " ")
	}
	tier := func(i int32) uint8 {
		if text == "" {
			return 0
		}
		return x.tier(i, text)
	}
	if len(hits) < 512 || len(hits)*8 < x.n {
		type sortable struct {
			tier uint8
			key  int32
			i    int32
		}
		ss := make([]sortable, len(hits))
		for k, i := range hits {
			ss[k] = sortable{tier(i), key(i), i}
		}
		slices.SortFunc(ss, func(a, b sortable) int {
			return cmp.Or(cmp.Compare(a.tier, b.tier), cmp.Compare(a.key, b.key))
		})
		out := make([]int32, len(ss))
		for k, e := range ss {
			out[k] = e.i
		}
		return out
	}
	// Many hits: walk the precomputed order, which is linear, and file the
	// hits by tier; without search text all are in tier 0 and the walk stops
	// once the page is full.
	if len(x.mark) != x.n {
		x.mark = make([]uint8, x.n)
	}
	mark := x.mark // 1 + tier for hits
	defer func() {
		for _, i := range hits {
			mark[i] = 0
		}
	}()
	for _, i := range hits {
		mark[i] = 1 + tier(i)
	}
	var buckets [4][]int32
	walk := func(i int32) bool {
		if t := mark[i]; t > 0 && len(buckets[t-1]) < need {
			buckets[t-1] = append(buckets[t-1], i)
		}
		return len(buckets[0]) < need
	}
	ord := x.orders[m]
	if desc {
		for j := known - 1; j >= 0 && walk(ord[j]); j-- {
		}
	} else {
		for j := int32(0); j < known && walk(ord[j]); j++ {
		}
	}
	for j := int(known); j < len(ord) && walk(ord[j]); j++ {
	}
	out := make([]int32, 0, need)
	for _, b := range buckets {
		out = append(out, b...)
	}
	return out[:min(need, len(out))]
}

// tier ranks a search match: 0 exact name, slug or repo, 1 name prefix, 2
// a word of the name, 3 anything else.
func (x *Index) tier(i int32, text string) uint8 {
	name := x.name[i]
	switch {
	case name == text || x.slug[i] == text || x.repo[i] == text:
		return 0
	case strings.HasPrefix(name, text):
		return 1
	}
	for k := strings.Index(name, text); k >= 0; {
		if c := name[k-1]; c == '-' || c == '_' || c == '.' || c == ' ' {
			return 2
		}
		next := strings.Index(name[k+1:], text)
		if next < 0 {
			break
		}
		k += 1 + next
	}
	return 3
}

// radixOrder returns the indexes of col in ascending order of their
// values, NaN last, ties in index order. It is a radix sort, stable and
// without comparisons: in WebAssembly a comparison sort of 100,000 figures
// through a comparison function takes 60 ms.
func radixOrder(col []float64) []int32 {
	keys := make([]uint64, len(col))
	for i, v := range col {
		// The bits of a float, sign flipped (all bits when negative), order
		// as the floats do.
		if v == 0 {
			v = 0 // -0 ties with 0
		}
		b := math.Float64bits(v)
		switch {
		case math.IsNaN(v):
			b = math.MaxUint64
		case b>>63 != 0:
			b = ^b
		default:
			b |= 1 << 63
		}
		keys[i] = b
	}
	ord, tmp := make([]int32, len(col)), make([]int32, len(col))
	for i := range ord {
		ord[i] = int32(i)
	}
	for shift := 0; shift < 64 && len(ord) > 0; shift += 8 {
		var at [256]int
		for _, i := range ord {
			at[byte(keys[i]>>shift)]++
		}
		if at[byte(keys[ord[0]]>>shift)] == len(ord) {
			continue // the same byte everywhere
		}
		sum := 0
		for d, c := range at {
			at[d], sum = sum, sum+c
		}
		for _, i := range ord {
			d := byte(keys[i] >> shift)
			tmp[at[d]] = i
			at[d]++
		}
		ord, tmp = tmp, ord
	}
	return ord
}

// known is how many projects have a known figure for m.
func (x *Index) known(m Metric) int {
	if m == Name {
		return x.n
	}
	ord := x.orders[m]
	col := x.cols[m]
	// Unknown figures sit at the end: find the first one.
	k, _ := slices.BinarySearchFunc(ord, true, func(i int32, _ bool) int {
		if math.IsNaN(col[i]) {
			return 1
		}
		return -1
	})
	return k
}

// rank builds (once) the ascending order of m and each project's place in it.
func (x *Index) rank(m Metric) []int32 {
	if x.ranks[m] != nil {
		return x.ranks[m]
	}
	ord := make([]int32, x.n)
	for i := range ord {
		ord[i] = int32(i)
	}
	if m == Name {
		slices.SortFunc(ord, func(a, b int32) int {
			return cmp.Or(strings.Compare(x.name[a], x.name[b]), strings.Compare(x.repo[a], x.repo[b]), cmp.Compare(a, b))
		})
	} else {
		if x.cols[m] == nil {
			x.cols[m] = make([]float64, x.n)
			for i := range x.set.Projects {
				x.cols[m][i] = value(&x.set.Projects[i], m)
			}
		}
		ord = radixOrder(x.cols[m])
	}
	rk := make([]int32, x.n)
	for pos, i := range ord {
		rk[i] = int32(pos)
	}
	x.orders[m], x.ranks[m] = ord, rk
	return rk
}
