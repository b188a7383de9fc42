// Package indexjson decodes a snapshot index fast, without reflection: in
// WebAssembly encoding/json takes about 240 ms for 10,000 projects.
//
// The result is exactly what snapshot.DecodeIndex gives. Whatever the fast
// path is not sure to read the same way (escaped or non-ASCII keys, keys
// differing only in case, repeated keys, lone surrogates, invalid UTF-8,
// numbers out of range, wrong types, malformed JSON) sends the whole input
// to snapshot.DecodeIndex, which also writes the error messages.
package indexjson

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"versus/sync/snapshot"
)

// Decode reads an index as snapshot.DecodeIndex does.
func Decode(b []byte) (*snapshot.Index, error) {
	if x, ok := decodeFast(b); ok {
		return x, nil
	}
	return snapshot.DecodeIndex(bytes.NewReader(b))
}

// slow is the panic value that abandons the fast path.
type slow struct{}

func decodeFast(b []byte) (x *snapshot.Index, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, isSlow := r.(slow); !isSlow {
				panic(r)
			}
			x, ok = nil, false
		}
	}()
	// Strings that need no unescaping are slices of one copy of the input,
	// which saves an allocation per string.
	d := &decoder{s: string(b)}
	x = &snapshot.Index{}
	d.ws()
	d.index(x)
	d.ws()
	if d.i != len(d.s) || x.SchemaVersion != snapshot.SchemaVersion {
		return nil, false
	}
	return x, true
}

type decoder struct {
	s     string
	i     int
	depth int // of skipped values: encoding/json refuses nesting beyond 10,000

	// Slabs from which figures and lists are handed out, so that a project
	// costs a few allocations instead of dozens. Only the values matter to
	// the result, not where they live.
	ints   []int
	floats []float64
	times  []time.Time
	strs   []string
}

const slab = 4096

func (d *decoder) newInt(v int) *int {
	if len(d.ints) == cap(d.ints) {
		d.ints = make([]int, 0, slab)
	}
	d.ints = append(d.ints, v)
	return &d.ints[len(d.ints)-1]
}

func (d *decoder) newFloat(v float64) *float64 {
	if len(d.floats) == cap(d.floats) {
		d.floats = make([]float64, 0, slab)
	}
	d.floats = append(d.floats, v)
	return &d.floats[len(d.floats)-1]
}

func (d *decoder) newTime() *time.Time {
	if len(d.times) == cap(d.times) {
		d.times = make([]time.Time, 0, slab)
	}
	d.times = append(d.times, time.Time{})
	return &d.times[len(d.times)-1]
}

func bail() { panic(slow{}) }

func (d *decoder) ws() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *decoder) peek() byte {
	if d.i >= len(d.s) {
		bail()
	}
	return d.s[d.i]
}

func (d *decoder) expect(c byte) {
	if d.peek() != c {
		bail()
	}
	d.i++
}

// null consumes a null literal if one is next.
func (d *decoder) null() bool {
	if strings.HasPrefix(d.s[d.i:], "null") {
		d.i += 4
		return true
	}
	return false
}

// object reads an object, calling field for each key with the reader on its
// value. field returns the key's bit, 0 for an unknown key (whose value it
// has skipped); a key seen twice abandons the fast path.
func (d *decoder) object(field func(key string) uint64) {
	d.expect('{')
	d.ws()
	if d.peek() == '}' {
		d.i++
		return
	}
	var seen uint64
	for {
		key := d.key()
		d.ws()
		d.expect(':')
		d.ws()
		bit := field(key)
		if seen&bit != 0 {
			bail()
		}
		seen |= bit
		d.ws()
		switch d.peek() {
		case ',':
			d.i++
			d.ws()
		case '}':
			d.i++
			return
		default:
			bail()
		}
	}
}

// key reads an object key; only plain ASCII keys stay on the fast path.
func (d *decoder) key() string {
	d.expect('"')
	start := d.i
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			d.i++
			return d.s[start : d.i-1]
		case c == '\\' || c < 0x20 || c >= 0x80:
			bail()
		}
		d.i++
	}
	bail()
	return ""
}

