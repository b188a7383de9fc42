package starhist

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"versus/sync/internal/jsonobj"
)

// Book keeps, by repository, the weeks of star history read so far, so
// that a page is read once, ever: the newest page again only when the star
// count changed, older ones until the first week. It is safe for concurrent
// use and encodes to JSON for the sync's private state.
//
// A book holds every week of thousands of repositories, so it keeps them
// compact: runs of consecutive weeks, their days as varints (a byte a day
// for most), in one array per repository.
type Book struct {
	mu      sync.Mutex
	recs    map[string]*record // by lowercase repo
	changed map[string]bool
	scratch []flatWeek // reused by Add and DecodeBook, under mu
}

// record is what a Book knows of one repository.
type record struct {
	Stars  int       // the star count when the newest page was read
	At     time.Time // when it was read
	Newest time.Time // start of GitHub's newest week at At: pages count from it
	// runs of consecutive weeks, newest first; a gap between two runs
	// longer than a week is a run of weeks still to be read.
	runs     []run
	Complete bool      // the last page was read
	Missing  time.Time // when GitHub last answered 404; zero when it did not
}

// run is consecutive weeks, oldest first: days holds the stars given on
// each of their days, oldest first, as varints.
type run struct {
	start int64 // unix seconds
	n     int   // weeks
	days  []byte
}

const weekSeconds = int64(week / time.Second)

func (u run) weeks() int { return u.n }

// each calls fn with each week of u, oldest first (i from 0).
func (u run) each(fn func(i int, days *[7]int32)) {
	var w [7]int32
	b := u.days
	for i := range u.n {
		for d := range w {
			v, k := binary.Varint(b)
			w[d], b = int32(v), b[k:]
		}
		fn(i, &w)
	}
}

// newest returns the start of the run's newest week, in unix seconds.
func (u run) newest() int64 { return u.start + int64(u.weeks()-1)*weekSeconds }

// flatWeek is one week while a record's weeks are rebuilt.
type flatWeek struct {
	start int64
	days  [7]int32
}

// NewBook returns an empty book.
func NewBook() *Book {
	return &Book{recs: map[string]*record{}, changed: map[string]bool{}}
}

func (k *Book) rec(repo string) *record {
	key := strings.ToLower(repo)
	r := k.recs[key]
	if r == nil {
		r = &record{}
		k.recs[key] = r
	}
	k.changed[key] = true
	return r
}

// Stars returns the star count when repo's newest page was read, and
// whether it was.
func (k *Book) Stars(repo string) (int, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	r := k.recs[strings.ToLower(repo)]
	if r == nil || r.At.IsZero() {
		return 0, false
	}
	return r.Stars, true
}

// Missing reports whether GitHub answered 404 for repo's history within d
// before now: not worth asking again yet.
func (k *Book) Missing(repo string, now time.Time, d time.Duration) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	r := k.recs[strings.ToLower(repo)]
	return r != nil && !r.Missing.IsZero() && now.Sub(r.Missing) < d
}

// SetMissing records that GitHub answered 404 for repo's history at now.
func (k *Book) SetMissing(repo string, now time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.rec(repo).Missing = now
}

// Add keeps page (from 1) of repo's history, read at now with perPage
// weeks a page: its weeks replace those of the same start, and the last
// page (more false) completes the history. Page 1 also records stars, the
// count it goes with.
func (k *Book) Add(repo string, page, perPage int, weeks []Week, more bool, stars int, now time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	r := k.rec(repo)
	r.Missing = time.Time{}
	if page == 1 {
		r.Stars, r.At = stars, now
	}
	if len(weeks) > 0 {
		// The page tells where GitHub's newest week is now.
		r.Newest = weeks[0].Start.Add(time.Duration((page-1)*perPage) * week)
	}
	flat := r.flatten(k.scratch[:0])
	for _, w := range weeks {
		f := flatWeek{start: w.Start.Unix()}
		for d, n := range w.Days {
			f.days[d] = int32(n)
		}
		flat = append(flat, f)
	}
	r.runs = runsOf(flat)
	k.scratch = flat[:0]
	if !more {
		r.Complete = true
	}
}

// flatten appends r's weeks to flat, newest first.
func (r *record) flatten(flat []flatWeek) []flatWeek {
	for _, u := range r.runs {
		from := len(flat)
		u.each(func(i int, days *[7]int32) {
			flat = append(flat, flatWeek{start: u.start + int64(i)*weekSeconds, days: *days})
		})
		slices.Reverse(flat[from:])
	}
	return flat
}

