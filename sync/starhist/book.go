package starhist

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Book keeps, by repository, the weeks of star history read so far, so
// that a page is read once, ever: the newest page again only when the star
// count changed, older ones until the first week. It is safe for concurrent
// use and encodes to JSON for the sync's private state.
type Book struct {
	mu      sync.Mutex
	recs    map[string]*record // by lowercase repo
	changed map[string]bool
}

// record is what a Book knows of one repository.
type record struct {
	Stars  int       // the star count when the newest page was read
	At     time.Time // when it was read
	Newest time.Time // start of GitHub's newest week at At: pages count from it
	// Weeks newest first, one per start; a gap between them is a run of
	// weeks still to be read.
	Weeks    []Week
	Complete bool      // the last page was read
	Missing  time.Time // when GitHub last answered 404; zero when it did not
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
	byStart := make(map[int64]Week, len(r.Weeks)+len(weeks))
	for _, w := range append(append([]Week(nil), r.Weeks...), weeks...) {
		byStart[w.Start.Unix()] = w // the later listing wins
	}
	r.Weeks = r.Weeks[:0]
	for _, w := range byStart {
		r.Weeks = append(r.Weeks, w)
	}
	sort.Slice(r.Weeks, func(i, j int) bool { return r.Weeks[i].Start.After(r.Weeks[j].Start) })
	if !more {
		r.Complete = true
	}
}

// run returns the weeks of r from the newest back to the first gap, and
// whether that is all of them.
func (r *record) run() ([]Week, bool) {
	for i := 1; i < len(r.Weeks); i++ {
		if r.Weeks[i-1].Start.Sub(r.Weeks[i].Start) > week {
			return r.Weeks[:i], false
		}
	}
	return r.Weeks, true
}

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
	p := PageOf(newest, weeks[len(weeks)-1].Start.Add(-week), perPage)
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
	oldest := weeks[len(weeks)-1].Start
	if created == nil || !created.Before(oldest) {
		return 1
	}
	return int(oldest.Sub(*created)/week)/perPage + 1
}

// History returns what the book knows of repo's stars, false when it
// knows none: the weeks down to the first gap, rebuilt from stars at now
// when stars is the count the newest page was read with (fresh: nothing
// was given since), else from that count at the time it was read.
func (k *Book) History(repo string, stars *int, now time.Time) (h History, fresh, ok bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	r := k.recs[strings.ToLower(repo)]
	if r == nil || r.At.IsZero() || len(r.Weeks) == 0 {
		return History{}, false, false
	}
	weeks, whole := r.run()
	h = History{Now: r.At, Stars: r.Stars, Weeks: append([]Week(nil), weeks...), Complete: whole && r.Complete}
	if fresh = stars != nil && *stars == r.Stars; fresh && now.After(r.At) {
		h.Now = now
	}
	return h, fresh, true
}

// bookFile is the JSON layout of a Book: weeks as runs of consecutive
// days, oldest first, to keep it small.
type bookFile struct {
	Version int                   `json:"version"`
	Repos   map[string]recordFile `json:"repos"`
}

type recordFile struct {
	Stars    int        `json:"stars"`
	At       *time.Time `json:"at,omitempty"`
	Newest   *time.Time `json:"newest,omitempty"`
	Runs     []runFile  `json:"runs,omitempty"`
	Complete bool       `json:"complete,omitempty"`
	Missing  *time.Time `json:"missing,omitempty"`
}

// runFile is consecutive weeks from Start: 7 days each, oldest first.
type runFile struct {
	Start int64 `json:"start"` // unix seconds
	Days  []int `json:"days"`
}

func timeRef(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
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
	return encodeRecords(k.recs)
}

// MergeInto returns the JSON book old (nil or invalid for none) with the
// records this book changed (Add, SetMissing) replacing old's: a sync split
// into tasks keeps the weeks every task read.
func (k *Book) MergeInto(old []byte) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	recs := map[string]*record{}
	if prev, err := DecodeBook(old); err == nil {
		recs = prev.recs
	}
	for key := range k.changed {
		recs[key] = k.recs[key]
	}
	return encodeRecords(recs)
}

func encodeRecords(recs map[string]*record) ([]byte, error) {
	f := bookFile{Version: 1, Repos: make(map[string]recordFile, len(recs))}
	for key, r := range recs {
		f.Repos[key] = r.file()
	}
	b, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("encode star weeks: %w", err)
	}
	return b, nil
}

func (r *record) file() recordFile {
	f := recordFile{Stars: r.Stars, At: timeRef(r.At), Newest: timeRef(r.Newest), Complete: r.Complete, Missing: timeRef(r.Missing)}
	for i := len(r.Weeks) - 1; i >= 0; i-- {
		w := r.Weeks[i]
		if n := len(f.Runs); n > 0 {
			last := &f.Runs[n-1]
			if time.Unix(last.Start, 0).Add(time.Duration(len(last.Days)/7) * week).Equal(w.Start) {
				last.Days = append(last.Days, w.Days[:]...)
				continue
			}
		}
		f.Runs = append(f.Runs, runFile{Start: w.Start.Unix(), Days: append([]int(nil), w.Days[:]...)})
	}
	return f
}

// DecodeBook reads a book written by Encode or MergeInto. Empty data gives
// an empty book.
func DecodeBook(b []byte) (*Book, error) {
	k := NewBook()
	if len(b) == 0 {
		return k, nil
	}
	var f bookFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("decode star weeks: %w", err)
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("decode star weeks: version %d, want 1", f.Version)
	}
	for key, rf := range f.Repos {
		r := &record{Stars: rf.Stars, At: timeOf(rf.At), Newest: timeOf(rf.Newest), Complete: rf.Complete, Missing: timeOf(rf.Missing)}
		for _, run := range rf.Runs {
			if len(run.Days)%7 != 0 {
				return nil, fmt.Errorf("decode star weeks: %s: a run of %d days", key, len(run.Days))
			}
			for i := 0; i < len(run.Days); i += 7 {
				w := Week{Start: time.Unix(run.Start, 0).UTC().Add(time.Duration(i/7) * week)}
				copy(w.Days[:], run.Days[i:i+7])
				r.Weeks = append(r.Weeks, w)
			}
		}
		sort.Slice(r.Weeks, func(i, j int) bool { return r.Weeks[i].Start.After(r.Weeks[j].Start) })
		k.recs[strings.ToLower(key)] = r
	}
	return k, nil
}