// unknown skips the value of a key no field has, unless encoding/json would
// match it to a field regardless of case.
func (d *decoder) unknown(key string, names ...string) uint64 {
	for _, n := range names {
		if strings.EqualFold(key, n) {
			bail()
		}
	}
	d.skip()
	return 0
}

// array reads an array, calling elem with the reader on each element. It
// reports whether the value was null.
func (d *decoder) array(elem func()) (isNull bool) {
	if d.null() {
		return true
	}
	d.expect('[')
	d.ws()
	if d.peek() == ']' {
		d.i++
		return false
	}
	for {
		elem()
		d.ws()
		switch d.peek() {
		case ',':
			d.i++
			d.ws()
		case ']':
			d.i++
			return false
		default:
			bail()
		}
	}
}

// str reads a string; null leaves *dst as it is, as encoding/json does.
func (d *decoder) str(dst *string) {
	if d.null() {
		return
	}
	*dst = d.string()
}

func (d *decoder) string() string {
	d.expect('"')
	start := d.i
	ascii := true
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			d.i++
			s := d.s[start : d.i-1]
			if !ascii && !utf8.ValidString(s) {
				bail() // encoding/json replaces bad bytes with U+FFFD
			}
			return s
		case c == '\\':
			d.i = start
			return d.unescape()
		case c < 0x20:
			bail()
		case c >= 0x80:
			ascii = false
		}
		d.i++
	}
	bail()
	return ""
}

// unescape reads the rest of a string holding escapes, from its first byte.
func (d *decoder) unescape() string {
	var b strings.Builder
	start := d.i
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			b.WriteString(d.s[start:d.i])
			d.i++
			s := b.String()
			if !utf8.ValidString(s) {
				bail()
			}
			return s
		case c < 0x20:
			bail()
		case c == '\\':
			b.WriteString(d.s[start:d.i])
			if d.i+1 >= len(d.s) {
				bail()
			}
			e := d.s[d.i+1]
			d.i += 2
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r := d.hex4()
				if utf16.IsSurrogate(r) {
					// Only a valid pair stays on the fast path.
					if !strings.HasPrefix(d.s[d.i:], `\u`) {
						bail()
					}
					d.i += 2
					r = utf16.DecodeRune(r, d.hex4())
					if r == utf8.RuneError {
						bail()
					}
				}
				b.WriteRune(r)
			default:
				bail()
			}
			start = d.i
			continue
		}
		d.i++
	}
	bail()
	return ""
}

func (d *decoder) hex4() rune {
	if d.i+4 > len(d.s) {
		bail()
	}
	var r rune
	for _, c := range []byte(d.s[d.i : d.i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			bail()
		}
		r = r*16 + rune(c)
	}
	d.i += 4
	return r
}

// number returns the text of a JSON number.
func (d *decoder) number() string {
	start := d.i
	if d.i < len(d.s) && d.s[d.i] == '-' {
		d.i++
	}
	switch {
	case d.i < len(d.s) && d.s[d.i] == '0':
		d.i++
	case d.i < len(d.s) && '1' <= d.s[d.i] && d.s[d.i] <= '9':
		d.digits()
	default:
		bail()
	}
	if d.i < len(d.s) && d.s[d.i] == '.' {
		d.i++
		if d.digits() == 0 {
			bail()
		}
	}
	if d.i < len(d.s) && (d.s[d.i] == 'e' || d.s[d.i] == 'E') {
		d.i++
		if d.i < len(d.s) && (d.s[d.i] == '+' || d.s[d.i] == '-') {
			d.i++
		}
		if d.digits() == 0 {
			bail()
		}
	}
	return d.s[start:d.i]
}

func (d *decoder) digits() int {
	start := d.i
	for d.i < len(d.s) && '0' <= d.s[d.i] && d.s[d.i] <= '9' {
		d.i++
	}
	return d.i - start
}

func (d *decoder) int() int {
	n, err := strconv.ParseInt(d.number(), 10, 64) // "1.0" or "1e3" fail, as in encoding/json
	if err != nil {
		bail()
	}
	return int(n)
}

// intPtr reads a number into a new int, or null into nil.
func (d *decoder) intPtr(dst **int) {
	if d.null() {
		*dst = nil
		return
	}
	*dst = d.newInt(d.int())
}

