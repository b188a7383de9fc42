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
	"encoding/binary"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"versus/sync/snapshot"
	"versus/sync/snapshot/internal/slab"
)

// Decode reads an index as snapshot.DecodeIndex does. The strings of the
// result share b's memory: b must not change afterwards.
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
	// Strings that need no unescaping are slices of the input, which saves
	// an allocation per string.
	d := &decoder{b: b, s: unsafe.String(unsafe.SliceData(b), len(b))}
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
	b     []byte
	s     string // b
	i     int
	depth int // of skipped values: encoding/json refuses nesting beyond 10,000

	slab.Slabs // figures and lists
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
	if d.i < len(d.s) && d.s[d.i] == 'n' && strings.HasPrefix(d.s[d.i:], "null") {
		d.i += 4
		return true
	}
	return false
}

// object reads an object whose known keys are keys, calling field with
// the reader on the value of keys[k]; it skips the values of other keys. A
// key seen twice, or differing from a known one only in case (encoding/json
// would match it), abandons the fast path. Keys are looked for first in the
// order of keys, which is the order snapshot.Encode writes them in.
func (d *decoder) object(keys []string, field func(k int)) {
	d.expect('{')
	d.ws()
	if d.peek() == '}' {
		d.i++
		return
	}
	var seen uint64
	next := 0
	for {
		k := next
		if k < len(keys) && d.hasKey(keys[k]) {
			d.i += len(keys[k]) + 3
		} else {
			key := d.key()
			k = slices.Index(keys, key)
			if k < 0 && slices.ContainsFunc(keys, func(n string) bool { return strings.EqualFold(key, n) }) {
				bail()
			}
			d.ws()
			d.expect(':')
		}
		d.ws()
		if k < 0 {
			d.skip()
		} else {
			if seen&(1<<k) != 0 {
				bail()
			}
			seen |= 1 << k
			field(k)
			next = k + 1
		}
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

// hasKey reports whether "name": is next.
func (d *decoder) hasKey(name string) bool {
	j := d.i + len(name) + 1
	return j+1 < len(d.s) && d.s[d.i] == '"' && d.s[j] == '"' && d.s[j+1] == ':' && d.s[d.i+1:j] == name
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
	// Eight bytes at a time while none of them is a quote, a backslash or a
	// control character.
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for d.i+8 <= len(d.b) {
		x := binary.LittleEndian.Uint64(d.b[d.i:])
		q, bs := x^('"'*ones), x^('\\'*ones)
		if ((x-0x20*ones)&^x|(q-ones)&^q|(bs-ones)&^bs)&highs != 0 {
			break
		}
		if x&highs != 0 {
			ascii = false
		}
		d.i += 8
	}
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

// decimal reads a number of at most 18 digits without an exponent: its
// digits as an integer, how many of them follow the point (-1 without a
// point) and its sign. It reads nothing and reports !ok for any other
// number, which is left to strconv.
func (d *decoder) decimal() (v, frac int, neg, ok bool) {
	s, i := d.s, d.i
	digits := func() int {
		start := i
		for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
			v = v*10 + int(s[i]-'0')
		}
		return i - start
	}
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	n, frac := digits(), -1
	if n == 0 || n > 1 && s[i-n] == '0' {
		return 0, 0, false, false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if frac = digits(); frac == 0 {
			return 0, 0, false, false
		}
	}
	if n+max(frac, 0) > 18 || i < len(s) && s[i]|0x20 == 'e' {
		return 0, 0, false, false
	}
	d.i = i
	return v, frac, neg, true
}

func (d *decoder) int() int {
	start := d.i
	if v, frac, neg, ok := d.decimal(); ok && frac < 0 {
		if neg {
			return -v
		}
		return v
	}
	d.i = start
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
	*dst = d.Int()
	**dst = d.int()
}

func (d *decoder) floatPtr(dst **float64) {
	if d.null() {
		*dst = nil
		return
	}
	*dst = d.Float()
	start := d.i
	if v, frac, neg, ok := d.decimal(); ok && v < 1<<53 {
		// Both exact, so the quotient is rounded once, as strconv does.
		f := float64(v) / pow10[max(frac, 0)]
		if neg {
			f = -f
		}
		**dst = f
		return
	}
	d.i = start
	f, err := strconv.ParseFloat(d.number(), 64)
	if err != nil {
		bail()
	}
	**dst = f
}

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

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
	*dst = d.Time()
	d.time(*dst)
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
	days := 31 // in the month: time.Parse refuses 31 April and the like
	switch mo {
	case 4, 6, 9, 11:
		days = 30
	case 2:
		days = 28
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			days = 29
		}
	}
	if y < 1 || mo < 1 || mo > 12 || dd < 1 || dd > days || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59 {
		return time.Time{}, false
	}
	// Days since 1970-01-01, in a calendar whose years start in March
	// (Howard Hinnant's days_from_civil), without time.Date's normalising.
	if mo <= 2 {
		y--
	}
	era, yoe := y/400, y%400
	doy := (153*((mo+9)%12)+2)/5 + dd - 1
	unix := (era*146097+yoe*365+yoe/4-yoe/100+doy-719468)*86400 + h*3600 + mi*60 + se
	return time.Unix(int64(unix), 0).UTC(), true
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
		d.object(nil, nil)
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
	start := d.ListStart()
	if d.array(func() {
		var s string
		d.str(&s)
		d.Add(s)
	}) {
		*dst = nil
		return
	}
	*dst = d.List(start)
}