// runsOf returns the runs of flat, a week listed twice (by start) counting
// once, its last listing winning. It reorders flat.
func runsOf(flat []flatWeek) []run {
	sort.SliceStable(flat, func(i, j int) bool { return flat[i].start < flat[j].start })
	n := 0 // flat[:n]: the weeks kept, oldest first
	for i, f := range flat {
		if n > 0 && flat[n-1].start == f.start {
			flat[n-1] = flat[i]
			continue
		}
		flat[n] = f
		n++
	}
	flat = flat[:n]
	if n == 0 {
		return nil
	}
	var days []byte // one array for the whole record
	var runs []run
	var ends []int // of each run in days
	for i, f := range flat {
		if i == 0 || f.start != flat[i-1].start+weekSeconds {
			runs = append(runs, run{start: f.start})
			ends = append(ends, 0)
		}
		for _, v := range f.days {
			days = binary.AppendVarint(days, int64(v))
		}
		runs[len(runs)-1].n++
		ends[len(ends)-1] = len(days)
	}
	days = bytes.Clone(days)
	from := 0
	for i := range runs {
		runs[i].days = days[from:ends[i]:ends[i]]
		from = ends[i]
	}
	slices.Reverse(runs)
	return slices.Clip(runs)
}

// run returns the runs of r from the newest back to the first gap, and
// whether that is all of them.
func (r *record) run() ([]run, bool) {
	for i := 1; i < len(r.runs); i++ {
		if r.runs[i-1].start-r.runs[i].newest() > weekSeconds {
			return r.runs[:i], false
		}
	}
	return r.runs, true
}

// oldest returns the start of the oldest week of runs, which are not empty.
func oldest(runs []run) time.Time { return time.Unix(runs[len(runs)-1].start, 0).UTC() }

// Next returns the page to read next for repo's history at now, newest
// first: the newest page when none was read, then the page that holds the
// newest week missing below the newest week read (a gap, else the week
// before the oldest), 0 when the history is complete or the week lies
// beyond GitHub's last page maxPage.
func (k *Book) Next(repo string, now time.Time, perPage, maxPage int) int {
	k.mu.Lock()
	defer k.mu.Unlock()
	r := k.recs[strings.ToLower(repo)]
	if r == nil || r.At.IsZero() {
		return 1
	}
	weeks, whole := r.run()
	if len(weeks) == 0 || (whole && r.Complete) {
		return 0
	}
	newest := r.Newest
	if now.After(newest) {
		newest = newest.Add(now.Sub(newest) / week * week)
	}
	p := PageOf(newest, oldest(weeks).Add(-week), perPage)
	if p > maxPage {
		return 0
	}
	return p
}

// ToCome estimates the pages of repo's history still to read at now, from
// the repository's creation (nil when unknown: then at least one while the
// history is incomplete).
func (k *Book) ToCome(repo string, created *time.Time, now time.Time, perPage int) int {
	k.mu.Lock()
	defer k.mu.Unlock()
	r := k.recs[strings.ToLower(repo)]
	if r == nil || r.At.IsZero() {
		if created == nil {
			return 1
		}
		return int(now.Sub(*created)/week)/perPage + 1
	}
	weeks, whole := r.run()
	if len(weeks) == 0 || (whole && r.Complete) {
		return 0
	}
	first := oldest(weeks)
	if created == nil || !created.Before(first) {
		return 1
	}
	return int(first.Sub(*created)/week)/perPage + 1
}

// History returns what the book knows of repo's stars, false when it
// knows none: the weeks down to the first gap, rebuilt from stars at now
// when stars is the count the newest page was read with (fresh: nothing
// was given since), else from that count at the time it was read.
func (k *Book) History(repo string, stars *int, now time.Time) (h History, fresh, ok bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	r := k.recs[strings.ToLower(repo)]
	if r == nil || r.At.IsZero() || len(r.runs) == 0 {
		return History{}, false, false
	}
	runs, whole := r.run()
	h = History{Now: r.At, Stars: r.Stars, Complete: whole && r.Complete}
	n := 0
	for _, u := range runs {
		n += u.weeks()
	}
	h.Weeks = make([]Week, n)
	base := 0 // weeks of the newer runs
	for _, u := range runs {
		u.each(func(i int, days *[7]int32) {
			w := &h.Weeks[base+u.n-1-i]
			w.Start = time.Unix(u.start+int64(i)*weekSeconds, 0).UTC()
			for d, v := range days {
				w.Days[d] = int(v)
			}
		})
		base += u.n
	}
	if fresh = stars != nil && *stars == r.Stars; fresh && now.After(r.At) {
		h.Now = now
	}
	return h, fresh, true
}

