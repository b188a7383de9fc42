package starhist_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/sync/starhist"
)

const week = 7 * day

// pager serves a history as GitHub pages it: every week from first to the
// week that holds now, newest first, perPage a page; each week's first day
// holds (its number from first) + 1 stars.
type pager struct {
	first   time.Time
	perPage int
}

func (s *pager) page(now time.Time, p int) ([]starhist.Week, bool) {
	n := int(now.Sub(s.first)/week) + 1
	var out []starhist.Week
	for j := (p - 1) * s.perPage; j < min(p*s.perPage, n); j++ {
		k := n - 1 - j
		out = append(out, starhist.Week{Start: s.first.Add(time.Duration(k) * week), Days: [7]int{k + 1}})
	}
	return out, p*s.perPage < n
}

// read reads repo's pages at now as a sync does, each page once, and
// returns the pages it asked.
func (s *pager) read(t *testing.T, b *starhist.Book, repo string, now time.Time) []int {
	t.Helper()
	var asked []int
	for range 50 {
		p := b.Next(repo, now, s.perPage, 100)
		if p == 0 {
			return asked
		}
		for _, q := range asked {
			if q == p {
				t.Fatalf("page %d asked twice at %v", p, now)
			}
		}
		asked = append(asked, p)
		weeks, more := s.page(now, p)
		b.Add(repo, p, s.perPage, weeks, more, 0, now)
	}
	t.Fatal("no end")
	return nil
}

// checkWhole checks that the book holds every week from first to the week
// of now, each with its own count.
func checkWhole(t *testing.T, b *starhist.Book, s *pager, now time.Time) {
	t.Helper()
	h, _, ok := b.History("o/r", nil, now)
	if !ok || !h.Complete {
		t.Fatalf("History: ok %v, complete %v, want a complete history", ok, h.Complete)
	}
	want, _ := s.page(now, 1)
	for p := 2; ; p++ {
		w, more := s.page(now, p)
		want = append(want, w...)
		if !more {
			break
		}
	}
	if diff := cmp.Diff(want, h.Weeks); diff != "" {
		t.Errorf("weeks mismatch (-want +got):\n%s", diff)
	}
}

func TestBookReadsEachPageOnce(t *testing.T) {
	t0 := anchor.Add(74*week + 3*day)
	s := &pager{first: anchor, perPage: 30}
	b := starhist.NewBook()
	if diff := cmp.Diff([]int{1, 2, 3}, s.read(t, b, "o/r", t0)); diff != "" {
		t.Errorf("pages mismatch (-want +got):\n%s", diff)
	}
	checkWhole(t, b, s, t0)
	if got := b.ToCome("o/r", &anchor, t0, 30); got != 0 {
		t.Errorf("ToCome of a complete history = %d, want 0", got)
	}
}

// TestBookPagesShift checks that the pages still to read are found after
// weeks have passed (GitHub's pages then start a week later each week),
// and that a newest page read long after leaves a gap that is read next.
func TestBookPagesShift(t *testing.T) {
	t0 := anchor.Add(200*week + 2*day)
	s := &pager{first: anchor, perPage: 30}
	b := starhist.NewBook()
	weeks, more := s.page(t0, 1)
	b.Add("o/r", 1, 30, weeks, more, 0, t0)
	weeks, more = s.page(t0, 2)
	b.Add("o/r", 2, 30, weeks, more, 0, t0)
	created := anchor
	if got := b.ToCome("o/r", &created, t0, 30); got != 5 {
		t.Errorf("ToCome = %d, want 5 (141 weeks left)", got)
	}
	// 35 weeks later, nothing new was read: the next page is the one that
	// now holds the week before the oldest read, 95 from the newest.
	t1 := t0.Add(35 * week)
	if got := b.Next("o/r", t1, 30, 100); got != 4 {
		t.Errorf("Next 35 weeks later = %d, want 4", got)
	}
	weeks, more = s.page(t1, 4)
	b.Add("o/r", 4, 30, weeks, more, 0, t1)
	if got := b.Next("o/r", t1, 30, 100); got != 5 {
		t.Errorf("Next after page 4 = %d, want 5", got)
	}
	// Forty weeks later the stars changed: the newest page, then the gap
	// between it and the weeks kept, then the older ones.
	t2 := t0.Add(40 * week)
	weeks, more = s.page(t2, 1)
	b.Add("o/r", 1, 30, weeks, more, 0, t2)
	if h, _, _ := b.History("o/r", nil, t2); len(h.Weeks) != 30 || h.Complete {
		t.Errorf("History with a gap: %d weeks, complete %v, want the newest 30 and incomplete", len(h.Weeks), h.Complete)
	}
	if got := b.Next("o/r", t2, 30, 100); got != 2 {
		t.Errorf("Next with a gap = %d, want 2", got)
	}
	s.read(t, b, "o/r", t2)
	checkWhole(t, b, s, t2)
}