var indexKeys = []string{"schema_version", "id", "generated_at", "note", "categories", "projects"}

func (d *decoder) index(x *snapshot.Index) {
	d.object(indexKeys, func(k int) {
		switch k {
		case 0: // schema_version
			if !d.null() {
				x.SchemaVersion = d.int()
			}
		case 1: // id
			d.str(&x.ID)
		case 2: // generated_at
			d.time(&x.GeneratedAt)
		case 3: // note
			d.str(&x.Note)
		case 4: // categories
			cs := []snapshot.Category{}
			if d.array(func() {
				cs = append(cs, snapshot.Category{})
				d.category(&cs[len(cs)-1])
			}) {
				cs = nil
			}
			x.Categories = cs
		case 5: // projects
			ps := make([]snapshot.Project, 0, len(d.s)/600+1)
			if d.array(func() {
				if len(ps) < cap(ps) {
					ps = ps[:len(ps)+1] // zero already: no write barriers to zero it again
				} else {
					ps = append(ps, snapshot.Project{})
				}
				d.project(&ps[len(ps)-1])
			}) {
				ps = nil
			} else if len(ps) == 0 {
				ps = []snapshot.Project{}
			}
			x.Projects = ps
		}
	})
}

var categoryKeys = []string{"slug", "name", "description"}

func (d *decoder) category(c *snapshot.Category) {
	if d.null() {
		return
	}
	d.object(categoryKeys, func(k int) {
		switch k {
		case 0: // slug
			d.str(&c.Slug)
		case 1: // name
			d.str(&c.Name)
		case 2: // description
			d.str(&c.Description)
		}
	})
}

var projectKeys = []string{"repo", "slug", "name", "owner", "description", "homepage", "language", "license", "topics", "categories", "stars", "growth", "stars_7d", "stars_30d", "activity", "last_commit", "created", "archived", "forks", "open_issues", "contributors", "release", "mentions", "alternatives", "fetched_at", "stale", "stale_reason"}

func (d *decoder) project(p *snapshot.Project) {
	if d.null() {
		return
	}
	d.object(projectKeys, func(k int) {
		switch k {
		case 0: // repo
			d.str(&p.Repo)
		case 1: // slug
			d.str(&p.Slug)
		case 2: // name
			d.str(&p.Name)
		case 3: // owner
			d.str(&p.Owner)
		case 4: // description
			d.str(&p.Description)
		case 5: // homepage
			d.str(&p.Homepage)
		case 6: // language
			d.str(&p.Language)
		case 7: // license
			if d.null() {
				p.License = nil
			} else {
				p.License = d.License()
				d.license(p.License)
			}
		case 8: // topics
			d.strings(&p.Topics)
		case 9: // categories
			d.strings(&p.Categories)
		case 10: // stars
			d.intPtr(&p.Stars)
		case 11: // growth
			d.floatPtr(&p.Growth)
		case 12: // stars_7d
			d.intPtr(&p.Stars7d)
		case 13: // stars_30d
			d.intPtr(&p.Stars30d)
		case 14: // activity
			d.floatPtr(&p.Activity)
		case 15: // last_commit
			d.timePtr(&p.LastCommit)
		case 16: // created
			d.timePtr(&p.Created)
		case 17: // archived
			d.bool(&p.Archived)
		case 18: // forks
			d.intPtr(&p.Forks)
		case 19: // open_issues
			d.intPtr(&p.OpenIssues)
		case 20: // contributors
			d.intPtr(&p.Contributors)
		case 21: // release
			if d.null() {
				p.Release = nil
			} else {
				p.Release = d.Release()
				d.release(p.Release)
			}
		case 22: // mentions
			d.intPtr(&p.Mentions)
		case 23: // alternatives
			d.strings(&p.Alternatives)
		case 24: // fetched_at
			d.timePtr(&p.FetchedAt)
		case 25: // stale
			d.bool(&p.Stale)
		case 26: // stale_reason
			d.str(&p.StaleReason)
		}
	})
}

var licenseKeys = []string{"spdx", "name"}

func (d *decoder) license(l *snapshot.License) {
	d.object(licenseKeys, func(k int) {
		switch k {
		case 0: // spdx
			d.str(&l.SPDX)
		case 1: // name
			d.str(&l.Name)
		}
	})
}

var releaseKeys = []string{"tag", "date"}

func (d *decoder) release(r *snapshot.Release) {
	d.object(releaseKeys, func(k int) {
		switch k {
		case 0: // tag
			d.str(&r.Tag)
		case 1: // date
			d.time(&r.Date)
		}
	})
}