// The JSON layout of a Book: {"version":1,"repos":{repo:recordFile}},
// repos sorted, weeks as runs of consecutive days, oldest first, to keep
// it small.
const bookVersion = 1

// recordOf is a repository's record as written; recordFile keeps its
// days, recordShape only counts them.
type recordOf[R weeks] struct {
	Stars    int        `json:"stars"`
	At       *time.Time `json:"at,omitempty"`
	Newest   *time.Time `json:"newest,omitempty"`
	Runs     []R        `json:"runs,omitempty"`
	Complete bool       `json:"complete,omitempty"`
	Missing  *time.Time `json:"missing,omitempty"`
}

type (
	recordFile  = recordOf[runFile]
	recordShape = recordOf[runShape]
)

// weeks is a runFile or a runShape: consecutive weeks of days.
type weeks interface{ length() int }

// runFile is consecutive weeks from Start: 7 days each, oldest first.
type runFile struct {
	Start int64 `json:"start"` // unix seconds
	Days  days  `json:"days"`
}

func (u runFile) length() int { return len(u.Days) }

type runShape struct {
	Start int64    `json:"start"`
	Days  dayCount `json:"days"`
}

func (u runShape) length() int { return int(u.Days) }

// checkRuns refuses runs that are not whole weeks.
func checkRuns[R weeks](runs []R) error {
	for _, u := range runs {
		if u.length()%7 != 0 {
			return fmt.Errorf("a run of %d days", u.length())
		}
	}
	return nil
}

// eachRecord reads the JSON book b, calling rec with each repository's key
// and dec before its record; rec reads the record.
func eachRecord(b []byte, rec func(key string, dec *json.Decoder) error) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	version := 0
	err := jsonobj.Read(dec, func(field string) error {
		switch field {
		case "version":
			return dec.Decode(&version)
		case "repos":
			return jsonobj.Read(dec, func(key string) error { return rec(key, dec) })
		}
		var skip json.RawMessage
		return dec.Decode(&skip)
	})
	if err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the book")
	}
	if version != bookVersion {
		return fmt.Errorf("version %d, want %d", version, bookVersion)
	}
	return nil
}

// days decodes a JSON array of integers at its exact length (encoding/json
// would grow it by doubling, thousands of times over for a book).
type days []int32

func (d *days) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = nil
		return nil
	}
	n, err := ints(b, nil)
	if err != nil {
		return err
	}
	*d = make(days, 0, n)
	_, err = ints(b, func(v int32) { *d = append(*d, v) })
	return err
}

// dayCount decodes a JSON array of integers into their number.
type dayCount int

func (c *dayCount) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*c = 0
		return nil
	}
	n, err := ints(b, nil)
	*c = dayCount(n)
	return err
}

// ints reads b, a JSON array of integers within int32, calling each (when
// set) with every one, and returns their number.
func ints(b []byte, each func(int32)) (int, error) {
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
		return 0, fmt.Errorf("days: %.20q is not an array", b)
	}
	b = bytes.TrimSpace(b[1 : len(b)-1])
	n := 0
	for len(b) > 0 {
		end := bytes.IndexByte(b, ',')
		if end < 0 {
			end = len(b)
		}
		v, ok := parseInt32(bytes.TrimSpace(b[:end]))
		if !ok {
			return 0, fmt.Errorf("days: %.20q is not an integer", b[:end])
		}
		if each != nil {
			each(v)
		}
		n++
		if end == len(b) {
			break
		}
		b = b[end+1:]
	}
	return n, nil
}

// parseInt32 parses a JSON integer within int32.
func parseInt32(b []byte) (int32, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 10 || (b[0] == '0' && len(b) > 1) {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = 10*v + int64(c-'0')
	}
	if neg {
		v = -v
	}
	if v < math.MinInt32 || v > math.MaxInt32 {
		return 0, false
	}
	return int32(v), true
}

func timeOf(p *time.Time) time.Time {
	if p == nil {
		return time.Time{}
	}
	return p.UTC()
}

// Encode writes the book as JSON.
func (k *Book) Encode() ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.encode(nil)
}

// MergeInto returns the JSON book old (nil or invalid for none) with the
// records this book changed (Add, SetMissing) replacing old's: a sync split
// into tasks keeps the weeks every task read. Old's other records are
// copied as they are, never decoded into a book.
func (k *Book) MergeInto(old []byte) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.encode(oldRecords(old))
}