func TestBookMissing(t *testing.T) {
	b := starhist.NewBook()
	b.SetMissing("O/R", anchor)
	if !b.Missing("o/r", anchor.Add(29*day), 30*day) || b.Missing("o/r", anchor.Add(31*day), 30*day) {
		t.Errorf("Missing: want true within 30 days of the 404, false after")
	}
	if _, _, ok := b.History("o/r", nil, anchor); ok {
		t.Errorf("History of a 404 is known")
	}
}

// TestBookEncode checks that a book survives its JSON, and that MergeInto
// keeps what another task saved meanwhile for the repositories this book
// did not change.
func TestBookEncode(t *testing.T) {
	now := anchor.Add(80*week + day)
	s := &pager{first: anchor, perPage: 30}
	b := starhist.NewBook()
	s.read(t, b, "o/r", now)
	weeks, more := s.page(now, 1)
	b.Add("o/p", 1, 30, weeks, more, 42, now)
	b.SetMissing("o/x", now)
	raw, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := starhist.DecodeBook(raw)
	if err != nil {
		t.Fatal(err)
	}
	checkWhole(t, got, s, now)
	for _, repo := range []string{"o/r", "o/p", "o/x"} {
		wh, wf, wok := b.History(repo, nil, now)
		gh, gf, gok := got.History(repo, nil, now)
		if diff := cmp.Diff([]any{wh, wf, wok}, []any{gh, gf, gok}); diff != "" {
			t.Errorf("%s: History after DecodeBook mismatch (-want +got):\n%s", repo, diff)
		}
		if w, g := b.Next(repo, now, 30, 100), got.Next(repo, now, 30, 100); w != g {
			t.Errorf("%s: Next after DecodeBook = %d, want %d", repo, g, w)
		}
	}
	if n, ok := got.Stars("o/p"); !ok || n != 42 || !got.Missing("o/x", now, day) {
		t.Errorf("after DecodeBook: stars of o/p %d %v, o/x missing %v", n, ok, got.Missing("o/x", now, day))
	}

	// Another task changed o/p meanwhile; this one changes o/q only.
	other := starhist.NewBook()
	other.Add("o/p", 1, 30, weeks[:1], true, 7, now)
	saved, _ := other.MergeInto(raw)
	mine, _ := starhist.DecodeBook(raw)
	mine.Add("o/q", 1, 30, weeks, more, 9, now)
	merged, err := mine.MergeInto(saved)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := starhist.DecodeBook(merged)
	for repo, want := range map[string]int{"o/p": 7, "o/q": 9} {
		if n, _ := m.Stars(repo); n != want {
			t.Errorf("merged stars of %s = %d, want %d", repo, n, want)
		}
	}
	checkWhole(t, m, s, now)
}