func (d *decoder) floatPtr(dst **float64) {
	if d.null() {
		*dst = nil
		return
	}
	f, err := strconv.ParseFloat(d.number(), 64)
	if err != nil {
		bail()
	}
	*dst = d.newFloat(f)
}

func (d *decoder) bool(dst *bool) {
	switch {
	case d.null():
	case strings.HasPrefix(d.s[d.i:], "true"):
		d.i += 4
		*dst = true
	case strings.HasPrefix(d.s[d.i:], "false"):
		d.i += 5
		*dst = false
	default:
		bail()
	}
}

// time reads a time as time.Time.UnmarshalJSON does; null leaves *dst.
func (d *decoder) time(dst *time.Time) {
	if d.null() {
		return
	}
	start := d.i
	s := d.string()
	if d.s[start+1:d.i-1] != s {
		bail() // escaped: UnmarshalJSON would refuse it
	}
	if t, ok := utcSeconds(s); ok {
		*dst = t
		return
	}
	if err := dst.UnmarshalJSON([]byte(d.s[start:d.i])); err != nil {
		bail()
	}
}

func (d *decoder) timePtr(dst **time.Time) {
	if d.null() {
		*dst = nil
		return
	}
	t := d.newTime()
	d.time(t)
	*dst = t
}

// utcSeconds reads the common "2006-01-02T15:04:05Z" without time.Parse,
// giving the same Time; anything else is left to time.Time.UnmarshalJSON.
func utcSeconds(s string) (time.Time, bool) {
	if len(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' {
		return time.Time{}, false
	}
	num := func(a, b int) int {
		n := 0
		for _, c := range []byte(s[a:b]) {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, mo, dd, h, mi, se := num(0, 4), num(5, 7), num(8, 10), num(11, 13), num(14, 16), num(17, 19)
	if y < 0 || mo < 1 || mo > 12 || dd < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), dd, h, mi, se, 0, time.UTC)
	if t.Day() != dd { // 31 April and the like: time.Parse refuses them
		return time.Time{}, false
	}
	return t, true
}

// skip passes over any JSON value, checking its syntax.
func (d *decoder) skip() {
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > 1000 {
		bail()
	}
	switch c := d.peek(); {
	case c == '{':
		d.object(func(string) uint64 { d.skip(); return 0 })
	case c == '[':
		d.array(d.skip)
	case c == '"':
		d.string()
	case c == 't' || c == 'f':
		var b bool
		d.bool(&b)
	case c == 'n':
		if !d.null() {
			bail()
		}
	default:
		d.number()
	}
}

func (d *decoder) strings(dst *[]string) {
	// The list is built at the end of the slab, then capped, so that
	// appending to it later never writes over a neighbour.
	if len(d.strs) > slab/2 {
		d.strs = make([]string, 0, slab)
	}
	start := len(d.strs)
	if d.array(func() {
		var s string
		d.str(&s)
		d.strs = append(d.strs, s)
	}) {
		*dst = nil
		return
	}
	if len(d.strs) == start {
		*dst = []string{}
		return
	}
	*dst = d.strs[start:len(d.strs):len(d.strs)]
}

var indexKeys = []string{"schema_version", "id", "generated_at", "note", "categories", "projects"}

func (d *decoder) index(x *snapshot.Index) {
	d.object(func(key string) uint64 {
		switch key {
		case "schema_version":
			if !d.null() {
				x.SchemaVersion = d.int()
			}
			return 1 << 0
		case "id":
			d.str(&x.ID)
			return 1 << 1
		case "generated_at":
			d.time(&x.GeneratedAt)
			return 1 << 2
		case "note":
			d.str(&x.Note)
			return 1 << 3
		case "categories":
			cs := []snapshot.Category{}
			if d.array(func() {
				cs = append(cs, snapshot.Category{})
				d.category(&cs[len(cs)-1])
			}) {
				cs = nil
			}
			x.Categories = cs
			return 1 << 4
		case "projects":
			ps := make([]snapshot.Project, 0, len(d.s)/600+1)
			if d.array(func() {
				ps = append(ps, snapshot.Project{})
				d.project(&ps[len(ps)-1])
			}) {
				ps = nil
			} else if len(ps) == 0 {
				ps = []snapshot.Project{}
			}
			x.Projects = ps
			return 1 << 5
		}
		return d.unknown(key, indexKeys...)
	})
}