// oldRecords returns the records of the JSON book old by lowercase repo,
// slices of old, none (an empty map) when old is not a valid book.
func oldRecords(old []byte) map[string]json.RawMessage {
	recs := map[string]json.RawMessage{}
	err := eachRecord(old, func(key string, dec *json.Decoder) error {
		from := dec.InputOffset()
		var rf recordShape
		if err := dec.Decode(&rf); err != nil {
			return err
		}
		recs[strings.ToLower(key)] = bytes.TrimLeft(old[from:dec.InputOffset()], " \t\r\n:")
		return checkRuns(rf.Runs)
	})
	if err != nil {
		return map[string]json.RawMessage{} // as DecodeBook would refuse it
	}
	return recs
}

// encode writes the book's records; with old (not nil), only those this
// book changed, and old's for the other repositories. Called with k.mu
// held.
func (k *Book) encode(old map[string]json.RawMessage) ([]byte, error) {
	recs := k.recs
	size := 0
	if old != nil {
		recs = make(map[string]*record, len(k.changed))
		for key := range k.changed {
			recs[key] = k.recs[key]
		}
		for key, raw := range old {
			if recs[key] == nil {
				size += len(key) + len(raw) + 4
			}
		}
	}
	keys := make([]string, 0, len(recs)+len(old))
	for key, r := range recs {
		keys = append(keys, key)
		size += len(key) + 120
		for _, u := range r.runs {
			size += 20 + 2*len(u.days) + 7*u.n
		}
	}
	for key := range old {
		if recs[key] == nil {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	var scratch []byte
	var b bytes.Buffer
	b.Grow(size + 32)
	fmt.Fprintf(&b, `{"version":%d,"repos":{`, bookVersion)
	for i, key := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := json.Marshal(key)
		if err != nil {
			return nil, fmt.Errorf("encode star weeks: %w", err)
		}
		b.Write(kb)
		b.WriteByte(':')
		if r := recs[key]; r != nil {
			scratch = r.appendJSON(scratch[:0])
			b.Write(scratch)
		} else {
			b.Write(old[key])
		}
	}
	b.WriteString("}}")
	return b.Bytes(), nil
}

// appendJSON appends r as a recordFile encodes, without building one: a
// book of thousands of repositories is written in one pass.
func (r *record) appendJSON(b []byte) []byte {
	b = append(b, `{"stars":`...)
	b = strconv.AppendInt(b, int64(r.Stars), 10)
	b = appendTime(b, `,"at":`, r.At)
	b = appendTime(b, `,"newest":`, r.Newest)
	if len(r.runs) > 0 {
		b = append(b, `,"runs":[`...)
		for i := len(r.runs) - 1; i >= 0; i-- {
			u := r.runs[i]
			if i < len(r.runs)-1 {
				b = append(b, ',')
			}
			b = append(b, `{"start":`...)
			b = strconv.AppendInt(b, u.start, 10)
			b = append(b, `,"days":[`...)
			u.each(func(k int, w *[7]int32) {
				for d, v := range w {
					if k > 0 || d > 0 {
						b = append(b, ',')
					}
					b = strconv.AppendInt(b, int64(v), 10)
				}
			})
			b = append(b, "]}"...)
		}
		b = append(b, ']')
	}
	if r.Complete {
		b = append(b, `,"complete":true`...)
	}
	b = appendTime(b, `,"missing":`, r.Missing)
	return append(b, '}')
}

// appendTime appends field and t as encoding/json writes a time, nothing
// for the zero time (omitempty of a nil *time.Time).
func appendTime(b []byte, field string, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	b = append(append(b, field...), '"')
	return append(t.AppendFormat(b, time.RFC3339Nano), '"')
}

// DecodeBook reads a book written by Encode or MergeInto, one repository
// at a time. Empty data gives an empty book.
func DecodeBook(b []byte) (*Book, error) {
	k := NewBook()
	if len(b) == 0 {
		return k, nil
	}
	err := eachRecord(b, func(key string, dec *json.Decoder) error {
		var rf recordFile
		if err := dec.Decode(&rf); err != nil {
			return err
		}
		if err := checkRuns(rf.Runs); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		k.recs[strings.ToLower(key)] = k.record(rf)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("decode star weeks: %w", err)
	}
	return k, nil
}

// record turns a record as written into one of k's.
func (k *Book) record(f recordFile) *record {
	r := &record{Stars: f.Stars, At: timeOf(f.At), Newest: timeOf(f.Newest), Complete: f.Complete, Missing: timeOf(f.Missing)}
	flat := k.scratch[:0]
	for _, u := range f.Runs {
		for i := 0; i < len(u.Days); i += 7 {
			w := flatWeek{start: u.Start + int64(i/7)*weekSeconds}
			copy(w.days[:], u.Days[i:i+7])
			flat = append(flat, w)
		}
	}
	r.runs = runsOf(flat)
	k.scratch = flat[:0]
	return r
}