// TestBookFile reads a book as the sync has written it since the first
// version (a gap between runs), writes it back the same, and checks that MergeInto over an invalid book keeps
// only what this book changed.
func TestBookFile(t *testing.T) {
	const file = `{"version":1,"repos":{` +
		`"o/a":{"stars":12,"at":"2026-02-01T00:00:00Z","newest":"2026-01-25T00:00:00Z","runs":[{"start":1767484800,"days":[5,0,0,0,0,0,0]},{"start":1768694400,"days":[1,0,0,0,0,0,2,3,0,0,0,0,0,0]}],"complete":true},` +
		`"o/b":{"stars":0,"missing":"2026-02-01T00:00:00Z"}}}`
	b, err := starhist.DecodeBook([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	h, fresh, ok := b.History("O/A", nil, at)
	jan := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	want := starhist.History{Now: at, Stars: 12, Weeks: []starhist.Week{
		{Start: jan(25), Days: [7]int{3}}, {Start: jan(18), Days: [7]int{1, 0, 0, 0, 0, 0, 2}},
	}}
	if diff := cmp.Diff(want, h); diff != "" || fresh || !ok {
		t.Errorf("History (fresh %v, ok %v) mismatch (-want +got):\n%s", fresh, ok, diff)
	}
	if got := b.Next("o/a", at, 30, 100); got != 1 {
		t.Errorf("Next with a gap before 18 Jan = %d, want 1", got)
	}
	out, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(file, string(out)); diff != "" {
		t.Errorf("Encode mismatch (-want +got):\n%s", diff)
	}
	// The same week twice: the later listing wins.
	b.Add("o/c", 1, 30, []starhist.Week{{Start: jan(25), Days: [7]int{1}}, {Start: jan(25), Days: [7]int{4}}}, false, 4, at)
	for _, old := range []string{"", "{", `{"version":2,"repos":{}}`, `{"version":1,"repos":{"o/x":{"runs":[{"start":0,"days":[1]}]}}}`} {
		merged, err := b.MergeInto([]byte(old))
		if err != nil {
			t.Fatal(err)
		}
		const want = `{"version":1,"repos":{"o/c":{"stars":4,"at":"2026-02-01T00:00:00Z","newest":"2026-01-25T00:00:00Z","runs":[{"start":1769299200,"days":[4,0,0,0,0,0,0]}],"complete":true}}}`
		if string(merged) != want {
			t.Errorf("MergeInto(%q) = %s, want %s", old, merged, want)
		}
	}
	// Over a valid book, the records this one did not change are copied
	// as they are.
	c := starhist.NewBook()
	c.Add("o/c", 1, 30, []starhist.Week{{Start: jan(25), Days: [7]int{4}}}, false, 4, at)
	spaced := strings.ReplaceAll(strings.ReplaceAll(file, `":{`, `" : {`), `,"o/b"`, ` , "o/b"`)
	merged, err := c.MergeInto([]byte(spaced))
	if err != nil {
		t.Fatal(err)
	}
	wantMerged := strings.TrimSuffix(file, "}}") + `,"o/c":{"stars":4,"at":"2026-02-01T00:00:00Z","newest":"2026-01-25T00:00:00Z","runs":[{"start":1769299200,"days":[4,0,0,0,0,0,0]}],"complete":true}}}`
	if string(merged) != wantMerged {
		t.Errorf("MergeInto over a valid book = %s, want %s", merged, wantMerged)
	}
	spacedDays, err := starhist.DecodeBook([]byte(`{"version":1,"repos":{"o/s":{"stars":3,"at":"2026-02-01T00:00:00Z","runs":[{"start":1769299200,"days":[ 1, 2 ,0,0,0,0,-1 ]}],"complete":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if h, _, _ := spacedDays.History("o/s", nil, at); len(h.Weeks) != 1 || h.Weeks[0].Days != [7]int{1, 2, 0, 0, 0, 0, -1} {
		t.Errorf("days with spaces read as %+v", h.Weeks)
	}
	const run = `{"version":1,"repos":{"o/x":{"runs":[{"start":0,"days":[%s]}]}}}`
	for _, days := range []string{"1,2,3,4,5,6,7.5", "1,2,3,4,5,6,2147483648", "1,2,3,4,5,6,07", `1,2,3,4,5,6,"7"`, "1,2,3,4,5,6,"} {
		if _, err := starhist.DecodeBook([]byte(fmt.Sprintf(run, days))); err == nil {
			t.Errorf("DecodeBook with days [%s] = nil error", days)
		}
	}
	for _, bad := range []string{`{"version":2,"repos":{}}`, `{"version":1,"repos":{"o/x":{"runs":[{"start":0,"days":[1]}]}}}`, `{"version":1,"repos":{}} {}`, `[]`} {
		if _, err := starhist.DecodeBook([]byte(bad)); err == nil {
			t.Errorf("DecodeBook(%s) = nil error", bad)
		}
	}
}