var categoryKeys = []string{"slug", "name", "description"}

func (d *decoder) category(c *snapshot.Category) {
	if d.null() {
		return
	}
	d.object(func(key string) uint64 {
		switch key {
		case "slug":
			d.str(&c.Slug)
			return 1 << 0
		case "name":
			d.str(&c.Name)
			return 1 << 1
		case "description":
			d.str(&c.Description)
			return 1 << 2
		}
		return d.unknown(key, categoryKeys...)
	})
}

var projectKeys = []string{"repo", "slug", "name", "owner", "description", "homepage", "language", "license", "topics", "categories", "stars", "growth", "stars_7d", "stars_30d", "activity", "last_commit", "created", "archived", "forks", "open_issues", "contributors", "release", "mentions", "alternatives", "fetched_at", "stale", "stale_reason"}

func (d *decoder) project(p *snapshot.Project) {
	if d.null() {
		return
	}
	d.object(func(key string) uint64 {
		switch key {
		case "repo":
			d.str(&p.Repo)
			return 1 << 0
		case "slug":
			d.str(&p.Slug)
			return 1 << 1
		case "name":
			d.str(&p.Name)
			return 1 << 2
		case "owner":
			d.str(&p.Owner)
			return 1 << 3
		case "description":
			d.str(&p.Description)
			return 1 << 4
		case "homepage":
			d.str(&p.Homepage)
			return 1 << 5
		case "language":
			d.str(&p.Language)
			return 1 << 6
		case "license":
			if d.null() {
				p.License = nil
			} else {
				l := &snapshot.License{}
				d.license(l)
				p.License = l
			}
			return 1 << 7
		case "topics":
			d.strings(&p.Topics)
			return 1 << 8
		case "categories":
			d.strings(&p.Categories)
			return 1 << 9
		case "stars":
			d.intPtr(&p.Stars)
			return 1 << 10
		case "growth":
			d.floatPtr(&p.Growth)
			return 1 << 11
		case "stars_7d":
			d.intPtr(&p.Stars7d)
			return 1 << 12
		case "stars_30d":
			d.intPtr(&p.Stars30d)
			return 1 << 13
		case "activity":
			d.floatPtr(&p.Activity)
			return 1 << 14
		case "last_commit":
			d.timePtr(&p.LastCommit)
			return 1 << 15
		case "created":
			d.timePtr(&p.Created)
			return 1 << 16
		case "archived":
			d.bool(&p.Archived)
			return 1 << 17
		case "forks":
			d.intPtr(&p.Forks)
			return 1 << 18
		case "open_issues":
			d.intPtr(&p.OpenIssues)
			return 1 << 19
		case "contributors":
			d.intPtr(&p.Contributors)
			return 1 << 20
		case "release":
			if d.null() {
				p.Release = nil
			} else {
				r := &snapshot.Release{}
				d.release(r)
				p.Release = r
			}
			return 1 << 21
		case "mentions":
			d.intPtr(&p.Mentions)
			return 1 << 22
		case "alternatives":
			d.strings(&p.Alternatives)
			return 1 << 23
		case "fetched_at":
			d.timePtr(&p.FetchedAt)
			return 1 << 24
		case "stale":
			d.bool(&p.Stale)
			return 1 << 25
		case "stale_reason":
			d.str(&p.StaleReason)
			return 1 << 26
		}
		return d.unknown(key, projectKeys...)
	})
}

func (d *decoder) license(l *snapshot.License) {
	d.object(func(key string) uint64 {
		switch key {
		case "spdx":
			d.str(&l.SPDX)
			return 1 << 0
		case "name":
			d.str(&l.Name)
			return 1 << 1
		}
		return d.unknown(key, "spdx", "name")
	})
}

func (d *decoder) release(r *snapshot.Release) {
	d.object(func(key string) uint64 {
		switch key {
		case "tag":
			d.str(&r.Tag)
			return 1 << 0
		case "date":
			d.time(&r.Date)
			return 1 << 1
		}
		return d.unknown(key, "tag", "date")
	})
}
